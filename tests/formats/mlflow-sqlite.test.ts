import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { listModels } from '../../src/catalog/queries/run-detail.js';
import { mlflowSqlite } from '../../src/formats/mlflow/index.js';
import { copyFixture, tempCore } from '../helpers.js';

const V126 = 'public/mlflow/PatrickCmd__mlops-zoomcamp__sqlite-mlflow1.26-xgboost-steps-registry';
const V37 = 'public/mlflow/2024aa05018__heart-disease-mlops__sqlite-mlflow3.7-logged-models';

async function index(dir: string) {
  const core = await tempCore();
  const summary = await core.indexFolders([dir], { adapters: [mlflowSqlite] });
  const runs = (await core.api['runs.list']({ limit: 500 })).rows;
  const byId = (id: string) => runs.find((r) => r.path.endsWith(`#${id}`))!;
  return { core, summary, runs, byId };
}

describe('MLflow SQLite store 1.26 (steps to 1000, registry with stages, deleted and failed runs)', () => {
  it('lists all 67 runs of nyc-taxi-experiment, each at <db>#<run uuid>', async () => {
    const dir = copyFixture(V126);
    const { summary, runs } = await index(dir);
    expect(summary).toMatchObject({ runs: 67, experiments: 1, problems: 0 });
    expect(new Set(runs.map((r) => r.experiment))).toEqual(new Set(['nyc-taxi-experiment']));
    expect(runs.every((r) => r.path.startsWith(`${path.join(dir, 'mlflow.db')}#`) && r.format === 'mlflow-sqlite')).toBe(true);
    expect(runs.filter((r) => r.status === 'failed')).toHaveLength(3);
    expect(runs.filter((r) => r.status === 'finished')).toHaveLength(64);
  });

  it('reads the 1001-step xgboost history, params and unnamed runs (named by their id)', async () => {
    const { core, byId } = await index(copyFixture(V126));
    const run = byId('5e0ee39592c04e9888b112039ed15e6e');
    expect(run.name).toBe('5e0ee39592c04e9888b112039ed15e6e');
    expect(run.startTime).toBe(1653444908921);
    expect(run.params).toEqual({
      custom_metric: 'None', early_stopping_rounds: '50', learning_rate: '0.10703770645309164', max_depth: '22',
      maximize: 'None', min_child_weight: '1.569626528283038', num_boost_round: '1000', objective: 'reg:linear',
      reg_alpha: '0.18055537091989357', reg_lambda: '0.02281305329840515', seed: '42', verbose_eval: 'True',
    });
    expect(run.metrics['validation-rmse']).toEqual({ last: 6.30718407467469, min: 6.30718407467469, max: 19.28909578632386, lastStep: 1000, count: 1001 });
    const series = await core.api['metrics.get']({ run: run.id, key: 'validation-rmse' });
    expect(series.points.at(-1)).toEqual([1000, 6.30718407467469, 1653445004.037]);
    const detail = await core.api['runs.get']({ id: run.id });
    expect(detail.tags).toMatchObject({ 'mlflow.user': 'patrickwalukagga', 'mlflow.source.type': 'LOCAL', 'mlflow.autologging': 'xgboost' });
  });

  it('indexes the 10 deleted runs with labdesk.lifecycle=deleted and their recorded status', async () => {
    const { core, runs, byId } = await index(copyFixture(V126));
    const tagged = [];
    for (const r of runs) if ((await core.api['runs.get']({ id: r.id })).tags['labdesk.lifecycle'] === 'deleted') tagged.push(r);
    expect(tagged).toHaveLength(10);
    const failed = byId('ca99d4d30c454606b24fe3131183f8dd');
    expect(failed.status).toBe('failed');
    expect(failed.metrics['validation-rmse']).toEqual({ last: 6.333783841047943, min: 6.333783841047943, max: 19.4842501533954, lastStep: 578, count: 579 });
  });

  it('links the three registered versions of nyc-taxi-regressor to their runs, with their stages', async () => {
    const { core, byId } = await index(copyFixture(V126));
    const versions = listModels(core.db).filter((m) => m.format === 'mlflow-registered-model').sort((a, b) => a.version!.localeCompare(b.version!));
    expect(versions.map((m) => [m.name, m.version, m.stage, m.run])).toEqual([
      ['nyc-taxi-regressor', '1', 'Production', byId('5f9bd13703b34710ae68ec35c5052ab0').id],
      ['nyc-taxi-regressor', '2', 'Archived', byId('007fa5fe85e349a09c1ae650c9124f36').id],
      ['nyc-taxi-regressor', '3', null, byId('eff2942cd6ce43d59e8053567343ea0a').id],
    ]);
    // Artifacts were not committed: frameworks come from the runs' mlflow.log-model.history tags.
    expect(versions.map((m) => m.framework)).toEqual(['xgboost', 'sklearn', null]);
    const logged = listModels(core.db).filter((m) => m.format === 'mlflow-model');
    expect(logged).toHaveLength(7);
  });
});

