import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Where a run's code came from: the checked-out commit and branch, and whether tracked files had edits. */
export interface GitInfo {
  /** The checked-out commit; null in a repository with no commits yet, or when it cannot be read. */
  commit: string | null;
  /** The checked-out branch; null when HEAD is detached or cannot be read. */
  branch: string | null;
  /** Tracked files differ from HEAD (untracked files do not count); null when git could not tell. */
  dirty: boolean | null;
  /** The top folder of the work tree (a linked worktree is its own root). */
  repoRoot: string;
}

export interface GitInfoOptions {
  /** The git executable; `git` on PATH by default. */
  gitPath?: string;
  /** How long one `git status` may run before the answer is "unknown". */
  timeoutMs?: number;
}

// SHA-1 object ids, or SHA-256 ones in repositories created with --object-format=sha256.
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const MAX_SYMREF_DEPTH = 5;
// Only emptiness matters; output past this proves the tree dirty without holding it all.
const MAX_STATUS_OUTPUT = 1024 * 1024;
// A folder of many clones must not start a git process per repository at once.
const MAX_CONCURRENT_STATUS = 4;
// Variables that would point git at some other repository than the one in `cwd` (set, for example,
// when Labdesk is started from a git hook).
const REPO_LOCATION_VARS = [
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_NAMESPACE', 'GIT_PREFIX',
];

/**
 * Git state of the repositories enclosing run folders. Commit and branch are read from files; only
 * "dirty" runs git, once per repository for the life of the cache, since many runs share a repository.
 * Nothing is ever written into the user's folders, and nothing throws: what cannot be read is null.
 */
export class GitInfoCache {
  private readonly roots = new Map<string, Promise<string | null>>();
  private readonly infos = new Map<string, Promise<GitInfo>>();
  private readonly gitPath: string;
  private readonly timeoutMs: number;
  private readonly env: NodeJS.ProcessEnv;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(options: GitInfoOptions = {}) {
    this.gitPath = options.gitPath ?? 'git';
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.env = { ...process.env, GIT_OPTIONAL_LOCKS: '0' };
    for (const name of REPO_LOCATION_VARS) delete this.env[name];
  }

  /** The git state of the repository enclosing `dir`, or null when `dir` is in none. */
  async forPath(dir: string): Promise<GitInfo | null> {
    try {
      const root = await this.repoRootOf(path.resolve(dir));
      if (root === null) return null;
      let info = this.infos.get(root);
      if (!info) {
        info = this.load(root);
        this.infos.set(root, info);
      }
      // A copy, so a caller editing its result cannot change what later callers get.
      return { ...(await info) };
    } catch {
      return null;
    }
  }

  // Each folder on the way up is cached as its own promise, so sibling runs and concurrent calls
  // share the walk instead of repeating it.
  private repoRootOf(dir: string): Promise<string | null> {
    let found = this.roots.get(dir);
    if (!found) {
      found = (async () => {
        // The first `.git` marks the repository, as for git; a broken one just leaves fields null.
        if (await exists(path.join(dir, '.git'))) return dir;
        const parent = path.dirname(dir);
        return parent === dir ? null : this.repoRootOf(parent);
      })();
      this.roots.set(dir, found);
    }
    return found;
  }

  private async load(root: string): Promise<GitInfo> {
    const [head, dirty] = await Promise.all([readHead(root), this.isDirty(root)]);
    return { ...head, dirty, repoRoot: root };
  }

  private async isDirty(root: string): Promise<boolean | null> {
    await this.acquire();
    try {
      return await this.status(root);
    } finally {
      this.release();
    }
  }

