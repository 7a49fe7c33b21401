import path from 'node:path';
import { createCore } from '../core.js';
import { catalogBytes, LoopStall, msSince, PeakRss, round, treeSize, withTempDir } from './measure.js';
import { writeLightningTree } from './lightning-tree.js';

export interface LightningFigures {
  runs: number;
  steps: number;
  files: number;
  treeBytes: number;
  coldMs: number;
  runsPerSecond: number;
  runsIndexed: number;
  peakRssMb: number;
  /** Longest and p99 event-loop stall while indexing, ms. */
  stallMaxMs: number;
  stallP99Ms: number;
  rssMethod: string;
  catalogBytes: number;
  /** A second pass over the unchanged tree: nothing to read, only the walk and the stat checks. */
  reindexMs: number;
  reindexMsPer1000Files: number;
}

/** Figures 2, 3 (and their part of 6): cold index of a CSVLogger tree, then a no-change re-index. */
export async function benchLightning(runs: number, steps: number): Promise<LightningFigures> {
  return withTempDir('lightning', async (dir) => {
    const tree = path.join(dir, 'lightning');
    writeLightningTree(tree, runs, steps);
    const { bytes: treeBytes, files } = treeSize(tree);
    const dbPath = path.join(dir, 'catalog.db');
    const core = await createCore({ dbPath, watch: false });
    try {
      const rss = new PeakRss();
      const stall = new LoopStall();
      const start = performance.now();
      const summary = await core.indexFolders([tree]);
      const coldMs = msSince(start);
      const peak = rss.stop();
      const stalled = stall.stop();

      // indexFolders on a known root re-indexes it: the path a restart or a manual refresh takes.
      const again = performance.now();
      await core.indexFolders([tree]);
      const reindexMs = msSince(again);

      core.db.pragma('wal_checkpoint(TRUNCATE)');
      return {
        runs, steps, files, treeBytes, coldMs,
        runsPerSecond: Math.round(summary.runs / (coldMs / 1000)),
        runsIndexed: summary.runs,
        peakRssMb: peak.peakMb, rssMethod: peak.method, stallMaxMs: stalled.maxMs, stallP99Ms: stalled.p99Ms, catalogBytes: catalogBytes(dbPath),
        reindexMs, reindexMsPer1000Files: round(reindexMs / (files / 1000), 1),
      };
    } finally {
      await core.close();
    }
  });
}
