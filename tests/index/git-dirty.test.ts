import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GitInfoCache } from '../../src/index/git-info.js';
import { tempDir } from '../helpers.js';
import { git, POSIX, repoWithCommit, touch } from './git-repos.js';

const dirtyOf = async (dir: string) => (await new GitInfoCache().forPath(dir))?.dirty;
// What git itself says, asked after Labdesk (git status may rewrite the index).
const gitSaysDirty = (repo: string) => git(repo, 'status', '--porcelain', '--untracked-files=no') !== '';

/** A repository with nested folders and several commits, repacked so trees are deltas in one pack. */
function packedRepo(): string {
  const repo = path.join(tempDir(), 'packed');
  fs.mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  for (let round = 0; round < 4; round++) {
    for (let d = 0; d < 6; d++) {
      fs.mkdirSync(path.join(repo, 'src', `mod${d}`, 'deep'), { recursive: true });
      for (let f = 0; f < 8; f++) {
        fs.writeFileSync(path.join(repo, 'src', `mod${d}`, `file${f}.py`), `# module ${d} file ${f}\n`.repeat(20 + round * (f === 0 ? 1 : 0)));
      }
      fs.writeFileSync(path.join(repo, 'src', `mod${d}`, 'deep', `r${round}.txt`), `round ${round}\n`);
    }
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', `round ${round}`);
  }
  git(repo, 'gc', '-q', '--aggressive', '--prune=now');
  return repo;
}

