/**
 * Undoing what a cancelled index pass added. A pass writes its runs in batches as it goes; when it
 * is cancelled, the runs, experiments and models it created are deleted again (with everything
 * hanging off them: ledger rows, lineage), so the root holds what it held before the pass. Runs the
 * pass rewrote stay as re-read: each was written whole, from the files as they are now.
 */
import type { Db } from './db.js';
import { Ledger } from './repos/ledger.js';
import { Models } from './repos/models.js';
import { Runs } from './repos/runs.js';

/** The root's entries when a pass started. */
export interface PassMark {
  rootId: number;
  runs: Set<string>;
  experiments: Set<string>;
  models: Set<string>;
}

/** Deleted per transaction, so that undoing a big pass never blocks the thread for long. */
const UNDO_BATCH = 500;

const ids = (db: Db, table: 'runs' | 'experiments' | 'models', rootId: number) =>
  db.prepare(`SELECT id FROM ${table} WHERE root_id = ?`).pluck().all(rootId) as string[];

export function markPass(db: Db, rootId: number): PassMark {
  return {
    rootId,
    runs: new Set(ids(db, 'runs', rootId)),
    experiments: new Set(ids(db, 'experiments', rootId)),
    models: new Set(ids(db, 'models', rootId)),
  };
}

/** Deletes the root's runs, models and experiments created since `mark`; resolves with the run ids deleted. */
export async function undoPass(db: Db, mark: PassMark): Promise<string[]> {
  const ledger = new Ledger(db);
  const runs = new Runs(db, ledger);
  const models = new Models(db);
  const added = ids(db, 'runs', mark.rootId).filter((id) => !mark.runs.has(id));
  for (let i = 0; i < added.length && db.open; i += UNDO_BATCH) {
    db.transaction(() => {
      for (const id of added.slice(i, i + UNDO_BATCH)) runs.remove(id);
    })();
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!db.open) return added;
  const delExperiment = db.prepare('DELETE FROM experiments WHERE id = ? AND NOT EXISTS (SELECT 1 FROM runs WHERE experiment_id = ?)');
  db.transaction(() => {
    for (const id of ids(db, 'models', mark.rootId)) if (!mark.models.has(id)) models.remove(id);
    for (const id of ids(db, 'experiments', mark.rootId)) if (!mark.experiments.has(id)) delExperiment.run(id, id);
    ledger.prune(mark.rootId);
  })();
  return added;
}
