import type { ModelRecord, RunLocation, RunMeta, RunSink } from '../formats/adapter.js';
import { PointBuffer } from '../catalog/metric-store.js';

/**
 * Distinct metric keys kept per run, for every format: each key is a series with its own buffers
 * and catalog rows, and a hostile file can name a million. Past this, new keys are dropped.
 */
export const MAX_METRIC_KEYS_PER_RUN = 10_000;

export interface BufferedProblem {
  path: string;
  message: string;
}

/**
 * Collects one run's read in memory so that it is written in one transaction: a crash or a bad
 * file mid-read never leaves a half-written run in the catalog.
 */
export class RunBuffer implements RunSink {
  readonly metaData: RunMeta;
  readonly params = new Map<string, string>();
  readonly tags = new Map<string, string>();
  readonly series = new Map<string, PointBuffer>();
  readonly artifacts = new Map<string, { kind: string; sizeBytes: number | null }>();
  readonly models: ModelRecord[] = [];
  readonly problems: BufferedProblem[] = [];
  /** How far each file was read; `head` (set by the indexer) fingerprints the bytes before the offset. */
  readonly files = new Map<string, { offset: number; state?: unknown; head?: string }>();
  /** Only the meta fields the adapter set: what a tail read replaces. */
  readonly metaPatch: Partial<RunMeta> = {};
  private keysDropped = false;

  constructor(readonly location: RunLocation) {
    this.metaData = { name: defaultName(location.path), status: null, startTime: null, endTime: null, gitCommit: null };
  }

  meta(patch: Partial<RunMeta>): void {
    Object.assign(this.metaData, patch);
    Object.assign(this.metaPatch, patch);
  }
  param(key: string, value: string): void {
    this.params.set(key, value);
  }
  tag(key: string, value: string): void {
    this.tags.set(key, value);
  }
  point(key: string, step: number, value: number, wallTime = NaN): void {
    let buf = this.series.get(key);
    if (!buf) {
      if (this.series.size >= MAX_METRIC_KEYS_PER_RUN) return this.dropKey(key);
      this.series.set(key, (buf = new PointBuffer()));
    }
    buf.push(step, value, wallTime);
  }
  /** One problem per run, naming the first key dropped. */
  private dropKey(key: string): void {
    if (this.keysDropped) return;
    this.keysDropped = true;
    this.problem(
      this.location.path,
      `more than ${MAX_METRIC_KEYS_PER_RUN} metric keys: the first ${MAX_METRIC_KEYS_PER_RUN} were kept, ` +
        `later ones (from "${key.slice(0, 80)}" on) were dropped`,
    );
  }
  artifact(path: string, kind: string, sizeBytes: number | null): void {
    this.artifacts.set(path, { kind, sizeBytes });
  }
  model(model: ModelRecord): void {
    this.models.push(model);
  }
  problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }
  fileRead(path: string, offset: number, state?: unknown): void {
    this.files.set(path, { offset, state });
  }

  get pointCount(): number {
    let n = 0;
    for (const b of this.series.values()) n += b.length;
    return n;
  }
}

function defaultName(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}
