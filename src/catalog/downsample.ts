import type { StoredSeries } from './metric-store.js';

/**
 * Reduces a series to at most `maxPoints` points while keeping every extreme: each bucket of
 * consecutive points contributes its minimum and maximum (in their original order) and, when it holds
 * one, a NaN, so a single spike or NaN among a million points stays visible. Returns point indices.
 */
export function downsampleIndices(series: StoredSeries, maxPoints: number): number[] {
  const n = series.values.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(maxPoints / 3));
  const out: number[] = [];
  const v = series.values;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let lo = -1;
    let hi = -1;
    let nan = -1;
    for (let i = start; i < end; i++) {
      const x = v[i];
      if (x !== x) {
        if (nan < 0) nan = i;
        continue;
      }
      if (lo < 0 || x < v[lo]) lo = i;
      if (hi < 0 || x > v[hi]) hi = i;
    }
    const picks = [lo, hi, nan].filter((i) => i >= 0).sort((a, b) => a - b);
    for (let k = 0; k < picks.length; k++) if (k === 0 || picks[k] !== picks[k - 1]) out.push(picks[k]);
  }
  return out;
}
