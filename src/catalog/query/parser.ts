import { hasEntityPrefix, isAttributeName, resolveField, type Field } from './fields.js';
import { position, queryFail, tokenize, type Operator, type Span, type Token } from './lexer.js';

export type Comparator =
  | Operator | 'LIKE' | 'ILIKE' | 'NOT LIKE' | 'NOT ILIKE' | 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL';

/** A value on the right of a comparison: quoted text, a number, or a bare word such as true or FAILED. */
export type Literal = Span &
  ({ kind: 'string'; text: string } | { kind: 'number'; text: string; value: number } | { kind: 'word'; text: string });

export type QueryNode =
  | { kind: 'and' | 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode }
  /** Free text: a bare word or a quoted phrase, matched against the run's words by prefix. */
  | { kind: 'text'; text: string; span: Span }
  | { kind: 'compare'; field: Field; op: Comparator; values: Literal[]; span: Span; opSpan: Span };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const isKeyword = (t: Token, ...words: string[]) => t.kind === 'word' && words.includes(t.text.toUpperCase());

/**
 * Parses the runs query language: MLflow's search_runs filter (`metrics.acc > 0.9 and params.lr =
 * '0.01'`) plus OR, NOT, parentheses (NOT binds tighter than AND, AND tighter than OR) and free-text
 * words, which are ANDed with their neighbours. Returns null for an empty query; a malformed one
 * throws a QueryError with the span to underline and what to write instead.
 */
