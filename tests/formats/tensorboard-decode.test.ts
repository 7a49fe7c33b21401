import fs from 'node:fs';
import path from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { describe, expect, it } from 'vitest';
import { EventDecoder } from '../../src/formats/tensorboard/events.js';
import { halfToNumber } from '../../src/formats/tensorboard/tensor.js';
import { maskedCrc32c, scanTfRecords } from '../../src/formats/tensorboard/tfrecord.js';
import { tempDir } from '../helpers.js';

// Hand-assembled protobuf, so the decoder is checked against the wire format rather than against itself.
function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  while (v >= 128n) {
    out.push(Number(v & 127n) | 128);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const ld = (field: number, ...parts: (Buffer | number[])[]) => {
  const body = Buffer.concat(parts.map((p) => Buffer.from(p)));
  return Buffer.concat([Buffer.from([...key(field, 2), ...varint(body.length)]), body]);
};
const f32 = (v: number) => { const b = Buffer.alloc(4); b.writeFloatLE(v); return b; };
const f64 = (v: number) => { const b = Buffer.alloc(8); b.writeDoubleLE(v); return b; };
const str = (s: string) => Buffer.from(s);

function event(step: number, values: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from(key(1, 1)), f64(1700000000.5), Buffer.from([...key(2, 0), ...varint(step)]), ld(5, ...values.map((v) => ld(1, v)))]);
}
const tagged = (tag: string, ...fields: Buffer[]) => Buffer.concat([ld(1, str(tag)), ...fields]);
const tensor = (dtype: number, ...fields: Buffer[]) => ld(8, key(1, 0), varint(dtype), ...fields);
const plugin = (name: string, dataClass = 0) =>
  ld(9, ld(1, ld(1, str(name))), dataClass ? Buffer.from([...key(4, 0), ...varint(dataClass)]) : []);
const shape = (...dims: number[]) => ld(2, ...dims.map((d) => ld(2, key(1, 0), varint(d))));

function decodeAll(records: Buffer[]) {
  const points: [string, number, number][] = [];
  const others: [string, string][] = [];
  const d = new EventDecoder({
    scalar: (k, step, v) => points.push([k, step, v]),
    other: (kind, k) => others.push([kind, k]),
    hparams: () => {},
  });
  for (const r of records) d.decode(r, 0, r.length, 0);
  return { points, others, decoder: d };
}

describe('scalar tensors in every encoding writers use', () => {
  const cases: [string, Buffer, number][] = [
    ['float tensor_content', tensor(1, shape(), ld(4, f32(0.25))), 0.25],
    ['float_val packed', tensor(1, ld(5, f32(-1.5))), -1.5],
    ['float_val unpacked', tensor(1, Buffer.from(key(5, 5)), f32(3.5)), 3.5],
    ['double tensor_content', tensor(2, ld(4, f64(0.1))), 0.1],
    ['double_val packed', tensor(2, ld(6, f64(1e-300))), 1e-300],
    ['int32 int_val negative', tensor(3, ld(7, varint(-7))), -7],
    ['int32 tensor_content', tensor(3, ld(4, [0xfe, 0xff, 0xff, 0xff])), -2],
    ['int64 int64_val', tensor(9, Buffer.from([...key(10, 0), ...varint(2 ** 40)])), 2 ** 40],
    ['int64 tensor_content', tensor(9, ld(4, [1, 0, 0, 0, 0, 0, 0, 0x80])), -(2 ** 63) + 1],
    ['uint8 tensor_content', tensor(4, ld(4, [200])), 200],
    ['half half_val', tensor(19, ld(13, varint(0x3c00))), 1],
    ['half tensor_content', tensor(19, ld(4, [0x00, 0xc0])), -2],
    ['bfloat16 half_val', tensor(14, ld(13, varint(0x3f80))), 1],
    ['shape [1, 1]', tensor(1, shape(1, 1), ld(5, f32(2))), 2],
  ];
  for (const [what, t, expected] of cases) {
    it(what, () => {
      const { points, others } = decodeAll([event(7, [tagged('x', t, plugin('scalars'))])]);
      expect(others).toEqual([]);
      expect(points).toEqual([['x', 7, expected]]);
    });
  }

  it('half precision edge values', () => {
    expect(halfToNumber(0x7bff)).toBe(65504);
    expect(halfToNumber(0x0001)).toBe(2 ** -24);
    expect(halfToNumber(0x7c00)).toBe(Infinity);
    expect(halfToNumber(0xfc00)).toBe(-Infinity);
    expect(halfToNumber(0x7e00)).toBeNaN();
  });

  it('keeps NaN and infinities as values, and negative steps', () => {
    const { points } = decodeAll([
      event(-1, [tagged('a', Buffer.from(key(2, 5)), f32(NaN))]),
      event(2, [tagged('a', Buffer.from(key(2, 5)), f32(-Infinity))]),
    ]);
    expect(points).toEqual([['a', -1, NaN], ['a', 2, -Infinity]]);
  });
});

