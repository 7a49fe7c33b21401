import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { compileQuery, ftsMatchExpression, likeToGlob, parseQuery, type QueryNode } from '../../src/catalog/query/index.js';

/** The tree as a short string: and(...), or(...), not(...), "text", field op values. */
function show(node: QueryNode | null): string {
  if (!node) return '∅';
  switch (node.kind) {
    case 'and':
    case 'or':
      return `${node.kind}(${node.items.map(show).join(', ')})`;
    case 'not':
      return `not(${show(node.item)})`;
    case 'text':
      return JSON.stringify(node.text);
    case 'compare': {
      const f = node.field;
      const name = f.kind === 'attribute' ? `attr:${f.name}` : f.kind === 'metric' ? `metric:${f.key}:${f.stat}` : `${f.kind}:${f.key}`;
      return `${name} ${node.op}${node.values.map((v) => ` ${v.kind}:${v.text}`).join(',')}`;
    }
  }
}

/** The QueryError a query throws: message and span. */
function errorOf(query: string): { message: string; at: { start: number; end: number } | undefined; underlined: string } {
  try {
    compileQuery(parseQuery(query));
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.name).toBe('QueryError');
    return { message: e.message, at: e.at, underlined: e.at ? query.slice(e.at.start, e.at.end) : '' };
  }
  throw new Error(`expected "${query}" to be rejected`);
}

describe('query grammar', () => {
  it('reads MLflow filters: entity prefixes and their aliases, comparators, quoted values', () => {
    expect(show(parseQuery("metrics.accuracy > 0.92"))).toBe('metric:accuracy:last > number:0.92');
    expect(show(parseQuery(`params.model = "LogisticRegression" and params.lambda = '0.001' and metrics.error <= 0.05`))).toBe(
      'and(param:model = string:LogisticRegression, param:lambda = string:0.001, metric:error:last <= number:0.05)',
    );
    expect(show(parseQuery(`attributes.status = "FAILED"`))).toBe('attr:status = string:FAILED');
    expect(show(parseQuery("metric.a != 1 AND param.b = 'x' AND tag.c = 'y' AND attribute.run_name = 'z' AND run.run_id = 'r'"))).toBe(
      'and(metric:a:last != number:1, param:b = string:x, tag:c = string:y, attr:name = string:z, attr:id = string:r)',
    );
    // A bare attribute name compares too, as in MLflow.
    expect(show(parseQuery("status = 'KILLED'"))).toBe('attr:status = string:KILLED');
  });

  it('reads quoted keys with spaces or dots, dotted bare keys and the :min / :max metric suffixes', () => {
    expect(show(parseQuery('metrics.`val acc` >= 0.5'))).toBe('metric:val acc:last >= number:0.5');
    expect(show(parseQuery('metrics."error rate":min < 0.1'))).toBe('metric:error rate:min < number:0.1');
    expect(show(parseQuery(`tags."mlflow.runName" = 'x'`))).toBe('tag:mlflow.runName = string:x');
    expect(show(parseQuery(`tags.mlflow.user = 'ann'`))).toBe('tag:mlflow.user = string:ann');
    expect(show(parseQuery('metrics.train/loss:max > 2'))).toBe('metric:train/loss:max > number:2');
    expect(show(parseQuery("params.`it's` = 'a''b'"))).toBe("param:it's = string:a'b");
  });

  it('reads LIKE, ILIKE, NOT LIKE, IN, NOT IN, IS NULL and IS NOT NULL, keywords in any case', () => {
    expect(show(parseQuery("tags.t like 'a%' and params.p ILIKE '%B' and run_name not like 'x_'"))).toBe(
      'and(tag:t LIKE string:a%, param:p ILIKE string:%B, attr:name NOT LIKE string:x_)',
    );
    expect(show(parseQuery("params.opt in ('adam', \"sgd\", 3) or format NOT IN ('mlflow')"))).toBe(
      'or(param:opt IN string:adam, string:sgd, number:3, attr:format NOT IN string:mlflow)',
    );
    expect(show(parseQuery('metrics.loss is null and tags.x IS NOT NULL'))).toBe('and(metric:loss:last IS NULL, tag:x IS NOT NULL)');
  });

  it('binds NOT tighter than AND and AND tighter than OR; parentheses group', () => {
    expect(show(parseQuery('a OR b AND NOT c'))).toBe('or("a", and("b", not("c")))');
    expect(show(parseQuery('(a OR b) AND c'))).toBe('and(or("a", "b"), "c")');
    expect(show(parseQuery('not (a or b) c'))).toBe('and(not(or("a", "b")), "c")');
    expect(show(parseQuery('NOT NOT a'))).toBe('not(not("a"))');
    expect(show(parseQuery("metrics.x > 1 or metrics.y < 2 and params.z = 'w'"))).toBe(
      'or(metric:x:last > number:1, and(metric:y:last < number:2, param:z = string:w))',
    );
  });

  it('treats words and quoted phrases that compare nothing as free text, ANDed with the rest', () => {
    expect(parseQuery('')).toBeNull();
    expect(parseQuery('   ')).toBeNull();
    expect(show(parseQuery('mnist'))).toBe('"mnist"');
    expect(show(parseQuery('resnet "val acc" exp-042'))).toBe('and("resnet", "val acc", "exp-042")');
    expect(show(parseQuery("resnet metrics.acc > 0.9"))).toBe('and("resnet", metric:acc:last > number:0.9)');
    // A word followed by IN that is no attribute is just a word: "model in production".
    expect(show(parseQuery('model in production'))).toBe('and("model", "in", "production")');
  });

  it('turns free text into a prefix phrase of word characters only', () => {
    expect(ftsMatchExpression('resn')).toBe('"resn"*');
    expect(ftsMatchExpression('exp-042')).toBe('"exp 042"*');
    expect(ftsMatchExpression('a" OR b NEAR(')).toBe('"a OR b NEAR"*');
    expect(ftsMatchExpression('--')).toBeNull();
    expect(likeToGlob('a%b_c*d?[e]')).toBe('a*b?c[*]d[?][[]e]');
  });

  it('keeps every value out of the SQL text', () => {
    const q = compileQuery(parseQuery("params.x = 'a'' OR 1=1 --' or tags.`k'); DROP TABLE runs; --` = 'v' or name like '%'"));
    expect(q.where).not.toContain('OR 1=1');
    expect(q.where).not.toContain('DROP');
    expect(Object.values(q.bind)).toEqual(expect.arrayContaining(["a' OR 1=1 --", "k'); DROP TABLE runs; --", 'v', '*']));
  });

  it('notes which attributes a query compares', () => {
    expect([...compileQuery(parseQuery('attributes.archived = true or starred = 1')).attributes]).toEqual(['archived', 'starred']);
  });
});

