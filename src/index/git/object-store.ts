import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { openRegularFile, readFirstBytes } from '../../formats/util/files.js';
import { GitUnknowable, type WorkBudget } from './budget.js';

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';

export interface GitObject {
  type: ObjectType;
  data: Buffer;
}

const TYPES: Record<number, ObjectType | undefined> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const OFS_DELTA = 6;
const REF_DELTA = 7;
// git itself builds chains of at most 50 (250 with old `gc --aggressive`); longer is not a real pack.
const MAX_DELTA_CHAIN = 1000;
const MAX_PACKS = 256;
// Pack indexes are read whole (about 28 bytes per object): this covers ~9 million objects in all.
const MAX_PACK_INDEX_BYTES = 256 * 1024 * 1024;
// Resolved pack objects kept for reuse: sibling trees are usually deltas of one another.
const MAX_CACHED_BYTES = 32 * 1024 * 1024;

interface PackIndex {
  packFile: string;
  idx: Buffer;
  count: number;
  oidsAt: number;
  offsetsAt: number;
  largeAt: number;
  handle: FileHandle | null;
  size: number;
}

type Location = { kind: 'pack'; pack: PackIndex; offset: number } | { kind: 'loose' };

/**
 * Reads objects from a repository's object folder (loose and packed, with deltas), read-only and
 * bounded: every object's size is checked before it is inflated, and a delta chain has a length cap.
 * Alternates and promisor remotes are not followed: an object found in neither is unknowable.
 */
export class ObjectStore {
  private packs: PackIndex[] | null = null;
  private readonly cache = new Map<string, GitObject>();
  private cachedBytes = 0;

  constructor(
    private readonly objectsDir: string,
    private readonly hashBytes: number,
    private readonly budget: WorkBudget,
  ) {}

  /** The object `oid` (hex); throws GitUnknowable when it is missing, malformed or larger than `maxSize`. */
  async read(oid: string, maxSize: number): Promise<GitObject> {
    const loc = await this.locate(Buffer.from(oid, 'hex'));
    if (loc.kind === 'loose') return this.readLoose(oid, maxSize);
    return this.readPacked(loc.pack, loc.offset, maxSize);
  }

  /** Closes the pack files opened so far. */
  async close(): Promise<void> {
    for (const pack of this.packs ?? []) await pack.handle?.close().catch(() => {});
  }

  private async locate(oid: Buffer): Promise<Location> {
    if (oid.length !== this.hashBytes) throw new GitUnknowable('object id of the wrong length');
    for (const pack of await this.loadPacks()) {
      const offset = findInPack(pack, oid, this.hashBytes);
      if (offset !== null) return { kind: 'pack', pack, offset };
    }
    return { kind: 'loose' };
  }

  private async readLoose(oid: string, maxSize: number): Promise<GitObject> {
    const file = path.join(this.objectsDir, oid.slice(0, 2), oid.slice(2));
    let compressed: Buffer;
    try {
      // Deflate never grows data by more than a few bytes per 16 KiB block.
      compressed = await readWhole(file, maxSize + (maxSize >>> 8) + 1024);
    } catch (err) {
      if (err instanceof GitUnknowable) throw err;
      throw new GitUnknowable(`object ${oid} not found`);
    }
    const raw = inflate(compressed, maxSize + 64);
    const nul = raw.indexOf(0);
    const header = /^(commit|tree|blob|tag) (\d+)$/.exec(raw.toString('latin1', 0, Math.max(nul, 0)));
    if (nul < 0 || !header || Number(header[2]) !== raw.length - nul - 1) throw new GitUnknowable(`object ${oid} is malformed`);
    if (raw.length - nul - 1 > maxSize) throw new GitUnknowable(`object ${oid} is too large`);
    return { type: header[1] as ObjectType, data: raw.subarray(nul + 1) };
  }

