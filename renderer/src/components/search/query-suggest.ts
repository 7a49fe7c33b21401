/**
 * What the search box offers at the cursor: field prefixes, the catalog's param, metric and tag keys
 * (from `runs.keys`), attribute names and the statuses. Pure functions of the text and the keys, so
 * the box stays a thin view; the server's parser stays the one judge of what a query means.
 */
import type { RunKeys } from '../../../../src/api/contract.js';

export interface Suggestion {
  /** The text that replaces the token at the cursor. */
  insert: string;
  /** What the option shows. */
  label: string;
  /** The group it is listed under. */
  group: string;
}

/** The token under the cursor: [start, end) in the text, and what it holds so far. */
export interface Token {
  start: number;
  end: number;
  text: string;
}

export const PREFIXES = ['params.', 'metrics.', 'tags.', 'attributes.'] as const;

/** The query language's attributes (src/catalog/query/fields.ts; the renderer imports only types from src/). */
export const ATTRIBUTE_NAMES = [
  'status', 'name', 'experiment', 'format', 'path', 'start_time', 'end_time', 'duration', 'starred', 'archived', 'note', 'label', 'id', 'experiment_id',
];

const STATUSES = ['FINISHED', 'RUNNING', 'FAILED', 'KILLED', 'UNKNOWN'];

/** Characters that end a word in the query lexer (src/catalog/query/lexer.ts WORD_END). */
const WORD_END = /[\s(),'"`=!<>;#$\\{}[\]&|]/;
const MAX_OPTIONS = 40;

/** The word around `cursor` (a field like `params.lr`, or a quoted value after an operator). */
export function tokenAt(text: string, cursor: number): Token {
  let start = cursor;
  // A key typed inside backticks (metrics.`val acc`) is one token, spaces and all.
  const tick = text.lastIndexOf('`', cursor - 1);
  if (tick > 0 && text[tick - 1] === '.' && (text.slice(0, tick).match(/`/g)?.length ?? 0) % 2 === 0) {
    start = tick;
    while (start > 0 && !WORD_END.test(text[start - 1])) start--;
  } else {
    while (start > 0 && !WORD_END.test(text[start - 1])) start--;
  }
  let end = cursor;
  while (end < text.length && !WORD_END.test(text[end])) end++;
  return { start, end, text: text.slice(start, cursor) };
}

/** A key as the query language takes it: bare when the lexer reads it as one word, else in backticks. */
export function quoteKey(key: string): string {
  return WORD_END.test(key) ? `\`${key.replace(/`/g, '``')}\`` : key;
}

/** Ranks `candidates` for what was typed: prefix matches first, then substring matches. */
function ranked(candidates: readonly string[], typed: string): string[] {
  const t = typed.toLowerCase();
  const starts = candidates.filter((c) => c.toLowerCase().startsWith(t));
  const contains = t ? candidates.filter((c) => !c.toLowerCase().startsWith(t) && c.toLowerCase().includes(t)) : [];
  return [...starts, ...contains].slice(0, MAX_OPTIONS);
}

/** Keys of the catalog by the prefix written before the dot (`param.` and `metric.` too, as the parser allows). */
function keysFor(prefix: string, keys: RunKeys | undefined): { group: string; canonical: string; keys: readonly string[] } | null {
  switch (prefix.toLowerCase()) {
    case 'param': case 'params': case 'parameter': case 'parameters':
      return { group: 'Params', canonical: prefix, keys: keys?.paramKeys ?? [] };
    case 'metric': case 'metrics':
      return { group: 'Metrics', canonical: prefix, keys: keys?.metricKeys ?? [] };
    case 'tag': case 'tags':
      return { group: 'Tags', canonical: prefix, keys: keys?.tagKeys ?? [] };
    case 'attribute': case 'attributes': case 'attr': case 'run':
      return { group: 'Attributes', canonical: prefix, keys: ATTRIBUTE_NAMES };
    default:
      return null;
  }
}

/** A param or tag value being typed after `params.KEY =` (or !=, LIKE, IN (...): whose values to offer. */
export interface ValueField {
  field: 'params' | 'tags';
  key: string;
  quote: string;
}

const VALUE_AT = /(?:^|[\s(])(params?|parameters?|tags?)\.(`(?:[^`]|``)*`|[^\s(),'"`=!<>;#$\\{}[\]&|]+)\s*(?:!?=|(?:NOT\s+)?I?LIKE|(?:NOT\s+)?IN\s*\((?:[^)]*,\s*)?)\s*(['"]?)$/i;

export function valueFieldAt(text: string, cursor: number): ValueField | null {
  const m = VALUE_AT.exec(text.slice(0, tokenAt(text, cursor).start));
  if (!m) return null;
  const key = m[2].startsWith('`') ? m[2].slice(1, -1).replace(/``/g, '`') : m[2];
  return { field: m[1].toLowerCase().startsWith('tag') ? 'tags' : 'params', key, quote: m[3] };
}

/**
 * Suggestions for the token at `cursor`; empty when there is nothing useful to offer. `values`: the
 * seen values of the field `valueFieldAt` names (fetched by the box), offered as quoted strings.
 */
export function suggestionsAt(
  text: string, cursor: number, keys: RunKeys | undefined, values?: readonly string[],
): { token: Token; options: Suggestion[] } {
  const token = tokenAt(text, cursor);
  const typed = token.text;
  const valueField = valueFieldAt(text, cursor);
  if (valueField) {
    const q = valueField.quote;
    const options = ranked(values ?? [], typed)
      .filter((v) => v !== typed)
      .map((v) => ({ insert: q ? `${v.replace(new RegExp(q, 'g'), q + q)}${q}` : `'${v.replace(/'/g, "''")}'`, label: v, group: 'Values seen' }));
    return { token, options };
  }
  // A status value after `status =` or `attributes.status !=`, with or without an opening quote.
  const status = /(?:^|[\s(])(?:(?:attributes?|attr|run)\.)?status\s*!?=\s*(['"]?)$/i.exec(text.slice(0, token.start));
  if (status) {
    const quote = status[1];
    const options = ranked(STATUSES, typed).map((s) => ({ insert: quote ? `${s}${quote}` : `'${s}'`, label: s, group: 'Status' }));
    return { token, options };
  }
  if (!typed) return { token, options: [] };
  const dot = typed.indexOf('.');
  if (dot < 0) {
    const options = PREFIXES.filter((p) => p.startsWith(typed.toLowerCase()) && p !== typed).map((p) => ({ insert: p, label: p, group: 'Fields' }));
    return { token, options };
  }
  const field = keysFor(typed.slice(0, dot), keys);
  if (!field) return { token, options: [] };
  const partial = typed.slice(dot + 1).replace(/^`/, '').replace(/`$/, '');
  const options = ranked(field.keys, partial)
    .filter((k) => k !== partial)
    .map((k) => ({ insert: `${field.canonical}.${quoteKey(k)}`, label: `${field.canonical}.${k}`, group: field.group }));
  return { token, options };
}

/** Puts a suggestion in place of the token; the cursor goes after it (and after a space once a value is done). */
export function applySuggestion(text: string, token: Token, s: Suggestion): { text: string; cursor: number } {
  const insert = s.group === 'Status' || s.group === 'Values seen' ? `${s.insert} ` : s.insert;
  const out = text.slice(0, token.start) + insert + text.slice(token.end);
  return { text: out, cursor: token.start + insert.length };
}
