import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
// Before any database opens: lets foreign databases be opened immutable (see the module).
import '../util/sqlite-uri.js';
import { sqliteBindingOptions, useSqliteBinding } from '../util/sqlite-binding.js';
import { migrate } from './migrate.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** better-sqlite3 native binding (the Electron-ABI build inside Electron). */
  nativeBinding?: string;
}

/**
 * Runs `work` as one transaction (nested: a savepoint): the catalog's unit of work for callers
 * outside src/catalog/, which write only through its repositories.
 */
export function inTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work)();
}

/** Opens (creating if needed) a catalog file in WAL mode and brings its schema up to date. */
export function openCatalog(file: string, options: OpenOptions = {}): Db {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  useSqliteBinding(options.nativeBinding);
  const db = new Database(file, sqliteBindingOptions());
  try {
    // Metric chunks are ~32 KB blobs: 16 KB pages halve their overflow chains (a new file only;
    // an existing catalog keeps its page size).
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across app crashes in WAL mode; only an OS crash can lose the last commit.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -32000');
    db.pragma('temp_store = MEMORY');
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
