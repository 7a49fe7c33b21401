import type { RunSink } from '../adapter.js';
import { parsePythonJson } from '../generic/python-json.js';
import { paramText } from '../util/params.js';

/**
 * What one `messages.json` line means, as comet_ml's OfflineStreamer writes it:
 * `{"payload": {...}, "type": "..."}`, compact, one per line. The SDK writes metrics as
 * `metric_msg` and params as `parameter_msg`; everything else either as the typed HTTP messages
 * (`log_other`, `system_details`, `git_metadata`, `system_info`, ...) or, in the SDK versions that
 * stream over a websocket, inside one `ws_msg` whose payload field says what it is
 * (`log_other: {key, val}`, `env_details`, `git_meta`, `log_system_info`; SDKs before 3.x also put
 * `metric` and `param` there).
 */
export class CometMessages {
  /** The experiment's name, from `log_other("Name", ...)` (what `set_name` logs). */
  name: string | null = null;
  gitCommit: string | null = null;
  lastWallTime: number | null = null;
  badLines = 0;
  firstBadLine = 0;
  private readonly counts = new Map<string, number>();

  constructor(private readonly sink: RunSink) {}

  /** Reads one line; a line that is not a message is counted, never thrown. */
  line(text: string, lineNo: number): void {
    if (text.trim() === '') return;
    // Python's json writes a NaN it was handed (a log_other value, say) as a bare token.
    const parsed = parsePythonJson(text);
    if ('error' in parsed) return this.bad(lineNo);
    const message = parsed.value;
    if (!isObject(message) || typeof message.type !== 'string' || !isObject(message.payload)) return this.bad(lineNo);
    const p = message.payload;
    if (typeof p.local_timestamp === 'number' && Number.isFinite(p.local_timestamp)) {
      this.lastWallTime = Math.max(this.lastWallTime ?? 0, p.local_timestamp / 1000);
    }
    switch (message.type) {
      case 'metric_msg':
        return this.metric(p);
      case 'parameter_msg':
        return this.param(p);
      case 'log_other':
        return this.other(p.key, p.value);
      case 'system_details':
        return this.systemDetails(p);
      case 'git_metadata':
        return this.git(p.git_metadata);
      case 'system_info':
        return isObject(p.system_info) ? this.systemInfo(p.system_info) : undefined;
      case 'ws_msg':
        return this.wsMessage(p);
      default:
        // Assets, stdout, packages, graphs, ...: not run data Labdesk shows (see README).
        return;
    }
  }

  private wsMessage(p: Record<string, unknown>): void {
    if (isObject(p.metric)) return this.metric(p);
    if (isObject(p.param) || isObject(p.params)) return this.param(p);
    if (isObject(p.log_other)) return this.other(p.log_other.key, p.log_other.val);
    if (isObject(p.env_details)) return this.systemDetails(p.env_details);
    if (isObject(p.git_meta)) return this.git(p.git_meta);
    if (isObject(p.log_system_info)) return this.systemInfo(p.log_system_info);
  }

  private metric(p: Record<string, unknown>): void {
    const m = p.metric;
    if (!isObject(m) || typeof m.metricName !== 'string' || m.metricName === '') return;
    const value = metricValue(m.metricValue);
    if (value === null) return;
    const key = m.metricName;
    const seen = this.counts.get(key) ?? 0;
    this.counts.set(key, seen + 1);
    // Comet steps by `step`, else by `epoch`; a metric logged with neither is placed by its order.
    const step = wholeNumber(m.step) ?? wholeNumber(m.epoch) ?? seen;
    const wall = typeof p.local_timestamp === 'number' && Number.isFinite(p.local_timestamp) ? p.local_timestamp / 1000 : undefined;
    this.sink.point(key, step, value, wall);
  }

  private param(p: Record<string, unknown>): void {
    const one = isObject(p.param) ? p.param : isObject(p.params) ? p.params : null;
    if (!one || typeof one.paramName !== 'string' || one.paramName === '') return;
    this.sink.param(one.paramName, paramText(one.paramValue));
  }

  private other(key: unknown, value: unknown): void {
    if (typeof key !== 'string' || key === '') return;
    if (key === 'Name' && typeof value === 'string' && value !== '') {
      this.name = value;
      return;
    }
    this.sink.tag(key, paramText(value));
  }

  private systemDetails(d: Record<string, unknown>): void {
    const text = (k: string, v: unknown) => {
      if (typeof v === 'string' && v !== '') this.sink.tag(k, v);
    };
    text('host', d.hostname);
    text('os', d.os);
    text('python', d.python_version);
    text('user', d.user);
    if (Array.isArray(d.command)) text('command', d.command.filter((c) => typeof c === 'string').join(' '));
    else text('command', d.command);
  }

  private git(g: unknown): void {
    if (!isObject(g)) return;
    // `parent` is HEAD's commit (comet_ml's git_logging names it so); `root` is the first commit.
    if (typeof g.parent === 'string' && /^[0-9a-f]{7,64}$/i.test(g.parent)) this.gitCommit = g.parent;
    if (typeof g.branch === 'string' && g.branch) this.sink.tag('git.branch', g.branch.replace(/^refs\/heads\//, ''));
    if (typeof g.origin === 'string' && g.origin) this.sink.tag('git.url', g.origin);
  }

  private systemInfo(i: Record<string, unknown>): void {
    if (typeof i.key === 'string' && i.key) this.sink.tag(`system.${i.key}`, paramText(i.value));
  }

  private bad(lineNo: number): void {
    this.badLines++;
    if (!this.firstBadLine) this.firstBadLine = lineNo;
  }
}

/** A metric value: a number, or the text comet_ml writes for one (`"NaN"`, `"Infinity"`, `"0.5"`). */
function metricValue(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v.length > 64) return null;
  const t = v.trim();
  if (t === 'NaN' || t === 'nan') return NaN;
  if (t === 'Infinity' || t === 'inf') return Infinity;
  if (t === '-Infinity' || t === '-inf') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
  return Number(t);
}

function wholeNumber(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
