import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { paramText } from '../util/params.js';
import { parseYamlBounded } from '../util/safe-parse.js';

/** One dependency or output as dvc.lock / a `.dvc` file records it. */
export interface DvcEntry {
  /** Relative to the project folder, as DVC writes it. */
  path: string;
  /** The content hash DVC keys its cache by; a `.dir` suffix marks a folder's manifest. */
  hash: string | null;
  size: number | null;
  nfiles: number | null;
}

export interface LockStage {
  name: string;
  deps: DvcEntry[];
  outs: DvcEntry[];
  /** Params the stage used, flattened with dots; keys from files other than params.yaml get `file:`. */
  params: Map<string, string>;
}

export type Parsed<T> = { value: T } | { error: string };

/** Parses a YAML file's text; any syntax error makes the whole file unusable (a lock must be whole). */
export function parseYaml(text: string): Parsed<Node | null> {
  const parsed = parseYamlBounded(text);
  if ('error' in parsed) return parsed;
  if (parsed.errors.length) return { error: parsed.errors[0] };
  return { value: parsed.doc.contents as Node | null };
}

/** The value of `key` in a YAML map node, or undefined. */
export function child(node: unknown, key: string): unknown {
  if (!isMap(node)) return undefined;
  const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  return pair?.value ?? undefined;
}

/** A map node's entries as [key, value node] pairs. */
export function entriesOf(node: unknown): [string, unknown][] {
  if (!isMap(node)) return [];
  return node.items.map((p) => [isScalar(p.key) ? String(p.key.value) : String(p.key), p.value]);
}

function plain(node: unknown): unknown {
  return node && typeof (node as Node).toJSON === 'function' ? (node as Node).toJSON() : node;
}

/**
 * Stages of a dvc.lock: schema '2.0' (DVC 2 and 3) keeps them under `stages:`; DVC 1 put stage names
 * at the top level. Deps/outs hash with `md5` (DVC 3 adds `hash: md5` beside it); cloud outputs
 * may carry `etag` or `checksum` instead.
 */
export function lockStages(root: unknown): LockStage[] {
  const stagesNode = child(root, 'stages') ?? (child(root, 'schema') === undefined ? root : undefined);
  return entriesOf(stagesNode).map(([name, stage]) => {
    const params = new Map<string, string>();
    for (const [file, values] of entriesOf(child(stage, 'params'))) {
      const prefix = file === 'params.yaml' ? '' : `${file}:`;
      for (const [key, v] of entriesOf(values)) flattenParam(v, `${prefix}${key}`, params);
    }
    return { name, deps: entryList(child(stage, 'deps')), outs: entryList(child(stage, 'outs')), params };
  });
}

/** Outs of a `.dvc` file (plain `dvc add` or `dvc import`), plus where an import came from. */
export function dvcFileInfo(root: unknown): { outs: DvcEntry[]; source: string | null } {
  let source: string | null = null;
  const dep = isSeq(child(root, 'deps')) ? (child(root, 'deps') as { items: unknown[] }).items[0] : undefined;
  const repo = plain(child(dep, 'repo')) as { url?: unknown; rev_lock?: unknown } | undefined;
  const depPath = plain(child(dep, 'path'));
  if (repo && typeof repo.url === 'string') {
    source = `${repo.url}${typeof repo.rev_lock === 'string' ? `@${repo.rev_lock}` : ''}${typeof depPath === 'string' ? `:${depPath}` : ''}`;
  } else if (typeof depPath === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(depPath)) {
    source = depPath; // `dvc import-url`: the dep is the remote URL itself
  }
  return { outs: entryList(child(root, 'outs')), source };
}

function entryList(node: unknown): DvcEntry[] {
  if (!isSeq(node)) return [];
  const out: DvcEntry[] = [];
  for (const item of node.items) {
    const e = plain(item) as Record<string, unknown> | null;
    if (!e || typeof e.path !== 'string') continue;
    const hash = [e.md5, e.etag, e.checksum, e.version_id].find((h) => typeof h === 'string' && h !== '');
    out.push({
      path: e.path,
      hash: (hash as string | undefined) ?? null,
      size: typeof e.size === 'number' ? e.size : null,
      nfiles: typeof e.nfiles === 'number' ? e.nfiles : null,
    });
  }
  return out;
}

/** Like flattenYamlParams, on a node: numbers keep their written form (`1.0e-05` stays as is). */
export function flattenParam(node: unknown, key: string, out: Map<string, string>): void {
  if (isMap(node)) {
    for (const [k, v] of entriesOf(node)) flattenParam(v, `${key}.${k}`, out);
  } else if (isScalar(node)) {
    const written = node.type === 'PLAIN' && typeof node.source === 'string' && typeof node.value === 'number';
    out.set(key, written ? (node.source as string) : paramText(node.value));
  } else if (isSeq(node)) {
    out.set(key, JSON.stringify(node.toJSON()));
  } else {
    out.set(key, 'null');
  }
}
