/**
 * The job registry: long work (index passes, hashing; later scans, exports, pushes) as jobs with an
 * id, a kind, progress, a result or an error, and cancel. A job is a function given an AbortSignal
 * and a progress sink; the registry keeps its state, a smoothed rate, and throttles its events.
 */
import type { JobInfo, JobKind, JobUnit } from '../api/contract.js';

export interface JobProgress {
  done: number;
  /** 0 while unknown. */
  total: number;
  bytes?: number;
  bytesTotal?: number;
  /** What done/total count from now on (an index pass walks files, then reads runs). */
  unit?: JobInfo['unit'];
}

export interface JobContext {
  signal: AbortSignal;
  progress(p: JobProgress): void;
}

export interface JobHandle<R> {
  id: number;
  /** Resolves with the job's result; rejects with its error, or with a JobCancelledError once cancelled. */
  promise: Promise<R>;
}

export interface JobStartOptions {
  /** What done/total count at the start (default: runs for index passes, files otherwise). */
  unit?: JobInfo['unit'];
  /** The job's own controller, when the caller already has one to stop it by (an index pass has). */
  controller?: AbortController;
}

/** How a cancelled job's promise rejects. */
export class JobCancelledError extends Error {
  override readonly name = 'JobCancelledError';
  constructor(readonly jobId: number) {
    super('The job was cancelled.');
  }
}

/** At most this many progress events per job and second (start and end are always sent at once). */
export const PROGRESS_EVENTS_PER_SECOND = 10;
/** Finished jobs kept for `list()`, with their results or errors. */
export const FINISHED_KEPT = 20;
/** The rate is the average over this window: steady enough to read, recent enough to follow. */
const RATE_WINDOW_MS = 3000;

interface Sample {
  t: number;
  v: number;
}

interface JobRecord {
  info: JobInfo;
  controller: AbortController;
  result?: unknown;
  samples: Sample[];
  /** When the last event went out, and whether a newer state waits for the throttle. */
  lastEmit: number;
  timer: NodeJS.Timeout | null;
}

type Listener = (info: JobInfo) => void;

export class JobRegistry {
  private nextId = 1;
  private readonly running = new Map<number, JobRecord>();
  private finished: JobRecord[] = [];
  private readonly listeners = new Set<Listener>();

  /** Starts `run` as a job now; its events begin with the `running` state. */
  start<R>(kind: JobKind, label: string, run: (ctx: JobContext) => Promise<R>, options: JobStartOptions = {}): JobHandle<R> {
    const id = this.nextId++;
    const controller = options.controller ?? new AbortController();
    const unit = options.unit ?? (kind === 'index' ? 'runs' : 'files');
    const rec: JobRecord = {
      info: {
        id, kind, label, state: 'running', done: 0, total: 0, unit, bytes: 0, bytesTotal: 0, rate: null,
        rateUnit: unit, startedAt: Date.now(), endedAt: null, error: null,
      },
      controller,
      samples: [],
      lastEmit: 0,
      timer: null,
    };
    this.running.set(id, rec);
    this.emitNow(rec);
    const ctx: JobContext = { signal: controller.signal, progress: (p) => this.progress(rec, p) };
    // Started on a later turn, so that a job that throws at once still reports its start first.
    const promise = Promise.resolve().then(() => run(ctx)).then(
      (result) => {
        rec.result = result;
        this.finish(rec, 'done', null);
        return result;
      },
      (err: unknown) => {
        if (controller.signal.aborted) {
          this.finish(rec, 'cancelled', null);
          throw new JobCancelledError(id);
        }
        this.finish(rec, 'failed', (err as Error)?.message ?? String(err));
        throw err;
      },
    );
    return { id, promise };
  }

  /** Running jobs, newest first, then the finished ones kept, the most recently ended first. */
  list(): JobInfo[] {
    const running = [...this.running.values()].reverse();
    return [...running, ...this.finished].map((r) => ({ ...r.info }));
  }

  /** The job's state, and its result once done (kept for the last FINISHED_KEPT jobs). */
  get(id: number): { info: JobInfo; result?: unknown } | null {
    const rec = this.running.get(id) ?? this.finished.find((r) => r.info.id === id);
    return rec ? { info: { ...rec.info }, result: rec.result } : null;
  }

  /** Asks a running job to stop (its signal aborts); false when none of that id is running. */
  cancel(id: number): boolean {
    const rec = this.running.get(id);
    if (!rec || rec.controller.signal.aborted) return false;
    rec.controller.abort(new JobCancelledError(id));
    return true;
  }

  /** `progress` events: a job started, progressed or ended. Returns the unsubscribe. */
  on(_event: 'progress', listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private progress(rec: JobRecord, p: JobProgress): void {
    const info = rec.info;
    if (info.state !== 'running') return;
    const unit = p.unit ?? info.unit;
    const countsBytes = p.bytesTotal !== undefined || p.bytes !== undefined;
    const rateUnit: JobUnit = countsBytes ? 'bytes' : unit;
    // A new unit starts a new rate: runs/s say nothing about files/s.
    if (rateUnit !== info.rateUnit || unit !== info.unit) {
      rec.samples = [];
      info.rate = null;
    }
    Object.assign(info, { done: p.done, total: p.total, unit, rateUnit, bytes: p.bytes ?? 0, bytesTotal: p.bytesTotal ?? 0 });
    this.sample(rec, countsBytes ? info.bytes : info.done);
    const now = performance.now();
    const wait = rec.lastEmit + 1000 / PROGRESS_EVENTS_PER_SECOND - now;
    if (wait <= 0) this.emitNow(rec);
    else rec.timer ??= setTimeout(() => this.emitNow(rec), wait);
  }

  private sample(rec: JobRecord, v: number): void {
    const t = performance.now();
    const s = rec.samples;
    // Samples at least a tenth of a second apart: a job reporting every run keeps a short list.
    if (s.length > 1 && t - s[s.length - 2].t < 100) s[s.length - 1] = { t, v };
    else s.push({ t, v });
    while (s.length > 2 && t - s[1].t >= RATE_WINDOW_MS) s.shift();
    const span = t - s[0].t;
    // Under a tenth of a second the figure is noise.
    if (span >= 100) rec.info.rate = ((v - s[0].v) / span) * 1000;
  }

  private finish(rec: JobRecord, state: JobInfo['state'], error: string | null): void {
    const info = rec.info;
    info.state = state;
    info.error = error;
    info.endedAt = Date.now();
    const seconds = (info.endedAt - info.startedAt) / 1000;
    const amount = info.rateUnit === 'bytes' ? info.bytes : info.done;
    if (seconds > 0 && amount > 0) info.rate = amount / seconds;
    this.running.delete(info.id);
    this.finished.unshift(rec);
    this.finished.length = Math.min(this.finished.length, FINISHED_KEPT);
    this.emitNow(rec);
  }

  private emitNow(rec: JobRecord): void {
    if (rec.timer) clearTimeout(rec.timer);
    rec.timer = null;
    rec.lastEmit = performance.now();
    const info = { ...rec.info };
    for (const listener of this.listeners) {
      try {
        listener(info);
      } catch (err) {
        // A listener's bug must not stop the job or the other listeners.
        console.error('[labdesk] a jobs.progress listener threw:', err);
      }
    }
  }
}
