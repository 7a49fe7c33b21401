import fs from 'node:fs';
import path from 'node:path';

/** Paths Labdesk itself writes (the catalog, its journal files, its folder): never indexed or watched. */
export interface OwnPaths {
  /** Folders skipped whole, unless they hold the root being walked (an import folder lives in one). */
  folders: string[];
  /** Single files skipped wherever they are listed. */
  files: string[];
}

export const NO_OWN_PATHS: OwnPaths = { folders: [], files: [] };

/** SQLite writes these beside the catalog file while it is open. */
const CATALOG_SUFFIXES = ['', '-wal', '-shm', '-journal'];

/**
 * The catalog's own files and folder, as given and as resolved through links (a watcher reports
 * the path it was given, the walker compares real paths).
 */
export function catalogOwnPaths(dbPath: string): OwnPaths {
  const file = path.resolve(dbPath);
  const dirs = new Set([path.dirname(file)]);
  try {
    dirs.add(fs.realpathSync(path.dirname(file)));
  } catch {
    // not created yet: the path as given is all there is
  }
  const folders = [...dirs];
  const files = folders.flatMap((dir) => CATALOG_SUFFIXES.map((s) => path.join(dir, path.basename(file) + s)));
  return { folders, files };
}

/** Bytes the catalog takes on disk: its file and its write-ahead log (for `catalog.stats`). */
export function catalogFileBytes(dbPath: string): number {
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      bytes += fs.statSync(dbPath + suffix).size;
    } catch {
      // no WAL file yet
    }
  }
  return bytes;
}

/** `p` is `dir` or inside it. */
export function isWithin(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/**
 * The part of `own` that applies under `root`: folders that do not contain the root (a catalog
 * folder holding an import root must not hide that root), and every own file.
 */
export function ownPathsUnder(own: OwnPaths, ...rootForms: string[]): OwnPaths {
  return { folders: own.folders.filter((f) => !rootForms.some((r) => isWithin(r, f))), files: own.files };
}

/** `p` (absolute) is one of Labdesk's own files or lies in one of its folders. */
export function isOwnPath(p: string, own: OwnPaths): boolean {
  return own.files.includes(p) || own.folders.some((f) => isWithin(p, f));
}
