import type { FileHandle } from 'node:fs/promises';
import { crc32 } from '@node-rs/crc32';

/**
 * The `.wandb` transaction log's framing (wandb/sdk/internal/datastore.py and wandb-core's Go port):
 * a 7-byte file header (`:W&B`, magic 0xBEE1 little-endian, version 0), then LevelDB-log-style
 * 32 KiB blocks counted from the start of the file. Each chunk has a 7-byte header: checksum
 * (uint32 LE), length (uint16 LE), type (FULL=1, FIRST=2, MIDDLE=3, LAST=4). A block's tail shorter
 * than a chunk header is zero padding.
 *
 * The checksum is *IEEE* CRC-32 (zlib's, seeded with the CRC of the type byte, i.e. the CRC of
 * type byte + data) — not CRC-32C as the datastore.py docstring and LevelDB's own format say.
 */
export const BLOCK_SIZE = 32 * 1024;
export const HEADER_SIZE = 7;
const IDENT = Buffer.from(':W&B', 'latin1');
const MAGIC = 0xbee1;
const VERSION = 0;

/**
 * The largest record assembled: history rows and config are kilobytes (media are files beside the
 * log). A record's size is known only as its chunks arrive, so past this its chunks are counted, not kept.
 */
export const MAX_WANDB_RECORD_BYTES = 64 * 1024 * 1024;

const FULL = 1;
const FIRST = 2;
const MIDDLE = 3;
const LAST = 4;

/** One logical record: a serialized `wandb_internal.Record` and the file offset of its first chunk. */
export interface FramedRecord {
  offset: number;
  data: Buffer;
}

/** What a scan found besides records; filled in while the generator runs. */
export interface ScanReport {
  /** Offset just past the last complete record (where a later tail read resumes). */
  end: number;
  /** Damage found, each with the byte offset where it starts; records after a damaged block are still read. */
  damage: { offset: number; message: string }[];
  /** Bytes after `end` that hold an incomplete last record (a run still writing, or a cut-off copy). */
  cutOff: number;
  /** Offsets of records over MAX_WANDB_RECORD_BYTES, stepped over unread (absent when none). */
  oversized?: number[];
}

/** Reads and checks the 7-byte file header; a message when it is not a W&B transaction log. */
export function checkFileHeader(head: Buffer): string | null {
  if (head.length < HEADER_SIZE) return `only ${head.length} bytes: shorter than the 7-byte :W&B header`;
  if (!head.subarray(0, 4).equals(IDENT)) return 'does not start with the ":W&B" header: not a W&B transaction log';
  const magic = head.readUInt16LE(4);
  if (magic !== MAGIC) return `unexpected header magic 0x${magic.toString(16)} (expected 0xbee1)`;
  if (head[6] !== VERSION) return `unknown .wandb format version ${head[6]} (Labdesk reads version 0)`;
  return null;
}

/**
 * Yields the records of a `.wandb` file one by one, from `from` (a record boundary: the end of the
 * header, or a stored `ScanReport.end`), reading one 32 KiB block at a time (a record
 * spanning blocks is held until its LAST chunk). A chunk whose checksum or framing is wrong is
 * reported and its block skipped, as LevelDB's reader does: the records before it are kept and
 * reading resumes at the next block.
 */
export async function* readFramedRecords(
  handle: FileHandle,
  size: number,
  report: ScanReport,
  from = HEADER_SIZE,
): AsyncGenerator<FramedRecord> {
  const block = Buffer.alloc(BLOCK_SIZE);
  let pending: Buffer[] = [];
  let pendingStart = -1;
  let pendingBytes = 0;
  let oversized = false; // the pending record passed the cap: its chunks are counted, not kept
  const drop = () => {
    pending = [];
    pendingStart = -1;
    pendingBytes = 0;
    oversized = false;
  };
  report.end = from;
  // Blocks count from the file's start, so reading on from a record boundary starts mid-block.
  const firstBlock = from - (from % BLOCK_SIZE);
  for (let blockStart = firstBlock; blockStart < size; blockStart += BLOCK_SIZE) {
    const length = Math.min(BLOCK_SIZE, size - blockStart);
    await readFully(handle, block, length, blockStart);
    const isLastBlock = blockStart + length >= size;
    let at = blockStart === firstBlock ? from - firstBlock : 0; // the file header sits in the first block
    while (at + HEADER_SIZE <= length) {
      const offset = blockStart + at;
      const checksum = block.readUInt32LE(at);
      const dataLength = block.readUInt16LE(at + 4);
      const type = block[at + 6];
      if (checksum === 0 && dataLength === 0 && type === 0) break; // zero fill: the rest of the block is padding
      const dataStart = at + HEADER_SIZE;
      if (dataStart + dataLength > length) {
        if (isLastBlock && length < BLOCK_SIZE) {
          // The file ends inside this chunk: what is left is a record being written or a lost write.
          report.cutOff = size - (pendingStart >= 0 ? pendingStart : offset);
          return;
        }
        report.damage.push({ offset, message: `chunk length ${dataLength} runs past the end of its 32 KiB block` });
        drop();
        break;
      }
      const data = block.subarray(dataStart, dataStart + dataLength);
      if (crc32(data, crc32(block.subarray(at + 6, at + 7))) !== checksum) {
        report.damage.push({ offset, message: 'checksum mismatch (the data is corrupt)' });
        drop();
        break; // the length may be garbage too: resume at the next block
      }
      at = dataStart + dataLength;
      if (type === FULL || type === FIRST) {
        if (pendingStart >= 0) report.damage.push({ offset: pendingStart, message: 'a record split across chunks was never finished; it was skipped' });
        drop();
        if (type === FULL) {
          report.end = blockStart + at;
          yield { offset, data: Buffer.from(data) };
        } else {
          pending = [Buffer.from(data)];
          pendingStart = offset;
          pendingBytes = data.length;
        }
      } else if (type === MIDDLE || type === LAST) {
        if (pendingStart < 0) continue; // the tail of a record whose start was damaged: already reported
        pendingBytes += data.length;
        if (!oversized && pendingBytes > MAX_WANDB_RECORD_BYTES) {
          (report.oversized ??= []).push(pendingStart);
          oversized = true;
          pending = [];
        }
        if (!oversized) pending.push(Buffer.from(data));
        if (type === LAST) {
          const record = oversized ? null : { offset: pendingStart, data: Buffer.concat(pending) };
          drop();
          report.end = blockStart + at; // an oversized record is stepped over whole: a later read resumes after it
          if (record) yield record;
        }
      } else {
        report.damage.push({ offset, message: `unknown chunk type ${type}` });
        drop();
        break;
      }
    }
    if (isLastBlock && at < length && at + HEADER_SIZE > length && length < BLOCK_SIZE && !isZero(block, at, length)) {
      report.cutOff = size - (pendingStart >= 0 ? pendingStart : blockStart + at); // a header cut short
      return;
    }
  }
  if (pendingStart >= 0) report.cutOff = size - pendingStart; // FIRST/MIDDLE chunks without their LAST yet
}

function isZero(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return false;
  return true;
}

async function readFully(handle: FileHandle, buf: Buffer, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, position + done);
    if (bytesRead === 0) {
      buf.fill(0, done, length); // the file shrank while being read: treat the rest as absent
      return;
    }
    done += bytesRead;
  }
}
