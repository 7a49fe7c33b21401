import fs from 'node:fs';
import type { FigureData, NotebookView } from '../../api/contract.js';
import { badRequest, notFound } from '../../api/errors.js';
import { notebookFileOf, parseFigurePath, readNotebookFigure } from '../../formats/notebook/index.js';
import { renderNotebook } from '../../formats/notebook/render.js';
import type { Db } from '../db.js';

/** Figures past this are not sent to the UI (base64 over IPC/HTTP); the notebook itself still opens. */
export const MAX_FIGURE_BYTES = 20 * 1024 * 1024;

interface RunRow {
  id: string;
  path: string;
  format: string;
}

function runRow(db: Db, id: string): RunRow {
  const row = db.prepare('SELECT id, path, format FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  if (!row) throw notFound(`No run with id ${id}: it may have been removed from disk. Refresh the runs list.`);
  return row;
}

const megabytes = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
const tooBig = (size: number) =>
  badRequest(`This figure is ${megabytes(size)}; Labdesk shows figures up to ${megabytes(MAX_FIGURE_BYTES)}. Open the notebook to see it.`);

/**
 * A figure's bytes, for a run page's gallery. Only a figure artifact the catalog lists for this run
 * is read: the path names an artifact row, never a file of the client's choosing.
 */
export async function runFigure(db: Db, runId: string, artifactPath: string): Promise<FigureData> {
  if (typeof artifactPath !== 'string' || !artifactPath) throw badRequest('artifacts.figure needs the path of one of the run’s figures.');
  const run = runRow(db, runId);
  const artifact = db
    .prepare('SELECT kind, size_bytes AS sizeBytes FROM artifacts WHERE run_id = ? AND path = ?')
    .get(run.id, artifactPath) as { kind: string; sizeBytes: number | null } | undefined;
  if (!artifact) throw notFound(`This run lists no figure "${artifactPath}" (re-indexed since the page loaded?).`);
  if (!artifact.kind.startsWith('figure:')) throw badRequest(`"${artifactPath}" is not a figure (the run lists it as ${artifact.kind}).`);
  const ref = parseFigurePath(artifactPath);
  // Figures are image outputs of notebook cells; the ref must point into this run's own notebook.
  if (!ref || `figure:${ref.mime}` !== artifact.kind || ref.file !== notebookFileOf(run.path)) {
    throw badRequest(`"${artifactPath}" is not a figure Labdesk can read.`);
  }
  if (artifact.sizeBytes !== null && artifact.sizeBytes > MAX_FIGURE_BYTES) throw tooBig(artifact.sizeBytes);
  const read = await readNotebookFigure(ref);
  if ('error' in read) throw notFound(`Could not read the figure: ${read.error}`);
  if (read.bytes.length > MAX_FIGURE_BYTES) throw tooBig(read.bytes.length);
  return { mime: ref.mime, data: read.bytes.toString('base64'), sizeBytes: read.bytes.length };
}

/** A notebook run's cells and outputs, read from its file now (streamed; images by figure path). */
export async function notebookView(db: Db, runId: string): Promise<NotebookView> {
  const run = runRow(db, runId);
  if (run.format !== 'notebook') throw badRequest(`This run was read from ${run.format} files, not from a notebook: there is no notebook to show.`);
  const file = notebookFileOf(run.path);
  const rendering = await renderNotebook(file);
  return { run: run.id, file, ...rendering, changedSinceIndexed: changedSince(db, run.id, file) };
}

/** The file's size or modification time differs from what the catalog recorded when it read this run. */
function changedSince(db: Db, runId: string, file: string): boolean {
  const seen = db.prepare("SELECT size, mtime_ms AS mtime FROM file_entries WHERE entry_kind = 'run' AND entry_id = ? AND path = ?").get(runId, file) as
    | { size: number; mtime: number }
    | undefined;
  if (!seen) return false;
  try {
    const st = fs.statSync(file);
    return st.size !== seen.size || Math.abs(st.mtimeMs - seen.mtime) > 1;
  } catch {
    return false; // gone: the rendering's `error` says so
  }
}