describe('query errors say where and what to write', () => {
  it('a missing value after an operator', () => {
    const e = errorOf('params.lr = ');
    expect(e.message).toBe(`Expected a value after "=" at position 12, e.g. params.lr = '0.01'.`);
    expect(e.at).toEqual({ start: 10, end: 11 });
    expect(errorOf("metrics.val_acc > and x").message).toBe('Expected a value after ">" at position 19, e.g. metrics.val_acc > 0.9.');
    expect(errorOf("metrics.val_acc > and x").underlined).toBe('and');
  });

  it('an unknown attribute, listing the valid ones', () => {
    const e = errorOf("lr = '0.01'");
    expect(e.message).toBe(
      'Unknown attribute "lr" at position 1. Attributes are: status, name, id, experiment, experiment_id, format, path, start_time, ' +
        'end_time, duration, starred, archived, note, label. For a param, metric or tag write params.lr, metrics.lr or tags.lr.',
    );
    expect(e.underlined).toBe('lr');
    expect(errorOf("attributes.colour = 'red'").underlined).toBe('attributes.colour');
  });

  it('an unterminated string, from its opening quote', () => {
    const e = errorOf("params.opt = 'adam");
    expect(e.message).toBe("Unterminated string starting at position 14: add a closing ' after the text.");
    expect(e.at).toEqual({ start: 13, end: 18 });
    expect(errorOf('metrics.`val acc > 1').message).toMatch(/^Unterminated string starting at position 9: add a closing `/);
  });

  it('unbalanced parentheses', () => {
    expect(errorOf('(a or b').message).toBe('Missing ")" to close the "(" at position 1: add one at the end of the group.');
    expect(errorOf('(a or b').at).toEqual({ start: 0, end: 7 });
    expect(errorOf('a or b)').message).toBe('Unmatched ")" at position 7: remove it, or add a "(" before it.');
    expect(errorOf('a or b)').at).toEqual({ start: 6, end: 7 });
    expect(errorOf('a and ()').underlined).toBe('()');
  });

  it('a dangling AND / OR / NOT', () => {
    expect(errorOf('a AND').message).toBe('Expected a search term after AND at position 6, e.g. metrics.val_acc > 0.9 or a word to find.');
    expect(errorOf('a AND').underlined).toBe('AND');
    expect(errorOf('or b').message).toBe('Expected a search term before OR at position 1: OR joins two terms.');
    expect(errorOf('x not').underlined).toBe('not');
  });

  it('a field with no comparison, and operators SQL users reach for', () => {
    expect(errorOf('params.lr').message).toBe(`Expected a comparison after "params.lr" at position 10, e.g. params.lr = 'value' or params.lr > 0.5.`);
    expect(errorOf('metrics.x == 3').message).toBe('Unknown operator "==" at position 11: write = instead.');
    expect(errorOf('metrics.x == 3').underlined).toBe('==');
    expect(errorOf("params.x <> 'a'").message).toBe('Unknown operator "<>" at position 10: write != instead.');
    expect(errorOf('= 3').message).toBe('Unexpected "=" here at position 1: a comparison needs a field on its left, e.g. metrics.val_acc = 0.9.');
  });

  it('a comparator or value the field cannot take', () => {
    const like = errorOf("metrics.loss LIKE '1%'");
    expect(like.message).toBe(
      'metrics.loss cannot use LIKE (at position 14): it compares numbers: use =, !=, <, <=, >, >=, IN or IS NULL, e.g. metrics.loss = 0.9.',
    );
    expect(like.underlined).toBe('LIKE');
    expect(errorOf("metrics.loss < 'low'").message).toBe('metrics.loss < needs a number, but "low" at position 16 is not one, e.g. metrics.loss < 0.5.');
    expect(errorOf("metrics.loss < 'low'").underlined).toBe("'low'");
    expect(errorOf("tags.team > 'a'").message).toMatch(/^tags.team cannot use > \(at position 11\): it compares text/);
    expect(errorOf("params.lr < 'fast'").underlined).toBe("'fast'");
    expect(errorOf("status = 'DONE'").message).toBe('Unknown status "DONE" at position 10: use one of RUNNING, FINISHED, FAILED, KILLED, UNKNOWN.');
    expect(errorOf('starred = maybe').message).toBe('attributes.starred is true or false, not "maybe" (at position 11), e.g. attributes.starred = true.');
    expect(errorOf("start_time > 'last tuesday'").underlined).toBe("'last tuesday'");
    expect(errorOf('params.x IN ()').message).toBe("Empty list after IN at position 13: put at least one value inside, e.g. params.x IN ('a', 'b').");
    expect(errorOf("params.x IN ('a' 'b')").underlined).toBe("'b'");
    expect(errorOf('tags.x IS 3').message).toBe('Expected NULL after IS at position 11, e.g. tags.x IS NOT NULL.');
    expect(errorOf('metrics. > 3').message).toBe('Expected a key after "metrics." at position 1, e.g. metrics.val_acc.');
    // Half-typed at the end of the box: the key is missing, not a quote left open.
    expect(errorOf('params.lr < 0.01 and metrics.').message).toBe('Expected a key after "metrics." at position 22, e.g. metrics.val_acc.');
  });

  it('a stray character outside the language, with its position, instead of being ignored', () => {
    const semi = errorOf('metrics.val_acc > 0.5 ;');
    expect(semi.message).toBe(`Unexpected ";" at position 23: remove it, or quote it inside a value, e.g. 'a;b'.`);
    expect(semi.at).toEqual({ start: 22, end: 23 });
    // Glued to a word or a value, too: the character is underlined, not the word.
    expect(errorOf('resnet#3').underlined).toBe('#');
    expect(errorOf('metrics.x > 0.5;').at).toEqual({ start: 15, end: 16 });
    for (const c of ['#', '$', '{', '}', '[', ']', '\\']) {
      const e = errorOf(`params.lr = 0.1 ${c}`);
      expect(e.message).toBe(`Unexpected "${c}" at position 17: remove it, or quote it inside a value, e.g. 'a${c}b'.`);
      expect(e.underlined).toBe(c);
    }
    expect(errorOf('metrics.a > 1 && metrics.b < 2').message).toBe('Unexpected "&&" at position 15: write AND instead.');
    expect(errorOf('metrics.a > 1 && metrics.b < 2').underlined).toBe('&&');
    expect(errorOf('a || b').message).toBe('Unexpected "||" at position 3: write OR instead.');
    expect(errorOf('a | b').message).toBe('Unexpected "|" at position 3: write OR instead.');
    expect(errorOf('!resnet').message).toBe('Unexpected "!" at position 1: write NOT to negate a term, or != to compare.');
    expect(errorOf('metrics.x ! 3').underlined).toBe('!');
    // Inside quotes they are plain text.
    expect(show(parseQuery(`params.cmd = 'a;b#{c}' and "x && y"`))).toBe('and(param:cmd = string:a;b#{c}, "x && y")');
  });
});
