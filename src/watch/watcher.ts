import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { ignoredFolderNames } from '../index/walk.js';

/** Quiet time after the last file event before a root is re-indexed: one pass per burst of writes. */
export const DEBOUNCE_MS = 250;

/**
 * Watches roots and calls back once per burst of changes under each. Never writes anything: the
 * watched folders belong to the user.
 */
export class RootWatcher {
  private readonly watchers = new Map<number, FSWatcher>();
  private readonly timers = new Map<number, NodeJS.Timeout>();

  constructor(
    private readonly onChange: (rootId: number) => void,
    private readonly onError: (rootId: number, err: Error) => void,
  ) {}

  watch(rootId: number, folder: string): void {
    if (this.watchers.has(rootId)) return;
    const ignored = ignoredFolderNames();
    const w = watch(folder, {
      ignoreInitial: true,
      ignored: (p: string) => ignored.has(path.basename(p)),
      followSymlinks: true,
    });
    w.on('all', () => this.bump(rootId));
    w.on('error', (err) => this.onError(rootId, err as Error));
    this.watchers.set(rootId, w);
  }

  private bump(rootId: number): void {
    clearTimeout(this.timers.get(rootId));
    this.timers.set(rootId, setTimeout(() => {
      this.timers.delete(rootId);
      this.onChange(rootId);
    }, DEBOUNCE_MS));
  }

  async unwatch(rootId: number): Promise<void> {
    clearTimeout(this.timers.get(rootId));
    this.timers.delete(rootId);
    await this.watchers.get(rootId)?.close();
    this.watchers.delete(rootId);
  }

  async close(): Promise<void> {
    await Promise.all([...this.watchers.keys()].map((id) => this.unwatch(id)));
  }
}
