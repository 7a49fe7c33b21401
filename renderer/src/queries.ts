/**
 * The one data-fetching layer: react-query hooks over the API client. Live updates come from core
 * events (and, as a fallback for transports that lag, from watching roots while they index), which
 * invalidate queries so every view refreshes in place without a reload.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
  type QueryClient,
  type UseQueryResult,
} from '@tanstack/react-query';
import type {
  AnnotationPatch, ExperimentAnnotationPatch, GroupBy, IndexProgress, JobInfo, MetricSeries, RootInfo, RunSort, SavedView,
} from '../../src/api/contract';
import { api, client } from './api-client';
import { loadSeries } from './components/compare/batch-loader';

export const keys = {
  runs: ['runs'] as const,
  runPage: (query: string, sort: RunSort, offset: number, limit: number, groupBy?: GroupBy) =>
    ['runs', 'page', { query, sort, offset, limit, groupBy }] as const,
  groups: (query: string, by: GroupBy, sort?: RunSort) => ['runs', 'groups', { query, by, sort }] as const,
  runKeys: ['runs', 'keys'] as const,
  run: (id: string) => ['runs', 'detail', id] as const,
  metric: (run: string, key: string, maxPoints: number) => ['metrics', run, key, maxPoints] as const,
  metrics: ['metrics'] as const,
  // Under ['runs'] and ['metrics', run] so catalog events refresh the compare view like every other.
  compare: (ids: string[]) => ['runs', 'compare', ids] as const,
  metricBatch: (run: string, key: string, maxPoints: number) => ['metrics', run, 'batch', key, maxPoints] as const,
  problems: ['problems'] as const,
  experiment: (id: string) => ['experiments', id] as const,
  views: ['views'] as const,
  roots: ['roots'] as const,
  stats: ['stats'] as const,
};

export const RUN_PAGE_SIZE = 100;

/** One page of `runs.list`: shared by the grid, the runs view's totals and the boot prefetch. */
const runPageQuery = (query: string, sort: RunSort, offset: number, limit: number, groupBy?: GroupBy) =>
  queryOptions({
    queryKey: keys.runPage(query, sort, offset, limit, groupBy),
    queryFn: () => api['runs.list']({ query: query || undefined, sort, offset, limit, groupBy }),
  });
const runKeysQuery = queryOptions({ queryKey: keys.runKeys, queryFn: () => api['runs.keys']({}) });
const statsQuery = queryOptions({ queryKey: keys.stats, queryFn: () => api['catalog.stats']({}) });
const viewsQuery = queryOptions({ queryKey: keys.views, queryFn: () => api['views.list']({}) });
const rootsQuery = queryOptions({ queryKey: keys.roots, queryFn: () => api['roots.list']({}) });

/**
 * Starts the runs view's first requests before React mounts (as a router's loader would), the page
 * of runs first (the server answers in order), so the first render already has rows: mounting the
 * shell, then rendering the rows, costs a reload with hundreds of columns two renders, two layouts
 * and two paints. Resolves when the first page is in (prefetchQuery never rejects: a failure is the
 * view's to show); the rest fills in after, without re-rendering the memoized grid.
 */
export function prefetchRunsView(qc: QueryClient, sort: RunSort, groupBy: GroupBy | null): Promise<unknown> {
  const firstPage = qc.prefetchQuery(runPageQuery('', sort, 0, RUN_PAGE_SIZE, groupBy ?? undefined));
  if (groupBy) void qc.prefetchQuery(runPageQuery('', sort, 0, RUN_PAGE_SIZE));
  void qc.prefetchQuery(runKeysQuery);
  void qc.prefetchQuery(rootsQuery);
  void qc.prefetchQuery(statsQuery);
  void qc.prefetchQuery(viewsQuery);
  return firstPage;
}

/**
 * The rows of `runs.list` covering positions [first, last], fetched as one window aligned to
 * RUN_PAGE_SIZE (so small scrolls reuse the cached window). While a new window (or sort, or query)
 * loads, the previous one stays on screen; rows it does not cover are simply not loaded yet.
 */
