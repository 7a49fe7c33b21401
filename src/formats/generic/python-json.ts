/**
 * JSON as Python's `json.dump` writes it: like JSON, but floats may be the bare tokens `NaN`,
 * `Infinity` and `-Infinity` (a diverged loss is the common case). Those become JS numbers.
 */
export function parsePythonJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (first) {
    if (!/NaN|Infinity/.test(text)) return { error: (first as Error).message };
    try {
      return { value: JSON.parse(quoteNonFinite(text), revive) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  }
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
