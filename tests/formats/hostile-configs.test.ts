import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generic } from '../../src/formats/generic/index.js';
import { hydra } from '../../src/formats/hydra/index.js';
import { mlflowFileStore } from '../../src/formats/mlflow/index.js';
import { wandb } from '../../src/formats/wandb/index.js';
import type { Adapter } from '../../src/formats/adapter.js';
import { copyFixture, REPO, tempCore, tempDir } from '../helpers.js';

/*
 * Indexed folders are untrusted input (issue 11): configs nested a thousand levels deep, YAML
 * aliases that expand a billion times, FIFOs where config files belong, links out of the folder,
 * malformed JSON around secrets. Each must end as a problem entry, never a crash, a hang or a leak.
 */

const IRIS = 'public/mlflow-iris';
const IRIS_EXP = 'mlruns/853099972095872099';
const IRIS_RUN = `${IRIS_EXP}/4ef5854252b74eaead2df1501e3dd622`;
const WANDB_OLD = 'public/wandb-2021-run';
const WANDB_RUN = 'wandb/run-20211019_161302-3v1gxofa';
const HYDRA = 'public/hydra/stavrosb00__FedLearningFoodClassification__flower-outputs-multirun-tensorboard';
const HYDRA_JOB = 'outputs/2024-02-08/21-15-26';

const deepFlow = (levels: number) => '['.repeat(levels) + ']'.repeat(levels); // 2 KB at 1,000 levels
const deepJson = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

/** A folder the generic adapter takes for a run: a metrics file beside the given params files. */
function genericRun(root: string, name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'metrics.json'), '{"acc": 0.5}');
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

async function indexWith(root: string, adapters: Adapter[]) {
  const core = await tempCore();
  const started = Date.now();
  const summary = await core.indexFolders([root], { adapters });
  const seconds = (Date.now() - started) / 1000;
  const runs = (await core.api['runs.list']({ limit: 100, sort: { column: 'name', direction: 'asc' } })).rows;
  const problems = await core.api['problems.list']({});
  return { core, summary, seconds, runs, problems };
}

interface ChildIndex {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  result?: { runs: { path: string; params: Record<string, string> }[]; problems: { path: string; message: string }[] };
}

/**
 * Indexes `root` through the real core in a child process: the old failure was V8 aborting the
 * whole process (SIGABRT), which must show as a failed assertion, not a dead test runner.
 */
function indexInChild(root: string, formats: string[]): ChildIndex {
  const dir = tempDir();
  const script = path.join(dir, 'index-child.mts');
  fs.writeFileSync(script, `
import { createCore } from ${JSON.stringify(pathToFileURL(path.join(REPO, 'src/core.ts')).href)};
import { adapters } from ${JSON.stringify(pathToFileURL(path.join(REPO, 'src/formats/registry.ts')).href)};
const [dbPath, root, formats] = process.argv.slice(2);
const core = await createCore({ dbPath });
await core.indexFolders([root], { adapters: adapters.filter((a) => formats.split(',').includes(a.format)) });
const runs = (await core.api['runs.list']({ limit: 100 })).rows.map((r) => ({ path: r.path, params: r.params }));
const problems = (await core.api['problems.list']({})).map((p) => ({ path: p.path, message: p.message }));
process.stdout.write(JSON.stringify({ runs, problems }));
await core.close();
`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, path.join(dir, 'catalog.db'), root, formats.join(',')], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const out: ChildIndex = { status: child.status, signal: child.signal, stderr: child.stderr.slice(-2000) };
  if (child.status === 0) out.result = JSON.parse(child.stdout) as ChildIndex['result'];
  return out;
}

