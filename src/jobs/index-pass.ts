import type { IndexProgress } from '../api/contract.js';
import { markPass, undoPass } from '../catalog/cancelled-pass.js';
import type { Db } from '../catalog/db.js';
import type { IndexResult, RootRow } from '../index/indexer.js';
import type { JobProgress, JobRegistry } from './registry.js';

export interface IndexPassOutcome {
  result: IndexResult;
  /** Runs a cancelled pass had written and that were deleted again. */
  undone: string[];
}

/** An index pass's progress as a job's: files while walking the tree (total unknown), then runs. */
export function indexJobProgress(p: IndexProgress): JobProgress {
  return p.phase === 'scanning' ? { done: p.filesSeen, total: 0, unit: 'files' } : { done: p.runsRead, total: p.runsTotal, unit: 'runs' };
}

/**
 * Runs one full pass over `root` as an `index` job labelled with its folder, stopped by `controller`
 * (cancelling the job aborts it). A cancelled pass deletes the runs it had added before the job
 * ends, so the root holds what it held before; the outcome then has `result.cancelled`.
 */
export async function runIndexPassJob(
  jobs: JobRegistry,
  db: Db,
  root: RootRow,
  controller: AbortController,
  pass: (onProgress: (p: IndexProgress) => void) => Promise<IndexResult>,
): Promise<IndexPassOutcome> {
  const mark = markPass(db, root.id);
  let outcome: IndexPassOutcome | null = null;
  const job = jobs.start('index', root.path, async ({ progress }) => {
    const result = await pass((p) => progress(indexJobProgress(p)));
    outcome = { result, undone: result.cancelled ? await undoPass(db, mark) : [] };
    if (result.cancelled) throw new Error('cancelled');
    return result;
  }, { controller, unit: 'files' });
  try {
    await job.promise;
  } catch (err) {
    if (!outcome) throw err;
  }
  return outcome!;
}
