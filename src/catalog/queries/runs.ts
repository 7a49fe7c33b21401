import type { ListRunsArgs, MetricSummary, RunPage, RunStatus, RunSummary } from '../../api/contract.js';
import { badRequest } from '../../api/errors.js';
import { toJsonNumber } from '../../util/json-number.js';
import type { Db } from '../db.js';

/** A run with no declared status whose files Labdesk saw change within this window is shown as running. */
export const RUNNING_WINDOW_MS = 120_000;

const STATUS_SQL = `CASE
  WHEN COALESCE(r.status, 'unknown') = 'unknown' AND r.active_at > @now - ${RUNNING_WINDOW_MS} THEN 'running'
  ELSE COALESCE(r.status, 'finished') END`;

export const RUN_COLUMNS = `r.id, COALESCE(a.display_name, r.name) AS name, r.name AS original_name,
  COALESCE(e.name, '') AS experiment, COALESCE(r.experiment_id, '') AS experiment_id, r.format,
  ${STATUS_SQL} AS status, r.path, r.start_time,
  (COALESCE(r.end_time, r.last_write_at) - r.start_time) / 1000.0 AS duration_seconds,
  COALESCE(a.starred, 0) AS starred, COALESCE(a.archived, 0) AS archived, COALESCE(a.note, '') AS note`;

const RUN_JOINS = `LEFT JOIN experiments e ON e.id = r.experiment_id
  LEFT JOIN run_annotations a ON a.run_id = r.id`;

export const RUN_FROM = `runs r ${RUN_JOINS}`;

export interface RunRow {
  id: string;
  name: string;
  original_name: string;
  experiment: string;
  experiment_id: string;
  format: string;
  status: RunStatus;
  path: string;
  start_time: number | null;
  duration_seconds: number | null;
  starred: number;
  archived: number;
  note: string;
}

const SORTABLE: Record<string, string> = {
  name: 'COALESCE(a.display_name, r.name)',
  experiment: 'e.name',
  format: 'r.format',
  status: 'status',
  startTime: 'r.start_time',
  durationSeconds: 'duration_seconds',
};

/** The ORDER BY term for a sort column; params sort numerically where they read as numbers. */
function sortTerm(column: string, bind: Record<string, unknown>): string {
  if (SORTABLE[column]) return SORTABLE[column];
  const m = /^(params|metrics)\.(.+)$/.exec(column);
  if (!m) throw badRequest(`Cannot sort by "${column}": use a run column, params.<key> or metrics.<key>.`);
  bind.sortKey = m[2];
  return m[1] === 'params'
    ? '(SELECT COALESCE(p.value_num, p.value) FROM params p WHERE p.run_id = r.id AND p.key = @sortKey)'
    : '(SELECT s.last FROM metric_series s WHERE s.run_id = r.id AND s.key = @sortKey)';
}

