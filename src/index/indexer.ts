import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { IndexProgress } from '../api/contract.js';
import { inTransaction, type Db } from '../catalog/db.js';
import { runId } from '../catalog/ids.js';
import { Datasets } from '../catalog/repos/datasets.js';
import { identityOf, Ledger, type EntryRead } from '../catalog/repos/ledger.js';
import { Models } from '../catalog/repos/models.js';
import { Problems } from '../catalog/repos/problems.js';
import { Runs } from '../catalog/repos/runs.js';
import { RunWriter, type FileStat } from '../catalog/write-run.js';
import type { Adapter, ReadPosition, RunLocation, TailFiles } from '../formats/adapter.js';
import type { Inspector } from '../formats/inspector.js';
import { syncEntryFiles } from './entry-files.js';
import { inspectFiles } from './inspect.js';
import { adapters as allAdapters } from '../formats/registry.js';
import { withIndexedRoot } from '../formats/util/indexed-root.js';
import { openRegularFile } from '../formats/util/files.js';
import { GitInfoCache } from './git-info.js';
import { RunBuffer } from './run-buffer.js';
import type { OwnPaths } from './own-paths.js';
import { findRuns } from './walk.js';

export interface RootRow {
  id: number;
  path: string;
}

export interface IndexResult {
  /** Runs read (new or changed) in this pass. */
  changed: string[];
  /** Runs that were in the catalog but are gone from disk. */
  removed: string[];
  /** Runs seen in the tree, changed or not. */
  seen: number;
  filesSeen: number;
  missing: boolean;
  /** Stopped by `signal`: nothing was dropped, and the root's record is as before the pass. */
  cancelled: boolean;
}

export interface IndexOptions {
  adapters?: readonly Adapter[];
  onProgress?: (p: IndexProgress) => void;
  /** Labdesk's own files and folders (the catalog's), never indexed. */
  own?: OwnPaths;
  /** Stops the pass between folders, runs and batches (a root removed, the app closing). */
  signal?: AbortSignal;
  /** Readers of single files (models, datasets), offered every file the walk finds. */
  inspectors?: readonly Inspector[];
}

/** The catalog's repositories indexing works through. */
export interface IndexRepos {
  ledger: Ledger;
  runs: Runs;
  problems: Problems;
  models: Models;
  datasets: Datasets;
}

export function indexRepos(db: Db): IndexRepos {
  const ledger = new Ledger(db);
  return { ledger, runs: new Runs(db, ledger), problems: new Problems(db), models: new Models(db), datasets: new Datasets(db) };
}

/** Runs read at once: overlaps file I/O without holding many runs' points in memory. */
const READ_CONCURRENCY = 4;
/** Flush a write batch past this many buffered points or runs: one transaction per batch. */
const BATCH_POINTS = 500_000;
const BATCH_RUNS = 200;

/**
 * Brings the catalog in line with one watched folder: finds its runs, reads the ones whose files
 * changed (size, mtime or inode differ from the catalog's record), writes them in batched
 * transactions, and drops runs that vanished. User annotations are never touched.
 */
