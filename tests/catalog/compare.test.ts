import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATCH_POINT_BUDGET, MAX_BATCH_POINTS } from '../../src/catalog/queries/compare.js';
import { copyFixture, REPO, tempCore } from '../helpers.js';

const LIGHTNING = 'realruns/lightning_project';
const IRIS = 'public/mlflow-iris';
const NCSN = 'public/mlflow/fkodom__ncsn__filestore-mlflow1.8-lightning-trash-steps';
/** The ncsn run with the longest train_loss series (800 points). */
const LONG_RUN = 'mlruns/1/238d4e9c1f2e4df896debfc300e0139f';

async function indexed(...fixtures: string[]) {
  const core = await tempCore();
  const dirs = fixtures.map((f) => copyFixture(f));
  await core.indexFolders(dirs);
  return { core, dirs };
}

const versionDir = (project: string, n: number) => path.join(project, 'lightning_logs', `version_${n}`);

describe('runs.compare', () => {
  it('returns the runs in the order asked, with params, metric summaries, tags and notes', async () => {
    const { core, dirs } = await indexed(LIGHTNING, IRIS);
    const v0 = await core.api['runs.get']({ id: versionDir(dirs[0], 0) });
    const v2 = await core.api['runs.get']({ id: versionDir(dirs[0], 2) });
    const rf = path.join(dirs[1], 'mlruns/853099972095872099/4ef5854252b74eaead2df1501e3dd622');
    await core.api['runs.annotate']({ id: v2.id, note: 'wider hidden layer' });

    const runs = await core.api['runs.compare']({ ids: [v2.id, v0.id, rf, v2.id] });
    expect(runs.map((r) => r.name)).toEqual(['version_2', 'version_0', 'RF']);
    expect(runs[0].params).toEqual({ dropout: '0.1', hidden: '32', lr: '0.01' });
    expect(runs[1].params).toEqual({ dropout: '0.1', hidden: '16', lr: '0.01' });
    expect(runs[0].metrics.val_acc).toEqual({ last: 0.9549999833106995, min: 0.9300000071525574, max: 0.9549999833106995, lastStep: 99, count: 4 });
    expect(runs[0].note).toBe('wider hidden layer');
    expect(runs[1].note).toBe('');
    expect(runs[2].tags).toMatchObject({ 'mlflow.user': 'muskaanjain', tag1: 'SVM', tag2: 'Randomized Search CV', tag3: 'Production' });
    expect(runs[2].metrics.metric_0).toMatchObject({ last: 0.975, count: 1 });
  });

  it('says which run is missing and what to do', async () => {
    const { core, dirs } = await indexed(LIGHTNING);
    const v0 = await core.api['runs.get']({ id: versionDir(dirs[0], 0) });
    await expect(core.api['runs.compare']({ ids: [v0.id, 'deadbeefdeadbeef'] })).rejects.toMatchObject({
      name: 'NotFound',
      message: expect.stringMatching(/deadbeefdeadbeef is not in the catalog.*Remove it from the comparison/),
    });
    await expect(core.api['runs.compare']({ ids: 'abc' as unknown as string[] })).rejects.toMatchObject({ name: 'BadRequest' });
    expect(await core.api['runs.compare']({ ids: [] })).toEqual([]);
  });
});

