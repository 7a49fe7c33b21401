/**
 * The diff table's rows: run attributes, params and tags (nested keys grouped under their dotted
 * prefixes, key by key), and metric summaries; each leaf row knows whether its values differ.
 */
import type { CompareRun, JsonNumber } from '../../../../src/api/contract';
import { exactNumber, formatDateTime, formatDuration, formatNumber } from '../../format';
import { asNumber, SUMMARY_STATS } from './model';

export interface DiffCell {
  /** What the cell shows; null: the run has no value here. */
  text: string | null;
  /** The exact value (CSV, hover); equals `text` unless the display rounds. */
  exact: string | null;
}

export interface DiffRow {
  id: string;
  section: string;
  /** Full key, e.g. `model.optimizer.lr`, `val_acc · min`. */
  key: string;
  /** The last segment, shown indented under its group. */
  label: string;
  depth: number;
  kind: 'section' | 'group' | 'value';
  cells: DiffCell[];
  /** Leaf: values not all equal. Group/section: some leaf under it differs. */
  differs: boolean;
  /** Groups and sections: leaves under them, and how many of those differ. */
  leaves?: number;
  differing?: number;
}

const cell = (text: string | null, exact = text): DiffCell => ({ text, exact });

/** Equal when both are missing, the same text, or the same number written differently (0.1 vs 0.10). */
export function sameValue(a: string | null, b: string | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const x = asNumber(a);
  const y = asNumber(b);
  return x !== null && y !== null && x === y;
}

const allSame = (cells: DiffCell[]) => cells.every((c) => sameValue(c.exact, cells[0].exact));

/** Segment by segment, so every key under a prefix sorts together (`a.b`, `a.c` before `a_b`). */
function compareSegments(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = a[i].localeCompare(b[i], undefined, { numeric: true });
    if (c) return c;
  }
  return a.length - b.length;
}

/**
 * Leaf rows of one section, with group rows inserted for each dotted prefix (`model`, then
 * `model.optimizer`) the first time a key under it appears; keys sorted so groups stay together.
 */
function nestedRows(section: string, keys: string[], cellsFor: (key: string) => DiffCell[], split = '.'): DiffRow[] {
  const rows: DiffRow[] = [];
  const opened = new Set<string>();
  for (const key of [...keys].sort((a, b) => compareSegments(a.split(split), b.split(split)))) {
    const parts = key.split(split);
    for (let d = 1; d < parts.length; d++) {
      const prefix = parts.slice(0, d).join(split);
      if (opened.has(prefix)) continue;
      opened.add(prefix);
      rows.push({ id: `${section}:${prefix}${split}`, section, key: prefix, label: parts[d - 1], depth: d, kind: 'group', cells: [], differs: false });
    }
    const cells = cellsFor(key);
    rows.push({ id: `${section}:${key}`, section, key, label: parts[parts.length - 1], depth: parts.length, kind: 'value', cells, differs: !allSame(cells) });
  }
  return rows;
}

/** Marks each group and section with whether anything under it differs (rows are in tree order). */
function rollUp(rows: DiffRow[]): DiffRow[] {
  const stack: DiffRow[] = [];
  for (const row of rows) {
    while (stack.length && stack[stack.length - 1].depth >= row.depth) stack.pop();
    if (row.kind === 'value') {
      for (const g of stack) {
        g.leaves = (g.leaves ?? 0) + 1;
        if (row.differs) {
          g.differs = true;
          g.differing = (g.differing ?? 0) + 1;
        }
      }
    } else {
      row.leaves = 0;
      row.differing = 0;
      stack.push(row);
    }
  }
  return rows;
}

const section = (name: string): DiffRow => ({ id: `section:${name}`, section: name, key: name, label: name, depth: 0, kind: 'section', cells: [], differs: false });

const numberCell = (v: JsonNumber | undefined): DiffCell => (v === undefined ? cell(null) : cell(formatNumber(v), exactNumber(v)));

