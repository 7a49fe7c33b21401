import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listModelSummaries as listModels } from '../../src/catalog/queries/models.js';
import { lightningCsv } from '../../src/formats/lightning-csv.js';
import { copyFixture, tempCore } from '../helpers.js';

const PROJECT = 'realruns/lightning_project';
// These test the CSVLogger adapter alone; the same project's TensorBoardLogger versions have their own tests.
const ONLY_CSV = { adapters: [lightningCsv] };

async function indexProject() {
  const dir = copyFixture(PROJECT);
  const core = await tempCore();
  const summary = await core.indexFolders([dir], ONLY_CSV);
  const runs = (await core.api['runs.list']({ limit: 100, sort: { column: 'name', direction: 'asc' } })).rows;
  return { dir, core, summary, runs };
}

describe('PyTorch Lightning CSVLogger (real fixture)', () => {
  it('with every format registered, finds the four CSV and the four TensorBoard versions, once each', async () => {
    const dir = copyFixture(PROJECT);
    const core = await tempCore();
    expect(await core.indexFolders([dir])).toMatchObject({ runs: 8, experiments: 1, models: 8, problems: 0 });
    const runs = (await core.api['runs.list']({ sort: { column: 'name', direction: 'asc' } })).rows;
    expect(runs.map((r) => `${r.name}:${r.format}`)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((v) => `version_${v}:lightning-${v % 2 ? 'tensorboard' : 'csv'}`));
  });

  it('finds the four CSV runs and leaves the interleaved TensorBoard versions alone', async () => {
    const { summary, runs } = await indexProject();
    expect(summary).toMatchObject({ runs: 4, experiments: 1, models: 8, problems: 0 });
    expect(runs.map((r) => r.name)).toEqual(['version_0', 'version_2', 'version_4', 'version_6']);
    expect(new Set(runs.map((r) => r.experiment))).toEqual(new Set(['lightning_logs']));
    expect(runs.every((r) => r.format === 'lightning-csv' && r.status === 'finished')).toBe(true);
  });

  it('reads hparams.yaml as written and merges sparse rows into per-key series', async () => {
    const { runs, core } = await indexProject();
    const v0 = runs.find((r) => r.name === 'version_0')!;
    expect(v0.params).toEqual({ dropout: '0.1', hidden: '16', lr: '0.01' });
    expect(v0.metrics.val_acc).toEqual({ last: 0.9549999833106995, min: 0.9075000286102295, max: 0.9599999785423279, lastStep: 99, count: 4 });
    expect(v0.metrics.train_loss_step).toEqual({ last: 0.19933374226093292, min: 0.05988738313317299, max: 0.6426303386688232, lastStep: 99, count: 20 });
    expect(v0.metrics.train_loss_epoch).toMatchObject({ last: 0.12179306149482727, count: 4 });
    const v6 = runs.find((r) => r.name === 'version_6')!;
    expect(v6.params).toEqual({ dropout: '0.1', hidden: '32', lr: '0.1' });
    expect(v6.metrics.val_acc).toMatchObject({ last: 0.9375, min: 0.9275000095367432, count: 4 });
    const series = await core.api['metrics.get']({ run: v0.id, key: 'val_acc' });
    expect(series.points.map(([s, v]) => [s, v])).toEqual([
      [24, 0.9075000286102295], [49, 0.9549999833106995], [74, 0.9599999785423279], [99, 0.9549999833106995],
    ]);
  });

  it('shows a run Labdesk saw written to in the last two minutes as running, not a fresh copy', async () => {
    const dir = copyFixture(PROJECT, { freshTimes: true });
    const core = await tempCore();
    await core.indexFolders([dir], ONLY_CSV);
    const statuses = async () => (await core.api['runs.list']({})).rows.map((r) => r.status);
    expect(new Set(await statuses())).toEqual(new Set(['finished']));
    fs.appendFileSync(path.join(dir, 'lightning_logs', 'version_4', 'metrics.csv'), '3,100,,0.1,,\r\n');
    await core.indexFolders([dir], ONLY_CSV);
    const runs = (await core.api['runs.list']({})).rows;
    expect(runs.find((r) => r.name === 'version_4')!.status).toBe('running');
    expect(runs.find((r) => r.name === 'version_0')!.status).toBe('finished');
  });

  it('lists checkpoints as models linked to their run', async () => {
    const { core, runs } = await indexProject();
    const v0 = runs.find((r) => r.name === 'version_0')!;
    const models = listModels(core.db).filter((m) => m.runIds.includes(v0.id));
    expect(models.map((m) => m.name)).toEqual(['version_0/epoch=1-step=50', 'version_0/epoch=2-step=75']);
    expect(models[0]).toMatchObject({ format: 'lightning-checkpoint', framework: 'pytorch-lightning', sizeBytes: 11885 });
  });

  it('sorts by a param numerically and by a metric', async () => {
    const { core } = await indexProject();
    const byLr = await core.api['runs.list']({ sort: { column: 'params.lr', direction: 'desc' } });
    expect(byLr.rows.map((r) => r.params.lr)).toEqual(['0.1', '0.01', '0.01', '0.003']);
    const byAcc = await core.api['runs.list']({ sort: { column: 'metrics.val_acc', direction: 'asc' } });
    expect(byAcc.rows[0].name).toBe('version_6');
    expect(byAcc.paramKeys).toEqual(['dropout', 'hidden', 'lr']);
    expect(byAcc.metricKeys).toContain('val_acc');
  });
});

