import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Milliseconds since `start`, rounded to a tenth. */
export function msSince(start: number): number {
  return round(performance.now() - start, 1);
}

export function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Runs `fn` in a fresh temp folder that is removed afterwards, whatever happens. */
export async function withTempDir<T>(label: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `labdesk-bench-${label}-`));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Total size and count of the regular files under `dir`. */
export function treeSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    bytes += fs.statSync(path.join(e.parentPath, e.name)).size;
    files++;
  }
  return { bytes, files };
}

/** Size of a catalog on disk: the db file plus its WAL (the caller checkpoints first). */
export function catalogBytes(dbPath: string): number {
  let n = 0;
  for (const suffix of ['', '-wal']) {
    try {
      n += fs.statSync(dbPath + suffix).size;
    } catch {
      // no WAL after a TRUNCATE checkpoint
    }
  }
  return n;
}

const MB = 1024 * 1024;

/**
 * Peak RSS over one phase. A timer sample every 20 ms misses the synchronous SQLite transactions
 * (they block the event loop), so on Linux the kernel's high-water mark (VmHWM) is also reset at
 * the start (`/proc/self/clear_refs` ← 5) and read at the end; the larger of the two is reported.
 */
export class PeakRss {
  private peak = process.memoryUsage.rss();
  private readonly timer: NodeJS.Timeout;
  private readonly hwmReset: boolean;

  constructor() {
    this.hwmReset = resetHighWaterMark();
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage.rss());
    }, 20);
  }

  /** Stops sampling; the peak in MB and how it was measured. */
  stop(): { peakMb: number; method: 'VmHWM' | 'sampled' } {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    const hwm = this.hwmReset ? readHighWaterMark() : null;
    const bytes = hwm === null ? this.peak : Math.max(hwm, this.peak);
    return { peakMb: round(bytes / MB), method: hwm === null ? 'sampled' : 'VmHWM' };
  }
}

function resetHighWaterMark(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false; // not Linux, or not allowed: sampling alone
  }
}

function readHighWaterMark(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * How long the event loop was blocked during a phase: what the desktop app's main process (IPC,
 * menus) and the web mode's HTTP server feel while indexing runs on their thread.
 */
export class LoopStall {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.histogram.enable();
  }

  /** Stops measuring; the longest and the 99th-percentile delay, in ms. */
  stop(): { maxMs: number; p99Ms: number } {
    this.histogram.disable();
    return { maxMs: round(this.histogram.max / 1e6, 1), p99Ms: round(this.histogram.percentile(99) / 1e6, 1) };
  }
}
