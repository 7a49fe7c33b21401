import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { sqliteBindingOptions } from '../../util/sqlite-binding.js';
import '../../util/sqlite-uri.js';

/** A database another tool wrote, opened so that nothing is created or changed beside it. */
export interface ForeignDb {
  db: Database.Database;
  /** How it was opened: `live` reads through the writer's WAL, `immutable` the file alone, `copy` a private copy. */
  mode: 'readonly' | 'live' | 'immutable' | 'copy';
  close(): void;
}

/**
 * Opens someone else's SQLite file (an `mlflow.db`) without writing next to it. A plain read-only
 * connection to a WAL-mode file creates `-wal` and `-shm` beside it (and leaves them), so:
 * - a rollback-journal file (header bytes 18/19 = 1) is opened read-only as is: readers create nothing;
 * - a WAL-mode file whose writer is live (its `-wal` and `-shm` exist) is opened read-only as is,
 *   reading the newest committed rows through the writer's log and creating nothing new;
 * - any other WAL-mode file is opened `immutable=1`: nothing is waiting in a log, and SQLite then
 *   neither locks nor creates anything. Where URI filenames are off (the addon was loaded before
 *   `sqlite-uri` ran), a private copy in the temp folder is opened instead.
 * Throws what better-sqlite3 throws (SQLITE_NOTADB, SQLITE_CANTOPEN, ...).
 */
export function openForeignSqlite(file: string): ForeignDb {
  // SQLite would block opening a FIFO, and a device is no database.
  if (!fs.statSync(file).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
  const plain = (): Database.Database => new Database(file, { ...sqliteBindingOptions(), readonly: true, fileMustExist: true });
  if (!usesWal(file)) return wrap(plain(), 'readonly');
  if (fs.existsSync(`${file}-wal`) && fs.existsSync(`${file}-shm`)) return wrap(plain(), 'live');
  if (uriFilenamesWork()) {
    const db = new Database(`${pathToFileURL(path.resolve(file)).href}?immutable=1`, { ...sqliteBindingOptions(), readonly: true, fileMustExist: true });
    return wrap(db, 'immutable');
  }
  return openCopy(file);
}

const wrap = (db: Database.Database, mode: ForeignDb['mode'], after?: () => void): ForeignDb => ({
  db,
  mode,
  close() {
    try {
      db.close();
    } finally {
      after?.();
    }
  },
});

/**
 * Whether SQLite would open the file in WAL mode: header bytes 18/19 (write/read format versions)
 * are 2 for WAL. Anything but a clean 1/1 counts as WAL, so a lying header errs towards opening
 * immutable (which creates nothing) rather than read-only. A file too short for a header is not WAL.
 */
function usesWal(file: string): boolean {
  const header = Buffer.alloc(100);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch {
    return false; // let the open itself report why
  }
  try {
    const n = fs.readSync(fd, header, 0, 100, 0);
    if (n < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return false;
    return header[18] !== 1 || header[19] !== 1;
  } finally {
    fs.closeSync(fd);
  }
}

let uriSupport: boolean | undefined;

/** Whether this process's SQLite takes `file:` URIs; probed once with a private in-memory database. */
export function uriFilenamesWork(): boolean {
  if (uriSupport === undefined) {
    try {
      // With URIs off this names a file that does not exist, and a read-only open creates nothing.
      new Database('file:labdesk-uri-probe?mode=memory', { ...sqliteBindingOptions(), readonly: true }).close();
      uriSupport = true;
    } catch {
      uriSupport = false;
    }
  }
  return uriSupport;
}

/** The fallback: a private copy, removed on close; its own `-wal`/`-shm` land in the temp folder. */
function openCopy(file: string): ForeignDb {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labdesk-foreign-'));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const copy = path.join(dir, 'copy.db');
    fs.copyFileSync(file, copy);
    return wrap(new Database(copy, { ...sqliteBindingOptions(), readonly: true, fileMustExist: true }), 'copy', remove);
  } catch (err) {
    remove();
    throw err;
  }
}
