/** Problems found while indexing: per run (written with the run) and per root (the walk's, replaced each pass). */
import type { Db } from '../db.js';

export interface FoundProblem {
  path: string;
  message: string;
}

export class Problems {
  private readonly s;

  constructor(private readonly db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      clearRoot: p('DELETE FROM problems WHERE root_id = ? AND run_id IS NULL'),
      addRoot: p('INSERT INTO problems (root_id, run_id, path, format, message, created_at) VALUES (?, NULL, ?, ?, ?, ?)'),
      runPaths: p('SELECT DISTINCT path FROM problems WHERE run_id = ?').pluck(),
    };
  }

  /** Replaces a root's problems found outside any run (`format`: what found them, e.g. "scan"). */
  replaceForRoot(rootId: number, problems: FoundProblem[], now: number, format = 'scan'): void {
    this.db.transaction(() => {
      this.s.clearRoot.run(rootId);
      for (const p of problems) this.s.addRoot.run(rootId, p.path, format, p.message, now);
    })();
  }

  /** The files a run's last read found problems in. */
  pathsOfRun(runId: string): Set<string> {
    return new Set(this.s.runPaths.all(runId) as string[]);
  }
}
