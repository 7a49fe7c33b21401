import type { Db } from './db.js';

/** Points per stored chunk: big enough that 1M points are ~250 rows, small enough to rewrite a tail cheaply. */
export const CHUNK_POINTS = 4096;

/** A growable column store of one series' points, in the order they were written. */
export class PointBuffer {
  steps = new Float64Array(64);
  values = new Float64Array(64);
  /** Wall time in epoch seconds; NaN when the format does not record one. */
  times = new Float64Array(64);
  length = 0;

  push(step: number, value: number, time = NaN): void {
    if (this.length === this.steps.length) this.grow();
    this.steps[this.length] = step;
    this.values[this.length] = value;
    this.times[this.length] = time;
    this.length++;
  }

  /** A buffer holding `head`'s points followed by `tail`'s. */
  static concat(head: { steps: Float64Array; values: Float64Array; times: Float64Array }, tail: PointBuffer): PointBuffer {
    const out = new PointBuffer();
    const n = head.steps.length + tail.length;
    out.steps = new Float64Array(n);
    out.values = new Float64Array(n);
    out.times = new Float64Array(n);
    for (const name of ['steps', 'values', 'times'] as const) {
      out[name].set(head[name]);
      out[name].set(tail[name].subarray(0, tail.length), head.steps.length);
    }
    out.length = n;
    return out;
  }

  private grow(): void {
    const size = this.steps.length * 2;
    for (const name of ['steps', 'values', 'times'] as const) {
      const next = new Float64Array(size);
      next.set(this[name]);
      this[name] = next;
    }
  }
}

export interface SeriesSummary {
  count: number;
  /** Latest written value (a resumed run's repeated steps: the newest wins). */
  last: number;
  lastStep: number;
  firstStep: number;
  /** NaN-free extremes; NaN when every value is NaN. */
  min: number;
  max: number;
  lastWallTime: number;
}

