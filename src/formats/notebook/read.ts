import path from 'node:path';
import type { RunStatus } from '../../api/contract.js';
import type { RunSink } from '../adapter.js';
import { CellFacts } from './collect.js';
import { streamNotebook } from './nbformat.js';
import { figurePath } from './outputs.js';
import { papermillFacts, type PapermillFacts } from './papermill.js';
import { paramValueText, parseAssignments } from './python-literals.js';
import { cellLabel, executionSpan, record, slowestCells } from './timing.js';
import { filesWrittenDuring, isMetricFile, readMetricFile } from './written-files.js';

/** Tracebacks can run to hundreds of lines; the end (where the exception is) is what a tag keeps. */
const MAX_TRACEBACK_CHARS = 16_000;
const MAX_SCRAP_TAG_CHARS = 500;

/** Reads one executed (or never executed) notebook into the sink. */
export async function readNotebookRun(file: string, sink: RunSink): Promise<void> {
  const name = path.basename(file);
  sink.meta({ name });
  const cells = new CellFacts();
  const read = await streamNotebook(file, (cell, i) => cells.add(cell, i));
  if (read.error) sink.problem(file, `${name}: ${read.error}`);
  else sink.fileRead(file, read.size);
  if (read.nbformat !== null && read.nbformat < 4) {
    sink.problem(file, `${name} is an nbformat ${read.nbformat} notebook; Labdesk reads nbformat 4 (convert it with \`jupyter nbconvert --to notebook\`)`);
    sink.meta({ status: 'unknown' });
    return;
  }
  if (!read.error && read.metadata === null && read.cellCount === 0) {
    sink.problem(file, `${name} is JSON but not a Jupyter notebook (no cells, no metadata)`);
  }
  const metadata = read.metadata ?? {};
  const pm = papermillFacts(metadata);
  const language = kernelTags(metadata, sink);
  sink.tag('notebook.executed', String(cells.executed));
  sink.tag('notebook.cells', String(cells.cellCount));
  sink.tag('notebook.code_cells', String(cells.codeCells));
  sink.tag('notebook.executed_cells', String(cells.ranCells));
  if (read.nbformat !== null) sink.tag('notebook.nbformat', `${read.nbformat}.${read.nbformatMinor ?? 0}`);

  const span = executionSpan(cells.times);
  const start = pm?.start ?? span.start;
  const end = pm?.end ?? (pm?.unfinished ? null : span.end);
  sink.meta({
    status: statusOf(cells, pm, read.error !== null),
    startTime: start === null ? null : Math.floor(start),
    endTime: end === null ? null : Math.floor(end),
  });
  const slowest = slowestCells(cells.times);
  if (slowest) sink.tag('notebook.slowest_cells', slowest);
  if (pm) for (const [k, v] of pm.tags) sink.tag(k, v);

  params(cells, pm, language, sink);
  errorTags(cells, sink);
  for (const f of cells.figures) sink.artifact(figurePath(file, f), `figure:${f.mime}`, f.sizeBytes);
  const written = start !== null && end !== null ? await filesWrittenDuring(file, start, end) : [];
  for (const w of written) sink.artifact(w.path, 'output', w.sizeBytes);
  await metrics(cells, written.filter(isMetricFile).map((w) => w.path), sink);
}

/**
 * failed: an error output, or papermill recorded an exception. A notebook no cell of which ran is
 * not a finished run: 'unknown', with `notebook.executed=false`. So is one whose end was not seen (a
 * cut-off file, papermill still running): Labdesk shows it running while the file keeps changing.
 */
function statusOf(cells: CellFacts, pm: PapermillFacts | null, cutOff: boolean): RunStatus {
  if (cells.firstError || cells.papermillFailed || pm?.exception) return 'failed';
  if (!cells.executed || cutOff || pm?.unfinished) return 'unknown';
  return 'finished';
}

/** Kernel facts as tags; returns the kernel's language (lower case, '' when unsaid). */
function kernelTags(metadata: Record<string, unknown>, sink: RunSink): string {
  const spec = record(metadata.kernelspec);
  const info = record(metadata.language_info);
  const language = String(spec.language ?? info.name ?? '').toLowerCase();
  if (typeof spec.name === 'string') sink.tag('notebook.kernel', spec.name);
  if (typeof spec.display_name === 'string') sink.tag('notebook.kernel_display_name', spec.display_name);
  if (language) sink.tag('notebook.language', language);
  if (typeof info.version === 'string' && info.version) sink.tag(`${language || 'language'}.version`, info.version);
  return language;
}

