import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitInfoCache } from '../../src/index/git-info.js';
import { lightningCsv } from '../../src/formats/lightning-csv.js';
import { tempCore, tempDir } from '../helpers.js';
import { execFileSync } from 'node:child_process';
import { git, POSIX, repoWithCommit, snapshot, touch } from './git-repos.js';

function execMkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
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

  it('leaves every field null for a .git file that leads nowhere, without throwing', async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, '.git'), 'gitdir: missing/.git/worktrees/x\n');
    fs.mkdirSync(path.join(root, 'run'));
    expect(await new GitInfoCache().forPath(path.join(root, 'run'))).toEqual({ commit: null, branch: null, dirty: null, repoRoot: root });
  });

  it('reads each repository once, however many runs ask at once', async () => {
    const { repo, run } = repoWithCommit();
    const cache = new GitInfoCache();
    const dirs = [run, repo, path.dirname(run), run, path.join(repo, 'lightning_logs')];
    const results = await Promise.all(dirs.map((d) => cache.forPath(d)));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(results[0]).toMatchObject({ dirty: false, repoRoot: repo });
    // Had any of the calls read the repository again, it would have seen this edit.
    fs.appendFileSync(path.join(repo, 'train.py'), '# edited\n');
    expect((await cache.forPath(path.join(repo, 'lightning_logs')))?.dirty).toBe(false);
  });

  it('never runs a clean filter the repository configures, and still sees filtered files change', async () => {
    const { repo, run } = repoWithCommit();
    fs.writeFileSync(path.join(repo, '.gitattributes'), '*.yaml filter=x\n');
    fs.writeFileSync(path.join(repo, 'config.yaml'), 'lr: 0.1\n');
    fs.writeFileSync(path.join(repo, 'other.yaml'), 'seed: 1\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'configs');
    const marker = path.join(path.dirname(repo), 'PWNED');
    git(repo, 'config', 'filter.x.clean', `id > '${marker}'; cat`);
    // Touched: same bytes, new times, so git would re-hash it through the filter.
    touch(path.join(repo, 'config.yaml'));
    const before = snapshot(repo);
    expect(await new GitInfoCache().forPath(run)).toMatchObject({ dirty: false, branch: 'main' });
    expect(fs.existsSync(marker)).toBe(false);
    expect(snapshot(repo)).toEqual(before);

    // Edited to the same size: only the content, hashed in-process, shows the change.
    fs.writeFileSync(path.join(repo, 'other.yaml'), 'seed: 2\n');
    touch(path.join(repo, 'other.yaml'));
    const edited = snapshot(repo);
    expect((await new GitInfoCache().forPath(run))?.dirty).toBe(true);
    expect(fs.existsSync(marker)).toBe(false);
    expect(snapshot(repo)).toEqual(edited);

    // The control: git itself runs the filter here, so the checks above would have seen it.
    git(repo, 'status', '--porcelain');
    expect(fs.existsSync(marker)).toBe(true);
  });

  it.skipIf(!POSIX)('never runs an fsmonitor hook or any hook, and writes nothing anywhere in the repository', async () => {
    const { repo, run } = repoWithCommit();
    fs.writeFileSync(path.join(repo, 'notes.txt'), 'notes\n');
    git(repo, 'add', 'notes.txt'); // staged, not committed: dirty
    const outside = path.dirname(repo);
    const hooks = path.join(outside, 'hooks');
    fs.mkdirSync(hooks);
    const script = (name: string) => `#!/bin/sh\ntouch '${path.join(outside, `RAN-${name}`)}'\n`;
    const names = ['post-index-change', 'reference-transaction', 'post-checkout', 'pre-commit', 'pre-auto-gc'];
    for (const name of names) {
      fs.writeFileSync(path.join(hooks, name), script(name), { mode: 0o755 });
      fs.writeFileSync(path.join(repo, '.git', 'hooks', name), script(`own-${name}`), { mode: 0o755 });
    }
    fs.writeFileSync(path.join(outside, 'fsmonitor.sh'), script('fsmonitor'), { mode: 0o755 });
    git(repo, 'config', 'core.fsmonitor', path.join(outside, 'fsmonitor.sh'));
    git(repo, 'config', 'core.hooksPath', hooks);
    touch(path.join(repo, 'train.py'));
    const before = snapshot(repo);

    expect(await new GitInfoCache().forPath(run)).toMatchObject({ dirty: true, branch: 'main' });
    expect(fs.readdirSync(outside).filter((n) => n.startsWith('RAN-'))).toEqual([]);
    expect(snapshot(repo)).toEqual(before);

    // The control: plain `git status` runs the monitor and, rewriting the index, post-index-change.
    git(repo, 'status', '--porcelain');
    expect(fs.readdirSync(outside).filter((n) => n.startsWith('RAN-')).sort()).toEqual(['RAN-fsmonitor', 'RAN-post-index-change']);
  });

  it('answers unknown past the tracked-file limit, keeping commit and branch', async () => {
    const { repo, run } = repoWithCommit();
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(repo, `f${i}.txt`), `${i}\n`);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'many');
    expect(await new GitInfoCache({ maxTrackedFiles: 10 }).forPath(run)).toEqual({
      commit: git(repo, 'rev-parse', 'HEAD'), branch: 'main', dirty: null, repoRoot: repo,
    });
    expect((await new GitInfoCache({ maxTrackedFiles: 100 }).forPath(run))?.dirty).toBe(false);
  });

  it('answers unknown when telling would mean hashing more bytes than allowed', async () => {
    const { repo, run } = repoWithCommit();
    fs.writeFileSync(path.join(repo, 'weights.bin'), Buffer.alloc(3 * 1024 * 1024, 7));
    git(repo, 'add', 'weights.bin');
    git(repo, 'commit', '-q', '-m', 'weights');
    touch(path.join(repo, 'weights.bin')); // stale stat data: only hashing can tell
    expect((await new GitInfoCache({ maxHashedBytes: 1024 * 1024 }).forPath(run))?.dirty).toBeNull();
    expect((await new GitInfoCache({ maxHashedBytes: 4 * 1024 * 1024 }).forPath(run))?.dirty).toBe(false);
    // A change stat data alone proves needs no hashing, so the limit does not hide it.
    fs.appendFileSync(path.join(repo, 'weights.bin'), 'x');
    expect((await new GitInfoCache({ maxHashedBytes: 1024 * 1024 }).forPath(run))?.dirty).toBe(true);
  });

  it.skipIf(!POSIX)('calls a FIFO in place of a tracked file a change, without opening it', async () => {
    const { repo, run } = repoWithCommit();
    fs.rmSync(path.join(repo, 'train.py'));
    execMkfifo(path.join(repo, 'train.py'));
    const started = Date.now();
    expect((await new GitInfoCache().forPath(run))?.dirty).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
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
