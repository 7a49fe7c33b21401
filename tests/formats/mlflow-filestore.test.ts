import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listModelSummaries as listModels } from '../../src/catalog/queries/models.js';
import { mlflowFileStore } from '../../src/formats/mlflow/index.js';
import { copyFixture, tempCore } from '../helpers.js';

const IRIS = 'public/mlflow-iris';
const TRASH = 'public/mlflow/fkodom__ncsn__filestore-mlflow1.8-lightning-trash-steps';
const V36 = 'public/mlflow/2025-2-fundamentos__LAB-12-prediccion-del-default-usando-mlp-yunarvaez__filestore-mlflow3.6-logged-models';
const V05 = 'public/mlflow/AICoE__experiment-tracking__filestore-mlflow0.5-experiment-only';

async function index(dir: string) {
  const core = await tempCore();
  const summary = await core.indexFolders([dir], { adapters: [mlflowFileStore] });
  const runs = (await core.api['runs.list']({ limit: 500, sort: { column: 'name', direction: 'asc' } })).rows;
  const byId = (id: string) => runs.find((r) => r.path.endsWith(id))!;
  return { core, summary, runs, byId };
}

describe('MLflow file store: Iris (MLflow 2.16, logged models, registry)', () => {
  it('finds the 13 runs of experiment MLOps_CA_2 and none in the empty Default experiment', async () => {
    const { summary, runs } = await index(copyFixture(IRIS));
    expect(summary).toMatchObject({ runs: 13, experiments: 1, problems: 0 });
    expect(new Set(runs.map((r) => r.experiment))).toEqual(new Set(['MLOps_CA_2']));
    expect(runs.every((r) => r.format === 'mlflow' && r.status === 'finished')).toBe(true);
  });

  it('reads a run: name, times, git commit, tags, metrics with wall times', async () => {
    const { core, byId } = await index(copyFixture(IRIS));
    const run = byId('8595f7931d3943f4a7ee038c1728c2c3');
    expect(run.name).toBe('SVM_kernel');
    expect(run.startTime).toBe(1731484585579);
    expect(run.params).toEqual({});
    expect(run.metrics.metric_3).toEqual({ last: 0.005040884017944336, min: 0.005040884017944336, max: 0.005040884017944336, lastStep: 0, count: 1 });
    expect(Object.keys(run.metrics).sort()).toEqual(['metric_0', 'metric_1', 'metric_2', 'metric_3']);
    const detail = await core.api['runs.get']({ id: run.id });
    expect(detail.tags).toMatchObject({ 'mlflow.runName': 'SVM_kernel', 'mlflow.user': 'muskaanjain', 'mlflow.source.type': 'LOCAL' });
    expect(detail.tags['labdesk.lifecycle']).toBeUndefined();
    const series = await core.api['metrics.get']({ run: run.id, key: 'metric_0' });
    expect(series.points).toEqual([[0, 0.9666666666666667, 1731484585.601]]);
  });

  it('lists each MLmodel folder as a logged model and SVMClassifier v1 as linked to its run', async () => {
    const { core, runs, byId } = await index(copyFixture(IRIS));
    const models = listModels(core.db);
    expect(models.filter((m) => m.format === 'mlflow-model')).toHaveLength(13);
    const run = byId('8595f7931d3943f4a7ee038c1728c2c3');
    const mine = models.filter((m) => m.runIds.includes(run.id));
    expect(mine.map((m) => [m.name, m.format, m.version, m.framework, m.sizeBytes])).toEqual([
      ['SVM_kernel/model', 'mlflow-model', null, 'sklearn', 4557],
      ['SVMClassifier', 'mlflow-registered-model', '1', 'sklearn', 4557],
    ]);
    expect(mine[1].path).toMatch(/mlruns[\\/]models[\\/]SVMClassifier[\\/]version-1$/);
    expect(runs.length).toBe(13);
  });
});

