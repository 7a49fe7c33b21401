import type { ModelSummary } from '../../api/contract.js';
import type { Db } from '../db.js';

interface ModelRow {
  id: string;
  name: string;
  path: string;
  format: string;
  framework: string | null;
  version: string | null;
  sizeBytes: number | null;
  stage: string | null;
  run: string | null;
}

/** Every model in the catalog, by path. Models are not hashed yet, and each has at most one run. */
export function listModelSummaries(db: Db): ModelSummary[] {
  const rows = db
    .prepare(
      `SELECT id, name, path, format, framework, version, size_bytes AS sizeBytes, stage, run_id AS run
       FROM models ORDER BY path`,
    )
    .all() as ModelRow[];
  return rows.map(({ run, ...m }) => ({ ...m, sha256: null, hashedAt: null, runIds: run ? [run] : [] }));
}
