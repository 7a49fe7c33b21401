import type { FileHandle } from 'node:fs/promises';
import { crc32c } from '@node-rs/crc32';

// TFRecord framing (TensorFlow's record_writer.cc):
//   uint64 length | uint32 masked_crc32c(length) | data[length] | uint32 masked_crc32c(data)
const HEADER = 12;
const FOOTER = 4;
const MASK_DELTA = 0xa282ead8;

/**
 * The largest record read: scalar events are bytes to kilobytes, images and graphs megabytes. A
 * length header is only 8 bytes of untrusted input, so a bigger claim is never allocated.
 */
export const MAX_TFRECORD_BYTES = 64 * 1024 * 1024;

/** TFRecord's CRC mask: rotate right by 15, add a constant (so a CRC of CRC-bearing data stays sane). */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

const TABLE = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  TABLE[i] = c;
}

/**
 * Most event records are ~50 bytes: a native call costs ~180 ns (N-API + subarray), a JS table
 * lookup ~2 ns a byte, so short spans are summed here and long ones by the SIMD native code.
 */
const NATIVE_FROM = 96;

/** Masked CRC32C of `buf[start, end)`. */
export function maskedCrc32c(buf: Buffer, start: number, end: number): number {
  if (end - start >= NATIVE_FROM) return maskCrc(crc32c(buf.subarray(start, end)));
  let c = -1;
  for (let i = start; i < end; i++) c = TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return maskCrc((c ^ -1) >>> 0);
}

/** Why a scan stopped before the end of the file. */
export type TfRecordStop =
  /** A record that is not all there yet: a writer mid-flush, or a file cut short. */
  | { kind: 'partial'; offset: number; have: number; need: number }
  /** The length header fails its checksum: nothing after it can be framed. */
  | { kind: 'bad-length'; offset: number }
  /** A length over MAX_TFRECORD_BYTES that runs past the end of the file: a lying header, or a huge record cut off. */
  | { kind: 'too-large'; offset: number; length: number };

export interface TfRecordScan {
  /** Offset just past the last complete record: where a later read resumes. */
  end: number;
  records: number;
  /** Complete records whose data checksum failed (skipped: their length was trustworthy). */
  badData: number[];
  /** Records over MAX_TFRECORD_BYTES that fit in the file: stepped over unread (absent when none). */
  oversized?: { offset: number; length: number }[];
  stop: TfRecordStop | null;
}

/**
 * Called once per intact record with a view into a reused buffer: `buf[start, end)` is valid only
 * during the call. `offset` is the record's position in the file.
 */
export type OnRecord = (buf: Buffer, start: number, end: number, offset: number) => void;

/**
 * Streams the records of a TFRecord file from `from` up to `size`, in chunks (files can be GBs),
 * checking both CRCs. A callback instead of one promise per record keeps the hot loop synchronous.
 */
export async function scanTfRecords(
  handle: FileHandle,
  size: number,
  from: number,
  onRecord: OnRecord,
  chunkSize = 1 << 20,
): Promise<TfRecordScan> {
  const result: TfRecordScan = { end: from, records: 0, badData: [], stop: null };
  let buf = Buffer.allocUnsafe(Math.max(chunkSize, HEADER + FOOTER));
  let bufStart = from; // file offset of buf[0]
  let have = 0; // valid bytes in buf
  let pos = from;
  let eof = false;

  // Keeps the bytes from `pos` on and fills the rest of the buffer (growing it for a big record).
  const refill = async (need: number): Promise<void> => {
    // After an oversized record was stepped over, `pos` may lie past the buffered bytes: keep none.
    const keep = Math.max(0, have - (pos - bufStart));
    if (need > buf.length) {
      const bigger = Buffer.allocUnsafe(need + chunkSize);
      if (keep) buf.copy(bigger, 0, pos - bufStart, have);
      buf = bigger;
    } else if (keep && pos > bufStart) {
      buf.copy(buf, 0, pos - bufStart, have);
    }
    bufStart = pos;
    have = keep;
    while (have < buf.length && bufStart + have < size) {
      const want = Math.min(buf.length - have, size - (bufStart + have));
      const { bytesRead } = await handle.read(buf, have, want, bufStart + have);
      if (bytesRead === 0) {
        size = bufStart + have; // truncated under us: what is there is all there is
        break;
      }
      have += bytesRead;
    }
    eof = bufStart + have >= size;
  };

  while (pos < size) {
    let at = pos - bufStart;
    if (have - at < HEADER) {
      if (!eof) {
        await refill(HEADER);
        continue;
      }
      result.stop = { kind: 'partial', offset: pos, have: size - pos, need: HEADER + FOOTER };
      break;
    }
    const lo = buf.readUInt32LE(at);
    const hi = buf.readUInt32LE(at + 4);
    if (maskedCrc32c(buf, at, at + 8) !== buf.readUInt32LE(at + 8)) {
      result.stop = { kind: 'bad-length', offset: pos };
      break;
    }
    const length = hi * 0x1_0000_0000 + lo;
    const total = HEADER + length + FOOTER;
    if (length > MAX_TFRECORD_BYTES) {
      // Checked before anything is allocated for it; one that fits is stepped over, so what follows is read.
      if (pos + total > size) {
        result.stop = { kind: 'too-large', offset: pos, length };
        break;
      }
      (result.oversized ??= []).push({ offset: pos, length });
      pos += total;
      result.end = pos;
      continue;
    }
    if (pos + total > size) {
      result.stop = { kind: 'partial', offset: pos, have: size - pos, need: total };
      break;
    }
    if (have - at < total) {
      await refill(total);
      at = 0;
      if (have < total) {
        result.stop = { kind: 'partial', offset: pos, have, need: total };
        break;
      }
    }
    const dataStart = at + HEADER;
    const dataEnd = dataStart + length;
    if (maskedCrc32c(buf, dataStart, dataEnd) === buf.readUInt32LE(dataEnd)) {
      result.records++;
      onRecord(buf, dataStart, dataEnd, pos);
    } else {
      result.badData.push(pos);
    }
    pos += total;
    result.end = pos;
  }
  return result;
}
