import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generic } from '../../src/formats/generic/index.js';
import { tempCore, tempDir } from '../helpers.js';

/**
 * No public fixture has this layout, so the files are written here byte for byte as Python 3
 * writes them (each string was produced by the call named beside it and copied in):
 */
const WRITTEN_BY_PYTHON = {
  // json.dumps({...}) of a final-metrics dict: NaN is a bare token, strings sit among the numbers.
  'metrics.json': '{"accuracy": 0.9125, "loss": NaN, "per_class": {"cat": 0.88, "dog": 0.945}, "model": "resnet18"}',
  // yaml.dump({...}): keys sorted, 1e-05 written as 1.0e-05, lists in block style.
  'params.yaml': 'batch_size: 32\nlr: 1.0e-05\noptimizer:\n  betas:\n  - 0.9\n  - 0.999\n  name: adam\nseed: 7\n',
  // json.dumps(history) of per-epoch lists: Infinity is a bare token too.
  'history.json': '{"train_loss": [0.9, 0.5, 0.31], "val_loss": [1.0, 0.7, Infinity]}',
  // json.dumps(vars(args), indent=2)
  'args.json': '{\n  "lr": 0.001,\n  "epochs": 3.0,\n  "data": "data/train"\n}',
  // csv.writer(f).writerow(...) per epoch: \r\n line ends.
  'metrics.csv': 'epoch,loss,val_acc\r\n0,0.7,0.5\r\n1,0.4,0.75\r\n',
  // json.dumps([{...}, ...]) of a list of per-epoch records
  'records.json': '[{"epoch": 1, "loss": 0.5}, {"epoch": 2, "loss": 0.25}]',
};

function write(dir: string, files: Record<string, string | Buffer>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
}

async function index(root: string) {
  const core = await tempCore();
  const summary = await core.indexFolders([root], { adapters: [generic] });
  const runs = (await core.api['runs.list']({ limit: 100, sort: { column: 'name', direction: 'asc' } })).rows;
  return { core, summary, runs, byName: (n: string) => runs.find((r) => r.name === n)!, problems: await core.api['problems.list']({}) };
}

describe('generic metrics + params folders', () => {
  it('needs a metrics file AND a params file side by side', async () => {
    const root = tempDir();
    const py = WRITTEN_BY_PYTHON;
    write(path.join(root, 'exp', 'final'), { 'metrics.json': py['metrics.json'], 'params.yaml': py['params.yaml'] });
    write(path.join(root, 'exp', 'only-metrics'), { 'metrics.json': py['metrics.json'] });
    write(path.join(root, 'exp', 'only-params'), { 'config.json': py['args.json'] });
    write(path.join(root, 'exp', 'sacred-like'), { 'metrics.json': '{}', 'config.json': '{}', 'run.json': '{}' });
    // DVCLive's own dir has the same two files; the dvclive adapter reads it.
    write(path.join(root, 'exp', 'dvclive', 'plots'), {});
    write(path.join(root, 'exp', 'dvclive'), { 'metrics.json': py['metrics.json'], 'params.yaml': py['params.yaml'] });
    const { runs, byName, problems } = await index(root);
    expect(problems).toEqual([]);
    expect(runs.map((r) => r.name)).toEqual(['final']);
    const run = byName('final');
    expect(run).toMatchObject({ experiment: 'exp', format: 'generic' });
    expect(run.params).toEqual({ batch_size: '32', lr: '1.0e-05', 'optimizer.betas': '[0.9,0.999]', 'optimizer.name': 'adam', seed: '7' });
    expect(run.metrics.accuracy).toEqual({ count: 1, last: 0.9125, lastStep: 0, min: 0.9125, max: 0.9125 });
    expect(run.metrics['per_class.dog']).toMatchObject({ count: 1, last: 0.945 });
    expect(run.metrics.loss).toMatchObject({ count: 1, lastStep: 0 }); // NaN is a value
    expect(run.metrics.model).toBeUndefined();
  });

  it('reads lists as series at steps 0..n-1, records by their epoch, CSV rows by their epoch column', async () => {
    const root = tempDir();
    const py = WRITTEN_BY_PYTHON;
    write(path.join(root, 'runs', 'lists'), { 'results.json': py['history.json'], 'args.json': py['args.json'] });
    write(path.join(root, 'runs', 'records'), { 'results.json': py['records.json'], 'config.json': py['args.json'] });
    write(path.join(root, 'runs', 'csv'), { 'metrics.csv': py['metrics.csv'], 'config.json': py['args.json'] });
    const { byName, problems, core } = await index(root);
    expect(problems).toEqual([]);
    expect(byName('lists').params).toEqual({ lr: '0.001', epochs: '3.0', data: 'data/train' });
    expect(byName('lists').metrics.train_loss).toEqual({ count: 3, last: 0.31, lastStep: 2, min: 0.31, max: 0.9 });
    const val = await core.api['metrics.get']({ run: byName('lists').id, key: 'val_loss' });
    expect(val.points.map(([s, v]) => [s, v])).toEqual([[0, 1], [1, 0.7], [2, 'Infinity']]);
    expect(byName('records').metrics.loss).toEqual({ count: 2, last: 0.25, lastStep: 2, min: 0.25, max: 0.5 });
    expect(byName('csv').metrics.val_acc).toEqual({ count: 2, last: 0.75, lastStep: 1, min: 0.5, max: 0.75 });
    expect(byName('csv').metrics.epoch).toBeUndefined();
  });

  it('bad files are problems; the run and its other files are kept', async () => {
    const root = tempDir();
    const py = WRITTEN_BY_PYTHON;
    write(path.join(root, 'e', 'cut'), { 'metrics.json': py['metrics.json'].slice(0, 30), 'params.yaml': py['params.yaml'] });
    write(path.join(root, 'e', 'badparams'), { 'metrics.json': py['metrics.json'], 'args.json': '{"lr": 0.1,' });
    write(path.join(root, 'e', 'words'), { 'results.json': '{"status": "done"}', 'params.yaml': py['params.yaml'] });
    const { runs, byName, problems } = await index(root);
    expect(runs).toHaveLength(3);
    expect(problems.map((p) => [path.basename(path.dirname(p.path)), path.basename(p.path), p.message.replace(/: .*/, '')]).sort()).toEqual([
      ['badparams', 'args.json', 'args.json is not a JSON object'],
      ['cut', 'metrics.json', 'metrics.json is not valid JSON'],
      ['words', 'results.json', 'results.json holds no numbers to show as metrics'],
    ]);
    expect(byName('cut').params.seed).toBe('7');
    expect(byName('badparams').metrics.accuracy.last).toBe(0.9125);
  });
});
