import { constants, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import { realPathInRoot } from './indexed-root.js';

/**
 * A cut-off last record is a writer mid-flush while the file is fresh: TF and PyTorch writers flush
 * every 120 s by default, so a file untouched for longer than this was abandoned mid-record.
 */
export const PARTIAL_RECORD_GRACE_MS = 5 * 60_000;

/** A short reason for a failed file operation, worded for the problems list. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'the file vanished while it was being read';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: Labdesk cannot read it (check the file permissions)';
    case 'ELOOP':
      return 'a symbolic link loop';
    case 'EISDIR':
      return 'expected a file but found a folder';
    case UNSAFE_FILE:
      return e.message;
    default:
      return e?.message ?? String(err);
  }
}

/** Error code of a file Labdesk refuses to open (not a regular file, or a link out of the indexed folder). */
export const UNSAFE_FILE = 'ELABDESK_UNSAFE_FILE';

function unsafe(message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code: UNSAFE_FILE });
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return st.isDirectory() ? 'a folder' : 'not a file';
}

// A FIFO opened for reading blocks until a writer appears, holding one of libuv's four I/O threads:
// so the type is checked before opening, and the open itself never waits (O_NONBLOCK).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/**
 * Opens an indexed file for reading, only when it is a regular file and no link takes it out of the
 * indexed folder. Throws like `fs.open` (a refusal has code UNSAFE_FILE; `describeFsError` words it).
 */
export async function openRegularFile(file: string): Promise<fs.FileHandle> {
  const target = await realPathInRoot(file);
  if (target === null) throw unsafe('a link out of the indexed folder; not followed');
  const before = await fs.stat(target);
  if (!before.isFile()) throw unsafe(`not a regular file (${kindOf(before)}) — skipped`);
  // The target is a real path: a link in its place now was put there after the check.
  const handle = await fs.open(target, OPEN_FLAGS);
  try {
    const st = await handle.stat(); // swapped for something else between the check and the open
    if (!st.isFile()) throw unsafe(`not a regular file (${kindOf(st)}) — skipped`);
    return handle;
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
}

/** The first `size` bytes of an open file (fewer if it is shorter now): what a stat said it held. */
export async function readFirstBytes(handle: fs.FileHandle, size: number): Promise<Buffer> {
  const buf = Buffer.alloc(size);
  let got = 0;
  while (got < size) {
    const { bytesRead } = await handle.read(buf, got, size - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/** Reads a small text file; null (with the reason) when it cannot be read. Big files are refused. */
export async function readSmallText(
  file: string,
  maxBytes = 16 * 1024 * 1024,
): Promise<{ text: string } | { error: string }> {
  try {
    const handle = await openRegularFile(file);
    try {
      const { size } = await handle.stat();
      if (size > maxBytes) return { error: `too large to be a config file (${size} bytes; limit ${maxBytes})` };
      // The size seen, not to the end: a file still being written cannot grow past the limit here.
      const buf = await readFirstBytes(handle, size);
      if (buf.includes(0)) return { error: 'binary data where text was expected' };
      return { text: buf.toString('utf8') };
    } finally {
      await handle.close();
    }
  } catch (err) {
    return { error: describeFsError(err) };
  }
}

/** Opens a file for a tail read; null when it cannot be opened (the caller then reads the run whole). */
export async function openForTail(file: string): Promise<fs.FileHandle | null> {
  try {
    return await openRegularFile(file);
  } catch {
    return null;
  }
}

/** Byte offset just past the last line end in the file (0 when there is none). */
export async function endOfLastLine(handle: fs.FileHandle, size: number): Promise<number> {
  const window = 64 * 1024;
  for (let end = size; end > 0; end -= window) {
    const start = Math.max(0, end - window);
    const buf = Buffer.alloc(end - start);
    await handle.read(buf, 0, buf.length, start);
    const i = buf.lastIndexOf(0x0a);
    if (i >= 0) return start + i + 1;
  }
  return 0;
}

/** True when the first 64 KiB of an open file are not text: what line readers check before parsing. */
export async function headIsBinary(handle: fs.FileHandle, size: number): Promise<boolean> {
  const sample = Buffer.alloc(Math.min(size, 64 * 1024));
  await handle.read(sample, 0, sample.length, 0);
  return looksBinary(sample);
}

/** True when something is at `p`, links followed (a vanished or unreadable entry counts as absent). */
export async function pathExists(p: string): Promise<boolean> {
  try {
    await fs.stat(p);
    return true;
  } catch {
    return false;
  }
}

/** True when a sample of the file's bytes is not text (NUL bytes or invalid UTF-8). */
export function looksBinary(sample: Buffer): boolean {
  if (sample.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return false;
  } catch {
    return true;
  }
}
