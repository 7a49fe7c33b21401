import type { NotebookCell } from './nbformat.js';
import { errorOf, figuresOf, numberDictOf, scrapsOf, type CellError, type Figure, type Scrap } from './outputs.js';
import { cellTime, record, type CellTime } from './timing.js';

const MAX_PARAMETERS_SOURCE = 256 * 1024;

/** A scrap or a shown dict, with the cell it came from and when that cell finished (epoch ms). */
export interface FromCell<T> {
  value: T;
  cell: number;
  executionCount: number | null;
  end: number | null;
}

/**
 * What a notebook's cells say, gathered as they stream past: only small facts are kept (figure
 * positions and sizes, not their bytes), so a notebook of any size costs one cell of memory.
 */
export class CellFacts {
  cellCount = 0;
  codeCells = 0;
  /** Code cells with an execution count or outputs: they ran at some point. */
  ranCells = 0;
  readonly times: CellTime[] = [];
  /** Source of the first cell tagged `parameters` (papermill's defaults). */
  parametersSource: string | null = null;
  /** Source of the last cell tagged `injected-parameters` (what papermill ran with). */
  injectedSource: string | null = null;
  firstError: CellError | null = null;
  errorCount = 0;
  /** The first cell papermill marked as failed, when it has no error output of its own (a dead kernel). */
  papermillFailed: { cell: number; executionCount: number | null } | null = null;
  readonly figures: Figure[] = [];
  /** By name; a later glue of the same name replaces the earlier one, as scrapbook reads them. */
  readonly scraps = new Map<string, FromCell<Scrap>>();
  readonly shownDicts: FromCell<Map<string, number>>[] = [];

  add(cell: NotebookCell, index: number): void {
    this.cellCount++;
    if (cell.cellType !== 'code') return;
    this.codeCells++;
    const count = cell.executionCount;
    if (count !== null || cell.outputs.length) this.ranCells++;
    const time = cellTime(index, count, cell.metadata);
    if (time.start !== null || time.end !== null) this.times.push(time);

    const tags = Array.isArray(cell.metadata.tags) ? cell.metadata.tags : [];
    // A parameters cell is a few lines; a huge one is data pasted in, not settings.
    const source = cell.source.length <= MAX_PARAMETERS_SOURCE ? cell.source : '';
    if (tags.includes('parameters') && this.parametersSource === null) this.parametersSource = source;
    if (tags.includes('injected-parameters')) this.injectedSource = source;

    const error = errorOf(index, count, cell.outputs);
    if (error) {
      this.errorCount++;
      this.firstError ??= error;
    }
    const pm = record(cell.metadata.papermill);
    if ((pm.exception === true || pm.status === 'failed') && !this.papermillFailed) this.papermillFailed = { cell: index, executionCount: count };

    this.figures.push(...figuresOf(index, cell.outputs));
    for (const scrap of scrapsOf(cell.outputs)) this.scraps.set(scrap.name, { value: scrap, cell: index, executionCount: count, end: time.end });
    const dict = numberDictOf(cell.outputs);
    if (dict) this.shownDicts.push({ value: dict, cell: index, executionCount: count, end: time.end });
  }

  /** Executed at all: some code cell has an execution count or an output. */
  get executed(): boolean {
    return this.ranCells > 0;
  }
}
