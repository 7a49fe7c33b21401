import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { ApiEvent, ApiEvents, IndexSummary, LabdeskApi, RootInfo } from './api/contract.js';
import { badRequest } from './api/errors.js';
import { openCatalog, type Db } from './catalog/db.js';
import { annotateExperiment } from './catalog/queries/annotations.js';
import { compareRuns, metricBatch } from './catalog/queries/compare.js';
import { getMetric } from './catalog/queries/metrics.js';
import { notebookView, runFigure } from './catalog/queries/notebook-view.js';
import { getRun, listProblems, resolveRunId } from './catalog/queries/run-detail.js';
import {
  addRoot, annotateRun, catalogStats, checkFolder, getRoot, listRoots, removeRoot, setRootStatus,
} from './catalog/queries/roots.js';
import { runGroups } from './catalog/queries/run-groups.js';
import { runKeys } from './catalog/queries/run-keys.js';
import { listRuns } from './catalog/queries/runs.js';
import { deleteView, listSavedViews, saveView } from './catalog/queries/saved-views.js';
import type { Core, CoreOptions } from './core-types.js';
import { ImportStore } from './imports/import-folder.js';
import { indexRoot, refreshFiles, type IndexOptions } from './index/indexer.js';
import { RootWatcher } from './watch/watcher.js';

export type { Core, CoreOptions } from './core-types.js';

/** The core with the extra entry points the CLI uses directly. */
export interface LabdeskCore extends Core {
  readonly db: Db;
  /** Adds folders as watched roots and indexes them once; resolves when the catalog is up to date. */
  indexFolders(folders: string[], options?: Pick<IndexOptions, 'onProgress' | 'adapters'>): Promise<IndexSummary>;
  /** Re-indexes a root now (serialized with any pass already running for it); `files`: only these grew. */
  reindex(rootId: number, files?: string[] | null): Promise<void>;
}

/** Opens the catalog and assembles the API. With `watch`, every root is kept live. */
export async function createCore(options: CoreOptions): Promise<LabdeskCore> {
  const db = openCatalog(options.dbPath, { nativeBinding: options.nativeBinding });
  const events = new EventEmitter();
  const emit = <E extends ApiEvent>(event: E, payload: ApiEvents[E]) => events.emit(event, payload);
  const rootsChanged = () => emit('roots.changed', { roots: listRoots(db) });
  const imports = new ImportStore(path.join(path.dirname(options.dbPath), 'imports'));

  // One indexing pass per root at a time; changes during a pass schedule exactly one more. A pass
  // for files that only grew reads their appends without walking the tree (`refreshFiles`).
  const running = new Map<number, Promise<void>>();
  /** Per root, what the next pass must cover: changed files, or null for a full walk. */
  const again = new Map<number, Set<string> | null>();
  const reindex = (rootId: number, files: string[] | null = null): Promise<void> => {
    const current = running.get(rootId);
    if (current) {
      const queued = again.has(rootId) ? again.get(rootId)! : new Set<string>();
      again.set(rootId, queued && files ? new Set([...queued, ...files]) : null);
      return current;
    }
    const pass = (async () => {
      const root = getRoot(db, rootId);
      if (!root) return;
      const appended = files ? await refreshFiles(db, root, files) : null;
      if (appended) {
        if (appended.changed.length) emit('catalog.changed', { runIds: appended.changed, removed: [] });
        return;
      }
      setRootStatus(db, rootId, 'indexing');
      rootsChanged();
      const result = await indexRoot(db, root, { onProgress: (p) => emit('index.progress', p) });
      setRootStatus(db, rootId, result.missing ? 'missing' : watcher ? 'live' : 'idle');
      if (result.changed.length || result.removed.length) {
        emit('catalog.changed', { runIds: result.changed, removed: result.removed });
      }
      rootsChanged();
    })().finally(() => {
      running.delete(rootId);
      if (again.has(rootId)) {
        const next = again.get(rootId)!;
        again.delete(rootId);
        void reindex(rootId, next ? [...next] : null);
      }
    });
    running.set(rootId, pass);
    return pass;
  };

  const watcher = options.watch
    ? new RootWatcher(
        (rootId, files) => void reindex(rootId, files),
        (rootId) => {
          setRootStatus(db, rootId, 'error');
          rootsChanged();
        },
      )
    : null;
  const startRoot = (root: RootInfo) => {
    watcher?.watch(root.id, root.path);
    void reindex(root.id);
  };
  if (watcher) for (const root of listRoots(db)) startRoot(root);

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
    'roots.list': async () => listRoots(db),
    'roots.add': async ({ path }) => {
      const root = addRoot(db, checkFolder(path));
      startRoot(root);
      rootsChanged();
      return getRoot(db, root.id)!;
    },
    'roots.remove': async ({ id }) => {
      if (typeof id !== 'number') throw badRequest('roots.remove needs the numeric id of a watched folder.');
      await watcher?.unwatch(id);
      await running.get(id);
      const removed = removeRoot(db, id);
      if (removed) {
        rootsChanged();
        emit('catalog.changed', { runIds: [], removed: [] });
      }
      return { removed };
    },
    'catalog.stats': async () => catalogStats(db, options.dbPath),
    'artifacts.figure': async ({ run, path }) => runFigure(db, resolveRunId(db, run), path),
    'notebooks.render': async ({ run }) => notebookView(db, resolveRunId(db, run)),
  };

  return {
    api,
    db,
    dbPath: options.dbPath,
    on(event, listener) {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
    reindex,
    async indexFolders(folders, opts = {}) {
      const started = performance.now();
      const roots = folders.map((f) => addRoot(db, checkFolder(f)));
      for (const root of roots) {
        setRootStatus(db, root.id, 'indexing');
        await indexRoot(db, root, opts);
        setRootStatus(db, root.id, 'idle');
      }
      const ids = JSON.stringify(roots.map((r) => r.id));
      const count = (table: string) =>
        db.prepare(`SELECT count(*) FROM ${table} WHERE root_id IN (SELECT value FROM json_each(?))`).pluck().get(ids) as number;
      return {
        runs: count('runs'), experiments: count('experiments'), datasets: count('datasets'), models: count('models'),
        problems: count('problems'), seconds: Math.round((performance.now() - started) / 10) / 100,
      };
    },
    async close() {
      await watcher?.close();
      await Promise.allSettled(running.values());
      db.close();
    },
  };
}
