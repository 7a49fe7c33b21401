import path from 'node:path';
import type { RunSink } from '../adapter.js';
import { readSmallText } from '../util/files.js';
import { parsePythonJson } from './python-json.js';

/** Whole-file JSON: a script rewrites it at each save, so there is no tail to stream. */
const MAX_JSON_BYTES = 256 * 1024 * 1024;

/**
 * Reads a metrics JSON a script dumped: numbers (nested keys joined with dots) are single points at
 * step 0; a list of numbers is a series at steps 0..n-1; a list of objects (`[{epoch, loss}, ...]`)
 * is a series per numeric field, stepped by the object's `step` or `epoch`, else its position.
 * Strings and booleans are not metrics and are passed over.
 */
export async function readJsonMetrics(file: string, sink: RunSink): Promise<void> {
  const name = path.basename(file);
  const read = await readSmallText(file, MAX_JSON_BYTES);
  if ('error' in read) return sink.problem(file, `${name}: ${read.error}`);
  sink.fileRead(file, Buffer.byteLength(read.text));
  if (read.text.trim() === '') return sink.problem(file, `${name} is empty`);
  const parsed = parsePythonJson(read.text);
  if ('error' in parsed) return sink.problem(file, `${name} is not valid JSON: ${parsed.error}`);
  const count = emit(parsed.value, '', sink);
  if (count === 0) sink.problem(file, `${name} holds no numbers to show as metrics`);
}

function emit(value: unknown, key: string, sink: RunSink): number {
  if (typeof value === 'number') {
    if (!key) return 0;
    sink.point(key, 0, value);
    return 1;
  }
  if (Array.isArray(value)) return emitList(value, key, sink);
  if (value !== null && typeof value === 'object') {
    let n = 0;
    for (const [k, v] of Object.entries(value)) n += emit(v, key ? `${key}.${k}` : k, sink);
    return n;
  }
  return 0;
}

function emitList(list: unknown[], key: string, sink: RunSink): number {
  let n = 0;
  list.forEach((item, i) => {
    if (typeof item === 'number' && key) {
      sink.point(key, i, item);
      n++;
    } else if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const rec = item as Record<string, unknown>;
      const stepKey = typeof rec.step === 'number' ? 'step' : typeof rec.epoch === 'number' ? 'epoch' : null;
      const step = stepKey ? (rec[stepKey] as number) : i;
      for (const [k, v] of Object.entries(rec)) {
        if (k === stepKey || typeof v !== 'number') continue;
        sink.point(key ? `${key}.${k}` : k, step, v);
        n++;
      }
    }
  });
  return n;
}
