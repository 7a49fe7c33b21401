import fs from 'node:fs/promises';
import path from 'node:path';
import type { Adapter, DirEntry, RunLocation, RunSink } from '../adapter.js';
import { readFileTimes } from '../generic/file-times.js';
import { isGenericRunFolder } from '../generic/rule.js';
import { openRegularFile } from '../util/files.js';
import { sniffDelimiter, splitRow, readWideCsv } from './wide-csv.js';

const CANDIDATE = /\.(csv|log)$/i;
const LIGHTNING_VERSION_DIR = /^version_\d+$/;

/**
 * Keras' `CSVLogger`: one CSV per `fit` (or per file name the user chose), `epoch` first, then the
 * logs' keys sorted; `append=True` continues the file after a resume or another hyperas trial
 * without a new header. File names are the user's, so a file is recognised by its header.
 */
export const kerasCsv: Adapter = {
  format: 'keras-csv',
  label: 'Keras CSVLogger',

  async detect(dir: string, entries: DirEntry[]): Promise<RunLocation[]> {
    if (ownedByAnotherFormat(dir, entries)) return [];
    const out: RunLocation[] = [];
    for (const e of entries) {
      if (!e.isFile || !CANDIDATE.test(e.name)) continue;
      const file = path.join(dir, e.name);
      if (!isKerasHeader(await firstLine(file))) continue;
      out.push({
        format: this.format,
        path: file,
        files: [file],
        experiment: { name: path.basename(dir), path: dir },
        claimsSubtree: false,
      });
    }
    return out;
  },

  async read(location: RunLocation, sink: RunSink): Promise<void> {
    const file = location.path;
    sink.meta({ name: path.basename(file).replace(CANDIDATE, '') });
    await readWideCsv(file, sink, { stepColumn: (header) => header.indexOf('epoch'), rowsEndWithNewline: true });
    // CSVLogger records no wall times: the run spans the file's creation to its last write.
    await readFileTimes([file], sink, "Keras's CSVLogger");
  },
};

/**
 * Folders whose CSVs another adapter reads: Lightning's `metrics.csv` (it also starts with `epoch`),
 * a Hydra job folder (the Hydra run reads its CSVs with its params), a generic run's `metrics.csv`.
 */
function ownedByAnotherFormat(dir: string, entries: DirEntry[]): boolean {
  const has = (name: string) => entries.some((e) => e.name === name);
  if (entries.some((e) => e.isDirectory && e.name === '.hydra')) return true;
  if (has('metrics.csv') && (has('hparams.yaml') || LIGHTNING_VERSION_DIR.test(path.basename(dir)))) return true;
  return isGenericRunFolder(entries) && has('metrics.csv');
}

/** `epoch` as the first column and at least one metric after it. */
export function isKerasHeader(line: string | null): boolean {
  if (!line) return false;
  const clean = line.replace(/^\uFEFF/, '').replace(/\r+$/, '');
  const cells = splitRow(clean, sniffDelimiter(clean));
  return cells.length >= 2 && cells[0] === 'epoch' && cells.slice(1).every((c) => c !== '' && c.length < 200);
}

/** The first line of a file (up to 4 KiB), or null when it cannot be read. */
async function firstLine(file: string): Promise<string | null> {
  let handle: fs.FileHandle | null = null;
  try {
    handle = await openRegularFile(file);
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const nl = text.indexOf('\n');
    if (nl >= 0 || bytesRead < buf.length) return nl >= 0 ? text.slice(0, nl) : text;
    // A header longer than the sample is cut anywhere, even just after a separator: drop its last cell.
    return text.replace(/[,;\t][^,;\t]*$/, '');
  } catch {
    return null; // unreadable files are not claimed; another adapter or the walk reports them
  } finally {
    await handle?.close();
  }
}
