/**
 * What indexing asks of the runs the catalog holds: which a root has, where each was read from, and
 * removing one that vanished (its indexed rows cascade; its ledger and lineage rows go here). The
 * write side is the RunWriter (write-run.ts). User annotations are keyed apart and never touched.
 */
import type { RunLocation } from '../../formats/adapter.js';
import type { Db } from '../db.js';
import type { Ledger } from './ledger.js';

export interface StoredRun {
  id: string;
  format: string;
  path: string;
  execution: string | null;
}

export class Runs {
  private readonly s;

  constructor(db: Db, private readonly ledger: Ledger) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      ofRoot: p('SELECT id, format, path, execution FROM runs WHERE root_id = ?'),
      exists: p('SELECT 1 FROM runs WHERE id = ?').pluck(),
      location: p(
        `SELECT r.format, r.path, r.execution, e.name AS expName, e.path AS expPath
         FROM runs r LEFT JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?`,
      ),
      remove: p('DELETE FROM runs WHERE id = ?'),
      lineage: p("DELETE FROM lineage WHERE (src_kind = 'run' AND src_id = ?) OR (dst_kind = 'run' AND dst_id = ?)"),
      pruneExperiments: p(
        'DELETE FROM experiments WHERE root_id = ? AND id NOT IN (SELECT experiment_id FROM runs WHERE experiment_id IS NOT NULL)',
      ),
      markIndexed: p('UPDATE roots SET last_indexed_at = ? WHERE id = ?'),
    };
  }

  ofRoot(rootId: number): StoredRun[] {
    return this.s.ofRoot.all(rootId) as StoredRun[];
  }

  exists(id: string): boolean {
    return this.s.exists.get(id) !== undefined;
  }

  /** A run's location as the catalog recorded it at its last read (null: not enough is recorded). */
  storedLocation(id: string): RunLocation | null {
    const run = this.s.location.get(id) as
      | { format: string; path: string; execution: string | null; expName: string | null; expPath: string | null }
      | undefined;
    if (!run || run.expPath === null) return null;
    return {
      format: run.format,
      path: run.path,
      execution: run.execution,
      files: this.ledger.filesOf('run', id),
      experiment: { name: run.expName ?? '', path: run.expPath },
      claimsSubtree: true,
    };
  }

  /** Removes a run gone from disk. The models it produced stay (their files decide). */
  remove(id: string): void {
    this.s.remove.run(id);
    this.s.lineage.run(id, id);
    this.ledger.clearEntry('run', id);
  }

  /** Drops a root's experiments that no run is in any more. */
  pruneExperiments(rootId: number): void {
    this.s.pruneExperiments.run(rootId);
  }

  markRootIndexed(rootId: number, now: number): void {
    this.s.markIndexed.run(now, rootId);
  }
}
