import { DURATION_SQL, NAME_SQL, STATUS_SQL } from './columns.js';
import { fieldLabel, type AttributeName, type Field } from './fields.js';
import { position, queryFail, type Span } from './lexer.js';
import type { Comparator, Literal, QueryNode } from './parser.js';
import { ftsMatchExpression, FTS_RUN_IDS } from './search-index.js';

/** A query as SQL: a boolean expression over `runs r` joined as in RUN_FROM, and its bound values. */
export interface CompiledQuery {
  /** Null when the query is empty (every run matches). */
  where: string | null;
  bind: Record<string, unknown>;
  /** Attributes the query compares, e.g. `archived` (which then shows archived runs). */
  attributes: Set<AttributeName>;
}

const STATUSES = ['running', 'finished', 'failed', 'killed', 'unknown'];
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COMPARE: readonly Comparator[] = ['=', '!=', '<', '<=', '>', '>='];
const TEXT_OPS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE', 'NOT LIKE', 'NOT ILIKE', 'IN', 'NOT IN', 'IS NULL', 'IS NOT NULL'];
const NUMBER_OPS: readonly Comparator[] = [...COMPARE, 'IN', 'NOT IN', 'IS NULL', 'IS NOT NULL'];

/** Attribute columns; status, name and duration are computed (see columns.ts). */
const ATTRIBUTE_SQL: Record<Exclude<AttributeName, 'label'>, string> = {
  status: `(${STATUS_SQL})`,
  name: NAME_SQL,
  id: 'r.id',
  experiment: 'e.name',
  experiment_id: 'r.experiment_id',
  format: 'r.format',
  path: 'r.path',
  start_time: 'r.start_time',
  end_time: 'r.end_time',
  duration: DURATION_SQL,
  starred: 'COALESCE(a.starred, 0)',
  archived: 'COALESCE(a.archived, 0)',
  note: "COALESCE(a.note, '')",
};

/**
 * Turns a parsed query into SQL. Every value is a bound parameter (never spliced into the text), and
 * every comparison is checked against its field's type here, so that a user's mistake is a QueryError
 * with a span rather than a SQLite error. A param, tag or metric comparison requires the run to have
 * that key (as in MLflow: `params.opt != 'adam'` skips runs without `opt`); NOT negates that.
 */
export function compileQuery(node: QueryNode | null): CompiledQuery {
  const c = new Compiler();
  return { where: node ? c.node(node) : null, bind: c.bind, attributes: c.attributes };
}

class Compiler {
  readonly bind: Record<string, unknown> = {};
  readonly attributes = new Set<AttributeName>();
  private n = 0;

  /** Binds a value and returns its placeholder. */
  private p(value: unknown): string {
    const name = `q${this.n++}`;
    this.bind[name] = value;
    return `@${name}`;
  }

