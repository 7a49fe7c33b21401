import type { Migration } from './index.js';

/**
 * Records when Labdesk itself saw a run's files change (`active_at`, catalog clock). A run's status
 * used to be inferred from file mtimes alone, which calls every freshly copied or unpacked folder
 * "running"; seeing the files change between two passes is evidence the run is still being written.
 */
export const runActiveAt: Migration = {
  version: 3,
  name: 'run active at',
  up(db) {
    db.exec('ALTER TABLE runs ADD COLUMN active_at INTEGER');
  },
};
