/**
 * SHA-256 of files in worker threads, so hashing a multi-GB model never stalls the thread serving
 * the UI. A small pool of workers is reused across files; each runs one file at a time.
 */
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { openRegularFile } from '../formats/util/files.js';
import { withIndexedRoot } from '../formats/util/indexed-root.js';
import { HASH_WORKER_SOURCE, type HashReply, type HashRequest } from './hash-worker.js';

export interface FileHash {
  /** Lower-case hex. */
  sha256: string;
  bytes: number;
}

export interface HashFileOptions {
  signal?: AbortSignal;
  /** Bytes hashed so far, and the file's size when it was opened (a growing file may pass it). */
  onProgress?: (p: { bytes: number; bytesTotal: number }) => void;
  /** The folder no link may lead out of (an indexed root); default the file's own folder. */
  root?: string;
}

/** Idle workers end after this long; the next file starts a new one (~30 ms). */
const IDLE_MS = 10_000;
/** A worker that has not stopped this long after a cancel (a read hung on a dead mount) is ended. */
const CANCEL_GRACE_MS = 1000;

interface Task {
  id: number;
  fd: number;
  cancelling: boolean;
  onProgress: (bytes: number) => void;
  settle: (reply: Exclude<HashReply, { type: 'progress' }> | { type: 'crashed'; message: string }) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * Up to `size` hashing workers. A worker runs one task at a time; tasks beyond that wait in order.
 * Workers hold the process open only while they work.
 */
export class HashPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextTask = 1;
  private closed = false;
  /** Workers started so far (they are reused; a new one only replaces one that ended). */
  spawned = 0;

  constructor(readonly size = defaultPoolSize()) {}

  /**
   * Hashes the open file `handle` from its first byte to its end. The caller keeps the handle and
   * may close it once this settles: the worker has stopped reading it by then.
   */
  hashHandle(handle: FileHandle, options: { signal?: AbortSignal; onProgress?: (bytes: number) => void } = {}): Promise<FileHash> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.closed) return Promise.reject(new Error('The hashing pool is closed.'));
    return new Promise<FileHash>((resolve, reject) => {
      const task: Task = {
        id: this.nextTask++,
        fd: handle.fd,
        cancelling: false,
        onProgress: options.onProgress ?? (() => {}),
        settle: (reply) => {
          signal?.removeEventListener('abort', onAbort);
          if (reply.type === 'done') resolve({ sha256: reply.sha256, bytes: reply.bytes });
          else if (reply.type === 'cancelled') reject(abortError(signal));
          else reject(Object.assign(new Error(reply.message), 'code' in reply && reply.code ? { code: reply.code } : {}));
        },
      };
      const onAbort = () => {
        const waiting = this.queue.indexOf(task);
        if (waiting >= 0) {
          this.queue.splice(waiting, 1);
          task.settle({ type: 'cancelled', task: task.id });
          return;
        }
        // Settles when the worker answers, between two reads: the descriptor is free only then.
        const slot = this.slots.find((s) => s.task === task);
        if (!slot) return;
        task.cancelling = true;
        slot.worker.postMessage({ type: 'cancel', task: task.id } satisfies HashRequest);
        setTimeout(() => slot.task === task && void slot.worker.terminate(), CANCEL_GRACE_MS).unref();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(task);
      this.dispatch();
    });
  }

  /** Ends every worker; running tasks fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.settle({ type: 'crashed', message: 'The hashing pool was closed.' });
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => s.task === null);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const task = this.queue.shift()!;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage({ type: 'hash', task: task.id, fd: task.fd } satisfies HashRequest);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(HASH_WORKER_SOURCE, { eval: true, name: 'labdesk-hash' });
    this.spawned++;
    const slot: Slot = { worker, task: null, idleTimer: null };
    this.slots.push(slot);
    worker.on('message', (reply: HashReply) => {
      const task = slot.task;
      if (!task || reply.task !== task.id) return;
      if (reply.type === 'progress') return task.onProgress(reply.bytes);
      slot.task = null;
      task.settle(reply);
      this.idle(slot);
      this.dispatch();
    });
    const lost = (message: string) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      const task = slot.task;
      if (task) task.settle(task.cancelling ? { type: 'cancelled', task: task.id } : { type: 'crashed', message });
      slot.task = null;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', (err) => lost(`The hashing worker failed: ${err.message}`));
    worker.on('exit', (code) => lost(`The hashing worker exited (code ${code}).`));
    return slot;
  }

  private idle(slot: Slot): void {
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => {
      // Out of the pool first, so that no task is handed to a worker on its way out.
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      void slot.worker.terminate();
    }, IDLE_MS);
    slot.idleTimer.unref();
  }
}

/** One worker on two cores (the other serves the UI), two where there are more. */
function defaultPoolSize(): number {
  return os.availableParallelism() > 2 ? 2 : 1;
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('The hash was cancelled.', 'AbortError');
}

let sharedPool: HashPool | null = null;
/** The process's hashing pool (its workers end when idle, so it never needs closing). */
export function defaultHashPool(): HashPool {
  return (sharedPool ??= new HashPool());
}

/**
 * SHA-256 of one file, in a worker thread. Untrusted folders are safe: the file is opened only when
 * it is a regular file (a FIFO or device is refused, not waited on) and no link leads it out of
 * `root`; the worker reads in fixed-size chunks whatever size the file claims. Cancelled by
 * `signal` between two reads.
 */
export async function hashFile(file: string, options: HashFileOptions = {}, pool = defaultHashPool()): Promise<FileHash> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const handle = await withIndexedRoot(options.root ?? path.dirname(path.resolve(file)), () => openRegularFile(file));
  try {
    // For progress only: the worker reads to the end, whatever this said.
    const { size: bytesTotal } = await handle.stat();
    onProgress?.({ bytes: 0, bytesTotal });
    const hashed = await pool.hashHandle(handle, { signal, onProgress: (bytes) => onProgress?.({ bytes, bytesTotal }) });
    onProgress?.({ bytes: hashed.bytes, bytesTotal });
    return hashed;
  } finally {
    await handle.close();
  }
}
