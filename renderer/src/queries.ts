/**
 * The one data-fetching layer: react-query hooks over the API client. Live updates come from core
 * events (and, as a fallback for transports that lag, from watching roots while they index), which
 * invalidate queries so every view refreshes in place without a reload.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import type { IndexProgress, RootInfo, RunSort } from '../../src/api/contract';
import { api, client } from './api-client';

export const keys = {
  runs: ['runs'] as const,
  runPage: (query: string, sort: RunSort, offset: number, limit: number) =>
    ['runs', 'page', { query, sort, offset, limit }] as const,
  run: (id: string) => ['runs', 'detail', id] as const,
  metric: (run: string, key: string, maxPoints: number) => ['metrics', run, key, maxPoints] as const,
  metrics: ['metrics'] as const,
  problems: ['problems'] as const,
  roots: ['roots'] as const,
  stats: ['stats'] as const,
};

export const RUN_PAGE_SIZE = 100;

/**
 * The rows of `runs.list` covering positions [first, last], fetched as one window aligned to
 * RUN_PAGE_SIZE (so small scrolls reuse the cached window). While a new window (or sort, or query)
 * loads, the previous one stays on screen; rows it does not cover are simply not loaded yet.
 */
export function useRunWindow(query: string, sort: RunSort, first: number, last: number) {
  const offset = Math.floor(first / RUN_PAGE_SIZE) * RUN_PAGE_SIZE;
  const limit = Math.floor(last / RUN_PAGE_SIZE) * RUN_PAGE_SIZE + RUN_PAGE_SIZE - offset;
  const result = useQuery({
    queryKey: keys.runPage(query, sort, offset, limit),
    queryFn: () => api['runs.list']({ query: query || undefined, sort, offset, limit }),
    placeholderData: keepPreviousData,
  });
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

export function useRun(id: string) {
  return useQuery({ queryKey: keys.run(id), queryFn: () => api['runs.get']({ id }) });
}

export function useMetric(run: string, key: string, maxPoints = 2000) {
  return useQuery({
    queryKey: keys.metric(run, key, maxPoints),
    queryFn: () => api['metrics.get']({ run, key, maxPoints }),
    placeholderData: keepPreviousData,
  });
}

export function useProblems(limit = 1000) {
  return useQuery({ queryKey: [...keys.problems, limit], queryFn: () => api['problems.list']({ limit }) });
}

export function useRoots() {
  return useQuery({
    queryKey: keys.roots,
    queryFn: () => api['roots.list']({}),
    // While a root indexes, poll: events normally arrive first, this only covers a missed one.
    refetchInterval: (q) => (q.state.data?.some((r) => r.status === 'indexing') ? 1500 : false),
  });
}

export function useStats() {
  return useQuery({ queryKey: keys.stats, queryFn: () => api['catalog.stats']({}) });
}

function invalidateCatalog(qc: QueryClient) {
  for (const key of [keys.runs, keys.metrics, keys.problems, keys.stats, keys.roots]) {
    void qc.invalidateQueries({ queryKey: key });
  }
}

export function useAddRoot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (path: string) => api['roots.add']({ path }),
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
      client.onReconnect(() => invalidateCatalog(qc)),
    ];
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
