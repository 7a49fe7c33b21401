import fsSync, { type BigIntStats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { readSmallText } from '../../formats/util/files.js';
import { GitUnknowable, WorkBudget, type DirtyLimits } from './budget.js';
import { readRepoSettings, type RepoSettings } from './config.js';
import { parseDircache, type IndexEntry } from './dircache.js';
import { gitDirsOf, readHead, type GitDirs, type HeadState } from './head.js';
import { commitTree, flattenTree } from './head-tree.js';
import { ObjectStore, readWhole } from './object-store.js';
import { blobId, crlfNormalizedId, scanFile, sha256Of, type FileScan } from './work-file.js';

const MAX_INDEX_BYTES = 256 * 1024 * 1024;
const MAX_ATTRIBUTES_BYTES = 1024 * 1024;
const LFS_POINTER = /^version https:\/\/git-lfs\.github\.com\/spec\/v1\n(?:ext-[^\n]*\n)*oid sha256:([0-9a-f]{64})\nsize (\d+)\n/;
const FILE_TYPE = 0o170000;
const REGULAR = 0o100000;
const SYMLINK = 0o120000;
const GITLINK = 0o160000;

/**
 * Whether tracked files differ from HEAD, staged or not (untracked files do not count), read from
 * `.git` and the work tree in-process: nothing is run (no filters, hooks, fsmonitor), nothing written.
 * Null when it cannot be told within `limits`, or from data Labdesk does not read.
 *
 * Clean filters cannot be run, so a filtered file whose bytes differ from its blob counts as changed,
 * except for the two conversions reproduced here: Git LFS pointers and CRLF → LF.
 */
export async function trackedFilesDirty(workTree: string, dirs: GitDirs, head: HeadState, limits: DirtyLimits): Promise<boolean | null> {
  if (head.commit === null && head.branch === null) return null; // HEAD itself unreadable
  const budget = new WorkBudget(limits);
  let store: ObjectStore | null = null;
  try {
    const settings = await readRepoSettings(dirs.commonDir);
    const hashBytes = head.commit ? head.commit.length / 2 : settings.hashBytes;
    store = new ObjectStore(path.join(dirs.commonDir, 'objects'), hashBytes, budget);
    const { entries, mtimeNs } = await readIndex(dirs.gitDir, hashBytes, budget);
    // An unresolved merge conflict is a difference from HEAD whatever the files hold.
    if (entries.some((e) => e.stage !== 0)) return true;
    const tree = new WorkTreeCheck(workTree, dirs, settings, hashBytes, mtimeNs, budget, store);
    const suspects: IndexEntry[] = [];
    for (const entry of entries) {
      const verdict = await tree.quickCheck(entry);
      if (verdict === 'changed') return true;
      if (verdict === 'hash') suspects.push(entry);
    }
    if (await stagedChanges(entries, head.commit, store, hashBytes, budget)) return true;
    for (const entry of suspects) if (!(await tree.contentMatches(entry))) return true;
    return false;
  } catch {
    // GitUnknowable (a limit, or data not read), or the file system refusing: unknown either way.
    return null;
  } finally {
    await store?.close();
  }
}

async function readIndex(gitDir: string, hashBytes: number, budget: WorkBudget): Promise<{ entries: IndexEntry[]; mtimeNs: bigint }> {
  const file = path.join(gitDir, 'index');
  let buf: Buffer;
  try {
    buf = await readWhole(file, MAX_INDEX_BYTES);
  } catch (err) {
    // No index yet (a fresh `git init`) stages nothing.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], mtimeNs: 0n };
    throw err;
  }
  const { mtimeNs } = await fs.stat(file, { bigint: true });
  return { entries: await parseDircache(buf, hashBytes, budget), mtimeNs };
}

/** The index differs from HEAD's tree: a path added, removed, or staged with other content or mode. */
async function stagedChanges(entries: IndexEntry[], commit: string | null, store: ObjectStore, hashBytes: number, budget: WorkBudget): Promise<boolean> {
  if (commit === null) return entries.length > 0;
  const files = await flattenTree(store, await commitTree(store, commit, hashBytes), hashBytes, budget);
  if (files.size !== entries.length) return true;
  return entries.some((e) => {
    const file = files.get(e.path);
    return !file || file.oid !== e.oid || file.mode !== e.mode;
  });
}

const low32 = (v: bigint) => Number(BigInt.asUintN(32, v));
// Git for Windows records no inode or owner (0): nothing to compare then.
const same = (actual: bigint, recorded: number) => recorded === 0 || low32(actual) === recorded;

function sameTime(ns: bigint, sec: number, nsec: number): boolean {
  // An index written without nanoseconds holds 0 there: compare seconds only.
  return low32(ns / 1_000_000_000n) === sec && (nsec === 0 || Number(ns % 1_000_000_000n) === nsec);
}

/** Compares index entries with the work tree, the way git's `ie_match_stat` / `ie_modified` do. */
class WorkTreeCheck {
  private readonly realDirs = new Map<string, boolean>();
  private attrs: { lfs: boolean; text: boolean } | null = null;

  constructor(
    private readonly root: string,
    private readonly dirs: GitDirs,
    private readonly settings: RepoSettings,
    private readonly hashBytes: number,
    private readonly indexMtimeNs: bigint,
    private readonly budget: WorkBudget,
    private readonly store: ObjectStore,
  ) {}

  /** 'changed' when stat data alone proves a change, 'clean' when it proves none, else 'hash'. */
  async quickCheck(entry: IndexEntry): Promise<'clean' | 'changed' | 'hash'> {
    await this.budget.pause();
    if (entry.skipWorktree || entry.assumeValid) return 'clean'; // git does not look either
    const parts = entry.path.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..' || p.toLowerCase() === '.git' || p.includes('\\'))) {
      throw new GitUnknowable('an index path git would refuse');
    }
    // A link where a folder was is not that folder: the file under it is gone (as git sees it).
    if (!this.realFolders(parts)) return 'changed';
    const file = path.join(this.root, ...parts);
    let st: BigIntStats;
    try {
      st = fsSync.lstatSync(file, { bigint: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return 'changed';
      throw err;
    }
    const type = entry.mode & FILE_TYPE;
    if (type === GITLINK) return (await this.submoduleMoved(entry, file, st)) ? 'changed' : 'clean';
    if (type === SYMLINK) {
      if (!st.isSymbolicLink() && !(st.isFile() && !this.settings.symlinks)) return 'changed';
    } else if (type === REGULAR) {
      if (!st.isFile()) return 'changed'; // a folder, link, FIFO... in place of the file: never opened
      const executable = (Number(st.mode) & 0o100) !== 0;
      if (this.settings.fileMode && executable !== (entry.mode === 0o100755)) return 'changed';
    } else {
      throw new GitUnknowable('an index entry of unknown type');
    }
    // Right after `read-tree` the recorded size is 0 and proves nothing; otherwise another size is a change.
    if (entry.size !== 0 && low32(st.size) !== entry.size) return 'changed';
    const sameStat =
      low32(st.size) === entry.size &&
      sameTime(st.mtimeNs, entry.mtimeS, entry.mtimeNs) &&
      (!this.settings.trustCtime || sameTime(st.ctimeNs, entry.ctimeS, entry.ctimeNs)) &&
      (this.settings.minimalStat || (same(st.ino, entry.ino) && same(st.uid, entry.uid) && same(st.gid, entry.gid)));
    // "Racily clean": a file written in the same instant as the index may have changed unseen.
    const entryMtimeNs = BigInt(entry.mtimeS) * 1_000_000_000n + BigInt(entry.mtimeNs);
    return sameStat && entryMtimeNs < this.indexMtimeNs ? 'clean' : 'hash';
  }

  /** The work-tree content hashes to the staged blob (after the conversions Labdesk can reproduce). */
  async contentMatches(entry: IndexEntry): Promise<boolean> {
    const file = path.join(this.root, ...entry.path.split('/'));
    if ((entry.mode & FILE_TYPE) === SYMLINK && fsSync.lstatSync(file).isSymbolicLink()) {
      const target = await fs.readlink(file, { encoding: 'buffer' }).catch(() => null);
      return target !== null && blobId(target, this.hashBytes) === entry.oid;
    }
    const scan = await scanFile(file, this.hashBytes, this.budget);
    if (scan.oid === entry.oid) return true;
    const attrs = await this.attributes();
    if (attrs.lfs && (await this.isLfsContent(entry, file, scan))) return true;
    if (scan.crlfPairs > 0 && !scan.binary && (this.settings.autoCrlf || attrs.text)) {
      return (await crlfNormalizedId(file, scan, this.hashBytes, this.budget)) === entry.oid;
    }
    return false;
  }

  // The LFS clean filter turns the file into a pointer naming its SHA-256 and size.
  private async isLfsContent(entry: IndexEntry, file: string, scan: FileScan): Promise<boolean> {
    const blob = await this.store.read(entry.oid, 1024).catch(() => null);
    const pointer = blob?.type === 'blob' ? LFS_POINTER.exec(blob.data.toString('utf8')) : null;
    if (!pointer || Number(pointer[2]) !== scan.size) return false;
    return (await sha256Of(file, this.budget)) === pointer[1];
  }

  // Root-level attributes only, and only whether LFS or text conversion is configured at all.
  private async attributes(): Promise<{ lfs: boolean; text: boolean }> {
    if (!this.attrs) {
      let text = '';
      for (const file of [path.join(this.root, '.gitattributes'), path.join(this.dirs.commonDir, 'info', 'attributes')]) {
        const read = await readSmallText(file, MAX_ATTRIBUTES_BYTES);
        if ('text' in read) text += `${read.text}\n`;
      }
      this.attrs = { lfs: /\bfilter=lfs\b/.test(text), text: /(?:^|\s)(?:text|eol=\S+)(?=\s|$|=)/m.test(text) };
    }
    return this.attrs;
  }

  // git status reports a checked-out submodule whose HEAD is not the recorded commit; one never
  // checked out (an empty folder) is unchanged.
  private async submoduleMoved(entry: IndexEntry, dir: string, st: BigIntStats): Promise<boolean> {
    if (!st.isDirectory()) return true;
    const dirs = await gitDirsOf(dir);
    if (dirs === null) return false;
    const { commit } = await readHead(dirs);
    return commit !== null && commit !== entry.oid;
  }

  private realFolders(parts: string[]): boolean {
    let rel = '';
    for (const part of parts.slice(0, -1)) {
      rel = rel ? `${rel}/${part}` : part;
      let real = this.realDirs.get(rel);
      if (real === undefined) {
        try {
          real = fsSync.lstatSync(path.join(this.root, rel)).isDirectory(); // false for a link
        } catch {
          real = false;
        }
        this.realDirs.set(rel, real);
      }
      if (!real) return false;
    }
    return true;
  }
}
