import type { MetricSeries } from '../../api/contract.js';
import { badRequest, notFound } from '../../api/errors.js';
import { downsampleIndices } from '../downsample.js';
import { toJsonNumber } from '../../util/json-number.js';
import type { Db } from '../db.js';
import { readSeriesPoints } from '../metric-store.js';

/** One metric series of a run, every point or downsampled to `maxPoints` with extremes kept. */
export function getMetric(db: Db, run: string, key: string, maxPoints?: number): MetricSeries {
  if (maxPoints !== undefined && (!Number.isInteger(maxPoints) || maxPoints < 3)) {
    throw badRequest(`maxPoints must be a whole number of at least 3 (got ${maxPoints}).`);
  }
  const series = db.prepare('SELECT id, count FROM metric_series WHERE run_id = ? AND key = ?').get(run, key) as
    | { id: number; count: number }
    | undefined;
  if (!series) {
    const keys = db.prepare('SELECT key FROM metric_series WHERE run_id = ? ORDER BY key').pluck().all(run) as string[];
    throw notFound(`Run ${run} has no metric "${key}". Its metrics: ${keys.length ? keys.join(', ') : 'none'}.`);
  }
  const stored = readSeriesPoints(db, series.id);
  const indices = maxPoints === undefined ? null : downsampleIndices(stored, maxPoints);
  const count = indices ? indices.length : stored.values.length;
  const points: MetricSeries['points'] = new Array(count);
  for (let k = 0; k < count; k++) {
    const i = indices ? indices[k] : k;
    const t = stored.times[i];
    points[k] = [stored.steps[i], toJsonNumber(stored.values[i]), Number.isNaN(t) ? null : t];
  }
  return { run, key, count: series.count, points };
}
