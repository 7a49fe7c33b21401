/**
 * Models as entries of their own: keyed by where they are (and, for registry versions, which
 * version), linked to the runs that produced them by `lineage` rows, never deleted with a run. A
 * model goes when its files do (`removeMissing`), taking its lineage and ledger rows with it.
 */
import type { ModelRecord } from '../../formats/adapter.js';
import type { Db } from '../db.js';
import { modelId } from '../ids.js';

export interface StoredModel {
  id: string;
  path: string;
}

export class Models {
  private readonly s;

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      // A re-read refreshes what the files say and keeps the row (its id, first sighting, hash).
      upsert: p(
        `INSERT INTO models (id, root_id, name, path, format, framework, version, size_bytes, stage, first_seen_at, updated_at)
         VALUES (@id, @rootId, @name, @path, @format, @framework, @version, @sizeBytes, @stage, @now, @now)
         ON CONFLICT(id) DO UPDATE SET root_id = excluded.root_id, name = excluded.name, path = excluded.path,
           format = excluded.format, framework = excluded.framework, version = excluded.version,
           size_bytes = excluded.size_bytes, stage = excluded.stage, updated_at = excluded.updated_at`,
      ),
      link: p("INSERT OR IGNORE INTO lineage (src_kind, src_id, relation, dst_kind, dst_id) VALUES ('run', ?, 'produced', 'model', ?)"),
      linked: p("SELECT dst_id FROM lineage WHERE src_kind = 'run' AND src_id = ? AND relation = 'produced' AND dst_kind = 'model'").pluck(),
      unlink: p("DELETE FROM lineage WHERE src_kind = 'run' AND src_id = ? AND relation = 'produced' AND dst_kind = 'model' AND dst_id = ?"),
      ofRoot: p('SELECT id, path FROM models WHERE root_id = ? ORDER BY path'),
      isLinked: p("SELECT 1 FROM lineage WHERE dst_kind = 'model' AND dst_id = ? LIMIT 1").pluck(),
      ofRuns: p(
        `SELECT m.id, m.path FROM models m JOIN lineage l ON l.dst_kind = 'model' AND l.dst_id = m.id
         WHERE l.src_kind = 'run' AND l.relation = 'produced' AND l.src_id IN (SELECT value FROM json_each(?))`,
      ),
      remove: p('DELETE FROM models WHERE id = ?'),
      lineageOf: p("DELETE FROM lineage WHERE (src_kind = 'model' AND src_id = ?) OR (dst_kind = 'model' AND dst_id = ?)"),
      files: p("DELETE FROM file_entries WHERE entry_kind = 'model' AND entry_id = ?"),
    };
  }

  /**
   * The models one read of a run lists: upserted and linked to it. With `complete` (the read listed
   * them all), links to models it no longer lists go; the models themselves stay until their files do.
   */
  fromRun(rootId: number, runId: string, models: readonly ModelRecord[], now: number, complete: boolean): void {
    const ids = new Set<string>();
    for (const m of models) ids.add(this.upsert(rootId, m, now, runId));
    if (!complete) return;
    for (const id of this.s.linked.all(runId) as string[]) if (!ids.has(id)) this.s.unlink.run(runId, id);
  }

  /** Upserts a model an inspector found (linked to the run whose folder holds it, if any); returns its id. */
  upsert(rootId: number, m: ModelRecord, now: number, producedBy: string | null): string {
    const id = idOf(m);
    this.s.upsert.run({
      id, rootId, name: m.name, path: m.path, format: m.format, framework: m.framework, version: m.version,
      sizeBytes: m.sizeBytes, stage: m.stage ?? null, now,
    });
    if (producedBy) this.s.link.run(producedBy, id);
    return id;
  }

  ofRoot(rootId: number): StoredModel[] {
    return this.s.ofRoot.all(rootId) as StoredModel[];
  }

  /** Whether some run (or other entry) links to the model. */
  isLinked(id: string): boolean {
    return this.s.isLinked.get(id) !== undefined;
  }

  /** The models the given runs produced. */
  ofRuns(runIds: string[]): StoredModel[] {
    return runIds.length ? (this.s.ofRuns.all(JSON.stringify(runIds)) as StoredModel[]) : [];
  }

  /** Removes a model whose files are gone, with its lineage and its ledger memberships. */
  remove(id: string): void {
    this.s.remove.run(id);
    this.s.lineageOf.run(id, id);
    this.s.files.run(id);
  }
}

/** Keyed by version too: two registry versions registered from one folder are two models. */
const idOf = (m: ModelRecord) => modelId(m.format, m.version === null ? m.path : `${m.path}\0${m.version}`);
