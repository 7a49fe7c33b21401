/**
 * TensorBoard's scalar smoothing: a debiased exponential moving average. Starting from 0 and dividing
 * by (1 - w^n) keeps early values from being dragged towards 0 (or towards the first point); non-finite
 * values pass through and do not advance the average; a constant series is returned as is.
 */
export function emaSmooth(values: readonly number[], weight: number): number[] {
  if (weight <= 0 || values.length === 0) return values.slice();
  const first = values[0];
  if (values.every((v) => v === first)) return values.slice();
  let last = 0;
  let count = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    count++;
    return weight === 1 ? last : last / (1 - weight ** count);
  });
}

/**
 * The per-drawn-point weight that smooths a downsampled series as `weight` smooths every stored point:
 * each drawn point stands for `stored / drawn` stored ones, so the decay compounds that many times.
 * Without this a 1M-point run would look far less smoothed than a 1,000-point one at the same setting.
 */
export function weightForDownsampled(weight: number, stored: number, drawn: number): number {
  if (weight <= 0 || drawn <= 0 || stored <= drawn) return weight;
  return weight ** (stored / drawn);
}
