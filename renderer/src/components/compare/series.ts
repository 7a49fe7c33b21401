/** Turning metric series into chart coordinates: the x axis choice, smoothing, group aggregates. */
import type { MetricSeries } from '../../../../src/api/contract';
import { toNumber } from '../../format';
import { emaSmooth, weightForDownsampled } from './smoothing';

export type XAxisMode = 'step' | 'wall' | 'relative';

export interface XY {
  x: number[];
  y: number[];
}

/** True when the series recorded wall times (Lightning's CSV logs, for one, record only steps). */
export function hasWallTime(series: MetricSeries): boolean {
  return series.points.some((p) => p[2] !== null);
}

/**
 * x and y of a series for the chosen axis: steps; wall time as epoch milliseconds (plotly's date axis);
 * or seconds since the series' first recorded time. Points without a time are left out of time axes.
 */
export function seriesXY(series: MetricSeries, mode: XAxisMode, smoothing: number): XY {
  const x: number[] = [];
  const yRaw: number[] = [];
  let t0 = Infinity;
  if (mode === 'relative') for (const p of series.points) if (p[2] !== null && p[2] < t0) t0 = p[2];
  for (const p of series.points) {
    if (mode === 'step') x.push(p[0]);
    else if (p[2] === null) continue;
    else x.push(mode === 'wall' ? p[2] * 1000 : p[2] - t0);
    yRaw.push(toNumber(p[1]));
  }
  const weight = weightForDownsampled(smoothing, series.count, series.points.length);
  return { x, y: smoothing > 0 ? emaSmooth(yRaw, weight) : yRaw };
}

/** The unit relative times read best in, from the largest value on the chart (in seconds). */
export function relativeUnit(maxSeconds: number): { label: string; divisor: number } {
  if (maxSeconds >= 2 * 3600) return { label: 'hours', divisor: 3600 };
  if (maxSeconds >= 120) return { label: 'minutes', divisor: 60 };
  return { label: 'seconds', divisor: 1 };
}

export interface Band {
  x: number[];
  mean: number[];
  min: number[];
  max: number[];
  /** How many runs contributed at each x. */
  n: number[];
}

/** Linear interpolation of a series sorted by x, at `at`; NaN outside its range. */
function interpolate(s: XY, order: number[], at: number): number {
  let lo = 0;
  let hi = order.length - 1;
  if (hi < 0 || at < s.x[order[0]] || at > s.x[order[hi]]) return NaN;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (s.x[order[mid]] <= at) lo = mid;
    else hi = mid;
  }
  const x0 = s.x[order[lo]];
  const x1 = s.x[order[hi]];
  const y0 = s.y[order[lo]];
  const y1 = s.y[order[hi]];
  if (x1 === x0 || at === x0) return y0;
  if (at === x1) return y1;
  return y0 + ((y1 - y0) * (at - x0)) / (x1 - x0);
}

/**
 * A group's mean line and min–max band (Aim's group view): every run is interpolated on one grid of
 * `resolution` x values spanning the group; at each x only the runs that reached it count, so a run
 * that stopped early does not pull the mean towards its last value. NaN points are skipped.
 */
export function aggregateBand(series: XY[], resolution = 300): Band {
  const withPoints = series.filter((s) => s.x.length > 0);
  const band: Band = { x: [], mean: [], min: [], max: [], n: [] };
  if (!withPoints.length) return band;
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of withPoints) {
    for (const x of s.x) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  const orders = withPoints.map((s) => s.x.map((_, i) => i).sort((a, b) => s.x[a] - s.x[b]));
  const steps = hi > lo ? resolution : 1;
  for (let g = 0; g < steps; g++) {
    const at = steps === 1 ? lo : lo + ((hi - lo) * g) / (steps - 1);
    let sum = 0;
    let n = 0;
    let min = Infinity;
    let max = -Infinity;
    withPoints.forEach((s, i) => {
      const v = interpolate(s, orders[i], at);
      if (!Number.isFinite(v)) return;
      sum += v;
      n++;
      if (v < min) min = v;
      if (v > max) max = v;
    });
    if (!n) continue;
    band.x.push(at);
    band.mean.push(sum / n);
    band.min.push(min);
    band.max.push(max);
    band.n.push(n);
  }
  return band;
}
