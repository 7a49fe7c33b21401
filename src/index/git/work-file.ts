import { createHash } from 'node:crypto';
import fs, { constants } from 'node:fs';
import { GitUnknowable, type WorkBudget } from './budget.js';

// Never waits on a FIFO (O_NONBLOCK) nor follows a link (O_NOFOLLOW); the caller has checked that no
// folder on the way is a link, so this is cheaper than the general open helper (no realpath per file).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

const CHUNK = 1024 * 1024;

/** What one read of a work-tree file yields: its blob id as is, and what CRLF conversion would need. */
export interface FileScan {
  oid: string;
  size: number;
  crlfPairs: number;
  binary: boolean;
}

/** Git's blob id of `data` ("blob <size>\0" + data), with SHA-1 or SHA-256. */
export function blobId(data: Buffer, hashBytes: number): string {
  return createHash(hashBytes === 32 ? 'sha256' : 'sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

/** Reads a work-tree file (no link on its path) once (its size charged to the budget first) for its blob id and CRLF count. */
export async function scanFile(file: string, hashBytes: number, budget: WorkBudget): Promise<FileScan> {
  const scan = { oid: '', size: 0, crlfPairs: 0, binary: false };
  let last = 0;
  const hash = createHash(hashBytes === 32 ? 'sha256' : 'sha1');
  await readChunks(file, budget, (size) => hash.update(`blob ${size}\0`), (chunk) => {
    hash.update(chunk);
    if (!scan.binary && chunk.includes(0)) scan.binary = true;
    if (last === 0x0d && chunk[0] === 0x0a) scan.crlfPairs++;
    for (let i = chunk.indexOf('\r\n'); i >= 0; i = chunk.indexOf('\r\n', i + 2)) scan.crlfPairs++;
    last = chunk[chunk.length - 1];
    scan.size += chunk.length;
  });
  scan.oid = hash.digest('hex');
  return scan;
}

/** The blob id the file would have with each CRLF stored as LF (git's `text` / autocrlf conversion). */
export async function crlfNormalizedId(file: string, scan: FileScan, hashBytes: number, budget: WorkBudget): Promise<string> {
  const hash = createHash(hashBytes === 32 ? 'sha256' : 'sha1').update(`blob ${scan.size - scan.crlfPairs}\0`);
  let heldCr = false; // a CR ending one chunk: dropped only if the next starts with LF
  await readChunks(file, budget, () => {}, (chunk) => {
    if (heldCr && chunk[0] !== 0x0a) hash.update('\r');
    let from = 0;
    for (let i = chunk.indexOf('\r\n'); i >= 0; i = chunk.indexOf('\r\n', i + 2)) {
      hash.update(chunk.subarray(from, i));
      from = i + 1;
    }
    heldCr = chunk[chunk.length - 1] === 0x0d;
    hash.update(chunk.subarray(from, heldCr ? chunk.length - 1 : chunk.length));
  });
  if (heldCr) hash.update('\r');
  return hash.digest('hex');
}

/** The SHA-256 of the file's bytes, as a Git LFS pointer names its content. */
export async function sha256Of(file: string, budget: WorkBudget): Promise<string> {
  const hash = createHash('sha256');
  await readChunks(file, budget, () => {}, (chunk) => hash.update(chunk));
  return hash.digest('hex');
}

// Reads exactly the size seen when opening (a file growing meanwhile cannot make the read unbounded).
async function readChunks(file: string, budget: WorkBudget, onSize: (size: number) => void, onChunk: (chunk: Buffer) => void): Promise<void> {
  const fd = fs.openSync(file, OPEN_FLAGS);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new GitUnknowable('a tracked file was replaced while being read');
    const { size } = st;
    budget.spendBytes(size);
    onSize(size);
    const buf = Buffer.alloc(Math.min(CHUNK, Math.max(size, 1)));
    for (let at = 0; at < size; ) {
      await budget.pause();
      const bytesRead = fs.readSync(fd, buf, 0, Math.min(buf.length, size - at), at);
      if (bytesRead === 0) break;
      onChunk(buf.subarray(0, bytesRead));
      at += bytesRead;
    }
  } finally {
    fs.closeSync(fd);
  }
}