describe('deeply nested configs', () => {
  it('two 1,000-level params files in one process are problems, not a V8 abort', () => {
    const root = tempDir();
    genericRun(root, 'run-a', { 'params.yaml': deepFlow(1000) });
    genericRun(root, 'run-b', { 'params.yaml': deepFlow(1000) });
    genericRun(root, 'run-e', { 'params.yaml': `lr: 0.1\nnet: ${deepFlow(1000)}\n` });
    genericRun(root, 'run-c', { 'config.json': deepJson(1000) });
    genericRun(root, 'run-d', { 'params.yaml': Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}-`).join('\n') + ' 1\n' });
    const child = indexInChild(root, ['generic']);
    expect({ status: child.status, signal: child.signal }, child.stderr).toEqual({ status: 0, signal: null });
    const { runs, problems } = child.result!;
    expect(runs.map((r) => path.basename(r.path)).sort()).toEqual(['run-a', 'run-b', 'run-c', 'run-d', 'run-e']);
    expect(problems.map((p) => [path.relative(root, p.path), p.message]).sort()).toEqual([
      [path.join('run-a', 'params.yaml'), 'params.yaml: nested deeper than 64 levels; it was not read'],
      [path.join('run-b', 'params.yaml'), 'params.yaml: nested deeper than 64 levels; it was not read'],
      [path.join('run-c', 'config.json'), 'config.json is not a JSON object: nested deeper than 64 levels; it was not read'],
      [path.join('run-d', 'params.yaml'), 'params.yaml: nested deeper than 64 levels; it was not read'],
      [path.join('run-e', 'params.yaml'), 'params.yaml: nested deeper than 64 levels; it was not read'],
    ]);
    // The metrics beside the refused file are still the run's.
    expect(problems.every((p) => !p.message.includes('please report'))).toBe(true);
  });

  it('a W&B run with a 1,000-level files/config.yaml (parsed twice before) keeps its run', () => {
    const root = copyFixture(WANDB_OLD);
    const config = path.join(root, WANDB_RUN, 'files/config.yaml');
    fs.writeFileSync(config, deepFlow(1000));
    const child = indexInChild(root, ['wandb']);
    expect({ status: child.status, signal: child.signal }, child.stderr).toEqual({ status: 0, signal: null });
    const { runs, problems } = child.result!;
    expect(runs).toHaveLength(1);
    expect(problems).toEqual([{ path: config, message: 'config.yaml: nested deeper than 64 levels; it was not read' }]);
  });

  it('nesting within the limit is read as before', async () => {
    const root = tempDir();
    const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
    genericRun(root, 'run', { 'config.json': nested(40) });
    const { runs, problems } = await indexWith(root, [generic]);
    expect(problems).toEqual([]);
    expect(runs[0].params[Array(40).fill('a').join('.')]).toBe('1');
  });
});

describe('YAML aliases', () => {
  const laughs = [
    'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]',
    ...Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`),
  ].join('\n');

  it('a billion-laughs run meta.yaml is a problem; the MLflow run is kept with its params and metrics', async () => {
    const root = copyFixture(IRIS);
    const meta = path.join(root, IRIS_RUN, 'meta.yaml');
    fs.writeFileSync(meta, `${laughs}\nrun_id: 4ef5854252b74eaead2df1501e3dd622\nstatus: 3\n`);
    const { runs, problems, seconds } = await indexWith(root, [mlflowFileStore]);
    expect(runs).toHaveLength(13);
    const run = runs.find((r) => r.path.endsWith('4ef5854252b74eaead2df1501e3dd622'))!;
    expect(Object.keys(run.metrics).length).toBeGreaterThan(0);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [meta, 'run meta.yaml: its YAML aliases expand to over 100 copies (a "billion laughs" file); it was not read'],
    ]);
    expect(seconds).toBeLessThan(20);
  });

  it('aliases are stored as the values they stand for, not as {"source": ...}', async () => {
    const root = tempDir();
    genericRun(root, 'run', {
      'params.yaml': [
        'base: &sizes [64, 32]',
        'layers: *sizes',
        'pair: [*sizes, *sizes]',
        'optim: &opt {name: adam, lr: 1.0e-3}',
        'finetune: {optim: *opt}',
        'name: &n resnet',
        'copy: *n',
      ].join('\n'),
    });
    const { runs, problems } = await indexWith(root, [generic]);
    expect(problems).toEqual([]);
    expect(runs[0].params).toMatchObject({
      base: '[64,32]',
      layers: '[64,32]',
      pair: '[[64,32],[64,32]]',
      'optim.lr': '1.0e-3',
      'finetune.optim.name': 'adam',
      'finetune.optim.lr': '1.0e-3',
      copy: 'resnet',
    });
  });

  it('an alias inside the collection it names is a problem, not an endless walk', async () => {
    const root = tempDir();
    genericRun(root, 'run', { 'params.yaml': 'lr: 0.1\nloop: &l {self: *l}\n' });
    const { runs, problems } = await indexWith(root, [generic]);
    expect(runs).toHaveLength(1);
    expect(problems.map((p) => p.message)).toEqual([
      'params.yaml: its YAML aliases nest deeper than 64 levels, or refer to the collection holding them; it was not read',
    ]);
  });
});

