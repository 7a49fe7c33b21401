import type { Db } from './db.js';
import { experimentId, runId } from './ids.js';
import { MetricWriter, type PointBuffer } from './metric-store.js';
import { searchRefresher } from './query/search-index.js';
import { Ledger, type FileIdentity } from './repos/ledger.js';
import { Models } from './repos/models.js';
import type { ModelRecord, RunLocation, RunMeta } from '../formats/adapter.js';

export type FileStat = FileIdentity;

/** One read of a run, as indexing collected it (index/run-buffer.ts): what the writer stores. */
export interface RunRead {
  readonly location: RunLocation;
  readonly metaData: RunMeta;
  /** Only the meta fields the reader set: what an append replaces. */
  readonly metaPatch: Partial<RunMeta>;
  readonly params: ReadonlyMap<string, string>;
  readonly tags: ReadonlyMap<string, string>;
  readonly series: ReadonlyMap<string, PointBuffer>;
  readonly artifacts: ReadonlyMap<string, { kind: string; sizeBytes: number | null }>;
  readonly models: readonly ModelRecord[];
  readonly problems: readonly { path: string; message: string }[];
  /** How far each file was read, its resume state and the fingerprint of the bytes before the offset. */
  readonly files: ReadonlyMap<string, { offset: number; state?: unknown; head?: string }>;
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A param's numeric value when its text reads as a finite number, for numeric comparisons. */
export function numericParam(value: string): number | null {
  const t = value.trim();
  if (!NUMERIC.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Writes indexed runs. Callers wrap calls in one transaction per batch. */
export class RunWriter {
  private readonly metrics: MetricWriter;
  private readonly ledger: Ledger;
  private readonly models: Models;
  private readonly stmt;
  /** Rebuilds a run's full-text search row, once per write (after its params and tags). */
  private readonly refreshSearch: (runId: string) => void;

  constructor(private readonly db: Db) {
    this.metrics = new MetricWriter(db);
    this.ledger = new Ledger(db);
    this.models = new Models(db);
    this.refreshSearch = searchRefresher(db);
    const p = (sql: string) => db.prepare(sql);
    this.stmt = {
      upsertExperiment: p(
        `INSERT INTO experiments (id, root_id, name, format, path) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, root_id = excluded.root_id`,
      ),
      upsertRun: p(
        `INSERT INTO runs (id, root_id, experiment_id, format, name, path, execution, status, start_time, end_time, time_note,
                           last_write_at, active_at, git_commit, indexed_at)
         VALUES (@id, @rootId, @experimentId, @format, @name, @path, @execution, @status, @startTime, @endTime, @timeNote,
                 @lastWriteAt, @activeAt, @gitCommit, @indexedAt)
         ON CONFLICT(id) DO UPDATE SET root_id = excluded.root_id, experiment_id = excluded.experiment_id,
           path = excluded.path, execution = excluded.execution,
           name = excluded.name, status = excluded.status, start_time = excluded.start_time,
           end_time = excluded.end_time, time_note = excluded.time_note, last_write_at = excluded.last_write_at,
           active_at = COALESCE(excluded.active_at, runs.active_at), git_commit = excluded.git_commit, indexed_at = excluded.indexed_at`,
      ),
      // Models are not cleared: they are entries of their own (repos/models.ts).
      clear: ['params', 'tags', 'metric_series', 'artifacts', 'problems'].map((t) => p(`DELETE FROM ${t} WHERE run_id = ?`)),
      param: p('INSERT INTO params (run_id, key, value, value_num) VALUES (?, ?, ?, ?)'),
      tag: p('INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?)'),
      artifact: p('INSERT INTO artifacts (run_id, path, kind, size_bytes) VALUES (?, ?, ?, ?)'),
      problem: p('INSERT INTO problems (root_id, run_id, path, format, message, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      // Tail reads: everything is added to or updated in place, nothing cleared.
      touchRun: p('UPDATE runs SET last_write_at = MAX(COALESCE(last_write_at, 0), ?), active_at = ?, indexed_at = ? WHERE id = ?'),
      upsertParam: p('INSERT OR REPLACE INTO params (run_id, key, value, value_num) VALUES (?, ?, ?, ?)'),
      upsertTag: p('INSERT OR REPLACE INTO tags (run_id, key, value) VALUES (?, ?, ?)'),
      upsertArtifact: p('INSERT OR REPLACE INTO artifacts (run_id, path, kind, size_bytes) VALUES (?, ?, ?, ?)'),
    };
    this.setMeta = {
      name: p('UPDATE runs SET name = ? WHERE id = ?'),
      status: p('UPDATE runs SET status = ? WHERE id = ?'),
      startTime: p('UPDATE runs SET start_time = ? WHERE id = ?'),
      endTime: p('UPDATE runs SET end_time = ? WHERE id = ?'),
      timeNote: p('UPDATE runs SET time_note = ? WHERE id = ?'),
      gitCommit: p('UPDATE runs SET git_commit = ? WHERE id = ?'),
    };
  }

  private readonly setMeta;

  /** Replaces everything indexed for one run with what the buffer holds. Returns the run id. */
  write(rootId: number, buf: RunRead, stats: Map<string, FileStat>, now: number): string {
    const loc = buf.location;
    const id = runId(loc.format, loc.path, loc.execution);
    const expId = experimentId(loc.experiment.path);
    const s = this.stmt;
    // A run indexed before whose files changed since: Labdesk has seen it being written.
    const activeAt = this.ledger.hasReads('run', id) ? now : null;
    s.upsertExperiment.run(expId, rootId, buf.metaData.experimentName ?? loc.experiment.name, loc.format, loc.experiment.path);
    for (const c of s.clear) c.run(id);
    this.ledger.clearEntry('run', id);
    const lastWrite = latestMtime(stats);
    const m = buf.metaData;
    s.upsertRun.run({
      id, rootId, experimentId: expId, format: loc.format, name: m.name, path: loc.path, execution: loc.execution ?? null, status: m.status,
      startTime: m.startTime, endTime: m.endTime, timeNote: m.timeNote ?? null, lastWriteAt: Math.round(lastWrite) || null,
      activeAt, gitCommit: m.gitCommit, indexedAt: now,
    });
    for (const [k, v] of buf.params) s.param.run(id, k, v, numericParam(v));
    for (const [k, v] of buf.tags) s.tag.run(id, k, v);
    for (const [k, points] of buf.series) this.metrics.write(id, k, points);
    for (const [p, a] of buf.artifacts) s.artifact.run(id, p, a.kind, a.sizeBytes);
    this.models.fromRun(rootId, id, buf.models, now, true);
    for (const pr of buf.problems) s.problem.run(rootId, id, pr.path, loc.format, pr.message, now);
    for (const [file, st] of stats) {
      const read = buf.files.get(file);
      this.ledger.recordFile(file, rootId, st, now);
      this.ledger.writeRead('run', id, rootId, loc.format, file, st, {
        offset: read?.offset ?? 0, state: stateJson(read?.state), head: read?.head ?? null,
      });
    }
    this.refreshSearch(id);
    return id;
  }

  /** Adds a tail read (see `Adapter.tail`) to a run the catalog already holds. Returns the run id. */
  append(rootId: number, buf: RunRead, stats: Map<string, FileStat>, now: number): string {
    const id = runId(buf.location.format, buf.location.path, buf.location.execution);
    const s = this.stmt;
    s.touchRun.run(Math.round(latestMtime(stats)), now, now, id);
    for (const [field, value] of Object.entries(buf.metaPatch)) {
      this.setMeta[field as keyof typeof this.setMeta]?.run(value, id);
    }
    for (const [k, v] of buf.params) s.upsertParam.run(id, k, v, numericParam(v));
    for (const [k, v] of buf.tags) s.upsertTag.run(id, k, v);
    let newMetric = false;
    for (const [k, points] of buf.series) newMetric = this.metrics.append(id, k, points) || newMetric;
    for (const [p, a] of buf.artifacts) s.upsertArtifact.run(id, p, a.kind, a.sizeBytes);
    // A tail read that lists models lists them all (checkpoints come and go while training).
    if (buf.models.length) this.models.fromRun(rootId, id, buf.models, now, true);
    for (const pr of buf.problems) s.problem.run(rootId, id, pr.path, buf.location.format, pr.message, now);
    for (const [file, st] of stats) {
      this.ledger.recordFile(file, rootId, st, now);
      this.ledger.updateRead('run', id, file, st);
    }
    for (const [file, read] of buf.files) {
      this.ledger.updateRead('run', id, file, undefined, { offset: read.offset, state: stateJson(read.state), head: read.head ?? null });
    }
    // A tail read can rename a run or add params, tags and metrics: its words change only then.
    if (newMetric || buf.params.size || buf.tags.size || Object.keys(buf.metaPatch).length) this.refreshSearch(id);
    return id;
  }
}

/** The newest modification time among a run's files (0 when it has none). */
function latestMtime(stats: Map<string, FileStat>): number {
  let latest = 0;
  for (const st of stats.values()) latest = Math.max(latest, st.mtimeMs);
  return latest;
}

/** A reader's resume state as stored: JSON, or NULL when it kept none. */
const stateJson = (state: unknown): string | null => (state === undefined ? null : JSON.stringify(state));
