import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { copyFixture, REPO, tempDir } from '../helpers.js';

const run = promisify(execFile);
const BIN = path.join(REPO, 'src', 'cli', 'labdesk.mjs');

async function labdesk(...args: string[]) {
  return labdeskWith({}, ...args);
}

async function labdeskWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('labdesk CLI', () => {
  it('index refuses a whole home folder unless --confirm, and a system folder always', async () => {
    const home = fs.realpathSync(tempDir());
    fs.cpSync(copyFixture('realruns/lightning_project'), path.join(home, 'lightning_project'), { recursive: true });
    const db = path.join(tempDir(), 'c.db');
    const refused = await labdeskWith({ HOME: home }, 'index', home, '--db', db);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${home} is a home folder`);
    expect(refused.stderr).toContain('run the command again with --confirm');
    const confirmed = await labdeskWith({ HOME: home }, 'index', home, '--db', db, '--json', '--confirm');
    expect(confirmed.code).toBe(0);
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ runs: 8 });
    const system = await labdesk('index', '/proc', '--db', db, '--confirm');
    expect(system.code).toBe(1);
    expect(system.stderr).toContain('/proc is a system folder');
  });

  it('index --json, runs --json, show --json and metric --json keep their shapes', async () => {
    const dir = copyFixture('realruns/lightning_project');
    const db = path.join(tempDir(), 'c.db');
    const indexed = await labdesk('index', dir, '--db', db, '--json');
    expect(indexed.code).toBe(0);
    const summary = JSON.parse(indexed.stdout);
    expect(Object.keys(summary).sort()).toEqual(['datasets', 'experiments', 'models', 'problems', 'runs', 'seconds']);
    // The project holds four CSVLogger and four TensorBoardLogger versions of one logger folder.
    expect(summary).toMatchObject({ runs: 8, experiments: 1, models: 8, problems: 0 });

    const runs = JSON.parse((await labdesk('runs', '--db', db, '--json')).stdout);
    expect(runs).toHaveLength(8);
    expect(runs.filter((r: { format: string }) => r.format === 'lightning-csv')).toHaveLength(4);
    expect(Object.keys(runs[0]).sort()).toEqual(
      ['durationSeconds', 'error', 'execution', 'experiment', 'format', 'id', 'metrics', 'name', 'params', 'path', 'startTime', 'status', 'timeNote'].sort(),
    );
    const v0 = runs.find((r: { name: string }) => r.name === 'version_0');
    expect(v0.path).toBe(path.join(dir, 'lightning_logs', 'version_0'));
    expect(v0.params).toEqual({ dropout: '0.1', hidden: '16', lr: '0.01' });
    expect(v0.metrics.val_acc).toEqual({ last: 0.9549999833106995, min: 0.9075000286102295, max: 0.9599999785423279, lastStep: 99, count: 4 });

    const shown = JSON.parse((await labdesk('show', v0.id.slice(0, 8), '--db', db, '--json')).stdout);
    expect(shown.sourceFiles.map((f: { path: string }) => path.basename(f.path))).toEqual(['hparams.yaml', 'metrics.csv']);
    expect(shown.artifacts).toHaveLength(2);

    const metric = JSON.parse((await labdesk('metric', v0.id, 'train_loss_step', '--db', db, '--json')).stdout);
    expect(metric).toMatchObject({ run: v0.id, key: 'train_loss_step', count: 20 });
    expect(metric.points).toHaveLength(20);
    expect(metric.points[0]).toEqual([4, 0.6426303386688232, null]);
    const few = JSON.parse((await labdesk('metric', v0.id, 'train_loss_step', '--db', db, '--json', '--max-points', '6')).stdout);
    expect(few.count).toBe(20);
    expect(few.points.length).toBeLessThanOrEqual(6);
    expect(few.points.map((p: number[]) => p[1])).toContain(0.6426303386688232);
  });

  it('models lists the models through the API (models.list), as JSON and as a table', async () => {
    const dir = copyFixture('realruns/lightning_project');
    const db = path.join(tempDir(), 'c.db');
    expect((await labdesk('index', dir, '--db', db)).code).toBe(0);
    const runIds = new Set(JSON.parse((await labdesk('runs', '--db', db, '--json')).stdout).map((r: { id: string }) => r.id));
    const models = JSON.parse((await labdesk('models', '--db', db, '--json')).stdout);
    expect(models).toHaveLength(8);
    expect(Object.keys(models[0]).sort()).toEqual(
      ['format', 'framework', 'hashedAt', 'id', 'name', 'path', 'runIds', 'sha256', 'sizeBytes', 'stage', 'version'],
    );
    // Hashed by the index pass (each checkpoint's bytes); each model comes from the one run that declares it.
    for (const m of models) {
      expect(m.sha256).toBe(createHash('sha256').update(fs.readFileSync(m.path)).digest('hex'));
      expect(m.hashedAt).toBeGreaterThan(0);
      expect(m.runIds).toHaveLength(1);
      expect(runIds.has(m.runIds[0])).toBe(true);
    }
    expect(models.map((m: { path: string }) => m.path)).toEqual(models.map((m: { path: string }) => m.path).sort());
    const text = await labdesk('models', '--db', db);
    expect(text.stdout).toContain(path.basename(models[0].path));
    expect(text.stdout).toMatch(/8 model\(s\)\n$/);
  });

  it('index prints the problems it found (through problems.list)', async () => {
    const dir = copyFixture('realruns/lightning_project');
    fs.symlinkSync(dir, path.join(dir, 'lightning_logs', 'loop'));
    const indexed = await labdesk('index', dir, '--db', path.join(tempDir(), 'c.db'));
    expect(indexed.code).toBe(0);
    expect(indexed.stdout).toMatch(/\n1 problem\(s\):\n {2}.*loop: .*symbolic link loop/);
  });

  it('answers user mistakes with one line on stderr and a non-zero exit, no stack trace', async () => {
    const db = path.join(tempDir(), 'c.db');
    for (const args of [
      ['index', '/definitely/not/here', '--db', db],
      ['show', 'nope', '--db', db],
      ['metric', 'x', 'y', '--db', db, '--max-points', 'lots'],
      ['frobnicate'],
    ]) {
      const r = await labdesk(...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr.trim().length).toBeGreaterThan(0);
    }
    const notDb = path.join(tempDir(), 'not-a-db');
    await import('node:fs').then((fs) => fs.writeFileSync(notDb, 'hello, this is not sqlite'.repeat(100)));
    const r = await labdesk('runs', '--db', notDb);
    expect(r.stderr).toMatch(/not a Labdesk catalog/);
    // A catalog from a newer Labdesk: what to do, as a user error (exit 1), not an internal one.
    const newer = path.join(tempDir(), 'newer.db');
    const raw = new Database(newer);
    raw.pragma('user_version = 999');
    raw.close();
    const refused = await labdesk('runs', '--db', newer);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/^labdesk: This catalog has schema version 999, .*Update Labdesk/) });
  });

  it('--help works straight from the repo, with no build step', async () => {
    const r = await labdesk('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/index \[options\] <paths\.\.\.>/);
  });
});
