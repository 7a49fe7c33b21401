/**
 * The file ledger: what the catalog knows of each file an entry is read from (`files`: identity and
 * content hash) and which entries it belongs to, with what each entry's last read saw
 * (`file_entries`). Change detection, tail reads and hashing all read it here.
 */
import type { Db } from '../db.js';

export type EntryKind = 'run' | 'model' | 'dataset';

/** A file's stat identity: any difference means different bytes may be there. */
export interface FileIdentity {
  dev?: number | null;
  ino: number | null;
  size: number;
  mtimeMs: number;
}

/** The identity fields of a stat. */
export const identityOf = (st: { dev: number; ino: number; size: number; mtimeMs: number }): FileIdentity => ({
  dev: st.dev,
  ino: st.ino,
  size: st.size,
  mtimeMs: st.mtimeMs,
});

/** What an entry's last read saw of one of its files, and where it stopped. */
export interface EntryRead extends FileIdentity {
  path: string;
  offset: number;
  /** The reader's resume state, as JSON. */
  state: string | null;
  head: string | null;
}

export interface FileHash {
  sha256: string;
  hashedAt: number;
}

export class Ledger {
  private readonly s;

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      // A new identity clears the hash: it was of other bytes. The same identity keeps it.
      record: p(
        `INSERT INTO files (path, root_id, dev, ino, size, mtime_ms, seen_at) VALUES (@path, @rootId, @dev, @ino, @size, @mtimeMs, @now)
         ON CONFLICT(path) DO UPDATE SET
           sha256 = CASE WHEN ${SAME_IDENTITY} THEN files.sha256 END,
           hashed_at = CASE WHEN ${SAME_IDENTITY} THEN files.hashed_at END,
           root_id = excluded.root_id, dev = excluded.dev, ino = excluded.ino, size = excluded.size,
           mtime_ms = excluded.mtime_ms, seen_at = excluded.seen_at`,
      ),
      reads: p(
        `SELECT path, size, mtime_ms AS mtimeMs, ino, read_offset AS offset, state, head_hash AS head
         FROM file_entries WHERE entry_kind = ? AND entry_id = ?`,
      ),
      paths: p('SELECT path FROM file_entries WHERE entry_kind = ? AND entry_id = ? ORDER BY path').pluck(),
      owners: p('SELECT entry_id FROM file_entries WHERE root_id = ? AND entry_kind = ? AND path = ?').pluck(),
      hasEntry: p('SELECT 1 FROM file_entries WHERE entry_kind = ? AND entry_id = ? LIMIT 1').pluck(),
      writeRead: p(
        `INSERT OR REPLACE INTO file_entries (path, entry_kind, entry_id, root_id, format, size, mtime_ms, ino, read_offset, state, head_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateStat: p('UPDATE file_entries SET size = ?, mtime_ms = ?, ino = ? WHERE entry_kind = ? AND entry_id = ? AND path = ?'),
      updateRead: p('UPDATE file_entries SET read_offset = ?, state = ?, head_hash = ? WHERE entry_kind = ? AND entry_id = ? AND path = ?'),
      // Inserted once: who reads the file (an inspection) keeps its identity current, not the sweep.
      addMember: p(
        `INSERT OR IGNORE INTO file_entries (path, entry_kind, entry_id, root_id, format, size, mtime_ms, ino)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      inspected: p(
        `SELECT entry_kind AS kind, entry_id AS id, size, mtime_ms AS mtimeMs, ino FROM file_entries
         WHERE path = ? AND format = ? AND entry_kind IN ('model', 'dataset')`,
      ),
      dropMember: p('DELETE FROM file_entries WHERE path = ? AND entry_kind = ? AND entry_id = ?'),
      clearEntry: p('DELETE FROM file_entries WHERE entry_kind = ? AND entry_id = ?'),
      // The ledger holds the files entries are read from: one no entry claims any more goes.
      pruneRoot: p('DELETE FROM files WHERE root_id = ? AND path NOT IN (SELECT path FROM file_entries WHERE root_id = ?)'),
      prunePath: p('DELETE FROM files WHERE path = ? AND NOT EXISTS (SELECT 1 FROM file_entries WHERE path = ?)'),
      unhashed: p(
        `SELECT DISTINCT f.path, f.dev, f.ino, f.size, f.mtime_ms AS mtimeMs FROM files f
         JOIN file_entries e ON e.path = f.path AND e.entry_kind IN ('model', 'dataset')
         WHERE f.root_id = ? AND f.sha256 IS NULL ORDER BY f.path`,
      ),
      // Only for the identity that was hashed: a file that changed meanwhile is hashed again later.
      setHash: p(
        `UPDATE files SET sha256 = @sha256, hashed_at = @now
         WHERE path = @path AND size = @size AND mtime_ms = @mtimeMs AND ino IS @ino AND dev IS @dev`,
      ),
      hash: p('SELECT sha256, hashed_at AS hashedAt FROM files WHERE path = ? AND sha256 IS NOT NULL'),
    };
  }

  /** Records a file's current identity (clearing its hash when the identity changed). */
  recordFile(path: string, rootId: number, id: FileIdentity, now: number): void {
    this.s.record.run({ path, rootId, dev: id.dev ?? null, ino: id.ino, size: id.size, mtimeMs: id.mtimeMs, now });
  }

  /** What the entry's last read saw of each of its files. */
  readsOf(kind: EntryKind, entryId: string): EntryRead[] {
    return this.s.reads.all(kind, entryId) as EntryRead[];
  }

  filesOf(kind: EntryKind, entryId: string): string[] {
    return this.s.paths.all(kind, entryId) as string[];
  }

  /** The entries of `kind` read from `path` (a file many runs share, as an `mlflow.db`, has many). */
  ownersOf(rootId: number, kind: EntryKind, path: string): string[] {
    return this.s.owners.all(rootId, kind, path) as string[];
  }

  /** Whether the catalog has read this entry before. */
  hasReads(kind: EntryKind, entryId: string): boolean {
    return this.s.hasEntry.get(kind, entryId) !== undefined;
  }

  /** Records (or replaces) an entry's read of one file. */
  writeRead(
    kind: EntryKind,
    entryId: string,
    rootId: number,
    format: string,
    path: string,
    id: FileIdentity,
    read: { offset: number; state: string | null; head: string | null },
  ): void {
    this.s.writeRead.run(path, kind, entryId, rootId, format, id.size, id.mtimeMs, id.ino, read.offset, read.state, read.head);
  }

  /** After an append: the file's new identity, and where the read now stops. */
  updateRead(kind: EntryKind, entryId: string, path: string, id: FileIdentity | undefined, read?: { offset: number; state: string | null; head: string | null }): void {
    if (id) this.s.updateStat.run(id.size, id.mtimeMs, id.ino, kind, entryId, path);
    if (read) this.s.updateRead.run(read.offset, read.state, read.head, kind, entryId, path);
  }

  /** Records that an entry is (also) made of this file, if not recorded yet. */
  addMember(kind: EntryKind, entryId: string, rootId: number, format: string, path: string, id: FileIdentity): void {
    this.s.addMember.run(path, kind, entryId, rootId, format, id.size, id.mtimeMs, id.ino);
  }

  /** The entries an inspector of `format` found in `path` at its last inspection, with what it saw. */
  inspected(path: string, format: string): ({ kind: EntryKind; id: string } & FileIdentity)[] {
    return this.s.inspected.all(path, format) as ({ kind: EntryKind; id: string } & FileIdentity)[];
  }

  dropMember(path: string, kind: EntryKind, entryId: string): void {
    this.s.dropMember.run(path, kind, entryId);
  }

  /** Forgets which files an entry was read from (before a whole new read, or when it goes). */
  clearEntry(kind: EntryKind, entryId: string): void {
    this.s.clearEntry.run(kind, entryId);
  }

  /** Drops ledger rows of a root that no entry is read from any more. */
  prune(rootId: number): void {
    this.s.pruneRoot.run(rootId, rootId);
  }

  prunePath(path: string): void {
    this.s.prunePath.run(path, path);
  }

  /** Model and dataset files of a root whose current bytes have no hash yet. */
  unhashed(rootId: number): (FileIdentity & { path: string })[] {
    return this.s.unhashed.all(rootId) as (FileIdentity & { path: string })[];
  }

  /** Stores a hash computed for `id`; false when the file's identity changed since (the hash is dropped). */
  setHash(path: string, id: FileIdentity, sha256: string, now: number): boolean {
    return this.s.setHash.run({ path, size: id.size, mtimeMs: id.mtimeMs, ino: id.ino, dev: id.dev ?? null, sha256, now }).changes > 0;
  }

  hashOf(path: string): FileHash | null {
    return (this.s.hash.get(path) as FileHash | undefined) ?? null;
  }
}

/** SQL: the conflicting row's identity equals the incoming one (`IS`: NULL inode/device compare equal). */
const SAME_IDENTITY =
  'files.size = excluded.size AND files.mtime_ms = excluded.mtime_ms AND files.ino IS excluded.ino AND files.dev IS excluded.dev';
