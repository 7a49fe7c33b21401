import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnnotationPatch, CatalogStats, RootInfo, RootStatus } from '../../api/contract.js';
import { badRequest, needsConfirm } from '../../api/errors.js';
import { folderRefusal } from '../system-folders.js';
import type { Db } from '../db.js';

interface RootRow {
  id: number;
  path: string;
  added_at: number;
  last_indexed_at: number | null;
  status: RootStatus;
  run_count: number;
}

const toRoot = (r: RootRow): RootInfo => ({
  id: r.id, path: r.path, addedAt: r.added_at, status: r.status, lastIndexedAt: r.last_indexed_at, runCount: r.run_count,
});

export function listRoots(db: Db): RootInfo[] {
  return (
    db.prepare(`SELECT ro.*, (SELECT count(*) FROM runs WHERE root_id = ro.id) AS run_count FROM roots ro ORDER BY ro.path`).all() as RootRow[]
  ).map(toRoot);
}

export function getRoot(db: Db, id: number): RootInfo | undefined {
  const row = db.prepare(`SELECT ro.*, (SELECT count(*) FROM runs WHERE root_id = ro.id) AS run_count FROM roots ro WHERE ro.id = ?`).get(id) as RootRow | undefined;
  return row && toRoot(row);
}

/**
 * Validates a folder the user typed or picked; the message says what to fix. System folders are
 * refused, a home folder needs `confirm` (indexing all of it walks caches and installed packages).
 */
export function checkFolder(input: string, options: { confirm?: boolean } = {}): string {
  if (typeof input !== 'string') throw badRequest('Give the folder as a path string, e.g. {"path": "/home/ann/project"}.');
  if (!input || !input.trim()) throw badRequest('Type the path of a folder to add.');
  const abs = path.resolve(input.trim().replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~'));
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw badRequest(`No folder at ${abs}. Check the path (it must exist on this computer) and try again.`);
  }
  if (!st.isDirectory()) throw badRequest(`${abs} is a file, not a folder. Add the folder that contains your runs.`);
  try {
    fs.accessSync(abs, fs.constants.R_OK | fs.constants.X_OK);
  } catch {
    throw badRequest(`Labdesk cannot read ${abs} (permission denied). Check its permissions and try again.`);
  }
  const real = fs.realpathSync(abs);
  const refusal = folderRefusal(real, process.platform, homeFolders());
  if (refusal?.kind === 'system') {
    throw badRequest(`${real} is a system folder; Labdesk does not index it. Add the project folder that holds your runs instead.`);
  }
  if (refusal?.kind === 'home' && !options.confirm) {
    throw needsConfirm(
      `${real} is a home folder: indexing all of it is slow and finds caches and installed packages. ` +
        'Pick a project folder inside it, or confirm that you want all of it indexed.',
    );
  }
  return real;
}

/** The user's home folder as configured and as resolved through links. */
function homeFolders(): string[] {
  const homes = [os.homedir(), process.env.HOME ?? ''].filter(Boolean);
  return [...homes, ...homes.map((h) => {
    try {
      return fs.realpathSync(h);
    } catch {
      return h;
    }
  })];
}

/** Adds a watched folder, or returns the existing one. Folders inside another watched folder are fine. */
export function addRoot(db: Db, folder: string): RootInfo {
  db.prepare('INSERT INTO roots (path, added_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING').run(folder, Date.now());
  const id = db.prepare('SELECT id FROM roots WHERE path = ?').pluck().get(folder) as number;
  return getRoot(db, id)!;
}

export function setRootStatus(db: Db, id: number, status: RootStatus): void {
  db.prepare('UPDATE roots SET status = ? WHERE id = ?').run(status, id);
}

/** Forgets a watched folder and what was indexed from it; user annotations stay for when it returns. */
export function removeRoot(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM roots WHERE id = ?').run(id).changes > 0;
}

export function catalogStats(db: Db, dbPath: string): CatalogStats {
  const count = (table: string) => (db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number);
  let dbSizeBytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      dbSizeBytes += fs.statSync(dbPath + suffix).size;
    } catch {
      // no WAL file yet
    }
  }
  return {
    runs: count('runs'), experiments: count('experiments'), datasets: count('datasets'), models: count('models'),
    problems: count('problems'), dbPath, dbSizeBytes,
  };
}

/** Applies a user's edit to a run's annotations; kept apart from indexed data so re-indexing never loses it. */
export function annotateRun(db: Db, patch: AnnotationPatch): void {
  db.transaction(() => {
    db.prepare('INSERT INTO run_annotations (run_id, updated_at) VALUES (?, ?) ON CONFLICT(run_id) DO NOTHING').run(patch.id, Date.now());
    const set = (col: string, value: unknown) =>
      db.prepare(`UPDATE run_annotations SET ${col} = ?, updated_at = ? WHERE run_id = ?`).run(value, Date.now(), patch.id);
    if (patch.displayName !== undefined) set('display_name', patch.displayName?.trim() || null);
    if (patch.note !== undefined) set('note', patch.note);
    if (patch.starred !== undefined) set('starred', patch.starred ? 1 : 0);
    if (patch.archived !== undefined) set('archived', patch.archived ? 1 : 0);
    if (patch.userTags !== undefined) {
      db.prepare('DELETE FROM user_tags WHERE run_id = ?').run(patch.id);
      const ins = db.prepare('INSERT OR IGNORE INTO user_tags (run_id, tag, created_at) VALUES (?, ?, ?)');
      for (const t of patch.userTags) if (t.trim()) ins.run(patch.id, t.trim(), Date.now());
    }
  })();
}
