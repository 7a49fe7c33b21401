/** What the compare tabs derive from the compared runs: keys, groups, numeric readings of params. */
import type { CompareRun, JsonNumber, MetricSummary } from '../../../../src/api/contract';
import { toNumber } from '../../format';

export type SummaryStat = 'last' | 'min' | 'max';
export const SUMMARY_STATS: SummaryStat[] = ['last', 'min', 'max'];

/** A metric key and how many of the runs logged it. */
export interface KeyCount {
  key: string;
  runs: number;
}

/** Metric keys across runs, the ones every run has first, then by name. */
export function metricKeyCounts(runs: CompareRun[]): KeyCount[] {
  const counts = new Map<string, number>();
  for (const r of runs) for (const k of Object.keys(r.metrics)) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([key, n]) => ({ key, runs: n })).sort((a, b) => b.runs - a.runs || a.key.localeCompare(b.key));
}

// Counters logged as metrics (Lightning's epoch, Keras' lr schedule) make dull first charts.
const COUNTER_KEYS = /^(epoch|step|global_step|_step|_runtime|_timestamp|trainer\/global_step)$/i;

/**
 * The charts shown first: up to `n` keys, the ones most of the runs logged first (a key one run of five
 * logged compares nothing), series before single values among equals, step counters only when nothing
 * else was logged. The first is also the default metric of parallel coordinates and the scatter.
 */
export function defaultMetricKeys(runs: CompareRun[], n = 4): string[] {
  const all = metricKeyCounts(runs);
  const real = all.filter((k) => !COUNTER_KEYS.test(k.key));
  const candidates = real.length ? real : all;
  const isSeries = (key: string) => runs.some((r) => (r.metrics[key]?.count ?? 0) > 1);
  return [...candidates]
    .sort((a, b) => b.runs - a.runs || Number(isSeries(b.key)) - Number(isSeries(a.key)) || a.key.localeCompare(b.key))
    .slice(0, n)
    .map((k) => k.key);
}

/**
 * The params that explain differences: present in at least half of the runs (and two), with two or more
 * values among the runs that have them; the most widely logged first. A param only one tool writes, or
 * one every run shares, would draw an axis of "(none)" or a single tick.
 */
export function differingParams(runs: CompareRun[]): string[] {
  const need = Math.max(2, Math.ceil(runs.length / 2));
  const out: KeyCount[] = [];
  for (const key of groupByOptions(runs).params) {
    const values = runs.map((r) => r.params[key]).filter((v): v is string => v !== undefined);
    if (values.length >= need && new Set(values).size > 1) out.push({ key, runs: values.length });
  }
  return out.sort((a, b) => b.runs - a.runs || a.key.localeCompare(b.key)).map((k) => k.key);
}

/** Param keys, then tag keys (tool tags and `git.*`), each sorted: what "Group by" offers. */
export function groupByOptions(runs: CompareRun[]): { params: string[]; tags: string[] } {
  const params = new Set<string>();
  const tags = new Set<string>();
  for (const r of runs) {
    Object.keys(r.params).forEach((k) => params.add(k));
    Object.keys(r.tags).forEach((k) => tags.add(k));
  }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
  return { params: sorted(params), tags: sorted(tags) };
}

/** `params.lr` / `tags.mlflow.user` → the run's value, or null when it has none. */
export function groupValue(run: CompareRun, groupBy: string): string | null {
  if (groupBy.startsWith('params.')) return run.params[groupBy.slice(7)] ?? null;
  if (groupBy.startsWith('tags.')) return run.tags[groupBy.slice(5)] ?? null;
  return null;
}

export interface RunGroupOf {
  value: string | null;
  runs: CompareRun[];
}

/** Runs split by their value of `groupBy`, groups ordered numerically when every value is a number. */
export function groupRuns(runs: CompareRun[], groupBy: string): RunGroupOf[] {
  const groups = new Map<string | null, CompareRun[]>();
  for (const r of runs) {
    const v = groupValue(r, groupBy);
    groups.set(v, [...(groups.get(v) ?? []), r]);
  }
  const values = [...groups.keys()];
  const numeric = values.every((v) => v === null || asNumber(v) !== null);
  values.sort((a, b) => {
    if (a === null) return 1;
    if (b === null) return -1;
    return numeric ? asNumber(a)! - asNumber(b)! : a.localeCompare(b, undefined, { numeric: true });
  });
  return values.map((value) => ({ value, runs: groups.get(value)! }));
}

/** A param value read as a number when it is one ("0.001", "1e-3", "32"); null otherwise. */
export function asNumber(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** True when every value present reads as a number (and at least one is present). */
export function allNumeric(values: (string | null)[]): boolean {
  const present = values.filter((v): v is string => v !== null);
  return present.length > 0 && present.every((v) => asNumber(v) !== null);
}

/** Params whose value is not the same in every run (missing counts as a value): what explains differences. */
export function varyingParams(runs: CompareRun[]): string[] {
  const keys = groupByOptions(runs).params;
  return keys.filter((k) => new Set(runs.map((r) => r.params[k] ?? '\u0000none')).size > 1);
}

/** A summary value of a run's metric as a plain number (NaN when missing). */
export function summaryValue(summary: MetricSummary | undefined, stat: SummaryStat): number {
  if (!summary) return NaN;
  return toNumber(summary[stat] as JsonNumber);
}

/** The label of a group: `lr = 0.01 (3 runs)`. */
export function groupLabel(groupBy: string, value: string | null): string {
  const key = groupBy.replace(/^(params|tags)\./, '');
  return value === null ? `no ${key}` : `${key} = ${value}`;
}
