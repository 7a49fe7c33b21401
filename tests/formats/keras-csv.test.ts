import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kerasCsv } from '../../src/formats/keras-csv/index.js';
import { copyFixture, tempCore } from '../helpers.js';

const AI4MARS = 'public/keras/Lidbey__AI4Mars__csvlogger-tf2.9-append-mode';
const NEMO = 'public/keras/NASA-NeMO-Net__NeMO-Net__csvlogger-semicolon-hyperas-tf1-tensorboard';

async function indexCopy(fixture: string, harm?: (dir: string) => void) {
  const root = copyFixture(fixture);
  harm?.(root);
  const core = await tempCore();
  const summary = await core.indexFolders([root], { adapters: [kerasCsv] });
  const runs = (await core.api['runs.list']({ limit: 100, sort: { column: 'name', direction: 'asc' } })).rows;
  const byName = (name: string) => runs.find((r) => r.name === name)!;
  return { root, core, summary, runs, byName, problems: await core.api['problems.list']({}) };
}

// Expected values come from python3 over the same files (lines split on \r\r\n, separator from the
// header, merge-conflict marker lines dropped).
describe('Keras CSVLogger, TF 2.9 (AI4Mars)', () => {
  it('finds each CSV by its header, one run per file, epoch as the step', async () => {
    const { summary, runs, byName, problems } = await indexCopy(AI4MARS);
    expect(problems).toEqual([]);
    expect(summary).toMatchObject({ runs: 3, experiments: 1, problems: 0 });
    expect(runs.map((r) => r.name)).toEqual(['model_history_log', 'model_history_logdef', 'model_history_logweights']);
    expect(runs.every((r) => r.format === 'keras-csv' && r.status === 'finished')).toBe(true);
    expect(runs[0].experiment).toBe('Lidbey__AI4Mars__csvlogger-tf2.9-append-mode');
    expect(byName('model_history_log').metrics.val_loss).toEqual({ count: 20, last: 1.1625185012817383, lastStep: 19, min: 1.1625185012817383, max: 1.2896759510040283 });
    expect(byName('model_history_logdef').metrics.val_loss).toEqual({ count: 82, last: 0.7957007884979248, lastStep: 81, min: 0.4370521306991577, max: 0.8768496513366699 });
    expect(Object.keys(byName('model_history_logweights').metrics).sort()).toEqual([
      'categorical_accuracy', 'loss', 'mean_absolute_error', 'val_categorical_accuracy', 'val_loss', 'val_mean_absolute_error',
    ]);
  });

  it('append mode after a resume keeps every row, repeated epochs included', async () => {
    const { byName, core } = await indexCopy(AI4MARS, (dir) => {
      // What CSVLogger(append=True) writes when fit() is resumed at initial_epoch=5: rows, no header.
      const f = path.join(dir, 'model_history_logweights.csv');
      fs.appendFileSync(f, '5,0.5,0.9,0.2,0.5,0.61,0.2\n6,0.5,0.8,0.2,0.5,0.6,0.2\n');
    });
    const run = byName('model_history_logweights');
    expect(run.metrics.val_loss).toMatchObject({ count: 9, last: 0.6, lastStep: 6, max: 0.61 });
    const series = await core.api['metrics.get']({ run: run.id, key: 'val_loss' });
    expect(series.points.map(([s]) => s)).toEqual([0, 1, 2, 3, 4, 5, 6, 5, 6]);
  });
});