describe('damaged Lightning CSVs become problems, never crashes', () => {
  const damage: [string, (file: string) => void, RegExp][] = [
    // Cut long ago: a fresh unterminated line is a row being written, not yet a problem.
    ['cut mid-line', (f) => {
      fs.truncateSync(f, fs.statSync(f).size - 30);
      const hourAgo = new Date(Date.now() - 3_600_000);
      fs.utimesSync(f, hourAgo, hourAgo);
    }, /last line is cut off/],
    ['binary garbage', (f) => fs.writeFileSync(f, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0xff, 0xfe, 0x00, 0x13])), /binary data/],
    ['empty', (f) => fs.writeFileSync(f, ''), /empty file/],
    ['non-numeric cells', (f) => fs.appendFileSync(f, '3,100,,oops,,\r\n'), /not numbers, e\.g\. "oops"/],
  ];
  for (const [what, harm, message] of damage) {
    it(`${what}: a problem entry, the run and its neighbours kept`, async () => {
      const dir = copyFixture(PROJECT);
      const file = path.join(dir, 'lightning_logs', 'version_2', 'metrics.csv');
      harm(file);
      const core = await tempCore();
      const summary = await core.indexFolders([dir], ONLY_CSV);
      expect(summary.runs).toBe(4);
      const problems = await core.api['problems.list']({});
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ path: file, format: 'lightning-csv' });
      expect(problems[0].message).toMatch(message);
      const runs = (await core.api['runs.list']({})).rows;
      const v2 = runs.find((r) => r.name === 'version_2')!;
      expect(v2.params.lr).toBe('0.01');
      expect((await core.api['runs.get']({ id: v2.id })).problems).toHaveLength(1);
      expect(runs.find((r) => r.name === 'version_0')!.metrics.val_acc.count).toBe(4);
    });
  }

  it('cut mid-line keeps every complete row before the cut', async () => {
    const dir = copyFixture(PROJECT);
    const file = path.join(dir, 'lightning_logs', 'version_2', 'metrics.csv');
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\r\n').filter(Boolean);
    fs.writeFileSync(file, `${lines.slice(0, 10).join('\r\n')}\r\n${lines[10].slice(0, 8)}`);
    const core = await tempCore();
    await core.indexFolders([dir], ONLY_CSV);
    const v2 = (await core.api['runs.list']({})).rows.find((r) => r.name === 'version_2')!;
    // Rows 1..9 after the header; train_loss_step is logged on 8 of them in this file.
    const expected = lines.slice(1, 10).filter((l) => l.split(',')[3] !== '').length;
    expect(v2.metrics.train_loss_step.count).toBe(expected);
  });
});
