import { createHash } from 'node:crypto';

/** A stable id from a format and a location: the same run folder keeps its id across re-indexing. */
export function stableId(kind: string, format: string, location: string): string {
  return createHash('sha256').update(`${kind}\0${format}\0${location}`).digest('hex').slice(0, 16);
}

export const runId = (format: string, path: string) => stableId('run', format, path);
/** By location alone: one logger folder is one experiment, whichever of its formats wrote a run. */
export const experimentId = (path: string) => stableId('experiment', '', path);
export const modelId = (format: string, path: string) => stableId('model', format, path);
