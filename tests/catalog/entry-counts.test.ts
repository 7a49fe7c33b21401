import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { copyFixture, tempCore } from '../helpers.js';

describe('entry counts', () => {
  it('an index summary counts the folders it indexed; catalog.stats counts everything, with the bytes on disk', async () => {
    const core = await tempCore();
    const lightning = await core.indexFolders([copyFixture('realruns/lightning_project')]);
    expect(lightning).toMatchObject({ runs: 8, experiments: 1, datasets: 0, models: 8, problems: 0 });
    const sweep = await core.indexFolders([copyFixture('realruns/tensorboard_sweep')]);
    const stats = await core.api['catalog.stats']({});
    for (const key of ['runs', 'experiments', 'datasets', 'models', 'problems'] as const) {
      expect(stats[key], key).toBe(lightning[key] + sweep[key]);
    }
    expect(sweep.runs).toBeGreaterThan(0);
    const onDisk = ['', '-wal'].reduce((n, s) => n + (fs.statSync(core.dbPath + s, { throwIfNoEntry: false })?.size ?? 0), 0);
    expect(stats).toMatchObject({ dbPath: core.dbPath, dbSizeBytes: onDisk });
  });
});
