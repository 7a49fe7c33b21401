import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap } from 'yaml';
import type { RunStatus } from '../../api/contract.js';
import type { RunSink } from '../adapter.js';
import { pathExists, readSmallText } from '../util/files.js';
import { parseYamlBounded } from '../util/safe-parse.js';

/** Tag set on runs MLflow has soft-deleted (lifecycle_stage `deleted`, or an experiment in `.trash`). */
export const LIFECYCLE_TAG = 'labdesk.lifecycle';

export const MODEL_FORMAT = 'mlflow-model';
export const REGISTERED_FORMAT = 'mlflow-registered-model';

/**
 * MLflow's RunStatus: the file store writes the enum number (1..5), the SQL store its name.
 * SCHEDULED has not started; null lets the catalog infer from recent writes.
 */
export function statusFromMlflow(value: unknown): RunStatus | null {
  switch (typeof value === 'string' ? value.toUpperCase() : value) {
    case 1:
    case 'RUNNING':
      return 'running';
    case 3:
    case 'FINISHED':
      return 'finished';
    case 4:
    case 'FAILED':
      return 'failed';
    case 5:
    case 'KILLED':
      return 'killed';
    default:
      return null;
  }
}

/** Epoch ms from a meta.yaml / SQL value; null for missing or nonsense. */
/** A registry version's stage; MLflow writes the string "None" for a version never staged. */
export function registryStage(value: unknown): string | null {
  const stage = text(value);
  return stage === null || stage === 'None' ? null : stage;
}

export function epochMs(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
}

/** A non-empty string field, else null. */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return String(value);
  return null;
}

export type YamlRecord = Record<string, unknown>;

/**
 * Reads a small YAML mapping (MLflow's meta.yaml, MLmodel). Null when it is missing (when allowed)
 * or broken; a broken file is reported to the sink with `label` naming it.
 */
export async function readYamlMap(
  file: string,
  sink: RunSink,
  label: string,
  options: { missingOk?: boolean } = {},
): Promise<YamlRecord | null> {
  if (options.missingOk && !(await pathExists(file))) return null;
  const read = await readSmallText(file, 4 * 1024 * 1024);
  if ('error' in read) {
    sink.problem(file, `${label}: ${read.error}`);
    return null;
  }
  const parsed = parseYamlBounded(read.text);
  if ('error' in parsed) {
    sink.problem(file, `${label}: ${parsed.error}`);
    return null;
  }
  if (parsed.errors.length) {
    sink.problem(file, `${label} is not valid YAML: ${parsed.errors[0]}`);
    return null;
  }
  const contents = parsed.doc.contents;
  if (!isMap(contents)) {
    sink.problem(file, `${label} is not a YAML mapping (found ${contents === null ? 'nothing' : 'a single value'})`);
    return null;
  }
  return parsed.value as YamlRecord;
}

/**
 * A local path for an MLflow URI or path when it names one (`file://`, a bare absolute path, or a
 * path relative to `base`); null for remote schemes (s3:, mlflow-artifacts:, models:, runs:, ...).
 */
export function localPath(uri: string, base: string): string | null {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri.startsWith('file://') ? uri : `file://${uri.slice(5)}`);
    } catch {
      return null;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) && !/^[a-z]:[\\/]/i.test(uri)) return null;
  return path.resolve(base, uri);
}

