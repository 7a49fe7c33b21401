import type { RunKeys } from '../../api/contract.js';
import { badRequest } from '../../api/errors.js';
import type { Db } from '../db.js';
import { distinctKeys } from './runs.js';

/** Every param, metric and tool-tag key in the catalog, ascending: one index seek per distinct key. */
export function runKeys(db: Db): RunKeys {
  return {
    paramKeys: distinctKeys(db, 'params'),
    metricKeys: distinctKeys(db, 'metric_series'),
    tagKeys: distinctKeys(db, 'tags'),
  };
}

/** The 20 most common values of one param or tag key (starting with `prefix`, ignoring case). */
export function runValues(db: Db, args: { field: string; key: string; prefix?: string }): { values: string[] } {
  if (args?.field !== 'params' && args?.field !== 'tags') throw badRequest('field must be "params" or "tags".');
  if (typeof args.key !== 'string') throw badRequest('key must be a string.');
  const like = `${String(args.prefix ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const values = db
    .prepare(
      `SELECT value FROM ${args.field} WHERE key = ? AND value LIKE ? ESCAPE '\\'
       GROUP BY value ORDER BY count(*) DESC, value LIMIT 20`,
    )
    .pluck()
    .all(args.key, like) as string[];
  return { values };
}
