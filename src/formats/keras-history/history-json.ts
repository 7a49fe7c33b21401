import path from 'node:path';
import type { RunSink } from '../adapter.js';
import { parsePythonJson } from '../generic/python-json.js';
import { readSmallText } from '../util/files.js';

/** `history.history` for a long fit is a few MB at most; anything far bigger is not one. */
export const MAX_HISTORY_BYTES = 64 * 1024 * 1024;
/** More metric keys than any model logs: a dict this wide is some other data. */
const MAX_KEYS = 10_000;

/**
 * Reads `json.dump(history.history, f)`: metric name → one number per epoch. The epoch index
 * (0-based, as CSVLogger writes `epoch`) is the step. Lists may be shorter than the longest (with
 * `validation_freq`, `val_*` lists hold fewer entries). Anything else is not a Keras History and
 * becomes a problem. Returns the number of points sent.
 */
export async function readHistoryJson(file: string, sink: RunSink): Promise<number> {
  const name = path.basename(file);
  const read = await readSmallText(file, MAX_HISTORY_BYTES);
  if ('error' in read) {
    sink.problem(file, `${name}: ${read.error}`);
    return 0;
  }
  sink.fileRead(file, Buffer.byteLength(read.text));
  const parsed = parsePythonJson(read.text);
  if ('error' in parsed) {
    sink.problem(file, `${name} is not valid JSON: ${parsed.error}`);
    return 0;
  }
  const history = parsed.value;
  if (history === null || typeof history !== 'object' || Array.isArray(history)) {
    sink.problem(file, `${name} is not a Keras History: expected an object of metric name → list of numbers`);
    return 0;
  }
  const entries = Object.entries(history);
  if (entries.length > MAX_KEYS) {
    sink.problem(file, `${name} is not a Keras History: ${entries.length} keys (limit ${MAX_KEYS})`);
    return 0;
  }
  const notSeries: string[] = [];
  let points = 0;
  for (const [key, values] of entries) {
    if (!isNumberList(values)) {
      notSeries.push(key);
      continue;
    }
    values.forEach((v, epoch) => sink.point(key, epoch, v));
    points += values.length;
  }
  if (notSeries.length === entries.length) {
    sink.problem(file, `${name} is not a Keras History: no key holds a list of per-epoch numbers`);
  } else if (notSeries.length) {
    const shown = notSeries.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 100))).join(', ');
    sink.problem(file, `${name}: ${notSeries.length} key(s) are not lists of numbers and were skipped: ${shown}`);
  }
  return points;
}

function isNumberList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number');
}
