import fs from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar } from 'yaml';
import type { RunSink } from '../adapter.js';
import { readSmallText } from '../util/files.js';
import { flattenYamlDoc, type FlatParams } from '../util/params.js';
import { jsonNestingExceeds } from '../util/nesting.js';
import { MAX_NESTING, parseYamlBounded } from '../util/safe-parse.js';
import { isInternalKey, leavesOf, NonScalarKeys, parseWandbJson } from './values.js';

/**
 * files/config.yaml: every top-level key wraps its value as `{desc, value}` (`desc` gone since
 * ~0.13); `_wandb` holds W&B's internals and `wandb_version` the file format. Returns the params
 * with the wrapper removed, scalars as written; null (with a problem) when the file is unusable.
 */
export async function readConfigYaml(file: string, sink: RunSink): Promise<FlatParams | null> {
  const read = await readSmallText(file);
  if ('error' in read) {
    sink.problem(file, `config.yaml: ${read.error}`);
    return null;
  }
  // Parsed once: the nodes give both the flattened params and the real top-level keys.
  const parsed = parseYamlBounded(read.text);
  if ('error' in parsed) {
    sink.problem(file, `config.yaml: ${parsed.error}`);
    return null;
  }
  const { doc, errors } = parsed;
  if (errors.length) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : '';
    sink.problem(file, `config.yaml is not valid YAML: ${errors[0]}${more}; it was skipped`);
    return null;
  }
  if (!isMap(doc.contents)) {
    if (read.text.trim()) sink.problem(file, 'config.yaml is not a mapping of config keys; it was skipped');
    return null;
  }
  const flat = flattenYamlDoc(doc);
  // Match flattened keys against the real top-level keys, so a key with a dot in it stays whole.
  const tops = doc.contents.items.map((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)));
  const params: FlatParams = new Map();
  for (const top of tops) {
    if (top === 'wandb_version' || isInternalKey(top)) continue;
    const wrapped = `${top}.value`;
    for (const [key, value] of flat) {
      if (key === wrapped) params.set(top, value);
      else if (key.startsWith(`${wrapped}.`)) params.set(top + key.slice(wrapped.length), value);
      else if (key === top) params.set(top, value); // not wrapped: a hand-written file
    }
  }
  sink.fileRead(file, Buffer.byteLength(read.text));
  return params;
}

/** Reads a JSON file W&B wrote (NaN/Infinity allowed); null (with a problem) when it is unusable. */
export async function readWandbJsonFile(file: string, sink: RunSink): Promise<Record<string, unknown> | null> {
  const read = await readSmallText(file, 256 * 1024 * 1024);
  if ('error' in read) {
    sink.problem(file, `${path.basename(file)}: ${read.error}`);
    return null;
  }
  if (jsonNestingExceeds(read.text, MAX_NESTING)) {
    sink.problem(file, `${path.basename(file)}: nested deeper than ${MAX_NESTING} levels; it was not read`);
    return null;
  }
  const value = parseWandbJson(read.text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    sink.problem(file, `${path.basename(file)} is not a JSON object${value === undefined ? ' (not valid JSON, or cut off)' : ''}; it was skipped`);
    return null;
  }
  sink.fileRead(file, Buffer.byteLength(read.text));
  return value as Record<string, unknown>;
}

/**
 * Runs without a history in their `.wandb` (online runs keep it on the server; pre-0.10 runs have no
 * `.wandb`): the summary's scalars become one point each, at the summary's `_step`.
 */
export function summaryAsPoints(summary: Record<string, unknown>, sink: RunSink, nonScalar: NonScalarKeys): number {
  const step = typeof summary._step === 'number' ? summary._step : 0;
  const wallTime = typeof summary._timestamp === 'number' ? summary._timestamp : undefined;
  let points = 0;
  for (const [key, value] of Object.entries(summary)) {
    if (isInternalKey(key)) continue;
    for (const leaf of leavesOf(key, value)) {
      if (leaf.kind === 'number' && 'value' in leaf) {
        sink.point(leaf.key, step, leaf.value, wallTime);
        points++;
      } else {
        nonScalar.add(leaf);
      }
    }
  }
  return points;
}

/** The files W&B saves beside a run worth pointing at, by kind. */
const SAVED_FILES: [string, string][] = [
  ['requirements.txt', 'requirements'],
  ['conda-environment.yaml', 'environment'],
  ['output.log', 'log'],
  ['diff.patch', 'diff'],
];

/** Lists the run's saved files and its logged media files (images, tables, ...) as artifacts. */
export async function listArtifacts(filesDir: string, media: Map<string, string>, sink: RunSink): Promise<void> {
  const wanted: [string, string][] = [
    ...SAVED_FILES,
    ...[...media].sort(([a], [b]) => a.localeCompare(b)).map(([rel, kind]): [string, string] => [rel, `wandb-${kind}`]),
  ];
  for (const [rel, kind] of wanted) {
    const file = path.resolve(filesDir, rel);
    if (!file.startsWith(filesDir + path.sep)) continue; // a media path must stay inside files/
    try {
      const st = await fs.stat(file);
      if (st.isFile()) sink.artifact(file, kind, st.size);
    } catch {
      // Not saved (W&B writes each only when it applies), or media not synced down: nothing to list.
    }
  }
}