  private status(root: string): Promise<boolean | null> {
    // --no-optional-locks (and GIT_OPTIONAL_LOCKS=0): plain `git status` refreshes and rewrites
    // .git/index, and Labdesk never writes into the user's folders. core.fsmonitor=false keeps a
    // configured monitor from starting a daemon (which writes a socket into .git) or running a hook.
    const args = ['--no-optional-locks', '-c', 'core.fsmonitor=false', 'status', '--porcelain', '--untracked-files=no'];
    return new Promise((resolve) => {
      try {
        execFile(
          this.gitPath,
          args,
          { cwd: root, env: this.env, timeout: this.timeoutMs, maxBuffer: MAX_STATUS_OUTPUT, windowsHide: true },
          (err, stdout) => {
            if (!err) return resolve(stdout.length > 0);
            // Overflowing the buffer means there was output: dirty. Anything else (no git, not a
            // repository git accepts, timed out) means unknown.
            resolve((err as NodeJS.ErrnoException).code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER' ? true : null);
          },
        );
      } catch {
        resolve(null);
      }
    });
  }

  private async acquire(): Promise<void> {
    if (this.running < MAX_CONCURRENT_STATUS) this.running++;
    // A released slot is handed straight to the next waiter, so the count never overshoots.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

async function readText(file: string): Promise<string | null> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    return null;
  }
}

/** Commit and branch from HEAD and the refs it names, without running git. */
async function readHead(root: string): Promise<Pick<GitInfo, 'commit' | 'branch'>> {
  const unknown = { commit: null, branch: null };
  const gitDir = await gitDirOf(root);
  if (gitDir === null) return unknown;
  const head = await readText(path.join(gitDir, 'HEAD'));
  if (head === null) return unknown;
  if (OBJECT_ID.test(head)) return { commit: head, branch: null };
  const ref = symrefTarget(head);
  // Reftable repositories keep refs in binary tables and leave this placeholder in HEAD.
  if (ref === null || ref === 'refs/heads/.invalid') return unknown;
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
  // No ref file and no packed entry is a branch with no commits yet: known branch, null commit.
  return { branch, commit: await resolveRef(ref, gitDir, await commonDirOf(gitDir)) };
}

// Worktrees and submodules have a `.git` file saying `gitdir: <path>`, relative to the work tree.
async function gitDirOf(root: string): Promise<string | null> {
  const dotGit = path.join(root, '.git');
  try {
    if ((await fs.stat(dotGit)).isDirectory()) return dotGit;
  } catch {
    return null;
  }
  const match = /^gitdir:\s*(.+)$/m.exec((await readText(dotGit)) ?? '');
  return match ? path.resolve(root, match[1].trim()) : null;
}

// A linked worktree's git dir holds its own HEAD; shared refs live in the dir `commondir` names.
async function commonDirOf(gitDir: string): Promise<string> {
  const common = await readText(path.join(gitDir, 'commondir'));
  return common ? path.resolve(gitDir, common) : gitDir;
}

function symrefTarget(text: string): string | null {
  const match = /^ref:\s*(\S+)$/.exec(text);
  const ref = match?.[1];
  // Refs come from files on disk: refuse anything that would read outside the git dir.
  if (!ref || !ref.startsWith('refs/') || ref.split('/').some((part) => part === '..' || part === '')) return null;
  return ref;
}

async function resolveRef(ref: string, gitDir: string, commonDir: string): Promise<string | null> {
  for (let depth = 0; depth < MAX_SYMREF_DEPTH; depth++) {
    // These few ref families belong to each worktree; all others (branches, tags) are shared.
    const perWorktree = /^refs\/(?:worktree|bisect|rewritten)\//.test(ref);
    const loose = await readText(path.join(perWorktree ? gitDir : commonDir, ...ref.split('/')));
    if (loose === null) return packedRef(commonDir, ref);
    if (OBJECT_ID.test(loose)) return loose;
    const next = symrefTarget(loose);
    if (next === null) return null;
    ref = next;
  }
  return null;
}

// `git gc` and `git pack-refs` move refs into packed-refs: `<id> <refname>` lines, a `#` header,
// and `^<id>` lines giving the commit an annotated tag points to.
async function packedRef(commonDir: string, ref: string): Promise<string | null> {
  const text = await readText(path.join(commonDir, 'packed-refs'));
  if (text === null) return null;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const [id, name] = line.trim().split(' ');
    if (name === ref && OBJECT_ID.test(id)) return id;
  }
  return null;
}