describe('MLflow file store: MLflow 1.x with .trash and long step histories', () => {
  it('indexes the 15 runs, tags the 13 deleted ones and names both experiments from meta.yaml', async () => {
    const { core, summary, runs } = await index(copyFixture(TRASH));
    expect(summary).toMatchObject({ runs: 15, experiments: 2, problems: 0 });
    expect(new Set(runs.map((r) => r.experiment))).toEqual(new Set(['4real', 'ralphie']));
    const deleted: string[] = [];
    for (const r of runs) {
      const d = await core.api['runs.get']({ id: r.id });
      if (d.tags['labdesk.lifecycle'] === 'deleted') deleted.push(r.experiment);
    }
    // 10 runs of the trashed experiment (its meta.yaml still says active) + 3 soft-deleted in 4real.
    expect(deleted.filter((e) => e === 'ralphie')).toHaveLength(10);
    expect(deleted.filter((e) => e === '4real')).toHaveLength(3);
    const points = runs.reduce((n, r) => n + Object.values(r.metrics).reduce((m, s) => m + s.count, 0), 0);
    expect(points).toBe(7200);
  });

  it('keeps every step of an 800-line history', async () => {
    const { core, byId } = await index(copyFixture(TRASH));
    const run = byId('238d4e9c1f2e4df896debfc300e0139f');
    expect(run.name).toBe('3');
    expect(run.params).toEqual({ batch_size: '150', epochs: '20', lr: '0.0025', optimizer: 'Adam' });
    expect(run.metrics.train_loss).toEqual({ last: 0.006692229304462671, min: 0.005655952263623476, max: 0.11098571121692657, lastStep: 7990, count: 800 });
    expect(run.metrics.epoch).toEqual({ last: 19, min: 0, max: 19, lastStep: 7990, count: 800 });
    const detail = await core.api['runs.get']({ id: run.id });
    expect(detail.tags['mlflow.user']).toBe('Frank Odom');
    const series = await core.api['metrics.get']({ run: run.id, key: 'train_loss' });
    expect(series.points[0]).toEqual([0, 0.11098571121692657, 1590436819.362]);
  });
});

describe('MLflow file store: non-finite values', () => {
  it('reads nan and inf as Python writes them', async () => {
    const dir = copyFixture(TRASH);
    const file = path.join(dir, 'mlruns/1/238d4e9c1f2e4df896debfc300e0139f/metrics/train_loss');
    fs.appendFileSync(file, '1590436941000 nan 8000\n1590436941001 inf 8010\n1590436941002 -inf 8020\n');
    const { core, byId } = await index(dir);
    const run = byId('238d4e9c1f2e4df896debfc300e0139f');
    const series = await core.api['metrics.get']({ run: run.id, key: 'train_loss' });
    expect(series.points.slice(-3)).toEqual([[8000, 'NaN', 1590436941], [8010, 'Infinity', 1590436941.001], [8020, '-Infinity', 1590436941.002]]);
    expect(run.metrics.train_loss).toMatchObject({ count: 803, min: '-Infinity', max: 'Infinity', lastStep: 8020 });
  });
});

describe('MLflow file store: MLflow 3.6 (logged models, every metric line twice)', () => {
  it('reads the failed run and the finished one with its params', async () => {
    const { runs, byId } = await index(copyFixture(V36));
    expect(runs.map((r) => [r.name, r.status, r.experiment])).toEqual([
      ['caring-croc-37', 'finished', 'Default'],
      ['clean-boar-921', 'failed', 'Default'],
    ]);
    const run = byId('53e605a8319242929a3a641e20f8ed54');
    expect(run.params).toEqual({
      model__activation: 'relu', model__alpha: '0.353', model__hidden_layer_sizes: '(35, 35, 30, 30, 30, 30, 30, 30)',
      model__learning_rate_init: '0.0005', model__solver: 'adam', pca__n_components: '20', select_k_best__k: '20',
    });
    expect(byId('3c18d0cbfa104faea8044aa1985e973d').metrics).toEqual({});
  });

  it('keeps one of each exact duplicate line', async () => {
    const dir = copyFixture(V36);
    const file = path.join(dir, 'mlruns/0/53e605a8319242929a3a641e20f8ed54/metrics/recall');
    expect(fs.readFileSync(file, 'utf8')).toBe('1764487924606 0.36613756613756615 0\n'.repeat(2));
    const { byId } = await index(dir);
    expect(byId('53e605a8319242929a3a641e20f8ed54').metrics.recall).toEqual({ last: 0.36613756613756615, min: 0.36613756613756615, max: 0.36613756613756615, lastStep: 0, count: 1 });
  });

  it('a resumed run that logs a step again keeps both points', async () => {
    const dir = copyFixture(V36);
    const file = path.join(dir, 'mlruns/0/53e605a8319242929a3a641e20f8ed54/metrics/recall');
    fs.appendFileSync(file, '1764487999000 0.5 0\n');
    const { byId } = await index(dir);
    expect(byId('53e605a8319242929a3a641e20f8ed54').metrics.recall).toEqual({ last: 0.5, min: 0.36613756613756615, max: 0.5, lastStep: 0, count: 2 });
  });

  it('links the m-* logged model to the run named in its outputs', async () => {
    const { core, byId } = await index(copyFixture(V36));
    const models = listModels(core.db);
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({
      name: 'caring-croc-37/model', format: 'mlflow-model', framework: 'sklearn', version: null, sizeBytes: 268728,
      runIds: [byId('53e605a8319242929a3a641e20f8ed54').id],
    });
    expect(models[0].path).toMatch(/models[\\/]m-cca8860bf5364abea4197b43e16a2087[\\/]artifacts$/);
  });
});

