import path from 'node:path';
import { badRequest, notFound } from '../../api/errors.js';
// From util/, not the notebook adapter: the CLI's listing commands must load no format reader.
import { notebookFileOf } from '../../util/notebook-path.js';
import type { Db } from '../db.js';

/** A file the catalog lists for a run, and the folder no read of it may leave. */
export interface ListedRunFile {
  file: string;
  /** The run's folder (a notebook run's: the notebook's folder). */
  folder: string;
}

/**
 * Checks that `file` is one of the run's source files or artifacts (never a path of the client's
 * choosing) and names the run's folder. Figures live inside notebooks: `artifacts.figure` reads them.
 */
export function listedRunFile(db: Db, runId: string, file: string): ListedRunFile {
  if (typeof file !== 'string' || !file) throw badRequest('artifacts.preview needs the path of one of the run’s files.');
  const run = db.prepare('SELECT path, format FROM runs WHERE id = ?').get(runId) as { path: string; format: string } | undefined;
  if (!run) throw notFound(`No run with id ${runId}: it may have been removed from disk. Refresh the runs list.`);
  const listed = db
    .prepare(
      `SELECT 'source' AS kind FROM file_entries WHERE entry_kind = 'run' AND entry_id = ? AND path = ?
       UNION ALL SELECT kind FROM artifacts WHERE run_id = ? AND path = ?`,
    )
    .all(runId, file, runId, file) as { kind: string }[];
  if (!listed.length) throw notFound(`This run lists no file "${file}" (re-indexed since the page loaded?).`);
  if (listed.every((l) => l.kind.startsWith('figure:'))) throw badRequest(`"${file}" is a figure inside the notebook: open it in the gallery.`);
  const runPath = run.format === 'notebook' ? notebookFileOf(run.path) : run.path;
  // A notebook run's path is its file; every other format's run is a folder.
  const folder = run.format === 'notebook' || path.resolve(runPath) === path.resolve(file) ? path.dirname(runPath) : runPath;
  return { file, folder };
}
