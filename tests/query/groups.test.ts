import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { underline } from '../../src/cli/commands/runs-cmd.js';
import { createCore, type LabdeskCore } from '../../src/core.js';
import { copyFixture, REPO, tempCore, tempDir } from '../helpers.js';

const LIGHTNING = 'realruns/lightning_project';
const IRIS = 'public/mlflow-iris';
const LAB12 = 'public/mlflow/2025-2-fundamentos__LAB-12-prediccion-del-default-usando-mlp-yunarvaez__filestore-mlflow3.6-logged-models';

async function indexed(): Promise<LabdeskCore> {
  const core = await tempCore();
  expect((await core.indexFolders([copyFixture(LIGHTNING), copyFixture(IRIS), copyFixture(LAB12)])).runs).toBe(23);
  return core;
}

describe('runs.groups', () => {
  it('runs.list with groupBy pages runs group by group, in the groups\' order, sorted within each', async () => {
    const core = await indexed();
    for (const by of ['experiment', 'format', 'params.hidden'] as const) {
      const groups = await core.api['runs.groups']({ by });
      const page = await core.api['runs.list']({ groupBy: by, sort: { column: 'name', direction: 'asc' }, limit: 100 });
      const valueOf = (r: (typeof page.rows)[number]) =>
        by === 'experiment' ? r.experimentId : by === 'format' ? r.format : (r.params.hidden ?? null);
      // Consecutive runs of one group, groups in order, each group's runs by name.
      let at = 0;
      for (const g of groups) {
        const slice = page.rows.slice(at, at + g.count);
        expect(slice.map(valueOf)).toEqual(Array(g.count).fill(g.value));
        expect(slice.map((r) => r.name)).toEqual(slice.map((r) => r.name).sort()); // SQLite's binary order
        at += g.count;
      }
      expect(at).toBe(23);
      // Paging agrees with the whole list.
      const second = await core.api['runs.list']({ groupBy: by, sort: { column: 'name', direction: 'asc' }, offset: 5, limit: 5 });
      expect(second.rows.map((r) => r.id)).toEqual(page.rows.slice(5, 10).map((r) => r.id));
    }
  });

  it('counts runs by experiment, format and status, in value order', async () => {
    const core = await indexed();
    const experiments = await core.api['runs.groups']({ by: 'experiment' });
    expect(experiments.map(({ label, count }) => ({ label, count }))).toEqual([
      { label: 'Default', count: 2 },
      { label: 'MLOps_CA_2', count: 13 },
      { label: 'lightning_logs', count: 8 },
    ]);
    // By identity: the value is the experiment's id, as runs carry it.
    const runs = (await core.api['runs.list']({ limit: 100 })).rows;
    for (const g of experiments) expect(runs.filter((r) => r.experimentId === g.value)).toHaveLength(g.count);
    expect(await core.api['runs.groups']({ by: 'format' })).toEqual([
      { value: 'lightning-csv', label: 'lightning-csv', count: 4 },
      { value: 'lightning-tensorboard', label: 'lightning-tensorboard', count: 4 },
      { value: 'mlflow', label: 'mlflow', count: 15 },
    ]);
    expect(await core.api['runs.groups']({ by: 'status' })).toEqual([
      { value: 'failed', label: 'failed', count: 1 },
      { value: 'finished', label: 'finished', count: 22 },
    ]);
  });

  it('groups by a param (numerically) or a tag, with runs lacking it in a last null group', async () => {
    const core = await indexed();
    expect(await core.api['runs.groups']({ by: 'params.lr' })).toEqual([
      { value: '0.003', label: '0.003', count: 2 },
      { value: '0.01', label: '0.01', count: 4 },
      { value: '0.1', label: '0.1', count: 2 },
      { value: null, label: null, count: 15 },
    ]);
    expect(await core.api['runs.groups']({ by: 'params.hidden', query: 'lightning' })).toEqual([
      { value: '16', label: '16', count: 2 },
      { value: '32', label: '32', count: 4 },
      { value: '64', label: '64', count: 2 },
    ]);
    expect(await core.api['runs.groups']({ by: 'tags.tag1', query: "format = 'mlflow'" })).toEqual([
      { value: 'DecisionTree', label: 'DecisionTree', count: 2 },
      { value: 'LogRegression', label: 'LogRegression', count: 1 },
      { value: 'LogisticRegression', label: 'LogisticRegression', count: 1 },
      { value: 'Random Forest', label: 'Random Forest', count: 3 },
      { value: 'SVM', label: 'SVM', count: 5 },
      { value: 'SVM_kernel', label: 'SVM_kernel', count: 1 },
      { value: null, label: null, count: 2 },
    ]);
  });

  it('counts only the runs the query matches, leaving archived runs out unless asked', async () => {
    const core = await indexed();
    const [v0] = (await core.api['runs.list']({ query: "name = 'version_0'" })).rows;
    await core.api['runs.annotate']({ id: v0.id, archived: true });
    expect(await core.api['runs.groups']({ by: 'format', query: 'metrics.val_acc > 0.95' })).toEqual([
      { value: 'lightning-csv', label: 'lightning-csv', count: 2 },
      { value: 'lightning-tensorboard', label: 'lightning-tensorboard', count: 3 },
    ]);
    expect(await core.api['runs.groups']({ by: 'format', query: 'metrics.val_acc > 0.95', includeArchived: true })).toEqual([
      { value: 'lightning-csv', label: 'lightning-csv', count: 3 },
      { value: 'lightning-tensorboard', label: 'lightning-tensorboard', count: 3 },
    ]);
    expect(await core.api['runs.groups']({ by: 'experiment', query: 'nosuchword' })).toEqual([]);
  });

  it('rejects a bad query with a QueryError and an unknown grouping with a BadRequest', async () => {
    const core = await indexed();
    await expect(core.api['runs.groups']({ by: 'format', query: 'metrics.x >' })).rejects.toMatchObject({ name: 'QueryError', at: { start: 10, end: 11 } });
    const err = await core.api['runs.groups']({ by: 'colour' as 'format' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).name).toBe('BadRequest');
    expect((err as ApiError).message).toBe('Cannot group runs by "colour": use experiment, format, status, tags.<key> or params.<key>.');
  });
});

