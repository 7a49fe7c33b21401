import type { AnnotationPatch, CatalogStats, RootInfo, RootStatus } from '../../api/contract.js';
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

/** Runs, experiments, datasets, models and problems in the catalog, or only in those indexed from `rootIds`. */
export function entryCounts(db: Db, rootIds?: number[]): Omit<CatalogStats, 'dbPath' | 'dbSizeBytes'> {
  const where = rootIds ? 'WHERE root_id IN (SELECT value FROM json_each(?))' : '';
  const args = rootIds ? [JSON.stringify(rootIds)] : [];
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table} ${where}`).pluck().get(...args) as number;
  return { runs: count('runs'), experiments: count('experiments'), datasets: count('datasets'), models: count('models'), problems: count('problems') };
}

/** The catalog's counts, with its file and the bytes it takes on disk (measured by the caller). */
export function catalogStats(db: Db, dbPath: string, dbSizeBytes: number): CatalogStats {
  return { ...entryCounts(db), dbPath, dbSizeBytes };
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
