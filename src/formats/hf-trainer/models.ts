import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunSink } from '../adapter.js';
import { describeFsError } from '../util/files.js';

export const CHECKPOINT_DIR = /^checkpoint-(\d+)$/;
/** Files `save_pretrained` writes as weights (single or sharded, torch, safetensors, TF, Flax). */
const WEIGHTS = /^(model|pytorch_model|tf_model|flax_model)(-\d+-of-\d+)?\.(safetensors|bin|h5|msgpack)(\.index\.json)?$/;

export function hasWeights(names: string[]): boolean {
  return names.some((n) => WEIGHTS.test(n));
}

/** Total size of the files in a folder and below; null when it cannot be listed. */
export async function folderSize(dir: string): Promise<number | null> {
  try {
    let total = 0;
    for (const d of await fs.readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) total += (await folderSize(p)) ?? 0;
      else if (d.isFile()) total += (await fs.stat(p)).size;
    }
    return total;
  } catch {
    return null;
  }
}

async function list(dir: string, sink: RunSink): Promise<import('node:fs').Dirent[]> {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    sink.problem(dir, `cannot list folder: ${describeFsError(err)}`);
    return [];
  }
}

async function size(file: string): Promise<number | null> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return null;
  }
}

/**
 * The output dir's models and artifacts: each `checkpoint-N/` is a model ('hf-checkpoint'); weights
 * saved by `save_model` into the output dir itself or a subfolder (e.g. `final/`) are the final
 * model ('hf-model'). `training_args.bin` is a pickle: listed, never opened. The `runs/` TensorBoard
 * files are this run's, listed as artifacts rather than read as another run.
 */
export async function listOutputs(dir: string, runName: string, sink: RunSink): Promise<{ firstEventTime: number | null }> {
  const entries = await list(dir, sink);
  const rootFiles = entries.filter((e) => e.isFile()).map((e) => e.name);
  for (const name of rootFiles) {
    if (name === 'training_args.bin') sink.artifact(path.join(dir, name), 'training-args-pickle', await size(path.join(dir, name)));
  }
  if (hasWeights(rootFiles)) {
    // The final model shares its folder with the checkpoints: count only the folder's own files.
    let total = 0;
    for (const name of rootFiles) total += (await size(path.join(dir, name))) ?? 0;
    sink.model({ name: runName, path: dir, format: 'hf-model', framework: 'transformers', version: null, sizeBytes: total });
  }
  const subdirs = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const checkpoints = subdirs.filter((n) => CHECKPOINT_DIR.test(n)).sort((a, b) => stepOf(a) - stepOf(b));
  for (const name of checkpoints) {
    const p = path.join(dir, name);
    const bytes = await folderSize(p);
    sink.artifact(p, 'checkpoint', bytes);
    sink.model({ name: `${runName}/${name}`, path: p, format: 'hf-checkpoint', framework: 'transformers', version: null, sizeBytes: bytes });
  }
  for (const name of subdirs.filter((n) => !CHECKPOINT_DIR.test(n) && n !== 'runs').sort()) {
    const p = path.join(dir, name);
    const inner = (await list(p, sink)).filter((e) => e.isFile()).map((e) => e.name);
    if (!hasWeights(inner)) continue;
    const bytes = await folderSize(p);
    sink.artifact(p, 'model', bytes);
    sink.model({ name: `${runName}/${name}`, path: p, format: 'hf-model', framework: 'transformers', version: null, sizeBytes: bytes });
    if (inner.includes('training_args.bin')) sink.artifact(path.join(p, 'training_args.bin'), 'training-args-pickle', await size(path.join(p, 'training_args.bin')));
  }
  return { firstEventTime: await listEventFiles(path.join(dir, 'runs'), sink) };
}

/**
 * `runs/<date>_<host>/events.out.tfevents.<unix seconds>.*`: the Trainer's TensorBoard callback.
 * Returns the earliest file-name time: when the Trainer started logging.
 */
async function listEventFiles(runsDir: string, sink: RunSink): Promise<number | null> {
  let first: number | null = null;
  let subdirs: string[];
  try {
    subdirs = (await fs.readdir(runsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return null; // no TensorBoard logging
  }
  for (const sub of subdirs.sort()) {
    for (const name of (await fs.readdir(path.join(runsDir, sub)).catch(() => [] as string[])).sort()) {
      const m = /^events\.out\.tfevents\.(\d+)\./.exec(name);
      if (!m) continue;
      const file = path.join(runsDir, sub, name);
      sink.artifact(file, 'tensorboard-events', await size(file));
      const t = Number(m[1]);
      if (first === null || t < first) first = t;
    }
  }
  return first;
}

export function stepOf(checkpointDir: string): number {
  return Number(CHECKPOINT_DIR.exec(checkpointDir)?.[1] ?? NaN);
}
