import path from 'node:path';
import type { ListRunsArgs } from '../api/contract.js';
import { openCatalog, type Db } from '../catalog/db.js';
import { listRuns } from '../catalog/queries/runs.js';
import { median, msSince, round, withTempDir } from './measure.js';
import { writeSyntheticRuns } from './synthetic-runs.js';

export interface QueryTiming {
  args: ListRunsArgs;
  firstMs: number;
  medianMs: number;
  total: number;
  rows: number;
}

export interface RunQueryFigures {
  runs: number;
  paramsPerRun: number;
  metricsPerRun: number;
  populateMs: number;
  sorted: QueryTiming;
  filtered: QueryTiming;
}

const PARAMS = 20;
const METRICS = 10;
const POINTS_PER_METRIC = 3;
const REPEATS = 5;

/** Figure 5b: one page of 200 runs out of many, sorted by a metric, with the total count. */
export async function benchRunQuery(runs: number): Promise<RunQueryFigures> {
  return withTempDir('query', async (dir) => {
    const db = openCatalog(path.join(dir, 'catalog.db'));
    try {
      const start = performance.now();
      writeSyntheticRuns(db, dir, runs, (buf, n) => {
        for (let p = 0; p < PARAMS; p++) buf.param(`param_${p}`, p % 2 ? String((n * 7 + p) % 1000) : `choice-${(n + p) % 5}`);
        for (let m = 0; m < METRICS; m++) {
          const key = m === 0 ? 'val_acc' : `metric_${m}`;
          for (let s = 0; s < POINTS_PER_METRIC; s++) buf.point(key, s, ((n * 31 + m * 17 + s) % 1000) / 1000);
        }
      });
      const populateMs = msSince(start);
      db.pragma('wal_checkpoint(TRUNCATE)');
      const sort = { column: 'metrics.val_acc', direction: 'desc' } as const;
      return {
        runs, paramsPerRun: PARAMS, metricsPerRun: METRICS, populateMs,
        sorted: timeQuery(db, { sort, limit: 200 }),
        // Free text matches one experiment in 100: a filter that keeps 1% of the runs.
        filtered: timeQuery(db, { query: 'exp-042', sort, limit: 200 }),
      };
    } finally {
      db.close();
    }
  });
}

/** The first call (cold statement and page cache) and the median of the next few. */
function timeQuery(db: Db, args: ListRunsArgs): QueryTiming {
  let t = performance.now();
  const page = listRuns(db, args);
  const firstMs = msSince(t);
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    t = performance.now();
    listRuns(db, args);
    times.push(msSince(t));
  }
  return { args, firstMs, medianMs: round(median(times), 1), total: page.total, rows: page.rows.length };
}
