import { textTable } from '../table.js';
import type { RunSummary } from '../../api/contract.js';
import { ApiError } from '../../api/errors.js';
import { printJson, UserError, withCore, type DbOption } from '../context.js';
import { maskControls, safeText } from '../safe-text.js';

const PAGE = 5000;

/** The JSON shape `labdesk runs --json` promises (an acceptance surface: keep it stable). */
export function runJson(r: RunSummary) {
  return {
    id: r.id, name: r.name, experiment: r.experiment, format: r.format, status: r.status, path: r.path, execution: r.execution,
    startTime: r.startTime, durationSeconds: r.durationSeconds, timeNote: r.timeNote, params: r.params, metrics: r.metrics, error: r.error,
  };
}

/** `labdesk runs`: every run matching the query (archived runs only with --archived). */
export async function runsCommand(opts: DbOption & { query?: string; json?: boolean; archived?: boolean }): Promise<void> {
  await withCore(opts, async (core) => {
    const rows: RunSummary[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await core.api['runs.list']({
        query: opts.query, offset, limit: PAGE, sort: { column: 'name', direction: 'asc' }, includeArchived: opts.archived,
      }).catch((err: unknown) => {
        throw err instanceof ApiError && err.name === 'QueryError' && err.at ? new UserError(underline(err.message, opts.query ?? '', err.at)) : err;
      });
      rows.push(...page.rows);
      if (rows.length >= page.total || page.rows.length === 0) break;
    }
    if (opts.json) return printJson(rows.map(runJson));
    if (rows.length === 0) {
      process.stdout.write(opts.query ? `No runs match "${safeText(opts.query)}".\n` : 'No runs yet: index a folder with `labdesk index PATH`.\n');
      return;
    }
    const table = textTable(['id', 'name', 'experiment', 'format', 'status', 'metrics']);
    for (const r of rows) {
      const metrics = Object.entries(r.metrics).map(([k, m]) => `${k}=${fmt(m.last)}`).join(' ');
      table.push([r.id.slice(0, 8), r.name, r.experiment, r.format, r.status, metrics]);
    }
    process.stdout.write(`${table.toString()}\n${rows.length} run(s)\n`);
  });
}

/** A query error as a terminal shows it: the message, then the query with a caret line under the span. */
export function underline(message: string, query: string, at: { start: number; end: number }): string {
  const flat = maskControls(query.replace(/[\r\n\t]/g, ' '));
  const carets = '^'.repeat(Math.max(1, Math.min(at.end, flat.length + 1) - at.start));
  return `${message}\n  ${flat}\n  ${' '.repeat(at.start)}${carets}`;
}

export function fmt(v: number | string): string {
  return typeof v === 'number' ? String(Number(v.toPrecision(4))) : v;
}
