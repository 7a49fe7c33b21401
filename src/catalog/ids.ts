import { createHash } from 'node:crypto';

/** A stable id from a format and a location: the same run folder keeps its id across re-indexing. */
export function stableId(kind: string, format: string, location: string): string {
  return createHash('sha256').update(`${kind}\0${format}\0${location}`).digest('hex').slice(0, 16);
}

/**
 * A run's id. An execution (one of several runs saved in one notebook file) is hashed as the location
 * `<path>#exec=<execution>` that Labdesk stored before executions had their own field, so ids, and the
 * user's annotations keyed by them, stay what they were.
 */
export const runId = (format: string, path: string, execution: string | null = null) =>
  stableId('run', format, execution ? `${path}#exec=${execution}` : path);
/** By location alone: one logger folder is one experiment, whichever of its formats wrote a run. */
export const experimentId = (path: string) => stableId('experiment', '', path);
export const modelId = (format: string, path: string) => stableId('model', format, path);
export const datasetId = (format: string, path: string) => stableId('dataset', format, path);
