import type Database from 'better-sqlite3';
import { migrations } from './migrations/index.js';

export class CatalogTooNewError extends Error {
  override name = 'CatalogTooNewError';
}

/** The schema version this build of Labdesk writes. */
export const SCHEMA_VERSION = migrations[migrations.length - 1].version;

/**
 * Applies every migration above the file's `user_version`, each in its own transaction. A catalog
 * written by a newer Labdesk is refused rather than guessed at.
 */
export function migrate(db: Database.Database, upTo = SCHEMA_VERSION): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new CatalogTooNewError(
      `This catalog has schema version ${current}, but this Labdesk knows up to ${SCHEMA_VERSION}. ` +
        'Update Labdesk, or open another catalog with --db.',
    );
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > upTo) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
