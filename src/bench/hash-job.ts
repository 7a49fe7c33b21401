import { execFile } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createCore } from '../core.js';
import { LoopStall, msSince, round, withTempDir } from './measure.js';

export interface HashJobFigures {
  fileBytes: number;
  /** The hash job, start to result. */
  jobMs: number;
  /** Decimal MB (10⁶ bytes) per second. */
  mbPerSecond: number;
  /** Longest gap between two `catalog.stats` answers on the main thread while the job ran, ms. */
  stallMaxMs: number;
  /** The event loop's own longest delay over the same time (monitorEventLoopDelay), ms. */
  loopDelayMaxMs: number;
  statsCalls: number;
  /** The same loop for a second with no job: what the machine's other load costs alone, ms. */
  baselineStallMaxMs: number;
  /** `sha256sum` of the same file; null when it is not installed. */
  sha256sumMs: number | null;
  sha256sumMbPerSecond: number | null;
  /** Job rate / sha256sum rate. */
  ratio: number | null;
  /** The job's digest equals sha256sum's (null without sha256sum). */
  digestMatches: boolean | null;
}

/** Writes `bytes` of varied (not constant, not sparse) data: random blocks, each stamped with its index. */
function writeVariedFile(file: string, bytes: number): void {
  const block = randomFillSync(Buffer.alloc(8 * 1024 * 1024));
  const fd = fs.openSync(file, 'w');
  try {
    for (let written = 0, i = 0; written < bytes; i++) {
      block.writeUInt32LE(i, 0);
      const n = Math.min(block.length, bytes - written);
      fs.writeSync(fd, block, 0, n);
      written += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function sha256sum(file: string): Promise<{ ms: number; digest: string } | null> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile('sha256sum', [file], (err, stdout) => {
      if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') return resolve(null);
      if (err) return reject(err);
      resolve({ ms: msSince(started), digest: stdout.split(/\s/)[0] });
    });
  });
}

/**
 * Figure 9: a `hash` job on a big file through the core, while the main thread answers
 * `catalog.stats` in a loop (as it would IPC or HTTP calls); beside `sha256sum` of the same file.
 */
export async function benchHashJob(bytes: number): Promise<HashJobFigures> {
  return withTempDir('hash', async (dir) => {
    const file = path.join(dir, 'model.bin');
    writeVariedFile(file, bytes);
    // Both read the file from the page cache, where writing it left it.
    const reference = await sha256sum(file);
    const core = await createCore({ dbPath: path.join(dir, 'catalog.db') });
    try {
      /** Answers catalog.stats until `until()`; the longest gap between two answers and their count. */
      const serve = async (until: () => boolean) => {
        let last = performance.now();
        let maxGap = 0;
        let calls = 0;
        while (!until()) {
          await core.api['catalog.stats']({});
          calls++;
          // A turn of the event loop per call, as separate IPC/HTTP requests get: worker messages land here.
          await new Promise((resolve) => setImmediate(resolve));
          const now = performance.now();
          maxGap = Math.max(maxGap, now - last);
          last = now;
        }
        return { maxGap, calls };
      };
      const idleFrom = performance.now();
      const baseline = await serve(() => performance.now() - idleFrom > 1000);

      const loop = new LoopStall();
      const started = performance.now();
      const job = core.hashFiles([file]);
      let settled = false;
      const result = job.promise.finally(() => (settled = true));
      const { maxGap: stallMaxMs, calls: statsCalls } = await serve(() => settled);
      const [outcome] = await result;
      const jobMs = msSince(started);
      const loopDelay = loop.stop();
      if (!('sha256' in outcome)) throw new Error(`hashing failed: ${outcome.error}`);
      const rate = (ms: number) => round(bytes / 1e6 / (ms / 1000));
      return {
        fileBytes: bytes, jobMs, mbPerSecond: rate(jobMs),
        stallMaxMs: round(stallMaxMs, 1), loopDelayMaxMs: loopDelay.maxMs, statsCalls, baselineStallMaxMs: round(baseline.maxGap, 1),
        sha256sumMs: reference?.ms ?? null,
        sha256sumMbPerSecond: reference ? rate(reference.ms) : null,
        ratio: reference ? round(reference.ms / jobMs, 2) : null,
        digestMatches: reference ? reference.digest === outcome.sha256 : null,
      };
    } finally {
      await core.close();
    }
  });
}
