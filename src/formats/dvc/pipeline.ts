import path from 'node:path';
import type { Adapter, DirEntry, RunLocation, RunSink } from '../adapter.js';
import { dvcliveChildren } from './layout.js';
import { readPipeline } from './project.js';

const PROJECT_FILES = ['dvc.lock', 'dvc.yaml', 'params.yaml'];

/**
 * A DVC pipeline without DVCLive: the folder holding dvc.lock is one run of the pipeline, with the
 * params its stages used, its data versions and the metrics files dvc.yaml declares. dvc.lock is
 * the marker because it is written by `dvc repro` / `dvc exp run`: a dvc.yaml alone was never run.
 * The project's subtree is not claimed: other tools' logs often live inside a DVC project.
 */
export const dvcPipeline: Adapter = {
  format: 'dvc-pipeline',
  label: 'DVC pipeline (dvc.lock)',

  async detect(dir: string, entries: DirEntry[]): Promise<RunLocation[]> {
    const has = (name: string) => entries.some((e) => e.isFile && e.name === name);
    if (!has('dvc.lock')) return [];
    // With a DVCLive folder inside, the pipeline's record belongs to that DVCLive run (see dvclive).
    if ((await dvcliveChildren(dir, entries)).length > 0) return [];
    return [
      {
        format: this.format,
        path: dir,
        files: PROJECT_FILES.filter(has).map((f) => path.join(dir, f)),
        experiment: { name: path.basename(dir), path: dir },
        claimsSubtree: false,
      },
    ];
  },

  async read(location: RunLocation, sink: RunSink): Promise<void> {
    await readPipeline(location.path, sink);
    // dvc.lock holds hashes, not times: start and end stay unknown, the status is inferred.
    sink.meta({ name: path.basename(location.path), status: null });
  },
};
