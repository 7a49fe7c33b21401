import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs/promises';
import path from 'node:path';

/** The watched folder a read happens for: its path as given and as resolved through links. */
interface IndexedRoot {
  root: string;
  realRoot: string;
}

// Adapters never see the root (a run is only its location); the indexer sets it around each read.
const scope = new AsyncLocalStorage<IndexedRoot>();

/** Runs `fn` (an adapter's read) with `root` as the folder no link may lead a file read out of. */
export async function withIndexedRoot<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const abs = path.resolve(root);
  const realRoot = await fs.realpath(abs).catch(() => abs);
  return scope.run({ root: abs, realRoot }, fn);
}

const within = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

/**
 * The real path of `file`, or null when the file lies in the indexed folder but a link leads it out
 * (`config.json -> /etc/shadow`). The walker follows no folder link out of the root either. Outside
 * any indexed read, or for a path the adapter chose outside the folder (a git repository above it,
 * an MLflow artifact store elsewhere), nothing is refused.
 */
export async function realPathInRoot(file: string): Promise<string | null> {
  const abs = path.resolve(file);
  const real = await fs.realpath(abs);
  const current = scope.getStore();
  if (!current || real === abs || within(real, current.realRoot)) return real;
  return within(abs, current.root) || within(abs, current.realRoot) ? null : real;
}
