import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';

/** SQL outside src/catalog/ is allowed in the MLflow reader (it reads MLflow's own database) and the bench. */
const ALLOWED = [/^catalog\//, /^formats\/mlflow\/sqlite-store\.ts$/, /^bench\//];

/** Issue 13: the indexer's own statements move into catalog repositories with the file-ledger change; then delete this. */

const SQL_KEYWORD = String.raw`(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|PRAGMA|BEGIN|COMMIT|WITH|VACUUM|ATTACH)\b`;
/**
 * What runs SQL, as eslint.config.js's no-restricted-syntax rule has it: any `.prepare(`, exec/pragma/
 * transaction on a database handle, and `.exec(` of an SQL string (RegExp#exec takes text, not SQL).
 */
const SQL_CALLS = [
  /\.\s*prepare\s*\(/g,
  /\b(db|database|catalog|sqlite)\s*\.\s*(exec|pragma|transaction)\s*\(/gi,
  new RegExp(String.raw`\.\s*exec\s*\(\s*['"\x60]\s*${SQL_KEYWORD}`, 'gi'),
];

/** Each SQL call in `text`, as `line: code`. */
function sqlCalls(text: string): string[] {
  const lines = text.split('\n');
  const at = new Set<number>();
  for (const pattern of SQL_CALLS) {
    for (const m of text.matchAll(pattern)) at.add(text.slice(0, m.index).split('\n').length);
  }
  return [...at].sort((a, b) => a - b).map((n) => `${n}: ${lines[n - 1].trim()}`);
}

/** Modules under `dir` (paths relative to it) that run SQL, with where. */
function sqlOffenders(dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|mts|mjs|js)$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const calls = sqlCalls(fs.readFileSync(file, 'utf8'));
    if (calls.length) out[path.relative(dir, file).split(path.sep).join('/')] = calls;
  }
  return out;
}

describe('finding SQL', () => {
  it('finds statements prepared or run on a database handle, and SQL strings run by exec', () => {
    const text = [
      "const a = db.prepare('SELECT 1');",
      'core.db',
      "  .exec('DELETE FROM runs');",
      "this.db.pragma('user_version');",
      'const t = db.transaction(() => {});',
      'other.exec(`  insert into x values (1)`);',
      'const m = /a(b)/.exec(text) ?? PATTERN.exec(line) ?? new RegExp(x).exec(text);',
      "const exec = 'db.exec';",
    ].join('\n');
    expect(sqlCalls(text)).toEqual([
      "1: const a = db.prepare('SELECT 1');",
      '2: core.db',
      "3: .exec('DELETE FROM runs');",
      "4: this.db.pragma('user_version');",
      '5: const t = db.transaction(() => {});',
      '6: other.exec(`  insert into x values (1)`);',
    ]);
  });
});

describe('SQL in src/', () => {
  const offenders = sqlOffenders(path.join(REPO, 'src'));

  it('runs only in src/catalog/ (and the MLflow reader and the bench)', () => {
    const outside = Object.entries(offenders).filter(([file]) => !ALLOWED.some((a) => a.test(file)));
    expect(Object.fromEntries(outside), 'SQL outside src/catalog/: move it into a catalog module and call that').toEqual({});
  });
});
