import { Lexer } from 'yaml';

/*
 * Nesting measures run before a recursive parser sees untrusted text: plain loops, no recursion,
 * no allocation per level.
 */

/** True when JSON text opens more than `max` arrays/objects inside one another (strings skipped). */
export function jsonNestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Jump to the closing quote: one not preceded by an odd run of backslashes.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return false; // unterminated: JSON.parse reports it
        let slashes = 0;
        while (text.charCodeAt(i - 1 - slashes) === 0x5c) slashes++;
        if (slashes % 2 === 0) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    }
  }
  return false;
}

/**
 * True when YAML text may nest more than `max` levels. Uses the `yaml` package's own lexer, which
 * is a loop (the parser and composer above it recurse), so brackets inside quotes, comments and
 * block text are told apart exactly as the parser will. Block levels are over-estimated a little
 * (each deeper indentation, plus each `-`, `?` or `:` on the line), never under.
 */
export function yamlNestingExceeds(text: string, max: number): boolean {
  const indents: number[] = [];
  let flow = 0;
  let onLine = 0; // indicators opening a level on the current line
  let lineStart = true;
  let scalarNext = false;
  for (const token of new Lexer().lex(text)) {
    if (scalarNext) {
      scalarNext = false; // a scalar's source: whatever it holds is text
      continue;
    }
    const c = token[0];
    if (c === SCALAR) {
      scalarNext = true;
    } else if (c === '\n') {
      lineStart = true;
      onLine = 0;
      continue;
    } else if (c === '[' || c === '{') {
      flow++;
    } else if ((c === ']' || c === '}') && flow > 0) {
      flow--;
    } else if (flow === 0 && (c === '-' || c === '?' || c === ':')) {
      onLine++;
    }
    if (lineStart && flow === 0 && c !== '#') {
      // Indentation only nests outside brackets; inside them the lexer's bracket count is exact.
      const indent = c === ' ' || c === '\t' ? token.length : 0;
      while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
    }
    lineStart = false;
    if (indents.length + onLine + flow > max) return true;
  }
  return false;
}

const SCALAR = '\u001f';

/**
 * True when parsed data nests deeper than `max` (a collection holding itself always does). Walks
 * without recursion; gives up, answering false, past `budget` nodes, which the alias cap keeps far off.
 */
export function valueNestingExceeds(value: unknown, max: number, budget = 5_000_000): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  let seen = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    if (++seen > budget) return false;
    const children = v instanceof Map ? [...v.values()] : Array.isArray(v) ? v : Object.values(v as object);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
