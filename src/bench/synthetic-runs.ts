import type { Db } from '../catalog/db.js';
import { addRoot } from '../catalog/queries/roots.js';
import { RunWriter } from '../catalog/write-run.js';
import { RunBuffer } from '../index/run-buffer.js';

/**
 * Writes runs straight through the catalog's writer, skipping file reading: the query figures
 * need a big catalog, not the time to index one. `fill` puts each run's params and points.
 */
export function writeSyntheticRuns(
  db: Db,
  rootFolder: string,
  count: number,
  fill: (buf: RunBuffer, n: number) => void,
  perTransaction = 5000,
): string[] {
  const root = addRoot(db, rootFolder);
  const writer = new RunWriter(db);
  const ids: string[] = [];
  const now = Date.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const exp = `exp-${String(n % 100).padStart(3, '0')}`;
      const buf = new RunBuffer({
        format: 'bench',
        path: `${rootFolder}/${exp}/run-${String(n).padStart(6, '0')}`,
        files: [],
        experiment: { name: exp, path: `${rootFolder}/${exp}` },
        claimsSubtree: true,
      });
      fill(buf, n);
      ids.push(writer.write(root.id, buf, new Map(), now));
    }
  });
  for (let from = 0; from < count; from += perTransaction) batch(from, Math.min(count, from + perTransaction));
  return ids;
}
