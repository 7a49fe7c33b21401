import fs from 'node:fs/promises';
import path from 'node:path';
import type { Adapter, DirEntry, RunLocation, RunSink } from '../adapter.js';
import { describeFsError } from '../util/files.js';
import { readExperimentJson } from './metadata.js';
import { CometMessages } from './messages.js';
import { LineSplitter, SafeZip } from './safe-zip.js';

/** comet_ml's default offline directory (`comet.offline_directory`), relative to the script's cwd. */
const DEFAULT_DIR = '.cometml-runs';
/**
 * `<experiment key>.zip`, or `<key>-<6 letters>.zip` for ExistingOfflineExperiment and the online
 * fallback. Keys are `uuid4().hex`, whose version and variant digits make a stray MD5-named zip
 * unlikely to match; outside the default folder only such names are taken.
 */
const KEY_ZIP = /^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}(-[A-Za-z]{6})?\.zip$/;

export const MESSAGES_ENTRY = 'messages.json';
export const EXPERIMENT_ENTRY = 'experiment.json';
/** A long run logs millions of metric points; past this the archive is not read further. */
const MAX_MESSAGES_BYTES = 1024 * 1024 * 1024;
/** One message line: a metric is ~200 bytes; an installed-packages list some 100 KB. */
const MAX_LINE_BYTES = 4 * 1024 * 1024;

/**
 * Comet offline experiments (`OfflineExperiment`): one zip per experiment holding `experiment.json`
 * (key, project, workspace, start/stop times) and `messages.json` (one logged message per line).
 * The archive is read in place, only those two entries, every size bounded (see SafeZip).
 */
export const comet: Adapter = {
  format: 'comet',
  label: 'Comet offline experiments',

  detect(dir: string, entries: DirEntry[]): RunLocation[] {
    const inDefaultDir = path.basename(dir) === DEFAULT_DIR;
    return entries
      .filter((e) => e.isFile && (inDefaultDir ? /\.zip$/i.test(e.name) : KEY_ZIP.test(e.name)))
      .map((e) => {
        const file = path.join(dir, e.name);
        // The folder is named after the tool, not the work: the experiment is the folder above it.
        const expDir = inDefaultDir ? path.dirname(dir) : dir;
        return {
          format: this.format,
          path: file,
          files: [file],
          experiment: { name: path.basename(expDir), path: expDir },
          claimsSubtree: false,
        };
      });
  },

  async read(location: RunLocation, sink: RunSink): Promise<void> {
    const file = location.path;
    const label = path.basename(file);
    const keyFromName = label.replace(/(-[A-Za-z]{6})?\.zip$/i, '');
    sink.meta({ name: keyFromName });
    let size: number;
    try {
      size = (await fs.stat(file)).size;
    } catch (err) {
      return sink.problem(file, `${label}: ${describeFsError(err)}`);
    }
    const zip = await SafeZip.open(file);
    if ('error' in zip) return sink.problem(file, `${label}: ${zip.error}`);
    try {
      sink.fileRead(file, size);
      const meta = await readExperimentJson(zip, file, sink);
      const messages = await readMessages(zip, file, sink);
      const name = messages?.name ?? meta?.key ?? keyFromName;
      sink.meta({
        name,
        status: meta ? (meta.stopTime !== null ? 'finished' : 'unknown') : null,
        startTime: meta?.startTime ?? null,
        endTime: meta?.stopTime ?? (messages?.lastWallTime ? Math.round(messages.lastWallTime * 1000) : null),
        gitCommit: messages?.gitCommit ?? null,
        ...(meta?.project ? { experimentName: meta.project } : {}),
      });
    } finally {
      zip.close();
    }
  },
};

async function readMessages(zip: SafeZip, file: string, sink: RunSink): Promise<CometMessages | null> {
  const label = `${path.basename(file)}: ${MESSAGES_ENTRY}`;
  const entry = zip.entries.get(MESSAGES_ENTRY);
  if (!entry) {
    sink.problem(file, `${path.basename(file)} holds no ${MESSAGES_ENTRY}: not a Comet offline experiment, or a damaged one`);
    return null;
  }
  const messages = new CometMessages(sink);
  const lines = new LineSplitter(MAX_LINE_BYTES, (line, n) => messages.line(line, n));
  const stopped = await zip.read(entry, MAX_MESSAGES_BYTES, (chunk) => lines.push(chunk));
  lines.end();
  if (stopped) sink.problem(file, `${label} ${stopped}${lines.lineNo > 1 ? '; the messages before that point are kept' : ''}`);
  if (lines.overlong) {
    sink.problem(file, `${label}: ${lines.overlong} line(s) longer than ${MAX_LINE_BYTES} bytes were skipped, e.g. line ${lines.firstOverlong}`);
  }
  if (messages.badLines) {
    sink.problem(file, `${label}: ${messages.badLines} line(s) are not Comet messages and were skipped, e.g. line ${messages.firstBadLine}`);
  }
  return messages;
}
