import type { Migration } from './index.js';

/**
 * The first schema. Indexed data (everything read from files) is keyed by stable ids and can be
 * dropped and rebuilt at any time; user data (run_annotations, user_tags, experiment_annotations) has
 * no foreign keys to indexed rows, so it survives re-indexing and a run vanishing and coming back.
 *
 * Metric points are stored in chunks per series: each chunk holds up to CHUNK_POINTS points as three
 * little-endian Float64 arrays (steps, values, wall times; NaN = unknown time), with the chunk's step
 * range and min/max so that range reads and coarse downsampling can skip chunks.
 * Summary columns use SQL NULL for NaN (SQLite cannot store NaN); ±Infinity are stored as is.
 */
export const initialSchema: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE roots (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        added_at INTEGER NOT NULL,
        last_indexed_at INTEGER,
        status TEXT NOT NULL DEFAULT 'idle'
      );

      CREATE TABLE experiments (
        id TEXT PRIMARY KEY,
        root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        format TEXT NOT NULL,
        path TEXT NOT NULL
      );

      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
        experiment_id TEXT REFERENCES experiments(id) ON DELETE SET NULL,
        format TEXT NOT NULL,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        -- The status the format declares; NULL means infer it from last_write_at at query time.
        status TEXT,
        start_time INTEGER,
        end_time INTEGER,
        last_write_at INTEGER,
        git_commit TEXT,
        indexed_at INTEGER NOT NULL
      );
      CREATE INDEX runs_root ON runs(root_id);
      CREATE INDEX runs_experiment ON runs(experiment_id);
      CREATE INDEX runs_start ON runs(start_time);

      CREATE TABLE params (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        -- The value as a number when it reads as one, so params.lr < 0.01 compares numerically.
        value_num REAL,
        PRIMARY KEY (run_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX params_key ON params(key, value_num, value);

      CREATE TABLE tags (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
      ) WITHOUT ROWID;

      CREATE TABLE metric_series (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        count INTEGER NOT NULL,
        last REAL,
        min REAL,
        max REAL,
        first_step REAL,
        last_step REAL,
        last_wall_time REAL,
        UNIQUE (run_id, key)
      );
      CREATE INDEX metric_series_key ON metric_series(key, last);

      CREATE TABLE metric_chunks (
        id INTEGER PRIMARY KEY,
        series_id INTEGER NOT NULL REFERENCES metric_series(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        count INTEGER NOT NULL,
        first_step REAL NOT NULL,
        last_step REAL NOT NULL,
        min REAL,
        max REAL,
        has_nan INTEGER NOT NULL,
        steps BLOB NOT NULL,
        vals BLOB NOT NULL,
        times BLOB NOT NULL,
        UNIQUE (series_id, seq)
      );

      CREATE TABLE source_files (
        path TEXT PRIMARY KEY,
        root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
        run_id TEXT REFERENCES runs(id) ON DELETE CASCADE,
        format TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        ino INTEGER,
        read_offset INTEGER NOT NULL DEFAULT 0,
        head_hash TEXT,
        -- Adapter state needed to resume reading at read_offset (e.g. a CSV header), as JSON.
        state TEXT
      );
      CREATE INDEX source_files_run ON source_files(run_id);
      CREATE INDEX source_files_root ON source_files(root_id);

      CREATE TABLE artifacts (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        kind TEXT NOT NULL,
        size_bytes INTEGER,
        PRIMARY KEY (run_id, path)
      ) WITHOUT ROWID;

      CREATE TABLE models (
        id TEXT PRIMARY KEY,
        root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
        run_id TEXT REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        format TEXT NOT NULL,
        framework TEXT,
        version TEXT,
        size_bytes INTEGER
      );
      CREATE INDEX models_run ON models(run_id);

      CREATE TABLE datasets (
        id TEXT PRIMARY KEY,
        root_id INTEGER REFERENCES roots(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        format TEXT NOT NULL,
        size_bytes INTEGER,
        fingerprint TEXT
      );

      -- Typed edges between catalog entries: (run, used, dataset), (run, produced, model), ...
      CREATE TABLE lineage (
        src_kind TEXT NOT NULL,
        src_id TEXT NOT NULL,
        relation TEXT NOT NULL,
        dst_kind TEXT NOT NULL,
        dst_id TEXT NOT NULL,
        PRIMARY KEY (src_kind, src_id, relation, dst_kind, dst_id)
      ) WITHOUT ROWID;

      CREATE TABLE problems (
        id INTEGER PRIMARY KEY,
        root_id INTEGER REFERENCES roots(id) ON DELETE CASCADE,
        run_id TEXT REFERENCES runs(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        format TEXT NOT NULL,
        message TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX problems_run ON problems(run_id);
      CREATE INDEX problems_root ON problems(root_id);

      -- User data: no foreign keys to indexed rows, on purpose (see above).
      CREATE TABLE run_annotations (
        run_id TEXT PRIMARY KEY,
        display_name TEXT,
        note TEXT NOT NULL DEFAULT '',
        starred INTEGER NOT NULL DEFAULT 0,
        archived INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE user_tags (
        run_id TEXT NOT NULL,
        tag TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, tag)
      ) WITHOUT ROWID;

      CREATE TABLE experiment_annotations (
        experiment_id TEXT PRIMARY KEY,
        display_name TEXT,
        note TEXT NOT NULL DEFAULT '',
        updated_at INTEGER NOT NULL
      );
    `);
  },
};
