import type { ListRunsArgs, RunSort } from '../../api/contract.js';
import { badRequest } from '../../api/errors.js';

/**
 * Arguments arrive as JSON from the HTTP bridge (scripts, other tools), so their types are checked
 * here, where they enter SQL: a wrong one is the caller's mistake (BadRequest), never a SQLite error.
 */

/** A whole-number argument of at least `min`, or `fallback` when it is absent. */
export function wholeNumberArg(name: string, value: unknown, fallback: number, min = 0): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw badRequest(`${name} must be a whole number of at least ${min} (got ${JSON.stringify(value) ?? String(value)}).`);
  }
  return value;
}

const SORT_HELP = 'sort must be {column, direction}: column a run column (name, experiment, format, status, startTime, durationSeconds), ' +
  'params.<key>, metrics.<key> or metrics.<key>:min / :max; direction "asc" or "desc"';

/** The sort of runs.list, checked for shape; whether the column exists is up to the query. */
export function runSortArg(sort: unknown): RunSort | undefined {
  if (sort === undefined || sort === null) return undefined;
  const s = sort as Partial<Record<keyof RunSort, unknown>>;
  if (typeof sort !== 'object' || typeof s.column !== 'string' || (s.direction !== 'asc' && s.direction !== 'desc')) {
    throw badRequest(`${SORT_HELP} (got ${JSON.stringify(sort) ?? String(sort)}).`);
  }
  return { column: s.column, direction: s.direction };
}

/** The parts of runs.list's arguments that are not checked further down (the query and groupBy are). */
export function checkListRunsArgs(args: ListRunsArgs): void {
  if (args.query !== undefined && args.query !== null && typeof args.query !== 'string') {
    throw badRequest('query must be a string in the query language (see README).');
  }
  if (args.includeArchived !== undefined && typeof args.includeArchived !== 'boolean') {
    throw badRequest('includeArchived must be true or false.');
  }
}