export function useRunWindow(query: string, sort: RunSort, first: number, last: number, groupBy?: GroupBy) {
  const offset = Math.floor(first / RUN_PAGE_SIZE) * RUN_PAGE_SIZE;
  const limit = Math.floor(last / RUN_PAGE_SIZE) * RUN_PAGE_SIZE + RUN_PAGE_SIZE - offset;
  const result = useQuery({ ...runPageQuery(query, sort, offset, limit, groupBy), placeholderData: keepPreviousData });
  const page = result.data;
  return {
    page,
    total: page?.total,
    paramKeys: page?.paramKeys ?? EMPTY,
    metricKeys: page?.metricKeys ?? EMPTY,
    error: result.error,
    isFetching: result.isFetching,
    isPlaceholder: result.isPlaceholderData,
  };
}

const EMPTY: string[] = [];

/** How many runs matching the query fall in each group (grouped runs table). */
export function useRunGroups(query: string, by: GroupBy | null, sort?: RunSort) {
  // Only a metric sort changes the groups (their best values): other sorts share one entry.
  const metricSort = sort?.column.startsWith('metrics.') ? sort : undefined;
  return useQuery({
    queryKey: keys.groups(query, by ?? 'experiment', metricSort),
    queryFn: () => api['runs.groups']({ query: query || undefined, by: by!, sort: metricSort }),
    enabled: by !== null,
    placeholderData: keepPreviousData,
  });
}

/** Param, metric and tag keys in the catalog (column chooser, group by, search help). */
export function useRunKeys() {
  return useQuery(runKeysQuery);
}

/** Seen values of one param or tag key (search box suggestions); idle when `field` is null. */
export function useRunValues(field: { field: 'params' | 'tags'; key: string } | null) {
  return useQuery({
    queryKey: ['runs', 'values', field?.field, field?.key] as const,
    queryFn: () => api['runs.values']({ field: field!.field, key: field!.key }),
    enabled: field !== null,
    staleTime: 30_000,
  });
}

export function useRun(id: string) {
  return useQuery({ queryKey: keys.run(id), queryFn: () => api['runs.get']({ id }) });
}

/**
 * A notebook run's read-only rendering. `version` (the notebook file's size and mtime as the run
 * detail reports them) is in the key, so a re-indexed notebook is read again and nothing else is.
 */
export function useNotebookView(run: string, version: string, enabled = true) {
  return useQuery({
    queryKey: ['notebooks', run, version] as const,
    queryFn: () => api['notebooks.render']({ run }),
    enabled,
    staleTime: Infinity,
  });
}

/** A figure of a run as a `data:` URL (the CSP allows data: images), fetched once per figure version. */
export function useFigure(run: string, path: string, version: string) {
  return useQuery({
    queryKey: ['figures', run, path, version] as const,
    queryFn: async () => {
      const f = await api['artifacts.figure']({ run, path });
      return { url: `data:${f.mime};base64,${f.data}`, mime: f.mime, sizeBytes: f.sizeBytes };
    },
    staleTime: Infinity,
    retry: false,
  });
}

export function useMetric(run: string, key: string, maxPoints = 2000) {
  return useQuery({
    queryKey: keys.metric(run, key, maxPoints),
    queryFn: () => api['metrics.get']({ run, key, maxPoints }),
    placeholderData: keepPreviousData,
  });
}

/** The runs of the compare view, in the order given, with params, summaries, tags and notes. */
export function useCompareRuns(ids: string[]) {
  return useQuery({
    queryKey: keys.compare(ids),
    queryFn: () => api['runs.compare']({ ids }),
    enabled: ids.length > 0,
    placeholderData: keepPreviousData,
  });
}

export interface MetricBatch {
  /** Loaded series, in no particular order; look them up by `run` and `key`. */
  series: MetricSeries[];
  pending: number;
  fetching: boolean;
  error: Error | null;
}

