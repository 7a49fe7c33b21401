import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listModelSummaries as listModels } from '../../src/catalog/queries/models.js';
import { lightningCsv } from '../../src/formats/lightning-csv.js';
import { adapters as registered } from '../../src/formats/registry.js';
import { lightningTensorboard, tensorboard } from '../../src/formats/tensorboard/index.js';
import { copyFixture, tempCore } from '../helpers.js';

/** Lightning's CSV adapter rides along: the Lightning fixture interleaves CSV and TensorBoard versions. */
const adapters = [lightningCsv, lightningTensorboard, tensorboard];

/** Expected values below were read from the files by a separate Python reader (struct + hand-decoded protobuf). */
async function index(fixture: string, prepare?: (dir: string) => void) {
  const dir = copyFixture(fixture);
  prepare?.(dir);
  const core = await tempCore();
  const summary = await core.indexFolders([dir], { adapters });
  const runs = (await core.api['runs.list']({ limit: 100, sort: { column: 'name', direction: 'asc' } })).rows;
  return { dir, core, summary, runs };
}

/** Fixture copies keep their mtimes; damage verdicts depend on age, so tests set it. */
function setAge(file: string, ageMs: number): void {
  const t = new Date(Date.now() - ageMs);
  fs.utimesSync(file, t, t);
}

describe('PyTorch SummaryWriter sweep with add_hparams (realruns/tensorboard_sweep)', () => {
  it('finds one run per folder; the hparams child folder is part of its parent', async () => {
    const { summary, runs } = await index('realruns/tensorboard_sweep');
    expect(summary).toMatchObject({ runs: 6, experiments: 1, problems: 0 });
    expect(runs.map((r) => r.name)).toEqual(['lr0.001_bs32', 'lr0.003_bs64', 'lr0.01_bs128', 'lr0.01_bs32', 'lr0.03_bs64', 'lr0.1_bs32']);
    expect(runs.every((r) => r.format === 'tensorboard' && r.experiment === 'tensorboard_sweep')).toBe(true);
  });

  it('puts the hparams params and hparam/* metrics on the parent run', async () => {
    const { runs } = await index('realruns/tensorboard_sweep');
    const run = runs.find((r) => r.name === 'lr0.01_bs128')!;
    expect(run.params).toEqual({ lr: '0.01', batch_size: '128', optimizer: 'sgd' });
    expect(run.metrics['hparam/acc']).toEqual({ last: 0.8650448322296143, min: 0.8650448322296143, max: 0.8650448322296143, lastStep: 0, count: 1 });
    expect(run.metrics['hparam/final_loss']).toMatchObject({ last: 0.4048655033111572, count: 1 });
    expect(runs.find((r) => r.name === 'lr0.001_bs32')!.params).toEqual({ lr: '0.001', batch_size: '32', optimizer: 'sgd' });
  });

  it('reads scalars exactly, NaN included, with wall times; histograms and text are listed, not metrics', async () => {
    const { runs, core } = await index('realruns/tensorboard_sweep');
    const run = runs.find((r) => r.name === 'lr0.01_bs32')!;
    expect(Object.keys(run.metrics).sort()).toEqual(['accuracy/val', 'hparam/acc', 'hparam/final_loss', 'loss/train']);
    expect(run.metrics['accuracy/val']).toEqual({ last: 0.8289633989334106, min: 0.33433642983436584, max: 0.8289633989334106, lastStep: 280, count: 15 });
    expect(run.metrics['loss/train']).toMatchObject({ min: 0.44929930567741394, max: 1.99699068069458, lastStep: 300, count: 301 });
    const loss = await core.api['metrics.get']({ run: run.id, key: 'loss/train' });
    expect(loss.points[0]).toEqual([0, 1.99699068069458, 1795369584.0633461]);
    expect(loss.points[299]).toEqual([299, 0.4769502282142639, 1795369584.1243212]);
    expect(loss.points[300]).toEqual([300, 'NaN', 1795369584.124387]);
    const detail = await core.api['runs.get']({ id: run.id });
    expect(detail.tags).toEqual({ 'tensorboard.histograms': 'weights (15)', 'tensorboard.text': 'notes/text_summary (1)' });
    expect(detail.startTime).toBe(Math.round(1795369584.062957 * 1000));
    expect(detail.sourceFiles.map((f) => [path.relative(run.path, f.path), f.readOffset]).sort()).toEqual([
      ['1795369584.1246974/events.out.tfevents.1795369584.vm.402.9', 547],
      ['events.out.tfevents.1795369584.vm.402.8', 161745],
    ]);
  });
});

