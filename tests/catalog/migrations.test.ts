import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { migrate, SCHEMA_VERSION } from '../../src/catalog/migrate.js';
import { migrations } from '../../src/catalog/migrations/index.js';
import { stableId } from '../../src/catalog/ids.js';
import { createCore } from '../../src/core.js';
import { notebook } from '../../src/formats/notebook/index.js';
import { copyFixture, onCleanup, tempDir } from '../helpers.js';

describe('catalog migrations', () => {
  it('creates a WAL catalog at the latest schema version', () => {
    const file = path.join(tempDir(), 'c.db');
    const db = openCatalog(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a catalog written by a newer Labdesk, leaving it untouched', () => {
    const file = path.join(tempDir(), 'c.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openCatalog(file)).toThrow(/schema version .* Update Labdesk/);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    again.close();
  });

  it('numbers migrations 1..n with no gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  // Each migration: user data written at the version before it survives it and every later one.
  for (const m of migrations) {
    it(`keeps user annotations and tags through migration ${m.version} (${m.name})`, () => {
      const file = path.join(tempDir(), 'c.db');
      const db = new Database(file);
      migrate(db, Math.max(1, m.version - 1));
      db.prepare("INSERT INTO run_annotations (run_id, display_name, note, starred, updated_at) VALUES ('r1', 'best', '# note', 1, 1)").run();
      db.prepare("INSERT INTO user_tags (run_id, tag, created_at) VALUES ('r1', 'baseline', 1)").run();
      migrate(db);
      expect(db.prepare('SELECT display_name, note, starred FROM run_annotations').get()).toEqual({ display_name: 'best', note: '# note', starred: 1 });
      expect(db.prepare('SELECT tag FROM user_tags').pluck().all()).toEqual(['baseline']);
      db.close();
    });
  }

  it('never drops or rebuilds a user-data table in any migration', () => {
    for (const m of migrations) {
      const source = m.up.toString();
      expect(source).not.toMatch(/DROP\s+TABLE\s+(IF\s+EXISTS\s+)?(run_annotations|user_tags|experiment_annotations)/i);
    }
  });

  it('migration 10 moves source files into the ledger and run-owned models into lineage, keeping read offsets', () => {
    const db = new Database(path.join(tempDir(), 'c.db'));
    migrate(db, 9);
    db.exec(`
      INSERT INTO roots (id, path, added_at) VALUES (1, '/data', 1);
      INSERT INTO runs (id, root_id, format, name, path, indexed_at) VALUES ('r1', 1, 'lightning-csv', 'v0', '/data/v0', 1);
      INSERT INTO source_files (run_id, path, root_id, format, size, mtime_ms, ino, read_offset, head_hash, state)
        VALUES ('r1', '/data/v0/metrics.csv', 1, 'lightning-csv', 120, 5.5, 77, 120, 'h', '{"header":["step"]}');
      INSERT INTO models (id, root_id, run_id, name, path, format, framework, version, size_bytes, stage)
        VALUES ('m1', 1, 'r1', 'v0/best', '/data/v0/checkpoints/best.ckpt', 'lightning-checkpoint', 'pytorch-lightning', NULL, 9, NULL);
    `);
    migrate(db);
    expect(db.prepare('SELECT path, entry_kind, entry_id, size, mtime_ms, ino, read_offset, head_hash, state FROM file_entries').all()).toEqual([
      { path: '/data/v0/metrics.csv', entry_kind: 'run', entry_id: 'r1', size: 120, mtime_ms: 5.5, ino: 77, read_offset: 120, head_hash: 'h', state: '{"header":["step"]}' },
    ]);
    expect(db.prepare('SELECT path, size, sha256 FROM files').all()).toEqual([{ path: '/data/v0/metrics.csv', size: 120, sha256: null }]);
    expect(db.prepare('SELECT id, name, stage FROM models').all()).toEqual([{ id: 'm1', name: 'v0/best', stage: null }]);
    expect(db.prepare('SELECT src_kind, src_id, relation, dst_kind, dst_id FROM lineage').all()).toEqual([
      { src_kind: 'run', src_id: 'r1', relation: 'produced', dst_kind: 'model', dst_id: 'm1' },
    ]);
    // A model is an entry of its own now: deleting its run leaves it.
    db.prepare("DELETE FROM runs WHERE id = 'r1'").run();
    expect(db.prepare('SELECT count(*) FROM models').pluck().get()).toBe(1);
    db.close();
  });

  it('migration 9 adds runs.time_note, null for existing runs until they are indexed again', () => {
    const db = new Database(path.join(tempDir(), 'c.db'));
    migrate(db, 8);
    db.exec(`
      INSERT INTO roots (id, path, added_at) VALUES (1, '/data', 1);
      INSERT INTO runs (id, root_id, format, name, path, start_time, indexed_at) VALUES ('r1', 1, 'keras-csv', 'log', '/data/log.csv', 5, 1);
    `);
    migrate(db);
    expect(db.prepare('SELECT start_time, time_note FROM runs').get()).toEqual({ start_time: 5, time_note: null });
    db.close();
  });

  it('migration 8 rebuilds the search words with metric names, and user edits still reach them', () => {
    const db = new Database(path.join(tempDir(), 'c.db'));
    migrate(db, 7);
    db.exec(`
      INSERT INTO roots (id, path, added_at) VALUES (1, '/data', 1);
      INSERT INTO runs (id, root_id, format, name, path, indexed_at) VALUES ('r1', 1, 'tensorboard', 'owl', '/data/r1', 1);
      INSERT INTO metric_series (run_id, key, count) VALUES ('r1', 'train/loss', 1);
      INSERT INTO run_search (run_id) VALUES ('r1');
    `);
    const hits = (q: string) => db.prepare('SELECT count(*) FROM run_search_text WHERE run_search_text MATCH ?').pluck().get(q);
    expect(hits('"train loss"')).toBe(0);
    migrate(db);
    expect(hits('metrics:"train loss"')).toBe(1);
    expect(hits('name:owl')).toBe(1);
    // The user-tag trigger of migration 5 touches run_search, whose recreated trigger rewrites the words.
    db.prepare("INSERT INTO user_tags (run_id, tag, created_at) VALUES ('r1', 'baseline', 1)").run();
    expect(hits('labels:baseline')).toBe(1);
    expect(hits('metrics:"train loss"')).toBe(1);
    db.close();
  });

  it('migration 7 moves a notebook run\'s execution out of its path, keeping its id, annotations and search words', async () => {
    const dir = copyFixture('realruns/notebooks');
    const nb = path.join(dir, 'train_churn.ipynb');
    const legacy = `${nb}#exec=2026-11-22T16:39:25.540473Z`;
    const id = stableId('run', 'notebook', legacy); // how schema 6 named the run: by the location with the execution
    const file = path.join(tempDir(), 'c.db');
    const db = new Database(file);
    migrate(db, 6);
    // The rows schema 6 held for the indexed nbconvert notebook, as its indexer wrote them.
    db.prepare('INSERT INTO roots (id, path, added_at) VALUES (1, ?, 1)').run(dir);
    db.prepare("INSERT INTO experiments (id, root_id, name, format, path) VALUES ('e1', 1, 'train_churn.ipynb', 'notebook', ?)").run(`${dir}#notebook=train_churn`);
    db.prepare("INSERT INTO runs (id, root_id, experiment_id, format, name, path, status, indexed_at) VALUES (?, 1, 'e1', 'notebook', 'train_churn.ipynb', ?, 'finished', 1)").run(id, legacy);
    db.prepare("INSERT INTO runs (id, root_id, experiment_id, format, name, path, indexed_at) VALUES ('plain', 1, 'e1', 'lightning-csv', 'v0', ?, 1)").run(path.join(dir, 'logs#exec=x'));
    db.prepare('INSERT INTO run_search (run_id) VALUES (?)').run(id);
    db.prepare("INSERT INTO run_annotations (run_id, display_name, note, starred, updated_at) VALUES (?, 'churn baseline', '', 1, 1)").run(id);
    db.prepare("INSERT INTO user_tags (run_id, tag, created_at) VALUES (?, 'keep', 1)").run(id);
    const words = () => db.prepare("SELECT count(*) FROM run_search_text WHERE run_search_text MATCH 'path:\"2026 11 22t16\"'").pluck().get();
    expect(words()).toBe(1);
    migrate(db);
    expect(db.prepare('SELECT id, path, execution FROM runs ORDER BY id').all()).toEqual([
      { id, path: nb, execution: '2026-11-22T16:39:25.540473Z' },
      // Only notebook runs had executions in their paths.
      { id: 'plain', path: path.join(dir, 'logs#exec=x'), execution: null },
    ]);
    expect(words()).toBe(0); // the execution's words left the path column with it
    db.prepare("DELETE FROM runs WHERE id = 'plain'").run();
    db.close();

    // Indexing the folder again finds the same run (same id), still renamed, starred and tagged.
    const core = await createCore({ dbPath: file });
    onCleanup(() => core.close());
    await core.indexFolders([dir], { adapters: [notebook] });
    const runs = (await core.api['runs.list']({ limit: 10, query: 'train_churn' })).rows;
    expect(runs.map((r) => [r.id, r.name, r.starred, r.userTags, r.path, r.execution])).toEqual([
      [id, 'churn baseline', true, ['keep'], nb, '2026-11-22T16:39:25.540473Z'],
    ]);
  });
});
