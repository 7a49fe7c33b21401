import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from '../../src/catalog/migrate.js';
import { createCore, type LabdeskCore } from '../../src/core.js';
import { lightningCsv } from '../../src/formats/lightning-csv.js';
import { copyFixture, onCleanup, tempCore, tempDir } from '../helpers.js';

const PROJECT = 'realruns/lightning_project';
// The CSV runs are enough: annotations do not depend on the format that wrote a run.
const ONLY_CSV = { adapters: [lightningCsv] };

const NOTE = '**best** so far\n\n- lr 0.02\n- [link](https://example.com)';
const EXPERIMENT_NOTE = '# Sweep\nWidth vs. learning rate.';

/** The run read from version_2/, with its experiment. */
async function version2(core: LabdeskCore) {
  const run = (await core.api['runs.list']({ includeArchived: true })).rows.find((r) => r.path.endsWith('version_2'));
  if (!run) throw new Error('version_2 was not indexed');
  return run;
}

async function annotate(core: LabdeskCore, runId: string, experimentId: string) {
  await core.api['runs.annotate']({ id: runId, displayName: 'wide net', note: NOTE, starred: true, userTags: ['baseline', 'keep'], archived: true });
  await core.api['experiments.annotate']({ id: experimentId, displayName: 'Width sweep', note: EXPERIMENT_NOTE });
}

async function expectAnnotations(core: LabdeskCore, runId: string, experimentId: string) {
  const run = await core.api['runs.get']({ id: runId });
  expect(run).toMatchObject({
    id: runId,
    name: 'wide net',
    originalName: 'version_2',
    note: NOTE,
    starred: true,
    archived: true,
    userTags: ['baseline', 'keep'],
    experimentId,
  });
  // An empty patch reads the experiment's annotation without changing it.
  expect(await core.api['experiments.annotate']({ id: experimentId })).toEqual({ id: experimentId, displayName: 'Width sweep', note: EXPERIMENT_NOTE });
}

function touchAll(dir: string, when: Date): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    fs.utimesSync(path.join(entry.parentPath, entry.name), when, when);
  }
}

