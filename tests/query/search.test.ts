import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ListRunsArgs } from '../../src/api/contract.js';
import { ApiError } from '../../src/api/errors.js';
import { openCatalog } from '../../src/catalog/db.js';
import { migrate } from '../../src/catalog/migrate.js';
import { listRuns } from '../../src/catalog/queries/runs.js';
import type { LabdeskCore } from '../../src/core.js';
import { copyFixture, tempCore, tempDir } from '../helpers.js';

// 8 Lightning versions (params lr/hidden/dropout, val_acc, val_loss), 13 MLflow Iris runs (tags tag1..3),
// and an MLflow 3.6 store with one finished run (sklearn params) and one FAILED run.
const LIGHTNING = 'realruns/lightning_project';
const IRIS = 'public/mlflow-iris';
const LAB12 = 'public/mlflow/2025-2-fundamentos__LAB-12-prediccion-del-default-usando-mlp-yunarvaez__filestore-mlflow3.6-logged-models';

const LIGHTNING_RUNS = [0, 1, 2, 3, 4, 5, 6, 7].map((v) => `version_${v}`);
const IRIS_RUNS = ['DT', 'DecisionTree', 'LogRegression', 'LogisticRegression', 'RF', 'RF', 'RandomForest', 'SVM', 'SVM', 'SVM_Kernel', 'SVM_kernel', 'righteous-zebra-248', 'suave-boar-183'];

async function indexed(): Promise<LabdeskCore> {
  const core = await tempCore();
  const summary = await core.indexFolders([copyFixture(LIGHTNING), copyFixture(IRIS), copyFixture(LAB12)]);
  expect(summary.runs).toBe(23);
  return core;
}

/** Names of the runs a query matches, by name (then path). */
async function names(core: LabdeskCore, query: string, args: ListRunsArgs = {}): Promise<string[]> {
  const page = await core.api['runs.list']({ query, limit: 500, sort: { column: 'name', direction: 'asc' }, ...args });
  expect(page.total).toBe(page.rows.length);
  return page.rows.map((r) => r.name);
}

async function runId(core: LabdeskCore, name: string): Promise<string> {
  const [row] = (await core.api['runs.list']({ query: `attributes.run_name = '${name}'` })).rows;
  return row.id;
}

