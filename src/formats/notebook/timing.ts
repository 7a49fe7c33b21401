import { sacredTime } from '../sacred/run-json.js';

/** When one code cell ran, in epoch milliseconds (fractions kept). */
export interface CellTime {
  index: number;
  executionCount: number | null;
  start: number | null;
  end: number | null;
}

/**
 * A cell's run from its metadata. nbclient (nbconvert, papermill) writes `metadata.execution` with
 * ISO times ending in Z: `iopub.execute_input` (code sent) to `shell.execute_reply` (done), with
 * `iopub.status.busy`/`idle` around them in no fixed order. papermill adds its own naive-UTC
 * `metadata.papermill.start_time`/`end_time`, used when nbclient's are missing.
 */
export function cellTime(index: number, executionCount: number | null, metadata: Record<string, unknown>): CellTime {
  const ex = record(metadata.execution);
  const pm = record(metadata.papermill);
  const start = isoMs(ex['iopub.execute_input']) ?? isoMs(ex['iopub.status.busy']) ?? isoMs(pm.start_time);
  const end = isoMs(ex['shell.execute_reply']) ?? isoMs(ex['iopub.status.idle']) ?? isoMs(pm.end_time);
  return { index, executionCount, start, end };
}

/** ISO text as epoch milliseconds; text without a zone is UTC, as papermill writes it. */
export function isoMs(value: unknown): number | null {
  return sacredTime(value);
}

export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The span the timed cells cover: first start to last end. */
export function executionSpan(cells: CellTime[]): { start: number | null; end: number | null } {
  let start: number | null = null;
  let end: number | null = null;
  for (const c of cells) {
    if (c.start !== null && (start === null || c.start < start)) start = c.start;
    if (c.end !== null && (end === null || c.end > end)) end = c.end;
  }
  return { start, end };
}

/** The slowest timed cells, slowest first: `cell 4 [In 4] 0.507 s; ...`. */
export function slowestCells(cells: CellTime[], count = 3): string | null {
  const timed = cells
    .filter((c) => c.start !== null && c.end !== null && c.end >= c.start)
    .map((c) => ({ c, seconds: (c.end! - c.start!) / 1000 }))
    .sort((a, b) => b.seconds - a.seconds || a.c.index - b.c.index)
    .slice(0, count);
  if (!timed.length) return null;
  return timed.map(({ c, seconds }) => `${cellLabel(c.index, c.executionCount)} ${secondsText(seconds)}`).join('; ');
}

/** How a cell is named to users: its position, and its `In [n]` prompt when it ran. */
export function cellLabel(index: number, executionCount: number | null): string {
  return executionCount === null ? `cell ${index}` : `cell ${index} [In ${executionCount}]`;
}

function secondsText(s: number): string {
  return `${s < 10 ? s.toFixed(3) : s.toFixed(1)} s`;
}
