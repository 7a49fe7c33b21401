/**
 * Models and datasets are entries of their own: they stay in the catalog while their files are on
 * disk, whatever became of the runs that listed them, and go when their files do. This keeps the
 * ledger's record of each one's file current, so its hash is computed once per content change.
 */
import fs from 'node:fs/promises';
import { inTransaction, type Db } from '../catalog/db.js';
import { identityOf, type FileIdentity } from '../catalog/repos/ledger.js';
import { realPathInRoot } from '../formats/util/indexed-root.js';
import type { IndexRepos } from './indexer.js';

export interface EntryFile {
  kind: 'model' | 'dataset';
  id: string;
  path: string;
}

/** Ledger memberships the sweep adds: the entry is made of the file; nobody read it for this row. */
export const MEMBER_FORMAT = 'file';

type Found = { entry: EntryFile; state: 'gone' } | { entry: EntryFile; state: 'file'; id: FileIdentity } | { entry: EntryFile; state: 'kept' };

/**
 * Checks each entry's path: gone (ENOENT) removes the entry with its lineage and ledger rows; a
 * regular file (not through a link out of the root) has its identity recorded; a folder, a file that
 * cannot be read now, or a link leading out is kept as it is (no hash can be taken of it here).
 */
export async function syncEntryFiles(db: Db, repos: IndexRepos, rootId: number, entries: EntryFile[]): Promise<void> {
  const found: Found[] = [];
  for (const entry of entries) {
    const inStore = storeRecord(entry.path);
    // A record inside another file (`mlflow.db#m-…`) is there while its store is and a read lists it.
    if (inStore) found.push((await exists(inStore)) && repos.models.isLinked(entry.id) ? { entry, state: 'kept' } : { entry, state: 'gone' });
    else found.push(await check(entry));
  }
  const now = Date.now();
  inTransaction(db, () => {
    for (const f of found) {
      if (f.state === 'gone') {
        if (f.entry.kind === 'model') repos.models.remove(f.entry.id);
        else repos.datasets.remove(f.entry.id);
      } else if (f.state === 'file') {
        repos.ledger.recordFile(f.entry.path, rootId, f.id, now);
        repos.ledger.addMember(f.entry.kind, f.entry.id, rootId, MEMBER_FORMAT, f.entry.path, f.id);
      }
    }
  });
}

/** The store file of an entry kept inside one (`<file>#<id>`, as runs inside an `mlflow.db` are), else null. */
function storeRecord(p: string): string | null {
  const hash = p.indexOf('#');
  return hash > 0 ? p.slice(0, hash) : null;
}

const exists = (p: string) => fs.lstat(p).then(() => true, (err: NodeJS.ErrnoException) => !(err.code === 'ENOENT' || err.code === 'ENOTDIR'));

async function check(entry: EntryFile): Promise<Found> {
  let st;
  try {
    st = await fs.lstat(entry.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { entry, state: code === 'ENOENT' || code === 'ENOTDIR' ? 'gone' : 'kept' };
  }
  if (st.isSymbolicLink()) {
    // Followed only inside the indexed folder (a model linked beside its run, say).
    const real = await realPathInRoot(entry.path).catch(() => null);
    if (real === null) return { entry, state: 'kept' };
    st = await fs.stat(real).catch(() => null);
    if (!st) return { entry, state: 'gone' };
  }
  if (!st.isFile()) return { entry, state: 'kept' };
  return { entry, state: 'file', id: identityOf(st) };
}
