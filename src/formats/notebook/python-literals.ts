/**
 * Reads the assignments of a papermill-style `parameters` cell as values, without running Python:
 * `name = literal` at the top level of the cell, where a literal is a number, a string (adjacent
 * strings concatenated), True/False/None, `float('nan')`-style specials, or a list, tuple or dict of
 * those. Anything else (a call, a name, an expression) is reported as not parsed.
 */

/** A literal as read: numbers keep their source text (`1.0` stays `1.0`). */
export type PyValue =
  | { kind: 'number'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'list'; items: PyValue[] }
  | { kind: 'dict'; entries: [PyValue, PyValue][] };

export interface ParsedAssignments {
  /** In source order; a later assignment to the same name replaces the earlier one. */
  values: Map<string, PyValue>;
  /** Names assigned something that is not a literal (`DATA_PATH = TemporaryDirectory().name`). */
  unparsed: string[];
}

/** The top-level `name = literal` assignments of a Python cell. */
export function parseAssignments(source: string): ParsedAssignments {
  const values = new Map<string, PyValue>();
  const unparsed: string[] = [];
  for (const line of logicalLines(source)) {
    if (/^\s/.test(line.text)) continue; // inside an `if`/`for` block: not a plain default
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=]*)?=(?!=)([\s\S]*)$/.exec(line.text);
    if (!m) continue;
    const value = parseLiteral(m[2]);
    if (value) {
      values.set(m[1], value);
      const i = unparsed.indexOf(m[1]);
      if (i >= 0) unparsed.splice(i, 1);
    } else {
      values.delete(m[1]);
      if (!unparsed.includes(m[1])) unparsed.push(m[1]);
    }
  }
  return { values, unparsed };
}

/**
 * A value as Labdesk stores a param: numbers as written (underscores dropped), strings as their
 * text, booleans and None as JSON's `true`/`false`/`null` (as every other format's params read),
 * lists and dicts as JSON text with numbers kept as written.
 */
export function paramValueText(v: PyValue): string {
  switch (v.kind) {
    case 'string':
      return v.value;
    case 'number':
      return v.text;
    default:
      return jsonText(v);
  }
}

function jsonText(v: PyValue): string {
  switch (v.kind) {
    case 'number':
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.text) ? v.text : JSON.stringify(v.text);
    case 'string':
      return JSON.stringify(v.value);
    case 'bool':
      return String(v.value);
    case 'none':
      return 'null';
    case 'list':
      return `[${v.items.map(jsonText).join(', ')}]`;
    case 'dict':
      return `{${v.entries.map(([k, val]) => `${JSON.stringify(k.kind === 'string' ? k.value : jsonText(k))}: ${jsonText(val)}`).join(', ')}}`;
  }
}

/** A number literal's value, for metrics (`execute_result` dicts). */
export function numberOf(v: PyValue): number | null {
  if (v.kind !== 'number') return null;
  const t = v.text.toLowerCase();
  if (t === 'nan') return NaN;
  if (t === 'inf' || t === '+inf') return Infinity;
  if (t === '-inf') return -Infinity;
  const n = Number(t);
  return Number.isNaN(n) ? null : n;
}

/** Splits source into logical lines: brackets, backslashes and triple-quoted strings join physical lines; comments go. */
function logicalLines(source: string): { text: string }[] {
  const out: { text: string }[] = [];
  let cur = '';
  let depth = 0;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    if (c === '#') {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = stringEnd(source, i);
      cur += source.slice(i, end);
      i = end;
      continue;
    }
    if (c === '\\' && source[i + 1] === '\n') {
      cur += ' ';
      i += 2;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
    if (c === '\n' && depth === 0) {
      if (cur.trim()) out.push({ text: cur.replace(/\s+$/, '') });
      cur = '';
    } else if (c === ';' && depth === 0) {
      if (cur.trim()) out.push({ text: cur.replace(/\s+$/, '') });
      cur = /^\s/.test(cur) ? ' ' : ''; // keep a block statement's indent for the rest of its line
      i++;
      while (source[i] === ' ' || source[i] === '\t') i++;
      continue;
    } else {
      cur += c;
    }
    i++;
  }
  if (cur.trim()) out.push({ text: cur.replace(/\s+$/, '') });
  return out;
}

