import type { Db } from '../db.js';

/**
 * The full-text index of runs (migration 005): `run_search` gives each run a stable integer id, and
 * `run_search_text` (FTS5, contentless) holds the words of its names, experiment, path, user tags,
 * tool tag values, param keys and values, note, and metric names (migration 008). Triggers rebuild a run's row whenever its
 * `run_search` row is inserted or touched; annotations, user tags and experiment renames touch it
 * themselves, and RunWriter touches it after writing a run (once, after its params, tags and metrics)
 * and after a tail read that adds a param, tag or metric.
 */

/** Runs whose words match an FTS5 expression bound at `placeholder`. */
export const FTS_RUN_IDS = (placeholder: string) =>
  `SELECT run_search.run_id FROM run_search_text JOIN run_search ON run_search.id = run_search_text.rowid
   WHERE run_search_text MATCH ${placeholder}`;

/**
 * Words as FTS5's unicode61 tokenizer cuts them: letters, digits and marks; everything else
 * (punctuation, symbols, spaces) separates. Case and diacritics are folded by FTS5 itself.
 */
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

/**
 * A free-text term as an FTS5 expression: its words as one phrase whose last word may be a prefix,
 * so `resn` finds resnet and `exp-042` finds the words exp 042 side by side. Null when the term has
 * no words (only punctuation), which then matches every run. Only word characters reach FTS5, so
 * its own syntax (quotes, NEAR, column filters) cannot be injected.
 */
export function ftsMatchExpression(term: string): string | null {
  const words = term.match(WORD);
  return words ? `"${words.join(' ')}"*` : null;
}

/** Rebuilds one run's search row; call after writing the run's params and tags. */
export function searchRefresher(db: Db): (runId: string) => void {
  const touch = db.prepare('INSERT INTO run_search (run_id) VALUES (?) ON CONFLICT(run_id) DO UPDATE SET run_id = excluded.run_id');
  return (runId) => void touch.run(runId);
}
