import type { Migration } from './index.js';

/**
 * One file ledger, and models as entries of their own.
 *
 * - `files`: every file an entry is read from, keyed by path: its stat identity (device, inode, size,
 *   mtime) and its SHA-256 with when it was computed. The hash holds for that identity only: a new
 *   identity clears it (see `ledger.ts`), so an unchanged file is never hashed twice.
 * - `file_entries`: which entries (runs, models, datasets) a file belongs to, with what each entry's
 *   last read saw of it (stat, read offset, resume state, head fingerprint): change detection and
 *   tail reads. It replaces `source_files`, whose rows move over, so no run is read again for it.
 * - `models` lose `run_id` and its cascade: a run produced a model is a `lineage` row, and a model
 *   stays while its files do, whatever happens to the run. Existing links move to `lineage`.
 *
 * Indexed data only: no user table is touched.
 */
export const fileLedger: Migration = {
  version: 10,
  name: 'file ledger',
  up(db) {
    db.exec(`
      CREATE TABLE files (
        path TEXT PRIMARY KEY,
        root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
        dev INTEGER,
        ino INTEGER,
        size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        seen_at INTEGER NOT NULL,
        sha256 TEXT,
        hashed_at INTEGER
      ) WITHOUT ROWID;
      CREATE INDEX files_root ON files(root_id);

      CREATE TABLE file_entries (
        path TEXT NOT NULL,
        entry_kind TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
        format TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        ino INTEGER,
        read_offset INTEGER NOT NULL DEFAULT 0,
        head_hash TEXT,
        state TEXT,
        PRIMARY KEY (path, entry_kind, entry_id)
      ) WITHOUT ROWID;
      CREATE INDEX file_entries_entry ON file_entries(entry_kind, entry_id);
      CREATE INDEX file_entries_root ON file_entries(root_id, entry_kind);

      INSERT INTO file_entries (path, entry_kind, entry_id, root_id, format, size, mtime_ms, ino, read_offset, head_hash, state)
        SELECT path, 'run', run_id, root_id, format, size, mtime_ms, ino, read_offset, head_hash, state FROM source_files;
      INSERT OR IGNORE INTO files (path, root_id, ino, size, mtime_ms, seen_at)
        SELECT path, root_id, ino, size, mtime_ms, CAST(strftime('%s', 'now') AS INTEGER) * 1000 FROM source_files;
      DROP TABLE source_files;

      CREATE TABLE models_new (
        id TEXT PRIMARY KEY,
        root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        format TEXT NOT NULL,
        framework TEXT,
        version TEXT,
        size_bytes INTEGER,
        stage TEXT,
        first_seen_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      INSERT INTO models_new (id, root_id, name, path, format, framework, version, size_bytes, stage, first_seen_at, updated_at)
        SELECT id, root_id, name, path, format, framework, version, size_bytes, stage,
               CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000 FROM models;
      INSERT OR IGNORE INTO lineage (src_kind, src_id, relation, dst_kind, dst_id)
        SELECT 'run', run_id, 'produced', 'model', id FROM models WHERE run_id IS NOT NULL;
      DROP TABLE models;
      ALTER TABLE models_new RENAME TO models;
      CREATE INDEX models_root ON models(root_id);
      CREATE INDEX models_path ON models(path);

      CREATE INDEX lineage_dst ON lineage(dst_kind, dst_id, relation);
    `);
  },
};
