import { parseDocument, type Document } from 'yaml';
import { describeJsonError, describeYamlError } from './parse-errors.js';
import { jsonNestingExceeds, valueNestingExceeds, yamlNestingExceeds } from './nesting.js';

/**
 * Nesting allowed in a config or metrics file. Real ones stay under ten levels; the `yaml` parser's
 * regular expressions exhaust V8's memory (a process abort, not an exception) around a thousand.
 */
export const MAX_NESTING = 64;
/** YAML alias expansions allowed (the `yaml` package's own default): a billion-laughs file needs far more. */
export const MAX_ALIAS_COUNT = 100;

export type Bounded<T> = T | { error: string };

export interface ParsedYaml {
  /** The parsed document: its nodes keep each scalar's source text. */
  doc: Document.Parsed;
  /** The document as plain data, aliases replaced by their values. */
  value: unknown;
  /** Syntax errors, each placed by line and column (never quoting the file); data before them is kept. */
  errors: string[];
}

const tooDeep = (max: number) => `nested deeper than ${max} levels; it was not read`;

/**
 * Parses YAML from an indexed file with its cost bounded: nesting is measured before the parser
 * runs, alias expansion is capped, and the resulting data must stay within the nesting limit
 * (aliases can nest, or refer to the collection holding them). `error` means nothing was read.
 */
export function parseYamlBounded(text: string, maxNesting = MAX_NESTING): Bounded<ParsedYaml> {
  if (yamlNestingExceeds(text, maxNesting)) return { error: tooDeep(maxNesting) };
  const doc = parseDocument(text, { logLevel: 'silent', uniqueKeys: false });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = (err as Error).message;
    if (/excessive alias count/i.test(message)) {
      return { error: `its YAML aliases expand to over ${MAX_ALIAS_COUNT} copies (a "billion laughs" file); it was not read` };
    }
    if (/unresolved alias/i.test(message)) return { error: 'it uses a YAML alias whose anchor is not defined before it; it was not read' };
    return { error: 'it cannot be read as YAML data; it was not read' };
  }
  if (valueNestingExceeds(value, maxNesting)) {
    return { error: `its YAML aliases nest deeper than ${maxNesting} levels, or refer to the collection holding them; it was not read` };
  }
  return { doc, value, errors: doc.errors.map(describeYamlError) };
}

/**
 * Parses JSON from an indexed file as JSON (never as YAML), with nesting bounded before parsing.
 * Python's `json.dump` floats `NaN`, `Infinity` and `-Infinity` are read as numbers. An error
 * places the fault by line and column and never quotes the file.
 */
export function parseJsonBounded(text: string, maxNesting = MAX_NESTING): Bounded<{ value: unknown }> {
  if (jsonNestingExceeds(text, maxNesting)) return { error: tooDeep(maxNesting) };
  try {
    return { value: JSON.parse(text) };
  } catch {
    // Either not JSON, or Python's non-finite floats: the second try tells.
  }
  if (/NaN|Infinity/.test(text)) {
    try {
      return { value: JSON.parse(quoteNonFinite(text), revive) };
    } catch {
      // Not JSON either way: located below.
    }
  }
  return { error: describeJsonError(text) };
}

// Sentinels that no real string value would carry.
const NAN = '\u0000py:NaN';
const POS = '\u0000py:Infinity';
const NEG = '\u0000py:-Infinity';

function revive(_key: string, v: unknown): unknown {
  if (v === NAN) return NaN;
  if (v === POS) return Infinity;
  if (v === NEG) return -Infinity;
  return v;
}

/** Replaces the bare tokens outside string literals with quoted sentinels. */
function quoteNonFinite(text: string): string {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    let token: string | null = null;
    let sentinel = '';
    if (text.startsWith('NaN', i)) [token, sentinel] = ['NaN', NAN];
    else if (text.startsWith('-Infinity', i)) [token, sentinel] = ['-Infinity', NEG];
    else if (text.startsWith('Infinity', i)) [token, sentinel] = ['Infinity', POS];
    if (token) {
      out += text.slice(last, i) + JSON.stringify(sentinel);
      i += token.length - 1;
      last = i + 1;
    }
  }
  return out + text.slice(last);
}