describe('FIFOs where config files belong', () => {
  const fifo = (file: string) => {
    fs.rmSync(file, { force: true });
    execFileSync('mkfifo', [file]);
  };

  it('a FIFO named meta.yaml (MLflow experiment), config.yaml (W&B) or overrides.yaml (Hydra) is a problem; indexing ends promptly', async () => {
    const mlflowRoot = copyFixture(IRIS);
    const expMeta = path.join(mlflowRoot, IRIS_EXP, 'meta.yaml');
    fifo(expMeta);
    const wandbRoot = copyFixture(WANDB_OLD);
    const wandbConfig = path.join(wandbRoot, WANDB_RUN, 'files/config.yaml');
    fifo(wandbConfig);
    const hydraRoot = copyFixture(HYDRA);
    const overrides = path.join(hydraRoot, HYDRA_JOB, '.hydra/overrides.yaml');
    fifo(overrides);
    // More FIFOs than libuv has I/O threads (4): a blocking open on each would stall everything.
    const extra = ['outputs/2024-05-14/15-55-45', 'outputs/2024-05-24/09-40-56', 'multirun/2024-02-26/16-40-30/3', 'multirun/2024-02-26/16-40-30/8'];
    for (const job of extra) fifo(path.join(hydraRoot, job, '.hydra/overrides.yaml'));

    const skipped = 'not a regular file (a FIFO) — skipped';
    const mlflowIndex = await indexWith(mlflowRoot, [mlflowFileStore]);
    expect(mlflowIndex.runs).toHaveLength(13);
    expect(new Set(mlflowIndex.problems.map((p) => [p.path, p.message].join(': ')))).toEqual(new Set([`${expMeta}: experiment meta.yaml: ${skipped}`]));

    const wandbIndex = await indexWith(wandbRoot, [wandb]);
    expect(wandbIndex.runs).toHaveLength(1);
    expect(wandbIndex.problems.map((p) => [p.path, p.message])).toEqual([[wandbConfig, `config.yaml: ${skipped}`]]);

    const hydraIndex = await indexWith(hydraRoot, [hydra]);
    expect(hydraIndex.runs).toHaveLength(26);
    const fifoProblems = hydraIndex.problems.filter((p) => p.message === `overrides.yaml: ${skipped}`);
    expect(fifoProblems.map((p) => p.path)).toContain(overrides);
    expect(fifoProblems).toHaveLength(5);
    expect(mlflowIndex.seconds + wandbIndex.seconds + hydraIndex.seconds).toBeLessThan(30);
  }, 45_000);
});

describe('links out of the indexed folder and error messages', () => {
  const SECRET = 'root:$6$Zq1secretHASHvalue:19000:0:99999:7:::';

  it('a config.json linked to a file outside the folder is not read; the secret reaches no problem or param', async () => {
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'shadow'), `${SECRET}\n`);
    const root = tempDir();
    const dir = genericRun(root, 'run', {});
    fs.symlinkSync(path.join(outside, 'shadow'), path.join(dir, 'config.json'));
    // A link that stays inside the folder is followed as before.
    fs.writeFileSync(path.join(root, 'shared-params.yaml'), 'lr: 0.1\n');
    fs.symlinkSync(path.join(root, 'shared-params.yaml'), path.join(dir, 'params.yaml'));
    const { runs, problems, core } = await indexWith(root, [generic]);
    expect(runs).toHaveLength(1);
    expect(runs[0].params).toEqual({ lr: '0.1' });
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [path.join(dir, 'config.json'), 'config.json: a link out of the indexed folder; not followed'],
    ]);
    const everything = JSON.stringify(core.db.prepare('SELECT * FROM problems').all()) + JSON.stringify(core.db.prepare('SELECT * FROM params').all());
    expect(everything).not.toContain('Zq1secret');
  });

  it('a folder linked from outside is not followed, so no file beyond it is read', async () => {
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'shadow'), `${SECRET}\n`);
    const elsewhere = genericRun(outside, 'elsewhere', { 'params.yaml': 'lr: 0.3\n' });
    fs.symlinkSync(path.join(outside, 'shadow'), path.join(elsewhere, 'config.json'));
    const root = tempDir();
    fs.symlinkSync(elsewhere, path.join(root, 'linked'));
    const { runs, problems } = await indexWith(root, [generic]);
    expect(runs).toEqual([]);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [path.join(root, 'linked'), `a link out of the indexed folder; not followed (to ${fs.realpathSync(elsewhere)}); add that folder itself to index it`],
    ]);
  });

  it('malformed JSON and YAML give a position, never the text around it', async () => {
    const root = tempDir();
    const badLine = `  "token": "${SECRET}" oops`;
    genericRun(root, 'json', { 'config.json': `{\n  "lr": 0.1,\n${badLine}\n}\n` });
    genericRun(root, 'cut', { 'args.json': `{"lr": 0.1, "token": "${SECRET}` });
    genericRun(root, 'yaml', { 'params.yaml': `lr: 0.1\ntoken: "${SECRET}" oops: [\n` });
    const { problems, runs } = await indexWith(root, [generic]);
    expect(problems.map((p) => [path.relative(root, p.path), p.message]).sort()).toEqual([
      // Column 22 is the string's opening quote; the fault in config.json is where "oops" starts.
      [path.join('cut', 'args.json'), 'args.json is not a JSON object: a string that is never closed (cut off?) at line 1, column 22'],
      [path.join('json', 'config.json'), `config.json is not a JSON object: a "," or "}" is missing at line 3, column ${badLine.indexOf('oops') + 1}`],
      [path.join('yaml', 'params.yaml'), expect.stringMatching(/^params\.yaml is not valid YAML: [a-z ]+ at line 2, column \d+( \(and \d+ more errors?\))?; the settings before it were kept$/)],
    ]);
    expect(runs.find((r) => r.name === 'yaml')?.params.lr).toBe('0.1');
    for (const p of problems) {
      expect(p.message).not.toContain('Zq1secret');
      expect(p.message).not.toContain('oops');
    }
  });
});
