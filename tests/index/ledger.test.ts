/**
 * The file ledger and models as entries of their own, on a real Lightning project (real CSVLogger
 * folders with real ModelCheckpoint files): a grown metrics.csv re-reads the run and leaves its
 * checkpoints' ids, hashes and hash times alone; a run that vanishes leaves its models until their
 * files go.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listModelSummaries as listModels } from '../../src/catalog/queries/models.js';
import { copyFixture, tempCore } from '../helpers.js';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function lightningProject() {
  const project = copyFixture('realruns/lightning_project');
  const run = path.join(project, 'lightning_logs', 'version_4');
  const core = await tempCore();
  await core.indexFolders([project]);
  const rootId = (await core.api['roots.list']({}))[0].id;
  const models = () => listModels(core.db).filter((m) => m.path.startsWith(run + path.sep));
  const runId = (await core.api['runs.list']({ limit: 100 })).rows.find((r) => r.path === run && r.format === 'lightning-csv')!.id;
  return { core, run, rootId, runId, models };
}

describe('models as entries, hashed once through the file ledger', () => {
  it('a grown metrics.csv re-reads the run; its checkpoints keep their ids, hashes and hash times', async () => {
    const { core, run, rootId, runId, models } = await lightningProject();
    const before = models();
    expect(before.map((m) => path.basename(m.path)).sort()).toEqual(['epoch=2-step=75.ckpt', 'epoch=3-step=100.ckpt']);
    for (const m of before) {
      expect(m.sha256).toBe(sha256(m.path));
      expect(m.hashedAt).toBeGreaterThan(0);
      expect(m.runIds).toEqual([runId]);
    }
    const metricCount = async () => (await core.api['runs.get']({ id: runId })).metrics.train_loss_step.count;
    const pointsBefore = await metricCount();

    // Lightning appends a row while training: the watcher's fast path reads it as an append.
    const csv = path.join(run, 'metrics.csv');
    const header = fs.readFileSync(csv, 'utf8').split('\n')[0].split(',');
    const row = header.map((col) => (col === 'step' ? '999' : col === 'epoch' ? '9' : col === 'train_loss_step' ? '0.01' : ''));
    fs.appendFileSync(csv, `${row.join(',')}\n`);
    await core.reindex(rootId, [csv]);
    expect(await metricCount()).toBe(pointsBefore + 1);
    // And a full pass over the tree after it.
    fs.appendFileSync(csv, `${row.map((v, i) => (header[i] === 'step' ? '1000' : v)).join(',')}\n`);
    await core.reindex(rootId);
    expect(await metricCount()).toBe(pointsBefore + 2);

    const after = models();
    expect(after.map(({ id, sha256: h, hashedAt }) => ({ id, h, hashedAt }))).toEqual(
      before.map(({ id, sha256: h, hashedAt }) => ({ id, h, hashedAt })),
    );

    // The control: a checkpoint whose bytes change is hashed again, under the same id.
    const ckpt = before[0].path;
    fs.appendFileSync(ckpt, Buffer.from('more weights'));
    await core.reindex(rootId);
    // Hashing runs beside the passes, as a job of its own.
    await expect.poll(() => models().find((m) => m.id === before[0].id)!.sha256).toBe(sha256(ckpt));
    const changed = models().find((m) => m.id === before[0].id)!;
    expect(changed.sha256).not.toBe(before[0].sha256);
    expect(changed.hashedAt).toBeGreaterThanOrEqual(before[0].hashedAt!);
  });

  it('a run whose metrics are removed goes; its models stay, hashed, until their files go', async () => {
    const { core, run, rootId, runId, models } = await lightningProject();
    const before = models();
    expect(before).toHaveLength(2);

    fs.rmSync(path.join(run, 'metrics.csv'));
    await core.reindex(rootId);
    await expect(core.api['runs.get']({ id: runId })).rejects.toThrow(/No run/);
    const kept = models();
    expect(kept.map(({ id, sha256: h, hashedAt }) => ({ id, h, hashedAt }))).toEqual(
      before.map(({ id, sha256: h, hashedAt }) => ({ id, h, hashedAt })),
    );
    // The run that produced them is gone: so is the lineage link, not the model.
    for (const m of kept) expect(m.runIds).toEqual([]);

    fs.rmSync(before[0].path);
    await core.reindex(rootId);
    expect(models().map((m) => m.id)).toEqual([before[1].id]);
    fs.rmSync(path.join(run, 'checkpoints'), { recursive: true });
    await core.reindex(rootId);
    expect(models()).toEqual([]);
    // Nothing of them is left behind in the ledger or the lineage.
    const count = (sql: string) => core.db.prepare(sql).pluck().get(...before.map((m) => m.id)) as number;
    expect(count("SELECT count(*) FROM lineage WHERE dst_kind = 'model' AND dst_id IN (?, ?)")).toBe(0);
    expect(count("SELECT count(*) FROM file_entries WHERE entry_kind = 'model' AND entry_id IN (?, ?)")).toBe(0);
    expect(core.db.prepare('SELECT count(*) FROM files WHERE path LIKE ?').pluck().get(`${run}${path.sep}checkpoints%`)).toBe(0);
  });

  it('a run that comes back links its models again', async () => {
    const { core, run, rootId, runId, models } = await lightningProject();
    const csv = path.join(run, 'metrics.csv');
    const saved = fs.readFileSync(csv);
    fs.rmSync(csv);
    await core.reindex(rootId);
    expect(models().every((m) => m.runIds.length === 0)).toBe(true);
    fs.writeFileSync(csv, saved);
    await core.reindex(rootId);
    expect(models().map((m) => m.runIds)).toEqual([[runId], [runId]]);
  });
});