/** Summarizes a buffer: last value in write order, extremes ignoring NaN. */
export function summarize(buf: PointBuffer): SeriesSummary {
  let min = Infinity;
  let max = -Infinity;
  let seen = false;
  for (let i = 0; i < buf.length; i++) {
    const v = buf.values[i];
    if (v !== v) continue;
    seen = true;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const n = buf.length;
  return {
    count: n,
    last: buf.values[n - 1],
    lastStep: buf.steps[n - 1],
    firstStep: buf.steps[0],
    min: seen ? min : NaN,
    max: seen ? max : NaN,
    lastWallTime: buf.times[n - 1],
  };
}

function toBlob(arr: Float64Array, start: number, end: number): Buffer {
  return Buffer.from(arr.buffer, arr.byteOffset + start * 8, (end - start) * 8);
}

/** Reads a Float64 column from a blob; SQLite blobs are not 8-byte aligned, so copy when needed. */
export function fromBlob(blob: Buffer): Float64Array {
  if (blob.byteOffset % 8 === 0) return new Float64Array(blob.buffer, blob.byteOffset, blob.byteLength / 8);
  return new Float64Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

/**
 * Many formats record no wall times (Lightning's and Keras' CSVs): a chunk whose times are all NaN
 * stores an empty blob instead of 8 bytes of NaN per point.
 */
function timesBlob(times: Float64Array, start: number, end: number): Buffer {
  for (let i = start; i < end; i++) if (times[i] === times[i]) return toBlob(times, start, end);
  return Buffer.alloc(0);
}

/** A chunk's wall times: an empty blob is `count` unknown times. */
export function fromTimesBlob(blob: Buffer, count: number): Float64Array {
  return blob.byteLength === 0 ? new Float64Array(count).fill(NaN) : fromBlob(blob);
}

/** SQLite turns NaN into NULL; doing it explicitly keeps the rule visible. */
const sqlReal = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** The smaller of two extremes where NaN (SQL NULL) means "no value yet". */
const nanMin = (a: number, b: number) => (a !== a ? b : b !== b ? a : Math.min(a, b));
const nanMax = (a: number, b: number) => (a !== a ? b : b !== b ? a : Math.max(a, b));
const fromSql = (v: number | null): number => (v === null ? NaN : v);

export class MetricWriter {
  private readonly stmt;

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.stmt = {
      insertSeries: p(
        `INSERT INTO metric_series (run_id, key, count, last, min, max, first_step, last_step, last_wall_time)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertChunk: p(
        `INSERT INTO metric_chunks (series_id, seq, count, first_step, last_step, min, max, has_nan, steps, vals, times)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      series: p('SELECT id, count, min, max FROM metric_series WHERE run_id = ? AND key = ?'),
      lastChunk: p('SELECT id, seq, count, steps, vals, times FROM metric_chunks WHERE series_id = ? ORDER BY seq DESC LIMIT 1'),
      deleteChunk: p('DELETE FROM metric_chunks WHERE id = ?'),
      updateSeries: p('UPDATE metric_series SET count = ?, last = ?, min = ?, max = ?, last_step = ?, last_wall_time = ? WHERE id = ?'),
    };
  }

  /** Writes a whole series for a run (caller holds the transaction and has cleared old rows). */
  write(runId: string, key: string, buf: PointBuffer): void {
    if (buf.length === 0) return;
    const s = summarize(buf);
    const seriesId = this.stmt.insertSeries.run(
      runId, key, s.count, sqlReal(s.last), sqlReal(s.min), sqlReal(s.max),
      s.firstStep, s.lastStep, sqlReal(s.lastWallTime),
    ).lastInsertRowid as number;
    this.insertChunks(seriesId, buf, 0);
  }

  /**
   * Adds points after a series' stored ones (a tail read of a growing file). Only the last chunk is
   * rewritten, and only when it is not full, so an append costs the new points, not the series.
   * True when the series is new to the run (its key is then a new search word).
   */
  append(runId: string, key: string, buf: PointBuffer): boolean {
    if (buf.length === 0) return false;
    const row = this.stmt.series.get(runId, key) as { id: number; count: number; min: number | null; max: number | null } | undefined;
    if (!row) {
      this.write(runId, key, buf);
      return true;
    }
    const last = this.stmt.lastChunk.get(row.id) as
      | { id: number; seq: number; count: number; steps: Buffer; vals: Buffer; times: Buffer }
      | undefined;
    let points = buf;
    let seq = last ? last.seq + 1 : 0;
    if (last && last.count < CHUNK_POINTS) {
      points = PointBuffer.concat({ steps: fromBlob(last.steps), values: fromBlob(last.vals), times: fromTimesBlob(last.times, last.count) }, buf);
      this.stmt.deleteChunk.run(last.id);
      seq = last.seq;
    }
    this.insertChunks(row.id, points, seq);
    const s = summarize(buf);
    this.stmt.updateSeries.run(
      row.count + s.count, sqlReal(s.last), sqlReal(nanMin(fromSql(row.min), s.min)), sqlReal(nanMax(fromSql(row.max), s.max)),
      s.lastStep, sqlReal(s.lastWallTime), row.id,
    );
    return false;
  }

  private insertChunks(seriesId: number, buf: PointBuffer, firstSeq: number): void {
    for (let start = 0, seq = firstSeq; start < buf.length; start += CHUNK_POINTS, seq++) {
      const end = Math.min(start + CHUNK_POINTS, buf.length);
      let min = Infinity;
      let max = -Infinity;
      let hasNan = 0;
      let firstStep = Infinity;
      let lastStep = -Infinity;
      for (let i = start; i < end; i++) {
        const v = buf.values[i];
        if (v !== v) hasNan = 1;
        else {
          if (v < min) min = v;
          if (v > max) max = v;
        }
        const st = buf.steps[i];
        if (st < firstStep) firstStep = st;
        if (st > lastStep) lastStep = st;
      }
      this.stmt.insertChunk.run(
        seriesId, seq, end - start, firstStep, lastStep,
        min === Infinity ? null : min, max === -Infinity ? null : max, hasNan,
        toBlob(buf.steps, start, end), toBlob(buf.values, start, end), timesBlob(buf.times, start, end),
      );
    }
  }
}

export interface StoredSeries {
  steps: Float64Array;
  values: Float64Array;
  times: Float64Array;
}

/** Reads every point of one series, in write order. */
export function readSeriesPoints(db: Db, seriesId: number): StoredSeries {
  const rows = db
    .prepare('SELECT count, steps, vals, times FROM metric_chunks WHERE series_id = ? ORDER BY seq')
    .all(seriesId) as { count: number; steps: Buffer; vals: Buffer; times: Buffer }[];
  const total = rows.reduce((n, r) => n + r.count, 0);
  const out = { steps: new Float64Array(total), values: new Float64Array(total), times: new Float64Array(total) };
  let at = 0;
  for (const r of rows) {
    out.steps.set(fromBlob(r.steps), at);
    out.values.set(fromBlob(r.vals), at);
    out.times.set(fromTimesBlob(r.times, r.count), at);
    at += r.count;
  }
  return out;
}
