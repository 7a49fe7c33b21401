import fs from 'node:fs/promises';
import type { RunSink } from '../adapter.js';
import { parseMetricNumber } from '../../util/json-number.js';
import { boundedLines, CSV_LIMITS, isLongLine } from '../util/bounded-lines.js';
import { describeFsError, endOfLastLine, headIsBinary, openRegularFile } from '../util/files.js';

/** First and last wall time seen in a metric file, epoch milliseconds. */
export interface TimeSpan {
  first: number;
  last: number;
}

/**
 * Streams one DVCLive metric file (`[timestamp] step <name>`, one file per metric) into points under
 * `key`. The key comes from the file's path, not the header: 2.x+ headers carry only the leaf name
 * (`loss` in `train/loss.tsv`). `timestamp` is epoch milliseconds; 2.x+ writes it only on request.
 * Reads up to the last complete line, so a file being appended to is read as far as it got.
 */
export async function readMetricFile(file: string, key: string, sink: RunSink): Promise<TimeSpan | null> {
  let handle: fs.FileHandle;
  try {
    handle = await openRegularFile(file);
  } catch (err) {
    sink.problem(file, `cannot open: ${describeFsError(err)}`);
    return null;
  }
  try {
    const { size } = await handle.stat();
    if (await headIsBinary(handle, size)) {
      sink.problem(file, 'binary data where a DVCLive metric TSV was expected: the file is corrupt');
      return null;
    }
    const end = size === 0 ? 0 : await endOfLastLine(handle, size);
    if (end === 0) {
      sink.problem(file, size === 0 ? 'empty file: no header and no rows' : `no complete line yet (${size} bytes without a line end)`);
      return null;
    }
    if (end < size) {
      sink.problem(file, `the last line is cut off (${size - end} bytes without a line end); the rows before it were read`);
    }
    const span = await parseLines(handle, end, file, key, sink);
    sink.fileRead(file, end);
    return span;
  } catch (err) {
    sink.problem(file, `cannot read: ${describeFsError(err)}`);
    return null;
  } finally {
    await handle.close();
  }
}

async function parseLines(handle: fs.FileHandle, end: number, file: string, key: string, sink: RunSink): Promise<TimeSpan | null> {
  // 0.x also accepted comma-separated `.csv` metric files.
  const delimiter = file.endsWith('.csv') ? ',' : '\t';
  const input = handle.createReadStream({ start: 0, end: end - 1, autoClose: false, encoding: 'utf8' });
  let header: string[] | null = null;
  let tsIndex = -1;
  let stepIndex = -1;
  let valueIndex = -1;
  let row = 0;
  let span: TimeSpan | null = null;
  let bad = 0;
  let badExample = '';
  let long = 0;
  try {
    for await (const raw of boundedLines(input)) {
      if (isLongLine(raw)) {
        if (!header) {
          sink.problem(file, `the header line is ${raw.tooLong} characters long, more than the ${CSV_LIMITS.maxLineChars / 2 ** 20} MiB Labdesk reads: nothing was read from it`);
          return null;
        }
        long++;
        continue;
      }
      const line = raw.replace(/^\uFEFF/, '').trimEnd();
      if (line === '') continue;
      // A metric file has three columns: never split a long line further than the cap.
      const cells = line.split(delimiter, CSV_LIMITS.maxColumns).map((c) => c.trim());
      if (!header) {
        header = cells;
        tsIndex = header.indexOf('timestamp');
        stepIndex = header.indexOf('step');
        valueIndex = header.findIndex((_, i) => i !== tsIndex && i !== stepIndex);
        if (valueIndex < 0) {
          sink.problem(file, `header "${line.slice(0, 80)}" names no metric column`);
          return null;
        }
        continue;
      }
      row++;
      const value = parseMetricNumber(cells[valueIndex] ?? '');
      if (value === null) {
        if (bad++ === 0) badExample = `"${(cells[valueIndex] ?? '').slice(0, 40)}" in data row ${row}`;
        continue;
      }
      let step = stepIndex >= 0 ? parseMetricNumber(cells[stepIndex] ?? '') : null;
      if (step === null || !Number.isFinite(step)) step = row - 1;
      const ms = tsIndex >= 0 ? parseMetricNumber(cells[tsIndex] ?? '') : null;
      if (ms !== null && Number.isFinite(ms)) {
        sink.point(key, step, value, ms / 1000);
        span = span ? { first: Math.min(span.first, ms), last: Math.max(span.last, ms) } : { first: ms, last: ms };
      } else {
        sink.point(key, step, value);
      }
    }
  } finally {
    input.destroy();
  }
  if (long) sink.problem(file, `${long} line(s) longer than ${CSV_LIMITS.maxLineChars / 2 ** 20} MiB were skipped unread`);
  if (bad) sink.problem(file, `${bad} row(s) hold no number in the metric column, e.g. ${badExample}; they were skipped`);
  if (!header) sink.problem(file, 'no header row');
  return span;
}