describe('dirty state read from .git without git', () => {
  it('reads trees from a pack of deltas and an index of version 4', async () => {
    const repo = packedRepo();
    expect(fs.readdirSync(path.join(repo, '.git', 'objects', 'pack')).some((n) => n.endsWith('.pack'))).toBe(true);
    expect(fs.existsSync(path.join(repo, '.git', 'objects', git(repo, 'rev-parse', 'HEAD^{tree}').slice(0, 2)))).toBe(false);
    git(repo, 'update-index', '--index-version', '4');
    expect(fs.readFileSync(path.join(repo, '.git', 'index')).readUInt32BE(4)).toBe(4);
    expect(await dirtyOf(repo)).toBe(false);

    // Every file's stat data stale: each is hashed, and all still match.
    for (let d = 0; d < 6; d++) for (let f = 0; f < 8; f++) touch(path.join(repo, 'src', `mod${d}`, `file${f}.py`));
    expect(await dirtyOf(repo)).toBe(false);
    expect(gitSaysDirty(repo)).toBe(false);

    // The newest trees are whole in a pack; older ones are stored as deltas against them.
    git(repo, 'checkout', '-q', 'HEAD~3');
    expect(await dirtyOf(repo)).toBe(false);
    fs.writeFileSync(path.join(repo, 'src', 'mod2', 'deep', 'r0.txt'), 'round X\n');
    expect(await dirtyOf(repo)).toBe(true);
  });

  it('sees a staged change even when the work tree matches the index', async () => {
    const repo = packedRepo();
    const file = path.join(repo, 'src', 'mod3', 'file5.py');
    fs.appendFileSync(file, '# staged\n');
    git(repo, 'add', file);
    expect(await dirtyOf(repo)).toBe(true);
    expect(gitSaysDirty(repo)).toBe(true);
  });

  it('sees a staged change reverted in the work tree, a deletion, and a new executable bit', async () => {
    const { repo } = repoWithCommit();
    const file = path.join(repo, 'train.py');
    fs.appendFileSync(file, '# staged\n');
    git(repo, 'add', 'train.py');
    git(repo, 'checkout', 'HEAD', '--', 'train.py');
    git(repo, 'reset', '-q'); // back to clean
    expect(await dirtyOf(repo)).toBe(false);
    fs.appendFileSync(file, '# staged\n');
    git(repo, 'add', 'train.py');
    fs.writeFileSync(file, 'print("train")\n'); // work tree as HEAD, index not
    expect(await dirtyOf(repo)).toBe(true);
    git(repo, 'reset', '-q', '--hard');

    fs.rmSync(file);
    expect(await dirtyOf(repo)).toBe(true);
    git(repo, 'checkout', '--', 'train.py');
    if (POSIX) {
      fs.chmodSync(file, 0o755);
      expect(await dirtyOf(repo)).toBe(true);
      expect(gitSaysDirty(repo)).toBe(true);
    }
  });

  it.skipIf(!POSIX)('calls a tracked file behind a link that replaced its folder gone, as git does', async () => {
    const { repo } = repoWithCommit();
    fs.mkdirSync(path.join(repo, 'conf'));
    fs.writeFileSync(path.join(repo, 'conf', 'a.yaml'), 'a: 1\n');
    git(repo, 'add', 'conf');
    git(repo, 'commit', '-q', '-m', 'conf');
    const elsewhere = tempDir();
    fs.cpSync(path.join(repo, 'conf'), elsewhere, { recursive: true, preserveTimestamps: true });
    fs.rmSync(path.join(repo, 'conf'), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(repo, 'conf'));
    expect(await dirtyOf(repo)).toBe(true);
    expect(gitSaysDirty(repo)).toBe(true);
  });

  it.skipIf(!POSIX)('compares a tracked symbolic link by its target, never following it', async () => {
    const { repo } = repoWithCommit();
    fs.symlinkSync('train.py', path.join(repo, 'latest.py'));
    git(repo, 'add', 'latest.py');
    git(repo, 'commit', '-q', '-m', 'link');
    fs.lutimesSync(path.join(repo, 'latest.py'), new Date('2021-01-01'), new Date('2021-01-01'));
    expect(await dirtyOf(repo)).toBe(false);
    fs.rmSync(path.join(repo, 'latest.py'));
    fs.symlinkSync('train.pz', path.join(repo, 'latest.py')); // same length, other target
    expect(await dirtyOf(repo)).toBe(true);
    expect(gitSaysDirty(repo)).toBe(true);
  });

  it('reports an unresolved merge conflict as dirty', async () => {
    const { repo } = repoWithCommit();
    git(repo, 'checkout', '-q', '-b', 'other');
    fs.writeFileSync(path.join(repo, 'train.py'), 'print("other")\n');
    git(repo, 'commit', '-q', '-am', 'other');
    git(repo, 'checkout', '-q', 'main');
    fs.writeFileSync(path.join(repo, 'train.py'), 'print("main")\n');
    git(repo, 'commit', '-q', '-am', 'main');
    expect(() => git(repo, 'merge', '-q', 'other')).toThrow();
    fs.writeFileSync(path.join(repo, 'train.py'), 'print("main")\n'); // conflict markers gone, still unresolved
    expect(await dirtyOf(repo)).toBe(true);
  });

  it('works in a SHA-256 repository', async () => {
    const repo = tempDir();
    git(repo, 'init', '-q', '-b', 'main', '--object-format=sha256');
    fs.writeFileSync(path.join(repo, 'a.txt'), 'a\n');
    git(repo, 'add', 'a.txt');
    git(repo, 'commit', '-q', '-m', 'a');
    touch(path.join(repo, 'a.txt'));
    expect(await new GitInfoCache().forPath(repo)).toMatchObject({ commit: git(repo, 'rev-parse', 'HEAD'), dirty: false });
    fs.writeFileSync(path.join(repo, 'a.txt'), 'b\n');
    touch(path.join(repo, 'a.txt'));
    expect(await dirtyOf(repo)).toBe(true);
  });

  it('takes a work-tree file matching its Git LFS pointer as unchanged', async () => {
    const { repo } = repoWithCommit();
    const content = Buffer.alloc(100_000, 3);
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${createHash('sha256').update(content).digest('hex')}\nsize ${content.length}\n`;
    fs.writeFileSync(path.join(repo, '.gitattributes'), '*.bin filter=lfs diff=lfs merge=lfs -text\n');
    // No git-lfs here: commit the pointer as LFS would, then check the real content out by hand.
    fs.writeFileSync(path.join(repo, 'model.bin'), pointer);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'lfs');
    const pointerId = git(repo, 'rev-parse', 'HEAD:model.bin');
    fs.writeFileSync(path.join(repo, 'model.bin'), content);
    git(repo, 'update-index', '--cacheinfo', `100644,${pointerId},model.bin`); // stat data zeroed
    expect(await dirtyOf(repo)).toBe(false);

    content[500] = 4; // same size, other bytes
    fs.writeFileSync(path.join(repo, 'model.bin'), content);
    expect(await dirtyOf(repo)).toBe(true);
  });

  it('takes CRLF files as unchanged where autocrlf stores them with LF', async () => {
    const { repo } = repoWithCommit();
    git(repo, 'config', 'core.autocrlf', 'true');
    fs.writeFileSync(path.join(repo, 'notes.txt'), 'one\r\ntwo\r\n');
    git(repo, 'add', 'notes.txt');
    git(repo, 'commit', '-q', '-m', 'notes');
    expect(git(repo, 'cat-file', '-p', 'HEAD:notes.txt')).toBe('one\ntwo');
    touch(path.join(repo, 'notes.txt'));
    expect(await dirtyOf(repo)).toBe(false);
    expect(gitSaysDirty(repo)).toBe(false);
    fs.writeFileSync(path.join(repo, 'notes.txt'), 'one\r\nTWO\r\n');
    touch(path.join(repo, 'notes.txt'));
    expect(await dirtyOf(repo)).toBe(true);
  });

  it('follows an assume-unchanged flag as git does', async () => {
    const { repo } = repoWithCommit();
    git(repo, 'update-index', '--assume-unchanged', 'train.py');
    fs.appendFileSync(path.join(repo, 'train.py'), '# hidden\n');
    expect(await dirtyOf(repo)).toBe(false);
    expect(gitSaysDirty(repo)).toBe(false);
  });

  it('sees a submodule moved to another commit', async () => {
    const upstream = repoWithCommit().repo;
    const { repo } = repoWithCommit();
    git(repo, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', upstream, 'lib');
    git(repo, 'commit', '-q', '-m', 'submodule');
    expect(await dirtyOf(repo)).toBe(false);
    fs.writeFileSync(path.join(repo, 'lib', 'extra.py'), 'x = 1\n');
    git(path.join(repo, 'lib'), 'add', 'extra.py');
    git(path.join(repo, 'lib'), 'commit', '-q', '-m', 'moved');
    expect(await dirtyOf(repo)).toBe(true);
    expect(gitSaysDirty(repo)).toBe(true);
  });

  it('answers unknown for a tree object that inflates past its limit, quickly and without holding it', async () => {
    const { repo } = repoWithCommit();
    const tree = git(repo, 'rev-parse', 'HEAD^{tree}');
    const file = path.join(repo, '.git', 'objects', tree.slice(0, 2), tree.slice(2));
    // 256 MiB of zeros compresses to ~250 KB: a bomb, declared honestly in its header.
    const size = 256 * 1024 * 1024;
    const deflate = zlib.createDeflate({ level: 9 });
    const chunks: Buffer[] = [];
    deflate.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((resolve) => deflate.on('end', resolve));
    deflate.write(`tree ${size}\0`);
    const zeros = Buffer.alloc(16 * 1024 * 1024);
    for (let i = 0; i < size / zeros.length; i++) deflate.write(zeros);
    deflate.end();
    await done;
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, Buffer.concat(chunks));
    const started = Date.now();
    expect(await new GitInfoCache().forPath(repo)).toMatchObject({ branch: 'main', dirty: null });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers unknown for a truncated index', async () => {
    const { repo } = repoWithCommit();
    const index = path.join(repo, '.git', 'index');
    fs.writeFileSync(index, fs.readFileSync(index).subarray(0, 50));
    expect(await dirtyOf(repo)).toBeNull();
  });
});
