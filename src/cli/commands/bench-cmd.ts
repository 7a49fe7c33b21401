import { BENCH_SIZES, FIGURE_NAMES, runBench, type BenchReport, type FigureName } from '../../bench/suite.js';
import { reportRows } from '../../bench/report.js';
import Table from 'cli-table3';
import { printJson, UserError } from '../context.js';

export interface BenchOptions {
  json?: boolean;
  points: number;
  hashMib: number;
  only?: string;
}

/** `labdesk bench` / `npm run bench`: prints figures measured on generated data; a missed target never fails it. */
export async function benchCommand(opts: BenchOptions): Promise<void> {
  const only = parseOnly(opts.only);
  // Progress goes to a terminal's stderr only, so piped output (and --json) stays just the figures.
  const progress = (name: FigureName) => process.stderr.isTTY && process.stderr.write(`bench: ${name}…\n`);
  const report = await runBench(only, { ...BENCH_SIZES, metricPoints: opts.points, hashBytes: opts.hashMib * 1024 * 1024 }, progress);
  const rows = reportRows(report);
  if (opts.json) printJson({ ...report, targets: rows.flatMap((r) => (r.target ? [r.target] : [])) });
  else printText(report, rows);
  const failed = Object.keys(report.errors);
  if (failed.length) {
    // A figure that could not be measured is a bug in Labdesk or the bench, unlike a missed target.
    throw new Error(`bench figure(s) failed: ${failed.join(', ')} (details above${opts.json ? ', in "errors"' : ''})`);
  }
}

function parseOnly(text: string | undefined): FigureName[] {
  if (!text) return [...FIGURE_NAMES];
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((s) => !(FIGURE_NAMES as readonly string[]).includes(s));
  if (unknown.length || !names.length) {
    throw new UserError(`--only takes a comma list of: ${FIGURE_NAMES.join(', ')} (got "${text}").`);
  }
  return names as FigureName[];
}

function printText(report: BenchReport, rows: ReturnType<typeof reportRows>): void {
  // One line per row (no rules between rows): the figures read as a list. Plain borders when piped.
  const table = new Table({
    head: ['figure', 'measured', 'target', ''],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: process.stdout.isTTY ? { head: [] } : { head: [], border: [] },
  });
  for (const r of rows) table.push([r.figure, r.measured, r.target?.target ?? '', r.target ? (r.target.met ? '✓' : '✗') : '']);
  const out = [
    `Labdesk benchmark · ${report.cores} cores · Node ${report.node} · ${report.platform} · ${report.seconds} s`,
    table.toString(),
    ...Object.entries(report.errors).map(([name, err]) => `${name}: FAILED\n${err}`),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
