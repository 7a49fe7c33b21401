import type { Migration } from './index.js';

/**
 * Full-text search over runs, and indexes for the query language.
 *
 * `run_search` gives each run a stable integer id (runs' own rowids may change on VACUUM) and
 * `run_search_text` is a contentless FTS5 table keyed by it: the words of the run's display and
 * original names, experiment, path, user tags, tool tag values, param keys and values, and note.
 * (Not MLflow's `mlflow.log-model.history` tag: JSON about model files, whose words match everything.)
 * Triggers rebuild a run's words when its `run_search` row is inserted or touched (RunWriter touches
 * it after writing a run), when the user edits its name, note or user tags, and when its experiment
 * is renamed; deleting a run (directly or by removing its root) deletes its words.
 *
 * User tables gain triggers but their rows are only read. The backfill indexes every existing run.
 * Also: tags by key (skip-scan of tag keys, tag filters) and metric summaries by min and max (sorting
 * 100k runs by `metrics.<key>:min` reads the index in order, as `metrics.<key>` does with `last`).
 */
export const runSearch: Migration = {
  version: 5,
  name: 'run search',
  up(db) {
    // The words of the run whose run_search id is `id` (a trigger's NEW.id).
    const words = (id: string) => `
      INSERT INTO run_search_text (rowid, name, experiment, path, labels, tags, params, note)
        SELECT s.id,
          CASE WHEN a.display_name IS NULL THEN r.name ELSE a.display_name || ' ' || r.name END,
          e.name, r.path,
          (SELECT group_concat(u.tag, ' ') FROM user_tags u WHERE u.run_id = r.id),
          (SELECT group_concat(t.value, ' ') FROM tags t WHERE t.run_id = r.id AND t.key != 'mlflow.log-model.history'),
          (SELECT group_concat(p.key || ' ' || p.value, ' ') FROM params p WHERE p.run_id = r.id),
          a.note
        FROM run_search s JOIN runs r ON r.id = s.run_id
        LEFT JOIN experiments e ON e.id = r.experiment_id
        LEFT JOIN run_annotations a ON a.run_id = r.id
        WHERE s.id = ${id};`;
    const rebuild = (id: string) => `DELETE FROM run_search_text WHERE rowid = ${id}; ${words(id)}`;
    const touch = (runId: string) => `UPDATE run_search SET run_id = run_id WHERE run_id = ${runId};`;
    db.exec(`
      CREATE TABLE run_search (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL UNIQUE
      );
      CREATE VIRTUAL TABLE run_search_text USING fts5(
        name, experiment, path, labels, tags, params, note,
        content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
      );

      CREATE TRIGGER run_search_insert AFTER INSERT ON run_search BEGIN ${words('NEW.id')} END;
      CREATE TRIGGER run_search_update AFTER UPDATE ON run_search BEGIN ${rebuild('NEW.id')} END;
      CREATE TRIGGER run_search_delete AFTER DELETE ON run_search BEGIN
        DELETE FROM run_search_text WHERE rowid = OLD.id;
      END;
      CREATE TRIGGER run_search_run_delete AFTER DELETE ON runs BEGIN
        DELETE FROM run_search WHERE run_id = OLD.id;
      END;
      CREATE TRIGGER run_search_experiment_rename AFTER UPDATE OF name ON experiments WHEN OLD.name IS NOT NEW.name BEGIN
        UPDATE run_search SET run_id = run_id WHERE run_id IN (SELECT id FROM runs WHERE experiment_id = NEW.id);
      END;
      CREATE TRIGGER run_search_annotation_insert AFTER INSERT ON run_annotations BEGIN ${touch('NEW.run_id')} END;
      CREATE TRIGGER run_search_annotation_update AFTER UPDATE OF display_name, note ON run_annotations BEGIN ${touch('NEW.run_id')} END;
      CREATE TRIGGER run_search_annotation_delete AFTER DELETE ON run_annotations BEGIN ${touch('OLD.run_id')} END;
      CREATE TRIGGER run_search_user_tag_insert AFTER INSERT ON user_tags BEGIN ${touch('NEW.run_id')} END;
      CREATE TRIGGER run_search_user_tag_delete AFTER DELETE ON user_tags BEGIN ${touch('OLD.run_id')} END;

      INSERT INTO run_search (run_id) SELECT id FROM runs ORDER BY rowid;

      CREATE INDEX tags_key ON tags(key);
      CREATE INDEX metric_series_key_min ON metric_series(key, min);
      CREATE INDEX metric_series_key_max ON metric_series(key, max);
    `);
  },
};