  private async readPacked(pack: PackIndex, offset: number, maxSize: number): Promise<GitObject> {
    // Walk down the chain of deltas to a whole object, then apply the deltas back up.
    const deltas: Buffer[] = [];
    const keys: string[] = [];
    let base: GitObject | null = null;
    for (;;) {
      this.budget.tick();
      if (deltas.length > MAX_DELTA_CHAIN) throw new GitUnknowable('delta chain too long');
      const key = `${pack.packFile}:${offset}`;
      const cached = this.cache.get(key);
      if (cached) {
        base = cached;
        break;
      }
      keys.push(key);
      const entry = await readPackEntry(pack, offset, maxSize, this.hashBytes);
      if (entry.type !== OFS_DELTA && entry.type !== REF_DELTA) {
        const type = TYPES[entry.type];
        if (!type) throw new GitUnknowable(`unknown object type ${entry.type} in a pack`);
        base = { type, data: entry.data };
        break;
      }
      deltas.push(entry.data);
      if (entry.type === OFS_DELTA) {
        offset = entry.baseOffset;
        continue;
      }
      const loc = await this.locate(entry.baseOid);
      if (loc.kind === 'loose') {
        base = await this.readLoose(entry.baseOid.toString('hex'), maxSize);
        break;
      }
      pack = loc.pack;
      offset = loc.offset;
    }
    let result: GitObject = base;
    // keys[i] names the object that deltas[i] produces; the last key may be the whole base itself.
    if (keys.length > deltas.length) this.remember(keys[deltas.length], result);
    for (let i = deltas.length - 1; i >= 0; i--) {
      this.budget.tick();
      result = { type: result.type, data: applyDelta(result.data, deltas[i], maxSize) };
      this.remember(keys[i], result);
    }
    return result;
  }

  private remember(key: string, obj: GitObject): void {
    if (obj.data.length > MAX_CACHED_BYTES / 4) return;
    while (this.cachedBytes + obj.data.length > MAX_CACHED_BYTES && this.cache.size) {
      const [oldest, old] = this.cache.entries().next().value as [string, GitObject];
      this.cache.delete(oldest);
      this.cachedBytes -= old.data.length;
    }
    this.cache.set(key, obj);
    this.cachedBytes += obj.data.length;
  }

  private async loadPacks(): Promise<PackIndex[]> {
    if (this.packs) return this.packs;
    const dir = path.join(this.objectsDir, 'pack');
    let names: string[];
    try {
      names = (await fs.readdir(dir)).filter((n) => n.endsWith('.idx')).sort();
    } catch {
      names = [];
    }
    if (names.length > MAX_PACKS) throw new GitUnknowable(`more than ${MAX_PACKS} packs`);
    const packs: PackIndex[] = [];
    let total = 0;
    for (const name of names) {
      this.budget.tick();
      const idx = await readWhole(path.join(dir, name), MAX_PACK_INDEX_BYTES - total);
      total += idx.length;
      packs.push(parsePackIndex(idx, path.join(dir, name.replace(/\.idx$/, '.pack')), this.hashBytes));
    }
    this.packs = packs;
    return packs;
  }
}

/** Reads a whole regular file of at most `maxBytes`; a bigger one is unknowable, a missing one throws ENOENT. */
export async function readWhole(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await openRegularFile(file);
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new GitUnknowable(`${path.basename(file)} is larger than ${maxBytes} bytes`);
    return await readFirstBytes(handle, size);
  } finally {
    await handle.close();
  }
}

function inflate(data: Buffer, maxOutput: number): Buffer {
  try {
    // The cap makes zlib stop (and throw) instead of inflating a bomb.
    return zlib.inflateSync(data, { maxOutputLength: Math.max(1, maxOutput) });
  } catch {
    throw new GitUnknowable('a compressed object is corrupt or larger than declared');
  }
}

// Pack index v2: magic, version, 256-entry fan-out, sorted ids, CRCs, 31-bit offsets, 64-bit offsets.
function parsePackIndex(idx: Buffer, packFile: string, hashBytes: number): PackIndex {
  if (idx.length < 8 + 1024 || idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2) {
    throw new GitUnknowable('unsupported pack index');
  }
  let previous = 0;
  for (let i = 0; i < 256; i++) {
    const n = idx.readUInt32BE(8 + i * 4);
    if (n < previous) throw new GitUnknowable('corrupt pack index');
    previous = n;
  }
  const count = previous;
  const oidsAt = 8 + 1024;
  const offsetsAt = oidsAt + count * (hashBytes + 4);
  const largeAt = offsetsAt + count * 4;
  if (largeAt + 2 * hashBytes > idx.length) throw new GitUnknowable('truncated pack index');
  return { packFile, idx, count, oidsAt, offsetsAt, largeAt, handle: null, size: 0 };
}

function findInPack(pack: PackIndex, oid: Buffer, hashBytes: number): number | null {
  const { idx } = pack;
  let lo = oid[0] === 0 ? 0 : idx.readUInt32BE(8 + (oid[0] - 1) * 4);
  let hi = idx.readUInt32BE(8 + oid[0] * 4);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = pack.oidsAt + mid * hashBytes;
    const cmp = idx.compare(oid, 0, hashBytes, at, at + hashBytes);
    if (cmp === 0) return packOffset(pack, mid);
    if (cmp < 0) lo = mid + 1;
    else hi = mid;
  }
  return null;
}