function combineBatch(results: UseQueryResult<MetricSeries>[]): MetricBatch {
  const series: MetricSeries[] = [];
  let pending = 0;
  let fetching = false;
  let error: Error | null = null;
  for (const r of results) {
    if (r.data) series.push(r.data);
    else pending++;
    fetching ||= r.isFetching;
    error ??= r.error;
  }
  return { series, pending, fetching, error };
}

/**
 * Every (run, key) series, downsampled on the server. One query per series (a live update refetches
 * only the run that changed); the loader sends all of them together as `metrics.batch` calls.
 */
export function useMetricBatch(runs: string[], metricKeys: string[], maxPoints: number): MetricBatch {
  return useQueries({
    queries: runs.flatMap((run) =>
      metricKeys.map((key) => ({
        queryKey: keys.metricBatch(run, key, maxPoints),
        queryFn: () => loadSeries(run, key, maxPoints),
      })),
    ),
    combine: combineBatch,
  });
}

export function useProblems(limit = 1000) {
  return useQuery({ queryKey: [...keys.problems, limit], queryFn: () => api['problems.list']({ limit }) });
}

export function useRoots() {
  return useQuery({
    ...rootsQuery,
    // While a root indexes, poll: events normally arrive first, this only covers a missed one.
    refetchInterval: (q) => (q.state.data?.some((r) => r.status === 'indexing') ? 1500 : false),
  });
}

export function useStats() {
  return useQuery(statsQuery);
}

function invalidateCatalog(qc: QueryClient) {
  for (const key of [keys.runs, keys.metrics, keys.problems, keys.stats, keys.roots]) {
    void qc.invalidateQueries({ queryKey: key });
  }
}

/** Star, rename, tag, note or archive a run; the run and every runs page refresh. */
export function useAnnotateRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: AnnotationPatch) => api['runs.annotate'](patch),
    onSuccess: (run) => {
      qc.setQueryData(keys.run(run.id), run);
      void qc.invalidateQueries({ queryKey: keys.runs });
    },
  });
}

/**
 * An experiment's display name and note. `experiments.annotate` with no fields changes nothing and
 * answers what is stored, so it doubles as the read.
 */
export function useExperimentAnnotation(id: string) {
  return useQuery({
    queryKey: keys.experiment(id),
    queryFn: () => api['experiments.annotate']({ id }),
    enabled: !!id,
  });
}

/** Rename an experiment or edit its note; runs pages refresh (they may show its name). */
export function useAnnotateExperiment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: ExperimentAnnotationPatch) => api['experiments.annotate'](patch),
    onSuccess: (annotation) => {
      qc.setQueryData(keys.experiment(annotation.id), annotation);
      void qc.invalidateQueries({ queryKey: keys.runs });
    },
  });
}

export function useSavedViews() {
  return useQuery(viewsQuery);
}

/** Saves a view by name (an existing view of that name is replaced). */
export function useSaveView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (view: Omit<SavedView, 'id' | 'createdAt'>) => api['views.save'](view),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.views }),
  });
}

export function useDeleteView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api['views.delete']({ id }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.views }),
  });
}

export function useAddRoot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ path, confirm }: { path: string; confirm?: boolean }) => api['roots.add']({ path, confirm }),
    onSuccess: () => invalidateCatalog(qc),
  });
}

export function useRemoveRoot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api['roots.remove']({ id }),
    onSuccess: () => invalidateCatalog(qc),
  });
}

// Indexing progress per root, kept outside react-query: it is a stream, not a fetched value.
let progress: Record<string, IndexProgress> = {};
const progressListeners = new Set<() => void>();
function setProgress(p: IndexProgress) {
  const next = { ...progress };
  if (p.phase === 'done') delete next[p.rootPath];
  else next[p.rootPath] = p;
  progress = next;
  progressListeners.forEach((l) => l());
}

