/**
 * The walker offers every file to inspectors, also inside folders an adapter claimed for a run
 * (Lightning's `checkpoints/`, a `data/` folder beside a run's metrics); what they find becomes
 * model and dataset entries, inspected again only when a file changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { listModelSummaries as listModels } from '../../src/catalog/queries/models.js';
import { addRoot } from '../../src/catalog/queries/roots.js';
import type { InspectedFile, Inspector } from '../../src/formats/inspector.js';
import { adapters } from '../../src/formats/registry.js';
import { indexRoot } from '../../src/index/indexer.js';
import { findRuns } from '../../src/index/walk.js';
import { copyFixture, tempDir } from '../helpers.js';

/** Takes checkpoints as models and CSV files under a `data/` folder as datasets; counts its reads. */
function testInspector(): Inspector & { seen: InspectedFile[] } {
  const seen: InspectedFile[] = [];
  return {
    kind: 'test',
    label: 'test inspector',
    seen,
    matches: (f) => f.name.endsWith('.ckpt') || (f.name.endsWith('.csv') && path.basename(path.dirname(f.path)) === 'data'),
    async inspect(f, sink) {
      seen.push(f);
      const size = fs.statSync(f.path).size;
      if (f.name.endsWith('.ckpt')) sink.model({ name: f.name, path: f.path, format: 'test-model', framework: null, version: null, sizeBytes: size });
      else sink.dataset({ name: f.name, path: f.path, format: 'test-csv', sizeBytes: size });
    },
  };
}

function projectWithData() {
  const project = copyFixture('realruns/lightning_project');
  const run = path.join(project, 'lightning_logs', 'version_4');
  fs.mkdirSync(path.join(run, 'data'));
  fs.writeFileSync(path.join(run, 'data', 'train.csv'), 'x,y\n1,2\n');
  return { project, run };
}

describe('inspectors', () => {
  it('are handed the files inside a claimed run folder, with the run that holds them', async () => {
    const { project, run } = projectWithData();
    const inspector = testInspector();
    const walk = await findRuns(project, adapters, { inspectors: [inspector] });
    const offered = walk.inspect.map((i) => path.relative(project, i.file.path)).sort();
    expect(offered).toContain(path.join('lightning_logs', 'version_4', 'checkpoints', 'epoch=2-step=75.ckpt'));
    expect(offered).toContain(path.join('lightning_logs', 'version_4', 'data', 'train.csv'));
    // Eight checkpoints in the project (four runs have two each), and the one data file.
    expect(offered).toHaveLength(9);
    const data = walk.inspect.find((i) => i.file.name === 'train.csv')!;
    expect(data.file.insideRun).toEqual({ format: 'lightning-csv', path: run });
    expect(data.inspectors).toEqual([inspector]);
    // Claimed folders stay claimed for runs: no run is found inside a run.
    expect(walk.locations.filter((l) => l.path.startsWith(run + path.sep))).toEqual([]);
    // Without inspectors the walk stops at claimed folders, as before.
    expect((await findRuns(project, adapters)).inspect).toEqual([]);
  });

  it('what they find becomes entries, inspected again only when the file changes', async () => {
    const { project, run } = projectWithData();
    const db = openCatalog(path.join(tempDir(), 'c.db'));
    try {
      const root = addRoot(db, project);
      const inspector = testInspector();
      await indexRoot(db, root, { inspectors: [inspector] });
      expect(inspector.seen).toHaveLength(9);
      const datasets = db.prepare('SELECT name, path, format FROM datasets').all();
      expect(datasets).toEqual([{ name: 'train.csv', path: path.join(run, 'data', 'train.csv'), format: 'test-csv' }]);
      const found = listModels(db).filter((m) => m.format === 'test-model');
      expect(found).toHaveLength(8);
      // A checkpoint inside a run's folder: that run produced it.
      expect(found.every((m) => m.runIds.length === 1)).toBe(true);

      await indexRoot(db, root, { inspectors: [inspector] });
      expect(inspector.seen).toHaveLength(9); // nothing changed: nothing read again
      fs.appendFileSync(path.join(run, 'data', 'train.csv'), '3,4\n');
      await indexRoot(db, root, { inspectors: [inspector] });
      expect(inspector.seen.map((f) => f.name).slice(9)).toEqual(['train.csv']);

      fs.rmSync(path.join(run, 'data'), { recursive: true });
      await indexRoot(db, root, { inspectors: [inspector] });
      expect(db.prepare('SELECT count(*) FROM datasets').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
