import type { ListRunsArgs, MetricSummary, RunPage, RunStatus, RunSummary } from '../../api/contract.js';
import { badRequest } from '../../api/errors.js';
import { toJsonNumber } from '../../util/json-number.js';
import type { Db } from '../db.js';
import { checkListRunsArgs, runSortArg, wholeNumberArg } from './list-args.js';
import { groupColumn } from './run-groups.js';
import { DURATION_SQL, NAME_SQL, RUN_FROM, RUN_JOINS, STATUS_SQL } from '../query/columns.js';
import { runFilter } from '../query/index.js';

export { RUNNING_WINDOW_MS, RUN_FROM } from '../query/columns.js';

export const RUN_COLUMNS = `r.id, ${NAME_SQL} AS name, r.name AS original_name,
  COALESCE(e.name, '') AS experiment, COALESCE(r.experiment_id, '') AS experiment_id, r.format,
  ${STATUS_SQL} AS status, r.path, r.execution, r.start_time, r.time_note,
  ${DURATION_SQL} AS duration_seconds,
  COALESCE(a.starred, 0) AS starred, COALESCE(a.archived, 0) AS archived, COALESCE(a.note, '') AS note,
  (SELECT t.value FROM tags t WHERE t.run_id = r.id AND t.key = 'error') AS error`;

export interface RunRow {
  id: string;
  name: string;
  original_name: string;
  experiment: string;
  experiment_id: string;
  format: string;
  status: RunStatus;
  path: string;
  execution: string | null;
  start_time: number | null;
  time_note: string | null;
  duration_seconds: number | null;
  starred: number;
  archived: number;
  note: string;
  error: string | null;
}

const SORTABLE: Record<string, string> = {
  name: NAME_SQL,
  experiment: 'e.name',
  format: 'r.format',
  status: 'status',
  startTime: 'r.start_time',
  durationSeconds: 'duration_seconds',
};

type MetricStat = 'last' | 'min' | 'max';

/** `metrics.<key>` (its last value), `metrics.<key>:min` or `:max` as a sort column. */
function metricSort(column: string): { key: string; stat: MetricStat } | null {
  const m = /^metrics\.(.+?)(?::(last|min|max))?$/.exec(column);
  return m ? { key: m[1], stat: (m[2] as MetricStat | undefined) ?? 'last' } : null;
}

/** The ORDER BY term for a sort column; params sort numerically where they read as numbers. */
function sortTerm(column: string, bind: Record<string, unknown>): string {
  if (SORTABLE[column]) return SORTABLE[column];
  const metric = metricSort(column);
  if (metric) {
    bind.sortKey = metric.key;
    return `(SELECT s.${metric.stat} FROM metric_series s WHERE s.run_id = r.id AND s.key = @sortKey)`;
  }
  const param = /^params\.(.+)$/.exec(column);
  if (!param) {
    const columns = Object.keys(SORTABLE).join(', ');
    throw badRequest(`Cannot sort by "${column}": use a run column (${columns}), params.<key>, metrics.<key> or metrics.<key>:min / :max.`);
  }
  bind.sortKey = param[1];
  return '(SELECT COALESCE(p.value_num, p.value) FROM params p WHERE p.run_id = r.id AND p.key = @sortKey)';
}

/**
 * One page of runs matching a query (the language in src/catalog/query), sorted in SQLite, with the
 * total count. Archived runs are left out unless asked for (see `runFilter`).
 */
export function listRuns(db: Db, args: ListRunsArgs = {}): RunPage {
  checkListRunsArgs(args);
  const filter = runFilter(args.query, args.includeArchived);
  const bind: Record<string, unknown> = { ...filter.bind, now: Date.now() };
  const where = filter.where;
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const sort = runSortArg(args.sort) ?? { column: 'startTime', direction: 'desc' };
  const dir = sort.direction === 'asc' ? 'ASC' : 'DESC';
  // Path, then execution: the executions of one notebook share its path.
  const order = `${sortTerm(sort.column, bind)} ${dir} NULLS LAST, r.path ASC, r.execution ASC`;
  const offset = wholeNumberArg('offset', args.offset, 0);
  // Pages stay bounded whatever is asked: a larger limit gets the first 5,000.
  const limit = Math.min(5000, wholeNumberArg('limit', args.limit, 200));

  const total = (db.prepare(`SELECT count(*) AS n FROM ${RUN_FROM} ${whereSql}`).get(bind) as { n: number }).n;
  const metric = metricSort(sort.column);
  let rows: RunRow[];
  if (args.groupBy) {
    // Group by group, in runs.groups' order, sorted within each group.
    const group = groupColumn(args.groupBy, bind);
    rows = db
      .prepare(`SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} ${group.join} ${whereSql} ORDER BY ${group.rowOrder}, ${order} LIMIT ${limit} OFFSET ${offset}`)
      .all(bind) as RunRow[];
  } else if (metric && walkMetricIndex(db, total, offset + limit)) {
    rows = pageByMetric(db, { ...metric, dir, where, bind, offset, limit });
  } else if (metric) {
    // Few runs match: sort them, in the order pageByMetric would give (valued by value then series, then by path).
    const col = `ms.${metric.stat}`;
    rows = db
      .prepare(
        `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} LEFT JOIN metric_series ms ON ms.run_id = r.id AND ms.key = @sortKey ${whereSql}
         ORDER BY ${col} IS NULL, ${col} ${dir}, IIF(${col} IS NULL, NULL, ms.id) ${dir}, r.path ASC, r.execution ASC LIMIT ${limit} OFFSET ${offset}`,
      )
      .all(bind) as RunRow[];
  } else {
    rows = db.prepare(`SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} ${whereSql} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`).all(bind) as RunRow[];
  }
  return {
    total,
    offset,
    rows: summarizeRuns(db, rows),
    paramKeys: distinctKeys(db, 'params'),
    metricKeys: distinctKeys(db, 'metric_series'),
  };
}

