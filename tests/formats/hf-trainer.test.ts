import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listModelSummaries as listModels } from '../../src/catalog/queries/models.js';
import { hfTrainer } from '../../src/formats/hf-trainer/index.js';
import { copyFixture, tempCore } from '../helpers.js';

const FIXTURE = 'realruns/hf_trainer';

async function indexCopy(harm?: (dir: string) => void) {
  const root = copyFixture(FIXTURE);
  harm?.(path.join(root, 'bert-tiny-cls'));
  const core = await tempCore();
  const summary = await core.indexFolders([root], { adapters: [hfTrainer] });
  const runs = (await core.api['runs.list']({ limit: 100 })).rows;
  const problems = await core.api['problems.list']({});
  return { root, dir: path.join(root, 'bert-tiny-cls'), core, summary, runs, problems };
}

describe('Hugging Face Trainer output dir (real fixture)', () => {
  it('is one finished run; its runs/ TensorBoard files are artifacts, not a second run', async () => {
    const { summary, runs, problems, core } = await indexCopy();
    expect(problems).toEqual([]);
    expect(summary).toMatchObject({ runs: 1, experiments: 1, models: 3, problems: 0 });
    const run = runs[0];
    expect(run).toMatchObject({ name: 'bert-tiny-cls', experiment: 'hf_trainer', format: 'hf-trainer', status: 'finished' });
    // 1795369582 is the Unix time in the first event file's name.
    expect(run.startTime).toBe(1795369582000);
    const detail = await core.api['runs.get']({ id: run.id });
    const kinds = detail.artifacts.map((a) => `${a.kind} ${path.basename(a.path)}`).sort();
    expect(kinds).toEqual([
      'checkpoint checkpoint-64', 'checkpoint checkpoint-96', 'model final',
      'tensorboard-events events.out.tfevents.1795369582.vm.402.4', 'tensorboard-events events.out.tfevents.1795369583.vm.402.5',
      'training-args-pickle training_args.bin',
    ]);
  });

  it('reads log_history into series keyed by step (values from python3 json over trainer_state.json)', async () => {
    const { runs, core } = await indexCopy();
    const m = runs[0].metrics;
    expect(m.loss).toEqual({ count: 19, last: 0.3735433340072632, lastStep: 95, min: 0.3735433340072632, max: 0.691598653793335 });
    // The final evaluate() repeats step 96: both entries are kept, in file order.
    expect(m.eval_loss).toEqual({ count: 4, last: 0.37676841020584106, lastStep: 96, min: 0.37676841020584106, max: 0.6551240086555481 });
    expect(m.eval_accuracy).toEqual({ count: 4, last: 0.9921875, lastStep: 96, min: 0.90234375, max: 0.9921875 });
    expect(m.learning_rate).toEqual({ count: 19, last: 1.0416666666666666e-5, lastStep: 95, min: 1.0416666666666666e-5, max: 0.0004791666666666667 });
    expect(m.epoch).toMatchObject({ count: 24, last: 3, lastStep: 96 });
    expect(m.train_loss).toEqual({ count: 1, last: 0.5577473087857167, lastStep: 96, min: 0.5577473087857167, max: 0.5577473087857167 });
    const series = await core.api['metrics.get']({ run: runs[0].id, key: 'eval_accuracy' });
    expect(series.points.map(([s, v]) => [s, v])).toEqual([[32, 0.90234375], [64, 0.9765625], [96, 0.9921875], [96, 0.9921875]]);
  });

  it('takes params from the model config.json (as model.*) and the TrainerState setup; tags the best checkpoint', async () => {
    const { runs, core } = await indexCopy();
    const p = runs[0].params;
    expect(p['model.hidden_size']).toBe('32');
    expect(p['model.layer_norm_eps']).toBe('1e-12');
    expect(p['model.architectures']).toBe('["BertForSequenceClassification"]');
    expect(p['model.model_type']).toBe('bert');
    expect(Object.keys(p).filter((k) => k.startsWith('model.'))).toHaveLength(25);
    expect(p['trainer.train_batch_size']).toBe('32');
    expect(p['trainer.max_steps']).toBe('96');
    const detail = await core.api['runs.get']({ id: runs[0].id });
    expect(detail.tags).toMatchObject({ best_metric: '0.9921875', best_model_checkpoint: 'checkpoint-96', global_step: '96' });
  });

  it('lists both checkpoints and the final model with their folder sizes', async () => {
    const { core, runs } = await indexCopy();
    const models = listModels(core.db).filter((m) => m.runIds.includes(runs[0].id)).sort((a, b) => a.name.localeCompare(b.name));
    expect(models.map((m) => [m.name, m.format, m.framework, m.sizeBytes])).toEqual([
      ['bert-tiny-cls/checkpoint-64', 'hf-checkpoint', 'transformers', 386631],
      ['bert-tiny-cls/checkpoint-96', 'hf-checkpoint', 'transformers', 388063],
      ['bert-tiny-cls/final', 'hf-model', 'transformers', 117461],
    ]);
  });
});

