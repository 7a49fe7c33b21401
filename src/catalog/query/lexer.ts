import { queryError } from '../../api/errors.js';

/** A span of the query text: 0-based character offsets, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Token = Span &
  (
    | { kind: 'word'; text: string }
    /** `prefix.` followed by a quoted key, as in metrics.`val acc`:min — one identifier. */
    | { kind: 'quotedIdent'; prefix: string; key: string; suffix: string }
    | { kind: 'string'; text: string }
    | { kind: 'op'; op: Operator }
    | { kind: '(' | ')' | ',' | 'eof' }
  );

const OPERATORS: readonly string[] = ['=', '!=', '<', '<=', '>', '>='];
const OPERATOR_CHARS = '=!<>';
const QUOTES = `'"\``;
/**
 * Characters outside the language: refused wherever they stand outside quotes, rather than taken as
 * free text, so `metrics.val_acc > 0.5 ;` is an error instead of a silently different query.
 */
const STRAY = /[;#$\\{}[\]&|]/;
/** Characters that end a bare word: space, parentheses, comma, quotes, comparison operators and strays. */
const WORD_END = /[\s(),'"`=!<>;#$\\{}[\]&|]/;

/** A QueryError underlining `span` (only its offsets travel, whatever else the object holds). */
export const queryFail = (message: string, span: Span) => queryError(message, { start: span.start, end: span.end });

/** Where a 0-based offset is, in words: users count from 1. */
export const position = (offset: number) => `position ${offset + 1}`;

/**
 * Splits a query into tokens. Bare words run up to a space, a parenthesis, a comma, a quote or an
 * operator, so `exp-042`, `metrics.val_acc:min` and `0.01` are each one word; the parser decides
 * whether a word is a field, a number or free text.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, start: i, end: i + 1 });
      i++;
    } else if (STRAY.test(c)) {
      throw strayCharacter(text, i);
    } else if (OPERATOR_CHARS.includes(c)) {
      let end = i;
      while (end < text.length && OPERATOR_CHARS.includes(text[end])) end++;
      const op = text.slice(i, end);
      if (!OPERATORS.includes(op)) throw badOperator(op, { start: i, end });
      tokens.push({ kind: 'op', op: op as Operator, start: i, end });
      i = end;
    } else if (QUOTES.includes(c)) {
      const s = readQuoted(text, i);
      tokens.push({ kind: 'string', text: s.value, start: i, end: s.end });
      i = s.end;
    } else {
      let end = i;
      while (end < text.length && !WORD_END.test(text[end])) end++;
      const word = text.slice(i, end);
      // `metrics.` glued to a quoted key: the key may hold spaces, dots or quotes of the other kind.
      // (`end < text.length`: ''.includes is true for any string, and `metrics.` at the end is a key not yet typed.)
      if (word.endsWith('.') && word.length > 1 && end < text.length && QUOTES.includes(text[end])) {
        const key = readQuoted(text, end);
        let stop = key.end;
        while (stop < text.length && !WORD_END.test(text[stop])) stop++;
        tokens.push({ kind: 'quotedIdent', prefix: word.slice(0, -1), key: key.value, suffix: text.slice(key.end, stop), start: i, end: stop });
        i = stop;
      } else {
        tokens.push({ kind: 'word', text: word, start: i, end });
        i = end;
      }
    }
  }
  tokens.push({ kind: 'eof', start: text.length, end: text.length });
  return tokens;
}

/** A quoted string from `start` (the opening quote); a doubled quote stands for one, as in SQL. */
function readQuoted(text: string, start: number): { value: string; end: number } {
  const q = text[start];
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length) {
      throw queryFail(`Unterminated string starting at ${position(start)}: add a closing ${q} after the text.`, { start, end: text.length });
    }
    if (text[i] === q) {
      if (text[i + 1] === q) {
        value += q;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += text[i++];
  }
}

/** The error for a character outside the language at `i`: `&&` and `||` are taken as AND / OR meant. */
function strayCharacter(text: string, i: number) {
  const c = text[i];
  if (c === '&' || c === '|') {
    const end = text[i + 1] === c ? i + 2 : i + 1;
    const shown = text.slice(i, end);
    return queryFail(`Unexpected "${shown}" at ${position(i)}: write ${c === '&' ? 'AND' : 'OR'} instead.`, { start: i, end });
  }
  return queryFail(`Unexpected "${c}" at ${position(i)}: remove it, or quote it inside a value, e.g. 'a${c}b'.`, { start: i, end: i + 1 });
}

function badOperator(op: string, span: Span) {
  // A lone `!` before a term is a NOT meant, as in most languages; `!` alone before `=` was caught above.
  if (op === '!') return queryFail(`Unexpected "!" at ${position(span.start)}: write NOT to negate a term, or != to compare.`, span);
  const instead: Record<string, string> = { '==': '=', '<>': '!=', '=<': '<=', '=>': '>=', '!': '!=', '=!': '!=' };
  const hint = instead[op] ? `write ${instead[op]} instead` : `use one of ${OPERATORS.join(' ')}`;
  return queryFail(`Unknown operator "${op}" at ${position(span.start)}: ${hint}.`, span);
}
