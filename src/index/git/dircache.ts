import { GitUnknowable, type WorkBudget } from './budget.js';

/** One entry of `.git/index`: a staged path, its blob id, and the stat data git saw when it last matched. */
export interface IndexEntry {
  path: string;
  mode: number;
  oid: string;
  ctimeS: number;
  ctimeNs: number;
  mtimeS: number;
  mtimeNs: number;
  ino: number;
  uid: number;
  gid: number;
  size: number;
  /** 0 normally; 1-3 while a merge conflict is unresolved. */
  stage: number;
  /** `update-index --assume-unchanged`: git does not look at the work-tree file. */
  assumeValid: boolean;
  /** Outside a sparse checkout: git does not look at the work-tree file. */
  skipWorktree: boolean;
}

const ENTRY_FIXED = 40; // ten 32-bit stat and mode fields before the object id
const ASSUME_VALID = 0x8000;
const EXTENDED = 0x4000;
const SKIP_WORKTREE = 0x4000; // in the extended flags
const TREE_MODE = 0o040000;

/**
 * Parses the index file (versions 2, 3 and 4). Split indexes and sparse indexes, whose entries live
 * elsewhere or stand for whole folders, are unknowable rather than half read.
 */
export async function parseDircache(buf: Buffer, hashBytes: number, budget: WorkBudget): Promise<IndexEntry[]> {
  if (buf.length < 12 + hashBytes || buf.toString('latin1', 0, 4) !== 'DIRC') throw new GitUnknowable('not an index file');
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) throw new GitUnknowable(`index version ${version}`);
  const count = buf.readUInt32BE(8);
  budget.countFiles(count);
  const end = buf.length - hashBytes; // a checksum of everything before it closes the file
  const entries: IndexEntry[] = [];
  let p = 12;
  let previous: Buffer = Buffer.alloc(0);
  const need = (n: number) => {
    if (p + n > end) throw new GitUnknowable('truncated index');
  };
  for (let i = 0; i < count; i++) {
    if (i % 1024 === 0) await budget.pause();
    const start = p;
    need(ENTRY_FIXED + hashBytes + 2);
    const u32 = (k: number) => buf.readUInt32BE(start + 4 * k);
    const flags = buf.readUInt16BE(start + ENTRY_FIXED + hashBytes);
    p = start + ENTRY_FIXED + hashBytes + 2;
    let extended = 0;
    if (flags & EXTENDED) {
      if (version < 3) throw new GitUnknowable('corrupt index');
      need(2);
      extended = buf.readUInt16BE(p);
      p += 2;
    }
    let name: Buffer;
    if (version === 4) {
      // Each path drops some bytes from the end of the previous one and adds a NUL-ended suffix.
      need(1);
      let byte = buf[p++];
      let strip = byte & 0x7f;
      while (byte & 0x80) {
        need(1);
        byte = buf[p++];
        strip = (strip + 1) * 128 + (byte & 0x7f);
      }
      const nul = buf.indexOf(0, p);
      if (nul < 0 || nul >= end || strip > previous.length) throw new GitUnknowable('corrupt index');
      name = Buffer.concat([previous.subarray(0, previous.length - strip), buf.subarray(p, nul)]);
      p = nul + 1;
    } else {
      const nul = buf.indexOf(0, p);
      if (nul < 0 || nul >= end) throw new GitUnknowable('corrupt index');
      name = buf.subarray(p, nul);
      // Entries are NUL-padded to a multiple of 8 bytes, with at least one NUL.
      p = start + Math.ceil((nul + 1 - start) / 8) * 8;
    }
    previous = name;
    const mode = u32(6);
    if ((mode & 0o170000) === TREE_MODE) throw new GitUnknowable('sparse index');
    const path = name.toString('utf8');
    if (path.includes('\uFFFD')) throw new GitUnknowable('a tracked path that is not UTF-8');
    entries.push({
      path,
      mode,
      oid: buf.toString('hex', start + ENTRY_FIXED, start + ENTRY_FIXED + hashBytes),
      ctimeS: u32(0),
      ctimeNs: u32(1),
      mtimeS: u32(2),
      mtimeNs: u32(3),
      ino: u32(5),
      uid: u32(7),
      gid: u32(8),
      size: u32(9),
      stage: (flags >> 12) & 3,
      assumeValid: (flags & ASSUME_VALID) !== 0,
      skipWorktree: (extended & SKIP_WORKTREE) !== 0,
    });
  }
  // Extensions: a four-letter signature and a length each; only those that change the meaning matter.
  while (p + 8 <= end) {
    const sig = buf.toString('latin1', p, p + 4);
    if (sig === 'link') throw new GitUnknowable('split index');
    if (sig === 'sdir') throw new GitUnknowable('sparse index');
    p += 8 + buf.readUInt32BE(p + 4);
  }
  return entries;
}
