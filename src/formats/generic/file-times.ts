import fs from 'node:fs/promises';
import type { RunSink } from '../adapter.js';

/** These files carry no wall times: the run spans the first file's creation to the last write. */
export async function readFileTimes(files: string[], sink: RunSink): Promise<void> {
  let start = Infinity;
  let end = -Infinity;
  for (const f of files) {
    try {
      const st = await fs.stat(f);
      start = Math.min(start, st.birthtimeMs > 0 ? Math.min(st.birthtimeMs, st.mtimeMs) : st.mtimeMs);
      end = Math.max(end, st.mtimeMs);
    } catch {
      // Vanished since detection: its read has reported it.
    }
  }
  if (Number.isFinite(start)) sink.meta({ startTime: Math.round(start), endTime: Math.round(end) });
}
