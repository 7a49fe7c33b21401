/**
 * The runs table's default columns, worked out from the runs a real catalog lists (real fixture
 * runs indexed by the core): the params and metrics most runs share, capped; and a user's choices.
 */
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/api/contract.js';
import { defaultKeyColumns, shownColumns, withColumns, type ColumnPrefs } from '../../renderer/src/components/column-defaults.js';
import { copyFixture, tempCore } from '../helpers.js';

async function firstPage(...fixtures: string[]) {
  const core = await tempCore();
  await core.indexFolders(fixtures.map((f) => copyFixture(f)));
  const page = await core.api['runs.list']({ sort: { column: 'startTime', direction: 'desc' }, offset: 0, limit: 100 });
  return page;
}

describe('default columns of the runs table', () => {
  it('shows the params and metrics most listed runs share, most common first, at most 6 of each', async () => {
    const page = await firstPage('realruns/lightning_project', 'realruns/tensorboard_sweep', 'public/mlflow-iris');
    const ids = defaultKeyColumns(page.rows, page.paramKeys, page.metricKeys);
    const params = ids.filter((id) => id.startsWith('params.')).map((id) => id.slice(7));
    const metrics = ids.filter((id) => id.startsWith('metrics.')).map((id) => id.slice(8));
    // Three tools' runs (27) share no metric on half of them: the six most common ones show.
    expect(page.rows.length).toBe(27);
    expect(params).toEqual(['lr']);
    expect(metrics).toEqual(['metric_0', 'metric_1', 'metric_2', 'metric_3', 'epoch', 'train_loss_epoch']);
    // No key left out is on more runs than a key chosen.
    const count = (k: string, field: 'params' | 'metrics') => page.rows.filter((r) => k in r[field]).length;
    const least = Math.min(...metrics.map((k) => count(k, 'metrics')));
    for (const k of page.metricKeys.filter((m) => !metrics.includes(m))) expect(count(k, 'metrics')).toBeLessThanOrEqual(least);
  });

  it('keeps only the keys on half the runs when some are', async () => {
    const page = await firstPage('realruns/lightning_project');
    const ids = defaultKeyColumns(page.rows, page.paramKeys, page.metricKeys);
    expect(page.rows.length).toBe(8);
    for (const id of ids) {
      const [field, key] = [id.slice(0, id.indexOf('.')) as 'params' | 'metrics', id.slice(id.indexOf('.') + 1)];
      expect(page.rows.filter((r) => key in r[field]).length).toBeGreaterThanOrEqual(4);
    }
    // Lightning's CSV and TensorBoard versions: their three hyperparams, and their metrics up to the cap of six.
    expect(ids).toEqual([
      'params.dropout',
      'params.hidden',
      'params.lr',
      'metrics.epoch',
      'metrics.train_loss_epoch',
      'metrics.train_loss_step',
      'metrics.val_acc',
      'metrics.val_loss',
      'metrics.hp_metric',
    ]);
  });

  it("gives the slots left to the keys of runs the shared ones miss, so another tool's runs show their numbers", async () => {
    const page = await firstPage('realruns/lightning_project', 'realruns/tensorboard_sweep');
    const ids = defaultKeyColumns(page.rows, page.paramKeys, page.metricKeys);
    const metrics = ids.filter((id) => id.startsWith('metrics.')).map((id) => id.slice(8));
    expect(page.rows.length).toBe(14);
    // Lightning's five metrics are on 8 of 14 runs; the sweep's six runs share none of them.
    expect(metrics.slice(0, 5)).toEqual(['epoch', 'train_loss_epoch', 'train_loss_step', 'val_acc', 'val_loss']);
    expect(metrics).toHaveLength(6);
    for (const run of page.rows) expect(metrics.some((k) => k in run.metrics), run.name).toBe(true);
  });

  it('falls back to the most common keys more than one run has when nothing is on half the runs', () => {
    const run = (params: Record<string, string>, metrics: string[]) =>
      ({ params, metrics: Object.fromEntries(metrics.map((m) => [m, { last: 1, min: 1, max: 1, lastStep: 0, count: 1 }])) }) as unknown as RunSummary;
    const rows = [run({ a: '1' }, ['x']), run({ a: '2' }, ['y']), run({ b: '1' }, ['y']), run({ c: '1' }, ['z']), run({ d: '1' }, ['w'])];
    expect(defaultKeyColumns(rows, ['a', 'b', 'c', 'd'], ['w', 'x', 'y', 'z'])).toEqual(['params.a', 'metrics.y']);
    expect(defaultKeyColumns([], ['a'], ['x'])).toEqual([]);
  });

  it("keeps a user's choices: turned-on keys stay on, turned-off defaults stay off, run columns show unless hidden", () => {
    const defaults = new Set(['params.lr', 'metrics.val_acc']);
    let prefs: ColumnPrefs = { hidden: [], shown: [], stats: {} };
    let shown = shownColumns(prefs, defaults);
    expect(['status', 'params.lr', 'metrics.val_acc', 'params.rare'].map(shown)).toEqual([true, true, true, false]);
    prefs = withColumns(withColumns(prefs, ['params.rare'], true), ['metrics.val_acc', 'status'], false);
    shown = shownColumns(prefs, defaults);
    expect(['status', 'params.lr', 'metrics.val_acc', 'params.rare'].map(shown)).toEqual([false, true, false, true]);
    // A profile saved before defaults existed (hidden only) still hides what it hid.
    shown = shownColumns({ hidden: ['params.lr'], stats: {} }, defaults);
    expect(['params.lr', 'metrics.val_acc'].map(shown)).toEqual([false, true]);
  });
});
