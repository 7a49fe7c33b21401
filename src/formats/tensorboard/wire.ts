/**
 * A reusable cursor over protobuf wire data, for the hot Event/Summary fields. protobufjs' Reader
 * returns a Long object for every int64 (the `long` package is installed here) and is created per
 * message; this one is reset in place, so a record costs no allocation beyond its tag string.
 */
export class WireReader {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  private view = new DataView(this.buf.buffer);

  reset(buf: Uint8Array, start: number, end: number): this {
    if (buf !== this.buf) {
      this.buf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    this.pos = start;
    this.end = end;
    return this;
  }

  /** A varint up to 2^53 exactly (steps, lengths, enums); larger ones lose precision, as JSON would. */
  varint(): number {
    const buf = this.buf;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new RangeError('varint runs past the end of the message');
      const b = buf[this.pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new RangeError('varint longer than 10 bytes');
  }

  /** An int64 varint (steps): exact to 2^53; negative values arrive as 10-byte two's complement. */
  int64(): number {
    this.varint64();
    const { lo, hi } = this;
    return hi & 0x80000000 ? -((~hi >>> 0) * 0x1_0000_0000 + (~lo >>> 0) + 1) : hi * 0x1_0000_0000 + lo;
  }

  /** An int32 varint: negative ones are sign-extended to 10 bytes on the wire, so keep the low 32 bits. */
  int32(): number {
    this.varint64();
    return this.lo | 0;
  }

  private lo = 0;
  private hi = 0;

  /** Reads a varint into two unsigned 32-bit halves (a double cannot hold 64 bits exactly). */
  private varint64(): void {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new RangeError('varint runs past the end of the message');
      const b = buf[this.pos++];
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) {
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    throw new RangeError('varint longer than 10 bytes');
  }

  double(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  float(): number {
    this.need(4);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Length of a length-delimited field; leaves the cursor at its first byte. */
  length(): number {
    const n = this.varint();
    this.need(n);
    return n;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.need(8);
        this.pos += 8;
        return;
      case 2: {
        const n = this.length(); // read before `pos`: the length's own bytes move it
        this.pos += n;
        return;
      }
      case 5:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new RangeError(`unsupported wire type ${wireType}`);
    }
  }

  /** A view of the current buffer, for fixed-width values inside `tensor_content`. */
  dataView(): DataView {
    return this.view;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new RangeError('field runs past the end of the message');
  }
}

const utf8 = new TextDecoder('utf-8');
/** Interned tag strings: event files repeat a handful of tags millions of times. */
const MAX_CACHED = 4096;

/** Decodes UTF-8 strings, reusing the string of bytes seen before (no allocation per record). */
export class StringCache {
  private readonly byHash = new Map<number, { bytes: Uint8Array; text: string }>();

  read(buf: Uint8Array, start: number, end: number): string {
    const n = end - start;
    if (n > 128) return utf8.decode(buf.subarray(start, end));
    let h = n;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    const hit = this.byHash.get(h);
    if (hit && hit.bytes.length === n) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (hit.bytes[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return hit.text;
    }
    const bytes = Uint8Array.from(buf.subarray(start, end)); // a copy: the record buffer is reused
    const text = utf8.decode(bytes);
    if (this.byHash.size < MAX_CACHED) this.byHash.set(h, { bytes, text });
    return text;
  }
}