describe('metrics.batch', () => {
  it('returns every (run, key) pair, empty for a key a run never logged', async () => {
    const { core, dirs } = await indexed(LIGHTNING);
    const [v0, v2] = await Promise.all([0, 2].map((n) => core.api['runs.get']({ id: versionDir(dirs[0], n) })));
    const series = await core.api['metrics.batch']({ runs: [v0.id, v2.id], keys: ['val_acc', 'train_loss_step', 'no_such_key'], maxPoints: 5 });
    expect(series.map((s) => [s.run, s.key])).toEqual([
      [v0.id, 'val_acc'], [v0.id, 'train_loss_step'], [v0.id, 'no_such_key'],
      [v2.id, 'val_acc'], [v2.id, 'train_loss_step'], [v2.id, 'no_such_key'],
    ]);
    for (const s of series) expect(s.points.length).toBeLessThanOrEqual(5);
    // Exact values read from version_0/metrics.csv (CSVLogger records no wall time).
    expect(series[0]).toEqual({
      run: v0.id, key: 'val_acc', count: 4,
      points: [[24, 0.9075000286102295, null], [49, 0.9549999833106995, null], [74, 0.9599999785423279, null], [99, 0.9549999833106995, null]],
    });
    expect(series[1].count).toBe(20);
    expect(series[1].points[0]).toEqual([4, 0.6426303386688232, null]);
    expect(series[2]).toEqual({ run: v0.id, key: 'no_such_key', count: 0, points: [] });
  });

  it('keeps a one-step spike, the extremes and both ends of a long real series', async () => {
    const { core, dirs } = await indexed();
    const copy = copyFixture(NCSN);
    // A loss spike half-way through the 800-point series, as a diverging step would log it.
    const file = path.join(copy, LONG_RUN, 'metrics/train_loss');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const [time, , step] = lines[400].split(' ');
    lines[400] = `${time} 7.5 ${step}`;
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    await core.indexFolders([copy, ...dirs]);

    const run = (await core.api['runs.get']({ id: path.join(copy, LONG_RUN) })).id;
    const full = await core.api['metrics.get']({ run, key: 'train_loss' });
    expect(full.count).toBe(800);
    const [batch] = await core.api['metrics.batch']({ runs: [run], keys: ['train_loss'], maxPoints: 50 });
    expect(batch.count).toBe(800);
    expect(batch.points.length).toBeLessThanOrEqual(50);
    expect(batch.points.length).toBeGreaterThan(30);
    const values = full.points.map((p) => p[1] as number);
    const steps = batch.points.map((p) => p[0]);
    expect(batch.points).toContainEqual(full.points[400]);
    expect(full.points[400][1]).toBe(7.5);
    expect(batch.points.map((p) => p[1])).toContain(Math.min(...values));
    expect(batch.points[0]).toEqual(full.points[0]);
    expect(batch.points[batch.points.length - 1]).toEqual(full.points[799]);
    // Points stay in write order.
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
  });

  it('caps points per series and refuses batches that cannot fit', async () => {
    const { core } = await indexed();
    const copy = copyFixture(NCSN);
    await core.indexFolders([copy]);
    const run = (await core.api['runs.get']({ id: path.join(copy, LONG_RUN) })).id;
    const [all] = await core.api['metrics.batch']({ runs: [run], keys: ['train_loss'], maxPoints: 1_000_000 });
    expect(all.points).toHaveLength(800); // below the cap: every point
    expect(MAX_BATCH_POINTS).toBeLessThanOrEqual(BATCH_POINT_BUDGET);
    await expect(core.api['metrics.batch']({ runs: [run], keys: ['train_loss'], maxPoints: 2 })).rejects.toMatchObject({ name: 'BadRequest' });
    await expect(core.api['metrics.batch']({ runs: [run], keys: 'train_loss' as unknown as string[] })).rejects.toMatchObject({
      name: 'BadRequest',
      message: expect.stringContaining('"keys"'),
    });
    const manyKeys = Array.from({ length: 40_000 }, (_, i) => `k${i}`);
    await expect(core.api['metrics.batch']({ runs: [run], keys: manyKeys })).rejects.toMatchObject({
      name: 'BadRequest',
      message: expect.stringContaining('fewer metric keys'),
    });
    await expect(core.api['metrics.batch']({ runs: ['0123456789abcdef'], keys: ['train_loss'] })).rejects.toMatchObject({ name: 'NotFound' });
  });
});

/**
 * The compare view's pure parts (renderer modules without DOM), tested beside the queries they draw.
 * Loaded through a computed path: the renderer compiles under its own tsconfig (bundler resolution),
 * so it must stay out of this program's type check; the shapes used are spelled out instead.
 */
interface DiffRowShape {
  kind: string;
  key: string;
  section: string;
  depth: number;
  differs: boolean;
}
type CompareRuns = Awaited<ReturnType<Awaited<ReturnType<typeof tempCore>>['api']['runs.compare']>>;
const rendererModule = <T>(name: string): Promise<T> => import(path.join(REPO, 'renderer/src/components/compare', `${name}.ts`)) as Promise<T>;