/** Index just past the string literal opening at `start` (its prefix letters are outside). */
function stringEnd(s: string, start: number): number {
  const q = s[start];
  const triple = s.startsWith(q.repeat(3), start);
  let i = start + (triple ? 3 : 1);
  while (i < s.length) {
    if (s[i] === '\\') {
      i += 2;
      continue;
    }
    if (triple ? s.startsWith(q.repeat(3), i) : s[i] === q) return i + (triple ? 3 : 1);
    if (!triple && s[i] === '\n') return i; // unterminated: stop at the line end
    i++;
  }
  return s.length;
}

/** Parses a whole expression as a literal; null when it is anything else. */
export function parseLiteral(text: string): PyValue | null {
  const p = new LiteralParser(text);
  const v = p.value();
  return v && p.atEnd() ? v : null;
}

class LiteralParser {
  private i = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    this.ws();
    return this.i >= this.s.length;
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  private eat(token: string): boolean {
    this.ws();
    if (this.s.startsWith(token, this.i)) {
      this.i += token.length;
      return true;
    }
    return false;
  }

  value(): PyValue | null {
    this.ws();
    const s = this.s;
    const c = s[this.i];
    if (c === undefined) return null;
    if (c === '[') return this.sequence('[', ']');
    if (c === '{') return this.dict();
    if (c === '(') {
      // A parenthesised value, or a tuple (read as a list).
      const save = this.i;
      this.i++;
      const inner = this.value();
      if (inner && this.eat(')')) return inner;
      this.i = save;
      return this.sequence('(', ')');
    }
    const str = this.strings();
    if (str !== undefined) return str;
    const special = /^float\(\s*(['"])([+-]?(?:nan|inf|infinity))\1\s*\)/i.exec(s.slice(this.i));
    if (special) {
      this.i += special[0].length;
      const t = special[2].toLowerCase().replace('infinity', 'inf');
      return { kind: 'number', text: t };
    }
    const num = /^[+-]?\s*(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)(?![\w.])/.exec(s.slice(this.i));
    if (num) {
      this.i += num[0].length;
      let text = num[0].replace(/\s+/g, '').replace(/_/g, '').replace(/^\+/, '');
      if (/^-?0[xob]/i.test(text)) text = String(Number(text.replace('-', '')) * (text.startsWith('-') ? -1 : 1));
      return { kind: 'number', text };
    }
    const word = /^(True|False|None)(?![\w.(])/.exec(s.slice(this.i));
    if (word) {
      this.i += word[0].length;
      return word[1] === 'None' ? { kind: 'none' } : { kind: 'bool', value: word[1] === 'True' };
    }
    return null;
  }

  /** One or more adjacent string literals, concatenated as Python does; undefined when none starts here. */
  private strings(): PyValue | null | undefined {
    let out: string | undefined;
    for (;;) {
      this.ws();
      const m = /^([rRuU]?)(['"])/.exec(this.s.slice(this.i));
      if (!m) break;
      const start = this.i + m[1].length;
      const end = stringEnd(this.s, start);
      const q = this.s[start];
      const triple = this.s.startsWith(q.repeat(3), start);
      const quoteLen = triple ? 3 : 1;
      if (end - start < 2 * quoteLen || !this.s.startsWith(q.repeat(quoteLen), end - quoteLen)) return null;
      const body = this.s.slice(start + quoteLen, end - quoteLen);
      out = (out ?? '') + (m[1].toLowerCase() === 'r' ? body : unescape(body));
      this.i = end;
    }
    return out === undefined ? undefined : { kind: 'string', value: out };
  }

  private sequence(open: string, close: string): PyValue | null {
    if (!this.eat(open)) return null;
    const items: PyValue[] = [];
    while (!this.eat(close)) {
      const v = this.value();
      if (!v) return null;
      items.push(v);
      if (!this.eat(',') && !this.eat(close)) return null;
      else if (this.s[this.i - 1] === close) break;
    }
    return { kind: 'list', items };
  }

  private dict(): PyValue | null {
    if (!this.eat('{')) return null;
    const entries: [PyValue, PyValue][] = [];
    while (!this.eat('}')) {
      const k = this.value();
      if (!k || !this.eat(':')) return null;
      const v = this.value();
      if (!v) return null;
      entries.push([k, v]);
      if (!this.eat(',') && !this.eat('}')) return null;
      else if (this.s[this.i - 1] === '}') break;
    }
    return { kind: 'dict', entries };
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

/** Python's common string escapes (`\n`, `\x41`, `\u00e9`); an unknown escape stays as written, as in Python. */
function unescape(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (all, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? all;
  });
}
