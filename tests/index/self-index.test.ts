import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainRow, writeLightningTree } from '../../src/bench/lightning-tree.js';
import { createCore, type LabdeskCore } from '../../src/core.js';
import { FIXTURES, onCleanup, tempDir } from '../helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A watching core whose catalog file is `dbPath`; counts finished full index passes. */
async function watchingCore(dbPath: string): Promise<{ core: LabdeskCore; passes: () => number }> {
  const core = await createCore({ dbPath, watch: true });
  onCleanup(() => core.close());
  let done = 0;
  core.on('index.progress', (p) => {
    if (p.phase === 'done') done++;
  });
  return { core, passes: () => done };
}

async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await sleep(20);
  }
}

/** Every entry under `dir` with its type, size, mode, mtime and (for files) content hash. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      const hash = st.isFile() ? createHash('sha256').update(fs.readFileSync(p)).digest('hex') : '';
      out.push(`${path.relative(dir, p)} ${st.mode.toString(8)} ${st.size} ${st.mtimeMs} ${hash}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

describe('the catalog inside a watched folder', () => {
  // `nested`: a home folder with the catalog in its data folder; `beside`: the catalog file in the root itself.
  it.each([
    ['nested', 'labdesk-data/catalog.db'],
    ['beside', 'catalog.db'],
  ])('is never indexed nor watched (%s): one pass, no loop', async (_layout, dbRelative) => {
    const home = tempDir();
    fs.cpSync(path.join(FIXTURES, 'realruns/lightning_project'), path.join(home, 'project'), { recursive: true });
    const dbPath = path.join(home, dbRelative);
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    // Something that would be a run if the catalog's folder were walked (caches, imports live there).
    if (dbRelative.includes('/')) writeLightningTree(path.join(path.dirname(dbPath), 'cache'), 1, 5);
    const { core, passes } = await watchingCore(dbPath);
    const root = await core.api['roots.add']({ path: home });
    await until(() => passes() >= 1);
    // The first pass wrote the catalog (and its WAL) inside the watched folder: with the bug each
    // write is a change, and passes follow each other every few hundred ms for ever.
    await sleep(3000);
    expect(passes()).toBe(1);
    const runs = (await core.api['runs.list']({})).rows;
    expect(runs.map((r) => r.name).sort()).toEqual(
      ['version_0', 'version_1', 'version_2', 'version_3', 'version_4', 'version_5', 'version_6', 'version_7'],
    );
    expect(runs.every((r) => r.path.startsWith(path.join(fs.realpathSync(home), 'project')))).toBe(true);
    expect((await core.api['roots.list']({})).find((r) => r.id === root.id)?.status).toBe('live');
  }, 20_000);

  it('a home folder as root: the catalog in ~/.local/share and busy hidden folders start no pass', async () => {
    const home = tempDir();
    writeLightningTree(path.join(home, 'project'), 2, 5);
    const { core, passes } = await watchingCore(path.join(home, '.local/share/labdesk/catalog.db'));
    await core.api['roots.add']({ path: home, confirm: true });
    await until(() => passes() >= 1);
    // Applications rewrite their state in hidden folders all the time; the walk never enters them.
    const state = path.join(home, '.config', 'some-app');
    fs.mkdirSync(state, { recursive: true });
    for (let i = 0; i < 12; i++) {
      fs.writeFileSync(path.join(state, `state-${i % 3}.json`), JSON.stringify({ i }));
      await sleep(250);
    }
    await sleep(500);
    expect(passes()).toBe(1);
    expect((await core.api['runs.list']({})).total).toBe(2);
  }, 20_000);

  it('never writes into the watched folders: fixture runs keep their bytes and listing while watched', async () => {
    const home = tempDir();
    fs.cpSync(path.join(FIXTURES, 'realruns/lightning_project'), path.join(home, 'lightning_project'), { recursive: true, preserveTimestamps: true });
    fs.cpSync(path.join(FIXTURES, 'public/wandb-offline-sweep'), path.join(home, 'wandb-offline-sweep'), { recursive: true, preserveTimestamps: true });
    const [growing] = writeLightningTree(path.join(home, 'training-now'), 1, 10);
    const before = snapshot(home).filter((l) => !l.startsWith('training-now'));
    expect(before.length).toBeGreaterThan(50);

    const { core, passes } = await watchingCore(path.join(home, 'labdesk-data', 'catalog.db'));
    await core.api['roots.add']({ path: home });
    await until(() => passes() >= 1);
    let changes = 0;
    core.on('catalog.changed', () => changes++);
    for (let step = 10; step < 16; step++) {
      fs.appendFileSync(path.join(growing, 'metrics.csv'), trainRow(step, 0.5));
      await sleep(500);
    }
    await until(() => changes >= 1);
    await sleep(500);
    expect(snapshot(home).filter((l) => !l.startsWith('training-now') && !l.startsWith('labdesk-data'))).toEqual(before);
  }, 30_000);
});
