import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Adapter, DirEntry, RunLocation } from '../formats/adapter.js';
import type { InspectedFile, Inspector } from '../formats/inspector.js';
import { describeFsError } from '../formats/util/files.js';
import { isOwnPath, isWithin, NO_OWN_PATHS, ownPathsUnder, type OwnPaths } from './own-paths.js';

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
/** Hidden folders that hold runs (Hydra's job config, MLflow's trash, Comet's offline archives). */
const HIDDEN_RUN_FOLDERS = new Set(['.hydra', '.trash', '.cometml-runs']);

/** The walk descends into a folder of this name (not a skipped tool folder, not hidden unless it holds runs). */
export function isWalkedFolderName(name: string, ignored: ReadonlySet<string>): boolean {
  return !ignored.has(name) && !(name.startsWith('.') && !HIDDEN_RUN_FOLDERS.has(name));
}

export interface WalkResult {
  locations: RunLocation[];
  /** Files an inspector asked for, each with the inspectors that match it. */
  inspect: { file: InspectedFile; inspectors: Inspector[] }[];
  problems: { path: string; message: string }[];
  filesSeen: number;
  /** The walk was stopped by its signal: the result is partial and must not drop runs. */
  cancelled: boolean;
}

export interface WalkOptions {
  ignored?: ReadonlySet<string>;
  onProgress?: (filesSeen: number) => void;
  /** Labdesk's own files and folders (the catalog's): never shown to adapters, never walked. */
  own?: OwnPaths;
  /** Stops the walk between folders. */
  signal?: AbortSignal;
  /** Offered every file, inside claimed run folders too. */
  inspectors?: readonly Inspector[];
}

export const LINK_OUT = 'a link out of the indexed folder; not followed';
export const NON_UTF8_NAME = 'file name is not valid UTF-8; skipped (rename it to index it)';

/**
 * Lists every run under `root` by asking each adapter about each folder's listing. Reads no file
 * contents. A symbolic link to a folder inside the root is skipped (the folder is walked at its real
 * place, so a link such as W&B's `latest-run` never takes its target's place); a link to a folder
 * outside the root is not followed (an indexed folder is untrusted: its links must not lead Labdesk
 * to read elsewhere) and is a problem naming its target; a link back to an ancestor is a loop.
 */
export async function findRuns(root: string, adapters: readonly Adapter[], options: WalkOptions = {}): Promise<WalkResult> {
  const ignored = options.ignored ?? ignoredFolderNames();
  const result: WalkResult = { locations: [], inspect: [], problems: [], filesSeen: 0, cancelled: false };
  const inspectors = options.inspectors ?? [];
  const visited = new Set<string>();
  const rootPath = path.resolve(root);
  const realRoot = await fs.realpath(rootPath).catch(() => rootPath);
  const own = ownPathsUnder(options.own ?? NO_OWN_PATHS, rootPath, realRoot);
  const walkable = (name: string) => isWalkedFolderName(name, ignored);
  /** The walk reaches `real` (inside the root) at its own place: no skipped folder on the way. */
  const reachedDirectly = (real: string) =>
    isWithin(real, realRoot) && path.relative(realRoot, real).split(path.sep).every((n) => n === '' || walkable(n));

  /**
   * `insideRun`: the run that claimed an ancestor folder. Below a claim the folders are still walked,
   * for inspectors only (when there are any): adapters find no second run inside a run.
   */
  const visit = async (dir: string, ancestors: string[], viaLink: boolean, insideRun: InspectedFile['insideRun'] = null): Promise<void> => {
    if (options.signal?.aborted) {
      result.cancelled = true;
      return;
    }
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
    if (viaLink && reachedDirectly(real)) return; // indexed at its real place, not through the link
    if (viaLink && !isWithin(real, realRoot)) {
      result.problems.push({ path: dir, message: `${LINK_OUT} (to ${real}); add that folder itself to index it` });
      return;
    }
    if (ancestors.length && isOwnPath(real, own)) return; // the catalog's folder: Labdesk's own writes
    if (visited.has(real)) return; // reached twice through links: index it once
    visited.add(real);
    if (ancestors.length > MAX_DEPTH) {
      result.problems.push({ path: dir, message: `nested deeper than ${MAX_DEPTH} folders; not scanned further` });
      return;
    }

    let dirents: Dirent<Buffer>[];
    try {
      // Buffer names: a string listing would replace bytes that are not UTF-8 and lose the file.
      dirents = await fs.readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      result.problems.push({ path: dir, message: `cannot list folder: ${describeFsError(err)}` });
      return;
    }
    const entries: DirEntry[] = [];
    const subdirs: { name: string; isLink: boolean }[] = [];
    for (const d of dirents) {
      const name = utf8Name(d.name);
      if (name === null) {
        result.problems.push({ path: path.join(dir, d.name.toString('utf8')), message: NON_UTF8_NAME });
        continue;
      }
      const full = path.join(dir, name);
      let isDirectory = d.isDirectory();
      let isFile = d.isFile();
      if (d.isSymbolicLink()) {
        try {
          const st = await fs.stat(full);
          isDirectory = st.isDirectory();
          isFile = st.isFile();
        } catch (err) {
          result.problems.push({ path: full, message: `broken symbolic link: ${describeFsError(err)}` });
          continue;
        }
      }
      if (isFile && (own.files.includes(full) || own.files.includes(path.join(real, name)))) continue;
      if (isFile) result.filesSeen++;
      if (isFile && inspectors.length) {
        const file: InspectedFile = { path: full, name, insideRun };
        const matching = inspectors.filter((i) => i.matches(file));
        if (matching.length) result.inspect.push({ file, inspectors: matching });
      }
      entries.push({ name, isDirectory, isFile });
      if (isDirectory && walkable(name)) subdirs.push({ name, isLink: d.isSymbolicLink() });
    }
    options.onProgress?.(result.filesSeen);
    if (entries.some((e) => e.isFile && e.name === 'pyvenv.cfg')) return; // a virtualenv

    let claim = insideRun;
    for (const adapter of claim ? [] : adapters) {
      let found: RunLocation[];
      try {
        found = await adapter.detect(dir, entries);
      } catch (err) {
        result.problems.push({ path: dir, message: `${adapter.label}: cannot list runs: ${describeFsError(err)}` });
        continue;
      }
      result.locations.push(...found);
      const claimer = found.find((l) => l.claimsSubtree && l.path === dir);
      if (claimer && !claim) claim = { format: claimer.format, path: claimer.path };
    }
    // A claimed folder is the run's; with no inspector there is nothing more to find below it.
    if (claim && !inspectors.length) return;
    const next = [...ancestors, real];
    // Real folders first, so that the visited slot is always the real folder's.
    subdirs.sort((a, b) => Number(a.isLink) - Number(b.isLink) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { name, isLink } of subdirs) await visit(path.join(dir, name), next, isLink, claim);
  };

  await visit(rootPath, [], false);
  return result;
}

/** The name as text, or null when its bytes are not UTF-8 (Node would replace them and lose the file). */
function utf8Name(bytes: Buffer): string | null {
  const name = bytes.toString('utf8');
  return Buffer.from(name, 'utf8').equals(bytes) ? name : null;
}
