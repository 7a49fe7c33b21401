import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { writeLightningTree } from '../../src/bench/lightning-tree.js';
import { REPO, tempDir } from '../helpers.js';

const BIN = path.join(REPO, 'src', 'cli', 'labdesk.mjs');
const RUNS = 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function labdesk(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exited };
}

/** The catalog as another process sees it (read-only, so the CLI's own writes are not disturbed). */
function peek<T>(db: string, fn: (d: Database.Database) => T): T | null {
  let d: Database.Database | null = null;
  try {
    d = new Database(db, { readonly: true, fileMustExist: true });
    return fn(d);
  } catch {
    return null; // not created yet, or mid-migration
  } finally {
    d?.close();
  }
}

describe('labdesk index and Ctrl-C', () => {
  it('SIGINT mid-pass stops it: one line, exit 130, the catalog as before, the root "stopped"; indexing again completes', async () => {
    const tree = tempDir();
    writeLightningTree(tree, RUNS, 20);
    const db = path.join(tempDir(), 'c.db');
    const { child, exited } = labdesk(['index', tree, '--db', db]);
    // Wait until the pass has written some runs (in batches of 200): the undo then has work to do.
    for (let i = 0; i < 600; i++) {
      const written = peek(db, (d) => d.prepare('SELECT count(*) FROM runs').pluck().get() as number);
      if (written !== null && written >= 200) break;
      await sleep(50);
    }
    expect(peek(db, (d) => d.prepare('SELECT status FROM roots').pluck().get())).toBe('indexing');
    child.kill('SIGINT');
    const stopped = await exited;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toBe('');
    expect(stopped.stderr).toBe(`labdesk: stopped indexing ${tree}; the catalog keeps what it had before this pass.\n`);
    expect(peek(db, (d) => ({
      runs: d.prepare('SELECT count(*) FROM runs').pluck().get(),
      experiments: d.prepare('SELECT count(*) FROM experiments').pluck().get(),
      problems: d.prepare('SELECT count(*) FROM problems').pluck().get(),
      sourceFiles: d.prepare('SELECT count(*) FROM file_entries').pluck().get(),
      models: d.prepare('SELECT count(*) FROM models').pluck().get(),
      roots: d.prepare('SELECT status, last_indexed_at AS lastIndexedAt FROM roots').all(),
    }))).toEqual({ runs: 0, experiments: 0, problems: 0, sourceFiles: 0, models: 0, roots: [{ status: 'stopped', lastIndexedAt: null }] });

    const again = await labdesk(['index', tree, '--db', db, '--json']).exited;
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ runs: RUNS, problems: 0 });
    expect(peek(db, (d) => d.prepare('SELECT status FROM roots').pluck().get())).toBe('idle');
  }, 120_000);
});
