/**
 * Runs the inspectors over the files the walk offered them: only files whose identity changed since
 * their last inspection, each read inside the indexed root's scope (no link leads a read out of it).
 * What an inspection found replaces what the same inspector found in that file before.
 */
import fs from 'node:fs/promises';
import { inTransaction, type Db } from '../catalog/db.js';
import { runId } from '../catalog/ids.js';
import { identityOf, type FileIdentity } from '../catalog/repos/ledger.js';
import type { ModelRecord } from '../formats/adapter.js';
import type { DatasetRecord, InspectedFile, InspectionSink, Inspector } from '../formats/inspector.js';
import type { FoundProblem } from '../catalog/repos/problems.js';
import type { IndexRepos } from './indexer.js';

interface Inspection {
  file: InspectedFile;
  inspector: Inspector;
  id: FileIdentity;
  models: ModelRecord[];
  datasets: DatasetRecord[];
}

const same = (a: FileIdentity, b: FileIdentity) => a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;

export async function inspectFiles(
  db: Db,
  repos: IndexRepos,
  rootId: number,
  offered: { file: InspectedFile; inspectors: Inspector[] }[],
  signal?: AbortSignal,
): Promise<{ problems: FoundProblem[]; inspected: number }> {
  const problems: FoundProblem[] = [];
  const done: Inspection[] = [];
  for (const { file, inspectors } of offered) {
    if (signal?.aborted) break;
    let st;
    try {
      st = await fs.stat(file.path);
    } catch {
      continue; // vanished since the walk listed it
    }
    const id = identityOf(st);
    for (const inspector of inspectors) {
      const before = repos.ledger.inspected(file.path, inspector.kind);
      if (before.length && before.every((b) => same(b, id))) continue;
      const found: Inspection = { file, inspector, id, models: [], datasets: [] };
      const fileProblems: FoundProblem[] = [];
      const sink: InspectionSink = {
        model: (m) => found.models.push(m),
        dataset: (d) => found.datasets.push(d),
        problem: (path, message) => fileProblems.push({ path, message: `${inspector.label}: ${message}` }),
      };
      try {
        await inspector.inspect(file, sink);
      } catch (err) {
        fileProblems.push({ path: file.path, message: `Labdesk failed to inspect this file (${(err as Error).message}); please report it` });
      }
      // A file with problems is inspected again next pass (it is not recorded as seen), so they stay listed.
      if (fileProblems.length) problems.push(...fileProblems);
      else done.push(found);
    }
  }
  if (signal?.aborted) return { problems, inspected: 0 };
  const now = Date.now();
  inTransaction(db, () => {
    for (const f of done) write(repos, rootId, f, now);
  });
  return { problems, inspected: done.length };
}

function write(repos: IndexRepos, rootId: number, f: Inspection, now: number): void {
  const { ledger } = repos;
  const producedBy = f.file.insideRun ? runId(f.file.insideRun.format, f.file.insideRun.path) : null;
  const read = { offset: 0, state: null, head: null };
  const kept = new Set<string>();
  ledger.recordFile(f.file.path, rootId, f.id, now);
  for (const m of f.models) {
    const id = repos.models.upsert(rootId, m, now, producedBy);
    ledger.writeRead('model', id, rootId, f.inspector.kind, f.file.path, f.id, read);
    kept.add(`model\0${id}`);
  }
  for (const d of f.datasets) {
    const id = repos.datasets.upsert(rootId, d);
    ledger.writeRead('dataset', id, rootId, f.inspector.kind, f.file.path, f.id, read);
    kept.add(`dataset\0${id}`);
  }
  // What this inspector found in the file before and not now: that entry is no longer made of it.
  for (const b of ledger.inspected(f.file.path, f.inspector.kind)) {
    if (kept.has(`${b.kind}\0${b.id}`)) continue;
    ledger.dropMember(f.file.path, b.kind, b.id);
    if (!ledger.filesOf(b.kind, b.id).length) {
      if (b.kind === 'model') repos.models.remove(b.id);
      else repos.datasets.remove(b.id);
    }
  }
}
