import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempDir } from '../helpers.js';

// Tests run the real git CLI to BUILD repositories; Labdesk itself never runs it.
// The machine's own git config (signing, hooks, default branch) must not change what the tests see.
export const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull };
const IDENTITY = ['-c', 'user.name=Labdesk Test', '-c', 'user.email=test@labdesk.invalid', '-c', 'commit.gpgsign=false'];
export const POSIX = process.platform !== 'win32';

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();
}

/** A repository on branch main with one committed file and a run folder (untracked) inside it. */
export function repoWithCommit(): { repo: string; run: string } {
  const repo = path.join(tempDir(), 'project');
  fs.mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(repo, 'train.py'), 'print("train")\n');
  git(repo, 'add', 'train.py');
  git(repo, 'commit', '-q', '-m', 'first');
  const run = path.join(repo, 'lightning_logs', 'version_0');
  fs.mkdirSync(run, { recursive: true });
  fs.writeFileSync(path.join(run, 'metrics.csv'), 'step,loss\n0,1.0\n');
  return { repo, run };
}

/** Gives a file new times, as an editor saving the same bytes does: git must hash it to know it is unchanged. */
export function touch(file: string, when = new Date('2021-01-01')): void {
  fs.utimesSync(file, when, when);
}

/** Every entry under `dir` (links not followed) with its type, times and content hash: any write shows. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    const full = path.join(dir, rel);
    const st = fs.lstatSync(full);
    if (st.isSymbolicLink()) out[rel] = `link ${fs.readlinkSync(full)}`;
    else if (st.isFile()) out[rel] = `file ${st.mtimeMs} ${st.size} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`;
    else if (st.isDirectory()) {
      out[rel] = `dir ${st.mtimeMs}`;
      for (const name of fs.readdirSync(full).sort()) walk(path.join(rel, name));
    } else out[rel] = `other ${st.mode}`;
  };
  walk('.');
  return out;
}