describe('compare view helpers', async () => {
  const { emaSmooth, weightForDownsampled } = await rendererModule<{
    emaSmooth: (values: number[], weight: number) => number[];
    weightForDownsampled: (weight: number, stored: number, drawn: number) => number;
  }>('smoothing');
  const { aggregateBand } = await rendererModule<{
    aggregateBand: (series: { x: number[]; y: number[] }[], resolution?: number) => Record<'x' | 'mean' | 'min' | 'max' | 'n', number[]>;
  }>('series');
  const { diffRows, diffCsv, visibleRows } = await rendererModule<{
    diffRows: (runs: CompareRuns) => (DiffRowShape & { leaves?: number; differing?: number })[];
    diffCsv: (runs: CompareRuns, rows: DiffRowShape[]) => string;
    visibleRows: (rows: DiffRowShape[], onlyDifferences: boolean) => DiffRowShape[];
  }>('diff');

  it('smooths as TensorBoard does: debiased from the first point, NaN passed through, constants kept', () => {
    // TensorBoard 0.6: last = 0.6*last + 0.4*v; shown = last / (1 - 0.6^n).
    const out = emaSmooth([1, 2, NaN, 4], 0.6);
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeCloseTo((0.6 * 0.4 + 0.4 * 2) / (1 - 0.36), 12);
    expect(out[2]).toBeNaN();
    expect(out[3]).toBeCloseTo((0.6 * (0.6 * 0.4 + 0.4 * 2) + 0.4 * 4) / (1 - 0.216), 12);
    expect(emaSmooth([3, 3, 3], 0.9)).toEqual([3, 3, 3]);
    expect(emaSmooth([1, 2], 0)).toEqual([1, 2]);
    // A series downsampled 10x decays 10 stored steps per drawn point.
    expect(weightForDownsampled(0.9, 10_000, 1000)).toBeCloseTo(0.9 ** 10, 12);
    expect(weightForDownsampled(0.9, 500, 500)).toBe(0.9);
  });

  it('averages a group only over the runs that reached each x', () => {
    const band = aggregateBand([{ x: [0, 10], y: [0, 10] }, { x: [0, 5], y: [2, 2] }], 3);
    expect(band.x).toEqual([0, 5, 10]);
    expect(band.mean).toEqual([1, 3.5, 10]);
    expect(band.min).toEqual([0, 2, 10]);
    expect(band.max).toEqual([2, 5, 10]);
    expect(band.n).toEqual([2, 2, 1]);
  });

  it('diffs nested params key by key and exports what is shown', async () => {
    const { core, dirs } = await indexed(LIGHTNING);
    const runs = await core.api['runs.compare']({ ids: [versionDir(dirs[0], 0), versionDir(dirs[0], 2)] });
    // A nested config, as Hydra's flattened keys look.
    runs[0].params = { ...runs[0].params, 'model.optimizer.lr': '0.001', 'model.optimizer.name': 'adam', 'model.depth': '4' };
    runs[1].params = { ...runs[1].params, 'model.optimizer.lr': '1e-3', 'model.optimizer.name': 'sgd', 'model.depth': '4' };
    const rows = diffRows(runs).filter((r) => r.section === 'Params' && r.kind !== 'section');
    expect(rows.map((r) => [r.kind, r.key, r.depth, r.differs])).toEqual([
      ['value', 'dropout', 1, false],
      ['value', 'hidden', 1, true],
      ['value', 'lr', 1, false],
      ['group', 'model', 1, true],
      ['value', 'model.depth', 2, false],
      ['group', 'model.optimizer', 2, true],
      ['value', 'model.optimizer.lr', 3, false], // 0.001 and 1e-3 are one number
      ['value', 'model.optimizer.name', 3, true],
    ]);
    expect(rows.find((r) => r.key === 'model')).toMatchObject({ leaves: 3, differing: 1 });
    const shown = visibleRows(diffRows(runs), true);
    expect(shown.some((r) => r.key === 'dropout')).toBe(false);
    expect(shown.some((r) => r.key === 'model.optimizer.name')).toBe(true);
    const csv = diffCsv(runs, shown);
    expect(csv.split('\r\n')[0]).toBe(`section,key,differs,version_0 (${runs[0].id}),version_2 (${runs[1].id})`);
    expect(csv).toContain('\r\nParams,hidden,yes,16,32\r\n');
    expect(csv).not.toContain('val_acc · last');
    expect(diffCsv(runs, diffRows(runs))).toContain('\r\nMetrics,val_acc · last,no,0.9549999833106995,0.9549999833106995\r\n');
  });
});
