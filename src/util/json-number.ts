import type { JsonNumber } from '../api/contract.js';

/** A number as JSON can carry it: non-finite values become the strings "NaN", "Infinity", "-Infinity". */
export function toJsonNumber(value: number): JsonNumber {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

/** Parses a metric cell as the Python/TF writers spell numbers ("nan", "inf", "-Infinity"); null if not a number. */
export function parseMetricNumber(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  if (!Number.isNaN(n)) return n;
  switch (t.toLowerCase()) {
    case 'nan':
    case '-nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      return null;
  }
}