describe('Lightning TensorBoardLogger beside CSVLogger versions (realruns/lightning_project)', () => {
  it('claims the event-file versions, leaves the CSV ones to lightning-csv', async () => {
    const { summary, runs } = await index('realruns/lightning_project');
    expect(summary).toMatchObject({ runs: 8, experiments: 1, problems: 0 }); // one logger folder, one experiment
    const tb = runs.filter((r) => r.format === 'lightning-tensorboard');
    expect(tb.map((r) => r.name)).toEqual(['version_1', 'version_3', 'version_5', 'version_7']);
    expect(runs.filter((r) => r.format === 'lightning-csv').map((r) => r.name)).toEqual(['version_0', 'version_2', 'version_4', 'version_6']);
    expect(new Set(runs.map((r) => r.experiment))).toEqual(new Set(['lightning_logs']));
  });

  it('reads params from hparams.yaml and scalars with wall times', async () => {
    const { runs, core } = await index('realruns/lightning_project');
    const v1 = runs.find((r) => r.name === 'version_1')!;
    expect(v1.params).toEqual({ dropout: '0.1', hidden: '16', lr: '0.01' });
    expect(v1.metrics.val_acc).toEqual({ last: 0.9549999833106995, min: 0.9075000286102295, max: 0.9599999785423279, lastStep: 99, count: 4 });
    expect(v1.metrics.train_loss_step).toEqual({ last: 0.19933374226093292, min: 0.05988738313317299, max: 0.6426303386688232, lastStep: 99, count: 20 });
    expect(v1.metrics.hp_metric).toMatchObject({ last: -1, count: 1 });
    const series = await core.api['metrics.get']({ run: v1.id, key: 'val_acc' });
    expect(series.points).toEqual([
      [24, 0.9075000286102295, 1795369579.6392596], [49, 0.9549999833106995, expect.any(Number)],
      [74, 0.9599999785423279, expect.any(Number)], [99, 0.9549999833106995, 1795369579.9625502],
    ]);
    const v7 = runs.find((r) => r.name === 'version_7')!;
    expect(v7.params).toEqual({ dropout: '0.1', hidden: '32', lr: '0.1' });
    expect(v7.metrics.val_acc).toMatchObject({ last: 0.9375, min: 0.9275000095367432, count: 4 });
  });

  it('falls back to the hparams plugin copy in the event file when hparams.yaml is missing', async () => {
    const { runs } = await index('realruns/lightning_project', (dir) => fs.rmSync(path.join(dir, 'lightning_logs', 'version_5', 'hparams.yaml')));
    const v5 = runs.find((r) => r.name === 'version_5')!;
    expect(v5.format).toBe('lightning-tensorboard');
    expect(v5.params).toEqual({ dropout: '0.1', hidden: '64', lr: '0.003' });
  });

  it('lists checkpoints as Lightning models', async () => {
    const { runs, core } = await index('realruns/lightning_project', (dir) => {
      const ckpt = path.join(dir, 'lightning_logs', 'version_3', 'checkpoints');
      fs.mkdirSync(ckpt);
      fs.writeFileSync(path.join(ckpt, 'epoch=3-step=100.ckpt'), Buffer.alloc(1234));
    });
    const v3 = runs.find((r) => r.name === 'version_3')!;
    const models = listModels(core.db).filter((m) => m.runIds.includes(v3.id));
    expect(models).toEqual([
      expect.objectContaining({ name: 'version_3/epoch=3-step=100', format: 'lightning-checkpoint', framework: 'pytorch-lightning', sizeBytes: 1234 }),
    ]);
  });
});

