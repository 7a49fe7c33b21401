/**
 * W&B's JSON values (history/summary/config `value_json`, wandb-summary.json) come from Python's
 * json.dumps, which writes the non-standard literals NaN, Infinity and -Infinity for floats.
 */

const SENTINEL = '\u0000labdesk:';
const LITERALS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Parses W&B JSON text, reading NaN/Infinity/-Infinity literals as numbers; undefined when it is not JSON. */
export function parseWandbJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Fall through: maybe the non-standard literals.
  }
  const quoted = quoteLiterals(text);
  if (quoted === null) return undefined;
  try {
    return JSON.parse(quoted, (_key, value: unknown) =>
      typeof value === 'string' && value.startsWith(SENTINEL) ? LITERALS[value.slice(SENTINEL.length)] : value,
    );
  } catch {
    return undefined;
  }
}

/** Rewrites bare NaN/Infinity/-Infinity tokens (outside strings) as sentinel strings; null when there are none. */
function quoteLiterals(text: string): string | null {
  let out = '';
  let last = 0;
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    for (const literal of ['-Infinity', 'Infinity', 'NaN']) {
      if (text.startsWith(literal, i)) {
        out += `${text.slice(last, i)}"\\u0000labdesk:${literal}"`;
        i += literal.length - 1;
        last = i + 1;
        found = true;
        break;
      }
    }
  }
  return found ? out + text.slice(last) : null;
}

/** One leaf of a logged value: a number to chart, or something else to list (media, text, lists). */
export type Leaf =
  | { key: string; kind: 'number'; value: number }
  | { key: string; kind: string; path?: string };

/**
 * Splits a logged value into leaves: numbers are scalars; a dict with `_type` is a W&B media or data
 * object (histogram, image-file, table-file, ...) and stays whole; other dicts flatten to dotted keys.
 */
export function leavesOf(key: string, value: unknown, out: Leaf[] = []): Leaf[] {
  if (typeof value === 'number') {
    out.push({ key, kind: 'number', value });
  } else if (value === null || value === undefined) {
    // wandb.log({"x": None}) carries nothing to show.
  } else if (typeof value === 'boolean') {
    out.push({ key, kind: 'boolean' });
  } else if (typeof value === 'string') {
    out.push({ key, kind: 'text' });
  } else if (Array.isArray(value)) {
    out.push({ key, kind: 'list' });
  } else if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof obj._type === 'string') {
      out.push({ key, kind: obj._type, path: typeof obj.path === 'string' ? obj.path : undefined });
    } else {
      for (const [k, v] of Object.entries(obj)) leavesOf(key ? `${key}.${k}` : k, v, out);
    }
  }
  return out;
}

/** W&B's own bookkeeping keys (`_step`, `_timestamp`, `_runtime`, `_wandb`): axes and internals, not metrics. */
export function isInternalKey(key: string): boolean {
  return key.startsWith('_');
}

/** Models log a histogram per layer: hundreds of keys would drown the tag list. */
const MAX_KEYS_LISTED = 50;

/**
 * Collects the keys whose values are not scalars, to list them (as tags, one per kind) instead of
 * charting them; media with a file under `files/` are also reported as artifacts by the caller.
 */
export class NonScalarKeys {
  private readonly byKind = new Map<string, Set<string>>();
  readonly mediaFiles = new Map<string, string>();

  add(leaf: Leaf & { path?: string }): void {
    let keys = this.byKind.get(leaf.kind);
    if (!keys) this.byKind.set(leaf.kind, (keys = new Set()));
    keys.add(leaf.key);
    if (leaf.path) this.mediaFiles.set(leaf.path, leaf.kind);
  }

  /** Tags `wandb.non_scalar.<kind>` = the keys logged with that kind, sorted (a long list is cut short). */
  tags(): [string, string][] {
    return [...this.byKind]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, keys]) => {
        const sorted = [...keys].sort();
        const more = sorted.length > MAX_KEYS_LISTED ? ` and ${sorted.length - MAX_KEYS_LISTED} more` : '';
        return [`wandb.non_scalar.${kind}`, sorted.slice(0, MAX_KEYS_LISTED).join(', ') + more];
      });
  }
}
