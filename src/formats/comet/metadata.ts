import path from 'node:path';
import type { RunSink } from '../adapter.js';
import { paramText } from '../util/params.js';
import type { SafeZip } from './safe-zip.js';

/** What comet_ml's `write_experiment_meta_file` records, as Labdesk uses it. */
export interface ExperimentMeta {
  key: string | null;
  project: string | null;
  /** Epoch milliseconds (comet_ml's `local_timestamp()`). */
  startTime: number | null;
  stopTime: number | null;
}

/** `experiment.json` is a handful of fields; anything near this size is not one. */
const MAX_EXPERIMENT_BYTES = 1024 * 1024;

/** Reads `experiment.json`; null (with a problem) when it is missing or unreadable. */
export async function readExperimentJson(zip: SafeZip, file: string, sink: RunSink): Promise<ExperimentMeta | null> {
  const label = `${path.basename(file)}: experiment.json`;
  const entry = zip.entries.get('experiment.json');
  if (!entry) {
    sink.problem(file, `${path.basename(file)} holds no experiment.json: its project and times are unknown`);
    return null;
  }
  const chunks: Buffer[] = [];
  const stopped = await zip.read(entry, MAX_EXPERIMENT_BYTES, (c) => chunks.push(c));
  if (stopped) {
    sink.problem(file, `${label} ${stopped}`);
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    sink.problem(file, `${label} is not valid JSON: ${(err as Error).message}`);
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    sink.problem(file, `${label} is not a JSON object`);
    return null;
  }
  const m = value as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const key = text(m.offline_id);
  if (key) sink.tag('comet.key', key);
  const workspace = text(m.workspace);
  if (workspace) sink.tag('comet.workspace', workspace);
  if (Array.isArray(m.tags) && m.tags.length) sink.tag('comet.tags', m.tags.map(paramText).join(', '));
  if (m.customer_error_reported === true) sink.tag('comet.error', text(m.customer_error_message) ?? 'reported');
  return { key, project: text(m.project_name), startTime: epochMs(m.start_time), stopTime: epochMs(m.stop_time) };
}

function epochMs(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : null;
}
