/**
 * The runs view's per-session state (sort and grouping), kept in sessionStorage so coming back from
 * a run shows the same order. Read here too before React mounts, to prefetch the first page.
 */
import type { GroupBy, RunSort } from '../../src/api/contract';
import { DEFAULT_SORT } from './saved-views';

export const SORT_KEY = 'labdesk.runs.sort';
export const GROUP_BY_KEY = 'labdesk.runs.groupBy';

/** A stored value as Mantine's useSessionStorage writes it (JSON), or the fallback. */
function read<T>(key: string, fallback: T): T {
  try {
    const raw = sessionStorage.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

export const storedSort = (): RunSort => read<RunSort>(SORT_KEY, DEFAULT_SORT);
export const storedGroupBy = (): GroupBy | null => read<GroupBy | null>(GROUP_BY_KEY, null);
