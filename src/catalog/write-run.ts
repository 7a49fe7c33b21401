import type { Db } from './db.js';
import { experimentId, modelId, runId } from './ids.js';
import { MetricWriter } from './metric-store.js';
import { searchRefresher } from './query/search-index.js';
import type { ModelRecord } from '../formats/adapter.js';
import type { RunBuffer } from '../index/run-buffer.js';

export interface FileStat {
  size: number;
  mtimeMs: number;
  ino: number;
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
  private readonly stmt;
  /** Rebuilds a run's full-text search row, once per write (after its params and tags). */
  private readonly refreshSearch: (runId: string) => void;

  constructor(private readonly db: Db) {
    this.metrics = new MetricWriter(db);
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
      // A run indexed before whose files changed since: Labdesk has seen it being written.
      seenBefore: p('SELECT 1 FROM source_files WHERE run_id = ? LIMIT 1').pluck(),
      clear: ['params', 'tags', 'metric_series', 'artifacts', 'models', 'problems', 'source_files'].map((t) =>
        p(`DELETE FROM ${t} WHERE run_id = ?`),
      ),
      param: p('INSERT INTO params (run_id, key, value, value_num) VALUES (?, ?, ?, ?)'),
      tag: p('INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?)'),
      artifact: p('INSERT INTO artifacts (run_id, path, kind, size_bytes) VALUES (?, ?, ?, ?)'),
      model: p(
        `INSERT OR REPLACE INTO models (id, root_id, run_id, name, path, format, framework, version, size_bytes, stage)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      problem: p('INSERT INTO problems (root_id, run_id, path, format, message, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      sourceFile: p(
        `INSERT OR REPLACE INTO source_files (path, root_id, run_id, format, size, mtime_ms, ino, read_offset, state, head_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // Tail reads: everything is added to or updated in place, nothing cleared.
      touchRun: p('UPDATE runs SET last_write_at = MAX(COALESCE(last_write_at, 0), ?), active_at = ?, indexed_at = ? WHERE id = ?'),
      upsertParam: p('INSERT OR REPLACE INTO params (run_id, key, value, value_num) VALUES (?, ?, ?, ?)'),
      upsertTag: p('INSERT OR REPLACE INTO tags (run_id, key, value) VALUES (?, ?, ?)'),
      upsertArtifact: p('INSERT OR REPLACE INTO artifacts (run_id, path, kind, size_bytes) VALUES (?, ?, ?, ?)'),
      clearModels: p('DELETE FROM models WHERE run_id = ?'),
      fileStat: p('UPDATE source_files SET size = ?, mtime_ms = ?, ino = ? WHERE run_id = ? AND path = ?'),
      fileRead: p('UPDATE source_files SET read_offset = ?, state = ?, head_hash = ? WHERE run_id = ? AND path = ?'),
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
  write(rootId: number, buf: RunBuffer, stats: Map<string, FileStat>, now: number): string {
    const loc = buf.location;
    const id = runId(loc.format, loc.path, loc.execution);
    const expId = experimentId(loc.experiment.path);
    const s = this.stmt;
    const activeAt = s.seenBefore.get(id) === undefined ? null : now;
    s.upsertExperiment.run(expId, rootId, buf.metaData.experimentName ?? loc.experiment.name, loc.format, loc.experiment.path);
    for (const c of s.clear) c.run(id);
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
    this.writeModels(rootId, id, buf.models);
    for (const pr of buf.problems) s.problem.run(rootId, id, pr.path, loc.format, pr.message, now);
    for (const [file, st] of stats) {
      const read = buf.files.get(file);
      s.sourceFile.run(
        file, rootId, id, loc.format, st.size, st.mtimeMs, st.ino, read?.offset ?? 0,
        stateJson(read?.state), read?.head ?? null,
      );
    }
    this.refreshSearch(id);
    return id;
  }

  /** Adds a tail read (see `Adapter.tail`) to a run the catalog already holds. Returns the run id. */
  append(rootId: number, buf: RunBuffer, stats: Map<string, FileStat>, now: number): string {
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
    if (buf.models.length) s.clearModels.run(id);
    this.writeModels(rootId, id, buf.models);
    for (const pr of buf.problems) s.problem.run(rootId, id, pr.path, buf.location.format, pr.message, now);
    for (const [file, st] of stats) s.fileStat.run(st.size, st.mtimeMs, st.ino, id, file);
    for (const [file, read] of buf.files) {
      s.fileRead.run(read.offset, stateJson(read.state), read.head ?? null, id, file);
    }
    // A tail read can rename a run or add params, tags and metrics: its words change only then.
    if (newMetric || buf.params.size || buf.tags.size || Object.keys(buf.metaPatch).length) this.refreshSearch(id);
    return id;
  }
  private writeModels(rootId: number, runId: string, models: ModelRecord[]): void {
    for (const mo of models) {
      // Keyed by version too: two registry versions registered from one folder are two models.
      const key = mo.version === null ? mo.path : `${mo.path}\0${mo.version}`;
      this.stmt.model.run(
        modelId(mo.format, key), rootId, runId, mo.name, mo.path, mo.format, mo.framework, mo.version, mo.sizeBytes, mo.stage ?? null,
      );
    }
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
