import path from 'node:path';
import type { GroupBy, RunGroup, RunGroupsArgs } from '../../api/contract.js';
import { badRequest } from '../../api/errors.js';
import { toJsonNumber } from '../../util/json-number.js';
import type { Db } from '../db.js';
import { RUN_FROM, STATUS_SQL } from '../query/columns.js';
import { runFilter } from '../query/index.js';
import { runSortArg } from './list-args.js';

interface GroupRow {
  value: string | null;
  count: number;
  best: number | null;
  name: string | null;
  format: string | null;
  path: string | null;
}

/**
 * How many of the runs matching a query fall in each group: by experiment (its identity, not its
 * name), format, status, or the value of a tag or param (null for runs without it). Groups come in
 * value order — experiments by name, params by number where they read as one — with the null group
 * last. With a metric sort, each group carries its best value of that metric.
 */
export function runGroups(db: Db, args: RunGroupsArgs): RunGroup[] {
  const filter = runFilter(args.query, args.includeArchived);
  const bind: Record<string, unknown> = { ...filter.bind, now: Date.now() };
  const group = groupColumn(args.by, bind);
  const where = filter.where.length ? `WHERE ${filter.where.join(' AND ')}` : '';
  const best = bestTerm(args.sort, bind);
  const rows = db
    .prepare(
      `SELECT ${group.value} AS value, count(*) AS count, ${best.select} AS best,
         min(e.name) AS name, min(e.format) AS format, min(e.path) AS path
       FROM ${RUN_FROM} ${group.join} ${best.join} ${where}
       GROUP BY 1 ORDER BY value IS NULL, ${group.order ?? 'value'}`,
    )
    .all(bind) as GroupRow[];
  const labels = args.by === 'experiment' ? experimentLabels(rows) : null;
  return rows.map((r, i) => ({
    value: r.value,
    label: labels ? labels[i] : r.value,
    count: r.count,
    ...(best.select === 'NULL' ? {} : { best: r.best === null ? null : toJsonNumber(r.best) }),
  }));
}

/** The best value per group of a `metrics.<key>[:stat]` sort: max when descending, min ascending. */
function bestTerm(sort: unknown, bind: Record<string, unknown>): { select: string; join: string } {
  const s = runSortArg(sort);
  const m = s ? /^metrics\.(.+?)(?::(last|min|max))?$/.exec(s.column) : null;
  if (!s || !m) return { select: 'NULL', join: '' };
  bind.bestKey = m[1];
  const stat = m[2] ?? 'last';
  return {
    select: `${s.direction === 'desc' ? 'max' : 'min'}(bs.${stat})`,
    join: 'LEFT JOIN metric_series bs ON bs.run_id = r.id AND bs.key = @bestKey',
  };
}

/** Experiment names, with the tool and the folder above when two groups share a name. */
function experimentLabels(rows: GroupRow[]): (string | null)[] {
  const named = (r: GroupRow) => r.name ?? 'no experiment';
  const count = (labels: string[]) => labels.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
  const names = count(rows.map(named));
  const withContext = (r: GroupRow, depth: number) => {
    const parent = r.path ? path.dirname(r.path.replace(/#.*$/, '')).split(/[\\/]/).filter(Boolean).slice(-depth).join('/') : '';
    return `${named(r)} — ${[r.format, parent].filter(Boolean).join(' · ')}`;
  };
  const once = rows.map((r) => (names.get(named(r))! > 1 ? withContext(r, 1) : named(r)));
  // Still ambiguous (same tool, same parent folder's name): one more folder of context.
  const again = count(once);
  return rows.map((r, i) => (again.get(once[i])! > 1 ? withContext(r, 3) : once[i]));
}

/**
 * A grouping as SQL: the group's value, the join that brings it, its order over groups, and the
 * same order for single rows (for listing runs group by group).
 */
export function groupColumn(by: GroupBy, bind: Record<string, unknown>): { value: string; join: string; order?: string; rowOrder: string } {
  switch (by) {
    case 'experiment':
      // By identity: experiments of different tools or folders may share a name ("main", "outputs").
      return {
        value: 'r.experiment_id',
        join: '',
        order: 'min(e.name) IS NULL, min(e.name), value',
        rowOrder: 'e.name IS NULL, e.name, r.experiment_id IS NULL, r.experiment_id',
      };
    case 'format':
      return { value: 'r.format', join: '', rowOrder: 'r.format' };
    case 'status':
      return { value: `(${STATUS_SQL})`, join: '', rowOrder: `(${STATUS_SQL})` };
  }
  const m = typeof by === 'string' ? /^(tags|params)\.(.+)$/.exec(by) : null;
  if (!m) throw badRequest(`Cannot group runs by "${String(by)}": use experiment, format, status, tags.<key> or params.<key>.`);
  bind.groupKey = m[2];
  return m[1] === 'tags'
    ? { value: 'g.value', join: 'LEFT JOIN tags g ON g.run_id = r.id AND g.key = @groupKey', rowOrder: 'g.value IS NULL, g.value' }
    : {
        value: 'g.value',
        join: 'LEFT JOIN params g ON g.run_id = r.id AND g.key = @groupKey',
        order: 'min(g.value_num) IS NULL, min(g.value_num), value',
        rowOrder: 'g.value IS NULL, g.value_num IS NULL, g.value_num, g.value',
      };
}
