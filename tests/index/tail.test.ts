import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Adapter } from '../../src/formats/adapter.js';
import { lightningCsv } from '../../src/formats/lightning-csv.js';
import { mlflowFileStore } from '../../src/formats/mlflow/file-store.js';
import { tensorboard } from '../../src/formats/tensorboard/index.js';
import { wandb } from '../../src/formats/wandb/index.js';
import type { LabdeskCore } from '../../src/core.js';
import { copyFixture, tempCore } from '../helpers.js';

const PROJECT = 'realruns/lightning_project';
const CSV = 'lightning_logs/version_4/metrics.csv';

/** An adapter (Lightning CSV unless given), counting whole reads and tail reads. */
function counted(inner: Adapter = lightningCsv) {
  const calls = { read: 0, tail: 0 };
  const adapter: Adapter = {
    ...inner,
    read: (loc, sink) => (calls.read++, inner.read(loc, sink)),
    tail: (loc, sink, files) => (calls.tail++, inner.tail!(loc, sink, files)),
  };
  return { calls, options: { adapters: [adapter] } };
}

/** Everything the catalog holds for a run's metrics: summaries and every stored point. */
async function snapshot(core: LabdeskCore, name = 'version_4') {
  const run = (await core.api['runs.list']({})).rows.find((r) => r.name === name || path.basename(r.path) === name)!;
  const points: Record<string, unknown> = {};
  for (const key of Object.keys(run.metrics)) points[key] = (await core.api['metrics.get']({ run: run.id, key })).points;
  const { tags, startTime, params } = await core.api['runs.get']({ id: run.id });
  return { metrics: run.metrics, points, tags, startTime, params, durationSeconds: run.durationSeconds };
}

/** Rows the way Lightning's CSVLogger appends them: epoch,step,train_loss_epoch,train_loss_step,val_acc,val_loss. */
function rows(fromStep: number, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += `4,${fromStep + i},,${(0.5 / (i + 1)).toPrecision(8)},,\r\n`;
  return out;
}

