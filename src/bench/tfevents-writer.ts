import fs from 'node:fs';
import { maskedCrc32c } from '../formats/tensorboard/tfrecord.js';

/**
 * Writes TensorBoard event files byte for byte as TF's EventsWriter and tensorboardX do: TFRecord
 * framing around proto3-encoded `Event`s, fields in field-number order, defaults (step 0) omitted.
 * Hand-encoded into one reused buffer: protobufjs would allocate per message, and 900k of them
 * would make generating the data slower than indexing it.
 */
export class EventFileWriter {
  private readonly buf = Buffer.allocUnsafe(4 << 20);
  private at = 0;
  private readonly fd: number;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  /** The first record of every file: `Event{wall_time, file_version: "brain.Event:2"}`. */
  fileVersion(wallTime: number): void {
    const version = Buffer.from('brain.Event:2');
    this.record(9 + 1 + 1 + version.length, (b, i) => {
      i = double(b, i, 1, wallTime);
      b[i++] = (3 << 3) | 2;
      b[i++] = version.length;
      return i + version.copy(b, i);
    });
  }

  /** `Event{wall_time, step, summary: Summary{value: [Value{tag, simple_value}]}}` */
  scalar(wallTime: number, step: number, tag: Buffer, value: number): void {
    const valueLen = 1 + varintSize(tag.length) + tag.length + 5;
    const summaryLen = 1 + varintSize(valueLen) + valueLen;
    const stepLen = step === 0 ? 0 : 1 + varintSize(step);
    this.record(9 + stepLen + 1 + varintSize(summaryLen) + summaryLen, (b, i) => {
      i = double(b, i, 1, wallTime);
      if (step !== 0) {
        b[i++] = 2 << 3; // int64, varint
        i = varint(b, i, step);
      }
      b[i++] = (5 << 3) | 2; // summary
      i = varint(b, i, summaryLen);
      b[i++] = (1 << 3) | 2; // Summary.value
      i = varint(b, i, valueLen);
      b[i++] = (1 << 3) | 2; // Value.tag
      i = varint(b, i, tag.length);
      i += tag.copy(b, i);
      b[i++] = (2 << 3) | 5; // Value.simple_value, fixed32
      b.writeFloatLE(value, i);
      return i + 4;
    });
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  /** uint64 length | masked crc32c(length) | data | masked crc32c(data) */
  private record(length: number, encode: (b: Buffer, at: number) => number): void {
    if (this.at + length + 16 > this.buf.length) this.flush();
    const b = this.buf;
    const start = this.at;
    b.writeUInt32LE(length, start);
    b.writeUInt32LE(0, start + 4);
    b.writeUInt32LE(maskedCrc32c(b, start, start + 8), start + 8);
    const end = encode(b, start + 12);
    if (end !== start + 12 + length) throw new Error(`event encoded to ${end - start - 12} bytes, expected ${length}`);
    b.writeUInt32LE(maskedCrc32c(b, start + 12, end), end);
    this.at = end + 4;
  }

  private flush(): void {
    let off = 0;
    while (off < this.at) off += fs.writeSync(this.fd, this.buf, off, this.at - off);
    this.at = 0;
  }
}

function double(b: Buffer, i: number, field: number, v: number): number {
  b[i++] = (field << 3) | 1;
  b.writeDoubleLE(v, i);
  return i + 8;
}

/** Varint of a non-negative safe integer (steps stay far below 2^53). */
function varint(b: Buffer, i: number, n: number): number {
  while (n >= 0x80) {
    b[i++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  b[i++] = n;
  return i;
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}