/**
 * Params, later sources winning: the `parameters` cell's defaults, papermill's recorded
 * `parameters`, then the `injected-parameters` cell papermill ran (its text keeps Python's `1.0`,
 * which the JSON record turns into `1`). Cells are read as Python only for Python kernels.
 */
function params(cells: CellFacts, pm: PapermillFacts | null, language: string, sink: RunSink): void {
  const python = language === '' || language === 'python';
  const out = new Map<string, string>();
  let unparsed: string[] = [];
  if (python && cells.parametersSource !== null) {
    const parsed = parseAssignments(cells.parametersSource);
    for (const [k, v] of parsed.values) out.set(k, paramValueText(v));
    unparsed = parsed.unparsed;
  }
  const overridden = new Set<string>();
  for (const [k, v] of pm?.params ?? []) {
    out.set(k, v);
    overridden.add(k);
  }
  if (python && cells.injectedSource !== null) {
    const injected = parseAssignments(cells.injectedSource);
    for (const [k, v] of injected.values) {
      out.set(k, paramValueText(v));
      overridden.add(k);
    }
  }
  for (const [k, v] of out) sink.param(k, v);
  if (overridden.size) sink.tag('notebook.injected_params', [...overridden].join(', '));
  unparsed = unparsed.filter((k) => !overridden.has(k));
  if (unparsed.length) sink.tag('notebook.params_not_literal', unparsed.join(', '));
}

/** The failing cell: `error` (as other formats write it) and `notebook.error.*` for the details. */
function errorTags(cells: CellFacts, sink: RunSink): void {
  const e = cells.firstError;
  if (e) {
    sink.tag('error', e.evalue ? `${e.ename}: ${e.evalue}` : e.ename);
    sink.tag('notebook.error.ename', e.ename);
    sink.tag('notebook.error.evalue', e.evalue);
    sink.tag('notebook.error.cell', String(e.cell));
    if (e.executionCount !== null) sink.tag('notebook.error.execution_count', String(e.executionCount));
    const tb = e.traceback.length > MAX_TRACEBACK_CHARS ? `…${e.traceback.slice(-MAX_TRACEBACK_CHARS)}` : e.traceback;
    if (tb) sink.tag('notebook.error.traceback', tb);
    if (cells.errorCount > 1) sink.tag('notebook.error.count', String(cells.errorCount));
  } else if (cells.papermillFailed) {
    const { cell, executionCount } = cells.papermillFailed;
    sink.tag('error', `papermill recorded an exception in ${cellLabel(cell, executionCount)} (no error output was saved)`);
    sink.tag('notebook.error.cell', String(cell));
    if (executionCount !== null) sink.tag('notebook.error.execution_count', String(executionCount));
  }
}

/**
 * Metrics, by trust: scrapbook scraps (the notebook's own record), then numbers in metric files the
 * notebook wrote while it ran, then dicts of numbers a cell showed. A key comes from the first source
 * that has it; `notebook.metrics_source` says which source gave which keys.
 */
async function metrics(cells: CellFacts, metricFiles: string[], sink: RunSink): Promise<void> {
  const taken = new Set<string>();
  const sources: string[] = [];
  const scrapKeys: string[] = [];
  for (const [name, s] of cells.scraps) {
    const data = s.value.data;
    if (typeof data === 'number') {
      sink.point(name, 0, data, s.end === null ? undefined : s.end / 1000);
      taken.add(name);
      scrapKeys.push(name);
    } else if (data !== undefined) {
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      sink.tag(`scrap.${name}`, text.length > MAX_SCRAP_TAG_CHARS ? `${text.slice(0, MAX_SCRAP_TAG_CHARS)}…` : text);
    } else {
      sink.tag(`scrap.${name}`, `(${s.value.encoder} scrap, not read)`);
    }
  }
  if (scrapKeys.length) sources.push(`scrapbook: ${scrapKeys.join(', ')}`);

  for (const file of metricFiles) {
    const keys: string[] = [];
    for (const [key, points] of await readMetricFile(file)) {
      if (taken.has(key)) continue;
      for (const p of points) sink.point(key, p.step, p.value);
      keys.push(key);
    }
    for (const k of keys) taken.add(k);
    if (keys.length) sources.push(`${path.basename(file)}: ${keys.join(', ')}`);
  }

  for (const d of cells.shownDicts) {
    const keys = [...d.value.keys()].filter((k) => !taken.has(k));
    for (const k of keys) sink.point(k, 0, d.value.get(k)!, d.end === null ? undefined : d.end / 1000);
    for (const k of keys) taken.add(k);
    if (keys.length) sources.push(`execute_result of ${cellLabel(d.cell, d.executionCount)}: ${keys.join(', ')}`);
  }
  if (sources.length) sink.tag('notebook.metrics_source', sources.join('; '));
}
