import type Database from 'better-sqlite3';
import { initialSchema } from './001-initial.js';
import { sourceFilesPerRun } from './002-source-files-per-run.js';
import { runActiveAt } from './003-run-active-at.js';
import { modelStage } from './004-model-stage.js';
import { runSearch } from './005-run-search.js';
import { savedViews } from './006-saved-views.js';
import { runExecution } from './007-run-execution.js';
import { metricKeySearch } from './008-metric-key-search.js';
import { runTimeNote } from './009-run-time-note.js';
import { fileLedger } from './010-file-ledger.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * Every schema change, one file per version, applied in order. Never edit or drop a shipped migration:
 * user data (annotations, user tags) must survive every one of them, and each has its own test.
 */
export const migrations: readonly Migration[] = [initialSchema, sourceFilesPerRun, runActiveAt, modelStage, runSearch, savedViews, runExecution, metricKeySearch, runTimeNote, fileLedger];

for (let i = 0; i < migrations.length; i++) {
  if (migrations[i].version !== i + 1) throw new Error(`migration ${migrations[i].name} is out of order`);
}
