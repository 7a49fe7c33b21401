import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCatalog } from '../catalog/db.js';
import { getMetric } from '../catalog/queries/metrics.js';
import { RunWriter } from '../catalog/write-run.js';
import { RunBuffer } from '../index/run-buffer.js';

export interface MetricStorageFigures {
  points: number;
  seriesShapes: { series: number; pointsPerSeries: number; insertPointsPerSecond: number; insertMs: number }[];
  readAllMs: number;
  readDownsampled2000Ms: number;
  bytesPerPoint: number;
}

function timed<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const v = fn();
  return [v, performance.now() - t];
}

/**
 * Writes `points` synthetic points through the real catalog writer (one transaction, as the indexer
 * does) in two shapes — one long series, and 100 series — into a fresh WAL catalog, then reads back.
 */
export function benchMetricStorage(points: number): MetricStorageFigures {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labdesk-bench-'));
  try {
    const db = openCatalog(path.join(dir, 'bench.db'));
    db.prepare("INSERT INTO roots (id, path, added_at) VALUES (1, '/bench', 0)").run();
    const writer = new RunWriter(db);
    const shapes: MetricStorageFigures['seriesShapes'] = [];
    let longRunId = '';
    for (const series of [1, 100]) {
      const per = Math.floor(points / series);
      const buf = new RunBuffer({
        format: 'bench', path: `/bench/run-${series}`, files: [], experiment: { name: 'bench', path: '/bench' }, claimsSubtree: true,
      });
      for (let s = 0; s < series; s++) {
        for (let i = 0; i < per; i++) buf.point(`m${s}`, i, Math.sin(i / 100) + s, 1.7e9 + i);
      }
      const [id, ms] = timed(() => db.transaction(() => writer.write(1, buf, new Map(), Date.now()))());
      if (series === 1) longRunId = id;
      shapes.push({ series, pointsPerSeries: per, insertMs: Math.round(ms), insertPointsPerSecond: Math.round((per * series) / (ms / 1000)) });
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    const [, readAllMs] = timed(() => getMetric(db, longRunId, 'm0'));
    const [, readDownsampled2000Ms] = timed(() => getMetric(db, longRunId, 'm0', 2000));
    db.close();
    const size = fs.statSync(path.join(dir, 'bench.db')).size;
    return {
      points,
      seriesShapes: shapes,
      readAllMs: Math.round(readAllMs),
      readDownsampled2000Ms: Math.round(readDownsampled2000Ms * 10) / 10,
      bytesPerPoint: Math.round((size / (points * 2)) * 10) / 10,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
