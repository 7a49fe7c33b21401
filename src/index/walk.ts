import fs from 'node:fs/promises';
import path from 'node:path';
import type { Adapter, DirEntry, RunLocation } from '../formats/adapter.js';
import { describeFsError } from '../formats/util/files.js';

/** Folders never worth descending into: tooling, caches, environments. */
export const DEFAULT_IGNORED = new Set([
  'node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache',
  '.pytest_cache', '.ruff_cache', '.ipynb_checkpoints', 'site-packages', '.cache', '.idea', '.vscode',
]);

/** The default skip list plus folder names the user adds in LABDESK_IGNORE (comma-separated). */
export function ignoredFolderNames(env: NodeJS.ProcessEnv = process.env): Set<string> {
  const extra = (env.LABDESK_IGNORE ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  return new Set([...DEFAULT_IGNORED, ...extra]);
}

const MAX_DEPTH = 40;

export interface WalkResult {
  locations: RunLocation[];
  problems: { path: string; message: string }[];
  filesSeen: number;
}

export interface WalkOptions {
  ignored?: ReadonlySet<string>;
  onProgress?: (filesSeen: number) => void;
}

/**
 * Lists every run under `root` by asking each adapter about each folder's listing. Reads no file
 * contents. Symbolic links to folders are followed once; a link back to an ancestor is a loop.
 */
export async function findRuns(root: string, adapters: readonly Adapter[], options: WalkOptions = {}): Promise<WalkResult> {
  const ignored = options.ignored ?? ignoredFolderNames();
  const result: WalkResult = { locations: [], problems: [], filesSeen: 0 };
  const visited = new Set<string>();

  const visit = async (dir: string, ancestors: string[]): Promise<void> => {
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch (err) {
      result.problems.push({ path: dir, message: `cannot resolve folder: ${describeFsError(err)}` });
      return;
    }
    if (ancestors.includes(real)) {
      result.problems.push({ path: dir, message: `symbolic link loop: it leads back to ${real}; not followed` });
      return;
    }
    if (visited.has(real)) return; // reached twice through links: index it once
    visited.add(real);
    if (ancestors.length > MAX_DEPTH) {
      result.problems.push({ path: dir, message: `nested deeper than ${MAX_DEPTH} folders; not scanned further` });
      return;
    }

    let dirents: import('node:fs').Dirent[];
    try {
      dirents = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      result.problems.push({ path: dir, message: `cannot list folder: ${describeFsError(err)}` });
      return;
    }
    const entries: DirEntry[] = [];
    const subdirs: string[] = [];
    for (const d of dirents) {
      let isDirectory = d.isDirectory();
      let isFile = d.isFile();
      if (d.isSymbolicLink()) {
        try {
          const st = await fs.stat(path.join(dir, d.name));
          isDirectory = st.isDirectory();
          isFile = st.isFile();
        } catch (err) {
          result.problems.push({ path: path.join(dir, d.name), message: `broken symbolic link: ${describeFsError(err)}` });
          continue;
        }
      }
      if (isFile) result.filesSeen++;
      entries.push({ name: d.name, isDirectory, isFile });
      if (isDirectory && !ignored.has(d.name) && !(d.name.startsWith('.') && d.name !== '.hydra' && d.name !== '.trash')) {
        subdirs.push(d.name);
      }
    }
    options.onProgress?.(result.filesSeen);
    if (entries.some((e) => e.isFile && e.name === 'pyvenv.cfg')) return; // a virtualenv

    let claimed = false;
    for (const adapter of adapters) {
      let found: RunLocation[];
      try {
        found = await adapter.detect(dir, entries);
      } catch (err) {
        result.problems.push({ path: dir, message: `${adapter.label}: cannot list runs: ${describeFsError(err)}` });
        continue;
      }
      result.locations.push(...found);
      if (found.some((l) => l.claimsSubtree && l.path === dir)) claimed = true;
    }
    if (claimed) return;
    const next = [...ancestors, real];
    for (const name of subdirs.sort()) await visit(path.join(dir, name), next);
  };

  await visit(path.resolve(root), []);
  return result;
}
