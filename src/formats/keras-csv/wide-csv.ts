import fs from 'node:fs/promises';
import type { RunSink } from '../adapter.js';
import { parseMetricNumber } from '../../util/json-number.js';
import { describeFsError, endOfLastLine, headIsBinary } from '../util/files.js';

export interface WideCsvOptions {
  /** Picks the step column from the header (its index), or -1 to number data rows from 0. */
  stepColumn: (header: string[]) => number;
  /** Prepended to every metric key (e.g. `clients/` when a run has several CSVs). */
  keyPrefix?: string;
}

/** Resume state stored with the file's read offset. */
export interface WideCsvState {
  header: string[];
  rows: number;
}

const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(\s|$)/;

/**
 * Streams a hand-written or logger-written "wide" CSV (header of keys, one row per epoch) into
 * points, tolerating what real files carry and `readCsvMetrics` does not: the separator sniffed
 * from the header (`,` `;` or tab: Keras' `separator=';'`), `\r\r\n` endings (Windows text-mode
 * writes of csv's `\r\n`), committed git merge-conflict markers and other non-data lines (skipped
 * and reported once), and a final line without a line end when it is a whole row (pandas and
 * hand-rolled writers often omit it; a half-written row is still left for the next read).
 */
export async function readWideCsv(file: string, sink: RunSink, options: WideCsvOptions): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    sink.problem(file, `cannot open: ${describeFsError(err)}`);
    return;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) {
      sink.problem(file, 'empty file: no header and no rows (a run that has not logged yet, or a lost write)');
      sink.fileRead(file, 0);
      return;
    }
    if (await headIsBinary(handle, size)) {
      sink.problem(file, 'binary data where CSV text was expected: the file is corrupt or not a metrics CSV');
      return;
    }
    const end = await endOfLastLine(handle, size);
    // The unterminated tail is fetched first: ending the line stream below closes the handle.
    const tail = Buffer.alloc(size - end);
    if (tail.length) await handle.read(tail, 0, tail.length, end);
    const rows = new RowReader(file, sink, options);
    if (end > 0) {
      const input = handle.createReadStream({ start: 0, end: end - 1, autoClose: false, encoding: 'utf8' });
      try {
        for await (const line of linesOf(input)) rows.line(line);
      } finally {
        input.destroy();
      }
    }
    let readTo = end;
    if (tail.length) {
      if (rows.wholeRow(tail.toString('utf8'))) readTo = size;
      else sink.problem(file, `the last line is cut off (${size - end} bytes without a line end); the rows before it were read`);
    }
    rows.finish();
    sink.fileRead(file, readTo, rows.state());
  } catch (err) {
    sink.problem(file, `cannot read: ${describeFsError(err)}`);
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * Lines split on `\n` only, so `\r\r\n` is one line end (readline would also break at the lone
 * `\r` and shift every line number the problems quote); trailing `\r`s are stripped by the reader.
 */
async function* linesOf(input: AsyncIterable<string | Buffer>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of input) {
    const parts = (rest + String(chunk)).split('\n');
    rest = parts.pop()!;
    yield* parts;
  }
  if (rest) yield rest;
}

/** Turns lines into points; one instance per file read. */
class RowReader {
  private header: string[] | null = null;
  private headerLine = '';
  private delimiter = ',';
  private stepIndex = -1;
  private lineNo = 0;
  private rows = 0;
  private markers = 0;
  private skipped: { count: number; example: string; line: number } | null = null;
  private readonly bad = new Map<string, { count: number; example: string; row: number }>();

  constructor(
    private readonly file: string,
    private readonly sink: RunSink,
    private readonly options: WideCsvOptions,
  ) {}

  line(raw: string): void {
    this.lineNo++;
    const line = raw.replace(/\r+$/, '').replace(/^\uFEFF/, '');
    if (line.trim() === '') return;
    if (CONFLICT_MARKER.test(line)) {
      this.markers++;
      return;
    }
    if (!this.header) {
      this.delimiter = sniffDelimiter(line);
      this.header = splitRow(line, this.delimiter);
      this.headerLine = line;
      this.stepIndex = this.options.stepColumn(this.header);
      return;
    }
    const cells = splitRow(line, this.delimiter);
    let step: number | null = this.rows;
    if (this.stepIndex >= 0) step = parseMetricNumber(cells[this.stepIndex] ?? '');
    // A row whose step is not a number is not data: a repeated header, a note, stray text.
    if (step === null || !Number.isFinite(step) || line === this.headerLine) {
      if (this.skipped) this.skipped.count++;
      else this.skipped = { count: 1, example: line.slice(0, 60), line: this.lineNo };
      return;
    }
    this.rows++;
    const prefix = this.options.keyPrefix ?? '';
    for (let i = 0; i < this.header.length; i++) {
      const key = this.header[i];
      const cell = cells[i];
      if (i === this.stepIndex || key === '' || cell === undefined || cell === '') continue;
      const value = parseMetricNumber(cell);
      if (value === null) {
        const b = this.bad.get(key);
        if (b) b.count++;
        else this.bad.set(key, { count: 1, example: cell.slice(0, 40), row: this.rows });
        continue;
      }
      this.sink.point(prefix + key, step, value);
    }
  }

  /** Reads an unterminated last line only when it is a complete row: as many cells as the header, all numbers. */
  wholeRow(text: string): boolean {
    const line = text.replace(/\r+$/, '');
    if (!this.header) return false;
    const cells = splitRow(line, this.delimiter);
    if (cells.length !== this.header.length || !cells.every((c) => c === '' || parseMetricNumber(c) !== null)) return false;
    this.line(line);
    return true;
  }

  finish(): void {
    const { file, sink } = this;
    if (!this.header) sink.problem(file, 'no header row');
    if (this.markers) {
      sink.problem(file, `${this.markers} git merge-conflict marker line(s) (<<<<<<<, =======, >>>>>>>) were skipped; the rows around them come from both sides of an unresolved merge`);
    }
    if (this.skipped) {
      const s = this.skipped;
      sink.problem(file, `${s.count} line(s) that are not data rows were skipped, e.g. line ${s.line}: "${s.example}"`);
    }
    for (const [key, b] of this.bad) {
      sink.problem(file, `column "${key}" has ${b.count} value(s) that are not numbers, e.g. "${b.example}" in data row ${b.row}; they were skipped`);
    }
  }

  state(): WideCsvState {
    return { header: this.header ?? [], rows: this.rows };
  }
}

/** The separator is whichever of `,` `;` tab the header uses most (Keras' `separator` option). */
export function sniffDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t']) {
    const n = headerLine.split(d).length - 1;
    if (n > bestCount) [best, bestCount] = [d, n];
  }
  return best;
}

/** Splits one CSV line; quotes (rare in metric files) are honoured, doubled quotes unescaped. */
export function splitRow(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter).map((c) => c.trim());
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/** Step columns that hand-written and logger CSVs use, in the order they are preferred. */
const STEP_NAMES = ['step', 'global_step', 'epoch', 'round', 'server_round', 'iteration', 'iter'];

/** The step column of a CSV written by a script: a well-known name, else none (rows are numbered). */
export function commonStepColumn(header: string[]): number {
  const lower = header.map((h) => h.toLowerCase());
  for (const name of STEP_NAMES) {
    const i = lower.indexOf(name);
    if (i >= 0) return i;
  }
  return -1;
}