export async function indexRoot(db: Db, root: RootRow, options: IndexOptions = {}): Promise<IndexResult> {
  const adapters = options.adapters ?? allAdapters;
  const byFormat = new Map(adapters.map((a) => [a.format, a]));
  const progress = (p: Omit<IndexProgress, 'rootPath'>) => options.onProgress?.({ rootPath: root.path, ...p });
  const result: IndexResult = { changed: [], removed: [], seen: 0, filesSeen: 0, missing: false, cancelled: false };
  const repos = indexRepos(db);

  try {
    if (!(await fs.stat(root.path)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch {
    // An unplugged drive or a renamed folder: keep what the catalog knows, say so.
    result.missing = true;
    const message = 'the watched folder is missing or not a folder; its runs are kept until it is back or removed';
    repos.problems.replaceForRoot(root.id, [{ path: root.path, message }], Date.now());
    return result;
  }

  const walk = await withIndexedRoot(root.path, () => findRuns(root.path, adapters, {
    onProgress: (filesSeen) => progress({ phase: 'scanning', filesSeen, runsRead: 0, runsTotal: 0 }),
    own: options.own,
    signal: options.signal,
    inspectors: options.inspectors,
  }));
  result.filesSeen = walk.filesSeen;
  result.seen = walk.locations.length;

  // A partial walk must not drop the runs it did not reach.
  if (walk.cancelled) return { ...result, cancelled: true };
  const synced = await syncRuns(db, repos, root, walk.locations, byFormat, (runsRead, runsTotal) =>
    progress({ phase: 'reading', filesSeen: walk.filesSeen, runsRead, runsTotal }), false, options.signal);
  result.changed = synced.changed;
  if (options.signal?.aborted) return { ...result, cancelled: true };
  const inspected = await withIndexedRoot(root.path, () => inspectFiles(db, repos, root.id, walk.inspect, options.signal));
  if (options.signal?.aborted) return { ...result, cancelled: true };

  const seenIds = new Set(walk.locations.map((l) => runId(l.format, l.path, l.execution)));
  const seenFiles = new Set(walk.locations.flatMap((l) => l.files));
  inTransaction(db, () => {
    for (const { id, format, path: runPath, execution } of repos.runs.ofRoot(root.id)) {
      if (seenIds.has(id)) continue;
      const supersededBy = byFormat.get(format)?.historyOf?.(runPath, execution);
      if (supersededBy && seenFiles.has(supersededBy)) continue; // an earlier execution: history
      repos.runs.remove(id);
      result.removed.push(id);
    }
    repos.runs.pruneExperiments(root.id);
    repos.problems.replaceForRoot(root.id, [...walk.problems, ...synced.internalProblems, ...inspected.problems], Date.now());
    repos.runs.markRootIndexed(root.id, Date.now());
  });
  // Models and datasets stay while their files do, whatever became of the runs that listed them.
  await withIndexedRoot(root.path, () => syncEntryFiles(db, repos, root.id, [
    ...repos.models.ofRoot(root.id).map((m) => ({ kind: 'model' as const, ...m })),
    ...repos.datasets.ofRoot(root.id).map((d) => ({ kind: 'dataset' as const, ...d })),
  ]));
  repos.ledger.prune(root.id);
  progress({ phase: 'done', filesSeen: walk.filesSeen, runsRead: synced.total, runsTotal: synced.total });
  return result;
}

interface SyncResult {
  changed: string[];
  internalProblems: { path: string; message: string }[];
  total: number;
  /** With `tailOnly`: some changed run could not be read as an append and was left alone. */
  skipped: boolean;
}

/**
 * The watcher's fast path: reads what was appended to `paths` (files it saw change), for the runs that
 * own them as the catalog records them — no walk of the tree. Returns null when that is not the whole
 * story (a path no run owns, a change that is not an append): the root then needs a full pass.
 */
export async function refreshFiles(db: Db, root: RootRow, paths: string[], options: IndexOptions = {}): Promise<IndexResult | null> {
  const byFormat = new Map((options.adapters ?? allAdapters).map((a) => [a.format, a]));
  const repos = indexRepos(db);
  const ids = new Set<string>();
  for (const p of paths) {
    const found = repos.ledger.ownersOf(root.id, 'run', p);
    if (!found.length) return null;
    for (const id of found) ids.add(id);
  }
  const locations: RunLocation[] = [];
  for (const id of ids) {
    const loc = repos.runs.storedLocation(id);
    if (!loc || !byFormat.get(loc.format)?.tail) return null;
    locations.push(loc);
  }
  const modelsBefore = repos.models.ofRuns([...ids]);
  const synced = await syncRuns(db, repos, root, locations, byFormat, () => {}, true, options.signal);
  const cancelled = options.signal?.aborted ?? false;
  if (!cancelled && (synced.skipped || synced.internalProblems.length)) return null;
  // Checkpoints come and go while training: the runs' models, before and after, are checked against their files.
  if (!cancelled) {
    const models = new Map([...modelsBefore, ...repos.models.ofRuns(synced.changed)].map((m) => [m.id, { kind: 'model' as const, ...m }]));
    await withIndexedRoot(root.path, () => syncEntryFiles(db, repos, root.id, [...models.values()]));
  }
  return { changed: synced.changed, removed: [], seen: locations.length, filesSeen: paths.length, missing: false, cancelled };
}

/**
 * Reads the runs at `locations` whose files changed since the catalog's record: as an append where
 * the adapter can (`Adapter.tail`), else whole; writes them in batched transactions.
 */
async function syncRuns(
  db: Db,
  repos: IndexRepos,
  root: RootRow,
  locations: RunLocation[],
  byFormat: Map<string, Adapter>,
  onRead: (runsRead: number, runsTotal: number) => void,
  tailOnly = false,
  signal?: AbortSignal,
): Promise<SyncResult> {
  const changed: string[] = [];
  let skipped = false;
  const todo: { loc: RunLocation; stats: Map<string, FileStat>; tail: TailPlan | null }[] = [];
  for (const loc of locations) {
    if (signal?.aborted) break;
    const stats = await statFiles(loc.files);
    const id = runId(loc.format, loc.path, loc.execution);
    if (!repos.runs.exists(id)) {
      todo.push({ loc, stats, tail: null });
      continue;
    }
    const files = repos.ledger.readsOf('run', id);
    if (sameFiles(files, stats)) continue;
    const adapter = byFormat.get(loc.format);
    todo.push({ loc, stats, tail: adapter?.tail ? planTail(files, stats, repos.problems.pathsOfRun(id), adapter) : null });
  }

  const git = new GitInfoCache();
  const writer = new RunWriter(db);
  let pending: { buf: RunBuffer; stats: Map<string, FileStat>; appended: boolean }[] = [];
  let pendingPoints = 0;
  const flush = () =>
    inTransaction(db, () => {
      const now = Date.now();
      for (const { buf, stats, appended } of pending) {
        changed.push(appended ? writer.append(root.id, buf, stats, now) : writer.write(root.id, buf, stats, now));
      }
    });
  const flushPending = () => {
    if (pending.length) flush();
    pending = [];
    pendingPoints = 0;
  };
  const internalProblems: { path: string; message: string }[] = [];

  let next = 0;
  let done = 0;
  const worker = async () => {
    // Checked between runs: a cancelled pass stops after the reads in flight.
    while (next < todo.length && !signal?.aborted) {
      const { loc, stats, tail } = todo[next++];
      const adapter = byFormat.get(loc.format)!;
      try {
        let buf = new RunBuffer(loc);
        const appended = tail !== null && (await headsMatch(tail.grown)) && (await adapter.tail!(loc, buf, tail));
        if (!appended && tailOnly) {
          skipped = true;
        } else if (!appended) {
          buf = new RunBuffer(loc);
          await adapter.read(loc, buf);
          await addGitInfo(buf, git);
        }
        if (appended || !tailOnly) {
          for (const [file, read] of buf.files) read.head = await headHash(file, read.offset);
          pending.push({ buf, stats, appended });
        }
        pendingPoints += buf.pointCount;
        if (!signal?.aborted && (pendingPoints >= BATCH_POINTS || pending.length >= BATCH_RUNS)) flushPending();
      } catch (err) {
        // A bug in an adapter: keep the run's previous catalog entry whole and report it.
        internalProblems.push({ path: loc.path, message: `Labdesk failed to read this run (${(err as Error).message}); please report it` });
      }
      done++;
      onRead(done, todo.length);
    }
  };
  // Reads run inside the root's scope: the open helper refuses links leading out of it.
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, todo.length) }, () => withIndexedRoot(root.path, worker)));
  // Cancelled: what was read is dropped, not written (the root may be gone, the catalog closing).
  if (!signal?.aborted) flushPending();
  return { changed, internalProblems, total: todo.length, skipped };
}

