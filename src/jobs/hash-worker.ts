/**
 * The hashing worker: SHA-256 of an already opened file descriptor, off the thread that serves the
 * UI. Its source is plain CommonJS in a string, run with `new Worker(source, { eval: true })`: the
 * same text then works under tsx, in the esbuild-built CLI (ESM chunks) and in Electron's main
 * bundle (CommonJS), with no worker file to emit, locate or unpack from an asar.
 *
 * The main thread opens the file (no link out of its folder, regular files only) and owns the
 * descriptor; the worker only reads it, by position, in fixed 2 MiB buffers (never sized by the
 * file), with the next read in flight while the current chunk is hashed.
 */

/** Main thread → worker. */
export type HashRequest = { type: 'hash'; task: number; fd: number } | { type: 'cancel'; task: number };

/** Worker → main thread; every task ends with exactly one of done, error or cancelled. */
export type HashReply =
  | { type: 'progress'; task: number; bytes: number }
  | { type: 'done'; task: number; sha256: string; bytes: number }
  | { type: 'error'; task: number; message: string; code?: string }
  | { type: 'cancelled'; task: number };

/** Bytes per read: big enough that a read's round trip is noise, small enough to cancel quickly. */
export const HASH_CHUNK_BYTES = 2 * 1024 * 1024;
/** The worker reports bytes read about this often (the job registry throttles further). */
export const HASH_PROGRESS_MS = 50;

export const HASH_WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const CHUNK = ${HASH_CHUNK_BYTES};
const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
const cancelled = new Set();
// Linux keeps a nice value per thread: this one yields the CPU to the thread serving the UI when
// both want it. (Elsewhere setPriority would reach the whole process, so nothing is changed.)
try {
  const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) require('node:os').setPriority(tid, 10);
} catch {}
const read = (fd, buf, position) => new Promise((resolve, reject) =>
  fs.read(fd, buf, 0, CHUNK, position, (err, n) => (err ? reject(err) : resolve(n))));

async function hash(task, fd) {
  const h = createHash('sha256');
  let bytes = 0;
  let turn = 0;
  let reported = Date.now();
  let next = read(fd, buffers[0], 0);
  for (;;) {
    const n = await next;
    if (cancelled.has(task)) return parentPort.postMessage({ type: 'cancelled', task });
    if (n === 0) break;
    const chunk = buffers[turn];
    turn ^= 1;
    bytes += n;
    next = read(fd, buffers[turn], bytes);
    h.update(n === CHUNK ? chunk : chunk.subarray(0, n));
    const now = Date.now();
    if (now - reported >= ${HASH_PROGRESS_MS}) {
      reported = now;
      parentPort.postMessage({ type: 'progress', task, bytes });
    }
  }
  parentPort.postMessage({ type: 'done', task, sha256: h.digest('hex'), bytes });
}

parentPort.on('message', (msg) => {
  if (msg.type === 'cancel') return void cancelled.add(msg.task);
  hash(msg.task, msg.fd)
    .catch((err) => parentPort.postMessage({ type: 'error', task: msg.task, message: String(err && err.message || err), code: err && err.code }))
    .finally(() => cancelled.delete(msg.task));
});
`;
