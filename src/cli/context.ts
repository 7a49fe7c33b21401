import { defaultCatalogPath } from '../app-paths.js';
import { ApiError } from '../api/errors.js';
import type { LabdeskCore } from '../core.js';
import { safeLines } from './safe-text.js';

export interface DbOption {
  db?: string;
}

/** A mistake of the user's or the environment's: one line on stderr, no stack trace. */
export class UserError extends Error {}

/** Opens the core on the catalog named by --db (or the default), turning open failures into user errors. */
export async function openCore(opts: DbOption, watch = false): Promise<LabdeskCore> {
  const dbPath = opts.db ?? defaultCatalogPath();
  try {
    // Loaded here, not at the top: main.ts imports this module for every call, --help included.
    const { createCore } = await import('../core.js');
    return await createCore({ dbPath, watch });
  } catch (err) {
    // By name: the CLI reaches the catalog only through the core (catalog/migrate.ts throws it).
    if ((err as Error).name === 'CatalogTooNewError') throw new UserError((err as Error).message);
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new UserError(`${dbPath} is not a Labdesk catalog, or it is damaged. Pick another file with --db.`);
    }
    if (code === 'SQLITE_CANTOPEN' || code === 'EACCES') {
      throw new UserError(`Cannot open the catalog at ${dbPath}: check that its folder exists and is writable, or pass --db.`);
    }
    throw err;
  }
}

/** Runs a command with the core open, closing it afterwards. */
export async function withCore<T>(opts: DbOption, fn: (core: LabdeskCore) => Promise<T>): Promise<T> {
  const core = await openCore(opts);
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

/** Prints an error the way a CLI should: one clear line, a stack only for bugs and only on request. */
export function reportError(err: unknown): number {
  if (err instanceof UserError || err instanceof ApiError) {
    // Messages quote run names and paths from the catalog.
    process.stderr.write(`labdesk: ${safeLines(err.message)}\n`);
    return 1;
  }
  const e = err as Error;
  process.stderr.write(`labdesk: internal error: ${safeLines(e?.message ?? String(err))}\n`);
  if (process.env.LABDESK_DEBUG) process.stderr.write(`${e?.stack}\n`);
  else process.stderr.write('Set LABDESK_DEBUG=1 for details, and please report it.\n');
  return 70;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Parses a positive whole-number option, or says what is wrong with it. */
export function wholeNumber(name: string, min = 0) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new UserError(`${name} takes a whole number of at least ${min} (got "${text}").`);
    return n;
  };
}
