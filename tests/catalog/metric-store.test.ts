import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { CHUNK_POINTS } from '../../src/catalog/metric-store.js';
import { getMetric } from '../../src/catalog/queries/metrics.js';
import { listRuns } from '../../src/catalog/queries/runs.js';
import { RunWriter } from '../../src/catalog/write-run.js';
import { RunBuffer } from '../../src/index/run-buffer.js';
import { tempDir } from '../helpers.js';

function catalogWithRun(fill: (buf: RunBuffer) => void) {
  const db = openCatalog(path.join(tempDir(), 'c.db'));
  db.prepare("INSERT INTO roots (id, path, added_at) VALUES (1, '/r', 0)").run();
  const buf = new RunBuffer({ format: 'test', path: '/r/run', files: [], experiment: { name: 'e', path: '/r' }, claimsSubtree: true });
  fill(buf);
  const id = db.transaction(() => new RunWriter(db).write(1, buf, new Map(), Date.now()))();
  return { db, id };
}

describe('metric storage', () => {
  it('round-trips points across chunk boundaries in write order, with wall times', () => {
    const n = CHUNK_POINTS * 2 + 7;
    const { db, id } = catalogWithRun((b) => {
      for (let i = 0; i < n; i++) b.point('loss', i * 10, 1 / (i + 1), 1_700_000_000 + i);
    });
    const s = getMetric(db, id, 'loss');
    expect(s.count).toBe(n);
    expect(s.points).toHaveLength(n);
    expect(s.points[0]).toEqual([0, 1, 1_700_000_000]);
    expect(s.points[n - 1]).toEqual([(n - 1) * 10, 1 / n, 1_700_000_000 + n - 1]);
    expect(db.prepare('SELECT count(*) FROM metric_chunks').pluck().get()).toBe(3);
    db.close();
  });

  it('keeps NaN and infinities as values and summarizes without them', () => {
    const { db, id } = catalogWithRun((b) => {
      b.point('loss', 0, 2.5);
      b.point('loss', 1, Infinity);
      b.point('loss', 2, -1);
      b.point('loss', 3, NaN);
    });
    expect(getMetric(db, id, 'loss').points.map((p) => p[1])).toEqual([2.5, 'Infinity', -1, 'NaN']);
    const run = listRuns(db).rows[0];
    expect(run.metrics.loss).toEqual({ last: 'NaN', min: -1, max: 'Infinity', lastStep: 3, count: 4 });
    expect(getMetric(db, id, 'loss').points[0][2]).toBeNull();
    db.close();
  });

  it('keeps every point of a resumed run with repeated steps; the summary takes the latest', () => {
    const { db, id } = catalogWithRun((b) => {
      for (const [step, v] of [[0, 1], [1, 0.8], [2, 0.7], [1, 0.75], [2, 0.6]]) b.point('loss', step, v);
    });
    expect(getMetric(db, id, 'loss').points.map((p) => p.slice(0, 2))).toEqual([[0, 1], [1, 0.8], [2, 0.7], [1, 0.75], [2, 0.6]]);
    expect(listRuns(db).rows[0].metrics.loss).toMatchObject({ last: 0.6, lastStep: 2, count: 5 });
    db.close();
  });

  it('keeps a one-step spike, a one-step dip and a NaN of a stored 1M-point series in a 2000-point read', () => {
    const { db, id } = catalogWithRun((b) => {
      for (let i = 0; i < 1_000_000; i++) {
        const v = i === 777_777 ? 1e6 : i === 31_337 ? -1e6 : i === 500_001 ? NaN : Math.sin(i / 5000) + Math.random() * 0.01;
        b.point('loss', i, v, 1_700_000_000 + i);
      }
    });
    const s = getMetric(db, id, 'loss', 2000);
    expect(s.count).toBe(1_000_000);
    expect(s.points.length).toBeLessThanOrEqual(2000);
    expect(s.points).toContainEqual([777_777, 1e6, 1_700_777_777]);
    expect(s.points).toContainEqual([31_337, -1e6, 1_700_031_337]);
    expect(s.points).toContainEqual([500_001, 'NaN', 1_700_500_001]);
    expect(s.points.every((p, k) => k === 0 || p[0] > s.points[k - 1][0])).toBe(true);
  });
});
