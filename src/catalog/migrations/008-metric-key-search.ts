import type { Migration } from './index.js';

/**
 * Metric names become search words: free text `train/loss` finds the runs that log it (the issue's
 * case: 0 runs found, 7 log it). FTS5 tables cannot gain a column, and `run_search_text` is
 * contentless (every word comes from other tables), so it is rebuilt with a `metrics` column and the
 * triggers of migration 005 are recreated to fill it; the backfill re-reads every run's words.
 * User tables keep their triggers' names and their rows; only derived words are rebuilt.
 */
export const metricKeySearch: Migration = {
  version: 8,
  name: 'metric key search',
  up(db) {
    const words = (id: string) => `
      INSERT INTO run_search_text (rowid, name, experiment, path, labels, tags, params, note, metrics)
        SELECT s.id,
          CASE WHEN a.display_name IS NULL THEN r.name ELSE a.display_name || ' ' || r.name END,
          e.name, r.path,
          (SELECT group_concat(u.tag, ' ') FROM user_tags u WHERE u.run_id = r.id),
          (SELECT group_concat(t.value, ' ') FROM tags t WHERE t.run_id = r.id AND t.key != 'mlflow.log-model.history'),
          (SELECT group_concat(p.key || ' ' || p.value, ' ') FROM params p WHERE p.run_id = r.id),
          a.note,
          (SELECT group_concat(m.key, ' ') FROM metric_series m WHERE m.run_id = r.id)
        FROM run_search s JOIN runs r ON r.id = s.run_id
        LEFT JOIN experiments e ON e.id = r.experiment_id
        LEFT JOIN run_annotations a ON a.run_id = r.id
        WHERE s.id = ${id};`;
    db.exec(`
      DROP TRIGGER run_search_insert;
      DROP TRIGGER run_search_update;
      DROP TABLE run_search_text;
      CREATE VIRTUAL TABLE run_search_text USING fts5(
        name, experiment, path, labels, tags, params, note, metrics,
        content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER run_search_insert AFTER INSERT ON run_search BEGIN ${words('NEW.id')} END;
      CREATE TRIGGER run_search_update AFTER UPDATE ON run_search BEGIN
        DELETE FROM run_search_text WHERE rowid = NEW.id; ${words('NEW.id')}
      END;
      -- Backfill: the update trigger writes each run's words again, now with its metric names.
      UPDATE run_search SET run_id = run_id;
    `);
  },
};
