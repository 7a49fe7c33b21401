import fs from 'node:fs/promises';
import path from 'node:path';
import type { Adapter, DirEntry, RunLocation, RunSink } from '../adapter.js';
import { readSmallText } from '../util/files.js';
import { flattenJsonParams } from '../generic/json-params.js';
import { readFileTimes } from '../generic/file-times.js';
import { CHECKPOINT_DIR, hasWeights, listOutputs, stepOf } from './models.js';
import { readResults, readTrainerState } from './state.js';

const RESULT_FILES = ['all_results.json', 'train_results.json', 'eval_results.json', 'test_results.json', 'predict_results.json'];

/**
 * A Hugging Face `Trainer` output dir: `trainer_state.json` (written by `save_state()` at the end),
 * else the newest `checkpoint-N/trainer_state.json` (a run still training, or one that never called
 * `save_state`). The whole dir is one run: checkpoints and the saved model are its models, `runs/`
 * holds its TensorBoard files.
 */
export const hfTrainer: Adapter = {
  format: 'hf-trainer',
  label: 'Hugging Face Trainer',

  async detect(dir: string, entries: DirEntry[]): Promise<RunLocation[]> {
    const has = (name: string) => entries.some((e) => e.isFile && e.name === name);
    let state: string | null = has('trainer_state.json') ? path.join(dir, 'trainer_state.json') : null;
    if (!state) {
      // checkpoint-N is a common folder name (diffusers, accelerate): only the Trainer's has a trainer_state.json.
      const latest = newestCheckpoint(entries.filter((e) => e.isDirectory).map((e) => e.name));
      const candidate = latest && path.join(dir, latest, 'trainer_state.json');
      if (candidate && (await isFile(candidate))) state = candidate;
    }
    if (!state) return [];
    const parent = path.dirname(dir);
    return [
      {
        format: this.format,
        path: dir,
        files: [state, ...[...RESULT_FILES, 'config.json'].filter(has).map((f) => path.join(dir, f))],
        experiment: { name: path.basename(parent), path: parent },
        claimsSubtree: true,
      },
    ];
  },

  async read(location: RunLocation, sink: RunSink): Promise<void> {
    const dir = location.path;
    const stateFile = location.files[0];
    let summary = await readTrainerState(stateFile, sink);
    if (!summary && path.dirname(stateFile) === dir) {
      // A final state cut off mid-save: the newest checkpoint's copy holds all but the last logs.
      const latest = newestCheckpoint(await subfolders(dir));
      const fallback = latest && path.join(dir, latest, 'trainer_state.json');
      if (fallback && (await isFile(fallback))) summary = await readTrainerState(fallback, sink);
    }
    const known = summary?.keys ?? new Set<string>();
    const finalStep = summary?.globalStep ?? 0;
    for (const f of location.files.filter((p) => RESULT_FILES.includes(path.basename(p)))) await readResults(f, sink, known, finalStep);

    const outputs = await listOutputs(dir, path.basename(dir), sink);
    const config = await modelConfig(dir, location.files);
    if (config) await readModelConfig(config, sink);

    // Trainer writes no status: a saved final state or results file means train() returned; without
    // them it is still training or was stopped, which only seeing the files change can tell.
    const atEnd = summary?.globalStep != null && summary.maxSteps != null && summary.globalStep >= summary.maxSteps;
    const rootState = path.dirname(stateFile) === dir;
    const results = location.files.some((p) => RESULT_FILES.includes(path.basename(p)));
    sink.meta({ status: (rootState && atEnd) || results ? 'finished' : 'unknown' });
    if (outputs.firstEventTime === null) return readFileTimes(location.files, sink, "Trainer's output folder");
    // The TensorBoard callback's first event file names the start; the results' train_runtime gives the end.
    const startTime = outputs.firstEventTime * 1000;
    const runtime = await trainRuntime(location.files);
    sink.meta({
      startTime,
      endTime: runtime === null ? null : Math.round(startTime + runtime * 1000),
      timeNote: runtime === null ? 'Trainer recorded when the run started (runs/ event files), but no train_runtime yet' : null,
    });
  },
};

/** The model's `config.json`: the output dir's own, else the final model's folder, else the newest checkpoint's. */
async function modelConfig(dir: string, files: string[]): Promise<string | null> {
  const own = files.find((f) => f === path.join(dir, 'config.json'));
  if (own) return own;
  const names = await subfolders(dir);
  for (const name of names.filter((n) => !CHECKPOINT_DIR.test(n) && n !== 'runs')) {
    const inner = await fs.readdir(path.join(dir, name)).catch(() => [] as string[]);
    if (inner.includes('config.json') && hasWeights(inner)) return path.join(dir, name, 'config.json');
  }
  const latest = newestCheckpoint(names);
  const candidate = latest && path.join(dir, latest, 'config.json');
  return candidate && (await isFile(candidate)) ? candidate : null;
}

async function readModelConfig(file: string, sink: RunSink): Promise<void> {
  const read = await readSmallText(file);
  if ('error' in read) return sink.problem(file, `config.json: ${read.error}`);
  const flat = flattenJsonParams(read.text);
  if ('error' in flat) return sink.problem(file, `config.json is not a JSON object: ${flat.error}`);
  for (const [k, v] of flat.params) sink.param(`model.${k}`, v);
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch {
    return []; // listOutputs reports an unlistable folder
  }
}

function newestCheckpoint(dirNames: string[]): string | null {
  const ckpts = dirNames.filter((n) => CHECKPOINT_DIR.test(n)).sort((a, b) => stepOf(a) - stepOf(b));
  return ckpts.length ? ckpts[ckpts.length - 1] : null;
}

/** Unlike `pathExists`, a folder of the same name does not count. */
async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** `train_runtime` (seconds) from train_results.json or all_results.json, which train() writes when it returns. */
async function trainRuntime(files: string[]): Promise<number | null> {
  for (const f of files.filter((p) => ['train_results.json', 'all_results.json'].includes(path.basename(p)))) {
    const read = await readSmallText(f);
    if ('error' in read) continue;
    try {
      const runtime = (JSON.parse(read.text) as { train_runtime?: unknown }).train_runtime;
      if (typeof runtime === 'number' && Number.isFinite(runtime) && runtime >= 0) return runtime;
    } catch {
      // readResults reports the bad JSON
    }
  }
  return null;
}
