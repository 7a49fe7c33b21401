import path from 'node:path';
import type { RunSink } from '../adapter.js';
import { readFileTimes } from '../generic/file-times.js';
import { openRegularFile } from '../util/files.js';

/** Hydra's job logging format: `[2024-05-24 09:40:58,254][module][LEVEL] - message`. */
const LOG_TIME = /^\[(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)[,.](\d{3})\]/;
const SAMPLE = 64 * 1024;

/**
 * A job's start and end as Hydra recorded them: the start from a single run's `<date>/<time>`
 * folder name (when Hydra created it), else the job log's first timestamp; the end from the log's
 * last timestamp. Both are the local time of the machine that ran the job, read here as this
 * machine's local time (Hydra records no zone). With neither, the files' dates (see `readFileTimes`).
 */
export async function readJobTimes(dir: string, jobLog: string | undefined, otherFiles: string[], sink: RunSink): Promise<void> {
  const folderStart = folderTime(dir);
  const log = jobLog ? await logSpan(jobLog) : null;
  const start = folderStart ?? log?.first ?? null;
  if (start === null) return readFileTimes(otherFiles, sink, 'Hydra (with an empty job log)');
  const end = log && log.last >= start ? log.last : null;
  sink.meta({ startTime: start, endTime: end, timeNote: end === null ? 'Hydra recorded when the job started, but its job log holds no later timestamp' : null });
}

/** `outputs/2024-05-24/09-40-56` → that local time; null for other folders (multirun job numbers, custom dirs). */
export function folderTime(dir: string): number | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(path.basename(path.dirname(dir)));
  const t = /^(\d\d)-(\d\d)-(\d\d)$/.exec(path.basename(dir));
  if (!m || !t) return null;
  return localTime([m[1], m[2], m[3], t[1], t[2], t[3], '0']);
}

function localTime(parts: string[]): number | null {
  const [y, mo, d, h, mi, s, ms] = parts.map(Number);
  const time = new Date(y, mo - 1, d, h, mi, s, ms);
  // Date rolls 2024-02-31 over to March: such a name is not a date.
  return time.getMonth() === mo - 1 && time.getDate() === d ? time.getTime() : null;
}

/** The first and last timestamped lines of a job log, from its head and tail (logs reach hundreds of MB). */
async function logSpan(file: string): Promise<{ first: number; last: number } | null> {
  let handle;
  try {
    handle = await openRegularFile(file);
  } catch {
    return null; // jobFailed reports the unreadable log
  }
  try {
    const { size } = await handle.stat();
    const read = async (at: number, length: number) => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buf, 0, length, at);
      return buf.subarray(0, bytesRead).toString('utf8').split('\n');
    };
    const head = await read(0, Math.min(size, SAMPLE));
    const tail = size > SAMPLE ? (await read(size - SAMPLE, SAMPLE)).slice(1) : head;
    const stamp = (line: string) => {
      const m = LOG_TIME.exec(line);
      return m ? localTime(m.slice(1)) : null;
    };
    const first = head.map(stamp).find((t) => t !== null) ?? null;
    const last = [...tail].reverse().map(stamp).find((t) => t !== null) ?? null;
    return first !== null && last !== null ? { first, last } : null;
  } catch {
    return null;
  } finally {
    await handle.close().catch(() => {});
  }
}
