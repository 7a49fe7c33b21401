import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { listRuns } from '../../src/catalog/queries/runs.js';
import { RunWriter } from '../../src/catalog/write-run.js';
import { RunBuffer } from '../../src/index/run-buffer.js';
import { tempDir } from '../helpers.js';

/** 40 runs: acc = (i * 7) % 13 / 13 for most, NaN for every 9th, absent for every 5th. */
function catalog() {
  const db = openCatalog(path.join(tempDir(), 'c.db'));
  db.prepare("INSERT INTO roots (id, path, added_at) VALUES (1, '/r', 0)").run();
  const writer = new RunWriter(db);
  const expected: { name: string; acc: number | null }[] = [];
  db.transaction(() => {
    for (let i = 0; i < 40; i++) {
      const name = `run-${String(i).padStart(2, '0')}`;
      const buf = new RunBuffer({ format: 'test', path: `/r/${name}`, files: [], experiment: { name: 'e', path: '/r' }, claimsSubtree: true });
      buf.point('loss', 0, i);
      const acc = i % 5 === 0 ? undefined : i % 9 === 0 ? NaN : ((i * 7) % 13) / 13;
      if (acc !== undefined) buf.point('acc', 0, acc);
      writer.write(1, buf, new Map(), 0);
      expected.push({ name, acc: acc === undefined || Number.isNaN(acc) ? null : acc });
    }
  })();
  return { db, expected };
}

/** Every row, fetched in pages of `size`. */
function allPages(db: ReturnType<typeof catalog>['db'], direction: 'asc' | 'desc', size: number, query?: string) {
  const names: string[] = [];
  for (let offset = 0; ; offset += size) {
    const page = listRuns(db, { sort: { column: 'metrics.acc', direction }, offset, limit: size, query });
    names.push(...page.rows.map((r) => r.name));
    if (offset + size >= page.total) return { names, total: page.total };
  }
}

describe('sorting runs by a metric', () => {
  for (const direction of ['desc', 'asc'] as const) {
    it(`pages through every run ${direction} by value, runs without a value (missing or NaN) last by path`, () => {
      const { db, expected } = catalog();
      const valued = expected.filter((r) => r.acc !== null).sort((a, b) => (direction === 'desc' ? b.acc! - a.acc! : a.acc! - b.acc!));
      const rest = expected.filter((r) => r.acc === null).map((r) => r.name);
      for (const size of [1, 7, 40, 100]) {
        const { names, total } = allPages(db, direction, size);
        expect(total).toBe(40);
        expect(new Set(names).size).toBe(40);
        expect(names.slice(-rest.length)).toEqual(rest);
        // Ties may come in any stable order; the values must be in order.
        const accOf = new Map(expected.map((r) => [r.name, r.acc]));
        expect(names.slice(0, valued.length).map((n) => accOf.get(n))).toEqual(valued.map((r) => r.acc));
      }
    });
  }

  it('applies the search filter on both sides of the valued/unvalued boundary', () => {
    const { db, expected } = catalog();
    const { names, total } = allPages(db, 'desc', 3, 'run-1');
    const matching = expected.filter((r) => r.name.startsWith('run-1'));
    expect(total).toBe(matching.length);
    expect(names.sort()).toEqual(matching.map((r) => r.name).sort());
  });
});
