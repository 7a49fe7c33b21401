import type { RunKeys } from '../../api/contract.js';
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
