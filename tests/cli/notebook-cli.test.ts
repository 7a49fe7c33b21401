import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { copyFixture, REPO, tempDir } from '../helpers.js';

const run = promisify(execFile);
const BIN = path.join(REPO, 'src', 'cli', 'labdesk.mjs');

async function labdesk(...args: string[]) {
  const { stdout } = await run(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

interface RunJson {
  id: string;
  name: string;
  status: string;
  durationSeconds: number | null;
  path: string;
  execution: string | null;
  params: Record<string, string>;
  error: string | null;
}

describe('labdesk CLI on notebook runs', () => {
  it('runs --json gives status, duration and params; show --json the error text and the figures with their mime types', async () => {
    const root = tempDir();
    fs.cpSync(copyFixture('realruns/notebooks'), path.join(root, 'notebooks'), { recursive: true });
    fs.cpSync(copyFixture('public/notebooks/Kay-YOSHI__papermill__papermill-success-and-failed-run'), path.join(root, 'papermill'), { recursive: true });
    const db = path.join(tempDir(), 'c.db');
    const summary = JSON.parse(await labdesk('index', root, '--db', db, '--json'));
    expect(summary).toMatchObject({ runs: 4, experiments: 4, problems: 0 });

    const runs = JSON.parse(await labdesk('runs', '--db', db, '--json')) as RunJson[];
    const byName = (name: string) => runs.find((r) => r.name === name)!;
    expect(runs.map((r) => [r.name, r.status, r.durationSeconds])).toEqual([
      ['base_10.ipynb', 'finished', 1.502],
      ['draft_not_run.ipynb', 'unknown', null],
      ['run_all_1_202309.ipynb', 'failed', 2.255],
      ['train_churn.ipynb', 'finished', 1.101],
    ]);
    // Each path is the notebook file; the execution (nbclient's first cell time, papermill's start) is its own field.
    expect(runs.map((r) => [path.relative(root, r.path), r.execution])).toEqual([
      [path.join('papermill', 'base_10.ipynb'), '2023-09-20T04:04:58.206201'],
      [path.join('notebooks', 'draft_not_run.ipynb'), null],
      [path.join('papermill', 'simple_run_all_all', 'run_all_1_202309.ipynb'), '2023-09-20T04:03:56.777238'],
      [path.join('notebooks', 'train_churn.ipynb'), '2026-11-22T16:39:25.540473Z'],
    ]);
    expect(byName('train_churn.ipynb').params).toEqual({ C: '1.0', max_iter: '200', seed: '0' });
    expect(byName('run_all_1_202309.ipynb').params).toEqual({ ym: '202309' });
    expect(runs.map((r) => r.error)).toEqual([null, null, 'ValueError: No kernel name found in notebook and no override provided.', null]);

    const failed = JSON.parse(await labdesk('show', byName('run_all_1_202309.ipynb').id, '--db', db, '--json'));
    expect(failed.tags.error).toBe('ValueError: No kernel name found in notebook and no override provided.');
    expect(failed.tags['notebook.error.traceback']).toMatch(/^-{75}\nValueError {32}Traceback \(most recent call last\)\n/);

    const churn = JSON.parse(await labdesk('show', byName('train_churn.ipynb').id, '--db', db, '--json'));
    expect([churn.path, churn.execution]).toEqual([path.join(root, 'notebooks', 'train_churn.ipynb'), '2026-11-22T16:39:25.540473Z']);
    const figures = churn.artifacts.filter((a: { kind: string }) => a.kind.startsWith('figure:'));
    expect(figures).toEqual([
      { path: `${path.join(root, 'notebooks', 'train_churn.ipynb')}#cell=4/output=0.png`, kind: 'figure:image/png', sizeBytes: 9723 },
    ]);
  });
});
