import type { RunSink } from '../adapter.js';
import { parseMetricNumber } from '../../util/json-number.js';
import { readSmallText } from '../util/files.js';
import { parseJsonBounded, parseYamlBounded } from '../util/safe-parse.js';

/** Numeric leaves of a metrics file, nested keys joined with `/` (DVCLive nests `train/loss` as {train: {loss}}). */
export type FlatMetrics = Map<string, number>;

/**
 * Reads a metrics file as DVC does (`metrics.json`, `dvclive.json`, or a YAML metrics file declared
 * in dvc.yaml). Python's json module writes bare `NaN`/`Infinity`, which JSON.parse refuses, so
 * those tokens are accepted; DVCLive 3 writes them as strings ("nan"), read as numbers too.
 * Returns null (with a problem) when the file cannot be used.
 */
export async function readMetricsFile(file: string, sink: RunSink): Promise<FlatMetrics | null> {
  const read = await readSmallText(file);
  if ('error' in read) {
    sink.problem(file, `cannot read metrics: ${read.error}`);
    return null;
  }
  sink.fileRead(file, Buffer.byteLength(read.text));
  let value: unknown;
  if (/\.ya?ml$/i.test(file)) {
    const parsed = parseYamlBounded(read.text);
    if ('error' in parsed || parsed.errors.length) {
      sink.problem(file, 'error' in parsed ? `metrics file: ${parsed.error}` : `not valid YAML: ${parsed.errors[0]}`);
      return null;
    }
    value = parsed.value;
  } else {
    const parsed = parseJsonBounded(read.text);
    if ('error' in parsed) {
      sink.problem(file, `not valid JSON: ${parsed.error}`);
      return null;
    }
    value = parsed.value;
  }
  if (value === null || value === undefined) return new Map(); // an empty file: nothing logged yet
  if (typeof value !== 'object' || Array.isArray(value)) {
    sink.problem(file, 'a metrics file must hold an object of named values');
    return null;
  }
  const out: FlatMetrics = new Map();
  flatten(value, '', out);
  return out;
}

function flatten(value: unknown, prefix: string, out: FlatMetrics): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}/${k}` : k, out);
    return;
  }
  if (!prefix) return;
  // Booleans and text (other than DVCLive's "nan"/"inf") are not metrics.
  if (typeof value === 'number') out.set(prefix, value);
  else if (typeof value === 'string') {
    const n = parseMetricNumber(value);
    if (n !== null) out.set(prefix, n);
  }
}
