import path from 'node:path';
import type { RunStatus } from '../../api/contract.js';
import type { RunSink } from '../adapter.js';
import { readSmallText } from '../util/files.js';
import { parsePythonJson } from '../generic/python-json.js';

const STATUS: Record<string, RunStatus> = {
  COMPLETED: 'finished',
  FAILED: 'failed',
  INTERRUPTED: 'killed',
  TIMEOUT: 'killed',
  RUNNING: 'running', // kept as recorded even when the heartbeat is old: the file is the only witness
  QUEUED: 'unknown',
};

/** `result` can be a multi-megabyte jsonpickle dump; a tag shows its gist. */
const MAX_RESULT_TAG = 500;

/**
 * Sacred writes its times with `datetime.utcnow().isoformat()`: naive ISO text that is UTC.
 * Returns epoch milliseconds, or null for anything else.
 */
export function sacredTime(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return null;
  // JS dates stop at milliseconds; Python writes microseconds, kept here as a fraction.
  const micro = /\.\d{3}(\d+)/.exec(value)?.[1];
  const trimmed = value.replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(/([zZ]|[+-]\d\d:?\d\d)$/.test(trimmed) ? trimmed : `${trimmed}Z`);
  if (Number.isNaN(ms)) return null;
  return micro ? ms + Number(`0.${micro}`) : ms;
}

const wholeMs = (ms: number | null) => (ms === null ? null : Math.floor(ms));

/** Reads `run.json` into the run's meta and tags; returns its artifact and resource lists. */
export async function readRunJson(file: string, sink: RunSink): Promise<{ artifacts: string[]; resources: string[] }> {
  const none = { artifacts: [], resources: [] };
  const read = await readSmallText(file, 512 * 1024 * 1024);
  if ('error' in read) {
    sink.problem(file, `run.json: ${read.error}`);
    return none;
  }
  sink.fileRead(file, Buffer.byteLength(read.text));
  const parsed = parsePythonJson(read.text);
  const run = 'value' in parsed ? parsed.value : null;
  if (run === null || typeof run !== 'object' || Array.isArray(run)) {
    sink.problem(file, `run.json is not a Sacred run record: ${'error' in parsed ? parsed.error : 'not a JSON object'}`);
    return none;
  }
  const r = run as Record<string, unknown>;
  const exp = (r.experiment ?? {}) as Record<string, unknown>;
  const repos = Array.isArray(exp.repositories) ? (exp.repositories as Record<string, unknown>[]) : [];
  const status = typeof r.status === 'string' ? (STATUS[r.status] ?? 'unknown') : null;
  sink.meta({
    status,
    startTime: wholeMs(sacredTime(r.start_time)),
    endTime: wholeMs(sacredTime(r.stop_time)),
    gitCommit: typeof repos[0]?.commit === 'string' ? repos[0].commit : null,
    ...(typeof exp.name === 'string' ? { experimentName: exp.name } : {}),
  });
  if (typeof r.status === 'string') sink.tag('sacred.status', r.status);
  if (typeof r.command === 'string') sink.tag('sacred.command', r.command);
  if (typeof r.heartbeat === 'string') sink.tag('sacred.heartbeat', r.heartbeat);
  const host = (r.host ?? {}) as Record<string, unknown>;
  if (typeof host.hostname === 'string') sink.tag('host', host.hostname);
  if (typeof repos[0]?.dirty === 'boolean') sink.tag('git.dirty', String(repos[0].dirty));
  if (typeof repos[0]?.url === 'string') sink.tag('git.url', repos[0].url);
  const meta = (r.meta ?? {}) as Record<string, unknown>;
  if (typeof meta.comment === 'string' && meta.comment) sink.tag('comment', meta.comment);
  if (meta.config_updates && typeof meta.config_updates === 'object' && Object.keys(meta.config_updates).length) {
    sink.tag('config_updates', JSON.stringify(meta.config_updates));
  }
  if (r.result !== undefined && r.result !== null) sink.tag('result', resultText(r.result));
  if (Array.isArray(r.fail_trace) && r.fail_trace.length) sink.tag('error', lastLine(r.fail_trace.join('')));

  const artifacts = Array.isArray(r.artifacts) ? r.artifacts.filter((a): a is string => typeof a === 'string') : [];
  const resources = Array.isArray(r.resources)
    ? r.resources.map((pair) => (Array.isArray(pair) ? pair[1] : null)).filter((p): p is string => typeof p === 'string')
    : [];
  return { artifacts, resources };
}

/**
 * A run's return value as text. jsonpickle objects (`{"py/object": "pkg.Class", ...}`) are named,
 * never rebuilt: rebuilding them would mean running the class's code.
 */
export function resultText(result: unknown): string {
  if (typeof result === 'string') return result.slice(0, MAX_RESULT_TAG);
  if (typeof result === 'number' || typeof result === 'boolean') return String(result);
  const pyType = pickledType(result);
  if (pyType) return `<${pyType}> (jsonpickle; not loaded)`;
  const text = JSON.stringify(result);
  return text.length > MAX_RESULT_TAG ? `${text.slice(0, MAX_RESULT_TAG)}…` : text;
}

function pickledType(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  for (const key of ['py/object', 'py/type', 'py/function']) if (typeof v[key] === 'string') return v[key] as string;
  if ('py/reduce' in v || 'py/tuple' in v || 'py/set' in v || 'py/b64' in v) return 'python object';
  return null;
}

/** The exception line of a Python traceback: its last non-blank line. */
function lastLine(trace: string): string {
  const lines = trace.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  return (lines[lines.length - 1] ?? '').slice(0, MAX_RESULT_TAG);
}

/** Resource paths are stored as the writer saw them (`runs/_resources/x.pt`): look beside the run's basedir. */
export function resourcePath(runDir: string, stored: string): string {
  return path.join(path.dirname(runDir), '_resources', path.basename(stored.replace(/\\/g, '/')));
}