describe('tensorboardX files (public/tfevents/cht619…)', () => {
  const FIXTURE = 'public/tfevents/cht619__tensorboardX-mnist__tensorboardx-2020-runs';
  const CUT = 'events.out.tfevents.1600154935.yca-2662-2';

  it('merges 13 files (six empty) and keeps repeated steps', async () => {
    const { runs, core } = await index(FIXTURE, (dir) => setAge(path.join(dir, 'runs', 'classifier_mnist_0915', CUT), 60_000));
    expect(runs.map((r) => [r.name, r.experiment])).toEqual([['classifier_mnist_0915', 'runs'], ['scalar_example_0914', 'runs']]);
    const run = runs[0];
    expect(run.metrics.batch_loss).toEqual({ last: 1.7011725902557373, min: 1.4612112045288086, max: 2.304518699645996, lastStep: 9, count: 60 });
    expect(run.metrics.Average).toEqual({ last: 0.7847999930381775, min: 0.29789999127388, max: 0.9053000211715698, lastStep: 9, count: 30 });
    const series = await core.api['metrics.get']({ run: run.id, key: 'batch_loss' });
    expect(series.points.slice(0, 4).map(([s, v]) => [s, v])).toEqual([
      [0, 2.304518699645996], [0, 1.4977524280548096], [0, 1.4883350133895874], [1, 1.5065938234329224],
    ]);
    const detail = await core.api['runs.get']({ id: run.id });
    expect(detail.problems).toEqual([]); // the cut-off file is fresh: its writer may still finish the record
    expect(detail.sourceFiles.find((f) => f.path.endsWith(CUT))!.readOffset).toBe(40);
    expect(detail.tags).toEqual({ 'tensorboard.graphs': 'graph_def (3)' });
    const scalars = runs[1];
    expect(scalars.metrics.my_value_1).toEqual({ last: 81, min: 0, max: 512, lastStep: 9, count: 30 });
    expect(scalars.metrics.my_value_2).toEqual({ last: 512, min: 1, max: 512, lastStep: 9, count: 10 });
  });

  it('reports the record without its CRC once the file is stale, keeping the records before it', async () => {
    const { runs, core } = await index(FIXTURE, (dir) => setAge(path.join(dir, 'runs', 'classifier_mnist_0915', CUT), 3_600_000));
    const problems = await core.api['problems.list']({});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ format: 'tensorboard' });
    expect(problems[0].path.endsWith(CUT)).toBe(true);
    expect(problems[0].message).toMatch(/last record is cut off at byte 40 \(8441 of 8445 bytes\).*the 1 records before it were read/);
    expect(runs[0].metrics.batch_loss.count).toBe(60);
  });
});

describe('TF2 Object Detection API tensor scalars (public/tfevents/rajcreo…)', () => {
  it('decodes float tensors under the scalars plugin and lists images', async () => {
    const { runs, core, summary } = await index('public/tfevents/rajcreo__connector_detection_tf_model__tf2-od-api-tensor-scalars');
    expect(summary).toMatchObject({ runs: 1, problems: 0 });
    const run = runs[0];
    expect([run.name, run.experiment]).toEqual(['train', 'my_ssd_mobnet']);
    expect(Object.keys(run.metrics).sort()).toEqual([
      'Loss/classification_loss', 'Loss/localization_loss', 'Loss/regularization_loss', 'Loss/total_loss', 'learning_rate', 'steps_per_sec',
    ]);
    expect(run.metrics['Loss/total_loss']).toEqual({ last: 0.22516795992851257, min: 0.20724022388458252, max: 1.8739323616027832, lastStep: 2000, count: 20 });
    expect(run.metrics.learning_rate).toMatchObject({ last: 0.009989726357161999, min: 0.0019000000320374966, count: 20 });
    const series = await core.api['metrics.get']({ run: run.id, key: 'Loss/total_loss' });
    expect(series.points[0]).toEqual([100, 1.8739323616027832, 1643984034.502599]);
    expect(series.points.map((p) => p[0])).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 100));
    const detail = await core.api['runs.get']({ id: run.id });
    expect(detail.tags).toEqual({ 'tensorboard.images': 'train_input_images (20)' });
    expect(detail.startTime).toBe(1643983893000);
  });
});

