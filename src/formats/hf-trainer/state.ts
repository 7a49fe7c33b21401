import path from 'node:path';
import type { RunSink } from '../adapter.js';
import { readSmallText } from '../util/files.js';
import { paramText } from '../util/params.js';
import { parsePythonJson } from '../generic/python-json.js';

/** `TrainerState` fields that describe how training was set up (params, prefixed `trainer.`). */
const SETUP_FIELDS = ['num_train_epochs', 'max_steps', 'train_batch_size', 'logging_steps', 'eval_steps', 'save_steps'];

export interface StateSummary {
  globalStep: number | null;
  maxSteps: number | null;
  /** Metric keys seen in `log_history`, so the results files add only what it lacks. */
  keys: Set<string>;
}

/**
 * Reads `trainer_state.json` (`TrainerState` saved by `Trainer`): `log_history` is a list of the
 * dicts passed to `Trainer.log`, each with `step` and `epoch`; training, eval and the final summary
 * are separate dicts even at the same step, so each numeric key becomes a point at its dict's step.
 */
export async function readTrainerState(file: string, sink: RunSink): Promise<StateSummary | null> {
  const read = await readSmallText(file, 256 * 1024 * 1024);
  if ('error' in read) {
    sink.problem(file, `trainer_state.json: ${read.error}`);
    return null;
  }
  sink.fileRead(file, Buffer.byteLength(read.text));
  const parsed = parsePythonJson(read.text);
  if ('error' in parsed) {
    sink.problem(file, `trainer_state.json is not valid JSON (cut off or overwritten mid-save?): ${parsed.error}`);
    return null;
  }
  const state = parsed.value as Record<string, unknown>;
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    sink.problem(file, 'trainer_state.json does not hold a TrainerState object');
    return null;
  }

  for (const f of SETUP_FIELDS) if (typeof state[f] === 'number') sink.param(`trainer.${f}`, paramText(state[f]));
  // A hyperparameter-search trial records the values it tried.
  if (state.trial_params && typeof state.trial_params === 'object') {
    for (const [k, v] of Object.entries(state.trial_params)) sink.param(`trial.${k}`, paramText(v));
  }
  if (typeof state.trial_name === 'string') sink.tag('trial_name', state.trial_name);
  if (typeof state.best_metric === 'number') sink.tag('best_metric', String(state.best_metric));
  if (typeof state.best_model_checkpoint === 'string') {
    // An absolute path from the training machine: the folder name is what finds it here.
    sink.tag('best_model_checkpoint', path.basename(state.best_model_checkpoint.replace(/[\\/]+$/, '')));
  }
  if (typeof state.global_step === 'number') sink.tag('global_step', String(state.global_step));

  const keys = new Set<string>();
  const history = state.log_history;
  if (Array.isArray(history)) {
    let skipped = 0;
    for (const entry of history) {
      if (entry === null || typeof entry !== 'object' || typeof (entry as { step?: unknown }).step !== 'number') {
        skipped++;
        continue;
      }
      const rec = entry as Record<string, unknown>;
      const step = rec.step as number;
      for (const [k, v] of Object.entries(rec)) {
        if (k === 'step' || typeof v !== 'number') continue;
        sink.point(k, step, v);
        keys.add(k);
      }
    }
    if (skipped) sink.problem(file, `${skipped} log_history entr${skipped === 1 ? 'y has' : 'ies have'} no numeric "step" and were skipped`);
  } else {
    sink.problem(file, 'trainer_state.json has no log_history list: no metrics were read from it');
  }
  return {
    globalStep: typeof state.global_step === 'number' ? state.global_step : null,
    maxSteps: typeof state.max_steps === 'number' ? state.max_steps : null,
    keys,
  };
}

/**
 * `all_results.json` (or `train_/eval_/test_/predict_results.json`) holds the final numbers the
 * example scripts save; most repeat the last log entries, so only keys `log_history` lacks are
 * added, at the final step (test-set results are the usual case).
 */
export async function readResults(file: string, sink: RunSink, known: Set<string>, step: number): Promise<void> {
  const name = path.basename(file);
  const read = await readSmallText(file);
  if ('error' in read) return sink.problem(file, `${name}: ${read.error}`);
  sink.fileRead(file, Buffer.byteLength(read.text));
  const parsed = parsePythonJson(read.text);
  if ('error' in parsed) return sink.problem(file, `${name} is not valid JSON: ${parsed.error}`);
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return sink.problem(file, `${name} is not an object of results`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'number' || known.has(k)) continue;
    sink.point(k, step, v);
    known.add(k);
  }
}
