import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lightningCsv } from '../../src/formats/lightning-csv.js';
import { copyFixture, tempCore } from '../helpers.js';

const PROJECT = 'realruns/lightning_project';
// The CSV runs of the project are enough to exercise the indexer; other formats have their own tests.
const ONLY_CSV = { adapters: [lightningCsv] };

describe('re-indexing', () => {
  it('reads nothing again when nothing changed, and re-reads only the run that did', async () => {
    const dir = copyFixture(PROJECT);
    const core = await tempCore();
    await core.indexFolders([dir], ONLY_CSV);
    const indexedAt = () => core.db.prepare('SELECT name, indexed_at FROM runs ORDER BY name').all() as { name: string; indexed_at: number }[];
    const before = indexedAt();
    await new Promise((r) => setTimeout(r, 5));
    await core.indexFolders([dir], ONLY_CSV);
    expect(indexedAt()).toEqual(before);

    fs.appendFileSync(path.join(dir, 'lightning_logs/version_4/metrics.csv'), '4,104,,0.05,,\r\n');
    await core.indexFolders([dir], ONLY_CSV);
    const after = indexedAt();
    expect(after.filter((r, i) => r.indexed_at !== before[i].indexed_at).map((r) => r.name)).toEqual(['version_4']);
    const v4 = (await core.api['runs.list']({})).rows.find((r) => r.name === 'version_4')!;
    expect(v4.metrics.train_loss_step).toMatchObject({ last: 0.05, lastStep: 104, count: 21 });
  });

  it('keeps user annotations through re-indexing and through a run vanishing and coming back', async () => {
    const dir = copyFixture(PROJECT);
    const core = await tempCore();
    await core.indexFolders([dir], ONLY_CSV);
    const v2 = (await core.api['runs.list']({})).rows.find((r) => r.name === 'version_2')!;
    await core.api['runs.annotate']({ id: v2.id, displayName: 'wide net', note: 'best **so far**', starred: true, userTags: ['baseline', 'keep'] });

    // Rewrite the run's files so it is read again.
    const csv = path.join(dir, 'lightning_logs/version_2/metrics.csv');
    fs.appendFileSync(csv, '4,104,,0.05,,\r\n');
    await core.indexFolders([dir], ONLY_CSV);
    let run = await core.api['runs.get']({ id: v2.id });
    expect(run).toMatchObject({ name: 'wide net', originalName: 'version_2', note: 'best **so far**', starred: true, userTags: ['baseline', 'keep'] });

    // The folder goes away: the run leaves the catalog, the annotations stay for its return.
    const moved = `${dir}-moved-away`;
    fs.renameSync(path.join(dir, 'lightning_logs/version_2'), moved);
    await core.indexFolders([dir], ONLY_CSV);
    expect((await core.api['runs.list']({})).total).toBe(3);
    await expect(core.api['runs.get']({ id: v2.id })).rejects.toThrow(/No run/);

    fs.renameSync(moved, path.join(dir, 'lightning_logs/version_2'));
    await core.indexFolders([dir], ONLY_CSV);
    run = await core.api['runs.get']({ id: v2.id });
    expect(run).toMatchObject({ name: 'wide net', starred: true, userTags: ['baseline', 'keep'] });
  });

  it('reports a symbolic link loop once and indexes everything else', async () => {
    const dir = copyFixture(PROJECT);
    fs.symlinkSync(dir, path.join(dir, 'lightning_logs', 'loop'));
    const core = await tempCore();
    const summary = await core.indexFolders([dir], ONLY_CSV);
    expect(summary.runs).toBe(4);
    const problems = await core.api['problems.list']({});
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/symbolic link loop/);
  });

  it('reports a folder it may not read (when not running as root)', async (ctx) => {
    if (process.getuid?.() === 0) ctx.skip(); // root reads everything; nothing to observe
    const dir = copyFixture(PROJECT);
    const locked = path.join(dir, 'lightning_logs', 'version_6');
    fs.chmodSync(locked, 0o000);
    try {
      const core = await tempCore();
      const summary = await core.indexFolders([dir], ONLY_CSV);
      expect(summary.runs).toBe(3);
      expect((await core.api['problems.list']({}))[0].message).toMatch(/permission denied/);
    } finally {
      fs.chmodSync(locked, 0o755);
    }
  });

  it('skips the folder names listed in LABDESK_IGNORE, besides the defaults', async () => {
    const dir = copyFixture(PROJECT);
    fs.cpSync(path.join(dir, 'lightning_logs'), path.join(dir, 'node_modules', 'copied_logs'), { recursive: true });
    const core = await tempCore();
    process.env.LABDESK_IGNORE = 'version_2, version_4';
    try {
      expect((await core.indexFolders([dir], ONLY_CSV)).runs).toBe(2);
    } finally {
      delete process.env.LABDESK_IGNORE;
    }
  });

  it('keeps a missing root’s runs and says so', async () => {
    const dir = copyFixture(PROJECT);
    const core = await tempCore();
    await core.indexFolders([dir], ONLY_CSV);
    fs.renameSync(dir, `${dir}-unplugged`);
    const root = (await core.api['roots.list']({}))[0];
    await core.reindex(root.id);
    expect((await core.api['runs.list']({})).total).toBe(4);
    expect((await core.api['roots.list']({}))[0].status).toBe('missing');
    expect((await core.api['problems.list']({}))[0].message).toMatch(/missing/);
  });
});

describe('watching', () => {
  it('an appended row reaches the catalog without a restart, read as an append without re-walking the folder', async () => {
    const dir = copyFixture(PROJECT);
    const core = await tempCore({ watch: true });
    let passesAfterAppend = 0;
    const changed = new Promise<string[]>((resolve) => {
      let seenInitial = false;
      core.on('catalog.changed', (e) => {
        if (!seenInitial) {
          seenInitial = true;
          // The first pass indexes the whole folder; append once it is done.
          core.on('index.progress', () => passesAfterAppend++);
          fs.appendFileSync(path.join(dir, 'lightning_logs/version_6/metrics.csv'), '4,120,,0.042,,\r\n');
          return;
        }
        resolve(e.runIds);
      });
    });
    await core.api['roots.add']({ path: dir });
    const ids = await changed;
    expect(ids).toHaveLength(1);
    expect(passesAfterAppend).toBe(0);
    const v6 = (await core.api['runs.get']({ id: ids[0] }));
    expect(v6.originalName).toBe('version_6');
    expect(v6.metrics.train_loss_step).toMatchObject({ last: 0.042, lastStep: 120 });
    expect(v6.status).toBe('running');
  });
});