describe('tail reads of growing files', () => {
  it('reads only appended rows, and ends with exactly what a fresh index of the same files holds', async () => {
    const dir = copyFixture(PROJECT);
    const csv = path.join(dir, CSV);
    const { calls, options } = counted();
    const core = await tempCore();
    await core.indexFolders([dir], options);
    expect(calls).toEqual({ read: 4, tail: 0 });

    // Past a chunk boundary (4,096 points), in three appends, one ending mid-row.
    fs.appendFileSync(csv, rows(100, 3000));
    await core.indexFolders([dir], options);
    fs.appendFileSync(csv, `${rows(3100, 2000)}4,5100,,0.0`);
    await core.indexFolders([dir], options);
    expect(calls).toEqual({ read: 4, tail: 2 });
    const mid = await snapshot(core);
    expect(mid.metrics.train_loss_step.count).toBe(20 + 5000);

    fs.appendFileSync(csv, '5,,\r\n');
    await core.indexFolders([dir], options);
    expect(calls).toEqual({ read: 4, tail: 3 });
    const incremental = await snapshot(core);
    expect(incremental.metrics.train_loss_step).toMatchObject({ count: 5021, lastStep: 5100, last: 0.05 });

    const fresh = await tempCore();
    await fresh.indexFolders([dir], { adapters: [lightningCsv] });
    expect(incremental).toEqual(await snapshot(fresh));
  });

  it('reads a file again from the start when its writer rewrote it with a new column', async () => {
    const dir = copyFixture(PROJECT);
    const csv = path.join(dir, CSV);
    const { calls, options } = counted();
    const core = await tempCore();
    await core.indexFolders([dir], options);
    // Lightning's CSVLogger rewrites the whole file, header first, when a new key is logged.
    const old = fs.readFileSync(csv, 'utf8').split('\r\n').filter(Boolean);
    const rewritten = [`${old[0]},lr`, ...old.slice(1).map((l) => `${l},`), '4,104,,0.05,,,0.001'];
    fs.writeFileSync(csv, `${rewritten.join('\r\n')}\r\n`);
    await core.indexFolders([dir], options);
    expect(calls.read).toBe(5);
    const { metrics } = await snapshot(core);
    expect(metrics.lr).toMatchObject({ count: 1, last: 0.001, lastStep: 104 });
    expect(metrics.train_loss_step).toMatchObject({ count: 21, last: 0.05 });
  });

  it('reads a file again from the start when it shrank or was replaced', async () => {
    const dir = copyFixture(PROJECT);
    const csv = path.join(dir, CSV);
    const { calls, options } = counted();
    const core = await tempCore();
    await core.indexFolders([dir], options);
    const lines = fs.readFileSync(csv, 'utf8').split('\r\n').filter(Boolean);
    fs.writeFileSync(csv, `${lines.slice(0, 3).join('\r\n')}\r\n`);
    await core.indexFolders([dir], options);
    expect(calls).toEqual({ read: 5, tail: 0 });
    expect((await snapshot(core)).metrics.train_loss_step.count).toBe(2);

    // Replaced by a new file (a new inode) that happens to be longer: read whole too.
    const replacement = `${csv}.new`;
    fs.writeFileSync(replacement, `${lines.join('\r\n')}\r\n${rows(100, 5)}`);
    fs.renameSync(replacement, csv);
    await core.indexFolders([dir], options);
    expect(calls).toEqual({ read: 6, tail: 0 });
    expect((await snapshot(core)).metrics.train_loss_step.count).toBe(25);
  });

  it('reads on from a TensorBoard event file cut mid-record, as a training process leaves it between flushes', async () => {
    const dir = copyFixture('realruns/tensorboard_sweep/lr0.01_bs32');
    const file = path.join(dir, 'events.out.tfevents.1795369584.vm.402.8');
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, 100_000));
    const { calls, options } = counted(tensorboard);
    const core = await tempCore();
    await core.indexFolders([dir], options);
    expect((await core.api['problems.list']({})).length).toBe(0);
    const early = await snapshot(core, 'lr0.01_bs32');
    expect(early.metrics['loss/train'].count).toBeLessThan(301);

    fs.appendFileSync(file, bytes.subarray(100_000));
    await core.indexFolders([dir], options);
    expect(calls).toEqual({ read: 1, tail: 1 });
    const incremental = await snapshot(core, 'lr0.01_bs32');
    expect(incremental.metrics['loss/train']).toMatchObject({ count: 301, lastStep: 300 });
    expect(incremental.tags).toEqual({ 'tensorboard.histograms': 'weights (15)', 'tensorboard.text': 'notes/text_summary (1)' });

    const fresh = await tempCore();
    await fresh.indexFolders([dir], { adapters: [tensorboard] });
    expect(incremental).toEqual(await snapshot(fresh, 'lr0.01_bs32'));
  });

  it('reads on from MLflow metric files, deduplicating a line repeated across the append as a whole read does', async () => {
    const run = 'b1f6b87d47a2410f98b96ba37a81023d';
    const dir = copyFixture('public/mlflow/fkodom__ncsn__filestore-mlflow1.8-lightning-trash-steps/mlruns');
    const file = path.join(dir, '.trash/0', run, 'metrics/train_loss');
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    fs.writeFileSync(file, `${lines.slice(0, 60).join('\n')}\n`);
    const { calls, options } = counted(mlflowFileStore);
    const core = await tempCore();
    await core.indexFolders([dir], options);
    const reads = calls.read;
    expect((await snapshot(core, run)).metrics.train_loss.count).toBe(60);

    // MLflow 3.6 writes each line twice: the repeat of line 60 lands after the stored offset.
    fs.appendFileSync(file, `${lines.slice(59).join('\n')}\n`);
    await core.indexFolders([dir], options);
    expect(calls).toEqual({ read: reads, tail: 1 });
    const incremental = await snapshot(core, run);
    expect(incremental.metrics.train_loss.count).toBe(lines.length);

    const fresh = await tempCore();
    await fresh.indexFolders([dir], { adapters: [mlflowFileStore] });
    expect(incremental).toEqual(await snapshot(fresh, run));
  });

  it('reads on from a W&B log while the run trains, from a record cut mid-write', async () => {
    const run = 'run-20251104_083622-b8n37x6d';
    const dir = copyFixture(`public/wandb-offline-sweep/wandb/${run}`);
    const log = path.join(dir, 'run-b8n37x6d.wandb');
    const bytes = fs.readFileSync(log);
    // Cut inside the console record at 42525, after the first history row (42331); the append runs
    // to just before the exit record (43823), past the second history row.
    fs.writeFileSync(log, bytes.subarray(0, 42560));
    const { calls, options } = counted(wandb);
    const core = await tempCore();
    await core.indexFolders([dir], options);
    expect((await core.api['problems.list']({})).length).toBe(0);
    expect(Object.keys((await snapshot(core, run)).metrics).sort()).toEqual(['train/mae', 'train/r2', 'train/rmse']);

    fs.appendFileSync(log, bytes.subarray(42560, 43823));
    // W&B rewrites the summary as rows arrive (here: shorter, as a new file).
    const summary = path.join(dir, 'files/wandb-summary.json');
    fs.writeFileSync(`${summary}.tmp`, JSON.stringify(JSON.parse(fs.readFileSync(summary, 'utf8'))));
    fs.renameSync(`${summary}.tmp`, summary);
    await core.indexFolders([dir], options);
    expect(calls).toEqual({ read: 1, tail: 1 });
    const incremental = await snapshot(core, run);
    expect(incremental.metrics['valid/r2']).toMatchObject({ count: 1, last: 0.9581675267484078 });

    const fresh = await tempCore();
    await fresh.indexFolders([dir], { adapters: [wandb] });
    expect(incremental).toEqual(await snapshot(fresh, run));

    // The exit record changes the run's status and end: a whole read.
    fs.appendFileSync(log, bytes.subarray(43823));
    await core.indexFolders([dir], options);
    expect(calls).toEqual({ read: 2, tail: 2 });
    expect((await core.api['runs.list']({})).rows[0].status).toBe('finished');
  });
});
