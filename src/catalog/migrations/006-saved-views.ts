import type { Migration } from './index.js';

/**
 * Saved views of the runs table (user data, like annotations: never dropped by a later migration).
 * A name is unique regardless of case, so saving "Best runs" over "best runs" replaces it.
 */
export const savedViews: Migration = {
  version: 6,
  name: 'saved views',
  up(db) {
    db.exec(`
      CREATE TABLE saved_views (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        query TEXT NOT NULL DEFAULT '',
        -- {"column": ..., "direction": "asc" | "desc"} as JSON, or NULL for the table's default order.
        sort TEXT,
        -- Column ids in order, as a JSON array; [] means the default columns.
        columns TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `);
  },
};
