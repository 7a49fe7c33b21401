/**
 * Coalesces per-series requests into `metrics.batch` calls. Each (run, key) is its own react-query
 * entry — so a live update of one run refetches that run only, and adding a metric fetches only that
 * metric — yet everything asked for in the same tick travels in as few calls as the point budget allows.
 */
import type { MetricSeries } from '../../../../src/api/contract';
import { api } from '../../api-client';

/** Points per call: ~8 MB of JSON, parsed in well under a frame budget per chunk, so charts fill progressively. */
const POINTS_PER_CALL = 250_000;

interface Request {
  run: string;
  key: string;
  maxPoints: number;
  resolve: (series: MetricSeries) => void;
  reject: (error: unknown) => void;
}

let queue: Request[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

/** One series, downsampled on the server to at most `maxPoints` (extremes and ends kept). */
export function loadSeries(run: string, key: string, maxPoints: number): Promise<MetricSeries> {
  return new Promise((resolve, reject) => {
    queue.push({ run, key, maxPoints, resolve, reject });
    // A macrotask, not a microtask: react-query starts every mounted query within the same task.
    timer ??= setTimeout(flush, 0);
  });
}

function groupBy<T, K>(items: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function flush(): void {
  const requests = queue;
  queue = [];
  timer = null;
  for (const [maxPoints, sameSize] of groupBy(requests, (r) => r.maxPoints)) {
    // Runs asking for the same keys share a call (the batch is a runs x keys product).
    const keysByRun = new Map<string, string[]>();
    for (const [run, reqs] of groupBy(sameSize, (r) => r.run)) {
      keysByRun.set(run, [...new Set(reqs.map((r) => r.key))].sort());
    }
    const runsByKeys = groupBy([...keysByRun], ([, keys]) => keys.join('\0'));
    for (const entries of runsByKeys.values()) {
      const keys = entries[0][1];
      const runs = entries.map(([run]) => run);
      const perCall = Math.max(1, Math.floor(POINTS_PER_CALL / (keys.length * maxPoints)));
      for (let i = 0; i < runs.length; i += perCall) {
        const chunk = new Set(runs.slice(i, i + perCall));
        const waiting = sameSize.filter((r) => chunk.has(r.run));
        api['metrics.batch']({ runs: [...chunk], keys, maxPoints }).then(
          (series) => {
            const found = new Map(series.map((s) => [`${s.run}\0${s.key}`, s]));
            for (const r of waiting) {
              const s = found.get(`${r.run}\0${r.key}`);
              if (s) r.resolve(s);
              else r.reject(new Error(`The batch answered without ${r.key} of run ${r.run}.`));
            }
          },
          (error: unknown) => waiting.forEach((r) => r.reject(error)),
        );
      }
    }
  }
}
