import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitInfoCache } from '../../src/index/git-info.js';
import { lightningCsv } from '../../src/formats/lightning-csv.js';
import { tempCore, tempDir } from '../helpers.js';

// The machine's own git config (signing, hooks, default branch) must not change what the tests see.
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull };
const IDENTITY = ['-c', 'user.name=Labdesk Test', '-c', 'user.email=test@labdesk.invalid', '-c', 'commit.gpgsign=false'];
const POSIX = process.platform !== 'win32';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();
}

/** A repository on branch main with one committed file and a run folder (untracked) inside it. */
function repoWithCommit(): { repo: string; run: string } {
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

describe('GitInfoCache', () => {
  it('gives a run folder nested in a repository its branch and commit, clean', async () => {
    const { repo, run } = repoWithCommit();
    const info = await new GitInfoCache().forPath(run);
    // The run folder itself is untracked, which does not make the tree dirty.
    expect(info).toEqual({ commit: git(repo, 'rev-parse', 'HEAD'), branch: 'main', dirty: false, repoRoot: repo });
  });

  it('reports an edited tracked file as dirty, once per cache', async () => {
    const { repo, run } = repoWithCommit();
    const cache = new GitInfoCache();
    expect((await cache.forPath(run))?.dirty).toBe(false);
    fs.appendFileSync(path.join(repo, 'train.py'), 'print("edited")\n');
    // The cache keeps its first answer for the repository; a fresh cache sees the edit.
    expect((await cache.forPath(run))?.dirty).toBe(false);
    expect(await new GitInfoCache().forPath(run)).toMatchObject({ dirty: true, branch: 'main' });
  });

  it('gives a detached HEAD a commit and no branch', async () => {
    const { repo, run } = repoWithCommit();
    git(repo, 'checkout', '-q', '--detach');
    expect(await new GitInfoCache().forPath(run)).toEqual({
      commit: git(repo, 'rev-parse', 'HEAD'), branch: null, dirty: false, repoRoot: repo,
    });
  });

  it('resolves a branch whose ref was moved into packed-refs', async () => {
    const { repo, run } = repoWithCommit();
    git(repo, 'tag', '-a', '-m', 'annotated', 'v1');
    git(repo, 'pack-refs', '--all');
    expect(fs.existsSync(path.join(repo, '.git/refs/heads/main'))).toBe(false);
    expect(await new GitInfoCache().forPath(run)).toMatchObject({ commit: git(repo, 'rev-parse', 'HEAD'), branch: 'main' });
  });

  it('resolves a linked worktree through its .git file and the shared refs', async () => {
    const { repo } = repoWithCommit();
    const worktree = path.join(path.dirname(repo), 'wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'feature', worktree);
    fs.appendFileSync(path.join(worktree, 'train.py'), 'print("feature")\n');
    git(worktree, 'commit', '-q', '-am', 'feature work');
    expect(fs.statSync(path.join(worktree, '.git')).isFile()).toBe(true);
    const run = path.join(worktree, 'outputs', 'run1');
    fs.mkdirSync(run, { recursive: true });

    const cache = new GitInfoCache();
    const info = await cache.forPath(run);
    expect(info).toEqual({ commit: git(worktree, 'rev-parse', 'HEAD'), branch: 'feature', dirty: false, repoRoot: worktree });
    expect(info!.commit).not.toBe(git(repo, 'rev-parse', 'HEAD'));
    // The main work tree is its own repository root, with its own answer.
    expect(await cache.forPath(repo)).toMatchObject({ branch: 'main', repoRoot: repo });
  });

  it('knows the branch of a repository with no commits yet, and no commit', async () => {
    const repo = tempDir();
    git(repo, 'init', '-q', '-b', 'trunk');
    expect(await new GitInfoCache().forPath(repo)).toEqual({ commit: null, branch: 'trunk', dirty: false, repoRoot: repo });
    fs.writeFileSync(path.join(repo, 'a.txt'), 'a\n');
    git(repo, 'add', 'a.txt');
    expect(await new GitInfoCache().forPath(repo)).toMatchObject({ commit: null, dirty: true });
  });

  it('returns null outside any repository', async () => {
    const dir = path.join(tempDir(), 'runs', 'run1');
    fs.mkdirSync(dir, { recursive: true });
    expect(await new GitInfoCache().forPath(dir)).toBeNull();
  });

  it('leaves .git/index untouched where plain git status would rewrite it', async () => {
    const { repo, run } = repoWithCommit();
    const index = path.join(repo, '.git', 'index');
    // New times on a tracked file make its index entry stale: `git status` refreshes and rewrites it.
    fs.utimesSync(path.join(repo, 'train.py'), new Date('2021-01-01'), new Date('2021-01-01'));
    fs.utimesSync(index, new Date('2022-01-01'), new Date('2022-01-01'));
    const before = { mtimeMs: fs.statSync(index).mtimeMs, bytes: fs.readFileSync(index) };

    expect(await new GitInfoCache().forPath(run)).toMatchObject({ dirty: false });
    expect(fs.statSync(index).mtimeMs).toBe(before.mtimeMs);
    expect(fs.readFileSync(index).equals(before.bytes)).toBe(true);
    expect(fs.existsSync(path.join(repo, '.git', 'index.lock'))).toBe(false);

    // The control: plain `git status` does write, so the checks above would have seen a write.
    git(repo, 'status', '--porcelain');
    expect(fs.statSync(index).mtimeMs).not.toBe(before.mtimeMs);
  });

  it('leaves dirty unknown when git cannot be run, and still reads commit and branch', async () => {
    const { repo, run } = repoWithCommit();
    const cache = new GitInfoCache({ gitPath: path.join(tempDir(), 'no-such-git') });
    expect(await cache.forPath(run)).toEqual({ commit: git(repo, 'rev-parse', 'HEAD'), branch: 'main', dirty: null, repoRoot: repo });
  });

  it('leaves every field null for a .git file that leads nowhere, without throwing', async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, '.git'), 'gitdir: missing/.git/worktrees/x\n');
    fs.mkdirSync(path.join(root, 'run'));
    expect(await new GitInfoCache().forPath(path.join(root, 'run'))).toEqual({ commit: null, branch: null, dirty: null, repoRoot: root });
  });

  it.skipIf(!POSIX)('runs git status once per repository, however many runs ask at once', async () => {
    const { repo, run } = repoWithCommit();
    const bin = tempDir();
    const log = path.join(bin, 'calls.log');
    const counting = path.join(bin, 'git');
    fs.writeFileSync(counting, `#!/bin/sh\necho call >> '${log}'\nexec git "$@"\n`, { mode: 0o755 });
    const cache = new GitInfoCache({ gitPath: counting });

    const dirs = [run, repo, path.dirname(run), run, path.join(repo, 'lightning_logs')];
    const results = await Promise.all(dirs.map((d) => cache.forPath(d)));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(results[0]).toMatchObject({ dirty: false, repoRoot: repo });
    await cache.forPath(run);
    expect(fs.readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it.skipIf(!POSIX)('gives up on a git that hangs, and calls overflowing output dirty', async () => {
    const { run } = repoWithCommit();
    const bin = tempDir();
    const hanging = path.join(bin, 'hanging-git');
    fs.writeFileSync(hanging, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const started = Date.now();
    expect((await new GitInfoCache({ gitPath: hanging, timeoutMs: 200 }).forPath(run))?.dirty).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);

    const chatty = path.join(bin, 'chatty-git');
    fs.writeFileSync(chatty, '#!/bin/sh\nexec head -c 4000000 /dev/zero\n', { mode: 0o755 });
    expect((await new GitInfoCache({ gitPath: chatty }).forPath(run))?.dirty).toBe(true);
  });

  it('gives an indexed run without a recorded commit the enclosing repository\'s commit, branch and dirty state', async () => {
    const { repo, run } = repoWithCommit();
    fs.writeFileSync(path.join(run, 'hparams.yaml'), 'lr: 0.1\n');
    fs.appendFileSync(path.join(repo, 'train.py'), '# edited\n');
    const core = await tempCore();
    await core.indexFolders([repo], { adapters: [lightningCsv] });
    const [summary] = (await core.api['runs.list']({})).rows;
    const detail = await core.api['runs.get']({ id: summary.id });
    expect(detail.gitCommit).toBe(git(repo, 'rev-parse', 'HEAD'));
    expect(detail.tags).toMatchObject({ 'git.branch': 'main', 'git.dirty': 'true' });
  });
});
