import type { Migration } from './index.js';

/**
 * A run's `execution`: which of the successive runs saved in one file it is (a notebook's start
 * time). Notebook runs used to be located at `<file>#exec=<time>`; their path becomes the notebook
 * file and the time moves to `execution`. Run ids are unchanged (they hash the old location, see
 * `runId`), so annotations and user tags keyed by them stay attached; search words are rebuilt.
 */
export const runExecution: Migration = {
  version: 7,
  name: 'run execution',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN execution TEXT;
      UPDATE runs SET
          execution = substr(path, instr(path, '#exec=') + length('#exec=')),
          path = substr(path, 1, instr(path, '#exec=') - 1)
        -- Only where the marker is unambiguous; any other row is set right when it is next indexed.
        WHERE format = 'notebook' AND instr(path, '#exec=') > 0
          AND instr(substr(path, instr(path, '#exec=') + length('#exec=')), '#') = 0;
      UPDATE run_search SET run_id = run_id WHERE run_id IN (SELECT id FROM runs WHERE execution IS NOT NULL);
      CREATE INDEX runs_path ON runs(path);
    `);
  },
};
