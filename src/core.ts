import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { ApiEvent, ApiEvents, IndexProgress, IndexSummary, LabdeskApi, RootInfo } from './api/contract.js';
import { badRequest } from './api/errors.js';
import { openCatalog, type Db } from './catalog/db.js';
import { annotateExperiment } from './catalog/queries/annotations.js';
import { compareRuns, metricBatch } from './catalog/queries/compare.js';
import { getMetric } from './catalog/queries/metrics.js';
import { listModelSummaries } from './catalog/queries/models.js';
import { listedFigure, notebookRun } from './catalog/queries/notebook-runs.js';
import { getRun, listProblems, resolveRunId } from './catalog/queries/run-detail.js';
import {
  addRoot, annotateRun, catalogStats, entryCounts, getRoot, listRoots, removeRoot, setRootStatus,
} from './catalog/queries/roots.js';
import { listedRunFile } from './catalog/queries/run-files.js';
import { runGroups } from './catalog/queries/run-groups.js';
import { runKeys, runValues } from './catalog/queries/run-keys.js';
import { listRuns } from './catalog/queries/runs.js';
import { deleteView, listSavedViews, saveView } from './catalog/queries/saved-views.js';
import type { Core, CoreOptions } from './core-types.js';
import { checkFolder } from './folders/check-folder.js';
import { ImportStore } from './imports/import-folder.js';
import type { IndexOptions } from './index/indexer.js';
import { catalogFileBytes, catalogOwnPaths } from './index/own-paths.js';
import { startHashJob, type HashFilesOptions, type HashOutcome } from './jobs/hash-files.js';
import { runIndexPassJob } from './jobs/index-pass.js';
import { JobCancelledError, JobRegistry, type JobHandle } from './jobs/registry.js';
import { KeyedThrottle } from './jobs/throttle.js';

export type { Core, CoreOptions } from './core-types.js';
export { JobCancelledError } from './jobs/registry.js';

/** The core with the extra entry points the CLI uses directly. */
export interface LabdeskCore extends Core {
  readonly db: Db;
  /** Index passes and hashing as jobs: what `jobs.list` shows and `jobs.cancel` stops. */
  readonly jobs: JobRegistry;
  /** Hashes files (SHA-256, in a worker thread) as one `hash` job; per-path digests or errors. */
  hashFiles(paths: string[], options?: Omit<HashFilesOptions, 'pool'>): JobHandle<HashOutcome[]>;
  /**
   * Adds folders as watched roots and indexes them once; resolves when the catalog is up to date.
   * A pass stopped by `jobs.cancel` rejects with a JobCancelledError, the root as it was before.
   */
  indexFolders(folders: string[], options?: Pick<IndexOptions, 'onProgress' | 'adapters'> & { confirm?: boolean }): Promise<IndexSummary>;
  /** Re-indexes a root now (serialized with any pass already running for it); `files`: only these grew. */
  reindex(rootId: number, files?: string[] | null): Promise<void>;
}

/** How long close() waits for a cancelled pass to stop before closing the catalog under it. */
const CLOSE_WAIT_MS = 500;

// The indexer (every format reader and its parsers), the watcher and the notebook renderer load on
// first use: a CLI call that only reads the catalog (`labdesk runs`) then starts without them.
const loadIndexer = () => import('./index/indexer.js');
const loadHasher = () => import('./index/hash-entries.js');
const loadNotebookView = () => import('./preview/notebook-view.js');
const loadFilePreview = () => import('./preview/file-preview.js');