/** One page of runs matching a query, sorted in SQLite, with the total count. */
export function listRuns(db: Db, args: ListRunsArgs = {}): RunPage {
  const bind: Record<string, unknown> = { now: Date.now() };
  const where: string[] = [];
  const text = args.query?.trim();
  if (text) {
    // Free text over names, experiments and paths; the query language arrives with the explore issue.
    bind.text = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(`(COALESCE(a.display_name, r.name) LIKE @text ESCAPE '\\' OR e.name LIKE @text ESCAPE '\\' OR r.path LIKE @text ESCAPE '\\')`);
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const sort = args.sort ?? { column: 'startTime', direction: 'desc' };
  const dir = sort.direction === 'asc' ? 'ASC' : 'DESC';
  const order = `${sortTerm(sort.column, bind)} ${dir} NULLS LAST, r.path ASC`;
  const offset = Math.max(0, Math.floor(args.offset ?? 0));
  const limit = Math.min(5000, Math.max(0, Math.floor(args.limit ?? 200)));

  const total = (db.prepare(`SELECT count(*) AS n FROM ${RUN_FROM} ${whereSql}`).get(bind) as { n: number }).n;
  const metric = /^metrics\.(.+)$/.exec(sort.column);
  const rows = metric
    ? pageByMetric(db, { key: metric[1], dir, where, bind, offset, limit })
    : (db
        .prepare(`SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} ${whereSql} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`)
        .all(bind) as RunRow[]);
  return {
    total,
    offset,
    rows: summarizeRuns(db, rows),
    paramKeys: distinctKeys(db, 'params'),
    metricKeys: distinctKeys(db, 'metric_series'),
  };
}

/**
 * A page of runs sorted by a metric's last value, read in the order of the (key, last) index so that
 * only the rows up to the page end are visited — not every run, as a per-run subquery would. Runs
 * without a value for the metric (missing, or NaN) follow, by path.
 */
function pageByMetric(
  db: Db,
  q: { key: string; dir: 'ASC' | 'DESC'; where: string[]; bind: Record<string, unknown>; offset: number; limit: number },
): RunRow[] {
  const bind = { ...q.bind, sortKey: q.key };
  const filter = q.where.map((w) => ` AND ${w}`).join('');
  const valued = db
    .prepare(
      `SELECT ${RUN_COLUMNS} FROM metric_series s JOIN runs r ON r.id = s.run_id ${RUN_JOINS}
       WHERE s.key = @sortKey AND s.last IS NOT NULL${filter}
       ORDER BY s.last ${q.dir}, s.id ${q.dir} LIMIT ${q.limit} OFFSET ${q.offset}`,
    )
    .all(bind) as RunRow[];
  if (valued.length === q.limit) return valued;
  // The page runs past the valued runs: count them to know where the unvalued ones start.
  const valuedTotal = valued.length
    ? q.offset + valued.length
    : (db
        .prepare(`SELECT count(*) FROM metric_series s JOIN runs r ON r.id = s.run_id ${RUN_JOINS} WHERE s.key = @sortKey AND s.last IS NOT NULL${filter}`)
        .pluck()
        .get(bind) as number);
  const rest = db
    .prepare(
      `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM}
       WHERE NOT EXISTS (SELECT 1 FROM metric_series s WHERE s.run_id = r.id AND s.key = @sortKey AND s.last IS NOT NULL)${filter}
       ORDER BY r.path LIMIT ${q.limit - valued.length} OFFSET ${Math.max(0, q.offset - valuedTotal)}`,
    )
    .all(bind) as RunRow[];
  return [...valued, ...rest];
}

/**
 * The distinct keys of a table indexed by key, ascending. A skip scan — one index seek per distinct
 * key — instead of SELECT DISTINCT, which reads every row: 100,000 runs x 20 params is 2M rows.
 */
function distinctKeys(db: Db, table: 'params' | 'metric_series'): string[] {
  return db
    .prepare(
      `WITH RECURSIVE k(key) AS (
         SELECT min(key) FROM ${table}
         UNION ALL SELECT (SELECT min(key) FROM ${table} WHERE key > k.key) FROM k WHERE k.key IS NOT NULL)
       SELECT key FROM k WHERE key IS NOT NULL`,
    )
    .pluck()
    .all() as string[];
}

interface SeriesRow {
  run_id: string;
  key: string;
  count: number;
  last: number | null;
  min: number | null;
  max: number | null;
  last_step: number;
}

/** Metric summary as JSON: SQL NULL stands for NaN (SQLite cannot store NaN). */
export function metricSummary(s: SeriesRow): MetricSummary {
  const n = (v: number | null) => toJsonNumber(v === null ? NaN : v);
  return { last: n(s.last), min: n(s.min), max: n(s.max), lastStep: s.last_step, count: s.count };
}

/** Attaches params, metric summaries and user tags to run rows, in three queries for the whole page. */
export function summarizeRuns(db: Db, rows: RunRow[]): RunSummary[] {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const inIds = 'IN (SELECT value FROM json_each(?))';
  const out = new Map<string, RunSummary>();
  for (const r of rows) {
    out.set(r.id, {
      id: r.id, name: r.name, experiment: r.experiment, experimentId: r.experiment_id, format: r.format,
      status: r.status, path: r.path, startTime: r.start_time, durationSeconds: r.duration_seconds,
      params: {}, metrics: {}, starred: r.starred === 1, userTags: [], archived: r.archived === 1,
    });
  }
  for (const p of db.prepare(`SELECT run_id, key, value FROM params WHERE run_id ${inIds}`).all(ids) as { run_id: string; key: string; value: string }[]) {
    out.get(p.run_id)!.params[p.key] = p.value;
  }
  for (const s of db.prepare(`SELECT run_id, key, count, last, min, max, last_step FROM metric_series WHERE run_id ${inIds}`).all(ids) as SeriesRow[]) {
    out.get(s.run_id)!.metrics[s.key] = metricSummary(s);
  }
  for (const t of db.prepare(`SELECT run_id, tag FROM user_tags WHERE run_id ${inIds} ORDER BY tag`).all(ids) as { run_id: string; tag: string }[]) {
    out.get(t.run_id)!.userTags.push(t.tag);
  }
  return [...out.values()];
}
