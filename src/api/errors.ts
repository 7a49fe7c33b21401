import type { ApiErrorData } from './contract.js';

/** An error meant for the user: its name says what kind, its message what happened and what to do. */
export class ApiError extends Error {
  constructor(
    override readonly name: ApiErrorData['name'],
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new ApiError('NotFound', message);
export const badRequest = (message: string) => new ApiError('BadRequest', message);

/** Serializes any thrown value for a transport; unexpected errors keep their message only. */
export function toErrorData(err: unknown): ApiErrorData {
  if (err instanceof ApiError) return { name: err.name, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { name: 'Internal', message: `Internal error: ${message}` };
}
