import path from 'node:path';
import type { ModelInfo, ProblemInfo, RunDetail } from '../../api/contract.js';
import { ApiError, notFound } from '../../api/errors.js';
import type { Db } from '../db.js';
import { RUN_COLUMNS, RUN_FROM, summarizeRuns, type RunRow } from './runs.js';
import { wholeNumberArg } from './list-args.js';

/**
 * Finds a run by id, unique id prefix, folder path or unique name, so CLI users can type what
 * they see. Throws NotFound or BadRequest (ambiguous) with what to try next.
 */
export function resolveRunId(db: Db, ref: string): string {
  if (typeof ref !== 'string' || !ref) throw new ApiError('BadRequest', 'Name the run: its id (or a unique prefix), folder path or name, as a string.');
  const byId = db.prepare('SELECT id FROM runs WHERE id = ?').pluck().get(ref) as string | undefined;
  if (byId) return byId;
  // A notebook's path names each of its executions: the newest is meant.
  const byPath = db
    .prepare('SELECT id FROM runs WHERE path = ? ORDER BY start_time DESC NULLS LAST, execution DESC LIMIT 1')
    .pluck()
    .get(path.resolve(ref)) as string | undefined;
  if (byPath) return byPath;
  const candidates = new Set<string>();
  if (/^[0-9a-f]{4,}$/.test(ref)) {
    for (const id of db.prepare("SELECT id FROM runs WHERE id LIKE ? || '%'").pluck().all(ref) as string[]) candidates.add(id);
  }
  if (candidates.size === 0) {
    const named = db
      .prepare(`SELECT r.id FROM runs r LEFT JOIN run_annotations a ON a.run_id = r.id
                WHERE r.name = ? OR a.display_name = ?`)
      .pluck()
      .all(ref, ref) as string[];
    for (const id of named) candidates.add(id);
  }
  if (candidates.size === 1) return [...candidates][0];
  if (candidates.size > 1) {
    throw new ApiError('BadRequest', `"${ref}" matches ${candidates.size} runs; use the run id (see \`labdesk runs\`).`);
  }
  throw notFound(`No run "${ref}" in the catalog. List runs with \`labdesk runs\`, or index a folder first.`);
}

interface ProblemRow {
  id: number;
  path: string;
  format: string;
  message: string;
  created_at: number;
  run_id: string | null;
}

export const toProblem = (p: ProblemRow): ProblemInfo => ({
  id: p.id, path: p.path, format: p.format, message: p.message, time: p.created_at, runId: p.run_id,
});

/** A model's columns, its hash from the file ledger, and the first run that produced it (lineage). */
export const MODEL_COLUMNS = `m.id, m.name, m.path, m.format, m.framework,
  (SELECT l.src_id FROM lineage l WHERE l.dst_kind = 'model' AND l.dst_id = m.id AND l.relation = 'produced' AND l.src_kind = 'run'
   ORDER BY l.src_id LIMIT 1) AS run,
  m.version, m.size_bytes AS sizeBytes, m.stage, f.sha256, f.hashed_at AS hashedAt`;
const MODEL_FROM = 'models m LEFT JOIN files f ON f.path = m.path';

/** Everything the catalog knows about one run. */
export function getRun(db: Db, id: string): RunDetail {
  const row = db.prepare(`SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE r.id = @id`).get({ id, now: Date.now() }) as RunRow | undefined;
  if (!row) throw notFound(`No run with id ${id}: it may have been removed from disk. Refresh the runs list.`);
  const [summary] = summarizeRuns(db, [row]);
  const tags: Record<string, string> = {};
  for (const t of db.prepare('SELECT key, value FROM tags WHERE run_id = ? ORDER BY key').all(id) as { key: string; value: string }[]) {
    tags[t.key] = t.value;
  }
  return {
    ...summary,
    originalName: row.original_name,
    tags,
    gitCommit: db.prepare('SELECT git_commit FROM runs WHERE id = ?').pluck().get(id) as string | null,
    note: row.note,
    sourceFiles: db
      .prepare(
        "SELECT path, size AS sizeBytes, mtime_ms AS mtime, read_offset AS readOffset FROM file_entries WHERE entry_kind = 'run' AND entry_id = ? ORDER BY path",
      )
      .all(id) as RunDetail['sourceFiles'],
    artifacts: db
      .prepare('SELECT path, kind, size_bytes AS sizeBytes FROM artifacts WHERE run_id = ? ORDER BY path')
      .all(id) as RunDetail['artifacts'],
    models: db
      .prepare(
        `SELECT ${MODEL_COLUMNS} FROM ${MODEL_FROM} JOIN lineage p ON p.dst_kind = 'model' AND p.dst_id = m.id
         WHERE p.src_kind = 'run' AND p.src_id = ? AND p.relation = 'produced' ORDER BY m.path`,
      )
      .all(id) as ModelInfo[],
    problems: (db.prepare('SELECT * FROM problems WHERE run_id = ? ORDER BY id').all(id) as ProblemRow[]).map(toProblem),
  };
}

/** The newest problems first. */
export function listProblems(db: Db, limit?: number): ProblemInfo[] {
  const n = wholeNumberArg('limit', limit, 1000);
  return (db.prepare('SELECT * FROM problems ORDER BY created_at DESC, id DESC LIMIT ?').all(n) as ProblemRow[]).map(toProblem);
}

