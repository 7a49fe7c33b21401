import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sacred } from '../../src/formats/sacred/index.js';
import { copyFixture, tempCore } from '../helpers.js';

const FIXTURE = 'public/sacred/manuel-rhdt__ml-pws__sacred085-torch-model-size-sweep';

async function indexCopy(harm?: (runsDir: string) => void) {
  const root = copyFixture(FIXTURE);
  harm?.(path.join(root, 'runs'));
  const core = await tempCore();
  const summary = await core.indexFolders([root], { adapters: [sacred] });
  const runs = (await core.api['runs.list']({ limit: 100, sort: { column: 'name', direction: 'asc' } })).rows;
  const byName = (name: string) => runs.find((r) => r.name === name)!;
  return { root, core, summary, runs, byName, problems: await core.api['problems.list']({}) };
}

// Expected values below come from python3's json module over the fixture's files; times are the
// naive ISO strings read as UTC (Sacred writes datetime.utcnow()).
describe('Sacred FileStorageObserver (real fixture)', () => {
  it('finds the six run folders (not _sources) as one experiment named by run.json', async () => {
    const { summary, runs, problems } = await indexCopy();
    expect(problems).toEqual([]);
    expect(summary).toMatchObject({ runs: 6, experiments: 1, problems: 0 });
    expect(runs.map((r) => r.name).sort()).toEqual(['1', '2', '3', '73', '89', '90']);
    expect(new Set(runs.map((r) => r.experiment))).toEqual(new Set(['model-size-sweep']));
    expect(Object.fromEntries(runs.map((r) => [r.name, r.status]))).toEqual({
      1: 'finished', 2: 'finished', 3: 'failed', 73: 'failed', 89: 'finished', 90: 'finished',
    });
  });

  it('reads config.json as params, numbers as Python wrote them', async () => {
    const { byName } = await indexCopy();
    expect(byName('1').params).toEqual({
      batch_size: '64', 'dataset.device': 'cuda', 'dataset.filename': 'data/gaussian_data.pt', device: 'cuda',
      epochs: '400', hidden_size: '8', layers: '1', lr: '0.0001', model: 'LSTM', seed: '594583207',
    });
    expect(byName('73').params).toMatchObject({ layers: '48.0', hidden_size: '5.9937672665305074e+26', epochs: '2000' });
    expect(byName('90').params.model).toBe('RNN');
  });

  it('reads metrics.json with steps and UTC wall times; a failed run keeps its metrics', async () => {
    const { byName, core } = await indexCopy();
    expect(byName('1').metrics['training.loss']).toEqual({ count: 400, last: -0.6781838181495666, lastStep: 400, min: -0.6781838181495666, max: 0.2630771433830261 });
    expect(byName('3').metrics['training.loss']).toEqual({ count: 400, last: -0.6749154008865357, lastStep: 400, min: -0.6749154008865357, max: 0.5156626180648803 });
    expect(byName('89').metrics['training.loss']).toEqual({ count: 500, last: -0.682339887714386, lastStep: 500, min: -0.682339887714386, max: 0.31506723289489746 });
    expect(byName('73').metrics).toEqual({});
    const series = await core.api['metrics.get']({ run: byName('1').id, key: 'training.loss' });
    const last = series.points[series.points.length - 1];
    expect(last[0]).toBe(400);
    expect(last[2]).toBeCloseTo(1707433392.616677, 5);
  });

  it('takes times, git commit, result and the failure from run.json', async () => {
    const { byName, core } = await indexCopy();
    expect(byName('1').startTime).toBe(1707433334620);
    expect(core.db.prepare('SELECT git_commit FROM runs WHERE id = ?').pluck().get(byName('1').id)).toBe('34c5ea6bebc779115962365252593cd77b67fbec');
    const r89 = await core.api['runs.get']({ id: byName('89').id });
    expect(r89.tags.result).toBe('<src.models.rnn_sequence_model.SequenceModel> (jsonpickle; not loaded)');
    expect(r89.tags['sacred.command']).toBe('my_main');
    expect(r89.artifacts.map((a) => [path.basename(a.path), a.kind, a.sizeBytes])).toEqual(expect.arrayContaining([
      ['stochseq_model=GRU_layers=1_hidden=8.pt', 'artifact', 4959],
      ['cout.txt', 'log', 653],
    ]));
    const r73 = await core.api['runs.get']({ id: byName('73').id });
    expect(r73.tags.error).toBe('TypeError: hidden_size should be of type int, got: float');
    expect(r73.tags.result).toBeUndefined();
    const r3 = await core.api['runs.get']({ id: byName('3').id });
    expect(r3.tags.error).toBe("AttributeError: expected 'f' to be string, path, or a file-like object with a 'write' attribute");
  });
});

describe('damaged Sacred runs', () => {
  it('a run.json that is not JSON is a problem; the run keeps its config and metrics', async () => {
    const { runs, byName, problems } = await indexCopy((dir) => {
      const f = path.join(dir, '2', 'run.json');
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').slice(0, 700)); // cut mid-write
    });
    expect(runs).toHaveLength(6);
    expect(problems).toHaveLength(1);
    expect(problems[0].path.endsWith(path.join('2', 'run.json'))).toBe(true);
    expect(problems[0].message).toMatch(/not a Sacred run record/);
    expect(byName('2').params.model).toBe('LSTM');
    expect(byName('2').metrics['training.loss'].count).toBe(400);
    expect(byName('1').status).toBe('finished');
  });

  it('a RUNNING run is kept as recorded; NaN metric values are values', async () => {
    const { byName, core } = await indexCopy((dir) => {
      const f = path.join(dir, '1', 'run.json');
      const run = JSON.parse(fs.readFileSync(f, 'utf8'));
      run.status = 'RUNNING';
      delete run.stop_time;
      fs.writeFileSync(f, JSON.stringify(run));
      // Python's json.dump writes float('nan') as a bare NaN.
      const m = path.join(dir, '1', 'metrics.json');
      fs.writeFileSync(m, fs.readFileSync(m, 'utf8').replace('0.2630771433830261', 'NaN'));
    });
    expect(byName('1').status).toBe('running');
    expect(byName('1').metrics['training.loss']).toMatchObject({ count: 400, max: 0.25748250727653504 });
    const series = await core.api['metrics.get']({ run: byName('1').id, key: 'training.loss' });
    expect(series.points[0][1]).toBe('NaN');
  });
});
