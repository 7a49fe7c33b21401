/** Datasets as entries of their own, found by inspectors; a dataset goes when its files do. */
import type { DatasetRecord } from '../../formats/adapter.js';
import type { Db } from '../db.js';
import { datasetId } from '../ids.js';
import type { StoredModel } from './models.js';

export type StoredDataset = StoredModel;

export class Datasets {
  private readonly s;

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      upsert: p(
        `INSERT INTO datasets (id, root_id, name, path, format, size_bytes) VALUES (@id, @rootId, @name, @path, @format, @sizeBytes)
         ON CONFLICT(id) DO UPDATE SET root_id = excluded.root_id, name = excluded.name, path = excluded.path,
           format = excluded.format, size_bytes = excluded.size_bytes`,
      ),
      ofRoot: p('SELECT id, path FROM datasets WHERE root_id = ? ORDER BY path'),
      remove: p('DELETE FROM datasets WHERE id = ?'),
      lineageOf: p("DELETE FROM lineage WHERE (src_kind = 'dataset' AND src_id = ?) OR (dst_kind = 'dataset' AND dst_id = ?)"),
      files: p("DELETE FROM file_entries WHERE entry_kind = 'dataset' AND entry_id = ?"),
    };
  }

  /** Upserts a dataset an inspector found; returns its id. */
  upsert(rootId: number, d: DatasetRecord): string {
    const id = datasetId(d.format, d.path);
    this.s.upsert.run({ id, rootId, name: d.name, path: d.path, format: d.format, sizeBytes: d.sizeBytes });
    return id;
  }

  ofRoot(rootId: number): StoredDataset[] {
    return this.s.ofRoot.all(rootId) as StoredDataset[];
  }

  remove(id: string): void {
    this.s.remove.run(id);
    this.s.lineageOf.run(id, id);
    this.s.files.run(id);
  }
}