describe('runs.keys', () => {
  it('lists every param, metric and tool-tag key, ascending', async () => {
    const core = await indexed();
    expect(await core.api['runs.keys']({})).toEqual({
      paramKeys: [
        'dropout', 'hidden', 'lr', 'model__activation', 'model__alpha', 'model__hidden_layer_sizes', 'model__learning_rate_init',
        'model__solver', 'pca__n_components', 'select_k_best__k',
      ],
      metricKeys: [
        'balanced_accuracy', 'epoch', 'f1_score', 'hp_metric', 'metric_0', 'metric_1', 'metric_2', 'metric_3', 'metric_4',
        'precision', 'recall', 'train_loss_epoch', 'train_loss_step', 'val_acc', 'val_loss',
      ],
      tagKeys: ['mlflow.log-model.history', 'mlflow.runName', 'mlflow.source.git.commit', 'mlflow.source.name', 'mlflow.source.type', 'mlflow.user', 'tag1', 'tag2', 'tag3'],
    });
  });

  it('is empty on an empty catalog', async () => {
    const core = await tempCore();
    expect(await core.api['runs.keys']({})).toEqual({ paramKeys: [], metricKeys: [], tagKeys: [] });
  });
});

describe('labdesk runs --query', () => {
  it('underlines the part of the query an error is about', () => {
    expect(underline('Expected a value after "=" at position 12.', "params.lr = ", { start: 10, end: 11 })).toBe(
      'Expected a value after "=" at position 12.\n  params.lr = \n            ^',
    );
    // A span at the very end still gets one caret.
    expect(underline('m', 'a AND', { start: 5, end: 5 })).toBe('m\n  a AND\n       ^');
  });

  it('filters with the query language, shows archived runs with --archived, and exits 1 on a bad query', async () => {
    const run = promisify(execFile);
    const bin = path.join(REPO, 'src', 'cli', 'labdesk.mjs');
    const labdesk = async (...args: string[]) =>
      run(process.execPath, [bin, ...args]).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    const db = path.join(tempDir(), 'c.db');
    expect((await labdesk('index', copyFixture(LIGHTNING), '--db', db)).code).toBe(0);
    const names = async (...args: string[]) =>
      (JSON.parse((await labdesk('runs', '--db', db, '--json', ...args)).stdout) as { name: string }[]).map((r) => r.name);
    expect(await names('--query', "params.lr = 0.01 and format = 'lightning-csv'")).toEqual(['version_0', 'version_2']);
    const core = await createCore({ dbPath: db, watch: false });
    const [v0] = (await core.api['runs.list']({ query: "name = 'version_0'" })).rows;
    await core.api['runs.annotate']({ id: v0.id, archived: true });
    await core.close();
    expect(await names('--query', "params.lr = 0.01 and format = 'lightning-csv'")).toEqual(['version_2']);
    expect(await names('--query', "params.lr = 0.01 and format = 'lightning-csv'", '--archived')).toEqual(['version_0', 'version_2']);

    const bad = await labdesk('runs', '--db', db, '--query', "params.lr = 0.01 and metrics.val_acc > 'high'");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'labdesk: metrics.val_acc > needs a number, but "high" at position 40 is not one, e.g. metrics.val_acc > 0.5.\n' +
        "  params.lr = 0.01 and metrics.val_acc > 'high'\n" +
        '                                         ^^^^^^\n',
    );
  });
});

