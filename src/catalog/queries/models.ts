import type { ModelSummary } from '../../api/contract.js';
import type { Db } from '../db.js';

type ModelRow = Omit<ModelSummary, 'runIds'> & { runIds: string };

/** Every model in the catalog, by path: its hash from the file ledger, the runs that produced it from lineage. */
export function listModelSummaries(db: Db): ModelSummary[] {
  const rows = db
    .prepare(
      `SELECT m.id, m.name, m.path, m.format, m.framework, m.version, m.size_bytes AS sizeBytes, m.stage,
              f.sha256, f.hashed_at AS hashedAt,
              (SELECT json_group_array(src_id) FROM (
                 SELECT l.src_id FROM lineage l
                 WHERE l.dst_kind = 'model' AND l.dst_id = m.id AND l.src_kind = 'run' AND l.relation = 'produced'
                 ORDER BY l.src_id)) AS runIds
       FROM models m LEFT JOIN files f ON f.path = m.path ORDER BY m.path`,
    )
    .all() as ModelRow[];
  return rows.map((r) => ({ ...r, runIds: JSON.parse(r.runIds) as string[] }));
}
