/** Formatting of numbers, times and sizes for dense tables: short in the cell, exact on hover. */
import type { JsonNumber } from '../../src/api/contract';

/** JSON carries non-finite numbers as strings; plotting wants the real values (NaN draws a gap). */
export function toNumber(v: JsonNumber): number {
  if (typeof v === 'number') return v;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return NaN;
}

const fourDigits = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

/** ~4 significant digits: 0.6426, 1235, 1.235e-5, 1.235e+7, NaN, ∞. */
export function formatNumber(v: JsonNumber): string {
  const n = toNumber(v);
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '∞';
  if (n === -Infinity) return '−∞';
  const abs = Math.abs(n);
  if (n === 0 || (abs >= 1e-3 && abs < 1e6)) return fourDigits.format(n).replace(/,/g, '\u2009');
  return n.toExponential(3).replace(/\.?0+e/, 'e');
}

/** The exact value, for titles and copy: every digit JavaScript keeps. */
export function exactNumber(v: JsonNumber): string {
  return typeof v === 'number' ? String(v) : v;
}

const groupedInt = new Intl.NumberFormat('en-US');
export function formatCount(n: number): string {
  return groupedInt.format(n);
}

/** "1 run", "4 runs". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['week', 7 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 min. ago", "yesterday"; `now` is a parameter so tests and lists agree on one instant. */
export function formatRelativeTime(ms: number | null, now = Date.now()): string {
  if (ms === null) return '—';
  const seconds = (ms - now) / 1000;
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

const exactTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
export function formatDateTime(ms: number | null): string {
  return ms === null ? 'unknown' : exactTime.format(new Date(ms));
}

/** 0.8 s, 42 s, 3 m 12 s, 1 h 05 m, 2 d 3 h. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  // Whole-second records (W&B's runtime) make 0 of a short run: say "under", not "0.0 s".
  if (seconds < 0.1) return '< 0.1 s';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} m ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${String(m % 60).padStart(2, '0')} m`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Decimal units, as file managers show them: 1.2 MB. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** The last part of a path, for compact labels (full path goes in the title). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

/** Where a run is, for a title: its path, and which execution of the file when it is one of several. */
export function runPlace(run: { path: string; execution: string | null }): string {
  return run.execution === null ? run.path : `${run.path} (execution ${run.execution})`;
}
