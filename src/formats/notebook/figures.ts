import { multiline, streamNotebook } from './nbformat.js';
import { FIGURE_MIMES } from './outputs.js';
import { record } from './timing.js';

/** Where a figure artifact (`<file>#cell=<i>/output=<j>.<ext>`) points inside its notebook. */
export interface FigureRef {
  file: string;
  cell: number;
  output: number;
  mime: string;
}

/** Reads a figure artifact's path back; null for any other path. */
export function parseFigurePath(artifactPath: string): FigureRef | null {
  const m = /^(.*\.ipynb)#cell=(\d+)\/output=(\d+)\.(\w+)$/i.exec(artifactPath);
  if (!m) return null;
  const mime = Object.keys(FIGURE_MIMES).find((k) => FIGURE_MIMES[k] === m[4].toLowerCase());
  return mime ? { file: m[1], cell: Number(m[2]), output: Number(m[3]), mime } : null;
}

/**
 * A figure's bytes as the notebook holds them now (for a run page's gallery): streams the file up to
 * the cell. An execution saved over since is gone: the figure is then missing or another one.
 */
export async function readNotebookFigure(ref: FigureRef): Promise<{ bytes: Buffer } | { error: string }> {
  let found: Buffer | null = null;
  const read = await streamNotebook(ref.file, (cell, i) => {
    if (i < ref.cell) return;
    const data = record(cell.outputs[ref.output]?.data)[ref.mime];
    if (data !== undefined) {
      const text = multiline(data);
      found = ref.mime === 'image/svg+xml' ? Buffer.from(text, 'utf8') : Buffer.from(text.replace(/\s+/g, ''), 'base64');
    }
    return 'stop';
  });
  if (found) return { bytes: found };
  return { error: read.error ?? `no ${ref.mime} output ${ref.output} in cell ${ref.cell} of the notebook (saved over since it was indexed?)` };
}