describe('searching runs (real MLflow and Lightning folders)', () => {
  it('compares metrics numerically, by last value or by :min / :max', async () => {
    const core = await indexed();
    expect(await names(core, 'metrics.val_acc > 0.95')).toEqual(LIGHTNING_RUNS.slice(0, 6));
    expect(await names(core, 'metrics.val_acc < 0.95')).toEqual(['version_6', 'version_7']);
    expect(await names(core, 'metrics.f1_score >= 0.48 and metrics.f1_score <= 0.49')).toEqual(['caring-croc-37']);
    expect(await names(core, 'metrics.val_loss:min < 0.1')).toEqual(['version_2', 'version_3']);
    expect(await names(core, 'metrics.val_loss:max < 0.25')).toEqual(['version_2', 'version_3', 'version_6', 'version_7']);
    expect(await names(core, 'metrics.metric_4 IS NOT NULL')).toEqual(['RF', 'RF']);
    expect(await names(core, "metrics.val_acc IS NULL and format = 'mlflow'")).toHaveLength(15);
  });

  it('compares params as text, or as numbers when the value is a bare number', async () => {
    const core = await indexed();
    expect(await names(core, "params.lr = '0.01'")).toEqual(LIGHTNING_RUNS.slice(0, 4));
    // 1e-2 written bare is the number 0.01: it matches the text '0.01'. Quoted, it is text and does not.
    expect(await names(core, 'params.lr = 1e-2')).toEqual(LIGHTNING_RUNS.slice(0, 4));
    expect(await names(core, "params.lr = '1e-2'")).toEqual([]);
    expect(await names(core, 'params.lr < 0.01')).toEqual(['version_4', 'version_5']);
    expect(await names(core, "params.lr > 0.005 and params.hidden = '32'")).toEqual(['version_2', 'version_3', 'version_6', 'version_7']);
    expect(await names(core, 'params.model__solver = "adam"')).toEqual(['caring-croc-37']);
    expect(await names(core, "params.model__hidden_layer_sizes LIKE '(35, 35%'")).toEqual(['caring-croc-37']);
    // != needs the param: runs without `hidden` are not "hidden != 16".
    expect(await names(core, 'params.hidden != 16')).toEqual(['version_2', 'version_3', 'version_4', 'version_5', 'version_6', 'version_7']);
    expect(await names(core, 'params.hidden IS NULL')).toHaveLength(15);
  });

  it('matches tool tags, with quoted and dotted keys', async () => {
    const core = await indexed();
    expect(await names(core, "tags.tag1 = 'Random Forest'")).toEqual(['RandomForest', 'righteous-zebra-248', 'suave-boar-183']);
    expect(await names(core, `tags."mlflow.user" = 'andresnarvaez'`)).toEqual(['caring-croc-37', 'clean-boar-921']);
    expect(await names(core, "tags.mlflow.user != 'andresnarvaez'")).toEqual(IRIS_RUNS);
    expect(await names(core, "tag.tag1 LIKE 'SVM_%'")).toEqual(['SVM_kernel']);
  });

  it("finds the failed run by attributes.status = 'FAILED', in any case", async () => {
    const core = await indexed();
    expect(await names(core, "attributes.status = 'FAILED'")).toEqual(['clean-boar-921']);
    expect(await names(core, "status = 'failed'")).toEqual(['clean-boar-921']);
    expect(await names(core, "status IN ('FAILED', 'KILLED')")).toEqual(['clean-boar-921']);
    expect(await names(core, "status != 'FINISHED'")).toEqual(['clean-boar-921']);
  });

  it('LIKE is case-sensitive and ILIKE is not; % and _ are the wildcards, * and ? are plain text', async () => {
    const core = await indexed();
    expect(await names(core, "attributes.run_name LIKE 'SVM%'")).toEqual(['SVM', 'SVM', 'SVM_Kernel', 'SVM_kernel']);
    expect(await names(core, "run_name LIKE '%kernel'")).toEqual(['SVM_kernel']);
    expect(await names(core, "run_name ILIKE '%kernel'")).toEqual(['SVM_Kernel', 'SVM_kernel']);
    expect(await names(core, "run_name LIKE 'version__'")).toEqual(LIGHTNING_RUNS);
    expect(await names(core, "run_name LIKE 'SVM*'")).toEqual([]);
    expect(await names(core, "run_name NOT LIKE '%-%' and format = 'mlflow'")).toEqual(IRIS_RUNS.slice(0, 11));
  });

  it('IN and NOT IN take lists of strings and numbers', async () => {
    const core = await indexed();
    expect(await names(core, "tags.tag1 IN ('DecisionTree', 'LogRegression')")).toEqual(['DT', 'DecisionTree', 'LogRegression']);
    expect(await names(core, 'params.hidden IN (16, 64)')).toEqual(['version_0', 'version_1', 'version_4', 'version_5']);
    expect(await names(core, "format NOT IN ('mlflow')")).toEqual(LIGHTNING_RUNS);
    expect(await names(core, "experiment IN ('Default')")).toEqual(['caring-croc-37', 'clean-boar-921']);
  });

  it('OR, AND and NOT with their usual precedence, parentheses overriding it', async () => {
    const core = await indexed();
    expect(await names(core, "(params.lr = 0.1 or params.lr = 0.003) and format = 'lightning-csv'")).toEqual(['version_4', 'version_6']);
    expect(await names(core, "params.lr = 0.1 or params.lr = 0.003 and format = 'lightning-csv'")).toEqual(['version_4', 'version_6', 'version_7']);
    expect(await names(core, "not format = 'mlflow' and not params.hidden = 32")).toEqual(['version_0', 'version_1', 'version_4', 'version_5']);
    // NOT of a missing param is a match: the 15 MLflow runs have no lr.
    expect(await names(core, 'not params.lr = 0.01')).toHaveLength(19);
  });

  it('free text matches words by prefix in names, experiments, params and tag values', async () => {
    const core = await indexed();
    expect(await names(core, 'croc')).toEqual(['caring-croc-37']);
    expect(await names(core, 'zeb')).toEqual(['righteous-zebra-248']);
    expect(await names(core, 'lightning_lo')).toEqual(LIGHTNING_RUNS);
    expect(await names(core, 'ADAM')).toEqual(['caring-croc-37']);
    expect(await names(core, 'model__solv')).toEqual(['caring-croc-37']);
    expect(await names(core, '"random forest"')).toEqual(['RandomForest', 'righteous-zebra-248', 'suave-boar-183']);
    expect(await names(core, 'andresnarvaez boar')).toEqual(['clean-boar-921']);
    expect(await names(core, 'lightning metrics.val_acc < 0.95')).toEqual(['version_6', 'version_7']);
    // Not from MLflow's model-history tag, whose JSON holds "mlflow_version" in every Iris run.
    expect(await names(core, 'version')).toEqual(LIGHTNING_RUNS);
    expect(await names(core, 'sklearn')).toEqual([]);
    expect(await names(core, 'croc or zebra')).toEqual(['caring-croc-37', 'righteous-zebra-248']);
    expect(await names(core, 'not lightning')).toHaveLength(15);
    expect(await names(core, 'nosuchword')).toEqual([]);
    // Only punctuation: no words to look for, so nothing is filtered.
    expect(await names(core, '--')).toHaveLength(23);
  });

  it('free text matches metric names: val_loss finds the Lightning runs that log it', async () => {
    const core = await indexed();
    expect(await names(core, 'val_loss')).toEqual(LIGHTNING_RUNS);
    expect(await names(core, 'val_lo')).toEqual(LIGHTNING_RUNS);
    expect(await names(core, 'val_loss and params.hidden = 32')).toEqual(await names(core, 'params.hidden = 32'));
  });

  it('lists the values seen for a param or tag key, most common first, for the search box', async () => {
    const core = await indexed();
    const hidden = await core.api['runs.values']({ field: 'params', key: 'hidden' });
    expect([...hidden.values].sort()).toEqual(['16', '32', '64']);
    expect((await core.api['runs.values']({ field: 'params', key: 'hidden', prefix: '6' })).values).toEqual(['64']);
    expect((await core.api['runs.values']({ field: 'params', key: 'hidden', prefix: '%' })).values).toEqual([]);
    await expect(core.api['runs.values']({ field: 'runs' as 'tags', key: 'x' })).rejects.toThrow(/field must be/);
  });

  it('finds a note, a user tag and a new display name after annotating, and forgets them when removed', async () => {
    const core = await indexed();
    const id = await runId(core, 'caring-croc-37');
    await core.api['runs.annotate']({ id, note: 'Promising baseline for the quarterly report', userTags: ['keeper', 'mlp'] });
    expect(await names(core, 'quarterl')).toEqual(['caring-croc-37']);
    expect(await names(core, 'keeper')).toEqual(['caring-croc-37']);
    expect(await names(core, "label = 'mlp'")).toEqual(['caring-croc-37']);
    expect(await names(core, "note LIKE '%baseline%'")).toEqual(['caring-croc-37']);
    expect(await names(core, "label != 'keeper' and experiment = 'Default'")).toEqual(['clean-boar-921']);
    await core.api['runs.annotate']({ id, displayName: 'tuned-mlp' });
    expect(await names(core, 'tuned')).toEqual(['tuned-mlp']);
    // The name the format gave still finds it.
    expect(await names(core, 'caring')).toEqual(['tuned-mlp']);
    await core.api['runs.annotate']({ id, note: '', userTags: [] });
    expect(await names(core, 'quarterl')).toEqual([]);
    expect(await names(core, 'keeper')).toEqual([]);
    expect(await names(core, 'tuned')).toEqual(['tuned-mlp']);
  });

  it('hides archived runs unless asked for, or unless the query compares attributes.archived', async () => {
    const core = await indexed();
    await core.api['runs.annotate']({ id: await runId(core, 'version_0'), archived: true });
    expect(await names(core, 'params.lr = 0.01')).toEqual(['version_1', 'version_2', 'version_3']);
    expect(await names(core, 'params.lr = 0.01', { includeArchived: true })).toEqual(['version_0', 'version_1', 'version_2', 'version_3']);
    expect(await names(core, 'attributes.archived = true')).toEqual(['version_0']);
    expect(await names(core, "attributes.archived = false and format = 'lightning-csv'")).toEqual(['version_2', 'version_4', 'version_6']);
    expect((await core.api['runs.list']({})).total).toBe(22);
  });

  it('sorts by a metric summary: last, :min or :max, with the filter applied', async () => {
    const core = await indexed();
    const sorted = async (column: string, direction: 'asc' | 'desc') =>
      (await core.api['runs.list']({ query: "format = 'lightning-csv'", sort: { column, direction } })).rows.map((r) => r.name);
    expect(await sorted('metrics.val_loss:min', 'asc')).toEqual(['version_2', 'version_0', 'version_4', 'version_6']);
    expect(await sorted('metrics.val_loss:max', 'desc')).toEqual(['version_4', 'version_0', 'version_2', 'version_6']);
    expect(await sorted('metrics.val_loss', 'desc')).toEqual(['version_6', 'version_4', 'version_0', 'version_2']);
    // Unfiltered: runs without the metric follow the valued ones, by path.
    const page = await core.api['runs.list']({ sort: { column: 'metrics.val_loss:min', direction: 'asc' }, limit: 10 });
    expect(page.rows.slice(0, 8).map((r) => r.metrics.val_loss.min)).toEqual(
      [0.09750235825777054, 0.09750235825777054, 0.10313758254051208, 0.10313758254051208, 0.13417063653469086, 0.13417063653469086, 0.13891805708408356, 0.13891805708408356],
    );
    expect(page.rows.slice(8).map((r) => r.metrics.val_loss)).toEqual([undefined, undefined]);
    expect(page.total).toBe(23);
  });

  it('pages a metric sort the same way whether it walks the metric index or sorts the matched runs', async () => {
    const core = await indexed();
    const query = "format != 'lightning-tensorboard'";
    for (const column of ['metrics.val_loss:max', 'metrics.metric_0', 'metrics.f1_score:min']) {
      const sort = { column, direction: 'desc' } as const;
      // One page of 500 sorts the 19 matched runs; pages of 2 walk the index while the page end is small.
      const whole = (await core.api['runs.list']({ query, sort, limit: 500 })).rows.map((r) => r.id);
      const paged: string[] = [];
      for (let offset = 0; offset < 19; offset += 2) paged.push(...(await core.api['runs.list']({ query, sort, offset, limit: 2 })).rows.map((r) => r.id));
      expect(paged, column).toEqual(whole);
      expect(whole).toHaveLength(19);
    }
  });

  it('binds every value: injection attempts match nothing and harm nothing', async () => {
    const core = await indexed();
    expect(await names(core, "params.x = 'a'' OR 1=1 --'")).toEqual([]);
    expect(await names(core, "params.lr = '0.01'' OR ''1''=''1'")).toEqual([]);
    expect(await names(core, "tags.`tag1' OR 1=1 --` = 'SVM'")).toEqual([]);
    expect(await names(core, "run_name IN ('x''); DROP TABLE runs; --')")).toEqual([]);
    expect(await names(core, '"croc" OR "*" NEAR(a b) name:x')).toEqual(['caring-croc-37']);
    expect((await core.api['runs.list']({ sort: { column: "params.lr') OR 1=1 --", direction: 'asc' } })).total).toBe(23);
    expect(core.db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(23);
  });

  it('reports every malformed query as a QueryError with a span, never a SQLite error', async () => {
    const core = await indexed();
    const pieces = ['metrics.val_acc', 'params.lr', 'tags.`a b`', 'status', '=', '!=', '<', '>=', 'LIKE', 'IN', 'NOT', 'AND', 'OR', 'IS', 'NULL',
      '(', ')', ',', "'x'", '"y', '0.5', '-1e3', 'croc', '*', 'NEAR(', '^', ':', '`', "'"];
    let seed = 7;
    const pick = () => pieces[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % pieces.length];
    let failures = 0;
    for (let i = 0; i < 400; i++) {
      const query = Array.from({ length: 1 + (i % 6) }, pick).join(' ');
      try {
        await core.api['runs.list']({ query, limit: 5 });
      } catch (err) {
        failures++;
        expect(err, query).toBeInstanceOf(ApiError);
        const e = err as ApiError;
        expect(e.name, `${query}: ${e.message}`).toBe('QueryError');
        expect(e.at!.start).toBeGreaterThanOrEqual(0);
        expect(e.at!.end).toBeLessThanOrEqual(query.length);
        expect(e.at!.end).toBeGreaterThanOrEqual(e.at!.start);
      }
    }
    expect(failures).toBeGreaterThan(100);
  });

  it('drops the words of runs that are deleted, directly or with their folder', async () => {
    const core = await indexed();
    const count = () => core.db.prepare('SELECT count(*) FROM run_search').pluck().get();
    expect(count()).toBe(23);
    const roots = await core.api['roots.list']({});
    const lab = roots.find((r) => r.path.includes('LAB-12'))!;
    await core.api['roots.remove']({ id: lab.id });
    expect(count()).toBe(21);
    expect(await names(core, 'croc')).toEqual([]);
    core.db.prepare("DELETE FROM runs WHERE name = 'version_7'").run();
    expect(count()).toBe(20);
    expect(await names(core, 'lightning')).toEqual(LIGHTNING_RUNS.slice(0, 7));
    // Re-indexing rewrites rows in place: still one search row per run.
    await core.indexFolders(roots.filter((r) => r.id !== lab.id).map((r) => r.path));
    expect(count()).toBe(21);
    expect(await names(core, 'lightning')).toEqual(LIGHTNING_RUNS);
  });
});

describe('migration 5 (run search)', () => {
  it('indexes a version-4 catalog with its annotations, leaving them intact and searchable', () => {
    const file = path.join(tempDir(), 'catalog.db');
    const old = new Database(file);
    migrate(old, 4);
    old.exec(`
      INSERT INTO roots (id, path, added_at) VALUES (1, '/data', 1);
      INSERT INTO experiments (id, root_id, name, format, path) VALUES ('e1', 1, 'cifar-sweep', 'mlflow', '/data/1');
      INSERT INTO runs (id, root_id, experiment_id, format, name, path, status, indexed_at) VALUES
        ('r1', 1, 'e1', 'mlflow', 'brave-owl-1', '/data/1/r1', 'finished', 1),
        ('r2', 1, 'e1', 'mlflow', 'calm-fox-2', '/data/1/r2', 'failed', 1);
      INSERT INTO params (run_id, key, value, value_num) VALUES ('r1', 'optimizer', 'adamw', NULL), ('r2', 'optimizer', 'sgd', NULL);
      INSERT INTO tags (run_id, key, value) VALUES ('r2', 'team', 'vision');
      INSERT INTO run_annotations (run_id, display_name, note, starred, archived, updated_at) VALUES
        ('r1', 'best-so-far', 'warmup helped a lot', 1, 0, 5),
        ('gone', 'orphan', 'a run no longer on disk', 0, 0, 6);
      INSERT INTO user_tags (run_id, tag, created_at) VALUES ('r1', 'paper-figure', 7), ('gone', 'keep', 8);
    `);
    old.close();

    const db = openCatalog(file);
    expect(db.prepare('SELECT run_id, display_name, note, starred, updated_at FROM run_annotations ORDER BY run_id').all()).toEqual([
      { run_id: 'gone', display_name: 'orphan', note: 'a run no longer on disk', starred: 0, updated_at: 6 },
      { run_id: 'r1', display_name: 'best-so-far', note: 'warmup helped a lot', starred: 1, updated_at: 5 },
    ]);
    expect(db.prepare('SELECT run_id, tag, created_at FROM user_tags ORDER BY run_id').all()).toEqual([
      { run_id: 'gone', tag: 'keep', created_at: 8 },
      { run_id: 'r1', tag: 'paper-figure', created_at: 7 },
    ]);
    const found = (query: string) => listRuns(db, { query, sort: { column: 'name', direction: 'asc' } }).rows.map((r) => r.name);
    expect(found('warmup')).toEqual(['best-so-far']);
    expect(found('paper')).toEqual(['best-so-far']);
    expect(found('brave')).toEqual(['best-so-far']);
    expect(found('cifar')).toEqual(['best-so-far', 'calm-fox-2']);
    expect(found('adam')).toEqual(['best-so-far']);
    expect(found('vision')).toEqual(['calm-fox-2']);
    expect(found('orphan')).toEqual([]);
    expect(found("status = 'FAILED' and tags.team = 'vision'")).toEqual(['calm-fox-2']);
    db.close();
  });
});

describe('migration 8 (metric key search)', () => {
  it('adds the metric names of a version-7 catalog to its search words, keeping the other words', () => {
    const file = path.join(tempDir(), 'catalog.db');
    const old = new Database(file);
    migrate(old, 7);
    old.exec(`
      INSERT INTO roots (id, path, added_at) VALUES (1, '/data', 1);
      INSERT INTO experiments (id, root_id, name, format, path) VALUES ('e1', 1, 'cifar-sweep', 'tensorboard', '/data/1');
      INSERT INTO runs (id, root_id, experiment_id, format, name, path, status, indexed_at) VALUES
        ('r1', 1, 'e1', 'tensorboard', 'brave-owl-1', '/data/1/r1', 'finished', 1),
        ('r2', 1, 'e1', 'tensorboard', 'calm-fox-2', '/data/1/r2', 'finished', 1);
      INSERT INTO metric_series (run_id, key, count, last, min, max) VALUES ('r1', 'train/loss', 3, 0.2, 0.2, 0.9), ('r2', 'eval/accuracy', 1, 0.8, 0.8, 0.8);
      INSERT INTO run_search (run_id) VALUES ('r1'), ('r2');
      INSERT INTO run_annotations (run_id, note, updated_at) VALUES ('r1', 'warmup helped', 5);
    `);
    const before = old.prepare("SELECT count(*) FROM run_search_text WHERE run_search_text MATCH '\"train loss\"'").pluck().get();
    expect(before).toBe(0);
    old.close();

    const db = openCatalog(file);
    const found = (query: string) => listRuns(db, { query, sort: { column: 'name', direction: 'asc' } }).rows.map((r) => r.name);
    expect(found('train/loss')).toEqual(['brave-owl-1']);
    expect(found('eval/acc')).toEqual(['calm-fox-2']);
    expect(found('warmup')).toEqual(['brave-owl-1']);
    expect(found('cifar')).toEqual(['brave-owl-1', 'calm-fox-2']);
    // The recreated triggers keep new runs searchable by their metric names.
    db.exec(`
      INSERT INTO runs (id, root_id, experiment_id, format, name, path, status, indexed_at) VALUES ('r3', 1, 'e1', 'tensorboard', 'eager-elk-3', '/data/1/r3', 'finished', 1);
      INSERT INTO metric_series (run_id, key, count, last, min, max) VALUES ('r3', 'train/loss', 1, 0.5, 0.5, 0.5);
      INSERT INTO run_search (run_id) VALUES ('r3');
    `);
    expect(found('train/loss')).toEqual(['brave-owl-1', 'eager-elk-3']);
    db.exec("DELETE FROM runs WHERE id = 'r1'");
    expect(found('train/loss')).toEqual(['eager-elk-3']);
    db.close();
  });
});
