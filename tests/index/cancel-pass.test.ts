import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexProgress } from '../../src/api/contract.js';
import { writeLightningTree } from '../../src/bench/lightning-tree.js';
import { openCatalog } from '../../src/catalog/db.js';
import { createCore, type LabdeskCore } from '../../src/core.js';
import { onCleanup, tempDir } from '../helpers.js';

// A tree whose full pass takes many seconds (3,000 Lightning CSV runs). Only read, never written,
// so the tests share it; each has its own catalog.
const RUNS = 3000;
let tree: string;
beforeAll(() => {
  tree = fs.mkdtempSync(path.join(os.tmpdir(), 'labdesk-cancel-'));
  writeLightningTree(tree, RUNS, 20);
}, 60_000);
afterAll(() => fs.rmSync(tree, { recursive: true, force: true }));

async function coreAt(dbPath: string): Promise<LabdeskCore> {
  const core = await createCore({ dbPath });
  onCleanup(() => core.close());
  return core;
}

/** Resolves at the first progress event that `when` accepts. */
function progressReaches(core: LabdeskCore, when: (p: IndexProgress) => boolean): Promise<IndexProgress> {
  return new Promise((resolve) => {
    const off = core.on('index.progress', (p) => {
      if (!when(p)) return;
      off();
      resolve(p);
    });
  });
}

const count = (core: LabdeskCore, table: string) => core.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a running pass is cancelled at once', () => {
  it.each([
    ['while walking the tree', (p: IndexProgress) => p.phase === 'scanning' && p.filesSeen > 200],
    ['while reading runs', (p: IndexProgress) => p.phase === 'reading' && p.runsRead >= 20],
  ])('roots.remove %s: resolves within a second, the root and its runs are gone', async (_when, when) => {
    const core = await coreAt(path.join(tempDir(), 'catalog.db'));
    const midPass = progressReaches(core, when);
    const root = await core.api['roots.add']({ path: tree });
    await midPass;
    const started = performance.now();
    expect(await core.api['roots.remove']({ id: root.id })).toEqual({ removed: true });
    expect(performance.now() - started).toBeLessThan(1000);
    // Nothing of the cancelled pass lands afterwards.
    await sleep(300);
    expect(await core.api['roots.list']({})).toEqual([]);
    expect([count(core, 'runs'), count(core, 'problems'), count(core, 'file_entries')]).toEqual([0, 0, 0]);
  }, 60_000);

  it('core.close() during a watched pass resolves within a second; the catalog opens cleanly after', async () => {
    const dbPath = path.join(tempDir(), 'catalog.db');
    const core = await createCore({ dbPath, watch: true });
    const midPass = progressReaches(core, (p) => p.phase === 'reading' && p.runsRead >= 20);
    await core.api['roots.add']({ path: tree });
    await midPass;
    const started = performance.now();
    await core.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await sleep(300); // a straggling write would throw (catalog closed) as an unhandled rejection here

    const db = openCatalog(dbPath);
    try {
      const runs = db.prepare('SELECT count(*) FROM runs').pluck().get() as number;
      expect(runs).toBeLessThan(RUNS); // stopped part-way: what was written in whole batches stays
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  }, 60_000);

  it('core.close() during indexFolders (the CLI) stops it with a clear error, within a second', async () => {
    const core = await coreAt(path.join(tempDir(), 'catalog.db'));
    let reading!: () => void;
    const midPass = new Promise<void>((r) => (reading = r));
    const indexing = core.indexFolders([tree], {
      onProgress: (p) => {
        if (p.phase === 'reading' && p.runsRead >= 20) reading();
      },
    });
    const outcome = indexing.then(() => 'finished', (err: Error) => err.message);
    await midPass;
    const started = performance.now();
    await core.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await outcome).toBe('Indexing was stopped: Labdesk is shutting down.');
  }, 60_000);
});
