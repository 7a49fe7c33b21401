/**
 * Which columns the runs table shows: the run columns, then the params and metrics most of the
 * listed runs share (capped, as MLflow and W&B do), plus whatever the user turned on or off.
 * Runs often carry hundreds of keys, almost all of them on few runs: showing every key by default
 * buries the shared metrics far to the right and makes the grid slow.
 */
import { useState } from 'react';
import type { RunSummary } from '../../../src/api/contract.js';

export type MetricStat = 'last' | 'min' | 'max' | 'best';

/** What the user chose in the column chooser, remembered per profile. */
export interface ColumnPrefs {
  /** Column ids the user hid. */
  hidden: string[];
  /** Column ids the user turned on; a key in neither list follows the defaults. */
  shown?: string[];
  /** Per metric key, the summary its column shows; last when absent. */
  stats: Record<string, MetricStat>;
}

/** At most this many params, and this many metrics, are on by default. */
export const DEFAULT_KEY_CAP = 6;
/** A key is "shared" when at least this share of the runs have it. */
export const SHARED_FRACTION = 0.5;

/**
 * The keys most of `rows` have, most common first (ties in key order), then the keys shared by the
 * runs those leave uncovered; at most `cap`.
 */
function sharedKeys(keys: string[], rows: RunSummary[], has: (run: RunSummary, key: string) => boolean, cap: number): string[] {
  if (!rows.length) return [];
  const counted = keys.map((key, i) => ({ key, i, n: rows.reduce((sum, r) => sum + (has(r, key) ? 1 : 0), 0) }));
  counted.sort((a, b) => b.n - a.n || a.i - b.i);
  const shared = counted.filter((c) => c.n >= rows.length * SHARED_FRACTION);
  // A catalog of many tools may share nothing: then the most common keys that more than one run has.
  const chosen = (shared.length ? shared : counted.filter((c) => c.n >= 2)).slice(0, cap);
  // Runs none of those keys cover (another tool's, say) would show an empty band: the slots left go
  // to the keys they share most, so each listed run shows some of its own numbers.
  while (chosen.length < cap) {
    const uncovered = rows.filter((r) => !chosen.some((c) => has(r, c.key)));
    const taken = new Set(chosen.map((c) => c.key));
    const next = keys
      .map((key, i) => ({ key, i, n: taken.has(key) ? 0 : uncovered.reduce((sum, r) => sum + (has(r, key) ? 1 : 0), 0) }))
      .filter((c) => c.n >= 2)
      .sort((a, b) => b.n - a.n || a.i - b.i)[0];
    if (!next) break;
    chosen.push(next);
  }
  return chosen.map((c) => c.key);
}

/** The param and metric column ids on by default for these runs (the first page of the list). */
export function defaultKeyColumns(rows: RunSummary[], paramKeys: string[], metricKeys: string[], cap = DEFAULT_KEY_CAP): string[] {
  return [
    ...sharedKeys(paramKeys, rows, (r, k) => k in r.params, cap).map((k) => `params.${k}`),
    ...sharedKeys(metricKeys, rows, (r, k) => k in r.metrics, cap).map((k) => `metrics.${k}`),
  ];
}

/** Whether a column shows: run columns unless hidden; key columns when on by default or turned on, and not hidden. */
export function shownColumns(prefs: ColumnPrefs, defaults: ReadonlySet<string>): (id: string) => boolean {
  const hidden = new Set(prefs.hidden);
  const shown = new Set(prefs.shown ?? []);
  return (id) => {
    if (hidden.has(id)) return false;
    if (!id.startsWith('params.') && !id.startsWith('metrics.')) return true;
    return shown.has(id) || defaults.has(id);
  };
}

/** Turns columns on or off as the user asked: an explicit choice outlives the defaults. */
export function withColumns(prefs: ColumnPrefs, ids: string[], on: boolean): ColumnPrefs {
  const hidden = new Set(prefs.hidden);
  const shown = new Set(prefs.shown ?? []);
  for (const id of ids) {
    const key = id.startsWith('params.') || id.startsWith('metrics.');
    if (on) {
      hidden.delete(id);
      if (key) shown.add(id);
    } else {
      hidden.add(id);
      shown.delete(id);
    }
  }
  return { ...prefs, hidden: [...hidden], shown: [...shown] };
}

/**
 * The default key columns for a list, computed once per query (and again when the number of runs
 * changes, as while indexing), so that sorting or scrolling never moves columns around.
 */
export function useDefaultColumns(
  query: string,
  page: { rows: RunSummary[]; total: number } | undefined,
  ready: boolean,
  paramKeys: string[],
  metricKeys: string[],
): ReadonlySet<string> {
  const [state, setState] = useState<{ key: string; ids: ReadonlySet<string> }>({ key: '', ids: new Set() });
  const key = page ? `${page.total}\u0000${query}` : '';
  // Derived while rendering (React's pattern for state that follows a change), not in an effect.
  if (ready && page && state.key !== key) setState({ key, ids: new Set(defaultKeyColumns(page.rows, paramKeys, metricKeys)) });
  return state.ids;
}
