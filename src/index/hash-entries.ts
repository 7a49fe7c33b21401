/**
 * The ledger's side of hashing: which model and dataset files of a root have no SHA-256 for their
 * current bytes, and storing the digests a hash job computed — only for a file whose identity is
 * still the one recorded (a file that changed while it was hashed keeps no hash: the next pass
 * records its new identity and hashes that). So each file is hashed once per content change.
 */
import fs from 'node:fs/promises';
import type { Db } from '../catalog/db.js';
import { identityOf, Ledger, type FileIdentity } from '../catalog/repos/ledger.js';

export type UnhashedFile = FileIdentity & { path: string };

export function unhashedFiles(db: Db, rootId: number): UnhashedFile[] {
  return new Ledger(db).unhashed(rootId);
}

/** Stores the digests of `files` (by path); returns how many were stored. */
export async function storeHashes(db: Db, files: UnhashedFile[], digests: Map<string, string>): Promise<number> {
  const ledger = new Ledger(db);
  let stored = 0;
  for (const file of files) {
    const sha256 = digests.get(file.path);
    if (!sha256 || !sameIdentity(await identity(file.path), file)) continue;
    if (ledger.setHash(file.path, file, sha256, Date.now())) stored++;
  }
  return stored;
}

async function identity(file: string): Promise<FileIdentity | null> {
  const st = await fs.stat(file).catch(() => null);
  return st && identityOf(st);
}

const sameIdentity = (a: FileIdentity | null, b: FileIdentity) =>
  a !== null && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino && (a.dev ?? null) === (b.dev ?? null);