/** Every row of the diff of `runs` (in column order). */
export function diffRows(runs: CompareRun[]): DiffRow[] {
  const keysOf = (pick: (r: CompareRun) => Record<string, unknown>) => [...new Set(runs.flatMap((r) => Object.keys(pick(r))))];
  const rows: DiffRow[] = [section('Run')];
  const attr = (key: string, value: (r: CompareRun) => DiffCell) => {
    const cells = runs.map(value);
    rows.push({ id: `Run:${key}`, section: 'Run', key, label: key, depth: 1, kind: 'value', cells, differs: !allSame(cells) });
  };
  attr('experiment', (r) => cell(r.experiment || null));
  attr('format', (r) => cell(r.format));
  attr('status', (r) => cell(r.status));
  // To the second, as shown: runs of one sweep started milliseconds apart have not "different" starts.
  attr('started', (r) => cell(r.startTime === null ? null : formatDateTime(r.startTime), r.startTime === null ? null : new Date(r.startTime).toISOString().replace(/\.\d+Z$/, 'Z')));
  attr('duration', (r) => cell(r.durationSeconds === null ? null : diffDuration(r.durationSeconds), r.durationSeconds === null ? null : String(r.durationSeconds)));
  if (runs.some((r) => r.userTags.length)) attr('labels', (r) => cell(r.userTags.length ? r.userTags.join(', ') : null));
  if (runs.some((r) => r.note)) attr('note', (r) => cell(r.note || null));

  const params = keysOf((r) => r.params);
  if (params.length) {
    rows.push(section('Params'));
    rows.push(...nestedRows('Params', params, (k) => runs.map((r) => cell(r.params[k] ?? null))));
  }
  const metrics = keysOf((r) => r.metrics).sort((a, b) => a.localeCompare(b));
  if (metrics.length) {
    rows.push(section('Metrics'));
    for (const key of metrics) {
      rows.push({ id: `Metrics:${key}/`, section: 'Metrics', key, label: key, depth: 1, kind: 'group', cells: [], differs: false });
      for (const stat of SUMMARY_STATS) {
        const cells = runs.map((r) => numberCell(r.metrics[key]?.[stat]));
        rows.push({ id: `Metrics:${key}:${stat}`, section: 'Metrics', key: `${key} · ${stat}`, label: stat, depth: 2, kind: 'value', cells, differs: !allSame(cells) });
      }
    }
  }
  const tags = keysOf((r) => r.tags);
  if (tags.length) {
    rows.push(section('Tags'));
    rows.push(...nestedRows('Tags', tags, (k) => runs.map((r) => cell(r.tags[k] ?? null))));
  }
  return rollUp(rows.map(showExactWhenRoundedAlike));
}

/**
 * A duration side by side with others: sub-second runs (a sweep's 72 ms) in milliseconds, so they do
 * not all read "0.1 s" — which would make the exact fallback below show bare seconds ("0.072").
 */
function diffDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  return formatDuration(seconds);
}

/** A row flagged as differing must not look equal: when rounding made every shown value alike, show the exact ones. */
function showExactWhenRoundedAlike(row: DiffRow): DiffRow {
  if (!row.differs || row.cells.some((c) => c.text === null)) return row;
  if (new Set(row.cells.map((c) => c.text)).size > 1) return row;
  // Exact durations keep their unit.
  const unit = row.id === 'Run:duration' ? ' s' : '';
  return { ...row, cells: row.cells.map((c) => ({ ...c, text: c.exact === null ? null : `${c.exact}${unit}` })) };
}

/** The rows to show: everything, or only what differs (with the groups and sections leading to it). */
export function visibleRows(rows: DiffRow[], onlyDifferences: boolean): DiffRow[] {
  return onlyDifferences ? rows.filter((r) => r.differs) : rows;
}

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A cell a spreadsheet will not run: names, keys and values come from indexed folders, and a cell
 * starting with = + - @ tab or CR is read as a formula, so it gets a leading ' (OWASP's CSV
 * injection advice). Plain numbers such as -0.5 or +1e-3 stay numbers.
 */
export function csvInert(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

function csvField(raw: string): string {
  const text = csvInert(raw);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The shown leaf rows as CSV: section, key, a "differs" flag, then one column of exact values per run. */
export function diffCsv(runs: CompareRun[], rows: DiffRow[]): string {
  const header = ['section', 'key', 'differs', ...runs.map((r) => `${r.name} (${r.id})`)];
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) {
    if (row.kind !== 'value') continue;
    lines.push([row.section, row.key, row.differs ? 'yes' : 'no', ...row.cells.map((c) => c.exact ?? '')].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
