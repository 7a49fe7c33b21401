import { multiline } from './nbformat.js';
import { numberOf, parseLiteral } from './python-literals.js';
import { record } from './timing.js';

/** Image outputs listed as figures, with the file extension their artifact path gets. */
export const FIGURE_MIMES: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/svg+xml': 'svg',
};

export interface Figure {
  cell: number;
  output: number;
  mime: string;
  sizeBytes: number;
}

export interface CellError {
  cell: number;
  executionCount: number | null;
  ename: string;
  evalue: string;
  /** The traceback lines joined, ANSI colour codes stripped. */
  traceback: string;
}

/** The figures among one cell's outputs. */
export function figuresOf(cell: number, outputs: Record<string, unknown>[]): Figure[] {
  const out: Figure[] = [];
  outputs.forEach((o, j) => {
    const data = record(o.data);
    for (const mime of Object.keys(FIGURE_MIMES)) {
      if (!(mime in data)) continue;
      const text = multiline(data[mime]);
      const sizeBytes = mime === 'image/svg+xml' ? Buffer.byteLength(text) : base64Size(text);
      out.push({ cell, output: j, mime, sizeBytes });
    }
  });
  return out;
}

/** The artifact path of a figure: the notebook file, then where in it the image is. */
export function figurePath(file: string, f: { cell: number; output: number; mime: string }): string {
  return `${file}#cell=${f.cell}/output=${f.output}.${FIGURE_MIMES[f.mime] ?? 'bin'}`;
}

/** Decoded size of base64 text (nbformat may wrap it in lines). */
function base64Size(text: string): number {
  const clean = text.replace(/\s+/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

/** The first `error` output of a cell, if any. */
export function errorOf(cell: number, executionCount: number | null, outputs: Record<string, unknown>[]): CellError | null {
  const o = outputs.find((x) => x.output_type === 'error');
  if (!o) return null;
  const lines = Array.isArray(o.traceback) ? o.traceback.filter((l): l is string => typeof l === 'string') : [];
  return {
    cell,
    executionCount,
    ename: typeof o.ename === 'string' ? o.ename : '',
    evalue: typeof o.evalue === 'string' ? stripAnsi(o.evalue) : '',
    traceback: stripAnsi(lines.join('\n')),
  };
}

/** Removes terminal colour and cursor codes (CSI `ESC[...m` and OSC `ESC]...BEL`), as IPython writes them. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '').replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\x1b[@-_]/g, '');
}

/** A shown dict longer than this is data, not a handful of scores. */
const MAX_DICT_TEXT = 64 * 1024;

/**
 * Numbers a cell's last expression showed as a dict (`{'accuracy': 0.93}` in `text/plain`, or an
 * `application/json` object): every value a plain number, else nothing. Offered as metrics, marked.
 */
export function numberDictOf(outputs: Record<string, unknown>[]): Map<string, number> | null {
  for (const o of outputs) {
    if (o.output_type !== 'execute_result') continue;
    const data = record(o.data);
    const json = data['application/json'];
    if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
      const entries = Object.entries(json as Record<string, unknown>);
      if (entries.length && entries.every(([, v]) => typeof v === 'number')) return new Map(entries as [string, number][]);
    }
    const text = multiline(data['text/plain']).trim();
    if (!text.startsWith('{') || text.length > MAX_DICT_TEXT) continue;
    const lit = parseLiteral(text);
    if (lit?.kind !== 'dict' || !lit.entries.length) continue;
    const found = new Map<string, number>();
    for (const [k, v] of lit.entries) {
      const n = numberOf(v);
      if (k.kind !== 'string' || n === null) return null;
      found.set(k.value, n);
    }
    return found;
  }
  return null;
}

export interface Scrap {
  name: string;
  /** The scrap's value when its encoder is `json` or `text`; undefined for other encoders. */
  data: unknown;
  encoder: string;
}

const SCRAP_MIME = /^application\/scrapbook\.scrap\.([\w-]+)\+json$/;

/**
 * scrapbook `glue` outputs: `display_data` whose data holds `application/scrapbook.scrap.<encoder>+json`
 * = `{name, data, encoder, version}`. Display-only scraps (`metadata.scrapbook.data: false`) carry no value.
 */
export function scrapsOf(outputs: Record<string, unknown>[]): Scrap[] {
  const out: Scrap[] = [];
  for (const o of outputs) {
    const data = record(o.data);
    for (const [mime, payload] of Object.entries(data)) {
      const m = SCRAP_MIME.exec(mime);
      if (!m) continue;
      const p = record(payload);
      const name = typeof p.name === 'string' ? p.name : typeof record(record(o.metadata).scrapbook).name === 'string' ? (record(record(o.metadata).scrapbook).name as string) : null;
      if (!name) continue;
      const encoder = typeof p.encoder === 'string' ? p.encoder : m[1];
      out.push({ name, encoder, data: encoder === 'json' || encoder === 'text' ? p.data : undefined });
    }
  }
  return out;
}
