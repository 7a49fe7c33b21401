import { GitUnknowable, type WorkBudget } from './budget.js';
import type { ObjectStore } from './object-store.js';

/** A file in a commit's tree. */
export interface TreeFile {
  mode: number;
  oid: string;
}

// One tree object lists one folder; a folder of a million files is still only ~40 MB.
const MAX_TREE_BYTES = 64 * 1024 * 1024;
const MAX_COMMIT_BYTES = 16 * 1024 * 1024;
const MAX_DEPTH = 1024;

/** The tree id a commit points to. */
export async function commitTree(store: ObjectStore, commit: string, hashBytes: number): Promise<string> {
  const obj = await store.read(commit, MAX_COMMIT_BYTES);
  const tree = new RegExp(`^tree ([0-9a-f]{${hashBytes * 2}})\n`).exec(obj.data.toString('latin1', 0, 128));
  if (obj.type !== 'commit' || !tree) throw new GitUnknowable('HEAD is not a commit');
  return tree[1];
}

/** Every file (blob, symlink, submodule) in a tree, by slash-separated path; at most the tracked-file limit. */
export async function flattenTree(store: ObjectStore, root: string, hashBytes: number, budget: WorkBudget): Promise<Map<string, TreeFile>> {
  const files = new Map<string, TreeFile>();
  const stack: { prefix: string; oid: string; depth: number }[] = [{ prefix: '', oid: root, depth: 0 }];
  let trees = 0;
  while (stack.length) {
    const { prefix, oid, depth } = stack.pop()!;
    budget.countFiles(files.size + ++trees);
    if (depth > MAX_DEPTH) throw new GitUnknowable('tree too deep');
    const obj = await store.read(oid, MAX_TREE_BYTES);
    if (obj.type !== 'tree') throw new GitUnknowable('a tree entry is not a tree');
    const data = obj.data;
    // Entries: `<octal mode> <name>\0<raw id>`.
    for (let p = 0; p < data.length; ) {
      const space = data.indexOf(0x20, p);
      const nul = data.indexOf(0, space + 1);
      if (space < 0 || nul < 0 || nul + 1 + hashBytes > data.length) throw new GitUnknowable('corrupt tree');
      const mode = parseInt(data.toString('latin1', p, space), 8);
      const name = data.toString('utf8', space + 1, nul);
      const id = data.toString('hex', nul + 1, nul + 1 + hashBytes);
      p = nul + 1 + hashBytes;
      if (!name || name === '.' || name === '..' || name.includes('/') || Number.isNaN(mode)) throw new GitUnknowable('corrupt tree');
      if (mode === 0o40000) stack.push({ prefix: `${prefix}${name}/`, oid: id, depth: depth + 1 });
      else files.set(prefix + name, { mode: normalMode(mode), oid: id });
    }
    budget.countFiles(files.size + trees);
  }
  return files;
}

// Old trees may hold 100664 and the like; git reads any non-executable blob mode as 100644.
function normalMode(mode: number): number {
  if ((mode & 0o170000) === 0o100000) return mode & 0o111 ? 0o100755 : 0o100644;
  return mode;
}