describe('user annotations', () => {
  it('edits a run: rename, restore the name, star, tag, note, archive', async () => {
    const dir = copyFixture(PROJECT);
    const core = await tempCore();
    await core.indexFolders([dir], ONLY_CSV);
    const { id } = await version2(core);

    let run = await core.api['runs.annotate']({ id, displayName: '  wide net  ', starred: true, userTags: ['b', ' a ', 'b', ''] });
    expect(run).toMatchObject({ name: 'wide net', originalName: 'version_2', starred: true, userTags: ['a', 'b'], note: '', archived: false });
    run = await core.api['runs.annotate']({ id, displayName: '', note: NOTE });
    expect(run).toMatchObject({ name: 'version_2', note: NOTE, starred: true, userTags: ['a', 'b'] });
    run = await core.api['runs.annotate']({ id, displayName: null, starred: false, userTags: [], archived: true });
    expect(run).toMatchObject({ name: 'version_2', starred: false, userTags: [], archived: true });
  });

  it('edits an experiment: display name and note, and refuses an unknown one', async () => {
    const dir = copyFixture(PROJECT);
    const core = await tempCore();
    await core.indexFolders([dir], ONLY_CSV);
    const { experimentId } = await version2(core);
    const changes: unknown[] = [];
    core.on('catalog.changed', (e) => changes.push(e));

    expect(await core.api['experiments.annotate']({ id: experimentId })).toEqual({ id: experimentId, displayName: null, note: '' });
    expect(changes).toHaveLength(0);
    expect(await core.api['experiments.annotate']({ id: experimentId, displayName: ' Width sweep ' })).toEqual({
      id: experimentId, displayName: 'Width sweep', note: '',
    });
    expect(await core.api['experiments.annotate']({ id: experimentId, note: EXPERIMENT_NOTE })).toEqual({
      id: experimentId, displayName: 'Width sweep', note: EXPERIMENT_NOTE,
    });
    expect(await core.api['experiments.annotate']({ id: experimentId, displayName: null })).toMatchObject({ displayName: null, note: EXPERIMENT_NOTE });
    expect(changes).toHaveLength(3);
    // By its unique name, as the CLI would type it.
    expect(await core.api['experiments.annotate']({ id: 'lightning_logs' })).toMatchObject({ id: experimentId });
    await expect(core.api['experiments.annotate']({ id: 'no-such-experiment', note: 'x' })).rejects.toMatchObject({ name: 'NotFound' });
    await expect(core.api['experiments.annotate']({ id: experimentId, note: 3 as unknown as string })).rejects.toMatchObject({ name: 'BadRequest' });
  });

  it('survive a full re-index: every run read again', async () => {
    const dir = copyFixture(PROJECT);
    const core = await tempCore();
    await core.indexFolders([dir], ONLY_CSV);
    const { id, experimentId } = await version2(core);
    await annotate(core, id, experimentId);

    const indexedAt = () => core.db.prepare('SELECT indexed_at FROM runs ORDER BY id').pluck().all() as number[];
    const before = indexedAt();
    await new Promise((r) => setTimeout(r, 5));
    touchAll(dir, new Date());
    await core.indexFolders([dir], ONLY_CSV);
    const after = indexedAt();
    expect(after).toHaveLength(4);
    after.forEach((t, i) => expect(t).toBeGreaterThan(before[i]));
    await expectAnnotations(core, id, experimentId);
  });

  it('survive the run folder leaving and coming back, and the whole folder being removed and re-added', async () => {
    const dir = copyFixture(PROJECT);
    const core = await tempCore();
    await core.indexFolders([dir], ONLY_CSV);
    const { id, experimentId } = await version2(core);
    await annotate(core, id, experimentId);

    const runFolder = path.join(dir, 'lightning_logs/version_2');
    const away = path.join(tempDir(), 'version_2');
    fs.renameSync(runFolder, away);
    await core.indexFolders([dir], ONLY_CSV);
    await expect(core.api['runs.get']({ id })).rejects.toMatchObject({ name: 'NotFound' });
    fs.renameSync(away, runFolder);
    await core.indexFolders([dir], ONLY_CSV);
    await expectAnnotations(core, id, experimentId);

    // Forgetting the watched folder drops its indexed rows (the experiment too); user data stays.
    const [root] = await core.api['roots.list']({});
    expect(await core.api['roots.remove']({ id: root.id })).toEqual({ removed: true });
    expect(core.db.prepare('SELECT count(*) FROM experiments').pluck().get()).toBe(0);
    // The experiment's annotation can still be read by id while its folder is away.
    expect(await core.api['experiments.annotate']({ id: experimentId })).toMatchObject({ displayName: 'Width sweep' });
    await core.indexFolders([dir], ONLY_CSV);
    await expectAnnotations(core, id, experimentId);
  });

  it('survive migrating a version-4 catalog to the latest schema', async () => {
    const dir = copyFixture(PROJECT);
    // Ids are stable (format + path), so a scratch catalog tells which ids the old catalog used.
    const scratch = await tempCore();
    await scratch.indexFolders([dir], ONLY_CSV);
    const { id, experimentId } = await version2(scratch);

    // What a Labdesk at schema version 4 wrote: the indexed data is rebuilt anyway, user data is not.
    const file = path.join(tempDir(), 'old.db');
    const old = new Database(file);
    migrate(old, 4);
    expect(old.pragma('user_version', { simple: true })).toBe(4);
    old.prepare('INSERT INTO run_annotations (run_id, display_name, note, starred, archived, updated_at) VALUES (?, ?, ?, 1, 1, 1)').run(id, 'wide net', NOTE);
    const tag = old.prepare('INSERT INTO user_tags (run_id, tag, created_at) VALUES (?, ?, 1)');
    tag.run(id, 'baseline');
    tag.run(id, 'keep');
    old.prepare('INSERT INTO experiment_annotations (experiment_id, display_name, note, updated_at) VALUES (?, ?, ?, 1)').run(experimentId, 'Width sweep', EXPERIMENT_NOTE);
    old.close();

    const core = await createCore({ dbPath: file });
    onCleanup(() => core.close());
    expect(core.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    await core.indexFolders([dir], ONLY_CSV);
    await expectAnnotations(core, id, experimentId);
    // The new saved-views table works on the migrated file.
    expect((await core.api['views.save']({ name: 'Starred', query: 'attributes.starred = true', sort: null, columns: [] })).name).toBe('Starred');
  });
});

describe('saved views', () => {
  it('saves, lists by name, replaces by name, and deletes', async () => {
    const core = await tempCore();
    expect(await core.api['views.list']({})).toEqual([]);

    const best = await core.api['views.save']({
      name: ' Best runs ', query: 'metrics.val_acc > 0.9', sort: { column: 'metrics.val_acc', direction: 'desc' }, columns: ['params.lr', 'metrics.val_acc'],
    });
    expect(best).toMatchObject({
      name: 'Best runs', query: 'metrics.val_acc > 0.9', sort: { column: 'metrics.val_acc', direction: 'desc' }, columns: ['params.lr', 'metrics.val_acc'],
    });
    expect(best.id).toEqual(expect.any(Number));
    expect(best.createdAt).toBeGreaterThan(0);
    const archived = await core.api['views.save']({ name: 'archived', query: 'attributes.archived = true', sort: null, columns: [] });
    expect((await core.api['views.list']({})).map((v) => v.name)).toEqual(['archived', 'Best runs']);

    // Same name, any case: replaced in place, keeping its id and creation time.
    const replaced = await core.api['views.save']({ name: 'best runs', query: 'params.lr < 0.01', sort: null, columns: ['metrics.loss:min'] });
    expect(replaced).toEqual({ id: best.id, name: 'best runs', query: 'params.lr < 0.01', sort: null, columns: ['metrics.loss:min'], createdAt: best.createdAt });
    expect(await core.api['views.list']({})).toEqual([archived, replaced]);

    expect(await core.api['views.delete']({ id: best.id })).toEqual({ removed: true });
    expect(await core.api['views.delete']({ id: best.id })).toEqual({ removed: false });
    expect(await core.api['views.list']({})).toEqual([archived]);
  });

  it('explains a view it cannot save', async () => {
    const core = await tempCore();
    await expect(core.api['views.save']({ name: '  ', query: '', sort: null, columns: [] })).rejects.toThrow(/name/);
    await expect(
      core.api['views.save']({ name: 'x', query: '', sort: { column: 'name', direction: 'up' as 'asc' }, columns: [] }),
    ).rejects.toMatchObject({ name: 'BadRequest' });
    await expect(core.api['views.save']({ name: 'x', query: '', sort: null, columns: [1 as unknown as string] })).rejects.toMatchObject({ name: 'BadRequest' });
    await expect(core.api['views.delete']({ id: 'x' as unknown as number })).rejects.toMatchObject({ name: 'BadRequest' });
    expect(await core.api['views.list']({})).toEqual([]);
  });
});