describe('Keras CSVLogger, separator ";" and \\r\\r\\n endings (NeMO-Net)', () => {
  it('reads all seven CSVs and leaves the TensorBoard files alone', async () => {
    const { summary, runs, byName } = await indexCopy(NEMO);
    expect(summary).toMatchObject({ runs: 7, experiments: 2 });
    expect(runs.map((r) => r.name)).toEqual([
      'hyperas_NeMO_AlexNetParallel_log', 'hyperas_NeMO_AlexNet_log', 'hyperas_NeMO_AlexNettest_log',
      'hyperas_NeMO_FCNtest_log', 'hyperas_test_log', 'log', 'log_test',
    ]);
    expect(byName('hyperas_test_log').experiment).toBe('mnist_example');
    expect(byName('log').metrics.val_loss).toEqual({ count: 4, last: 24.6413421631, lastStep: 1, min: 11.9160018921, max: 32.3756306966 });
    expect(byName('log').metrics.lr).toMatchObject({ count: 4 });
    expect(byName('hyperas_NeMO_FCNtest_log').metrics.val_loss).toEqual({ count: 200, last: 20.3766462803, lastStep: 99, min: 1.35692997277, max: 1624.92991638 });
    // 162 hyperas trials appended into one file: every row is kept.
    expect(byName('hyperas_test_log').metrics.val_loss).toEqual({ count: 246, last: 0.28805358125, lastStep: 2, min: 0.0626264516216, max: 14.5481926697 });
  });

  it('skips committed merge-conflict markers (with either line ending) and says so once per file', async () => {
    const { byName, problems } = await indexCopy(NEMO);
    expect(byName('hyperas_NeMO_AlexNet_log').metrics.val_loss).toEqual({ count: 573, last: 0.797233009338, lastStep: 99, min: 0.480407977104, max: 3.27213630676 });
    expect(byName('hyperas_NeMO_AlexNetParallel_log').metrics.val_loss).toEqual({ count: 199, last: 0.781255322695, lastStep: 8, min: 0.45689894855, max: 2.23246302605 });
    expect(problems.map((p) => path.basename(p.path)).sort()).toEqual(['hyperas_NeMO_AlexNetParallel_log.csv', 'hyperas_NeMO_AlexNet_log.csv']);
    expect(problems.every((p) => /3 git merge-conflict marker line/.test(p.message))).toBe(true);
  });
});

describe('damaged Keras CSVs', () => {
  it('garbage lines are skipped and reported; every real row is kept', async () => {
    const { byName, problems, runs } = await indexCopy(NEMO, (dir) => {
      const f = path.join(dir, 'CNN', 'output', 'log_test.csv');
      const lines = fs.readFileSync(f, 'utf8').split('\r\r\n');
      lines.splice(2, 0, 'Traceback (most recent call last):', 'epoch;acc;loss;lr;val_acc;val_loss', '2;oops;1;1;1;1');
      fs.writeFileSync(f, `${lines.join('\r\r\n')}#### garbage, no line end`);
      // An unterminated last line is a problem only once the writer has been quiet for a while.
      const hourAgo = new Date(Date.now() - 3_600_000);
      fs.utimesSync(f, hourAgo, hourAgo);
    });
    expect(runs).toHaveLength(7);
    const run = byName('log_test');
    expect(run.metrics.val_loss).toMatchObject({ count: 6, last: 3.92197654247, min: 1, max: 19.3879482269 });
    const mine = problems.filter((p) => p.path.endsWith('log_test.csv')).map((p) => p.message);
    expect(mine).toHaveLength(3);
    expect(mine).toEqual(expect.arrayContaining([
      expect.stringMatching(/^2 line\(s\) that are not data rows were skipped, e\.g\. line 3: "Traceback/),
      expect.stringMatching(/column "acc" has 1 value\(s\) that are not numbers, e\.g\. "oops"/),
      expect.stringMatching(/last line is cut off/),
    ]));
  });

  it('an empty or binary file is a problem, not a crash', async () => {
    const { problems, runs } = await indexCopy(AI4MARS, (dir) => {
      fs.writeFileSync(path.join(dir, 'model_history_log.csv'), 'epoch,loss\n');
      fs.writeFileSync(path.join(dir, 'model_history_logdef.csv'), Buffer.from('epoch,loss\n\u0000\u00ff\u00fe'));
    });
    expect(runs).toHaveLength(3);
    expect(problems.map((p) => [path.basename(p.path), p.message.split(':')[0]]).sort()).toEqual([
      ['model_history_logdef.csv', 'binary data where CSV text was expected'],
    ]);
  });
});
