/**
 * Links into a run's Notebook tab at one cell ("Show in notebook" from the error alert or a figure).
 * The hash holds the route, so the cell to reveal travels beside it, taken once by the tab.
 */
import { navigate } from '../../router';

let pending: { run: string; cell: number } | null = null;

/** Opens the run's Notebook tab scrolled to `cell` (0-based, as Labdesk numbers cells). */
export function showNotebookCell(run: string, cell: number): void {
  pending = { run, cell };
  navigate({ view: 'run', id: run, tab: 'notebook' });
}

/** The cell a link asked the Notebook tab of `run` to reveal, once. */
export function takePendingCell(run: string): number | null {
  if (!pending || pending.run !== run) return null;
  const { cell } = pending;
  pending = null;
  return cell;
}

/** The id of a cell's element in the Notebook tab. */
export const notebookCellId = (cell: number) => `ld-nb-cell-${cell}`;