describe('what is not a scalar stays out of the metrics', () => {
  it('vectors, strings and other plugins are listed by kind; plugin metadata is remembered per tag', () => {
    const { points, others } = decodeAll([
      event(0, [tagged('vec', tensor(1, shape(3), ld(5, f32(1), f32(2), f32(3))))]),
      event(0, [tagged('note', tensor(7, ld(8, str('hello'))), plugin('text'))]),
      event(1, [tagged('note', tensor(7, ld(8, str('again'))))]),
      event(0, [tagged('w', tensor(1, shape(1, 3), ld(5, f32(1), f32(2), f32(3))), plugin('histograms'))]),
      event(0, [tagged('one', tensor(1, ld(5, f32(4))), plugin('histograms'))]),
      event(0, [tagged('img', ld(4, key(1, 0), varint(2)))]),
      event(0, [tagged('h', ld(5, key(1, 1), f64(0)))]),
      event(0, [tagged('declared', tensor(1, ld(5, f32(9))), plugin('', 1))]),
    ]);
    expect(points).toEqual([['declared', 0, 9]]);
    expect(others).toEqual([
      ['tensors', 'vec'], ['text', 'note'], ['text', 'note'], ['histograms', 'w'], ['histograms', 'one'], ['images', 'img'], ['histograms', 'h'],
    ]);
  });

  it('a record that is not an Event is reported as malformed, not thrown', () => {
    const { decoder, points } = decodeAll([Buffer.from([0x2a, 0x64, 0x0a]), Buffer.from([0xff, 0xff, 0xff])]);
    expect(points).toEqual([]);
    expect(decoder.malformed).toHaveLength(2);
  });
});

describe('TFRecord framing', () => {
  const mask = (c: number) => ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;

  it('masks CRC32C as TensorFlow does, in JS and native ranges alike', () => {
    for (const n of [0, 1, 8, 95, 96, 1000]) {
      const data = Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff));
      expect(maskedCrc32c(data, 0, n)).toBe(mask(crc32c(data)));
    }
  });

  it('reads records across chunk boundaries and larger than a chunk, the same as in one go', async () => {
    const payloads = [Buffer.alloc(10, 1), Buffer.alloc(300, 2), Buffer.alloc(33, 3), Buffer.alloc(5000, 4), Buffer.alloc(0)];
    const frames = payloads.map((p) => {
      const head = Buffer.alloc(12);
      head.writeUInt32LE(p.length, 0);
      head.writeUInt32LE(mask(crc32c(head.subarray(0, 8))), 8);
      const foot = Buffer.alloc(4);
      foot.writeUInt32LE(mask(crc32c(p)), 0);
      return Buffer.concat([head, p, foot]);
    });
    const file = path.join(tempDir(), 'records');
    fs.writeFileSync(file, Buffer.concat(frames));
    const size = fs.statSync(file).size;
    for (const chunk of [16, 64, 1 << 20]) {
      const handle = await fs.promises.open(file);
      const seen: [number, number, number][] = [];
      const scan = await scanTfRecords(handle, size, 0, (buf, s, e, offset) => seen.push([offset, e - s, e > s ? buf[s] : -1]), chunk);
      await handle.close();
      expect(scan).toEqual({ end: size, records: 5, badData: [], stop: null });
      expect(seen).toEqual([[0, 10, 1], [26, 300, 2], [342, 33, 3], [391, 5000, 4], [5407, 0, -1]]);
    }
  });
});
