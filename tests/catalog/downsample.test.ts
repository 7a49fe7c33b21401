import { describe, expect, it } from 'vitest';
import { downsampleIndices } from '../../src/catalog/downsample.js';

function series(n: number, value: (i: number) => number) {
  const steps = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    steps[i] = i;
    values[i] = value(i);
  }
  return { steps, values, times: new Float64Array(n).fill(NaN) };
}

describe('downsampling', () => {
  it('keeps a single spike and a single NaN among a million points', () => {
    const s = series(1_000_000, (i) => Math.sin(i / 1000));
    s.values[654_321] = 1e6;
    s.values[123_457] = NaN;
    const idx = downsampleIndices(s, 2000);
    expect(idx.length).toBeLessThanOrEqual(2000);
    expect(idx).toContain(654_321);
    expect(idx).toContain(123_457);
    // Indices stay in order, so the series still draws left to right.
    expect(idx.every((v, k) => k === 0 || v > idx[k - 1])).toBe(true);
  });

  it('returns every point when there are fewer than asked for', () => {
    expect(downsampleIndices(series(10, (i) => i), 2000)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
