/**
 * Reading a notebook run's file for the app: its cells rendered, and its figures' bytes. The catalog
 * says which run and which listed artifact (src/catalog/queries/notebook-runs.ts); this reads the file.
 */
import fs from 'node:fs';
import type { FigureData, NotebookView } from '../api/contract.js';
import { badRequest, notFound } from '../api/errors.js';
import { notebookFileOf, parseFigurePath, readNotebookFigure } from '../formats/notebook/index.js';
import { renderNotebook } from '../formats/notebook/render.js';

/** Figures past this are not sent to the UI (base64 over IPC/HTTP); the notebook itself still opens. */
export const MAX_FIGURE_BYTES = 20 * 1024 * 1024;

const megabytes = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
const tooBig = (size: number) =>
  badRequest(`This figure is ${megabytes(size)}; Labdesk shows figures up to ${megabytes(MAX_FIGURE_BYTES)}. Open the notebook to see it.`);

/** A figure's bytes, for a run page's gallery: `figure` is an artifact the catalog lists for the run. */
export async function runFigure(figure: { run: { path: string }; path: string; kind: string; sizeBytes: number | null }): Promise<FigureData> {
  const { run, path: artifactPath, kind, sizeBytes } = figure;
  if (!kind.startsWith('figure:')) throw badRequest(`"${artifactPath}" is not a figure (the run lists it as ${kind}).`);
  const ref = parseFigurePath(artifactPath);
  // Figures are image outputs of notebook cells; the ref must point into this run's own notebook.
  if (!ref || `figure:${ref.mime}` !== kind || ref.file !== notebookFileOf(run.path)) {
    throw badRequest(`"${artifactPath}" is not a figure Labdesk can read.`);
  }
  if (sizeBytes !== null && sizeBytes > MAX_FIGURE_BYTES) throw tooBig(sizeBytes);
  const read = await readNotebookFigure(ref);
  if ('error' in read) throw notFound(`Could not read the figure: ${read.error}`);
  if (read.bytes.length > MAX_FIGURE_BYTES) throw tooBig(read.bytes.length);
  return { mime: ref.mime, data: read.bytes.toString('base64'), sizeBytes: read.bytes.length };
}

/**
 * A notebook run's cells and outputs, read from its file now (streamed; images by figure path).
 * `recorded`: the file's size and mtime when the catalog read this run.
 */
export async function notebookView(run: {
  id: string;
  path: string;
  format: string;
  recorded: { size: number; mtime: number } | null;
}): Promise<NotebookView> {
  if (run.format !== 'notebook') throw badRequest(`This run was read from ${run.format} files, not from a notebook: there is no notebook to show.`);
  const file = notebookFileOf(run.path);
  const rendering = await renderNotebook(file);
  return { run: run.id, file, ...rendering, changedSinceIndexed: changedSince(file, run.recorded) };
}

/** The file's size or modification time differs from what the catalog recorded when it read this run. */
function changedSince(file: string, seen: { size: number; mtime: number } | null): boolean {
  if (!seen) return false;
  try {
    const st = fs.statSync(file);
    return st.size !== seen.size || Math.abs(st.mtimeMs - seen.mtime) > 1;
  } catch {
    return false; // gone: the rendering's `error` says so
  }
}