describe('runs.groups by experiment identity, with the sort metric\'s best value', () => {
  it('keeps experiments that share a name apart, labelled with their tool and parent folder', async () => {
    const core = await tempCore();
    const dvc = 'public/dvclive';
    await core.indexFolders([copyFixture(dvc)]);
    const groups = await core.api['runs.groups']({ by: 'experiment' });
    const mains = groups.filter((g) => g.label?.startsWith('main'));
    expect(mains.map((g) => g.label).sort()).toEqual([
      'main — dvc-pipeline · iterative__example-get-started__dvc3-pipeline-lock-dvcfiles-exp-refs',
      'main — dvclive · iterative__dvclive-exp-tracking__dvclive2x-lightning-with-exp-refs',
    ]);
    expect(new Set(mains.map((g) => g.value)).size).toBe(2);
    const total = (await core.api['runs.list']({ limit: 1 })).total;
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(total);
  });

  it('gives each group the best value of a metric sort: max when descending, min when ascending', async () => {
    const core = await indexed();
    const desc = await core.api['runs.groups']({ by: 'format', sort: { column: 'metrics.val_acc', direction: 'desc' } });
    const asc = await core.api['runs.groups']({ by: 'format', sort: { column: 'metrics.val_acc', direction: 'asc' } });
    const runs = (await core.api['runs.list']({ limit: 100 })).rows;
    for (const [groups, pick] of [[desc, Math.max], [asc, Math.min]] as const) {
      for (const g of groups) {
        const values = runs.filter((r) => r.format === g.value && r.metrics.val_acc).map((r) => Number(r.metrics.val_acc.last));
        expect(g.best).toBe(values.length ? pick(...values) : null);
      }
    }
    expect(desc.find((g) => g.value === 'mlflow')!.best).toBeNull(); // no mlflow run logs val_acc
    // A sort that is no metric gives no best value.
    expect((await core.api['runs.groups']({ by: 'format', sort: { column: 'name', direction: 'asc' } }))[0]).not.toHaveProperty('best');
  });
});
