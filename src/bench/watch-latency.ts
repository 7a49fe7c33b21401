import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LabdeskCore } from '../core.js';
import { createCore } from '../core.js';
import { median, msSince, round, withTempDir } from './measure.js';
import { trainRow, writeLightningTree } from './lightning-tree.js';

export interface WatchFigures {
  runs: number;
  samples: number;
  /** Appends not queryable within the timeout (left out of the latencies). */
  timeouts: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

const POLL_MS = 5;
const TIMEOUT_MS = 10_000;
/** chokidar reports `ready` to nobody outside the watcher: give it this long to set up after the first pass. */
const WATCH_SETTLE_MS = 500;

/** Figure 4: time from a row appended to a watched metrics.csv until `metrics.get` returns its step. */
export async function benchWatchLatency(runs: number, steps: number, samples: number): Promise<WatchFigures> {
  return withTempDir('watch', async (dir) => {
    const tree = path.join(dir, 'lightning');
    const folders = writeLightningTree(tree, runs, steps);
    const csv = path.join(folders[0], 'metrics.csv');
    const core = await createCore({ dbPath: path.join(dir, 'catalog.db'), watch: true });
    try {
      await core.api['roots.add']({ path: tree });
      const live = await waitFor(async () => (await core.api['roots.list']({})).every((r) => r.status === 'live' && r.runCount === runs));
      if (!live) throw new Error(`the watched root did not finish its first pass within ${TIMEOUT_MS} ms`);
      await sleep(WATCH_SETTLE_MS);
      const run = (await core.api['runs.list']({ limit: 5000 })).rows.find((r) => r.path === folders[0]);
      if (!run) throw new Error(`the watched tree's run ${folders[0]} was not indexed`);

      const latencies: number[] = [];
      let timeouts = 0;
      for (let i = 0; i < samples; i++) {
        const step = steps + i;
        const start = performance.now();
        fs.appendFileSync(csv, trainRow(step, 0.5));
        if (await waitFor(() => hasStep(core, run.id, step))) latencies.push(msSince(start));
        else timeouts++;
        // Let the pass that picked the row up finish, so each sample starts from a quiet watcher.
        await sleep(50);
      }
      const ok = latencies.length ? latencies : [NaN];
      return {
        runs, samples, timeouts,
        medianMs: round(median(ok), 1), minMs: Math.min(...ok), maxMs: Math.max(...ok),
      };
    } finally {
      await core.close();
    }
  });
}

async function hasStep(core: LabdeskCore, run: string, step: number): Promise<boolean> {
  const series = await core.api['metrics.get']({ run, key: 'train_loss' });
  return series.points.length > 0 && series.points[series.points.length - 1][0] === step;
}

/** Polls `check` until it holds; false after TIMEOUT_MS. */
async function waitFor(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = performance.now() + TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (await check()) return true;
    await sleep(POLL_MS);
  }
  return false;
}
