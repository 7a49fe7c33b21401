import { isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';
import { MAX_ALIAS_COUNT, MAX_NESTING, parseYamlBounded } from './safe-parse.js';

/** Flat key → text params, nested keys joined with dots (as MLflow and W&B display them). */
export type FlatParams = Map<string, string>;

/** Renders a parsed JSON value as a param string: scalars as text, lists and objects as JSON. */
export function paramText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Flattens a JSON object into dotted keys. Lists stay whole (a list of layer sizes is one param). */
export function flattenObject(value: unknown, prefix = '', out: FlatParams = new Map()): FlatParams {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flattenObject(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, paramText(value));
  }
  return out;
}

export interface YamlParamsResult {
  params: FlatParams;
  /** Parse errors, each a sentence for the problems list; params read before an error are kept. */
  errors: string[];
  /** Why the whole file was refused unread (too deep, aliases expanding too far); then no params. */
  refused: string | null;
}

/**
 * Flattens a YAML mapping into dotted params, keeping each scalar as written (`1.0e-05` stays
 * `1.0e-05`, not `0.00001`). Python-specific tags (!!python/tuple, ...) are read as their plain
 * value; aliases are read as the values they stand for.
 */
export function flattenYamlParams(text: string): YamlParamsResult {
  const parsed = parseYamlBounded(text);
  if ('error' in parsed) return { params: new Map(), errors: [], refused: parsed.error };
  return { params: flattenYamlDoc(parsed.doc), errors: parsed.errors, refused: null };
}

/** Flattens an already parsed (bounded, see parseYamlBounded) YAML document into dotted params. */
export function flattenYamlDoc(doc: Document.Parsed): FlatParams {
  const params: FlatParams = new Map();
  const walk = (at: unknown, prefix: string, depth: number): void => {
    // parseYamlBounded has checked alias expansion; the depth guard is for a walk on a doc it did not check.
    const node = isAlias(at) ? at.resolve(doc) : at;
    if (depth > MAX_NESTING) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        walk(pair.value, prefix ? `${prefix}.${key}` : key, depth + 1);
      }
    } else if (!prefix) {
      return;
    } else if (isScalar(node)) {
      const plain = node.type === 'PLAIN' && typeof node.source === 'string' && typeof node.value === 'number';
      params.set(prefix, plain ? (node.source as string) : paramText(node.value));
    } else if (isSeq(node)) {
      params.set(prefix, JSON.stringify(node.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT })));
    } else {
      params.set(prefix, 'null');
    }
  };
  walk(doc.contents, '', 0);
  return params;
}