describe('MLflow SQLite store 3.7 (logged models)', () => {
  it('reads both runs with their names, params and metrics', async () => {
    const { summary, byId } = await index(copyFixture(V37));
    expect(summary).toMatchObject({ runs: 2, experiments: 1, problems: 0 });
    const lr = byId('698c4390535e4c1e8c7f8040d5c2c948');
    expect(lr).toMatchObject({ name: 'Logistic Regression', status: 'finished', experiment: 'Heart Disease Classification' });
    expect(lr.params).toEqual({ model: 'LogisticRegression', max_iter: '1000' });
    expect(lr.metrics.roc_auc).toEqual({ last: 0.9025876322751323, min: 0.9025876322751323, max: 0.9025876322751323, lastStep: 0, count: 1 });
    expect(byId('1f15aad157574d5bbbee809ca3827771').params).toEqual({ model: 'RandomForest', n_estimators: '200', random_state: '42' });
  });

  it('links each m-* logged model to its source run', async () => {
    const { core, byId } = await index(copyFixture(V37));
    const models = listModels(core.db);
    expect(models.map((m) => [m.path.split('#')[1], m.name, m.run]).sort()).toEqual([
      ['m-4d73934f8512461a9eb7ae2343432125', 'Logistic Regression/model', byId('698c4390535e4c1e8c7f8040d5c2c948').id],
      ['m-9962b783ceca4177880107e199322068', 'Random Forest/model', byId('1f15aad157574d5bbbee809ca3827771').id],
    ]);
  });
});

describe('MLflow SQLite store: non-finite values', () => {
  it('reads is_nan rows as NaN and ±DBL_MAX (how the SQL store saves ±Infinity) as ±Infinity', async () => {
    const dir = copyFixture(V37);
    const db = new Database(path.join(dir, 'mlflow.db'));
    const add = db.prepare("INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES ('loss', ?, ?, '698c4390535e4c1e8c7f8040d5c2c948', ?, ?)");
    add.run(0, 1766857107000, 0, 1);
    add.run(1.7976931348623157e308, 1766857107001, 1, 0);
    add.run(-1.7976931348623157e308, 1766857107002, 2, 0);
    add.run(0.25, 1766857107003, 3, 0);
    db.close();
    const { core, byId } = await index(dir);
    const series = await core.api['metrics.get']({ run: byId('698c4390535e4c1e8c7f8040d5c2c948').id, key: 'loss' });
    expect(series.points).toEqual([[0, 'NaN', 1766857107], [1, 'Infinity', 1766857107.001], [2, '-Infinity', 1766857107.002], [3, 0.25, 1766857107.003]]);
  });
});

describe('a damaged mlflow.db is a problem, never a crash', () => {
  const damage: [string, (file: string) => void, RegExp][] = [
    ['text in place of a database', (f) => fs.writeFileSync(f, 'this is not a database\n'.repeat(200)), /not an SQLite database/],
    ['an empty file', (f) => fs.writeFileSync(f, ''), /not an MLflow tracking database/],
    ['cut to half its size', (f) => fs.truncateSync(f, Math.floor(fs.statSync(f).size / 2)), /database|malformed/i],
  ];
  for (const [what, harm, message] of damage) {
    it(`${what}: one problem for the file`, async () => {
      const dir = copyFixture(V37);
      const file = path.join(dir, 'mlflow.db');
      harm(file);
      const { core } = await index(dir);
      const problems = await core.api['problems.list']({});
      expect(problems.length).toBeGreaterThanOrEqual(1);
      expect(problems[0]).toMatchObject({ path: file, format: 'mlflow-sqlite' });
      expect(problems[0].message).toMatch(message);
    });
  }

  it('leaves other SQLite files alone', async () => {
    const dir = copyFixture(V37);
    fs.copyFileSync(path.join(dir, 'mlflow.db'), path.join(dir, 'tracking.sqlite'));
    fs.writeFileSync(path.join(dir, 'notes.db'), 'not a database');
    const { summary } = await index(dir);
    expect(summary).toMatchObject({ runs: 4, problems: 0 });
  });
});
