import fs from 'node:fs/promises';
import path from 'node:path';
import type { HashPool } from './hash-file.js';
import type { JobHandle, JobRegistry } from './registry.js';

// Loaded with the first hash job: the core (and `labdesk runs`) starts without the file readers.
const loadHashing = () => Promise.all([import('./hash-file.js'), import('../formats/util/files.js')]);

/** One file's outcome in a hash job: its digest, or why it could not be hashed. */
export type HashOutcome = { path: string; sha256: string; bytes: number } | { path: string; error: string };

export interface HashFilesOptions {
  /** The folder no link may lead out of (the indexed root the files belong to); default each file's folder. */
  root?: string;
  /** Shown in the status bar; default the file's name, or "N files". */
  label?: string;
  pool?: HashPool;
}

/**
 * Hashes `paths` as one `hash` job (progress: files done of all, bytes of their total size). Resolves
 * with one outcome per path, in order: a file that cannot be read is an error entry, not a failed
 * job. Rejects only when the job is cancelled.
 */
export function startHashJob(jobs: JobRegistry, paths: string[], options: HashFilesOptions = {}): JobHandle<HashOutcome[]> {
  const label = options.label ?? (paths.length === 1 ? paths[0] : `${paths.length} files`);
  return jobs.start('hash', label, async ({ signal, progress }) => {
    const [{ hashFile, defaultHashPool }, { describeFsError }] = await loadHashing();
    const pool = options.pool ?? defaultHashPool();
    // Sizes up front give the job a byte total (links are not followed for it: a file is sized once
    // opened, as hashFile opens it); each file's size is then what its open, and its read, found.
    const sizes = await Promise.all(paths.map((p) => fs.lstat(p).then((st) => (st.isFile() ? st.size : 0), () => 0)));
    const outcomes: HashOutcome[] = new Array(paths.length);
    const current = new Map<number, number>(); // bytes of files in progress
    let doneBytes = 0;
    let done = 0;
    const report = () => {
      let bytes = doneBytes;
      for (const b of current.values()) bytes += b;
      progress({ done, total: paths.length, bytes, bytesTotal: sizes.reduce((a, b) => a + b, 0) });
    };
    report();
    let next = 0;
    const lane = async () => {
      while (next < paths.length) {
        signal.throwIfAborted();
        const i = next++;
        const file = path.resolve(paths[i]);
        try {
          const onProgress = ({ bytes, bytesTotal }: { bytes: number; bytesTotal: number }) => {
            sizes[i] = Math.max(bytesTotal, bytes);
            current.set(i, bytes);
            report();
          };
          const h = await hashFile(file, { signal, root: options.root, onProgress }, pool);
          outcomes[i] = { path: paths[i], ...h };
          sizes[i] = h.bytes;
          doneBytes += h.bytes;
        } catch (err) {
          if (signal.aborted) throw err;
          outcomes[i] = { path: paths[i], error: describeFsError(err) };
          sizes[i] = 0;
        }
        current.delete(i);
        done++;
        report();
      }
    };
    // As many files at once as the pool has workers: small files then overlap their opens and reads.
    await Promise.all(Array.from({ length: Math.min(pool.size, paths.length) }, lane));
    return outcomes;
  });
}
