import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { migrate, SCHEMA_VERSION } from '../../src/catalog/migrate.js';
import { migrations } from '../../src/catalog/migrations/index.js';
import { tempDir } from '../helpers.js';

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
});
