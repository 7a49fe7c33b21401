import { paramText, type FlatParams } from '../util/params.js';
import { parsePythonJson } from './python-json.js';

/**
 * Flattens a JSON config file into dotted params, keeping numbers as written (`48.0` stays `48.0`,
 * as in the Python that wrote it, rather than JS's `48`); Python's bare `NaN`/`Infinity` come
 * through as text too. JSON is read as JSON: nesting is bounded before any parse.
 */
export function flattenJsonParams(text: string): { params: FlatParams } | { error: string } {
  const parsed = parsePythonJson(text);
  if ('error' in parsed) return { error: parsed.error };
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'the top level is not an object of settings' };
  }
  return { params: flattenWrittenJson(text) };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|NaN|-?Infinity/y;
const WORD = /true|false|null/y;

/**
 * Walks JSON text already known to parse (and to be shallow: parsePythonJson checked both),
 * keeping each number's source text. Objects flatten to dotted keys in file order; lists stay whole.
 */
function flattenWrittenJson(text: string): FlatParams {
  const out: FlatParams = new Map();
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const string = (): string => {
    const start = i;
    for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  /** Skips a value, returning its source text. */
  const skip = (): string => {
    const start = i;
    let depth = 0;
    do {
      ws();
      const c = text[i];
      if (c === '"') string();
      else if (c === '[' || c === '{') {
        depth++;
        i++;
      } else if (c === ']' || c === '}') {
        depth--;
        i++;
      } else if (c === ',' || c === ':') i++;
      else i += (match(NUMBER) ?? match(WORD) ?? 'x').length;
    } while (depth > 0 && i < text.length);
    return text.slice(start, i);
  };
  const match = (re: RegExp): string | null => {
    re.lastIndex = i;
    return re.exec(text)?.[0] ?? null;
  };
  const value = (prefix: string): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      while (i < text.length && text[i] !== '}') {
        ws();
        const key = string();
        ws();
        i++; // ':'
        value(prefix ? `${prefix}.${key}` : key);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (c === '[') {
      const list = parsePythonJson(skip());
      if (prefix) out.set(prefix, 'value' in list ? JSON.stringify(list.value) : 'null');
    } else if (c === '"') {
      const s = string();
      if (prefix) out.set(prefix, s);
    } else {
      const token = match(NUMBER) ?? match(WORD) ?? 'null';
      i += token.length;
      if (prefix) out.set(prefix, token === 'null' ? paramText(null) : token);
    }
  };
  value('');
  return out;
}
