import type { WireReader } from './wire.js';

// DataType values from tensorboard/compat/proto/types.proto.
const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_INT32 = 3;
const DT_UINT8 = 4;
const DT_INT16 = 5;
const DT_INT8 = 6;
const DT_INT64 = 9;
const DT_BFLOAT16 = 14;
const DT_UINT16 = 17;
const DT_HALF = 19;
const DT_UINT32 = 22;
const DT_UINT64 = 23;

/** Bytes per element in `tensor_content` for the numeric dtypes read as scalars. */
const WIDTH: Record<number, number> = {
  [DT_FLOAT]: 4, [DT_DOUBLE]: 8, [DT_INT32]: 4, [DT_UINT8]: 1, [DT_INT16]: 2, [DT_INT8]: 1, [DT_INT64]: 8,
  [DT_BFLOAT16]: 2, [DT_UINT16]: 2, [DT_HALF]: 2, [DT_UINT32]: 4, [DT_UINT64]: 8,
};

// TensorProto field numbers of the typed value lists (tensor.proto).
const F_FLOAT = 5;
const F_DOUBLE = 6;
const F_INT = 7; // int32, int16, int8, uint8, uint16
const F_INT64 = 10;
const F_HALF = 13; // half and bfloat16 bit patterns, one per int32
const F_UINT32 = 16;
const F_UINT64 = 17;

const scratch = new DataView(new ArrayBuffer(4));

/** IEEE 754 half precision from its 16 bits. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function bfloat16ToNumber(bits: number): number {
  scratch.setUint32(0, (bits & 0xffff) << 16);
  return scratch.getFloat32(0);
}

/** Reads one element of `dtype` at `at` in `tensor_content` (little-endian, as TensorFlow writes it). */
function fromContent(view: DataView, at: number, dtype: number): number {
  switch (dtype) {
    case DT_FLOAT: return view.getFloat32(at, true);
    case DT_DOUBLE: return view.getFloat64(at, true);
    case DT_INT32: return view.getInt32(at, true);
    case DT_UINT8: return view.getUint8(at);
    case DT_INT16: return view.getInt16(at, true);
    case DT_INT8: return view.getInt8(at);
    case DT_INT64: return Number(view.getBigInt64(at, true));
    case DT_UINT64: return Number(view.getBigUint64(at, true));
    case DT_UINT16: return view.getUint16(at, true);
    case DT_UINT32: return view.getUint32(at, true);
    case DT_HALF: return halfToNumber(view.getUint16(at, true));
    case DT_BFLOAT16: return bfloat16ToNumber(view.getUint16(at, true));
    default: return NaN;
  }
}

/** The first element of a typed value list field (packed or not), decoded for `dtype`. */
function fromList(r: WireReader, field: number, wireType: number, dtype: number): number | null {
  const unpacked = field === F_FLOAT ? 5 : field === F_DOUBLE ? 1 : 0;
  if (wireType === 2) {
    if (r.length() === 0) return null;
  } else if (wireType !== unpacked) return null;
  switch (field) {
    case F_FLOAT: return r.float();
    case F_DOUBLE: return r.double();
    case F_INT: return r.int32();
    case F_INT64: return r.int64();
    case F_UINT32:
    case F_UINT64: return r.varint();
    case F_HALF: return dtype === DT_BFLOAT16 ? bfloat16ToNumber(r.varint()) : halfToNumber(r.varint());
    default: return null;
  }
}

const LIST_FOR: Record<number, number> = {
  [DT_FLOAT]: F_FLOAT, [DT_DOUBLE]: F_DOUBLE, [DT_INT32]: F_INT, [DT_UINT8]: F_INT, [DT_INT16]: F_INT,
  [DT_INT8]: F_INT, [DT_UINT16]: F_INT, [DT_INT64]: F_INT64, [DT_HALF]: F_HALF, [DT_BFLOAT16]: F_HALF,
  [DT_UINT32]: F_UINT32, [DT_UINT64]: F_UINT64,
};

/**
 * The value of a TensorProto in `[start, end)` when it holds exactly one number (rank 0, or every
 * dimension 1), from `tensor_content` or the typed `*_val` list; null for strings, bools, vectors.
 */
export function tensorScalar(r: WireReader, start: number, end: number): number | null {
  r.pos = start;
  const outerEnd = r.end;
  r.end = end;
  try {
    let dtype = 0;
    let elements = 1;
    let contentAt = -1;
    let contentLength = 0;
    let listField = 0;
    let listWire = 0;
    let listAt = -1;
    while (r.pos < end) {
      const key = r.varint();
      const field = key >>> 3;
      const wire = key & 7;
      if (field === 1 && wire === 0) dtype = r.varint();
      else if (field === 2 && wire === 2) elements = shapeElements(r, r.length());
      else if (field === 4 && wire === 2) {
        contentLength = r.length();
        contentAt = r.pos;
        r.pos += contentLength;
      } else if (field >= 5 && field <= 17 && listAt < 0 && field !== 8 && field !== 11 && field !== 14) {
        listField = field;
        listWire = wire;
        listAt = r.pos;
        r.skip(wire);
      } else r.skip(wire);
    }
    const width = WIDTH[dtype];
    if (width === undefined || elements !== 1) return null;
    if (contentAt >= 0) return contentLength === width ? fromContent(r.dataView(), contentAt, dtype) : null;
    if (listAt < 0 || listField !== LIST_FOR[dtype]) return null;
    r.pos = listAt;
    return fromList(r, listField, listWire, dtype);
  } finally {
    r.end = outerEnd;
  }
}

/** Number of elements a TensorShapeProto describes (dims are field 2, each Dim's size field 1). */
function shapeElements(r: WireReader, length: number): number {
  const end = r.pos + length;
  let elements = 1;
  while (r.pos < end) {
    const key = r.varint();
    if (key >>> 3 === 3 && (key & 7) === 0) {
      if (r.varint()) elements = -1; // unknown rank
    } else if (key >>> 3 === 2 && (key & 7) === 2) {
      const dimEnd = r.length() + r.pos;
      let size = 0;
      while (r.pos < dimEnd) {
        const k = r.varint();
        if (k === 0x08) size = r.int64();
        else r.skip(k & 7);
      }
      elements = elements < 0 ? -1 : elements * size;
    } else r.skip(key & 7);
  }
  return elements;
}