/**
 * Whether to page a metric sort by walking the metric's index. The walk visits about pageEnd x runs /
 * matched index rows before its page is full — cheap when most runs match, but a query matching 1 run
 * in 1,000 would read the whole index; sorting just the matched runs then costs about `matched`.
 */
function walkMetricIndex(db: Db, matched: number, pageEnd: number): boolean {
  const runs = db.prepare('SELECT count(*) FROM runs').pluck().get() as number;
  return matched * matched >= pageEnd * runs;
}

/**
 * A page of runs sorted by a metric's last (or min, or max) value, read in the order of the (key,
 * stat) index so that only the rows up to the page end are visited — not every run, as a per-run
 * subquery would. Runs without a value for the metric (missing, or NaN) follow, by path.
 */
function pageByMetric(
  db: Db,
  q: { key: string; stat: MetricStat; dir: 'ASC' | 'DESC'; where: string[]; bind: Record<string, unknown>; offset: number; limit: number },
): RunRow[] {
  const bind = { ...q.bind, sortKey: q.key };
  const filter = q.where.map((w) => ` AND ${w}`).join('');
  const col = `s.${q.stat}`;
  const valued = db
    .prepare(
      `SELECT ${RUN_COLUMNS} FROM metric_series s JOIN runs r ON r.id = s.run_id ${RUN_JOINS}
       WHERE s.key = @sortKey AND ${col} IS NOT NULL${filter}
       ORDER BY ${col} ${q.dir}, s.id ${q.dir} LIMIT ${q.limit} OFFSET ${q.offset}`,
    )
    .all(bind) as RunRow[];
  if (valued.length === q.limit) return valued;
  // The page runs past the valued runs: count them to know where the unvalued ones start.
  const valuedTotal = valued.length
    ? q.offset + valued.length
    : (db
        .prepare(`SELECT count(*) FROM metric_series s JOIN runs r ON r.id = s.run_id ${RUN_JOINS} WHERE s.key = @sortKey AND ${col} IS NOT NULL${filter}`)
        .pluck()
        .get(bind) as number);
  const rest = db
    .prepare(
      `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM}
       WHERE NOT EXISTS (SELECT 1 FROM metric_series s WHERE s.run_id = r.id AND s.key = @sortKey AND ${col} IS NOT NULL)${filter}
       ORDER BY r.path, r.execution LIMIT ${q.limit - valued.length} OFFSET ${Math.max(0, q.offset - valuedTotal)}`,
    )
    .all(bind) as RunRow[];
  return [...valued, ...rest];
}

/**
 * The distinct keys of a table indexed by key, ascending. A skip scan — one index seek per distinct
 * key — instead of SELECT DISTINCT, which reads every row: 100,000 runs x 20 params is 2M rows.
 */
export function distinctKeys(db: Db, table: 'params' | 'metric_series' | 'tags'): string[] {
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
      status: r.status, path: r.path, execution: r.execution, startTime: r.start_time, durationSeconds: r.duration_seconds, timeNote: r.time_note,
      params: {}, metrics: {}, starred: r.starred === 1, userTags: [], archived: r.archived === 1, error: r.error,
    });
  }
  // Rows as arrays: a page of runs carries thousands of params, and objects per row cost GC time.
  for (const [runId, key, value] of db.prepare(`SELECT run_id, key, value FROM params WHERE run_id ${inIds}`).raw().all(ids) as [string, string, string][]) {
    out.get(runId)!.params[key] = value;
  }
  for (const s of db.prepare(`SELECT run_id, key, count, last, min, max, last_step FROM metric_series WHERE run_id ${inIds}`).all(ids) as SeriesRow[]) {
    out.get(s.run_id)!.metrics[s.key] = metricSummary(s);
  }
  for (const t of db.prepare(`SELECT run_id, tag FROM user_tags WHERE run_id ${inIds} ORDER BY tag`).all(ids) as { run_id: string; tag: string }[]) {
    out.get(t.run_id)!.userTags.push(t.tag);
  }
  return [...out.values()];
}
