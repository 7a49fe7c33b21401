import fs from 'node:fs/promises';
import path from 'node:path';
import type { DirtyLimits } from './git/budget.js';
import { trackedFilesDirty } from './git/dirty.js';
import { gitDirsOf, readHead } from './git/head.js';

/** Where a run's code came from: the checked-out commit and branch, and whether tracked files had edits. */
export interface GitInfo {
  /** The checked-out commit; null in a repository with no commits yet, or when it cannot be read. */
  commit: string | null;
  /** The checked-out branch; null when HEAD is detached or cannot be read. */
  branch: string | null;
  /** Tracked files differ from HEAD (untracked files do not count); null when that could not be told. */
  dirty: boolean | null;
  /** The top folder of the work tree (a linked worktree is its own root). */
  repoRoot: string;
}

/** Limits on telling "dirty"; past any of them the answer is null (unknown). */
export type GitInfoOptions = Partial<DirtyLimits>;

const DEFAULT_LIMITS: DirtyLimits = { maxTrackedFiles: 200_000, maxHashedBytes: 256 * 1024 * 1024, timeoutMs: 5000 };
// A folder of many clones must not hash work trees of them all at once.
const MAX_CONCURRENT_STATUS = 4;

/**
 * Git state of the repositories enclosing run folders, read from `.git` and the work tree without
 * running git or anything a repository configures (filters, hooks, fsmonitor). Each repository is
 * read once for the life of the cache, since many runs share one. Nothing is ever written into the
 * user's folders, and nothing throws: what cannot be read is null.
 */
export class GitInfoCache {
  private readonly roots = new Map<string, Promise<string | null>>();
  private readonly infos = new Map<string, Promise<GitInfo>>();
  private readonly limits: DirtyLimits;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(options: GitInfoOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options };
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
    const dirs = await gitDirsOf(root);
    if (dirs === null) return { commit: null, branch: null, dirty: null, repoRoot: root };
    const head = await readHead(dirs);
    await this.acquire();
    try {
      return { ...head, dirty: await trackedFilesDirty(root, dirs, head, this.limits), repoRoot: root };
    } finally {
      this.release();
    }
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
