import fs from 'node:fs/promises';
import type { RunSink } from '../adapter.js';
import { parseMetricNumber } from '../../util/json-number.js';
import { boundedLines, CSV_LIMITS, isLongLine, type LongLine } from '../util/bounded-lines.js';
import { describeFsError, endOfLastLine, headIsBinary, openRegularFile, PARTIAL_RECORD_GRACE_MS } from '../util/files.js';

export interface WideCsvOptions {
  /** Picks the step column from the header (its index), or -1 to number data rows from 0. */
  stepColumn: (header: string[]) => number;
  /** Prepended to every metric key (e.g. `clients/` when a run has several CSVs). */
  keyPrefix?: string;
  /**
   * The writer ends every row with a line end (Keras' CSVLogger): an unterminated last line is
   * then always a row being written or cut off mid-value (`3,0.51` of `3,0.5123`), never data.
   */
  rowsEndWithNewline?: boolean;
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
 * hand-rolled writers often omit it; a half-written row is still left for the next read; with
 * `rowsEndWithNewline` it is never data, and a problem once the file is older than
 * PARTIAL_RECORD_GRACE_MS). Lines and columns are bounded by CSV_LIMITS.
 */
export async function readWideCsv(file: string, sink: RunSink, options: WideCsvOptions, now = Date.now()): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await openRegularFile(file);
  } catch (err) {
    sink.problem(file, `cannot open: ${describeFsError(err)}`);
    return;
  }
  try {
    const { size, mtimeMs } = await handle.stat();
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
    // The unterminated tail is fetched first: ending the line stream below closes the handle. Only
    // a tail that can be a row is: a longer one is a cut-off line whatever it holds.
    const tailLength = size - end;
    const tail = Buffer.alloc(tailLength <= CSV_LIMITS.maxLineChars ? tailLength : 0);
    if (tail.length) await handle.read(tail, 0, tail.length, end);
    const rows = new RowReader(file, sink, options);
    if (end > 0) {
      const input = handle.createReadStream({ start: 0, end: end - 1, autoClose: false, encoding: 'utf8' });
      try {
        for await (const line of boundedLines(input)) if (!rows.line(line)) break;
      } finally {
        input.destroy();
      }
    }
    if (rows.refused) return;
    let readTo = end;
    if (tailLength) {
      const stale = now - mtimeMs > PARTIAL_RECORD_GRACE_MS;
      if (!options.rowsEndWithNewline && tail.length && rows.wholeRow(tail.toString('utf8'))) readTo = size;
      else if (!options.rowsEndWithNewline || stale) {
        sink.problem(file, `the last line is cut off (${tailLength} bytes without a line end); the rows before it were read`);
      }
      // else: a row still being written; the next read gets it whole.
    }
    rows.finish();
    sink.fileRead(file, readTo, rows.state());
  } catch (err) {
    sink.problem(file, `cannot read: ${describeFsError(err)}`);
  } finally {
    await handle.close().catch(() => {});
  }
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
  private longRows: { count: number; line: number } | null = null;
  private capped = false;
  /** The header line was too long to read: the file was refused (its problem already reported). */
  refused = false;
  private skipped: { count: number; example: string; line: number } | null = null;
  private readonly bad = new Map<string, { count: number; example: string; row: number }>();

  constructor(
    private readonly file: string,
    private readonly sink: RunSink,
    private readonly options: WideCsvOptions,
  ) {}

  /**
   * Reads one line (split on `\n` only, so `\r\r\n` is one line end and line numbers match an
   * editor's); false when the rest of the file is not to be read.
   */
  line(raw: string | LongLine): boolean {
    this.lineNo++;
    if (isLongLine(raw)) return this.longLine(raw.tooLong);
    const line = raw.replace(/\r+$/, '').replace(/^\uFEFF/, '');
    if (line.trim() === '') return true;
    if (CONFLICT_MARKER.test(line)) {
      this.markers++;
      return true;
    }
    if (!this.header) {
      this.delimiter = sniffDelimiter(line);
      // Split no further than the cap: a million-column header never becomes a million strings.
      const header = splitRow(line, this.delimiter, CSV_LIMITS.maxColumns + 1);
      this.capped = header.length > CSV_LIMITS.maxColumns;
      this.header = header.slice(0, CSV_LIMITS.maxColumns);
      this.headerLine = line;
      this.stepIndex = this.options.stepColumn(this.header);
      return true;
    }
    const cells = splitRow(line, this.delimiter, this.header.length);
    let step: number | null = this.rows;
    if (this.stepIndex >= 0) step = parseMetricNumber(cells[this.stepIndex] ?? '');
    // A row whose step is not a number is not data: a repeated header, a note, stray text.
    if (step === null || !Number.isFinite(step) || line === this.headerLine) {
      if (this.skipped) this.skipped.count++;
      else this.skipped = { count: 1, example: line.slice(0, 60), line: this.lineNo };
      return true;
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
    return true;
  }

  private longLine(chars: number): boolean {
    if (!this.header) {
      this.refused = true;
      this.sink.problem(
        this.file,
        `the header line is ${chars} characters long, more than the ${CSV_LIMITS.maxLineChars / 2 ** 20} MiB Labdesk reads: ` +
          'not a metrics CSV Labdesk can read; nothing was read from it',
      );
      return false;
    }
    if (this.longRows) this.longRows.count++;
    else this.longRows = { count: 1, line: this.lineNo };
    return true;
  }

  /** Reads an unterminated last line only when it is a complete row: as many cells as the header, all numbers. */
  wholeRow(text: string): boolean {
    const line = text.replace(/\r+$/, '');
    if (!this.header) return false;
    const cells = splitRow(line, this.delimiter, this.header.length + 1);
    if (cells.length !== this.header.length || !cells.every((c) => c === '' || parseMetricNumber(c) !== null)) return false;
    this.line(line);
    return true;
  }

  finish(): void {
    const { file, sink } = this;
    if (!this.header) sink.problem(file, 'no header row');
    if (this.capped) {
      sink.problem(file, `the header has more than ${CSV_LIMITS.maxColumns} columns: only the first ${CSV_LIMITS.maxColumns} were read`);
    }
    if (this.longRows) {
      const r = this.longRows;
      sink.problem(file, `${r.count} line(s) longer than ${CSV_LIMITS.maxLineChars / 2 ** 20} MiB were skipped unread, the first at line ${r.line}`);
    }
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
  // The first 64 KiB decide: counting by split() over a huge header would build the giant array.
  const head = headerLine.slice(0, 64 * 1024);
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t']) {
    const n = head.split(d).length - 1;
    if (n > bestCount) [best, bestCount] = [d, n];
  }
  return best;
}

/**
 * Splits one CSV line into at most `limit` cells (the rest of the line is not split); quotes (rare
 * in metric files) are honoured, doubled quotes unescaped.
 */
export function splitRow(line: string, delimiter: string, limit = Infinity): string[] {
  if (!line.includes('"')) return line.split(delimiter, Number.isFinite(limit) ? limit : undefined).map((c) => c.trim());
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
      if (cells.length >= limit) return cells;
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
