import type { NotebookCellView, NotebookOutputView } from '../../api/contract.js';
import { multiline, streamNotebook, type NotebookCell } from './nbformat.js';
import { FIGURE_MIMES, figurePath, stripAnsi } from './outputs.js';
import { record } from './timing.js';

/** One output's text past this keeps its head and tail (a training loop's log, a 10k-row frame). */
export const MAX_OUTPUT_CHARS = 20_000;
/** A cell's source past this is data pasted into the notebook: its head is enough. */
export const MAX_SOURCE_CHARS = 100_000;
/** All text of one rendering: past this, further cells are counted, not included. */
export const MAX_RENDER_CHARS = 4_000_000;

export interface NotebookRendering {
  cells: NotebookCellView[];
  omittedCells: number;
  language: string | null;
  error: string | null;
}

/**
 * A notebook as a read-only document: cells with their sources and outputs, images as figure paths
 * (`<file>#cell=<i>/output=<j>.<ext>`, the artifact paths the adapter lists) rather than bytes,
 * text cut to size, tracebacks ANSI-free. Streams the file: memory holds one cell at a time.
 */
export async function renderNotebook(file: string): Promise<NotebookRendering> {
  const cells: NotebookCellView[] = [];
  let omittedCells = 0;
  let budget = MAX_RENDER_CHARS;
  const read = await streamNotebook(file, (cell, index) => {
    if (budget <= 0) {
      omittedCells++;
      return;
    }
    const view = cellView(file, cell, index);
    budget -= view.source.length + view.outputs.reduce((n, o) => n + (o.text?.length ?? 0), 0);
    cells.push(view);
  });
  const metadata = read.metadata ?? {};
  const language = String(record(metadata.kernelspec).language ?? record(metadata.language_info).name ?? '').toLowerCase();
  return { cells, omittedCells, language: language || null, error: read.error };
}

function cellView(file: string, cell: NotebookCell, index: number): NotebookCellView {
  const type = cell.cellType === 'markdown' || cell.cellType === 'code' ? cell.cellType : 'raw';
  const source = cut(cell.source, MAX_SOURCE_CHARS, 0);
  const tags = Array.isArray(cell.metadata.tags) ? cell.metadata.tags.filter((t): t is string => typeof t === 'string') : [];
  return {
    index,
    type,
    source: source.text,
    ...(source.omitted ? { omittedChars: source.omitted } : {}),
    executionCount: type === 'code' ? cell.executionCount : null,
    tags,
    outputs: type === 'code' ? outputViews(file, index, cell.outputs) : [],
  };
}

/** A cell's outputs in order; consecutive stream writes to the same stream are one block, as Jupyter shows them. */
function outputViews(file: string, cell: number, outputs: Record<string, unknown>[]): NotebookOutputView[] {
  const views: NotebookOutputView[] = [];
  let stream: { name: string; text: string } | null = null;
  const flush = () => {
    if (stream) views.push({ kind: 'stream', name: stream.name, ...textOf(terminalText(stream.text)) });
    stream = null;
  };
  outputs.forEach((o, j) => {
    if (o.output_type === 'stream') {
      const name = typeof o.name === 'string' ? o.name : 'stdout';
      const text = multiline(o.text);
      if (stream && stream.name === name) stream.text += text;
      else {
        flush();
        stream = { name, text };
      }
      return;
    }
    flush();
    const view = o.output_type === 'error' ? errorView(o) : dataView(file, cell, j, record(o.data));
    if (view) views.push(view);
  });
  flush();
  return views;
}

function errorView(o: Record<string, unknown>): NotebookOutputView {
  const ename = typeof o.ename === 'string' ? o.ename : '';
  const evalue = typeof o.evalue === 'string' ? stripAnsi(o.evalue) : '';
  const lines = Array.isArray(o.traceback) ? o.traceback.filter((l): l is string => typeof l === 'string') : [];
  const traceback = stripAnsi(lines.join('\n'));
  return { kind: 'error', ename, evalue, ...textOf(traceback || (evalue ? `${ename}: ${evalue}` : ename)) };
}

