/**
 * The current query's mistake, shared between the runs view (which asks the server and learns of it)
 * and the search box (which shows it under itself). A tiny external store: no extra request, and the
 * two components stay unaware of each other.
 */
import { useSyncExternalStore } from 'react';

export interface QueryProblem {
  /** The query as sent (trimmed). */
  query: string;
  message: string;
  /** Where the parser points, 0-based offsets into `query`, end exclusive. */
  at?: { start: number; end: number };
}

let current: QueryProblem | null = null;
const listeners = new Set<() => void>();

/** Called by the runs view whenever the query it runs is found good (null) or malformed. */
export function reportQueryProblem(problem: QueryProblem | null): void {
  if (problem?.query === current?.query && problem?.message === current?.message) return;
  current = problem;
  for (const l of listeners) l();
}

export function useQueryProblem(): QueryProblem | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
