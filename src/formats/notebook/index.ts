import type { Adapter, DirEntry, RunLocation, RunSink } from '../adapter.js';
import { detectNotebooks, notebookFileOf } from './detect.js';
import { readNotebookRun } from './read.js';

/**
 * Jupyter notebooks (nbformat 4), executed by nbconvert/nbclient, papermill or by hand: each saved
 * execution is a run at the notebook's path with its start time as `execution` (none when the
 * file records no timing), grouped per notebook as the experiment `<folder>#notebook=<name>`. See `detect.ts` for
 * identities and `read.ts` for what becomes status, params, metrics, figures and outputs.
 */
export const notebook: Adapter = {
  format: 'notebook',
  label: 'Jupyter notebook',

  // Each saved execution is its own run (same path, its own `execution`); earlier ones stay as history.
  historyOf: (runPath: string, execution: string | null) => (execution ? notebookFileOf(runPath) : null),

  detect(dir: string, entries: DirEntry[]): Promise<RunLocation[]> {
    return detectNotebooks(dir, entries, this.format);
  },

  async read(location: RunLocation, sink: RunSink): Promise<void> {
    await readNotebookRun(location.files[0] ?? notebookFileOf(location.path), sink);
  },
};

export { notebookFileOf } from './detect.js';
export { readNotebookFigure, parseFigurePath } from './figures.js';