  node(node: QueryNode): string {
    switch (node.kind) {
      case 'and':
      case 'or':
        return `(${node.items.map((i) => this.node(i)).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        // A comparison on a missing value is NULL in SQL; NOT must still turn it into a match.
        return `(NOT COALESCE(${this.node(node.item)}, 0))`;
      case 'text': {
        const match = ftsMatchExpression(node.text);
        return match === null ? '1' : `r.id IN (${FTS_RUN_IDS(this.p(match))})`;
      }
      case 'compare':
        return this.compare(node);
    }
  }

  private compare(c: Extract<QueryNode, { kind: 'compare' }>): string {
    const f = c.field;
    switch (f.kind) {
      case 'metric':
        return this.metric(c, f);
      case 'param':
        return this.keyed(c, 'params', f.key, true);
      case 'tag':
        return this.keyed(c, 'tags', f.key, false);
      case 'attribute':
        this.attributes.add(f.name);
        return this.attribute(c, f);
    }
  }

  private metric(c: Extract<QueryNode, { kind: 'compare' }>, f: Extract<Field, { kind: 'metric' }>): string {
    allow(c, NUMBER_OPS, 'compares numbers: use =, !=, <, <=, >, >=, IN or IS NULL', '0.9');
    const col = `s.${f.stat}`;
    const series = (cond: string) => `SELECT s.run_id FROM metric_series s WHERE s.key = ${this.p(f.key)} AND ${cond}`;
    if (c.op === 'IS NULL') return `r.id NOT IN (${series(`${col} IS NOT NULL`)})`;
    if (c.op === 'IS NOT NULL') return `r.id IN (${series(`${col} IS NOT NULL`)})`;
    const values = c.values.map((v) => this.p(number(c, v)));
    if (c.op === 'IN' || c.op === 'NOT IN') return `r.id IN (${series(`${col} ${c.op} (${values.join(', ')})`)})`;
    return `r.id IN (${series(`${col} ${c.op} ${values[0]}`)})`;
  }

  /**
   * Params and tags: text comparisons on the value. For params, a number written bare (`params.lr =
   * 0.01`) and the order comparators compare the value read as a number, so '1e-2' matches too.
   */
  private keyed(c: Extract<QueryNode, { kind: 'compare' }>, table: 'params' | 'tags', key: string, numeric: boolean): string {
    if (numeric) allow(c, [...TEXT_OPS, '<', '<=', '>', '>='], '', "'0.01'");
    else allow(c, TEXT_OPS, 'compares text: use =, !=, LIKE, ILIKE, IN or IS NULL', "'value'");
    const rows = (cond: string) => `SELECT k.run_id FROM ${table} k WHERE k.key = ${this.p(key)}${cond ? ` AND ${cond}` : ''}`;
    const has = (cond: string) => `r.id IN (${rows(cond)})`;
    const num = (v: Literal) => numeric && v.kind === 'number';
    switch (c.op) {
      case 'IS NULL':
        return `r.id NOT IN (${rows('')})`;
      case 'IS NOT NULL':
        return has('');
      case '=':
        return num(c.values[0]) ? has(`k.value_num = ${this.p(number(c, c.values[0]))}`) : has(`k.value = ${this.p(c.values[0].text)}`);
      case '!=':
        return num(c.values[0])
          ? has(`(k.value_num IS NULL OR k.value_num != ${this.p(number(c, c.values[0]))})`)
          : has(`k.value != ${this.p(c.values[0].text)}`);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return has(`k.value_num ${c.op} ${this.p(number(c, c.values[0]))}`);
      case 'IN':
      case 'NOT IN': {
        const texts = c.values.filter((v) => !num(v)).map((v) => this.p(v.text));
        const nums = c.values.filter(num).map((v) => this.p(number(c, v)));
        const any = [texts.length ? `k.value IN (${texts.join(', ')})` : '', nums.length ? `k.value_num IN (${nums.join(', ')})` : '']
          .filter(Boolean)
          .join(' OR ');
        return has(c.op === 'IN' ? `(${any})` : `NOT (${any})`);
      }
      default:
        return has(this.like('k.value', c.op, c.values[0].text));
    }
  }

  private attribute(c: Extract<QueryNode, { kind: 'compare' }>, f: Extract<Field, { kind: 'attribute' }>): string {
    if (f.name === 'label') return this.label(c);
    const expr = ATTRIBUTE_SQL[f.name];
    switch (f.type) {
      case 'bool': {
        allow(c, ['=', '!='], 'is true or false: use = or !=', 'true');
        return `${expr} ${c.op} ${this.p(bool(c, c.values[0]) ? 1 : 0)}`;
      }
      case 'number':
      case 'time': {
        allow(c, NUMBER_OPS, 'compares numbers: use =, !=, <, <=, >, >=, IN or IS NULL', f.type === 'time' ? "'2024-05-01'" : '3600');
        const read = (v: Literal) => this.p(f.type === 'time' ? time(c, v) : number(c, v));
        return this.plain(expr, c, read);
      }
      case 'status': {
        allow(c, TEXT_OPS.filter((o) => !o.startsWith('IS')), 'compares text: use =, !=, IN or LIKE', "'FAILED'");
        const read = (v: Literal) => {
          const s = v.text.toLowerCase();
          if (!c.op.includes('LIKE') && !STATUSES.includes(s)) {
            throw queryFail(`Unknown status "${v.text}" at ${position(v.start)}: use one of ${STATUSES.map((x) => x.toUpperCase()).join(', ')}.`, v);
          }
          return this.p(s);
        };
        // Statuses are stored in lower case: every comparison ignores case, as MLflow's upper-case names suggest.
        if (c.op.includes('LIKE')) return `${expr} ${c.op.replace('ILIKE', 'LIKE')} ${read(c.values[0])}`;
        return this.plain(expr, c, read);
      }
      case 'string':
        allow(c, TEXT_OPS, 'compares text: use =, !=, LIKE, ILIKE, IN or IS NULL', "'value'");
        if (c.op.includes('LIKE')) return this.like(expr, c.op, c.values[0].text);
        return this.plain(expr, c, (v) => this.p(v.text));
      case 'label':
        throw new Error('labels are compiled by label()');
    }
  }

  /** `expr op value`, `expr IN (...)` or `expr IS NULL`, for columns of one value per run. */
  private plain(expr: string, c: Extract<QueryNode, { kind: 'compare' }>, read: (v: Literal) => string): string {
    if (c.op === 'IS NULL' || c.op === 'IS NOT NULL') return `${expr} ${c.op}`;
    if (c.op === 'IN' || c.op === 'NOT IN') return `${expr} ${c.op} (${c.values.map(read).join(', ')})`;
    return `${expr} ${c.op} ${read(c.values[0])}`;
  }

  /** User tags (labels without values): `label = 'x'` means the run carries x; `!=` that it does not. */
  private label(c: Extract<QueryNode, { kind: 'compare' }>): string {
    allow(c, TEXT_OPS, 'compares text: use =, !=, LIKE, ILIKE, IN or IS NULL', "'baseline'");
    const tagged = (cond: string) => `SELECT u.run_id FROM user_tags u${cond ? ` WHERE ${cond}` : ''}`;
    switch (c.op) {
      case 'IS NULL':
        return `r.id NOT IN (${tagged('')})`;
      case 'IS NOT NULL':
        return `r.id IN (${tagged('')})`;
      case '=':
      case '!=':
        return `r.id ${c.op === '=' ? 'IN' : 'NOT IN'} (${tagged(`u.tag = ${this.p(c.values[0].text)}`)})`;
      case 'IN':
      case 'NOT IN':
        return `r.id ${c.op} (${tagged(`u.tag IN (${c.values.map((v) => this.p(v.text)).join(', ')})`)})`;
      default: {
        const positive = c.op.replace('NOT ', '') as Comparator;
        return `r.id ${positive === c.op ? 'IN' : 'NOT IN'} (${tagged(this.like('u.tag', positive, c.values[0].text))})`;
      }
    }
  }

  /** LIKE is case-sensitive, as in MLflow (SQLite's LIKE is not, so it becomes a GLOB); ILIKE is not. */
  private like(expr: string, op: Comparator, pattern: string): string {
    const not = op.startsWith('NOT ') ? 'NOT ' : '';
    if (op.endsWith('ILIKE')) return `${expr} ${not}LIKE ${this.p(pattern)}`;
    return `${expr} ${not}GLOB ${this.p(likeToGlob(pattern))}`;
  }
}

/** Rejects a comparator the field cannot use, naming those it can. */
function allow(c: Extract<QueryNode, { kind: 'compare' }>, ops: readonly Comparator[], hint: string, example: string): void {
  if (ops.includes(c.op)) return;
  const label = fieldLabel(c.field);
  const why = hint || `use one of ${ops.join(', ')}`;
  throw queryFail(`${label} cannot use ${c.op} (at ${position(c.opSpan.start)}): it ${why.replace(/^use/, 'takes')}, e.g. ${label} = ${example}.`, c.opSpan);
}

function number(c: Extract<QueryNode, { kind: 'compare' }>, v: Literal): number {
  if (v.kind === 'number') return v.value;
  if (NUMBER.test(v.text.trim())) return Number(v.text.trim());
  throw queryFail(
    `${fieldLabel(c.field)} ${c.op} needs a number, but "${v.text}" at ${position(v.start)} is not one, e.g. ${fieldLabel(c.field)} ${c.op.replace('NOT IN', '>').replace('IN', '>')} 0.5.`,
    v,
  );
}

/** Epoch milliseconds, or a date Date.parse reads ('2024-05-01', '2024-05-01T12:00'). */
function time(c: Extract<QueryNode, { kind: 'compare' }>, v: Literal): number {
  if (v.kind === 'number' || NUMBER.test(v.text.trim())) return Number(v.text.trim());
  const ms = Date.parse(v.text);
  if (Number.isFinite(ms)) return ms;
  throw queryFail(
    `${fieldLabel(c.field)} needs a date or epoch milliseconds, but "${v.text}" at ${position(v.start)} is neither, e.g. ${fieldLabel(c.field)} > '2024-05-01'.`,
    v,
  );
}

function bool(c: Extract<QueryNode, { kind: 'compare' }>, v: Literal): boolean {
  const t = v.text.toLowerCase();
  if (['true', '1', 'yes'].includes(t)) return true;
  if (['false', '0', 'no'].includes(t)) return false;
  throw queryFail(`${fieldLabel(c.field)} is true or false, not "${v.text}" (at ${position(v.start)}), e.g. ${fieldLabel(c.field)} = true.`, v as Span);
}

/** A LIKE pattern (% any run, _ any one character) as a GLOB, with GLOB's own wildcards made literal. */
export function likeToGlob(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '%') out += '*';
    else if (ch === '_') out += '?';
    else if (ch === '*' || ch === '?' || ch === '[') out += `[${ch}]`;
    else out += ch;
  }
  return out;
}
