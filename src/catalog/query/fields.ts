import { position, queryFail, type Span } from './lexer.js';

export type MetricStat = 'last' | 'min' | 'max';

/** What kind of value an attribute holds, which decides its comparators and how values are read. */
export type AttributeType = 'string' | 'status' | 'number' | 'time' | 'bool' | 'label';

export type AttributeName =
  | 'status' | 'name' | 'id' | 'experiment' | 'experiment_id' | 'format' | 'path'
  | 'start_time' | 'end_time' | 'duration' | 'starred' | 'archived' | 'note' | 'label';

export type Field =
  | { kind: 'metric'; key: string; stat: MetricStat }
  | { kind: 'param'; key: string }
  | { kind: 'tag'; key: string }
  | { kind: 'attribute'; name: AttributeName; type: AttributeType };

/** MLflow's entity types and their aliases (`metric.`, `params.`, `attribute.`, `run.`, ...). */
const PREFIXES: Record<string, 'metric' | 'param' | 'tag' | 'attribute'> = {
  metric: 'metric', metrics: 'metric',
  param: 'param', params: 'param', parameter: 'param', parameters: 'param',
  tag: 'tag', tags: 'tag',
  attribute: 'attribute', attributes: 'attribute', attr: 'attribute', run: 'attribute',
};

/** Attributes by canonical name: their type and the other names they answer to. */
export const ATTRIBUTES: Record<AttributeName, { type: AttributeType; aliases: string[] }> = {
  status: { type: 'status', aliases: [] },
  name: { type: 'string', aliases: ['run_name', 'run name'] },
  id: { type: 'string', aliases: ['run_id'] },
  experiment: { type: 'string', aliases: ['experiment_name'] },
  experiment_id: { type: 'string', aliases: [] },
  format: { type: 'string', aliases: [] },
  path: { type: 'string', aliases: [] },
  start_time: { type: 'time', aliases: ['created'] },
  end_time: { type: 'time', aliases: [] },
  duration: { type: 'number', aliases: ['duration_seconds'] },
  starred: { type: 'bool', aliases: [] },
  archived: { type: 'bool', aliases: [] },
  note: { type: 'string', aliases: [] },
  label: { type: 'label', aliases: ['labels', 'user_tag', 'user_tags'] },
};

const ATTRIBUTE_BY_NAME = new Map<string, AttributeName>();
for (const [name, a] of Object.entries(ATTRIBUTES) as [AttributeName, (typeof ATTRIBUTES)[AttributeName]][]) {
  ATTRIBUTE_BY_NAME.set(name, name);
  for (const alias of a.aliases) ATTRIBUTE_BY_NAME.set(alias, name);
}

/** True when a bare word names an attribute, so that `status = 'FAILED'` reads as a comparison. */
export const isAttributeName = (word: string) => ATTRIBUTE_BY_NAME.has(word.toLowerCase());

/** True when a word starts with an entity type and a dot, like `params.lr`. */
export function hasEntityPrefix(word: string): boolean {
  const dot = word.indexOf('.');
  return dot > 0 && word.slice(0, dot).toLowerCase() in PREFIXES;
}

/**
 * The field an identifier names. `key` is everything after the first dot (MLflow's rule, so keys may
 * hold dots: `tags.mlflow.runName`); a metric key may end in `:min`, `:max` or `:last`, as sort
 * columns do. `quoted`: the key was quoted, and `suffix` is what followed the closing quote.
 */
export function resolveField(ident: { prefix: string | null; key: string; suffix?: string; quoted: boolean }, span: Span): Field {
  if (ident.prefix === null) return attribute(ident.key, span);
  const type = PREFIXES[ident.prefix.toLowerCase()];
  if (!type) {
    throw queryFail(
      `Unknown field type "${ident.prefix}" at ${position(span.start)}: start a field with metrics., params., tags. or attributes.`,
      span,
    );
  }
  let key = ident.key;
  let stat: MetricStat = 'last';
  let suffix = ident.suffix ?? '';
  if (type === 'metric' && !ident.quoted) {
    const m = /^(.+):(last|min|max)$/i.exec(key);
    if (m) [key, stat] = [m[1], m[2].toLowerCase() as MetricStat];
  } else if (type === 'metric' && /^:(last|min|max)$/i.test(suffix)) {
    stat = suffix.slice(1).toLowerCase() as MetricStat;
    suffix = '';
  }
  if (suffix) {
    throw queryFail(
      `Unexpected "${suffix}" after the quoted key at ${position(span.start)}` +
        (type === 'metric' ? ': only :min, :max or :last may follow a metric key.' : ': put the whole key inside the quotes.'),
      span,
    );
  }
  if (!key) {
    const example = { metric: 'metrics.val_acc', param: 'params.lr', tag: 'tags.model', attribute: 'attributes.status' }[type];
    throw queryFail(`Expected a key after "${ident.prefix}." at ${position(span.start)}, e.g. ${example}.`, span);
  }
  if (type === 'attribute') return attribute(key, span);
  if (type === 'metric') return { kind: 'metric', key, stat };
  return { kind: type, key };
}

function attribute(word: string, span: Span): Field {
  const name = ATTRIBUTE_BY_NAME.get(word.toLowerCase());
  if (!name) {
    throw queryFail(
      `Unknown attribute "${word}" at ${position(span.start)}. Attributes are: ${Object.keys(ATTRIBUTES).join(', ')}. ` +
        `For a param, metric or tag write params.${word}, metrics.${word} or tags.${word}.`,
      span,
    );
  }
  return { kind: 'attribute', name, type: ATTRIBUTES[name].type };
}

/** How a field is written back in messages: `params.lr`, `metrics.loss:min`, `attributes.status`. */
export function fieldLabel(f: Field): string {
  const key = (k: string) => (/^[\w.-]+$/.test(k) ? k : `\`${k}\``);
  switch (f.kind) {
    case 'metric':
      return `metrics.${key(f.key)}${f.stat === 'last' ? '' : `:${f.stat}`}`;
    case 'param':
      return `params.${key(f.key)}`;
    case 'tag':
      return `tags.${key(f.key)}`;
    case 'attribute':
      return `attributes.${f.name}`;
  }
}