describe('MLflow file store: a 0.5-era experiment with no runs', () => {
  it('invents no run and reports nothing', async () => {
    const { summary } = await index(copyFixture(V05));
    expect(summary).toMatchObject({ runs: 0, experiments: 0, models: 0, problems: 0 });
  });
});

describe('damaged MLflow files become problems, never crashes', () => {
  const RUN = 'mlruns/1/238d4e9c1f2e4df896debfc300e0139f';
  const damage: [string, string, (file: string) => void, RegExp, (m: Record<string, { count: number }>) => void][] = [
    ['a garbage line', 'metrics/train_loss', (f) => fs.appendFileSync(f, 'not a metric line\n1590436940999 0.5 8000\n'), /1 line\(s\) are not "timestamp value step", e\.g\. "not a metric line" at line 801/,
      (m) => expect(m.train_loss.count).toBe(801)],
    ['a truncated last line', 'metrics/train_loss', (f) => fs.truncateSync(f, fs.statSync(f).size - 10), /last line is cut off/,
      (m) => expect(m.train_loss.count).toBe(799)],
    ['binary garbage', 'metrics/epoch', (f) => fs.writeFileSync(f, Buffer.from([0x89, 0x50, 0, 0, 0xff, 0x0a])), /binary data/,
      (m) => expect(m.epoch).toBeUndefined()],
    ['a meta.yaml that is not YAML', 'meta.yaml', (f) => fs.writeFileSync(f, 'status: [3\nstart_time: {{{\n'), /run meta\.yaml is not valid YAML/,
      (m) => expect(m.train_loss.count).toBe(800)],
  ];
  for (const [what, rel, harm, message, check] of damage) {
    it(`${what}: one problem, the run and its neighbours kept`, async () => {
      const dir = copyFixture(TRASH);
      const file = path.join(dir, RUN, rel);
      harm(file);
      const { core, summary, byId } = await index(dir);
      expect(summary.runs).toBe(15);
      const problems = await core.api['problems.list']({});
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ path: file, format: 'mlflow' });
      expect(problems[0].message).toMatch(message);
      const run = byId('238d4e9c1f2e4df896debfc300e0139f');
      expect(run.params.lr).toBe('0.0025');
      check(run.metrics);
      expect(byId('8e71a1ef74a8461bbb0d4bb6e78ab3ea').metrics.train_loss.count).toBe(400);
    });
  }

  it('a run whose meta.yaml is broken keeps its name from the mlflow.runName tag', async () => {
    const dir = copyFixture(TRASH);
    fs.writeFileSync(path.join(dir, RUN, 'meta.yaml'), '\u0000\u0001garbage');
    const { byId, core } = await index(dir);
    const run = byId('238d4e9c1f2e4df896debfc300e0139f');
    expect(run.name).toBe('3');
    expect((await core.api['problems.list']({}))[0].message).toMatch(/binary data/);
  });
});
