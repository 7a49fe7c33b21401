/**
 * Hashes the model and dataset files of a root whose current bytes have no SHA-256 in the ledger
 * yet: each file once per content change, never again while its identity stays. A file that changes
 * while it is hashed keeps no hash (the next pass records its new identity and hashes that).
 */
import fs from 'node:fs/promises';
import type { Db } from '../catalog/db.js';
import { Ledger, type FileIdentity } from '../catalog/repos/ledger.js';

/** Computes a file's SHA-256 (hex); opens it the safe way (no link out, regular files only). */
export type HashFile = (path: string, signal?: AbortSignal) => Promise<string>;

export interface HashProgress {
  done: number;
  total: number;
  bytes: number;
  bytesTotal: number;
}

export async function hashEntryFiles(
  db: Db,
  rootId: number,
  hash: HashFile,
  options: { signal?: AbortSignal; onProgress?: (p: HashProgress) => void } = {},
): Promise<{ hashed: number; failed: { path: string; message: string }[] }> {
  const ledger = new Ledger(db);
  const todo = ledger.unhashed(rootId);
  const progress: HashProgress = { done: 0, total: todo.length, bytes: 0, bytesTotal: todo.reduce((n, f) => n + f.size, 0) };
  const failed: { path: string; message: string }[] = [];
  let hashed = 0;
  for (const file of todo) {
    if (options.signal?.aborted) break;
    try {
      if (!sameIdentity(await identity(file.path), file)) continue;
      const sha256 = await hash(file.path, options.signal);
      if (sameIdentity(await identity(file.path), file) && ledger.setHash(file.path, file, sha256, Date.now())) hashed++;
    } catch (err) {
      if (!options.signal?.aborted) failed.push({ path: file.path, message: (err as Error).message });
    }
    progress.done++;
    progress.bytes += file.size;
    options.onProgress?.({ ...progress });
  }
  return { hashed, failed };
}

async function identity(file: string): Promise<FileIdentity | null> {
  const st = await fs.stat(file).catch(() => null);
  return st && { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
}

const sameIdentity = (a: FileIdentity | null, b: FileIdentity) =>
  a !== null && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino && (a.dev ?? null) === (b.dev ?? null);

/** SHA-256 on this thread, streamed (to be replaced by the worker-thread hasher of src/jobs). */
export const hashInProcess: HashFile = async (file, signal) => {
  const { createHash } = await import('node:crypto');
  const { openRegularFile } = await import('../formats/util/files.js');
  const handle = await openRegularFile(file);
  try {
    const h = createHash('sha256');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
    }
    return h.digest('hex');
  } finally {
    await handle.close();
  }
};
