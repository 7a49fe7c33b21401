/**
 * Saved views of the runs table: the search, the sort and the columns, by name. Applying one is an
 * app-wide event, because the search lives in the top bar and the sort and columns in the table.
 */
import type { RunSort, SavedView } from '../../src/api/contract';
import { RUN_COLUMN_IDS, type ColumnPrefs, type MetricStat } from './components/ColumnChooser';
import { shownColumns } from './components/column-defaults';

const EVENT = 'labdesk:apply-view';
/** The view the runs table has yet to take: it may mount only after the event (coming from another page). */
let pending: SavedView | null = null;

export function applySavedView(view: SavedView): void {
  pending = view;
  window.dispatchEvent(new CustomEvent<SavedView>(EVENT, { detail: view }));
}

/** The runs table's part: the view applied since it last looked, once. */
export function takePendingView(): SavedView | null {
  const view = pending;
  pending = null;
  return view;
}

export function onApplySavedView(listener: (view: SavedView) => void): () => void {
  const handler = (e: Event) => listener((e as CustomEvent<SavedView>).detail);
  window.addEventListener(EVENT, handler);
  return () => window.removeEventListener(EVENT, handler);
}

/** The shown column ids, in table order; a metric shown as min, max or best carries `:<stat>`. */
export function columnsFromPrefs(
  prefs: ColumnPrefs,
  paramKeys: string[],
  metricKeys: string[],
  defaults: ReadonlySet<string>,
): string[] {
  const shown = shownColumns(prefs, defaults);
  return [
    ...RUN_COLUMN_IDS.filter(shown),
    ...paramKeys.map((k) => `params.${k}`).filter(shown),
    ...metricKeys
      .filter((k) => shown(`metrics.${k}`))
      .map((k) => (prefs.stats[k] && prefs.stats[k] !== 'last' ? `metrics.${k}:${prefs.stats[k]}` : `metrics.${k}`)),
  ];
}

/** The inverse: every known column the view does not list is hidden. No columns: the defaults. */
export function prefsFromColumns(columns: string[], paramKeys: string[], metricKeys: string[]): ColumnPrefs {
  if (!columns.length) return { hidden: [], shown: [], stats: {} };
  const shown = new Set<string>();
  const stats: Record<string, MetricStat> = {};
  for (const c of columns) {
    const m = /^metrics\.(.+?)(?::(last|min|max|best))?$/.exec(c);
    if (m) {
      shown.add(`metrics.${m[1]}`);
      if (m[2]) stats[m[1]] = m[2] as MetricStat;
    } else shown.add(c);
  }
  const all = [...RUN_COLUMN_IDS, ...paramKeys.map((k) => `params.${k}`), ...metricKeys.map((k) => `metrics.${k}`)];
  return { hidden: all.filter((id) => !shown.has(id)), shown: [...shown], stats };
}

export const DEFAULT_SORT: RunSort = { column: 'startTime', direction: 'desc' };
