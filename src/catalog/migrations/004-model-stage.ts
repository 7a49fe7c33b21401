import type { Migration } from './index.js';

/** A registered model version's registry stage (MLflow's Staging / Production / Archived). */
export const modelStage: Migration = {
  version: 4,
  name: 'model stage',
  up(db) {
    db.exec('ALTER TABLE models ADD COLUMN stage TEXT');
  },
};