/** Opens the catalog and assembles the API. With `watch`, every root is kept live. */
export async function createCore(options: CoreOptions): Promise<LabdeskCore> {
  const db = openCatalog(options.dbPath, { nativeBinding: options.nativeBinding });
  const events = new EventEmitter();
  const emit = <E extends ApiEvent>(event: E, payload: ApiEvents[E]) => events.emit(event, payload);
  const rootsChanged = () => emit('roots.changed', { roots: listRoots(db) });
  const imports = new ImportStore(path.join(path.dirname(options.dbPath), 'imports'));
  // The catalog may sit inside a watched folder (a home folder added as a root): never index it.
  const own = catalogOwnPaths(options.dbPath);
  const jobs = new JobRegistry();
  jobs.on('progress', (info) => emit('jobs.progress', info));
  // A pass reports every folder and run; clients (the sidebar, over IPC or SSE) get ~10 a second.
  const indexProgress = new KeyedThrottle<IndexProgress>(100, (p) => emit('index.progress', p), (p) => p.rootPath, (p) => p.phase === 'done');

  // Every pass can be cancelled (its root removed, the core closing) and close() waits for it.
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.catch(() => {}).finally(() => inFlight.delete(work));
    return work;
  };
  const cancels = new Map<number, AbortController>();
  const passCancels = new Set<AbortController>();
  /** Roots being removed, and the whole core once closing: no new pass starts for them. */
  const stopping = new Set<number>();
  let closing = false;

  // One indexing pass per root at a time; changes during a pass schedule exactly one more. A pass
  // for files that only grew reads their appends without walking the tree (`refreshFiles`).
  const running = new Map<number, Promise<void>>();
  /** Per root, what the next pass must cover: changed files, or null for a full walk. */
  const again = new Map<number, Set<string> | null>();
  const reindex = (rootId: number, files: string[] | null = null): Promise<void> => {
    if (closing || stopping.has(rootId)) return Promise.resolve();
    const current = running.get(rootId);
    if (current) {
      const queued = again.has(rootId) ? again.get(rootId)! : new Set<string>();
      again.set(rootId, queued && files ? new Set([...queued, ...files]) : null);
      return current;
    }
    const cancel = new AbortController();
    cancels.set(rootId, cancel);
    const { signal } = cancel;
    const pass = (async () => {
      const { indexRoot, refreshFiles } = await loadIndexer();
      const root = getRoot(db, rootId);
      if (!root) return;
      const appended = files ? await refreshFiles(db, root, files, { signal }) : null;
      if (appended?.cancelled) return;
      if (appended) {
        if (appended.changed.length) emit('catalog.changed', { runIds: appended.changed, removed: [] });
        scheduleHash(rootId);
        return;
      }
      // A pass the user stopped is started again when asked for (roots.add), not by files changing.
      if (files && root.status === 'stopped') return;
      setRootStatus(db, rootId, 'indexing');
      rootsChanged();
      const { result, undone } = await runIndexPassJob(jobs, db, root, cancel, (onProgress) =>
        indexRoot(db, root, { onProgress: (p) => (indexProgress.push(p), onProgress(p)), own, signal }));
      if (result.cancelled) {
        indexProgress.drop(root.path);
        // A removed root is gone; on closing, the next start indexes it again.
        if (stopping.has(rootId) || !db.open) return;
        again.delete(rootId); // changes seen during the pass would start it again
        setRootStatus(db, rootId, closing ? 'idle' : 'stopped');
        if (undone.length) emit('catalog.changed', { runIds: [], removed: undone });
        rootsChanged();
        return;
      }
      setRootStatus(db, rootId, result.missing ? 'missing' : watcher ? 'live' : 'idle');
      if (result.changed.length || result.removed.length) {
        emit('catalog.changed', { runIds: result.changed, removed: result.removed });
      }
      rootsChanged();
      scheduleHash(rootId);
    })().catch((err: unknown) => {
      // A cancelled pass may find the catalog closed under it: that is the cancellation, not a bug.
      if (!signal.aborted) throw err;
    }).finally(() => {
      running.delete(rootId);
      if (cancels.get(rootId) === cancel) cancels.delete(rootId);
      if (again.has(rootId)) {
        const next = again.get(rootId)!;
        again.delete(rootId);
        void reindex(rootId, next ? [...next] : null);
      }
    });
    running.set(rootId, pass);
    return track(pass);
  };

  /**
   * Hashes the root's model and dataset files the ledger has no hash of, as one `hash` job in the
   * worker pool (each file once per content change); a cancelled pass or job keeps what was stored.
   */
  const hashRoot = async (rootId: number, signal?: AbortSignal) => {
    const { unhashedFiles, storeHashes } = await loadHasher();
    const root = getRoot(db, rootId);
    const files = unhashedFiles(db, rootId);
    if (!root || !files.length || signal?.aborted) return;
    const label = files.length === 1 ? files[0].path : `${files.length} model and dataset files in ${root.path}`;
    const job = startHashJob(jobs, files.map((f) => f.path), { root: root.path, label });
    const stop = () => jobs.cancel(job.id);
    signal?.addEventListener('abort', stop, { once: true });
    try {
      const outcomes = await job.promise;
      const digests = new Map(outcomes.flatMap((o) => ('sha256' in o ? [[o.path, o.sha256] as const] : [])));
      if (db.open) await storeHashes(db, files, digests);
    } catch (err) {
      if (!(err instanceof JobCancelledError)) throw err;
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  };

  // Hashing runs beside the passes, not in them: a new multi-gigabyte checkpoint must not hold back
  // the next append of metrics.csv. One hash job per root at a time; files found meanwhile wait for it.
  const hashing = new Map<number, { done: Promise<void>; again: boolean }>();
  const hashCancels = new Map<number, AbortController>();
  const scheduleHash = (rootId: number): void => {
    const current = hashing.get(rootId);
    if (current) {
      current.again = true;
      return;
    }
    if (closing || stopping.has(rootId)) return;
    const cancel = new AbortController();
    hashCancels.set(rootId, cancel);
    const entry = { again: false, done: Promise.resolve() };
    entry.done = track(hashRoot(rootId, cancel.signal))
      .catch((err: unknown) => {
        if (!cancel.signal.aborted && db.open) throw err;
      })
      .finally(() => {
        hashing.delete(rootId);
        hashCancels.delete(rootId);
        if (entry.again) scheduleHash(rootId);
      });
    hashing.set(rootId, entry);
  };

  const watcher = options.watch
    ? new (await import('./watch/watcher.js')).RootWatcher(
        // A stopped root's known runs still take appends; a new folder in it waits for Index again.
        (rootId, files) => void ((files || getRoot(db, rootId)?.status !== 'stopped') && reindex(rootId, files)),
        (rootId) => {
          if (closing) return;
          setRootStatus(db, rootId, 'error');
          rootsChanged();
        },
        own,
      )
    : null;
  const startRoot = (root: RootInfo, index = true) => {
    watcher?.watch(root.id, root.path);
    if (index) void reindex(root.id);
  };
  if (watcher) for (const root of listRoots(db)) startRoot(root, root.status !== 'stopped');

  const api: LabdeskApi = {
    'runs.list': async (args) => listRuns(db, args ?? {}),
    'runs.get': async ({ id }) => getRun(db, resolveRunId(db, id)),
    'runs.annotate': async (patch) => {
      const id = resolveRunId(db, patch.id);
      annotateRun(db, { ...patch, id });
      emit('catalog.changed', { runIds: [id], removed: [] });
      return getRun(db, id);
    },
    'runs.keys': async () => runKeys(db),
    'runs.values': async (args) => runValues(db, args),
    'runs.groups': async (args) => runGroups(db, args),
    'runs.compare': async (args) => compareRuns(db, args?.ids),
    'metrics.get': async ({ run, key, maxPoints }) => getMetric(db, resolveRunId(db, run), key, maxPoints),
    'metrics.batch': async (args) => metricBatch(db, args),
    'experiments.annotate': async (patch) => {
      const annotation = annotateExperiment(db, patch);
      // An empty patch only reads; an edit may rename what the runs table shows.
      if (patch.displayName !== undefined || patch.note !== undefined) emit('catalog.changed', { runIds: [], removed: [] });
      return annotation;
    },
    'views.list': async () => listSavedViews(db),
    'views.save': async (view) => saveView(db, view),
    'views.delete': async ({ id }) => ({ removed: deleteView(db, id) }),
    'imports.add': async ({ name, files, done, importId }) => {
      const written = imports.write(name, files ?? [], importId);
      if (!done) return { importId: written.importId, root: null };
      const root = addRoot(db, checkFolder(written.folder));
      startRoot(root);
      rootsChanged();
      return { importId: written.importId, root: getRoot(db, root.id)! };
    },
    'problems.list': async (args) => listProblems(db, args?.limit),
    'models.list': async () => listModelSummaries(db),
    'roots.list': async () => listRoots(db),
    'roots.add': async ({ path, confirm }) => {
      const root = addRoot(db, checkFolder(path, { confirm: confirm === true }));
      startRoot(root);
      rootsChanged();
      return getRoot(db, root.id)!;
    },
    'roots.remove': async ({ id }) => {
      if (typeof id !== 'number') throw badRequest('roots.remove needs the numeric id of a watched folder.');
      // Stop the running pass at once (between folders or runs) instead of finishing a long walk.
      stopping.add(id);
      try {
        again.delete(id);
        cancels.get(id)?.abort();
        hashCancels.get(id)?.abort();
        await watcher?.unwatch(id);
        await running.get(id)?.catch(() => {});
        await hashing.get(id)?.done.catch(() => {});
      } finally {
        stopping.delete(id);
      }
      const removed = removeRoot(db, id);
      if (removed) {
        rootsChanged();
        emit('catalog.changed', { runIds: [], removed: [] });
      }
      return { removed };
    },
    'catalog.stats': async () => catalogStats(db, options.dbPath, catalogFileBytes(options.dbPath)),
    'artifacts.preview': async ({ run, path: file }) => {
      const listed = listedRunFile(db, resolveRunId(db, run), file);
      return (await loadFilePreview()).previewFile(listed.file, listed.folder);
    },
    'artifacts.figure': async ({ run, path }) => {
      const figure = listedFigure(db, resolveRunId(db, run), path);
      return (await loadNotebookView()).runFigure(figure);
    },
    'notebooks.render': async ({ run }) => {
      const notebook = notebookRun(db, resolveRunId(db, run));
      return (await loadNotebookView()).notebookView(notebook);
    },
    'jobs.list': async () => jobs.list(),
    'jobs.cancel': async ({ id }) => {
      if (typeof id !== 'number') throw badRequest('jobs.cancel needs the numeric id of a job (from jobs.list).');
      return { cancelled: jobs.cancel(id) };
    },
  };

  return {
    api,
    db,
    jobs,
    hashFiles: (paths, opts) => startHashJob(jobs, paths, opts),
    dbPath: options.dbPath,
    on(event, listener) {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
    reindex,
    async indexFolders(folders, opts = {}) {
      const started = performance.now();
      const roots = folders.map((f) => addRoot(db, checkFolder(f, { confirm: opts.confirm })));
      for (const root of roots) {
        const cancel = new AbortController();
        passCancels.add(cancel);
        try {
          setRootStatus(db, root.id, 'indexing');
          const { indexRoot } = await loadIndexer();
          const { result } = await track(runIndexPassJob(jobs, db, root, cancel, (onProgress) =>
            indexRoot(db, root, { ...opts, onProgress: (p) => (opts.onProgress?.(p), onProgress(p)), own, signal: cancel.signal })));
          if (result.cancelled) {
            if (db.open) setRootStatus(db, root.id, closing ? 'idle' : 'stopped');
            throw closing ? new Error('Indexing was stopped: Labdesk is shutting down.') : cancel.signal.reason ?? new JobCancelledError(0);
          }
          await track(hashRoot(root.id, cancel.signal));
          setRootStatus(db, root.id, 'idle');
        } finally {
          passCancels.delete(cancel);
        }
      }
      const counts = entryCounts(db, roots.map((r) => r.id));
      return { ...counts, seconds: Math.round((performance.now() - started) / 10) / 100 };
    },
    async close() {
      if (closing) return;
      closing = true;
      again.clear();
      for (const c of [...cancels.values(), ...passCancels, ...hashCancels.values()]) c.abort();
      for (const job of jobs.list()) if (job.state === 'running') jobs.cancel(job.id);
      await watcher?.close();
      // Passes stop between runs; a single huge file read may take longer: do not wait for it.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS))),
      ]);
      clearTimeout(timer);
      db.close();
    },
  };
}