export function parseQuery(text: string): QueryNode | null {
  return new Parser(text).parse();
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parse(): QueryNode | null {
    if (this.peek().kind === 'eof') return null;
    const node = this.or();
    const t = this.peek();
    if (t.kind === ')') throw queryFail(`Unmatched ")" at ${position(t.start)}: remove it, or add a "(" before it.`, t);
    if (t.kind !== 'eof') throw this.unexpected(t);
    return node;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    return this.tokens[Math.min(this.i++, this.tokens.length - 1)];
  }

  private or(): QueryNode {
    const items = [this.and()];
    while (isKeyword(this.peek(), 'OR')) {
      const op = this.next();
      items.push(this.and(op));
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  /** Terms joined by AND, or just side by side (`resnet lr` is `resnet AND lr`). */
  private and(after?: Token): QueryNode {
    const items = [this.not(after)];
    for (;;) {
      const t = this.peek();
      if (isKeyword(t, 'AND')) {
        this.next();
        items.push(this.not(t));
      } else if (this.startsTerm(t)) {
        items.push(this.not());
      } else {
        break;
      }
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private startsTerm(t: Token): boolean {
    return t.kind === '(' || t.kind === 'string' || t.kind === 'quotedIdent' || (t.kind === 'word' && !isKeyword(t, 'AND', 'OR'));
  }

  private not(after?: Token): QueryNode {
    const t = this.peek();
    if (isKeyword(t, 'NOT')) {
      this.next();
      return { kind: 'not', item: this.not(t) };
    }
    return this.primary(after);
  }

  /** One term; `after` is the keyword before it, for the message when the term is missing. */
  private primary(after?: Token): QueryNode {
    const t = this.peek();
    if (t.kind === '(') {
      this.next();
      if (this.peek().kind === ')') throw queryFail(`Empty parentheses at ${position(t.start)}: put a search term inside, or remove them.`, { start: t.start, end: this.peek().end });
      const inner = this.or();
      const close = this.peek();
      if (close.kind !== ')') {
        throw queryFail(`Missing ")" to close the "(" at ${position(t.start)}: add one at the end of the group.`, { start: t.start, end: close.start });
      }
      this.next();
      return inner;
    }
    if (t.kind === 'quotedIdent') {
      this.next();
      const field = resolveField({ prefix: t.prefix, key: t.key, suffix: t.suffix, quoted: true }, t);
      return this.comparison(field, t, true);
    }
    if (t.kind === 'string') {
      this.next();
      return { kind: 'text', text: t.text, span: t };
    }
    if (t.kind === 'word' && !isKeyword(t, 'AND', 'OR')) {
      this.next();
      const follows = this.comparatorFollows();
      if (follows === 'op' || (follows === 'keyword' && (isAttributeName(t.text) || hasEntityPrefix(t.text)))) {
        const dot = t.text.indexOf('.');
        const ident = hasEntityPrefix(t.text)
          ? { prefix: t.text.slice(0, dot), key: t.text.slice(dot + 1), quoted: false }
          : { prefix: null, key: t.text, quoted: false };
        return this.comparison(resolveField(ident, t), t, false);
      }
      if (hasEntityPrefix(t.text)) {
        // A field not yet typed in full (`metrics.`) is told about its missing key first.
        const dot = t.text.indexOf('.');
        resolveField({ prefix: t.text.slice(0, dot), key: t.text.slice(dot + 1), quoted: false }, t);
        throw queryFail(
          `Expected a comparison after "${t.text}" at ${position(t.end)}, e.g. ${t.text} = 'value' or ${t.text} > 0.5.`,
          { start: t.start, end: t.end },
        );
      }
      return { kind: 'text', text: t.text, span: t };
    }
    const what = after ? `after ${this.source(after).toUpperCase()}` : 'here';
    if (t.kind === 'eof') {
      throw queryFail(`Expected a search term ${what} at ${position(t.start)}, e.g. metrics.val_acc > 0.9 or a word to find.`, after ?? t);
    }
    if (isKeyword(t, 'AND', 'OR') && !after) {
      const keyword = this.source(t).toUpperCase();
      throw queryFail(`Expected a search term before ${keyword} at ${position(t.start)}: ${keyword} joins two terms.`, t);
    }
    throw this.unexpected(t, what);
  }

  /** Whether the next tokens compare: an operator, or LIKE / ILIKE / IN / IS / NOT LIKE|ILIKE|IN. */
  private comparatorFollows(): 'op' | 'keyword' | null {
    const t = this.peek();
    if (t.kind === 'op') return 'op';
    if (isKeyword(t, 'LIKE', 'ILIKE', 'IN', 'IS')) return 'keyword';
    if (isKeyword(t, 'NOT') && isKeyword(this.peek(1), 'LIKE', 'ILIKE', 'IN')) return 'keyword';
    return null;
  }

  private comparison(field: Field, fieldToken: Token, quoted: boolean): QueryNode {
    const first = this.peek();
    let op: Comparator;
    if (first.kind === 'op') {
      op = first.op;
      this.next();
    } else if (isKeyword(first, 'LIKE', 'ILIKE', 'IN')) {
      op = (first as { text: string }).text.toUpperCase() as Comparator;
      this.next();
    } else if (isKeyword(first, 'NOT') && isKeyword(this.peek(1), 'LIKE', 'ILIKE', 'IN')) {
      this.next();
      op = `NOT ${(this.next() as { text: string }).text.toUpperCase()}` as Comparator;
    } else if (isKeyword(first, 'IS')) {
      this.next();
      const not = isKeyword(this.peek(), 'NOT');
      if (not) this.next();
      const n = this.peek();
      if (!isKeyword(n, 'NULL')) {
        throw queryFail(`Expected NULL after IS${not ? ' NOT' : ''} at ${position(n.start)}, e.g. ${this.source(fieldToken)} IS NOT NULL.`, n);
      }
      this.next();
      return { kind: 'compare', field, op: not ? 'IS NOT NULL' : 'IS NULL', values: [], span: { start: fieldToken.start, end: n.end }, opSpan: { start: first.start, end: n.end } };
    } else {
      const hint = quoted ? `, e.g. ${this.source(fieldToken)} = 'value'` : '';
      throw queryFail(`Expected a comparison after ${this.source(fieldToken)} at ${position(first.start)}${hint}.`, first.kind === 'eof' ? fieldToken : first);
    }
    const opSpan = { start: first.start, end: this.tokens[this.i - 1].end };
    const values = op === 'IN' || op === 'NOT IN' ? this.list(op, opSpan, fieldToken) : [this.value(op, opSpan, fieldToken)];
    return { kind: 'compare', field, op, values, span: { start: fieldToken.start, end: values[values.length - 1].end }, opSpan };
  }

  private list(op: Comparator, opSpan: Span, fieldToken: Token): Literal[] {
    const open = this.peek();
    const example = `${this.source(fieldToken)} ${op} ('a', 'b')`;
    if (open.kind !== '(') throw queryFail(`Expected a list in parentheses after ${op} at ${position(open.start)}, e.g. ${example}.`, open.kind === 'eof' ? opSpan : open);
    this.next();
    const values: Literal[] = [];
    for (;;) {
      if (this.peek().kind === ')' && values.length === 0) {
        throw queryFail(`Empty list after ${op} at ${position(open.start)}: put at least one value inside, e.g. ${example}.`, { start: open.start, end: this.peek().end });
      }
      values.push(this.value(op, values.length ? this.tokens[this.i - 1] : open, fieldToken));
      const sep = this.peek();
      if (sep.kind === ',') {
        this.next();
        continue;
      }
      if (sep.kind === ')') {
        this.next();
        return values;
      }
      throw queryFail(`Expected "," or ")" in the list at ${position(sep.start)}, e.g. ${example}.`, sep.kind === 'eof' ? { start: open.start, end: sep.start } : sep);
    }
  }

  private value(op: Comparator, after: Span, fieldToken: Token): Literal {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      return { kind: 'string', text: t.text, start: t.start, end: t.end };
    }
    if (t.kind === 'word' && !isKeyword(t, 'AND', 'OR', 'NOT', 'IN', 'LIKE', 'ILIKE', 'IS', 'NULL')) {
      this.next();
      if (NUMBER.test(t.text)) return { kind: 'number', text: t.text, value: Number(t.text), start: t.start, end: t.end };
      return { kind: 'word', text: t.text, start: t.start, end: t.end };
    }
    const at = t.kind === 'eof' ? after.end : t.start;
    const sign = this.text.slice(after.start, after.end);
    throw queryFail(
      `Expected a value after "${sign}" at ${position(at)}, e.g. ${this.example(fieldToken, op)}.`,
      t.kind === 'eof' ? after : t,
    );
  }

  private source(t: Span): string {
    return this.text.slice(t.start, t.end);
  }

  private example(fieldToken: Token, op: Comparator): string {
    const field = this.source(fieldToken);
    const lower = field.toLowerCase();
    const value = lower.startsWith('metric') ? '0.9' : lower.includes('status') ? "'FAILED'" : lower.startsWith('param') ? "'0.01'" : "'value'";
    return `${field} ${op} ${value}`;
  }

  private unexpected(t: Token, where = 'here'): Error {
    const shown = this.text.slice(t.start, t.end);
    if (t.kind === 'op') {
      return queryFail(`Unexpected "${shown}" ${where} at ${position(t.start)}: a comparison needs a field on its left, e.g. metrics.val_acc ${t.op} 0.9.`, t);
    }
    if (t.kind === ')') return queryFail(`Unmatched ")" at ${position(t.start)}: remove it, or add a "(" before it.`, t);
    return queryFail(`Unexpected "${shown}" ${where} at ${position(t.start)}.`, t);
  }
}