/** Roots being indexed right now, keyed by root path. */
export function useIndexProgress(): Record<string, IndexProgress> {
  return useSyncExternalStore(
    (l) => {
      progressListeners.add(l);
      return () => progressListeners.delete(l);
    },
    () => progress,
  );
}

// Running jobs, kept like indexing progress: a stream of events, seeded by one `jobs.list`.
let runningJobs: JobInfo[] = [];
/** Jobs seen ending: a `jobs.list` answer that crossed their last event must not bring them back. */
const endedJobs = new Set<number>();
const jobListeners = new Set<() => void>();
function setJob(job: JobInfo) {
  const others = runningJobs.filter((j) => j.id !== job.id);
  if (job.state === 'running' && !endedJobs.has(job.id)) {
    runningJobs = [...others, job].sort((a, b) => b.startedAt - a.startedAt || b.id - a.id);
  } else {
    endedJobs.add(job.id);
    runningJobs = others;
    // An index pass that ended (cancelled, failed) without a final `done` progress event.
    if (job.kind === 'index' && progress[job.label]) setProgress({ ...progress[job.label], phase: 'done' });
  }
  jobListeners.forEach((l) => l());
}

/** What `jobs.list` says: new running jobs join, ended ones leave; a running one known here keeps its newer events. */
function seedJobs(jobs: JobInfo[]) {
  const listed = new Set(jobs.map((j) => j.id));
  // Not even among the finished ones any more: it ended long ago, while events were missed.
  for (const job of runningJobs) if (!listed.has(job.id)) setJob({ ...job, state: 'done' });
  for (const job of jobs) if (job.state !== 'running' || !runningJobs.some((r) => r.id === job.id)) setJob(job);
}

/** Jobs running now (index passes, hashing), newest first. */
export function useRunningJobs(): JobInfo[] {
  return useSyncExternalStore(
    (l) => {
      jobListeners.add(l);
      return () => jobListeners.delete(l);
    },
    () => runningJobs,
  );
}

export function useCancelJob() {
  return useMutation({ mutationFn: (id: number) => api['jobs.cancel']({ id }) });
}

const rootsSignature = (roots: RootInfo[]) =>
  roots.map((r) => `${r.id}:${r.status}:${r.runCount}:${r.lastIndexedAt}`).join('|');

/** Mount once: turns core events into cache invalidations. */
export function useLiveUpdates(): void {
  const qc = useQueryClient();
  const roots = useRoots().data;
  const lastSignature = useRef<string | null>(null);

  useEffect(() => {
    const offs = [
      client.on('catalog.changed', ({ runIds, removed }) => {
        void qc.invalidateQueries({ queryKey: keys.runs });
        void qc.invalidateQueries({ queryKey: keys.stats });
        void qc.invalidateQueries({ queryKey: keys.problems });
        void qc.invalidateQueries({ queryKey: keys.roots });
        for (const id of [...runIds, ...removed]) {
          void qc.invalidateQueries({ queryKey: ['metrics', id] });
        }
      }),
      client.on('roots.changed', ({ roots }) => {
        qc.setQueryData(keys.roots, roots);
      }),
      client.on('index.progress', setProgress),
      client.on('jobs.progress', setJob),
      client.onReconnect(() => {
        invalidateCatalog(qc);
        void api['jobs.list']({}).then(seedJobs, () => {});
      }),
    ];
    void api['jobs.list']({}).then(seedJobs, () => {});
    return () => offs.forEach((off) => off());
  }, [qc]);

  // A root finishing (or changing its run count) means the catalog changed, event or not.
  useEffect(() => {
    if (!roots) return;
    const signature = rootsSignature(roots);
    if (lastSignature.current !== null && lastSignature.current !== signature) {
      void qc.invalidateQueries({ queryKey: keys.runs });
      void qc.invalidateQueries({ queryKey: keys.stats });
      void qc.invalidateQueries({ queryKey: keys.problems });
    }
    lastSignature.current = signature;
  }, [roots, qc]);
}
