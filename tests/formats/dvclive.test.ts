import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dvcPipeline, dvclive } from '../../src/formats/dvc/index.js';
import { lightningCsv } from '../../src/formats/lightning-csv.js';
import { copyFixture, tempCore } from '../helpers.js';

const V0 = 'public/dvclive/tuannd-vbee__model-training-dvc__dvclive0x-huggingface-scalars';
const V2 = 'public/dvclive/iterative__dvclive-exp-tracking__dvclive2x-lightning-with-exp-refs';

async function index(relative: string, harm?: (dir: string) => void) {
  const dir = copyFixture(relative);
  harm?.(dir);
  const core = await tempCore();
  const summary = await core.indexFolders([dir], { adapters: [dvclive, dvcPipeline] });
  const runs = (await core.api['runs.list']({ limit: 100, sort: { column: 'name', direction: 'asc' } })).rows;
  return { dir, core, summary, runs };
}

// Expected values below were read from the fixture files with python3's csv/json/yaml modules.
describe('DVCLive 0.x (dvclive.json + scalars/, Hugging Face callback, real fixture)', () => {
  it('is one run named after the dvc.yaml stage that writes it, in the project folder experiment', async () => {
    const { summary, runs } = await index(V0);
    expect(summary).toMatchObject({ runs: 1, experiments: 1, problems: 0 });
    const run = runs[0];
    expect(run).toMatchObject({
      name: 'train',
      experiment: 'tuannd-vbee__model-training-dvc__dvclive0x-huggingface-scalars',
      format: 'dvclive',
      status: 'finished',
      params: {}, // params.yaml is empty and dvc.lock records `params.yaml: {}`
    });
    // First and last `timestamp` (epoch ms) over every TSV: epoch.tsv row 1 and its last row.
    expect(run.startTime).toBe(1664787192871);
    expect(run.durationSeconds).toBeCloseTo((1664791733662 - 1664787192871) / 1000, 3);
  });

  it('keys metrics by their path under scalars/ and reads every row of the CRLF TSVs', async () => {
    const { runs } = await index(V0);
    const m = runs[0].metrics;
    expect(Object.keys(m).sort()).toEqual([
      'epoch', 'eval/loss', 'eval/runtime', 'eval/samples_per_second', 'eval/steps_per_second', 'eval/wer',
      'learning_rate', 'loss', 'train/loss', 'train/runtime', 'train/samples_per_second', 'train/steps_per_second',
    ]);
    expect(m['eval/loss']).toEqual({ count: 18, last: 0.17963248491287231, lastStep: 35, min: 0.1662708967924118, max: 0.18004579842090607 });
    expect(m.epoch).toEqual({ count: 36, last: 1, lastStep: 35, min: 0.1, max: 1 });
    expect(m.learning_rate).toEqual({ count: 16, last: 2.0000000000000003e-6, lastStep: 32, min: 9.67741935483871e-7, max: 9.047619047619049e-6 });
    expect(m['train/loss']).toEqual({ count: 2, last: 0.04816353917121887, lastStep: 34, min: 0.04816353917121887, max: 0.524258925068763 });
  });

  it('gives each point its wall time in epoch seconds', async () => {
    const { runs, core } = await index(V0);
    const series = await core.api['metrics.get']({ run: runs[0].id, key: 'train/loss' });
    expect(series.points).toEqual([
      [14, 0.524258925068763, 1664787714.43],
      [34, 0.04816353917121887, 1664791651.332],
    ]);
    const evalLoss = await core.api['metrics.get']({ run: runs[0].id, key: 'eval/loss' });
    expect(evalLoss.points[0]).toEqual([1, 0.1791917383670807, 1664787202.682]);
    expect(evalLoss.points[17]).toEqual([35, 0.17963248491287231, 1664791733.585]);
  });

  it('takes data versions from the dvc.lock beside it and the data.dvc file', async () => {
    const { runs, core, dir } = await index(V0);
    const detail = await core.api['runs.get']({ id: runs[0].id });
    expect(detail.tags).toEqual({
      'dvc.dep.data/csv/all_data.csv': 'd41d8cd98f00b204e9800998ecf8427e',
      'dvc.dep.data/csv/new_data.csv': '1a675e58b742bd5ead7e3898eee837b2',
      'dvc.dep.data/csv/test.csv': '8f83c60f86ef3effa4652539eb64177d',
      'dvc.dep.new_data_inferenced.csv': '73af91ce5cba7aa443b8224314803398',
      'dvc.dep.src/prepare_label.py': '282ee7a41ea87b4a63b2e71407ad3060',
      'dvc.dep.src/train.py': 'cd6fae608c97a07f22ecb172b48555fe',
      'dvc.out.checkpoints': '948f8dc9d4e6724603f34cf8d15af1fa.dir',
      'dvc.out.dvclive.json': 'e7ffe282f9c44c8e152a46acb1286af7',
      'dvc.out.dvclive/scalars': '4198794714817bfc1eb7dd17bd547c18.dir',
      'dvc.out.new_data_inferenced.csv': '73af91ce5cba7aa443b8224314803398',
      'dvc.tracked.data': '9947b49fc60b2d14903af69c5fe878a0.dir',
    });
    expect(detail.artifacts).toContainEqual({ path: path.join(dir, 'checkpoints'), kind: 'dvc-out', sizeBytes: 7699783307 });
    expect(detail.artifacts).toContainEqual({ path: path.join(dir, 'dvclive', 'report.html'), kind: 'report', sizeBytes: 69124 });
  });
});

