import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { listModelSummaries as listModels } from '../../src/catalog/queries/models.js';
import { mlflowSqlite } from '../../src/formats/mlflow/index.js';
import { openForeignSqlite } from '../../src/formats/util/foreign-sqlite.js';
import { copyFixture, FIXTURES, onCleanup, REPO, tempCore, tempDir } from '../helpers.js';

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
    expect(versions.map((m) => [m.name, m.version, m.stage, m.runIds[0]])).toEqual([
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
    expect(models.map((m) => [m.path.split('#')[1], m.name, m.runIds[0]]).sort()).toEqual([
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

const IRIS_MODEL = path.join(FIXTURES, 'public/mlflow-iris/mlruns/853099972095872099/4ef5854252b74eaead2df1501e3dd622/artifacts/model');
const LR_RUN = '698c4390535e4c1e8c7f8040d5c2c948';
const RF_RUN = '1f15aad157574d5bbbee809ca3827771';
const LR_MODEL = 'm-4d73934f8512461a9eb7ae2343432125';

/**
 * The 3.7 store as `mlflow server --backend-store-uri sqlite:///mlflow.db` writes it: the server
 * records `mlflow-artifacts:/<exp>/<run>/artifacts` for runs and `mlflow-artifacts:/<exp>/models/<id>/artifacts`
 * for logged models, and keeps the files under its artifacts destination. The fixture's rows are
 * rewritten that way, two registry versions are registered from the LR logged model (one by
 * `models:/`, one by its run's folder), and the artifacts of the LR run are laid under `artifactsRoot`
 * (`mlartifacts`, the server's default, or `mlruns`) with a real MLmodel folder from the iris fixture.
 */
function serverStore(artifactsRoot: 'mlartifacts' | 'mlruns' | null): string {
  const dir = copyFixture(V37);
  const db = new Database(path.join(dir, 'mlflow.db'));
  db.exec(`
    UPDATE runs SET artifact_uri = 'mlflow-artifacts:/' || experiment_id || '/' || run_uuid || '/artifacts';
    UPDATE logged_models SET artifact_location = 'mlflow-artifacts:/' || experiment_id || '/models/' || model_id || '/artifacts';
    UPDATE experiments SET artifact_location = 'mlflow-artifacts:/' || experiment_id;
    INSERT INTO registered_models (name, creation_time, last_updated_time) VALUES ('heart-lr', 1766857200000, 1766857200000);
    INSERT INTO model_versions (name, version, creation_time, last_updated_time, current_stage, source, run_id, status, storage_location)
      VALUES ('heart-lr', 1, 1766857200000, 1766857200000, 'None', 'models:/${LR_MODEL}', '${LR_RUN}', 'READY', 'mlflow-artifacts:/1/models/${LR_MODEL}/artifacts'),
             ('heart-lr', 2, 1766857300000, 1766857300000, 'Production', 'mlflow-artifacts:/1/${LR_RUN}/artifacts/model', '${LR_RUN}', 'READY', NULL),
             ('heart-lr', 3, 1766857400000, 1766857400000, 'None', 'mlflow-artifacts:/1/${LR_RUN}/artifacts/model', '${LR_RUN}', 'READY', NULL);
  `);
  db.close();
  if (artifactsRoot) {
    fs.cpSync(IRIS_MODEL, path.join(dir, artifactsRoot, '1', LR_RUN, 'artifacts', 'model'), { recursive: true });
    fs.writeFileSync(path.join(dir, artifactsRoot, '1', LR_RUN, 'artifacts', 'confusion.png'), 'png');
    fs.cpSync(IRIS_MODEL, path.join(dir, artifactsRoot, '1', 'models', LR_MODEL, 'artifacts'), { recursive: true });
  }
  return dir;
}

describe('MLflow SQLite store served by a tracking server (mlflow-artifacts: URIs)', () => {
  for (const root of ['mlartifacts', 'mlruns'] as const) {
    it(`lists artifacts, logged models and registry versions at their folders under ${root}/`, async () => {
      const dir = serverStore(root);
      const { core, byId } = await index(dir);
      const lr = byId(LR_RUN);
      const runArtifacts = path.join(dir, root, '1', LR_RUN, 'artifacts');
      const loggedDir = path.join(dir, root, '1', 'models', LR_MODEL, 'artifacts');
      const detail = await core.api['runs.get']({ id: lr.id });
      expect(detail.artifacts.map((a) => [path.relative(runArtifacts, a.path), a.kind]).sort()).toEqual([
        ['confusion.png', 'image'],
        ...['MLmodel', 'conda.yaml', 'model.pkl', 'python_env.yaml', 'requirements.txt'].map((f) => [`model/${f}`, 'model']),
      ].sort());
      const models = listModels(core.db).filter((m) => m.runIds.includes(lr.id));
      expect(models.map((m) => [m.format, m.name, m.version, m.stage ?? null, m.path, m.framework]).sort()).toEqual([
        ['mlflow-model', 'Logistic Regression/model', null, null, loggedDir, 'sklearn'],
        ['mlflow-model', 'Logistic Regression/model', null, null, path.join(runArtifacts, 'model'), 'sklearn'],
        ['mlflow-registered-model', 'heart-lr', '1', null, loggedDir, 'sklearn'],
        ['mlflow-registered-model', 'heart-lr', '2', 'Production', path.join(runArtifacts, 'model'), 'sklearn'],
        ['mlflow-registered-model', 'heart-lr', '3', null, path.join(runArtifacts, 'model'), 'sklearn'],
      ].sort());
      expect(listModels(core.db).every((m) => !m.path.includes('#'))).toBe(true);
      // The RF run's artifacts were never laid out: one problem naming where they were looked for, no made-up paths.
      const problems = await core.api['problems.list']({});
      expect(problems.map((p) => p.path)).toEqual([`${path.join(dir, 'mlflow.db')}#${RF_RUN}`]);
      expect(problems[0].message).toContain(`mlflow-artifacts:/1/${RF_RUN}/artifacts`);
      expect(problems[0].message).toContain(path.join(dir, 'mlartifacts', '1', RF_RUN, 'artifacts'));
      expect(listModels(core.db).filter((m) => m.runIds.includes(byId(RF_RUN).id))).toEqual([]);
    });
  }

  it('with neither mlartifacts/ nor mlruns/ beside the database: problems, and no made-up model paths', async () => {
    const dir = serverStore(null);
    const { core, summary } = await index(dir);
    expect(summary.runs).toBe(2);
    expect(listModels(core.db)).toEqual([]);
    const problems = await core.api['problems.list']({});
    expect(problems.map((p) => p.path).sort()).toEqual([LR_RUN, RF_RUN].map((r) => `${path.join(dir, 'mlflow.db')}#${r}`).sort());
    expect(problems.every((p) => /kept by an MLflow tracking server .* not listed$/.test(p.message))).toBe(true);
  });

  it('does not follow a server URI out of the artifact folders', async () => {
    const dir = serverStore('mlartifacts');
    const db = new Database(path.join(dir, 'mlflow.db'));
    db.prepare('UPDATE runs SET artifact_uri = ? WHERE run_uuid = ?').run('mlflow-artifacts:/../../../../etc', LR_RUN);
    db.close();
    const { core, byId } = await index(dir);
    expect((await core.api['runs.get']({ id: byId(LR_RUN).id })).artifacts).toEqual([]);
  });
});

/** Every file in a folder with its size and SHA-256. */
function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isFile()) out[name] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  }
  return out;
}

describe('a foreign mlflow.db is read without writing beside it', () => {
  it('a WAL-mode database closed cleanly: no -wal, -shm or -journal appears and the file is unchanged', async () => {
    const dir = copyFixture(V37);
    const file = path.join(dir, 'mlflow.db');
    const w = new Database(file);
    expect(w.pragma('journal_mode = WAL', { simple: true })).toBe('wal');
    w.close(); // the last connection checkpoints and removes its -wal and -shm
    const before = listing(dir);
    expect(Object.keys(before)).toEqual(['PROVENANCE.md', 'mlflow.db']);
    const { summary } = await index(dir);
    expect(summary).toMatchObject({ runs: 2, problems: 0 });
    expect(listing(dir)).toEqual(before);
    const foreign = openForeignSqlite(file);
    expect(foreign.mode).toBe('immutable');
    foreign.close();
    expect(listing(dir)).toEqual(before);
  });

  it('a rollback-journal database (MLflow’s default) is opened read-only as it is, creating nothing', async () => {
    const dir = copyFixture(V126);
    const before = listing(dir);
    const foreign = openForeignSqlite(path.join(dir, 'mlflow.db'));
    expect(foreign.mode).toBe('readonly');
    expect(foreign.db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(67);
    foreign.close();
    expect(listing(dir)).toEqual(before);
  });

  it('while MLflow writes it: reads the newest committed rows through its WAL and leaves its files alone', async () => {
    const dir = copyFixture(V37);
    const file = path.join(dir, 'mlflow.db');
    const writer = new Database(file);
    onCleanup(() => void (writer.open && writer.close()));
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0'); // the new rows stay in the -wal, as in a busy server
    const add = writer.prepare("INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES ('live_loss', ?, ?, ?, ?, 0)");
    writer.transaction(() => {
      for (let step = 0; step < 5; step++) add.run(1 / (step + 1), 1766857107000 + step, LR_RUN, step);
    })();
    expect(fs.existsSync(`${file}-wal`) && fs.existsSync(`${file}-shm`)).toBe(true);
    const mainBefore = listing(dir)['mlflow.db'];
    const walBefore = listing(dir)['mlflow.db-wal'];

    const { core, byId } = await index(dir);
    expect((await core.api['metrics.get']({ run: byId(LR_RUN).id, key: 'live_loss' })).points.map((p) => p[1])).toEqual([1, 0.5, 1 / 3, 0.25, 0.2]);
    expect(Object.keys(listing(dir))).toEqual(['PROVENANCE.md', 'mlflow.db', 'mlflow.db-shm', 'mlflow.db-wal']);
    expect(listing(dir)['mlflow.db']).toBe(mainBefore);
    expect(listing(dir)['mlflow.db-wal']).toBe(walBefore);
    const foreign = openForeignSqlite(file);
    expect(foreign.mode).toBe('live');
    foreign.close();
    // The writer carries on, and its next commit is read too.
    add.run(0.1, 1766857107010, LR_RUN, 5);
    const again = await index(dir);
    expect((await again.core.api['metrics.get']({ run: again.byId(LR_RUN).id, key: 'live_loss' })).points).toHaveLength(6);
  });

  it('where URI filenames are off (SQLITE_USE_URI=0 when the addon loads), reads a private copy instead', async () => {
    const dir = copyFixture(V37);
    const w = new Database(path.join(dir, 'mlflow.db'));
    w.pragma('journal_mode = WAL');
    w.close();
    const before = listing(dir);
    const catalog = path.join(tempDir(), 'c.db');
    const cli = [path.join(REPO, 'src', 'cli', 'labdesk.mjs'), 'index', dir, '--db', catalog, '--json'];
    const { stdout } = await promisify(execFile)(process.execPath, cli, { env: { ...process.env, SQLITE_USE_URI: '0' } });
    expect(JSON.parse(stdout)).toMatchObject({ runs: 2, problems: 0 });
    expect(listing(dir)).toEqual(before);
  });
});
