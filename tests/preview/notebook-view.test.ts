import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { MAX_FIGURE_BYTES } from '../../src/preview/notebook-view.js';
import { notebook } from '../../src/formats/notebook/index.js';
import { htmlToText, MAX_OUTPUT_CHARS, terminalText } from '../../src/formats/notebook/render.js';
import { copyFixture, tempCore, tempDir } from '../helpers.js';

const NBCONVERT = 'realruns/notebooks';
const PAPERMILL = 'public/notebooks/Kay-YOSHI__papermill__papermill-success-and-failed-run';
const NER = 'public/notebooks/microsoft__nlp-recipes__scrapbook-glue-ner-training';

async function indexCopy(root: string) {
  const core = await tempCore();
  await core.indexFolders([root], { adapters: [notebook] });
  const runs = (await core.api['runs.list']({ limit: 100 })).rows;
  const idOf = (name: string) => runs.find((r) => r.name === name)!.id;
  return { core, api: core.api, idOf };
}

/** The ApiError a call rejects with. */
async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('artifacts.figure', () => {
  it('returns the PNG bytes of a figure the run lists, as many as the adapter recorded', async () => {
    const dir = copyFixture(NBCONVERT);
    const { api, idOf } = await indexCopy(dir);
    const run = idOf('train_churn.ipynb');
    const figurePath = `${path.join(dir, 'train_churn.ipynb')}#cell=4/output=0.png`;
    const listed = (await api['runs.get']({ id: run })).artifacts.find((a) => a.path === figurePath);
    expect(listed).toEqual({ path: figurePath, kind: 'figure:image/png', sizeBytes: 9723 });

    const figure = await api['artifacts.figure']({ run, path: figurePath });
    expect(figure.mime).toBe('image/png');
    expect(figure.sizeBytes).toBe(9723);
    const bytes = Buffer.from(figure.data, 'base64');
    expect(bytes.length).toBe(9723);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // The same bytes the notebook holds for cell 4's first output.
    const nb = JSON.parse(fs.readFileSync(path.join(dir, 'train_churn.ipynb'), 'utf8'));
    expect(figure.data).toBe(String(nb.cells[4].outputs[0].data['image/png']).replace(/\s+/g, ''));
  });

  it('refuses any path that is not a figure listed for that run', async () => {
    const dir = copyFixture(NBCONVERT);
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'not for the UI');
    // As nbconvert left them: metrics.json written during the run (so listed as its output).
    fs.utimesSync(path.join(dir, 'metrics.json'), new Date('2026-11-22T16:39:26.640Z'), new Date('2026-11-22T16:39:26.640Z'));
    const { api, idOf } = await indexCopy(dir);
    const run = idOf('train_churn.ipynb');
    const nb = path.join(dir, 'train_churn.ipynb');

    // A file on disk, a listed artifact that is not a figure, the notebook itself, a figure it does not list.
    const secret = await failure(api['artifacts.figure']({ run, path: path.join(dir, 'secret.txt') }));
    expect(secret.name).toBe('NotFound');
    expect(secret.message).toContain('lists no figure');
    const output = await failure(api['artifacts.figure']({ run, path: path.join(dir, 'metrics.json') }));
    expect(output).toMatchObject({ name: 'BadRequest', message: `"${path.join(dir, 'metrics.json')}" is not a figure (the run lists it as output).` });
    expect((await failure(api['artifacts.figure']({ run, path: nb }))).name).toBe('NotFound');
    expect((await failure(api['artifacts.figure']({ run, path: `${nb}#cell=3/output=0.png` }))).name).toBe('NotFound');
    expect((await failure(api['artifacts.figure']({ run, path: '../../etc/passwd' }))).name).toBe('NotFound');
    // Another run's figure is not this run's.
    const draft = idOf('draft_not_run.ipynb');
    expect((await failure(api['artifacts.figure']({ run: draft, path: `${nb}#cell=4/output=0.png` }))).name).toBe('NotFound');
  });

  it('refuses a figure over the size cap with a clear message, before reading it', async () => {
    const dir = tempDir();
    const big = Buffer.alloc(MAX_FIGURE_BYTES + 3, 1).toString('base64');
    const cells = [{
      cell_type: 'code', execution_count: 1, id: 'c0', metadata: {}, source: ['plot()'],
      outputs: [{ output_type: 'display_data', data: { 'image/png': big, 'text/plain': ['<Figure>'] }, metadata: {} }],
    }];
    fs.writeFileSync(path.join(dir, 'huge.ipynb'), JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    const { api, idOf } = await indexCopy(dir);
    const err = await failure(api['artifacts.figure']({ run: idOf('huge.ipynb'), path: `${path.join(dir, 'huge.ipynb')}#cell=0/output=0.png` }));
    expect(err.name).toBe('BadRequest');
    expect(err.message).toBe('This figure is 20.0 MB; Labdesk shows figures up to 20.0 MB. Open the notebook to see it.');
  });
});