describe('damaged Hugging Face output dirs', () => {
  it('a truncated trainer_state.json is a problem; the newest checkpoint\'s state stands in for it', async () => {
    const { runs, problems } = await indexCopy((dir) => {
      const f = path.join(dir, 'trainer_state.json');
      fs.truncateSync(f, 1200);
    });
    expect(runs).toHaveLength(1);
    expect(problems).toHaveLength(1);
    expect(problems[0].path.endsWith('trainer_state.json')).toBe(true);
    expect(problems[0].message).toMatch(/not valid JSON/);
    expect(runs[0].params['model.hidden_size']).toBe('32');
    // checkpoint-96/trainer_state.json lacks the final evaluate() and the training summary...
    expect(runs[0].metrics.eval_accuracy).toEqual({ count: 3, last: 0.9921875, lastStep: 96, min: 0.90234375, max: 0.9921875 });
    // ...which all_results.json adds at the checkpoint's global step.
    expect(runs[0].metrics.train_loss).toEqual({ count: 1, last: 0.5577473087857167, lastStep: 96, min: 0.5577473087857167, max: 0.5577473087857167 });
  });

  it('without a final trainer_state.json the newest checkpoint is read; a NaN loss is a value', async () => {
    const { runs, problems, core, root, dir } = await indexCopy((dir) => {
      fs.rmSync(path.join(dir, 'trainer_state.json'));
      for (const f of ['all_results.json', 'train_results.json', 'eval_results.json']) fs.rmSync(path.join(dir, f));
      const ck = path.join(dir, 'checkpoint-96', 'trainer_state.json');
      // Python's json.dump writes a diverged loss as a bare NaN token.
      fs.writeFileSync(ck, fs.readFileSync(ck, 'utf8').replace('"loss": 0.5052523612976074', '"loss": NaN'));
    });
    expect(problems).toEqual([]);
    // No final state: still training or stopped; only seeing the files change tells which.
    expect(runs[0].status).toBe('unknown');
    // checkpoint-96's log_history: 19 loss entries (one now NaN, left out of min/max), 3 evaluations.
    expect(runs[0].metrics.loss).toEqual({ count: 19, last: 0.3735433340072632, lastStep: 95, min: 0.3735433340072632, max: 0.691598653793335 });
    expect(runs[0].metrics.eval_accuracy).toEqual({ count: 3, last: 0.9921875, lastStep: 96, min: 0.90234375, max: 0.9921875 });
    const series = await core.api['metrics.get']({ run: runs[0].id, key: 'loss' });
    expect(series.points.find(([s]) => s === 65)?.[1]).toBe('NaN');
    // The newest checkpoint's state is rewritten: Labdesk has now seen the run being written.
    fs.appendFileSync(path.join(dir, 'checkpoint-96', 'trainer_state.json'), '\n');
    await core.indexFolders([root], { adapters: [hfTrainer] });
    expect((await core.api['runs.list']({})).rows[0].status).toBe('running');
  });
});