describe('Keras TensorBoard callback', () => {
  it('TF2: train/ and validation/ make one run with prefixed metrics (public/keras/snehankekre…)', async () => {
    const { runs, summary, core } = await index('public/keras/snehankekre__streamlit-tensorboard__tensorboard-callback-v2-train-validation');
    expect(summary).toMatchObject({ runs: 1, problems: 0 });
    const run = runs[0];
    expect([run.name, run.experiment, run.format]).toEqual(['20210613-221927', 'fit', 'tensorboard']);
    expect(Object.keys(run.metrics).sort()).toEqual([
      'train/epoch_accuracy', 'train/epoch_loss', 'validation/epoch_accuracy', 'validation/epoch_loss',
      'validation/evaluation_accuracy_vs_iterations', 'validation/evaluation_loss_vs_iterations',
    ]);
    expect(run.metrics['train/epoch_loss']).toEqual({ last: 0.042584192007780075, min: 0.042584192007780075, max: 0.21837720274925232, lastStep: 4, count: 5 });
    expect(run.metrics['validation/epoch_accuracy']).toEqual({ last: 0.9757999777793884, min: 0.9671000242233276, max: 0.9785000085830688, lastStep: 4, count: 5 });
    expect(run.metrics['validation/evaluation_loss_vs_iterations']).toMatchObject({ lastStep: 9375, count: 5 });
    const detail = await core.api['runs.get']({ id: run.id });
    expect(detail.tags['tensorboard.histograms']).toBe('train/dense/bias_0 (5), train/dense/kernel_0 (5), train/dense_1/bias_0 (5), train/dense_1/kernel_0 (5)');
    expect(detail.tags['tensorboard.graphs']).toBe('train/batch_2 (1), train/graph_def (1), train/keras (1)');
    expect(detail.startTime).toBe(1623602967000);
  });

  it('TF1: two files of one log dir merged in write order (public/keras/NASA-NeMO-Net…)', async () => {
    const { runs, summary } = await index('public/keras/NASA-NeMO-Net__NeMO-Net__csvlogger-semicolon-hyperas-tf1-tensorboard');
    expect(summary).toMatchObject({ runs: 1, problems: 0 });
    const run = runs[0];
    expect([run.name, run.experiment]).toEqual(['1', 'mnist_example']);
    expect(run.metrics.loss).toEqual({ last: 2.545562744140625, min: 2.545562744140625, max: 14.471094131469727, lastStep: 2, count: 6 });
    expect(run.metrics.acc).toMatchObject({ last: 0.09825000166893005, count: 6 });
    expect(run.metrics.val_acc).toMatchObject({ last: 0.0934000015258789, max: 0.10100000351667404, count: 6 });
  });
});

describe('torch add_scalars sub-folders (public/hydra/stavrosb00…/outputs/2024-05-14/15-55-45/logger)', () => {
  it('merges the 33 one-series folders into the run as main_tag/key', async () => {
    const { runs, summary } = await index(
      'public/hydra/stavrosb00__FedLearningFoodClassification__flower-outputs-multirun-tensorboard/outputs/2024-05-14/15-55-45/logger',
    );
    expect(summary).toMatchObject({ runs: 1, problems: 0 });
    const run = runs[0];
    expect(run.name).toBe('logger');
    expect(Object.keys(run.metrics)).toHaveLength(11 + 33);
    expect(run.metrics['server/kNN_accuracy']).toEqual({ last: 27.15999984741211, min: 20.479999542236328, max: 30.280000686645508, lastStep: 4, count: 5 });
    expect(run.metrics['client_fit_progress_0/losses/d_loss']).toEqual({ last: -0.5754488110542297, min: -0.6005186438560486, max: -0.4098087549209595, lastStep: 4, count: 4 });
    expect(run.metrics['client_fit_progress_0/losses/cka_loss']).toMatchObject({ last: 0.3749091625213623, min: 0, count: 4 });
    expect(run.metrics['client_fit_progress_0/losses/loss']).toMatchObject({ last: -0.20053966343402863, min: -0.556178092956543, count: 4 });
  });
});

describe('beside the registered adapters', () => {
  it('claims no folder another adapter reads (HF Trainer runs/, Lightning CSV versions) and duplicates no run', async () => {
    const mine = new Set(['tensorboard', 'lightning-tensorboard']);
    const others = registered.filter((a) => !mine.has(a.format));
    // The catch-all `generic` stays last, as in the registry.
    const all = [...others.filter((a) => a.format !== 'generic'), lightningTensorboard, tensorboard, ...others.filter((a) => a.format === 'generic')];
    const dir = copyFixture('realruns');
    const core = await tempCore();
    await core.indexFolders([dir], { adapters: all });
    const runs = (await core.api['runs.list']({ limit: 500 })).rows;
    expect(new Set(runs.map((r) => r.path)).size).toBe(runs.length);
    const tb = runs.filter((r) => mine.has(r.format)).map((r) => path.relative(dir, r.path)).sort();
    expect(tb).toEqual([
      'lightning_project/lightning_logs/version_1', 'lightning_project/lightning_logs/version_3',
      'lightning_project/lightning_logs/version_5', 'lightning_project/lightning_logs/version_7',
      'tensorboard_sweep/lr0.001_bs32', 'tensorboard_sweep/lr0.003_bs64', 'tensorboard_sweep/lr0.01_bs128',
      'tensorboard_sweep/lr0.01_bs32', 'tensorboard_sweep/lr0.03_bs64', 'tensorboard_sweep/lr0.1_bs32',
    ]);
  });
});
