import { badRequest, notFound } from '../../api/errors.js';
import { notebookFileOf } from '../../util/notebook-path.js';
import type { Db } from '../db.js';

/** A run as the notebook views need it: where it was read from, and by which format. */
export interface NotebookRunRow {
  id: string;
  path: string;
  format: string;
}

function runRow(db: Db, id: string): NotebookRunRow {
  const row = db.prepare('SELECT id, path, format FROM runs WHERE id = ?').get(id) as NotebookRunRow | undefined;
  if (!row) throw notFound(`No run with id ${id}: it may have been removed from disk. Refresh the runs list.`);
  return row;
}

/** A figure artifact the catalog lists for a run: the path names an artifact row, never a file of the client's choosing. */
export interface ListedFigure {
  run: NotebookRunRow;
  path: string;
  kind: string;
  sizeBytes: number | null;
}

/** Finds `artifactPath` among the run's artifacts; NotFound when the run does not list it. */
export function listedFigure(db: Db, runId: string, artifactPath: string): ListedFigure {
  if (typeof artifactPath !== 'string' || !artifactPath) throw badRequest('artifacts.figure needs the path of one of the run’s figures.');
  const run = runRow(db, runId);
  const artifact = db
    .prepare('SELECT kind, size_bytes AS sizeBytes FROM artifacts WHERE run_id = ? AND path = ?')
    .get(run.id, artifactPath) as { kind: string; sizeBytes: number | null } | undefined;
  if (!artifact) throw notFound(`This run lists no figure "${artifactPath}" (re-indexed since the page loaded?).`);
  return { run, path: artifactPath, ...artifact };
}

/** A notebook run with its file's size and modification time as recorded when it was indexed (null: none recorded). */
export interface NotebookRun extends NotebookRunRow {
  recorded: { size: number; mtime: number } | null;
}

export function notebookRun(db: Db, runId: string): NotebookRun {
  const run = runRow(db, runId);
  const recorded = db
    .prepare("SELECT size, mtime_ms AS mtime FROM file_entries WHERE entry_kind = 'run' AND entry_id = ? AND path = ?")
    .get(run.id, notebookFileOf(run.path)) as { size: number; mtime: number } | undefined;
  return { ...run, recorded: recorded ?? null };
}
