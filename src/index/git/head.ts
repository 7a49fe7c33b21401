import fs from 'node:fs/promises';
import path from 'node:path';
import { readSmallText } from '../../formats/util/files.js';

/** Where a work tree's git data lives: its own git dir (HEAD, index) and the shared one (refs, objects). */
export interface GitDirs {
  gitDir: string;
  commonDir: string;
}

/** The checked-out commit (null before the first commit or when unreadable) and branch (null when detached). */
export interface HeadState {
  commit: string | null;
  branch: string | null;
}

// SHA-1 object ids, or SHA-256 ones in repositories created with --object-format=sha256.
export const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const MAX_SYMREF_DEPTH = 5;

/** Reads a small text file from a repository, trimmed; null when it is missing, too big or not a file. */
export async function readText(file: string): Promise<string | null> {
  const read = await readSmallText(file); // a FIFO or a link out of the indexed folder is refused
  return 'text' in read ? read.text.trim() : null;
}

/** The git dirs of the work tree at `root` (whose `.git` is a folder, or a `gitdir:` file); null when unreadable. */
export async function gitDirsOf(root: string): Promise<GitDirs | null> {
  const gitDir = await gitDirOf(root);
  return gitDir === null ? null : { gitDir, commonDir: await commonDirOf(gitDir) };
}

/** Commit and branch from HEAD and the refs it names, without running git. */
export async function readHead({ gitDir, commonDir }: GitDirs): Promise<HeadState> {
  const unknown = { commit: null, branch: null };
  const head = await readText(path.join(gitDir, 'HEAD'));
  if (head === null) return unknown;
  if (OBJECT_ID.test(head)) return { commit: head, branch: null };
  const ref = symrefTarget(head);
  // Reftable repositories keep refs in binary tables and leave this placeholder in HEAD.
  if (ref === null || ref === 'refs/heads/.invalid') return unknown;
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
  // No ref file and no packed entry is a branch with no commits yet: known branch, null commit.
  return { branch, commit: await resolveRef(ref, gitDir, commonDir) };
}

// Worktrees and submodules have a `.git` file saying `gitdir: <path>`, relative to the work tree.
async function gitDirOf(root: string): Promise<string | null> {
  const dotGit = path.join(root, '.git');
  try {
    if ((await fs.stat(dotGit)).isDirectory()) return dotGit;
  } catch {
    return null;
  }
  const match = /^gitdir:\s*(.+)$/m.exec((await readText(dotGit)) ?? '');
  return match ? path.resolve(root, match[1].trim()) : null;
}

// A linked worktree's git dir holds its own HEAD; shared refs live in the dir `commondir` names.
async function commonDirOf(gitDir: string): Promise<string> {
  const common = await readText(path.join(gitDir, 'commondir'));
  return common ? path.resolve(gitDir, common) : gitDir;
}

function symrefTarget(text: string): string | null {
  const match = /^ref:\s*(\S+)$/.exec(text);
  const ref = match?.[1];
  // Refs come from files on disk: refuse anything that would read outside the git dir.
  if (!ref || !ref.startsWith('refs/') || ref.split('/').some((part) => part === '..' || part === '')) return null;
  return ref;
}

async function resolveRef(ref: string, gitDir: string, commonDir: string): Promise<string | null> {
  for (let depth = 0; depth < MAX_SYMREF_DEPTH; depth++) {
    // These few ref families belong to each worktree; all others (branches, tags) are shared.
    const perWorktree = /^refs\/(?:worktree|bisect|rewritten)\//.test(ref);
    const loose = await readText(path.join(perWorktree ? gitDir : commonDir, ...ref.split('/')));
    if (loose === null) return packedRef(commonDir, ref);
    if (OBJECT_ID.test(loose)) return loose;
    const next = symrefTarget(loose);
    if (next === null) return null;
    ref = next;
  }
  return null;
}

// `git gc` and `git pack-refs` move refs into packed-refs: `<id> <refname>` lines, a `#` header,
// and `^<id>` lines giving the commit an annotated tag points to.
async function packedRef(commonDir: string, ref: string): Promise<string | null> {
  const text = await readText(path.join(commonDir, 'packed-refs'));
  if (text === null) return null;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const [id, name] = line.trim().split(' ');
    if (name === ref && OBJECT_ID.test(id)) return id;
  }
  return null;
}
