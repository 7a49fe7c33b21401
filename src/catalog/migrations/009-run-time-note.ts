import type { Migration } from './index.js';

/**
 * `runs.time_note`: why a run's start or end is unknown ("Keras's CSVLogger records no times"), so
 * the UI can say so instead of showing a file's copy time as a fact. Existing rows get null and are
 * filled when next indexed; no user table is touched.
 */
export const runTimeNote: Migration = {
  version: 9,
  name: 'run time note',
  up(db) {
    db.exec('ALTER TABLE runs ADD COLUMN time_note TEXT;');
  },
};
