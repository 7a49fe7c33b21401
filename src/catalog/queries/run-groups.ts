import type { GroupBy, RunGroup } from '../../api/contract.js';
import { badRequest } from '../../api/errors.js';
import type { Db } from '../db.js';
import { RUN_FROM, STATUS_SQL } from '../query/columns.js';
import { runFilter } from '../query/index.js';

/**
 * How many of the runs matching a query fall in each group: by experiment, format, status, or the
 * value of a tag or param (null for runs without it). Groups come in value order — params by number
 * where they read as one — with the null group last.
 */
export function runGroups(db: Db, args: { query?: string; by: GroupBy; includeArchived?: boolean }): RunGroup[] {
  const filter = runFilter(args.query, args.includeArchived);
  const bind: Record<string, unknown> = { ...filter.bind, now: Date.now() };
  const group = groupColumn(args.by, bind);
  const where = filter.where.length ? `WHERE ${filter.where.join(' AND ')}` : '';
  return db
    .prepare(
      `SELECT ${group.value} AS value, count(*) AS count FROM ${RUN_FROM} ${group.join} ${where}
       GROUP BY 1 ORDER BY value IS NULL, ${group.order ?? 'value'}`,
    )
    .all(bind) as RunGroup[];
}

/**
 * A grouping as SQL: the group's value, the join that brings it, its order over groups, and the
 * same order for single rows (for listing runs group by group).
 */
export function groupColumn(by: GroupBy, bind: Record<string, unknown>): { value: string; join: string; order?: string; rowOrder: string } {
  switch (by) {
    case 'experiment':
      return { value: 'e.name', join: '', rowOrder: 'e.name IS NULL, e.name' };
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
