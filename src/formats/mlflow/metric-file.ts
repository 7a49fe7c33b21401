import fs from 'node:fs/promises';
import readline from 'node:readline';
import type { RunSink } from '../adapter.js';
import { parseMetricNumber } from '../../util/json-number.js';
import { describeFsError, endOfLastLine, headIsBinary, openRegularFile } from '../util/files.js';

/**
 * Where a metric file's read stopped: the timestamp of its last line and the lines already seen
 * with that timestamp, so that an append that repeats them (MLflow 3.6 writes each line twice) is
 * deduplicated as a whole read would.
 */
export interface MetricFileState {
  ts: number | null;
  ids: string[];
}

/**
 * Streams one file-store metric file (`metrics/<key>`): a line per logged value, `timestamp value
 * step` (MLflow 0.x wrote no step: it is 0; MLflow 3 logged-model files add a run id: ignored).
 * Timestamps are epoch ms; points get wall time in epoch seconds. Only complete lines are read.
 * With `from`, reads only what was appended after that position (the file only grows while a run
 * logs); returns false when the file cannot be read that way, having sent nothing.
 *
 * Exact duplicate lines (same timestamp, value and step) are kept once: MLflow 3.6's file store
 * writes every line twice, and the SQL store cannot hold such duplicates (they are its primary key),
 * so keeping one makes both backends agree. Repeated steps with another time or value are all kept.
 */
export async function readMetricFile(
  file: string,
  key: string,
  sink: RunSink,
  from?: { offset: number; state: MetricFileState },
): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await openRegularFile(file);
  } catch (err) {
    if (from) return false;
    sink.problem(file, `cannot open metric "${key}": ${describeFsError(err)}`);
    return true;
  }
  try {
    const { size } = await handle.stat();
    if (from) {
      if (size < from.offset) return false;
      const end = await endOfLastLine(handle, size);
      if (end < from.offset) return false;
      const state = end > from.offset ? await parseLines(handle, from.offset, end, file, key, sink, from.state) : from.state;
      sink.fileRead(file, end, state);
      return true;
    }
    if (size === 0) {
      sink.problem(file, `metric "${key}" has an empty file: no values were written (a lost write)`);
      sink.fileRead(file, 0);
      return true;
    }
    if (await headIsBinary(handle, size)) {
      sink.problem(file, `metric "${key}": binary data where "timestamp value step" lines were expected; the file is corrupt`);
      return true;
    }
    const end = await endOfLastLine(handle, size);
    if (end < size) {
      sink.problem(file, `metric "${key}": the last line is cut off (${size - end} bytes without a line end); the lines before it were read`);
    }
    const state = end > 0 ? await parseLines(handle, 0, end, file, key, sink, { ts: null, ids: [] }) : { ts: null, ids: [] };
    sink.fileRead(file, end, state);
  } catch (err) {
    if (from) return false;
    sink.problem(file, `cannot read metric "${key}": ${describeFsError(err)}`);
  } finally {
    await handle.close();
  }
  return true;
}

async function parseLines(
  handle: fs.FileHandle,
  start: number,
  end: number,
  file: string,
  key: string,
  sink: RunSink,
  resume: MetricFileState,
): Promise<MetricFileState> {
  const input = handle.createReadStream({ start, end: end - 1, autoClose: false, encoding: 'utf8' });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let bad = 0;
  let example = '';
  let exampleLine = 0;
  // Duplicates share a timestamp, so only lines of the current timestamp need remembering.
  let currentTs = resume.ts ?? NaN;
  let seen = new Set(resume.ids);
  try {
    for await (const raw of lines) {
      lineNo++;
      const line = raw.trim();
      if (line === '') continue;
      const parts = line.split(/\s+/);
      const ts = Number(parts[0]);
      const value = parts.length >= 2 ? parseMetricNumber(parts[1]) : null;
      const step = parts.length >= 3 ? Number(parts[2]) : 0;
      if (!Number.isFinite(ts) || value === null || !Number.isFinite(step)) {
        if (bad++ === 0) {
          example = line.slice(0, 60);
          exampleLine = lineNo;
        }
        continue;
      }
      const id = `${parts[0]} ${parts[1]} ${parts[2] ?? ''}`;
      if (ts !== currentTs) {
        currentTs = ts;
        seen = new Set([id]);
      } else if (seen.has(id)) {
        continue;
      } else {
        seen.add(id);
      }
      sink.point(key, step, value, ts / 1000);
    }
  } finally {
    lines.close();
    input.destroy();
  }
  if (bad) {
    const where = start > 0 ? `at line ${exampleLine} of what was appended` : `at line ${exampleLine}`;
    sink.problem(file, `metric "${key}": ${bad} line(s) are not "timestamp value step", e.g. "${example}" ${where}; they were skipped`);
  }
  return { ts: Number.isNaN(currentTs) ? null : currentTs, ids: [...seen] };
}
