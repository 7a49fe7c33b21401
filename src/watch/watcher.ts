import path from 'node:path';
import type { Stats } from 'node:fs';
import { watch, type FSWatcher } from 'chokidar';
import { isOwnPath, NO_OWN_PATHS, ownPathsUnder, type OwnPaths } from '../index/own-paths.js';
import { ignoredFolderNames, isWalkedFolderName } from '../index/walk.js';

/** Quiet time after the last file event before a root is re-indexed: one pass per burst of writes. */
export const DEBOUNCE_MS = 250;

/**
 * Watches roots and calls back once per burst of changes under each. Never writes anything: the
 * watched folders belong to the user.
 */
export class RootWatcher {
  private readonly watchers = new Map<number, FSWatcher>();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  /** Per root, the files changed in the current burst; null once anything was added or removed. */
  private readonly changed = new Map<number, Set<string> | null>();

  constructor(
    /** `files`: the files whose content changed, when that is all that happened; null: re-walk the root. */
    private readonly onChange: (rootId: number, files: string[] | null) => void,
    private readonly onError: (rootId: number, err: Error) => void,
    /** Labdesk's own files (the catalog and its journal): their writes must not trigger a pass. */
    private readonly own: OwnPaths = NO_OWN_PATHS,
  ) {}

  watch(rootId: number, folder: string): void {
    if (this.watchers.has(rootId)) return;
    const ignored = ignoredFolderNames();
    const own = ownPathsUnder(this.own, folder);
    const w = watch(folder, {
      ignoreInitial: true,
      // The catalog inside a watched folder would otherwise re-index itself for ever; folders the
      // walk skips (a home folder's .config, .local, ...) change often and can hold no run.
      ignored: (p: string, stats?: Stats) =>
        ignored.has(path.basename(p)) || isOwnPath(path.resolve(p), own) || inSkippedFolder(folder, p, ignored, stats),
      followSymlinks: true,
    });
    w.on('all', (event, file) => this.bump(rootId, event === 'change' ? file : null));
    w.on('error', (err) => this.onError(rootId, err as Error));
    this.watchers.set(rootId, w);
  }

  private bump(rootId: number, changedFile: string | null): void {
    const files = this.changed.has(rootId) ? this.changed.get(rootId)! : new Set<string>();
    if (files && changedFile) files.add(changedFile);
    this.changed.set(rootId, files && changedFile ? files : null);
    clearTimeout(this.timers.get(rootId));
    this.timers.set(rootId, setTimeout(() => {
      const burst = this.changed.get(rootId);
      this.timers.delete(rootId);
      this.changed.delete(rootId);
      this.onChange(rootId, burst ? [...burst] : null);
    }, DEBOUNCE_MS));
  }

  async unwatch(rootId: number): Promise<void> {
    clearTimeout(this.timers.get(rootId));
    this.timers.delete(rootId);
    this.changed.delete(rootId);
    await this.watchers.get(rootId)?.close();
    this.watchers.delete(rootId);
  }

  async close(): Promise<void> {
    await Promise.all([...this.watchers.keys()].map((id) => this.unwatch(id)));
  }
}

/**
 * `p` lies in (or, known from `stats`, is) a folder below `root` that the walk never enters. The
 * last name of a path without stats may be a file (run files may be hidden): it is not judged.
 */
function inSkippedFolder(root: string, p: string, ignored: ReadonlySet<string>, stats?: Stats): boolean {
  const names = path.relative(root, p).split(path.sep);
  if (names[0] === '' || names[0] === '..') return false;
  const folders = stats?.isDirectory() ? names : names.slice(0, -1);
  return folders.some((n) => !isWalkedFolderName(n, ignored));
}
