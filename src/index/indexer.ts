import fs from 'node:fs/promises';
import type { IndexProgress } from '../api/contract.js';
import type { Db } from '../catalog/db.js';
import { runId } from '../catalog/ids.js';
import { RunWriter, type FileStat } from '../catalog/write-run.js';
import type { Adapter, RunLocation } from '../formats/adapter.js';
import { adapters as allAdapters } from '../formats/registry.js';
import { RunBuffer } from './run-buffer.js';
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
}

export interface IndexOptions {
  adapters?: readonly Adapter[];
  onProgress?: (p: IndexProgress) => void;
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
  const result: IndexResult = { changed: [], removed: [], seen: 0, filesSeen: 0, missing: false };

  try {
    if (!(await fs.stat(root.path)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch {
    // An unplugged drive or a renamed folder: keep what the catalog knows, say so.
    result.missing = true;
    replaceRootProblems(db, root.id, [{ path: root.path, message: 'the watched folder is missing or not a folder; its runs are kept until it is back or removed' }]);
    return result;
  }

  const walk = await findRuns(root.path, adapters, {
    onProgress: (filesSeen) => progress({ phase: 'scanning', filesSeen, runsRead: 0, runsTotal: 0 }),
  });
  result.filesSeen = walk.filesSeen;
  result.seen = walk.locations.length;

  const stored = db.prepare('SELECT path, size, mtime_ms AS mtimeMs, ino FROM source_files WHERE run_id = ?');
  const runExists = db.prepare('SELECT 1 FROM runs WHERE id = ?').pluck();
  const todo: { loc: RunLocation; stats: Map<string, FileStat> }[] = [];
  for (const loc of walk.locations) {
    const stats = await statFiles(loc.files);
    const id = runId(loc.format, loc.path);
    if (runExists.get(id) && sameFiles(stored.all(id) as (FileStat & { path: string })[], stats)) continue;
    todo.push({ loc, stats });
  }

  const writer = new RunWriter(db);
  let pending: { buf: RunBuffer; stats: Map<string, FileStat> }[] = [];
  let pendingPoints = 0;
  const flush = db.transaction(() => {
    const now = Date.now();
    for (const { buf, stats } of pending) result.changed.push(writer.write(root.id, buf, stats, now));
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
    while (next < todo.length) {
      const { loc, stats } = todo[next++];
      const buf = new RunBuffer(loc);
      try {
        await byFormat.get(loc.format)!.read(loc, buf);
        pending.push({ buf, stats });
        pendingPoints += buf.pointCount;
        if (pendingPoints >= BATCH_POINTS || pending.length >= BATCH_RUNS) flushPending();
      } catch (err) {
        // A bug in an adapter: keep the run's previous catalog entry whole and report it.
        internalProblems.push({ path: loc.path, message: `Labdesk failed to read this run (${(err as Error).message}); please report it` });
      }
      done++;
      progress({ phase: 'reading', filesSeen: walk.filesSeen, runsRead: done, runsTotal: todo.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, todo.length) }, worker));
  flushPending();

  const seenIds = new Set(walk.locations.map((l) => runId(l.format, l.path)));
  db.transaction(() => {
    const ids = db.prepare('SELECT id FROM runs WHERE root_id = ?').pluck().all(root.id) as string[];
    const del = db.prepare('DELETE FROM runs WHERE id = ?');
    for (const id of ids) {
      if (!seenIds.has(id)) {
        del.run(id);
        result.removed.push(id);
      }
    }
    db.prepare('DELETE FROM experiments WHERE root_id = ? AND id NOT IN (SELECT experiment_id FROM runs WHERE experiment_id IS NOT NULL)').run(root.id);
    replaceRootProblems(db, root.id, [...walk.problems, ...internalProblems]);
    db.prepare('UPDATE roots SET last_indexed_at = ? WHERE id = ?').run(Date.now(), root.id);
  })();
  progress({ phase: 'done', filesSeen: walk.filesSeen, runsRead: done, runsTotal: todo.length });
  return result;
}

/** Problems found outside any run (walk errors) are replaced wholesale on each pass. */
function replaceRootProblems(db: Db, rootId: number, problems: { path: string; message: string }[]): void {
  db.transaction(() => {
    db.prepare('DELETE FROM problems WHERE root_id = ? AND run_id IS NULL').run(rootId);
    const ins = db.prepare("INSERT INTO problems (root_id, run_id, path, format, message, created_at) VALUES (?, NULL, ?, 'scan', ?, ?)");
    const now = Date.now();
    for (const p of problems) ins.run(rootId, p.path, p.message, now);
  })();
}

async function statFiles(files: string[]): Promise<Map<string, FileStat>> {
  const out = new Map<string, FileStat>();
  for (const f of files) {
    try {
      const st = await fs.stat(f);
      out.set(f, { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
    } catch {
      // Vanished between listing and stat: the run is re-read and the adapter reports it.
    }
  }
  return out;
}

function sameFiles(stored: (FileStat & { path: string })[], now: Map<string, FileStat>): boolean {
  if (stored.length !== now.size) return false;
  return stored.every((s) => {
    const n = now.get(s.path);
    return n !== undefined && n.size === s.size && n.mtimeMs === s.mtimeMs && n.ino === s.ino;
  });
}