describe('DVCLive 2.x (plots/metrics, Lightning DVCLiveLogger, exp refs as folders, real fixture)', () => {
  it('finds one run per dvclive folder, named after the folder holding it', async () => {
    const { summary, runs } = await index(V2);
    expect(summary).toMatchObject({ runs: 6, experiments: 6, problems: 0 });
    expect(runs.map((r) => r.name)).toEqual(['adunc-soja', 'ahull-chin', 'conic-keys', 'main', 'pull_2_report_md_embedded', 'pull_3_report_md']);
    expect(runs.every((r) => r.format === 'dvclive' && r.experiment === r.name)).toBe(true);
    expect(runs.map((r) => r.params)).toEqual([
      { encoder_size: '64', lr: '0.001' }, { encoder_size: '64', lr: '0.01' }, { encoder_size: '64', lr: '0.0001' },
      { encoder_size: '64', lr: '0.001' }, { encoder_size: '128' }, { encoder_size: '32' },
    ]);
  });

  it('names metrics by file path (the header has only the leaf) and has no wall times', async () => {
    const { runs, core } = await index(V2);
    const main = runs.find((r) => r.name === 'main')!;
    expect(Object.keys(main.metrics).sort()).toEqual(['epoch', 'train/loss']);
    expect(main.metrics['train/loss']).toEqual({ count: 20, last: 0.05616318807005882, lastStep: 999, min: 0.02038264274597168, max: 0.08127418160438538 });
    expect(main.metrics.epoch).toEqual({ count: 20, last: 4, lastStep: 999, min: 0, max: 4 });
    const chin = runs.find((r) => r.name === 'ahull-chin')!;
    expect(chin.metrics['train/loss']).toEqual({ count: 20, last: 0.058970388025045395, lastStep: 999, min: 0.016689473763108253, max: 0.08378614485263824 });
    const series = await core.api['metrics.get']({ run: main.id, key: 'train/loss' });
    expect(series.points[0]).toEqual([49, 0.07851636409759521, null]);
    expect(main.startTime).toBeNull(); // 2.x TSVs carry no timestamp column
  });

  it('lists reports and logged images as artifacts', async () => {
    const { runs, core, dir } = await index(V2);
    const pull3 = await core.api['runs.get']({ id: runs.find((r) => r.name === 'pull_3_report_md')!.id });
    const live = path.join(dir, 'pull_3_report_md', 'dvclive');
    expect(pull3.artifacts).toEqual([
      { path: path.join(live, 'plots', 'images', 'pil.jpg'), kind: 'image', sizeBytes: 4723 },
      { path: path.join(live, 'report.md'), kind: 'report', sizeBytes: 287 },
    ]);
  });

  it('reads NaN in a TSV and bare NaN in metrics.json (Python json) as values', async () => {
    const { runs, core } = await index(V2, (dir) => {
      const live = path.join(dir, 'main', 'dvclive');
      fs.appendFileSync(path.join(live, 'plots', 'metrics', 'train', 'loss.tsv'), '1049\tnan\n');
      fs.writeFileSync(path.join(live, 'metrics.json'), '{"train": {"loss": NaN}, "val_only": -Infinity, "note": "NaN here", "step": 1049}');
    });
    const main = runs.find((r) => r.name === 'main')!;
    expect(main.metrics['train/loss']).toMatchObject({ count: 21, last: 'NaN', lastStep: 1049 });
    // Logged with plot=False: only in the summary, one point at the summary's step.
    expect(main.metrics.val_only).toEqual({ count: 1, last: '-Infinity', lastStep: 1049, min: '-Infinity', max: '-Infinity' });
    expect(main.metrics.step).toBeUndefined();
    expect(await core.api['problems.list']({})).toEqual([]);
  });

  it('sits beside a Lightning CSVLogger folder without either hiding the other', async () => {
    const dir = copyFixture(V2);
    const version = path.join(dir, 'main', 'lightning_logs', 'version_0');
    fs.mkdirSync(version, { recursive: true });
    fs.writeFileSync(path.join(version, 'metrics.csv'), 'epoch,step,train_loss\n0,49,0.5\n');
    fs.writeFileSync(path.join(version, 'hparams.yaml'), 'lr: 0.001\n');
    const core = await tempCore();
    await core.indexFolders([path.join(dir, 'main')], { adapters: [lightningCsv, dvclive, dvcPipeline] });
    const runs = (await core.api['runs.list']({})).rows;
    expect(runs.map((r) => r.format).sort()).toEqual(['dvclive', 'lightning-csv']);
  });
});

