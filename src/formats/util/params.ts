import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';

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
}

/**
 * Flattens a YAML mapping into dotted params, keeping each scalar as written (`1.0e-05` stays
 * `1.0e-05`, not `0.00001`). Python-specific tags (!!python/tuple, ...) are read as their plain value.
 */
export function flattenYamlParams(text: string): YamlParamsResult {
  const doc = parseDocument(text, { logLevel: 'silent', uniqueKeys: false });
  const errors = doc.errors.map((e) => e.message.split('\n')[0]);
  const params: FlatParams = new Map();
  const walk = (node: unknown, prefix: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        walk(pair.value, prefix ? `${prefix}.${key}` : key);
      }
    } else if (!prefix) {
      return;
    } else if (isScalar(node)) {
      const plain = node.type === 'PLAIN' && typeof node.source === 'string' && typeof node.value === 'number';
      params.set(prefix, plain ? (node.source as string) : paramText(node.value));
    } else if (isSeq(node)) {
      params.set(prefix, JSON.stringify((node as Node).toJSON()));
    } else {
      params.set(prefix, 'null');
    }
  };
  walk(doc.contents, '');
  return { params, errors };
}
