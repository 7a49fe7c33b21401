import type { ApiErrorData } from './contract.js';

/** An error meant for the user: its name says what kind, its message what happened and what to do. */
export class ApiError extends Error {
  constructor(
    override readonly name: ApiErrorData['name'],
    message: string,
    /** For a QueryError: the span of the query it is about. */
    readonly at?: ApiErrorData['at'],
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new ApiError('NotFound', message);
export const badRequest = (message: string) => new ApiError('BadRequest', message);
/** A request that is allowed once the user confirms it (repeat it with `confirm: true`). */
export const needsConfirm = (message: string) => new ApiError('NeedsConfirm', message);
export const queryError = (message: string, at: { start: number; end: number }) => new ApiError('QueryError', message, at);

/** Serializes any thrown value for a transport; unexpected errors keep their message only. */
export function toErrorData(err: unknown): ApiErrorData {
  if (err instanceof ApiError) return { name: err.name, message: err.message, ...(err.at ? { at: err.at } : {}) };
  const message = err instanceof Error ? err.message : String(err);
  return { name: 'Internal', message: `Internal error: ${message}` };
}
