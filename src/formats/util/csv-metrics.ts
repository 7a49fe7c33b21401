import fs from 'node:fs/promises';
import { parse } from 'csv-parse';
import type { RunSink } from '../adapter.js';
import { parseMetricNumber } from '../../util/json-number.js';
import { CSV_LIMITS } from './bounded-lines.js';
import { describeFsError, endOfLastLine, headIsBinary, openForTail, openRegularFile, PARTIAL_RECORD_GRACE_MS } from './files.js';

export interface CsvMetricsOptions {
  /** Column holding the step; when absent the row number is the step. */
  stepColumn?: string;
  /** Columns that are not metrics (besides the step column). */
  ignoreColumns?: string[];
  delimiter?: string;
}

/** Resume state stored with the file's read offset. */
export interface CsvState {
  header: string[];
  rows: number;
}

/**
 * Streams a "wide" metrics CSV (a header of keys, one row per logging call, blank cells where a key
 * was not logged: Lightning's CSVLogger, Keras' CSVLogger) into metric points. Reads only up to the
 * last complete line, so a file still being written is read up to where its writer has got to: both
 * loggers end every row with a line end, so an unterminated last line is a row being written (or,
 * once the file is older than PARTIAL_RECORD_GRACE_MS, one cut off: a problem).
 */
export async function readCsvMetrics(file: string, sink: RunSink, options: CsvMetricsOptions = {}, now = Date.now()): Promise<void> {
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
    if (end === 0) {
      sink.problem(file, `no complete line yet (${size} bytes without a line end)`);
      return;
    }
    if (end < size && now - mtimeMs > PARTIAL_RECORD_GRACE_MS) {
      sink.problem(
        file,
        `the last line is cut off (${size - end} bytes without a line end); the rows before it were read`,
      );
    }
    const state = await parseRows(handle, 0, end, file, sink, options, null);
    sink.fileRead(file, end, state);
  } catch (err) {
    sink.problem(file, `cannot read: ${describeFsError(err)}`);
  } finally {
    await handle.close();
  }
}

function isCsvState(state: unknown): state is CsvState {
  const s = state as CsvState | null;
  return typeof s === 'object' && s !== null && Array.isArray(s.header) && s.header.length > 0 && Number.isInteger(s.rows);
}

/**
 * Reads the rows appended since `position` (see `readCsvMetrics`), with the header kept in its state.
 * A row cut off mid-write is left for the next read. False when the state cannot resume a read.
 */
export async function tailCsvMetrics(
  file: string,
  sink: RunSink,
  position: { offset: number; state: unknown },
  options: CsvMetricsOptions = {},
): Promise<boolean> {
  if (!isCsvState(position.state)) return false;
  const handle = await openForTail(file);
  if (!handle) return false;
  try {
    const { size } = await handle.stat();
    const end = await endOfLastLine(handle, size);
    if (end < position.offset) return false;
    const state = end > position.offset
      ? await parseRows(handle, position.offset, end, file, sink, options, position.state)
      : position.state;
    sink.fileRead(file, end, state);
    return true;
  } catch {
    // Vanished or unreadable before any row was sent (row errors are problems inside parseRows):
    // the whole read that follows reports it.
    return false;
  } finally {
    await handle.close();
  }
}

async function parseRows(
  handle: fs.FileHandle,
  start: number,
  end: number,
  file: string,
  sink: RunSink,
  options: CsvMetricsOptions,
  resume: CsvState | null,
): Promise<CsvState> {
  const ignore = new Set(options.ignoreColumns ?? []);
  const stepColumn = options.stepColumn ?? 'step';
  const parser = parse({
    bom: true,
    delimiter: options.delimiter ?? ',',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    trim: true,
    // csv-parse builds all of a record's fields: a bound on the record bounds the arrays.
    max_record_size: CSV_LIMITS.maxParsedRecordChars,
  });
  const input = handle.createReadStream({ start, end: end - 1, autoClose: false });
  input.pipe(parser);

  let header: string[] | null = null;
  let keys: (string | null)[] = [];
  let stepIndex = -1;
  let capped = false;
  let headerTooLong = false;
  const useHeader = (full: string[]) => {
    capped = full.length > CSV_LIMITS.maxColumns;
    const h = capped ? full.slice(0, CSV_LIMITS.maxColumns) : full;
    header = h;
    stepIndex = h.indexOf(stepColumn);
    keys = h.map((name, i) => (i === stepIndex || ignore.has(name) || name === '' ? null : name));
  };
  if (resume) useHeader(resume.header);
  let rows = resume?.rows ?? 0;
  const bad = new Map<string, { count: number; example: string; row: number }>();
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        useHeader(record);
        continue;
      }
      rows++;
      let step = stepIndex >= 0 ? parseMetricNumber(record[stepIndex] ?? '') : null;
      if (step === null || !Number.isFinite(step)) step = rows - 1;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const cell = record[i];
        if (key === null || cell === undefined || cell === '') continue;
        const value = parseMetricNumber(cell);
        if (value === null) {
          const b = bad.get(key);
          if (b) b.count++;
          else bad.set(key, { count: 1, example: cell.slice(0, 40), row: rows });
          continue;
        }
        sink.point(key, step, value);
      }
    }
  } catch (err) {
    headerTooLong = !header && (err as { code?: string }).code === 'CSV_MAX_RECORD_SIZE';
    if (headerTooLong) {
      sink.problem(file, `the header line is longer than the ${CSV_LIMITS.maxParsedRecordChars / 2 ** 20} MiB Labdesk reads: nothing was read from it`);
    } else {
      sink.problem(file, `stopped reading at data row ${rows + 1}: ${(err as Error).message}`);
    }
  } finally {
    input.destroy();
  }
  for (const [key, b] of bad) {
    sink.problem(file, `column "${key}" has ${b.count} value(s) that are not numbers, e.g. "${b.example}" in data row ${b.row}; they were skipped`);
  }
  if (!header && !headerTooLong) sink.problem(file, 'no header row');
  if (capped) sink.problem(file, `the header has more than ${CSV_LIMITS.maxColumns} columns: only the first ${CSV_LIMITS.maxColumns} were read`);
  return { header: header ?? [], rows };
}
