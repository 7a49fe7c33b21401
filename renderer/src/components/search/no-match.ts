/**
 * Why a structured query found nothing: the param, metric or tag keys it names that no run has,
 * each with the closest key the catalog does have (edit distance), as "did you mean" hints.
 */
import type { RunKeys } from '../../../../src/api/contract.js';

export interface UnknownKey {
  /** As written in the query, e.g. `metrics.val_los`. */
  term: string;
  kind: 'params' | 'metrics' | 'tags';
  key: string;
  /** The closest known key of the same kind, e.g. `metrics.val_loss`; null when none is close. */
  suggestion: string | null;
}

// A field: prefix, a dot, then a bare key or a backticked one (src/catalog/query/lexer.ts).
const FIELD = /(?:^|[\s(!])(params?|parameters?|metrics?|tags?)\.(`(?:[^`]|``)*`|[^\s(),'"`=!<>;#$\\{}[\]&|]+)/gi;

/** Levenshtein distance, case-insensitive: how many edits turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[y.length];
}

/** The known key nearest `key`: within a third of its length (at least 2 edits), or one that contains it. */
export function closestKey(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  if (best !== null && bestDistance <= Math.max(2, Math.floor(key.length / 3))) return best;
  const lower = key.toLowerCase();
  return known.find((k) => k.toLowerCase().includes(lower) || lower.includes(k.toLowerCase())) ?? null;
}

/** The keys a query names that no run in the catalog has (in the order written, each once). */
export function unknownKeys(query: string, keys: RunKeys): UnknownKey[] {
  const out: UnknownKey[] = [];
  const seen = new Set<string>();
  for (const m of query.matchAll(FIELD)) {
    const prefix = m[1].toLowerCase();
    const kind = prefix.startsWith('param') ? 'params' : prefix.startsWith('metric') ? 'metrics' : 'tags';
    let key = m[2].startsWith('`') ? m[2].slice(1, -1).replace(/``/g, '`') : m[2];
    if (kind === 'metrics' && !m[2].startsWith('`')) key = key.replace(/:(last|min|max)$/i, '');
    const known = kind === 'params' ? keys.paramKeys : kind === 'metrics' ? keys.metricKeys : keys.tagKeys;
    if (known.includes(key) || seen.has(`${kind}.${key}`)) continue;
    seen.add(`${kind}.${key}`);
    const near = closestKey(key, known);
    out.push({ term: `${kind}.${key}`, kind, key, suggestion: near === null ? null : `${kind}.${near}` });
  }
  return out;
}
