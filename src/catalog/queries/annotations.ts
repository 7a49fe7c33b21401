import type { ExperimentAnnotationPatch } from '../../api/contract.js';
import { badRequest, notFound } from '../../api/errors.js';
import type { Db } from '../db.js';

export interface ExperimentAnnotation {
  id: string;
  displayName: string | null;
  note: string;
}

/** An experiment's user annotation; an experiment nobody annotated has none (null name, empty note). */
export function getExperimentAnnotation(db: Db, id: string): ExperimentAnnotation {
  const row = db
    .prepare('SELECT display_name AS displayName, note FROM experiment_annotations WHERE experiment_id = ?')
    .get(id) as { displayName: string | null; note: string } | undefined;
  return { id, displayName: row?.displayName ?? null, note: row?.note ?? '' };
}

/**
 * Finds an experiment by id or unique name. An id with an annotation but no indexed experiment is
 * accepted: its folder may be away for now, and the annotation waits for it (like a run's).
 */
export function resolveExperimentId(db: Db, ref: string): string {
  if (typeof ref !== 'string' || !ref) throw badRequest('experiments.annotate needs the id of an experiment.');
  const known = db
    .prepare('SELECT id FROM experiments WHERE id = ? UNION SELECT experiment_id FROM experiment_annotations WHERE experiment_id = ?')
    .pluck()
    .get(ref, ref) as string | undefined;
  if (known) return known;
  const named = db.prepare('SELECT id FROM experiments WHERE name = ?').pluck().all(ref) as string[];
  if (named.length === 1) return named[0];
  if (named.length > 1) throw badRequest(`"${ref}" names ${named.length} experiments; use the experiment id.`);
  throw notFound(`No experiment "${ref}" in the catalog: its folder may have been removed. Refresh and try again.`);
}

/**
 * Applies a user's edit to an experiment's display name and note (kept apart from indexed data, so
 * re-indexing never loses it). A patch with neither field changes nothing and returns what is stored.
 */
export function annotateExperiment(db: Db, patch: ExperimentAnnotationPatch): ExperimentAnnotation {
  const id = resolveExperimentId(db, patch.id);
  if (patch.displayName !== undefined && patch.displayName !== null && typeof patch.displayName !== 'string') {
    throw badRequest('An experiment display name must be text, or null to restore the name the tool gave.');
  }
  if (patch.note !== undefined && typeof patch.note !== 'string') throw badRequest('An experiment note must be text.');
  if (patch.displayName === undefined && patch.note === undefined) return getExperimentAnnotation(db, id);
  const now = Date.now();
  db.transaction(() => {
    db.prepare('INSERT INTO experiment_annotations (experiment_id, updated_at) VALUES (?, ?) ON CONFLICT(experiment_id) DO NOTHING').run(id, now);
    if (patch.displayName !== undefined) {
      db.prepare('UPDATE experiment_annotations SET display_name = ?, updated_at = ? WHERE experiment_id = ?')
        .run(patch.displayName?.trim() || null, now, id);
    }
    if (patch.note !== undefined) {
      db.prepare('UPDATE experiment_annotations SET note = ?, updated_at = ? WHERE experiment_id = ?').run(patch.note, now, id);
    }
  })();
  return getExperimentAnnotation(db, id);
}
