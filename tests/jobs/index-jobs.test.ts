import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo, RootInfo } from '../../src/api/contract.js';
import { writeLightningTree } from '../../src/bench/lightning-tree.js';
import { createCore, type LabdeskCore } from '../../src/core.js';
import { onCleanup, tempDir } from '../helpers.js';

// 3,000 Lightning runs: a pass takes many seconds, so a cancel lands mid-pass. Shared, never written.
const RUNS = 3000;
let tree: string;
beforeAll(() => {
  tree = fs.mkdtempSync(path.join(os.tmpdir(), 'labdesk-jobs-'));
  writeLightningTree(tree, RUNS, 20);
}, 60_000);
afterAll(() => fs.rmSync(tree, { recursive: true, force: true }));

async function coreAt(dbPath: string, watch = false): Promise<LabdeskCore> {
  const core = await createCore({ dbPath, watch });
  onCleanup(() => core.close());
  return core;
}

/** Resolves with the first event payload `when` accepts. */
function eventWhere<T>(subscribe: (l: (e: T) => void) => () => void, when: (e: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const off = subscribe((e) => {
      if (!when(e)) return;
      off();
      resolve(e);
    });
  });
}
const jobEvent = (core: LabdeskCore, when: (j: JobInfo) => boolean) => eventWhere<JobInfo>((l) => core.on('jobs.progress', l), when);
const rootsEvent = (core: LabdeskCore, when: (r: RootInfo[]) => boolean) =>
  eventWhere<{ roots: RootInfo[] }>((l) => core.on('roots.changed', l), (e) => when(e.roots));

const counts = (core: LabdeskCore) => Object.fromEntries(
  ['runs', 'experiments', 'problems', 'file_entries', 'files', 'models', 'lineage', 'metric_series', 'params', 'run_search'].map((t) => [t, core.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()]),
);

describe('index passes as jobs', () => {
  it('a pass is listed as an index job with progress; jobs.cancel stops it and leaves the catalog as before', async () => {
    const core = await coreAt(path.join(tempDir(), 'catalog.db'));
    const empty = counts(core);
    const removedEvents: string[][] = [];
    core.on('catalog.changed', (e) => removedEvents.push(e.removed));
    // Past the first write batches (200 runs each): the cancel has written runs to take back.
    const midPass = jobEvent(core, (j) => j.kind === 'index' && j.unit === 'runs' && j.done >= 450);
    const walking = jobEvent(core, (j) => j.unit === 'files' && j.done > 0);
    const root = await core.api['roots.add']({ path: tree });
    expect((await walking).label).toBe(tree);
    const job = await midPass;
    expect(job).toMatchObject({ kind: 'index', label: tree, state: 'running', total: RUNS, rateUnit: 'runs' });
    expect(job.rate).toBeGreaterThan(0);
    expect(await core.api['jobs.list']({})).toMatchObject([{ id: job.id, state: 'running' }]);
    expect(core.db.prepare('SELECT count(*) FROM runs').pluck().get()).toBeGreaterThanOrEqual(200);

    const stopped = rootsEvent(core, (roots) => roots[0]?.status !== 'indexing');
    const ended = jobEvent(core, (j) => j.id === job.id && j.state !== 'running');
    expect(await core.api['jobs.cancel']({ id: job.id })).toEqual({ cancelled: true });
    expect((await ended).state).toBe('cancelled');
    expect((await stopped).roots).toMatchObject([{ id: root.id, status: 'stopped', runCount: 0, lastIndexedAt: null }]);
    expect(counts(core)).toEqual(empty);
    // The runs the pass had written were announced as removed, so views drop them.
    expect(removedEvents.flat().length).toBeGreaterThanOrEqual(200);
    expect(await core.api['jobs.cancel']({ id: job.id })).toEqual({ cancelled: false });

    // Asked again (the Add folder of the same path): a full pass.
    const done = jobEvent(core, (j) => j.kind === 'index' && j.state === 'done');
    const idle = rootsEvent(core, (roots) => roots[0]?.status === 'idle');
    await core.api['roots.add']({ path: tree });
    expect(await done).toMatchObject({ label: tree, done: RUNS, total: RUNS });
    expect((await idle).roots).toMatchObject([{ status: 'idle', runCount: RUNS }]);
    expect(core.db.prepare('SELECT count(*) FROM problems').pluck().get()).toBe(0);
  }, 120_000);

  it('cancelling a re-index keeps the runs the root had and drops only the new ones', async () => {
    const folder = tempDir();
    writeLightningTree(folder, 300, 20);
    const core = await coreAt(path.join(tempDir(), 'catalog.db'));
    const first = await core.indexFolders([folder]);
    expect(first.runs).toBe(300);
    const before = counts(core);
    // More runs appear: version_300 ... version_2299 (the generator starts at version_0, so write aside and move).
    const more = tempDir();
    writeLightningTree(more, 2300, 20);
    for (let n = 300; n < 2300; n++) fs.renameSync(path.join(more, 'lightning_logs', `version_${n}`), path.join(folder, 'lightning_logs', `version_${n}`));

    const midPass = jobEvent(core, (j) => j.unit === 'runs' && j.done >= 450);
    const indexing = core.indexFolders([folder]).then(() => 'finished', (err: Error) => err.name);
    const job = await midPass;
    expect(core.jobs.cancel(job.id)).toBe(true);
    expect(await indexing).toBe('JobCancelledError');
    expect(counts(core)).toEqual(before);
    expect(await core.api['roots.list']({})).toMatchObject([{ status: 'stopped', runCount: 300 }]);
  }, 120_000);

  it('in a watched catalog, new files in a stopped root do not start the pass again', async () => {
    const folder = tempDir();
    writeLightningTree(folder, 1500, 20);
    const core = await coreAt(path.join(tempDir(), 'catalog.db'), true);
    const midPass = jobEvent(core, (j) => j.unit === 'runs' && j.done >= 20);
    const stopped = rootsEvent(core, (roots) => roots[0]?.status === 'stopped');
    await core.api['roots.add']({ path: folder });
    core.jobs.cancel((await midPass).id);
    await stopped;
    // A new run folder, as a training job starting would make.
    const fresh = path.join(folder, 'lightning_logs', 'version_9999');
    fs.mkdirSync(fresh);
    fs.writeFileSync(path.join(fresh, 'hparams.yaml'), 'lr: 0.1\n');
    fs.writeFileSync(path.join(fresh, 'metrics.csv'), 'epoch,step,train_loss\r\n0,0,1.5\r\n');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await core.api['jobs.list']({})).map((j) => j.state)).toEqual(['cancelled']);
    expect(await core.api['roots.list']({})).toMatchObject([{ status: 'stopped', runCount: 0 }]);
  }, 120_000);

  it('a stopped root is not restarted when the app starts, only when asked', async () => {
    const dbPath = path.join(tempDir(), 'catalog.db');
    const core = await coreAt(dbPath);
    const midPass = jobEvent(core, (j) => j.unit === 'runs' && j.done >= 20);
    const indexing = core.indexFolders([tree]).catch((err: Error) => err.name);
    core.jobs.cancel((await midPass).id);
    expect(await indexing).toBe('JobCancelledError');
    await core.close();

    const app = await coreAt(dbPath, true);
    await new Promise((r) => setTimeout(r, 500));
    expect(await app.api['jobs.list']({})).toEqual([]);
    expect(await app.api['roots.list']({})).toMatchObject([{ status: 'stopped', runCount: 0 }]);
  }, 120_000);
});
