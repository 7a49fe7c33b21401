import type { CompareRun, MetricBatchArgs, MetricSeries } from '../../api/contract.js';
import { ApiError, badRequest, notFound } from '../../api/errors.js';
import { downsampleIndices } from '../downsample.js';
import { toJsonNumber } from '../../util/json-number.js';
import type { Db } from '../db.js';
import { readSeriesPoints } from '../metric-store.js';
import { resolveRunId } from './run-detail.js';
import { RUN_COLUMNS, RUN_FROM, summarizeRuns, type RunRow } from './runs.js';

/** More runs than anyone can tell apart on one chart; beyond this the request is a mistake. */
export const MAX_COMPARE_RUNS = 1000;
export const DEFAULT_BATCH_POINTS = 1000;
/** Per series: a chart a few thousand pixels wide cannot show more. */
export const MAX_BATCH_POINTS = 5000;
/**
 * Points one batch may return in all (~40 MB of JSON): past it, each series gets an equal share, so
 * 100 runs x 20 metrics still answers in one call instead of building a reply nobody can draw.
 */
export const BATCH_POINT_BUDGET = 1_000_000;
/** The share never drops below this; a batch that would need less is refused with what to do. */
const MIN_SHARE = 30;

const IN_JSON = 'IN (SELECT value FROM json_each(?))';

/**
 * Resolves what the user (or a URL) named to run ids, in order, without duplicates. A run that is
 * not in the catalog is a NotFound that says which one and what to do about it.
 */
function resolveRuns(db: Db, refs: unknown, method: string): string[] {
  if (!Array.isArray(refs) || refs.some((r) => typeof r !== 'string')) {
    throw badRequest(`${method} needs "ids"/"runs": a list of run ids.`);
  }
  if (refs.length > MAX_COMPARE_RUNS) {
    throw badRequest(`${method} compares at most ${MAX_COMPARE_RUNS} runs at once (got ${refs.length}); narrow the selection.`);
  }
  const ids: string[] = [];
  for (const ref of refs as string[]) {
    let id: string;
    try {
      id = resolveRunId(db, ref);
    } catch (err) {
      if (err instanceof ApiError && err.name === 'NotFound') {
        throw notFound(
          `Run ${ref} is not in the catalog: its folder may have been deleted or is no longer watched. ` +
            'Remove it from the comparison, or add its folder again.',
        );
      }
      throw err;
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** The runs to compare, in the order asked: summaries plus the tool's tags and the user's note. */
export function compareRuns(db: Db, refs: string[]): CompareRun[] {
  const ids = resolveRuns(db, refs, 'runs.compare');
  if (!ids.length) return [];
  const json = JSON.stringify(ids);
  const rows = db
    .prepare(`SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE r.id IN (SELECT value FROM json_each(@ids))`)
    .all({ ids: json, now: Date.now() }) as RunRow[];
  const summaries = new Map(summarizeRuns(db, rows).map((s) => [s.id, s]));
  const notes = new Map(rows.map((r) => [r.id, r.note]));
  const tags = new Map<string, Record<string, string>>(ids.map((id) => [id, {}]));
  for (const t of db.prepare(`SELECT run_id, key, value FROM tags WHERE run_id ${IN_JSON} ORDER BY key`).all(json) as {
    run_id: string;
    key: string;
    value: string;
  }[]) {
    tags.get(t.run_id)![t.key] = t.value;
  }
  return ids.map((id) => ({ ...summaries.get(id)!, tags: tags.get(id)!, note: notes.get(id) ?? '' }));
}

/** Points per series for a batch of `pairs` series: what was asked, capped, then shared out of the budget. */
export function batchShare(pairs: number, maxPoints: number | undefined): number {
  if (maxPoints !== undefined && (!Number.isInteger(maxPoints) || maxPoints < 3)) {
    throw badRequest(`maxPoints must be a whole number of at least 3 (got ${maxPoints}).`);
  }
  const asked = Math.min(maxPoints ?? DEFAULT_BATCH_POINTS, MAX_BATCH_POINTS);
  const share = Math.min(asked, Math.floor(BATCH_POINT_BUDGET / Math.max(1, pairs)));
  if (share < Math.min(asked, MIN_SHARE)) {
    throw badRequest(
      `metrics.batch asked for ${pairs} series; at most ${Math.floor(BATCH_POINT_BUDGET / MIN_SHARE)} fit in one call. ` +
        'Ask for fewer metric keys or fewer runs at a time.',
    );
  }
  return share;
}

/**
 * Every (run, key) series of a batch, downsampled with extremes kept. One query finds the series, then
 * one read per series. A run without the key gets an empty series (count 0), so a chart can say so.
 */
export function metricBatch(db: Db, args: MetricBatchArgs): MetricSeries[] {
  const runs = resolveRuns(db, args?.runs, 'metrics.batch');
  const keys = args?.keys;
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) {
    throw badRequest('metrics.batch needs "keys": a list of metric names.');
  }
  const uniqueKeys = [...new Set(keys)];
  const share = batchShare(runs.length * uniqueKeys.length, args.maxPoints);
  if (!runs.length || !uniqueKeys.length) return [];

  const found = new Map<string, { id: number; count: number }>();
  const rows = db
    .prepare(`SELECT id, run_id, key, count FROM metric_series WHERE run_id ${IN_JSON} AND key ${IN_JSON}`)
    .all(JSON.stringify(runs), JSON.stringify(uniqueKeys)) as { id: number; run_id: string; key: string; count: number }[];
  for (const r of rows) found.set(`${r.run_id}\0${r.key}`, r);

  const out: MetricSeries[] = [];
  for (const run of runs) {
    for (const key of uniqueKeys) {
      const series = found.get(`${run}\0${key}`);
      out.push(series ? readDownsampled(db, run, key, series, share) : { run, key, count: 0, points: [] });
    }
  }
  return out;
}

function readDownsampled(db: Db, run: string, key: string, series: { id: number; count: number }, maxPoints: number): MetricSeries {
  const stored = readSeriesPoints(db, series.id);
  // Buckets keep extremes, not ends: room is kept for the first and last points so every line spans
  // its run and ends on the value the summaries (and the diff table) show.
  const n = stored.values.length;
  const keepEnds = n > maxPoints && maxPoints >= 9;
  const indices = downsampleIndices(stored, keepEnds ? maxPoints - 2 : maxPoints);
  if (keepEnds && indices[0] !== 0) indices.unshift(0);
  if (keepEnds && indices[indices.length - 1] !== n - 1) indices.push(n - 1);
  const points: MetricSeries['points'] = new Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    const t = stored.times[i];
    points[k] = [stored.steps[i], toJsonNumber(stored.values[i]), Number.isNaN(t) ? null : t];
  }
  return { run, key, count: series.count, points };
}
