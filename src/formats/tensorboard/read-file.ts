import fs from 'node:fs/promises';
import type { RunSink } from '../adapter.js';
import { describeFsError } from '../util/files.js';
import { EventDecoder, type EventSink } from './events.js';
import { scanTfRecords, type TfRecordScan } from './tfrecord.js';

/**
 * A cut-off last record is a writer mid-flush while the file is fresh: TF and PyTorch writers flush
 * every 120 s by default, so one untouched for longer than this was abandoned mid-record.
 */
export const PARTIAL_RECORD_GRACE_MS = 5 * 60_000;

/** Resume state stored with an event file's read offset. */
export interface EventFileState {
  records: number;
  /** Tag → plugin, since writers name a tag's plugin only on its first value. */
  plugins: Record<string, string>;
}

/** At most this many offsets are quoted per kind of damage; the count is always given. */
const QUOTED = 3;

function quote(offsets: number[]): string {
  const shown = offsets.slice(0, QUOTED).map((o) => `byte ${o}`).join(', ');
  return offsets.length > QUOTED ? `${shown} and ${offsets.length - QUOTED} more` : shown;
}

/**
 * Reads one event file into `events`, turning damage into problems: a bad data checksum skips that
 * record, a bad length checksum ends the file there, a cut-off last record is waited for while the
 * file is fresh. Returns the decoder (for wall times), or null when the file could not be read.
 */
export async function readEventFile(
  file: string,
  sink: RunSink,
  events: EventSink,
  child: string,
  now = Date.now(),
): Promise<EventDecoder | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    sink.problem(file, `cannot open: ${describeFsError(err)}`);
    return null;
  }
  const decoder = new EventDecoder(events, child);
  try {
    const { size, mtimeMs } = await handle.stat();
    // A 0-byte file is a writer that never flushed (common after aborted starts): nothing to read, nothing wrong.
    const scan = size === 0
      ? { end: 0, records: 0, badData: [], stop: null }
      : await scanTfRecords(handle, size, 0, (buf, start, end, offset) => decoder.decode(buf, start, end, offset));
    reportDamage(file, sink, scan, decoder, now - mtimeMs > PARTIAL_RECORD_GRACE_MS);
    const state: EventFileState = { records: scan.records, plugins: Object.fromEntries(decoder.plugins) };
    sink.fileRead(file, scan.end, state);
    return decoder;
  } catch (err) {
    sink.problem(file, `cannot read: ${describeFsError(err)}`);
    return decoder;
  } finally {
    await handle.close();
  }
}

function reportDamage(file: string, sink: RunSink, scan: TfRecordScan, decoder: EventDecoder, stale: boolean): void {
  const stop = scan.stop;
  if (stop?.kind === 'bad-length' && stop.offset === 0) {
    sink.problem(file, 'not a TensorBoard event file: its first record header fails its checksum (random data, or another format named like an event file)');
  } else if (stop?.kind === 'bad-length') {
    sink.problem(
      file,
      `corrupt record header at byte ${stop.offset} (length checksum mismatch): ` +
        `the ${scan.records} records before it were read, the rest of the file cannot be framed and was skipped`,
    );
  } else if (stop?.kind === 'partial' && stale) {
    const what = stop.offset === 0 && scan.records === 0 ? 'no complete record' : `the last record is cut off at byte ${stop.offset}`;
    sink.problem(
      file,
      `${what} (${stop.have} of ${stop.need} bytes) and the file has not changed for over ` +
        `${PARTIAL_RECORD_GRACE_MS / 60_000} minutes: its writer stopped mid-record; the ${scan.records} records before it were read`,
    );
  }
  if (scan.badData.length) {
    sink.problem(
      file,
      `${scan.badData.length} record(s) failed their data checksum (corrupt) at ${quote(scan.badData)}: ` +
        'they were skipped, the records around them were read',
    );
  }
  if (decoder.malformed.length) {
    const [offset, reason] = decoder.malformed[0];
    sink.problem(
      file,
      `${decoder.malformed.length} record(s) are intact but not TensorBoard events, first at byte ${offset} (${reason}); they were skipped`,
    );
  }
}