describe('notebooks.render', () => {
  it('the nbconvert notebook: markdown and code cells with their execution counts, stream, figure and result outputs', async () => {
    const dir = copyFixture(NBCONVERT);
    const { api, idOf } = await indexCopy(dir);
    const nb = path.join(dir, 'train_churn.ipynb');
    const view = await api['notebooks.render']({ run: idOf('train_churn.ipynb') });
    expect(view).toMatchObject({ file: nb, language: 'python', error: null, omittedCells: 0, changedSinceIndexed: false });
    expect(view.cells.map((c) => [c.index, c.type, c.executionCount])).toEqual([
      [0, 'markdown', null], [1, 'code', 1], [2, 'code', 2], [3, 'code', 3], [4, 'code', 4], [5, 'code', 5],
    ]);
    expect(view.cells[0].source).toBe('# Churn model\nTrains a logistic regression and saves it.');
    expect(view.cells[1]).toMatchObject({ source: 'C = 1.0\nmax_iter = 200\nseed = 0', tags: ['parameters'], outputs: [] });
    expect(view.cells[3].outputs).toEqual([{ kind: 'stream', name: 'stdout', text: 'accuracy=0.9267\n' }]);
    // The image output refers to the figure artifact instead of carrying its bytes.
    expect(view.cells[4].outputs).toEqual([{ kind: 'image', mime: 'image/png', figurePath: `${nb}#cell=4/output=0.png` }]);
    expect(view.cells[5].outputs).toEqual([{ kind: 'text', text: "{'accuracy': 0.9266666666666666}" }]);
    const artifacts = (await api['runs.get']({ id: view.run })).artifacts.map((a) => a.path);
    expect(artifacts).toContain(view.cells[4].outputs[0].figurePath);
  });

  it('the failing papermill notebook: the error output with an ANSI-free traceback, in cell 5 (In [4])', async () => {
    const dir = copyFixture(PAPERMILL);
    const { api, idOf } = await indexCopy(dir);
    const view = await api['notebooks.render']({ run: idOf('run_all_1_202309.ipynb') });
    expect(view.cells.map((c) => [c.type, c.executionCount])).toEqual([
      ['markdown', null], ['code', 1], ['code', 2], ['code', 3], ['markdown', null], ['code', 4], ['code', null],
    ]);
    expect(view.cells[0].tags).toEqual(['papermill-error-cell-tag']);
    expect(view.cells[2]).toMatchObject({ tags: ['injected-parameters'], source: '# Parameters\nym = "202309"\n' });
    const failing = view.cells[5];
    expect(failing.outputs).toHaveLength(1);
    const error = failing.outputs[0];
    expect(error).toMatchObject({ kind: 'error', ename: 'ValueError', evalue: 'No kernel name found in notebook and no override provided.' });
    expect(error.text).not.toContain('\u001b');
    expect(error.text!.split('\n').slice(0, 4)).toEqual([
      '---------------------------------------------------------------------------',
      'ValueError                                Traceback (most recent call last)',
      '~\\AppData\\Local\\Temp/ipykernel_6636/2076367426.py in <module>',
      '----> 1 pm.execute_notebook(',
    ]);
    expect(error.text!.endsWith('ValueError: No kernel name found in notebook and no override provided.')).toBe(true);
    // The same traceback the catalog keeps for the run.
    const { tags } = await api['runs.get']({ id: view.run });
    expect(error.text).toBe(tags['notebook.error.traceback']);
  });

  it('the NER notebook: streams merged per stream with progress bars settled, tables as text, scrapbook glue', async () => {
    const { api, idOf } = await indexCopy(copyFixture(NER));
    const view = await api['notebooks.render']({ run: idOf('ner_wikigold_transformer.ipynb') });
    expect(view.cells).toHaveLength(31);
    expect(view.cells.filter((c) => c.type === 'code').map((c) => c.executionCount)).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, null]);
    const cell11 = view.cells[11].outputs;
    expect(cell11.map((o) => [o.kind, o.name])).toEqual([['stream', 'stderr'], ['stream', 'stdout'], ['stream', 'stderr']]);
    expect(cell11[1].text).toBe('Maximum sequence length is: 144\n');
    // pandas frames: the text/plain table, not the HTML.
    expect(view.cells[9].outputs[0].kind).toBe('text');
    expect(view.cells[9].outputs[0].text).toContain('supported models');
    expect(view.cells[29].outputs.map((o) => o.text)).toEqual([
      'scrapbook glue: precision = 0.77', 'scrapbook glue: recall = 0.82', 'scrapbook glue: f1 = 0.79',
    ]);
  });

  it('a long output keeps its head and tail; HTML without plain text shows as text', async () => {
    const dir = tempDir();
    const log = Array.from({ length: 5000 }, (_, i) => `epoch ${i} loss ${(1 / (i + 1)).toFixed(6)}\n`).join('');
    const cells = [
      { cell_type: 'code', execution_count: 1, id: 'a', metadata: {}, source: 'train()', outputs: [{ output_type: 'stream', name: 'stdout', text: log }] },
      { cell_type: 'code', execution_count: 2, id: 'b', metadata: {}, source: 'show()', outputs: [{ output_type: 'display_data', data: { 'text/html': '<table><tr><th>a</th><td>1 &amp; 2</td></tr></table>', 'text/plain': '<IPython.core.display.HTML object>' }, metadata: {} }] },
    ];
    fs.writeFileSync(path.join(dir, 'long.ipynb'), JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    const { api, idOf } = await indexCopy(dir);
    const view = await api['notebooks.render']({ run: idOf('long.ipynb') });
    const out = view.cells[0].outputs[0];
    expect(out.omittedChars).toBe(log.length - MAX_OUTPUT_CHARS);
    expect(out.text!.startsWith('epoch 0 loss 1.000000\n')).toBe(true);
    expect(out.text!.endsWith('epoch 4999 loss 0.000200\n')).toBe(true);
    expect(out.text).toContain(`… ${(log.length - MAX_OUTPUT_CHARS).toLocaleString('en-US')} characters not shown …`);
    expect(view.cells[1].outputs).toEqual([{ kind: 'html-as-text', text: 'a\t1 & 2' }]);

    expect((await failure(api['notebooks.render']({ run: 'no-such-run' }))).name).toBe('NotFound');
  });

  it('refuses runs of other formats', async () => {
    const core = await tempCore();
    await core.indexFolders([copyFixture('realruns/lightning_project')]);
    const run = (await core.api['runs.list']({ limit: 1, query: "attributes.format = 'lightning-csv'" })).rows[0];
    const err = await failure(core.api['notebooks.render']({ run: run.id }));
    expect(err).toMatchObject({ name: 'BadRequest', message: 'This run was read from lightning-csv files, not from a notebook: there is no notebook to show.' });
  });

  it('says when the file was saved again after the run was indexed', async () => {
    const dir = copyFixture(NBCONVERT);
    const { api, idOf } = await indexCopy(dir);
    const nb = path.join(dir, 'train_churn.ipynb');
    const run = idOf('train_churn.ipynb');
    fs.appendFileSync(nb, '\n');
    const view = await api['notebooks.render']({ run });
    expect(view.changedSinceIndexed).toBe(true);
  });
});

describe('terminal and HTML text', () => {
  it('carriage returns and backspaces overwrite as a terminal would', () => {
    expect(terminalText('10%|#  |\r50%|### |\r100%|#####|\nnext')).toBe('100%|#####|\nnext');
    expect(terminalText('abc\rx')).toBe('xbc');
    expect(terminalText('ab\x08c')).toBe('ac');
    expect(terminalText('\u001b[31mred\u001b[0m\r\n')).toBe('red\n');
  });

  it('HTML keeps its text, rows on lines and cells tab-separated', () => {
    expect(htmlToText('<style>td{}</style><div><b>x</b> &lt;y&gt;&#33;</div><p>z&nbsp;w</p>')).toBe('x <y>!\nz w');
  });
});
