import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hydra } from '../../src/formats/hydra/index.js';
import { copyFixture, tempCore } from '../helpers.js';

const FIXTURE = 'public/hydra/stavrosb00__FedLearningFoodClassification__flower-outputs-multirun-tensorboard';

async function indexCopy(harm?: (dir: string) => void) {
  const root = copyFixture(FIXTURE);
  harm?.(root);
  const core = await tempCore();
  const summary = await core.indexFolders([root], { adapters: [hydra] });
  const runs = (await core.api['runs.list']({ limit: 100, sort: { column: 'name', direction: 'asc' } })).rows;
  const at = (rel: string) => runs.find((r) => r.path === path.join(root, rel))!;
  return { root, core, summary, runs, at, problems: await core.api['problems.list']({}) };
}

// Expected values come from python3 (PyYAML over .hydra/*.yaml, csv over the job CSVs).
describe('Hydra outputs and multirun sweeps (real fixture)', () => {
  it('every job folder is a run; each sweep is one experiment, single runs share outputs/', async () => {
    const { summary, runs, problems } = await indexCopy();
    expect(problems).toEqual([]);
    expect(summary).toMatchObject({ runs: 26, experiments: 4, problems: 0 });
    const perExperiment: Record<string, number> = {};
    for (const r of runs) perExperiment[r.experiment] = (perExperiment[r.experiment] ?? 0) + 1;
    expect(perExperiment).toEqual({
      outputs: 3, '2024-03-14/11-56-42': 2, '2024-02-26/16-40-30': 18, strategy_fedavg_var_local_epochs_False: 3,
    });
    expect(runs.filter((r) => r.experiment === 'outputs').map((r) => r.name)).toEqual([
      '2024-02-08/21-15-26', '2024-05-14/15-55-45', '2024-05-24/09-40-56',
    ]);
  });

  it('params come from .hydra/config.yaml as written, interpolations unresolved; overrides are a tag', async () => {
    const { at, core } = await indexCopy();
    const single = at('outputs/2024-02-08/21-15-26');
    expect(Object.keys(single.params)).toHaveLength(21);
    expect(single.params).toMatchObject({
      num_rounds: '3', num_clients: '100', 'client_resources.num_gpus': '0.0', 'config_fit.lr': '0.01',
      'model._target_': 'model.ResNet18', datapath: 'D:/DesktopC/Datasets/data/', NIID: 'false',
    });
    const job = at('multirun/2024-03-14/11-56-42/1');
    expect(Object.keys(job.params)).toHaveLength(34);
    const detail = await core.api['runs.get']({ id: job.id });
    expect(detail.tags).toMatchObject({
      'hydra.overrides': 'strategy=scaffold optimizer=scaffold partitioning=dirichlet num_rounds=50 num_classes=4 num_clients=10 C_fraction=0.5',
      'hydra.job_name': 'main', 'hydra.mode': 'MULTIRUN', 'hydra.job_num': '1', 'hydra.version': '1.3.2',
    });
    const none = await core.api['runs.get']({ id: single.id });
    expect(none.tags['hydra.overrides']).toBe('');
  });

  it('reads the job CSV beside .hydra/, round as the step, every appended row kept', async () => {
    const { at } = await indexCopy();
    // 150 rounds then rounds 1-50 again from a warm start; the file has no final line end.
    const long = at('outputs/2024-05-24/09-40-56');
    expect(long.metrics.test_accuracy).toEqual({ count: 200, last: 42.32, lastStep: 50, min: 23.96, max: 42.32 });
    expect(long.metrics.train_loss).toEqual({ count: 200, last: -0.8687873276797208, lastStep: 50, min: -0.8724212147972801, max: -0.14405410520055079 });
    const job0 = at('multirun/2024-03-14/11-56-42/0');
    expect(job0.metrics.test_accuracy).toEqual({ count: 50, last: 60.2734375, lastStep: 50, min: 45.546875, max: 76.11328125 });
    expect(job0.metrics.mean_diff_acc.last).toBe(-5.684341886080802e-15);
    expect(at('multirun/strategy_fedavg_var_local_epochs_False/4').metrics.test_loss).toEqual({
      count: 3, last: 0.021042417407035826, lastStep: 3, min: 0.021042417407035826, max: 0.02401622486114502,
    });
    // The aborted job and the sweep with empty logs wrote no CSV: params only, and no failure inferred.
    expect(at('multirun/2024-03-14/11-56-42/1').metrics).toEqual({});
    expect(at('multirun/2024-03-14/11-56-42/1').status).toBe('finished');
  });

  it('lists results.pkl (never unpickled) and plots as artifacts', async () => {
    const { at, core } = await indexCopy();
    const detail = await core.api['runs.get']({ id: at('outputs/2024-02-08/21-15-26').id });
    expect(detail.artifacts.map((a) => [path.basename(a.path), a.kind]).sort()).toEqual([
      ['centralized_metricsfedavg_varEpoch_iid_balanced_Seed=2024_C=100_B=64_E=1_R=3.png', 'image'],
      ['results.pkl', 'pickle'],
    ]);
  });
});

describe('damaged or failed Hydra jobs', () => {
  it('a traceback in <job name>.log marks the job failed', async () => {
    const { at } = await indexCopy((root) => {
      const log = path.join(root, 'multirun/2024-03-14/11-56-42/1/main.log');
      fs.appendFileSync(log, 'Traceback (most recent call last):\n  File "main.py", line 80, in main\nRuntimeError: CUDA out of memory\n');
    });
    expect(at('multirun/2024-03-14/11-56-42/1').status).toBe('failed');
    expect(at('multirun/2024-03-14/11-56-42/0').status).toBe('finished');
  });

  it('a garbage config.yaml is a problem; the job keeps its overrides and metrics', async () => {
    const { at, problems, runs, core } = await indexCopy((root) => {
      fs.writeFileSync(path.join(root, 'outputs/2024-02-08/21-15-26/.hydra/config.yaml'), 'num_rounds: [3\n  : :\n\tbad');
      fs.writeFileSync(path.join(root, 'outputs/2024-05-14/15-55-45/.hydra/config.yaml'), Buffer.from([0x89, 0x50, 0, 0xff]));
    });
    expect(runs).toHaveLength(26);
    expect(problems.map((p) => path.relative(path.dirname(path.dirname(p.path)), p.path))).toEqual([
      path.join('.hydra', 'config.yaml'), path.join('.hydra', 'config.yaml'),
    ]);
    expect(problems.map((p) => p.message).sort()).toEqual([
      expect.stringMatching(/^config\.yaml is not valid YAML: .* at line 2, column \d+ \(and \d+ more errors\); the settings before it were kept$/),
      'config.yaml: binary data where text was expected',
    ]);
    const run = at('outputs/2024-02-08/21-15-26');
    expect(run.metrics.test_accuracy).toMatchObject({ count: 3, last: 25.01953125 });
    expect((await core.api['runs.get']({ id: run.id })).tags['hydra.job_name']).toBe('main');
  });
});
