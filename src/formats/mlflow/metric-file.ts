import fs from 'node:fs/promises';
import readline from 'node:readline';
import type { RunSink } from '../adapter.js';
import { parseMetricNumber } from '../../util/json-number.js';
import { describeFsError, endOfLastLine, headIsBinary } from '../util/files.js';

/**
 * Streams one file-store metric file (`metrics/<key>`): a line per logged value, `timestamp value
 * step` (MLflow 0.x wrote no step: it is 0; MLflow 3 logged-model files add a run id: ignored).
 * Timestamps are epoch ms; points get wall time in epoch seconds. Only complete lines are read.
 *
 * Exact duplicate lines (same timestamp, value and step) are kept once: MLflow 3.6's file store
 * writes every line twice, and the SQL store cannot hold such duplicates (they are its primary key),
 * so keeping one makes both backends agree. Repeated steps with another time or value are all kept.
 */
export async function readMetricFile(file: string, key: string, sink: RunSink): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    sink.problem(file, `cannot open metric "${key}": ${describeFsError(err)}`);
    return;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) {
      sink.problem(file, `metric "${key}" has an empty file: no values were written (a lost write)`);
      sink.fileRead(file, 0);
      return;
    }
    if (await headIsBinary(handle, size)) {
      sink.problem(file, `metric "${key}": binary data where "timestamp value step" lines were expected; the file is corrupt`);
      return;
    }
    const end = await endOfLastLine(handle, size);
    if (end < size) {
      sink.problem(file, `metric "${key}": the last line is cut off (${size - end} bytes without a line end); the lines before it were read`);
    }
    if (end > 0) await parseLines(handle, end, file, key, sink);
    sink.fileRead(file, end);
  } catch (err) {
    sink.problem(file, `cannot read metric "${key}": ${describeFsError(err)}`);
  } finally {
    await handle.close();
  }
}

async function parseLines(handle: fs.FileHandle, end: number, file: string, key: string, sink: RunSink): Promise<void> {
  const input = handle.createReadStream({ start: 0, end: end - 1, autoClose: false, encoding: 'utf8' });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let bad = 0;
  let example = '';
  let exampleLine = 0;
  // Duplicates share a timestamp, so only lines of the current timestamp need remembering.
  let currentTs = NaN;
  let seen = new Set<string>();
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
    sink.problem(file, `metric "${key}": ${bad} line(s) are not "timestamp value step", e.g. "${example}" at line ${exampleLine}; they were skipped`);
  }
}