async function statFiles(files: string[]): Promise<Map<string, FileStat>> {
  const out = new Map<string, FileStat>();
  for (const f of files) {
    try {
      const st = await fs.stat(f);
      out.set(f, identityOf(st));
    } catch {
      // Vanished between listing and stat: the run is re-read and the adapter reports it.
    }
  }
  return out;
}

/**
 * Fills in what the enclosing git repository says when the format did not: the commit, and the branch
 * and dirty state (as tags) unless the run names another commit than the work tree's.
 */
async function addGitInfo(buf: RunBuffer, cache: GitInfoCache): Promise<void> {
  // Runs inside one file (`mlflow.db#<run>`) live in the file's folder.
  const dir = buf.location.path.includes('#') ? path.dirname(buf.location.path.split('#')[0]) : buf.location.path;
  const info = await cache.forPath(dir);
  if (!info?.commit) return;
  const own = buf.metaData.gitCommit;
  if (own && own !== info.commit) return;
  if (!own) buf.meta({ gitCommit: info.commit });
  if (info.branch && !buf.tags.has('git.branch')) buf.tag('git.branch', info.branch);
  if (info.dirty !== null && !buf.tags.has('git.dirty')) buf.tag('git.dirty', String(info.dirty));
}

type StoredFile = EntryRead;

