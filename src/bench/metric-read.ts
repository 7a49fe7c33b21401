import path from 'node:path';
import { openCatalog } from '../catalog/db.js';
import { getMetric } from '../catalog/queries/metrics.js';
import { median, msSince, round, withTempDir } from './measure.js';
import { writeSyntheticRuns } from './synthetic-runs.js';

export interface MetricReadFigures {
  points: number;
  insertMs: number;
  /** `metric --max-points 2000`: the whole series read from its chunks, then downsampled. */
  downsampledBestMs: number;
  downsampledMedianMs: number;
  /** Every point, for scale: what the downsampled read avoids sending, not what it avoids reading. */
  readAllMs: number;
  bytesPerPoint: number;
}

const REPEATS = 5;

/** Figure 5a: one long series written through the catalog writer, read back downsampled to 2000 points. */
export async function benchMetricRead(points: number): Promise<MetricReadFigures> {
  return withTempDir('metric', async (dir) => {
    const db = openCatalog(path.join(dir, 'catalog.db'));
    try {
      const start = performance.now();
      const [runId] = writeSyntheticRuns(db, dir, 1, (buf) => {
        for (let i = 0; i < points; i++) buf.point('loss', i, Math.sin(i / 100) + i / points, 1.7e9 + i);
      });
      const insertMs = msSince(start);
      db.pragma('wal_checkpoint(TRUNCATE)');
      const pageBytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);

      getMetric(db, runId, 'loss', 2000); // warm-up: statement cache, page cache, JIT
      const times: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const t = performance.now();
        const series = getMetric(db, runId, 'loss', 2000);
        times.push(msSince(t));
        if (series.count !== points || series.points.length > 2000) throw new Error(`unexpected series: ${series.count} points, ${series.points.length} returned`);
      }
      const all = performance.now();
      getMetric(db, runId, 'loss');
      return {
        points, insertMs, readAllMs: msSince(all),
        downsampledBestMs: Math.min(...times), downsampledMedianMs: round(median(times), 1),
        bytesPerPoint: round(pageBytes / points, 1),
      };
    } finally {
      db.close();
    }
  });
}
