import type { Migration } from './index.js';

/**
 * Keys source files by (run, path): formats that keep many runs in one file (an `mlflow.db`) give
 * every run its own record of that file, so a re-index can tell each run unchanged. Indexed data
 * only: the old rows are dropped, so the next pass finds no record and re-reads each run once.
 */
export const sourceFilesPerRun: Migration = {
  version: 2,
  name: 'source files per run',
  up(db) {
    db.exec(`
      DROP TABLE source_files;
      CREATE TABLE source_files (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
        format TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        ino INTEGER,
        read_offset INTEGER NOT NULL DEFAULT 0,
        head_hash TEXT,
        state TEXT,
        PRIMARY KEY (run_id, path)
      ) WITHOUT ROWID;
      CREATE INDEX source_files_path ON source_files(path);
      CREATE INDEX source_files_root ON source_files(root_id);
    `);
  },
};
