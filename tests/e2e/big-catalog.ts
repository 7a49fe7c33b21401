/**
 * Writes a catalog of N synthetic runs for the runs-table scale test: `tsx tests/e2e/big-catalog.ts <db> <runs>`.
 * Every run has the 20 params and 10 metrics of figure 5b of the benchmark, and a few of many rarer
 * keys (a sweep's extra params, probes' metrics): 375 keys in all, as in the catalog the issue measured,
 * where almost every cell of a rare key's column is empty.
 */
import { openCatalog } from '../../src/catalog/db.js';
import { writeSyntheticRuns } from '../../src/bench/synthetic-runs.js';

/** Rare keys: 200 params and 145 metrics, three of each per run. */
const RARE_PARAMS = 200;
const RARE_METRICS = 145;
const PER_RUN = 3;

const [dbPath, count] = process.argv.slice(2);
const db = openCatalog(dbPath);
writeSyntheticRuns(db, '/bench/runs', Number(count), (buf, n) => {
  for (let p = 0; p < 20; p++) buf.param(`param_${p}`, p % 2 ? String((n * 7 + p) % 1000) : `choice-${(n + p) % 5}`);
  for (let m = 0; m < 10; m++) buf.point(m === 0 ? 'val_acc' : `metric_${m}`, 0, ((n * 31 + m * 17) % 1000) / 1000);
  for (let j = 0; j < PER_RUN; j++) {
    const p = (n * PER_RUN + j) % RARE_PARAMS;
    buf.param(`sweep_${String(p).padStart(3, '0')}`, String((n + j) % 7));
    const m = (n * PER_RUN + j) % RARE_METRICS;
    buf.point(`probe_${String(m).padStart(3, '0')}/loss`, 0, ((n * 13 + j) % 100) / 100);
  }
});
db.pragma('wal_checkpoint(TRUNCATE)');
db.close();