interface TailPlan extends TailFiles {
  grown: Map<string, ReadPosition & { head: string }>;
}

/**
 * A run can be read as an append when its set of files is unchanged and every changed file only
 * grew: same inode, not smaller, read cleanly before (no problem on it) with resume state kept.
 * Whether the bytes before the offset are still the same is checked later (`headsMatch`).
 */
function planTail(stored: StoredFile[], now: Map<string, FileStat>, withProblems: Set<string>, adapter: Adapter): TailPlan | null {
  if (stored.length !== now.size) return null;
  const grown = new Map<string, ReadPosition & { head: string }>();
  const all = new Map<string, ReadPosition>();
  const reread = new Set<string>();
  for (const s of stored) {
    const n = now.get(s.path);
    if (n === undefined) return null;
    const position = { offset: s.offset, state: s.state === null ? null : (JSON.parse(s.state) as unknown) };
    all.set(s.path, position);
    if (n.size === s.size && n.mtimeMs === s.mtimeMs && n.ino === s.ino) continue;
    if (adapter.tailRereads?.(s.path)) {
      reread.add(s.path);
      continue;
    }
    if (s.state === null || s.head === null || n.ino !== s.ino || n.size < s.size || withProblems.has(s.path)) return null;
    grown.set(s.path, { ...position, head: s.head });
  }
  return grown.size || reread.size ? { grown, all, reread } : null;
}

/** Bytes fingerprinted at a file's start, and just before its read offset. */
const HEAD_BYTES = 4096;
const EDGE_BYTES = 256;

/**
 * Fingerprints what was read of a file: its first bytes and the bytes just before the offset. A
 * writer that rewrote the file (Lightning re-writes metrics.csv when a new key adds a column) changes
 * one or the other, so the file is read again from the start instead of from the offset.
 */
async function headHash(file: string, offset: number): Promise<string | undefined> {
  if (offset <= 0) return undefined;
  let handle: fs.FileHandle | undefined;
  try {
    handle = await openRegularFile(file);
    const head = Buffer.alloc(Math.min(offset, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    const edgeStart = Math.max(0, offset - EDGE_BYTES);
    const edge = Buffer.alloc(offset - edgeStart);
    await handle.read(edge, 0, edge.length, edgeStart);
    return createHash('sha1').update(head).update(edge).digest('base64');
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

async function headsMatch(grown: TailPlan['grown']): Promise<boolean> {
  for (const [file, pos] of grown) if ((await headHash(file, pos.offset)) !== pos.head) return false;
  return true;
}

function sameFiles(stored: StoredFile[], now: Map<string, FileStat>): boolean {
  if (stored.length !== now.size) return false;
  return stored.every((s) => {
    const n = now.get(s.path);
    return n !== undefined && n.size === s.size && n.mtimeMs === s.mtimeMs && n.ino === s.ino;
  });
}