function packOffset(pack: PackIndex, i: number): number {
  const small = pack.idx.readUInt32BE(pack.offsetsAt + i * 4);
  if (!(small & 0x80000000)) return small;
  const at = pack.largeAt + (small & 0x7fffffff) * 8;
  if (at + 8 > pack.idx.length) throw new GitUnknowable('corrupt pack index');
  const large = pack.idx.readBigUInt64BE(at);
  if (large > BigInt(Number.MAX_SAFE_INTEGER)) throw new GitUnknowable('corrupt pack index');
  return Number(large);
}

/** One pack entry, inflated: a whole object, or a delta with its base (an earlier offset, or an id). */
interface PackEntry {
  type: number;
  data: Buffer;
  baseOffset: number;
  baseOid: Buffer;
}

async function readPackEntry(pack: PackIndex, offset: number, maxSize: number, hashBytes: number): Promise<PackEntry> {
  if (!pack.handle) {
    try {
      pack.handle = await openRegularFile(pack.packFile);
      pack.size = (await pack.handle.stat()).size;
    } catch {
      throw new GitUnknowable('a pack file cannot be read');
    }
  }
  if (offset < 12 || offset >= pack.size) throw new GitUnknowable('pack offset out of range');
  const head = Buffer.alloc(Math.min(64, pack.size - offset));
  await pack.handle.read(head, 0, head.length, offset);
  // Type in bits 4-6 of the first byte, size in little-endian 7-bit groups.
  let p = 0;
  let byte = head[p++];
  const type = (byte >> 4) & 7;
  let size = byte & 15;
  for (let shift = 4; byte & 0x80; shift += 7) {
    if (p >= head.length || shift > 49) throw new GitUnknowable('corrupt pack entry');
    byte = head[p++];
    size += (byte & 0x7f) * 2 ** shift;
  }
  if (size > maxSize) throw new GitUnknowable('object too large');
  let baseOffset = 0;
  let baseOid = Buffer.alloc(0);
  if (type === OFS_DELTA) {
    // Big-endian 7-bit groups, each continuation adding one (git's offset encoding).
    byte = head[p++];
    let back = byte & 0x7f;
    while (byte & 0x80) {
      if (p >= head.length || back > 2 ** 45) throw new GitUnknowable('corrupt pack entry');
      byte = head[p++];
      back = (back + 1) * 128 + (byte & 0x7f);
    }
    baseOffset = offset - back;
    if (back <= 0 || baseOffset < 12) throw new GitUnknowable('corrupt delta base offset');
  } else if (type === REF_DELTA) {
    baseOid = Buffer.from(head.subarray(p, p + hashBytes));
    p += hashBytes;
    if (baseOid.length !== hashBytes) throw new GitUnknowable('corrupt pack entry');
  }
  const start = offset + p;
  const compressed = Buffer.alloc(Math.max(0, Math.min(size + (size >>> 8) + 64, pack.size - start)));
  await pack.handle.read(compressed, 0, compressed.length, start);
  const data = inflate(compressed, size);
  if (data.length !== size) throw new GitUnknowable('pack entry size mismatch');
  return { type, data, baseOffset, baseOid };
}

/** Applies a git delta (source size, result size, then copy and insert ops) to `base`. */
export function applyDelta(base: Buffer, delta: Buffer, maxSize: number): Buffer {
  let p = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (p >= delta.length || shift > 49) throw new GitUnknowable('corrupt delta');
      const byte = delta[p++];
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return value;
    }
  };
  if (varint() !== base.length) throw new GitUnknowable('delta does not fit its base');
  const size = varint();
  if (size > maxSize) throw new GitUnknowable('object too large');
  const out = Buffer.alloc(size);
  let o = 0;
  while (p < delta.length) {
    const op = delta[p++];
    if (op & 0x80) {
      let from = 0;
      let len = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) from += delta[p++] * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (1 << (4 + i))) len += delta[p++] * 2 ** (8 * i);
      if (len === 0) len = 0x10000;
      if (p > delta.length || from + len > base.length || o + len > size) throw new GitUnknowable('corrupt delta');
      base.copy(out, o, from, from + len);
      o += len;
    } else if (op > 0) {
      if (p + op > delta.length || o + op > size) throw new GitUnknowable('corrupt delta');
      delta.copy(out, o, p, p + op);
      p += op;
      o += op;
    } else {
      throw new GitUnknowable('corrupt delta');
    }
  }
  if (o !== size) throw new GitUnknowable('corrupt delta');
  return out;
}
