import fs from 'node:fs/promises';
import { openRegularFile } from '../util/files.js';
import { checkFileHeader, HEADER_SIZE, readFramedRecords, type ScanReport } from './framing.js';
import { decodeRecord } from './proto.js';

/** The run record comes second (after the header record); give up well before reading a long log. */
const RECORDS_TO_LOOK_AT = 16;

/** Projects found so far: a run record, once written, never changes its project. */
const known = new Map<string, string>();

/**
 * The W&B project named in a `.wandb` log's run record, or null when there is none yet (an online
 * run's header-only log, a run still starting) or the file cannot be read. Detection needs it to
 * group runs by project, so it reads only the first records, and each file's answer is kept.
 */
export async function projectOf(wandbFile: string): Promise<string | null> {
  const hit = known.get(wandbFile);
  if (hit !== undefined) return hit;
  let handle: fs.FileHandle | null = null;
  try {
    handle = await openRegularFile(wandbFile);
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, HEADER_SIZE));
    await handle.read(head, 0, head.length, 0);
    if (checkFileHeader(head)) return null;
    const report: ScanReport = { end: HEADER_SIZE, damage: [], cutOff: 0 };
    let seen = 0;
    for await (const { data } of readFramedRecords(handle, size, report)) {
      if (++seen > RECORDS_TO_LOOK_AT) break;
      let project: string | undefined;
      try {
        project = decodeRecord(data).run?.project;
      } catch {
        continue; // the read reports undecodable records
      }
      if (project) {
        known.set(wandbFile, project);
        return project;
      }
    }
    return null;
  } catch {
    return null; // unreadable: the run's read says why
  } finally {
    await handle?.close();
  }
}
