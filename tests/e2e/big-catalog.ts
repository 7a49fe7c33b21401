/**
 * Writes a catalog of N synthetic runs (20 params, 10 metrics each, as figure 5b of the benchmark)
 * for the runs-table scale test: `tsx tests/e2e/big-catalog.ts <db> <runs>`.
 */
import { openCatalog } from '../../src/catalog/db.js';
import { writeSyntheticRuns } from '../../src/bench/synthetic-runs.js';

const [dbPath, count] = process.argv.slice(2);
const db = openCatalog(dbPath);
writeSyntheticRuns(db, '/bench/runs', Number(count), (buf, n) => {
  for (let p = 0; p < 20; p++) buf.param(`param_${p}`, p % 2 ? String((n * 7 + p) % 1000) : `choice-${(n + p) % 5}`);
  for (let m = 0; m < 10; m++) buf.point(m === 0 ? 'val_acc' : `metric_${m}`, 0, ((n * 31 + m * 17) % 1000) / 1000);
});
db.pragma('wal_checkpoint(TRUNCATE)');
db.close();
