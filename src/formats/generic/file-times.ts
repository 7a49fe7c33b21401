import fs from 'node:fs/promises';
import type { RunSink } from '../adapter.js';

/** Files born and last written within this span were written in one go (a copy, an unzip), not by a run. */
const ONE_GO_MS = 1000;

/**
 * For formats that record no wall times: the run spans its files' first creation (`birthtime`) to
 * their last write, but only when those dates can be the run's. Where the file system keeps no
 * creation time, or every file was created and written at once (the folder was copied or
 * downloaded: those dates are the copy's), start and end stay unknown, with `tool` saying why.
 */
export async function readFileTimes(files: string[], sink: RunSink, tool = 'A plain run folder'): Promise<void> {
  let born = Infinity;
  let firstWrite = Infinity;
  let lastWrite = -Infinity;
  let noBirthtime = false;
  for (const f of files) {
    try {
      const st = await fs.stat(f);
      if (!(st.birthtimeMs > 0)) noBirthtime = true;
      born = Math.min(born, st.birthtimeMs > 0 ? st.birthtimeMs : Infinity);
      firstWrite = Math.min(firstWrite, st.mtimeMs);
      lastWrite = Math.max(lastWrite, st.mtimeMs);
    } catch {
      // Vanished since detection: its read has reported it.
    }
  }
  if (!Number.isFinite(lastWrite)) return;
  const why = `${tool} records no times`;
  if (noBirthtime || !Number.isFinite(born)) {
    sink.meta({ startTime: null, endTime: null, timeNote: `${why}, and this file system keeps no file creation times` });
  } else if (born > firstWrite + ONE_GO_MS || lastWrite - born < ONE_GO_MS) {
    sink.meta({ startTime: null, endTime: null, timeNote: `${why}, and its files' dates are when they were copied, not when the run ran` });
  } else {
    sink.meta({ startTime: Math.round(born), endTime: Math.round(lastWrite), timeNote: null });
  }
}