describe('damaged DVCLive files become problems, never crashes', () => {
  it('a TSV with a cut-off last line keeps the rows before it', async () => {
    const { runs, core, dir } = await index(V0, (d) => {
      const f = path.join(d, 'dvclive', 'scalars', 'eval', 'loss.tsv');
      fs.truncateSync(f, fs.statSync(f).size - 10);
    });
    const file = path.join(dir, 'dvclive', 'scalars', 'eval', 'loss.tsv');
    const problems = await core.api['problems.list']({});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: file, format: 'dvclive' });
    expect(problems[0].message).toMatch(/last line is cut off/);
    expect(runs[0].metrics['eval/loss']).toMatchObject({ count: 17, last: 0.17948849499225616, lastStep: 33 });
    expect(runs[0].metrics.epoch.count).toBe(36);
  });

  it('a metrics.json that is not JSON: a problem; params and series still read', async () => {
    const { runs, core, dir, summary } = await index(V2, (d) => fs.writeFileSync(path.join(d, 'main', 'dvclive', 'metrics.json'), '{"train": {"loss": 0.05'));
    expect(summary.runs).toBe(6);
    const problems = await core.api['problems.list']({});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: path.join(dir, 'main', 'dvclive', 'metrics.json'), format: 'dvclive' });
    expect(problems[0].message).toMatch(/not valid JSON/);
    const main = runs.find((r) => r.name === 'main')!;
    expect(main.params).toEqual({ encoder_size: '64', lr: '0.001' });
    expect(main.metrics['train/loss'].count).toBe(20);
  });

  it('binary garbage in one TSV, a value that is not a number in another', async () => {
    const { runs, core } = await index(V2, (d) => {
      const metrics = path.join(d, 'main', 'dvclive', 'plots', 'metrics');
      fs.writeFileSync(path.join(metrics, 'epoch.tsv'), Buffer.from([0x89, 0x50, 0, 0, 0xff, 0x0a]));
      fs.writeFileSync(path.join(metrics, 'train', 'loss.tsv'), 'step\tloss\n49\toops\n');
    });
    const messages = (await core.api['problems.list']({})).map((p) => p.message).sort();
    expect(messages[0]).toMatch(/^1 row\(s\) hold no number.*"oops"/);
    expect(messages[1]).toMatch(/^binary data/);
    const main = runs.find((r) => r.name === 'main')!;
    expect(main.metrics['train/loss']).toBeUndefined();
    expect(runs.find((r) => r.name === 'ahull-chin')!.metrics['train/loss'].count).toBe(20);
  });
});
