import fs from 'node:fs/promises';
import type { RunSink } from '../adapter.js';
import { describeFsError, openRegularFile, PARTIAL_RECORD_GRACE_MS } from '../util/files.js';

export { PARTIAL_RECORD_GRACE_MS };
import { EventDecoder, type EventSink } from './events.js';
import { MAX_TFRECORD_BYTES, scanTfRecords, type TfRecordScan } from './tfrecord.js';


/** Resume state stored with an event file's read offset. */
export interface EventFileState {
  records: number;
  /** Tag → plugin, since writers name a tag's plugin only on its first value. */
  plugins: Record<string, string>;
  /** Wall-time range of the file's events (epoch seconds), or null before the first event. */
  wall: [number, number] | null;
  /** Non-scalar summaries counted by kind and tag: the run's listing tags are rebuilt from these. */
  others: Record<string, Record<string, number>>;
}

export function isEventFileState(state: unknown): state is EventFileState {
  const s = state as EventFileState | null;
  return typeof s === 'object' && s !== null && Number.isInteger(s.records) && typeof s.plugins === 'object' &&
    typeof s.others === 'object' && s.others !== null && (s.wall === null || Array.isArray(s.wall));
}

/** At most this many offsets are quoted per kind of damage; the count is always given. */
const QUOTED = 3;

function quote(offsets: number[]): string {
  const shown = offsets.slice(0, QUOTED).map((o) => `byte ${o}`).join(', ');
  return offsets.length > QUOTED ? `${shown} and ${offsets.length - QUOTED} more` : shown;
}

/**
 * Reads one event file into `events` — from the start, or on from a stored position — turning
 * damage into problems: a bad data checksum skips that record, a bad length checksum ends the file
 * there, a cut-off last record is waited for while the file is fresh. `others` is the file's count
 * of non-scalar summaries, kept in its state. Returns the decoder, or null when the file could not be read.
 */
export async function readEventFile(
  file: string,
  sink: RunSink,
  events: EventSink,
  child: string,
  others: EventFileState['others'],
  resume?: { offset: number; state: EventFileState },
  now = Date.now(),
): Promise<EventDecoder | null> {
  let handle: fs.FileHandle;
  try {
    handle = await openRegularFile(file);
  } catch (err) {
    sink.problem(file, `cannot open: ${describeFsError(err)}`);
    return null;
  }
  const decoder = new EventDecoder(events, child, resume?.state.plugins);
  try {
    const { size, mtimeMs } = await handle.stat();
    const from = resume?.offset ?? 0;
    // A 0-byte file is a writer that never flushed (common after aborted starts): nothing to read, nothing wrong.
    const scan = size <= from
      ? { end: from, records: 0, badData: [], stop: null }
      : await scanTfRecords(handle, size, from, (buf, start, end, offset) => decoder.decode(buf, start, end, offset));
    reportDamage(file, sink, scan, decoder, now - mtimeMs > PARTIAL_RECORD_GRACE_MS);
    const before = resume?.state.wall;
    const lo = Math.min(before?.[0] ?? Infinity, decoder.minWallTime);
    const hi = Math.max(before?.[1] ?? -Infinity, decoder.maxWallTime);
    const state: EventFileState = {
      records: (resume?.state.records ?? 0) + scan.records,
      plugins: Object.fromEntries(decoder.plugins),
      wall: Number.isFinite(lo) ? [lo, hi] : null,
      others,
    };
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
  } else if (stop?.kind === 'too-large') {
    sink.problem(
      file,
      `the record header at byte ${stop.offset} claims ${stop.length} bytes, more than the ${MAX_TFRECORD_BYTES / 2 ** 20} MiB ` +
        `Labdesk reads and more than the file holds: the ${scan.records} records before it were read, the rest was skipped`,
    );
  } else if (stop?.kind === 'partial' && stale) {
    const what = stop.offset === 0 && scan.records === 0 ? 'no complete record' : `the last record is cut off at byte ${stop.offset}`;
    sink.problem(
      file,
      `${what} (${stop.have} of ${stop.need} bytes) and the file has not changed for over ` +
        `${PARTIAL_RECORD_GRACE_MS / 60_000} minutes: its writer stopped mid-record; the ${scan.records} records before it were read`,
    );
  }
  if (scan.oversized?.length) {
    const first = scan.oversized[0];
    sink.problem(
      file,
      `${scan.oversized.length} record(s) over the ${MAX_TFRECORD_BYTES / 2 ** 20} MiB Labdesk reads were skipped unread, ` +
        `first at byte ${first.offset} (${first.length} bytes); the records around them were read`,
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
