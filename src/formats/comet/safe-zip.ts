import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { describeFsError, openRegularFile } from '../util/files.js';

const READ_CHUNK = 64 * 1024;

/**
 * yauzl reading through a FileHandle that `openRegularFile` opened (never a FIFO, never through a
 * link out of the indexed folder); the handle is closed when yauzl lets go of the archive.
 */
class HandleReader extends yauzl.RandomAccessReader {
  constructor(private readonly handle: FileHandle) {
    super();
  }

  // Positional reads on the handle: a FileHandle's own read streams close it when they end.
  override _readStreamForRange(start: number, end: number): Readable {
    const handle = this.handle;
    return Readable.from((async function* () {
      for (let at = start; at < end; ) {
        const chunk = Buffer.alloc(Math.min(READ_CHUNK, end - at));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, at);
        if (bytesRead === 0) throw new Error('unexpected end of the archive');
        at += bytesRead;
        yield chunk.subarray(0, bytesRead);
      }
    })(), { objectMode: false });
  }

  override close(callback: (err: Error | null) => void): void {
    this.handle.close().then(() => callback(null), callback);
  }
}

/** Bounds on what an untrusted zip may make Labdesk read. Nothing is ever extracted to disk. */
export interface ZipLimits {
  /** Entries in the central directory; more is refused before any is listed. */
  maxEntries: number;
  /** Uncompressed bytes of all entries read, together. */
  maxTotalBytes: number;
  /** Claimed uncompressed ÷ compressed size above which an entry is taken for a zip bomb. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 1024 * 1024 * 1024 + 16 * 1024 * 1024,
  maxRatio: 200,
};

/** Ratios are only judged past this size: a short JSON file compresses very well and is harmless. */
const RATIO_FLOOR_BYTES = 1024 * 1024;

/** A zip opened for reading a few named entries, with every size bounded. */
export class SafeZip {
  private total = 0;

  private constructor(
    private readonly zip: ZipFile,
    /** The first entry of each name (a repeated name keeps its first). */
    readonly entries: Map<string, Entry>,
    private readonly limits: ZipLimits,
  ) {}

  /** Opens `file` and lists its entries; a damaged or hostile archive is an error message. */
  static async open(file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<SafeZip | { error: string }> {
    let handle: FileHandle;
    try {
      handle = await openRegularFile(file);
    } catch (err) {
      return { error: describeFsError(err) };
    }
    let zip: ZipFile;
    try {
      const { size } = await handle.stat();
      // decodeStrings makes yauzl refuse absolute names, `..` segments and backslashes outright.
      zip = await yauzl.fromRandomAccessReaderPromise(new HandleReader(handle), size, {
        lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true,
      });
    } catch (err) {
      await handle.close().catch(() => {});
      return { error: `not a readable zip archive: ${(err as Error).message}` };
    }
    if (zip.entryCount > limits.maxEntries) {
      zip.close();
      return { error: `${zip.entryCount} entries (limit ${limits.maxEntries})` };
    }
    const listed = await listEntries(zip);
    if ('error' in listed) {
      zip.close();
      return listed;
    }
    return new SafeZip(zip, listed.entries, limits);
  }

  /**
   * Streams one entry's bytes to `onChunk`, at most `maxBytes` of them (claimed and actual). Returns
   * null when the whole entry was read, else why it was refused or cut short.
   */
  async read(entry: Entry, maxBytes: number, onChunk: (chunk: Buffer) => void): Promise<string | null> {
    const refusal = this.refusal(entry, maxBytes);
    if (refusal) return refusal;
    let stream: Readable;
    try {
      stream = await this.zip.openReadStreamPromise(entry);
    } catch (err) {
      return `cannot be read: ${(err as Error).message}`;
    }
    // Never past the claimed size either: yauzl checks it (validateEntrySizes), and so does this.
    const cap = Math.min(maxBytes, entry.uncompressedSize, this.limits.maxTotalBytes - this.total);
    let seen = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        seen += chunk.length;
        if (seen > cap) return `holds more than ${cap} bytes once uncompressed (it claimed ${entry.uncompressedSize})`;
        onChunk(chunk);
      }
      return null;
    } catch (err) {
      return `is damaged: ${(err as Error).message}`;
    } finally {
      this.total += seen;
      stream.destroy();
    }
  }

  close(): void {
    this.zip.close();
  }

  private refusal(entry: Entry, maxBytes: number): string | null {
    if (entry.isEncrypted()) return 'is encrypted';
    if (!entry.canDecodeFileData()) return `uses compression method ${entry.compressionMethod}, which Labdesk does not read`;
    if (entry.uncompressedSize > maxBytes) return `is too large (${entry.uncompressedSize} bytes; limit ${maxBytes})`;
    if (this.total + entry.uncompressedSize > this.limits.maxTotalBytes) return 'would exceed the limit on bytes read from one archive';
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > this.limits.maxRatio) {
      return `claims a compression ratio of ${Math.round(ratio)}:1 (limit ${this.limits.maxRatio}:1), as zip bombs do`;
    }
    return null;
  }
}

function listEntries(zip: ZipFile): Promise<{ entries: Map<string, Entry> } | { error: string }> {
  return new Promise((resolve) => {
    const entries = new Map<string, Entry>();
    zip.on('entry', (entry: Entry) => {
      if (!entries.has(entry.fileName)) entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve({ entries }));
    zip.once('error', (err: Error) => resolve({ error: `damaged or unsafe zip archive: ${err.message}` }));
    zip.readEntry();
  });
}

/**
 * Calls `onLine` for each line of a byte stream fed by `push`, without ever holding more than
 * `maxLine` bytes of one line: longer lines are skipped and counted.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private skipping = false;
  /** 1-based number of the line being assembled. */
  lineNo = 1;
  overlong = 0;
  firstOverlong = 0;

  constructor(
    private readonly maxLine: number,
    private readonly onLine: (line: string, lineNo: number) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl < 0 ? chunk.length : nl;
      this.append(chunk.subarray(start, end));
      if (nl < 0) return;
      this.finishLine();
      start = nl + 1;
    }
  }

  /** Ends the stream: a last line without a newline is still a line. */
  end(): void {
    if (this.partBytes > 0 || this.skipping) this.finishLine();
  }

  private append(piece: Buffer): void {
    if (this.skipping || piece.length === 0) return;
    if (this.partBytes + piece.length > this.maxLine) {
      this.skipping = true;
      this.parts = [];
      this.partBytes = 0;
      return;
    }
    this.parts.push(piece);
    this.partBytes += piece.length;
  }

  private finishLine(): void {
    if (this.skipping) {
      this.overlong++;
      if (!this.firstOverlong) this.firstOverlong = this.lineNo;
    } else if (this.partBytes > 0) {
      this.onLine(Buffer.concat(this.parts, this.partBytes).toString('utf8'), this.lineNo);
    }
    this.parts = [];
    this.partBytes = 0;
    this.skipping = false;
    this.lineNo++;
  }
}