const SCRAP_MIME = /^application\/scrapbook\.scrap\.[\w-]+\+json$/;
/** IPython's plain-text stand-in for rich objects (`<IPython.core.display.HTML object>`) says nothing. */
const PLACEHOLDER = /^<[\w.]+ object(?: at 0x[0-9a-f]+)?>$/;

/** execute_result / display_data: the best of its representations that can be shown without a browser engine. */
function dataView(file: string, cell: number, output: number, data: Record<string, unknown>): NotebookOutputView | null {
  const mime = Object.keys(FIGURE_MIMES).find((m) => m in data);
  if (mime) return { kind: 'image', mime, figurePath: figurePath(file, { cell, output, mime }) };
  const plain = stripAnsi(multiline(data['text/plain']));
  const html = multiline(data['text/html']);
  if (html && (!plain || PLACEHOLDER.test(plain.trim()))) return { kind: 'html-as-text', ...textOf(htmlToText(html)) };
  const markdown = multiline(data['text/markdown']);
  if (markdown && (!plain || PLACEHOLDER.test(plain.trim()))) return { kind: 'text', ...textOf(markdown) };
  if (plain) return { kind: 'text', ...textOf(plain) };
  if ('application/json' in data) return { kind: 'text', ...textOf(JSON.stringify(data['application/json'], null, 2) ?? '') };
  const scraps = Object.entries(data).filter(([m]) => SCRAP_MIME.test(m));
  if (scraps.length) {
    const lines = scraps.map(([, payload]) => {
      const p = record(payload);
      const value = p.data === undefined ? '(not shown)' : JSON.stringify(p.data);
      return `scrapbook glue: ${String(p.name ?? '?')} = ${value}`;
    });
    return { kind: 'text', ...textOf(lines.join('\n')) };
  }
  const mimes = Object.keys(data);
  return mimes.length ? { kind: 'text', text: `(${mimes.join(', ')} output: not shown here)` } : null;
}

function textOf(text: string): { text: string; omittedChars?: number } {
  const c = cut(text, MAX_OUTPUT_CHARS, Math.floor(MAX_OUTPUT_CHARS / 4));
  return c.omitted ? { text: c.text, omittedChars: c.omitted } : { text: c.text };
}

/** Keeps `max` characters: the head, and `tail` characters from the end (where a log's last lines are). */
function cut(text: string, max: number, tail: number): { text: string; omitted: number } {
  if (text.length <= max) return { text, omitted: 0 };
  const omitted = text.length - max;
  const head = text.slice(0, max - tail);
  const end = tail ? text.slice(-tail) : '';
  return { text: `${head}\n… ${omitted.toLocaleString('en-US')} characters not shown …\n${end}`, omitted };
}

/**
 * Terminal output as a terminal leaves it: colour codes dropped, and a carriage return (tqdm's
 * progress bars) or backspace overwriting what came before on its line.
 */
export function terminalText(raw: string): string {
  const text = stripAnsi(raw).replace(/\r\n/g, '\n');
  return text
    .split('\n')
    .map((line) => {
      let out = line;
      if (out.includes('\r')) {
        const parts = out.split('\r');
        out = parts.reduce((shown, part) => part + shown.slice(part.length), '');
      }
      if (!out.includes('\x08')) return out;
      const chars: string[] = [];
      for (const ch of out) {
        if (ch === '\x08') chars.pop();
        else chars.push(ch);
      }
      return chars.join('');
    })
    .join('\n');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** HTML's text: tags removed, rows and blocks on their own lines, table cells tab-separated, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<\/(td|th)\s*>/gi, '\t')
    .replace(/<br\s*\/?>|<\/(p|div|tr|li|h[1-6]|table|thead|tbody|pre)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
