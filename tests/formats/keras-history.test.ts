import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kerasHistory } from '../../src/formats/keras-history/index.js';
import { REPO, tempCore, tempDir } from '../helpers.js';

const MADE = path.join(REPO, 'tests', 'fixtures-made', 'keras-history');

function copyMade(): string {
  const root = path.join(tempDir(), 'keras-runs');
  fs.cpSync(MADE, root, { recursive: true });
  return root;
}

async function index(root: string, adapters = [kerasHistory]) {
  const core = await tempCore();
  const summary = await core.indexFolders([root], { adapters });
  const runs = (await core.api['runs.list']({ limit: 100, sort: { column: 'name', direction: 'asc' } })).rows;
  const problems = await core.api['problems.list']({});
  return { core, summary, runs, problems, byName: (n: string) => runs.find((r) => r.name === n)! };
}

// Expected values are the numbers in the files Keras wrote (see tests/fixtures-made/keras-history/PROVENANCE.md).
describe('Keras History JSON (written by Keras 3.15 on torch)', () => {
  it('one run per history file, epoch index as the step, params.json as params', async () => {
    const root = copyMade();
    const { summary, runs, problems, byName, core } = await index(root);
    expect(problems).toEqual([]);
    expect(summary).toMatchObject({ runs: 2, experiments: 2, problems: 0 });
    expect(runs.map((r) => [r.name, r.experiment, r.format, r.status])).toEqual([
      ['history', 'regression', 'keras-history', 'finished'],
      ['training_history', 'diverged', 'keras-history', 'finished'],
    ]);
    const fit = byName('history');
    expect(fit.params).toEqual({ verbose: '0', epochs: '3', steps: '2' });
    expect(Object.keys(fit.metrics).sort()).toEqual(['learning_rate', 'loss', 'mae', 'val_loss', 'val_mae']);
    expect(fit.metrics.val_loss).toEqual({ count: 3, last: 3.1630136966705322, lastStep: 2, min: 3.1630136966705322, max: 3.296083450317383 });
    expect(fit.metrics.learning_rate).toEqual({ count: 3, last: 0.0024999999441206455, lastStep: 2, min: 0.0024999999441206455, max: 0.009999999776482582 });
    const series = await core.api['metrics.get']({ run: fit.id, key: 'loss' });
    expect(series.points.map(([s, v]) => [s, v])).toEqual([[0, 1.811932921409607], [1, 1.701794147491455], [2, 1.6510789394378662]]);
    // The diverged fit: json.dump's bare NaN is kept as a value; no params.json, no params.
    const diverged = byName('training_history');
    expect(diverged.params).toEqual({});
    expect(diverged.metrics.loss).toMatchObject({ count: 3, last: 'NaN', lastStep: 2 });
  });

  it('detects by file name only, without opening anything', async () => {
    const dir = tempDir();
    const files = ['history.json', 'model_history.json', 'History_final.JSON', 'wandb-history.jsonl', 'metrics.json', 'histories.txt', 'params.json'];
    const found = await kerasHistory.detect(dir, files.map((name) => ({ name, isFile: true, isDirectory: false })));
    expect(found.map((l) => path.basename(l.path))).toEqual(['history.json', 'model_history.json', 'History_final.JSON']);
    expect(found.every((l) => l.files[1] === path.join(dir, 'params.json'))).toBe(true);
  });

  it('a *history*.json that is not a Keras History is a problem, and only its bad keys are skipped', async () => {
    const root = tempDir();
    const write = (dir: string, name: string, text: string) => {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
      fs.writeFileSync(path.join(root, dir, name), text);
    };
    write('browser', 'history.json', '[{"url": "https://example.org", "visits": 3}]');
    write('chat', 'chat_history.json', '{"messages": [{"role": "user"}], "title": "hi"}');
    write('mixed', 'history.json', '{"loss": [0.5, 0.25], "note": "two epochs", "val_loss": [0.75, null]}');
    write('broken', 'history.json', '{"loss": [0.5, 0.2');
    write('huge', 'history.json', '{"loss": [');
    fs.truncateSync(path.join(root, 'huge', 'history.json'), 65 * 1024 * 1024); // sparse: never read
    const { runs, problems, byName } = await index(root);
    expect(runs).toHaveLength(5);
    expect(problems.map((p) => [path.basename(path.dirname(p.path)), p.message]).sort()).toEqual([
      ['broken', expect.stringMatching(/^history\.json is not valid JSON: /)],
      ['browser', 'history.json is not a Keras History: expected an object of metric name → list of numbers'],
      ['chat', 'chat_history.json is not a Keras History: no key holds a list of per-epoch numbers'],
      ['huge', 'history.json: too large to be a config file (68157440 bytes; limit 67108864)'],
      ['mixed', 'history.json: 2 key(s) are not lists of numbers and were skipped: "note", "val_loss"'],
    ]);
    expect(runs.find((r) => r.experiment === 'mixed')!.metrics).toEqual({ loss: { count: 2, last: 0.25, lastStep: 1, min: 0.25, max: 0.5 } });
    expect(byName('chat_history').metrics).toEqual({});
  });
});

describe('Keras History beside a generic metrics + params run', () => {
  it('both adapters run; each file is read by one of them only', async () => {
    const root = tempDir();
    const dir = path.join(root, 'exp', 'run1');
    fs.mkdirSync(dir, { recursive: true });
    // As a script writes them: json.dump(history.history), json.dump(vars(args)), json.dump(final metrics).
    fs.writeFileSync(path.join(dir, 'history.json'), '{"loss": [0.9, 0.5], "val_loss": [1.0, NaN]}');
    fs.writeFileSync(path.join(dir, 'params.json'), '{"epochs": 2}');
    fs.writeFileSync(path.join(dir, 'config.json'), '{"lr": 0.01}');
    fs.writeFileSync(path.join(dir, 'metrics.json'), '{"test_acc": 0.8}');
    const { adapters } = await import('../../src/formats/registry.js');
    const { runs, problems, core } = await index(root, [...adapters]);
    expect(problems).toEqual([]);
    expect(runs.map((r) => [r.format, r.name]).sort()).toEqual([['generic', 'run1'], ['keras-history', 'history']]);
    const files = await Promise.all(runs.map(async (r) => (await core.api['runs.get']({ id: r.id })).sourceFiles.map((f) => path.basename(f.path)).sort()));
    const byFormat = Object.fromEntries(runs.map((r, i) => [r.format, files[i]]));
    expect(byFormat).toEqual({ generic: ['config.json', 'metrics.json'], 'keras-history': ['history.json', 'params.json'] });
    expect(runs.find((r) => r.format === 'keras-history')!.metrics.val_loss).toMatchObject({ count: 2, last: 'NaN', lastStep: 1 });
  });
});
