import fs from 'node:fs/promises';
import path from 'node:path';
import type { DirEntry } from '../adapter.js';

/** TensorBoard's own test (`'tfevents' in basename`): tensorboardX, TF1 and `.v2` names all pass. */
export function isEventFileName(name: string): boolean {
  return name.includes('tfevents');
}

/** The unix time in `events.out.tfevents.<time>.<host>...`; host names may hold dots, so only the first field counts. */
function fileTime(name: string): number {
  const m = /tfevents\.(\d+(?:\.\d+)?)/.exec(name);
  return m ? Number(m[1]) : Infinity;
}

/** Writers open files in time order; merging in that order keeps a restarted run's points in sequence. */
export function byWriteOrder(a: string, b: string): number {
  const ta = fileTime(path.basename(a));
  const tb = fileTime(path.basename(b));
  return ta !== tb ? ta - tb : a < b ? -1 : a > b ? 1 : 0;
}

/** torch's `add_hparams` writes into `<run>/<time.time()>/`: that folder's params and metrics are the run's. */
const HPARAMS_CHILD = /^\d{9,}(\.\d+)?$/;
/** Folders under a run that never hold its event files. */
const NOT_EVENT_CHILDREN = new Set(['checkpoints', 'plugins']);

/** The child folder whose name keys a file's tags: '' for the run's own files and hparams folders. */
export function childFor(runDir: string, file: string): string {
  const rel = path.relative(runDir, path.dirname(file));
  return rel === '' || HPARAMS_CHILD.test(rel) ? '' : rel.split(path.sep).join('/');
}

export interface RunShape {
  /** Event files of the run, own ones first, then each child folder's, in write order. */
  files: string[];
  keras: boolean;
}

async function eventFilesIn(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isFile() && isEventFileName(e.name)).map((e) => path.join(dir, e.name)).sort(byWriteOrder);
  } catch {
    return []; // unreadable or gone: the run is judged by what is readable
  }
}

/**
 * The event files making one run rooted at `dir`, or null when `dir` is not a run:
 *  - a folder holding event files is a run; event files in its direct child folders are merged
 *    (torch `add_hparams` timestamp folders as if they were its own, other folders keyed by name);
 *  - a folder with none but a Keras `validation/` (and `train/`) child is one Keras run.
 * Child folders are only listed when the folder itself qualifies, so most folders cost nothing.
 */
export async function runShape(dir: string, entries: DirEntry[]): Promise<RunShape | null> {
  const own = entries.filter((e) => e.isFile && isEventFileName(e.name)).map((e) => path.join(dir, e.name)).sort(byWriteOrder);
  const subdirs = entries.filter((e) => e.isDirectory && !e.name.startsWith('.') && !NOT_EVENT_CHILDREN.has(e.name)).map((e) => e.name);
  if (own.length > 0) {
    const files = [...own];
    const order = (n: string) => (HPARAMS_CHILD.test(n) ? 0 : 1);
    for (const name of subdirs.sort((a, b) => order(a) - order(b) || (a < b ? -1 : 1))) {
      files.push(...(await eventFilesIn(path.join(dir, name))));
    }
    return { files, keras: false };
  }
  if (!subdirs.includes('validation')) return null;
  const files = [...(await eventFilesIn(path.join(dir, 'train'))), ...(await eventFilesIn(path.join(dir, 'validation')))];
  return files.length ? { files, keras: true } : null;
}
