import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { maskControls, safeLines, safeText } from '../../src/cli/safe-text.js';
import { copyFixture, REPO, tempDir } from '../helpers.js';

const run = promisify(execFile);
const BIN = path.join(REPO, 'src', 'cli', 'labdesk.mjs');

async function labdesk(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Recolours the terminal, then sets its window title: what a hostile folder name would do. */
const EVIL = '\x1b[31mred\x1b]0;title\x07';
// Any C0/C1 control but the newline, and the bidi overrides and isolates.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('human-readable CLI output', () => {
  it('shows control characters in folder, run and file names escaped in index, runs and show', async () => {
    const root = tempDir();
    const runDir = path.join(root, EVIL, 'lightning_logs', EVIL);
    fs.mkdirSync(path.dirname(runDir), { recursive: true });
    fs.cpSync(copyFixture('realruns/lightning_project/lightning_logs/version_0'), runDir, { recursive: true });
    // A broken hparams.yaml, so that `index` prints a problem naming the file.
    fs.writeFileSync(path.join(runDir, 'hparams.yaml'), 'lr: [unclosed\n');
    const db = path.join(tempDir(), 'c.db');

    const indexed = await labdesk('index', root, '--db', db);
    expect(indexed.code).toBe(0);
    expect(indexed.stdout).toMatch(/1 problem\(s\):/);
    const shownName = '\\x1b[31mred\\x1b]0;title\\x07';
    expect(indexed.stdout).toContain(`${shownName}/lightning_logs/${shownName}/hparams.yaml`);

    const runs = await labdesk('runs', '--db', db);
    expect(runs.stdout).toContain(shownName);
    const [id] = /[0-9a-f]{8}/.exec(runs.stdout.split('\n').find((l) => l.includes(shownName))!)!;
    const shown = await labdesk('show', id, '--db', db);
    expect(shown.code).toBe(0);
    expect(shown.stdout.split('\n')[0]).toMatch(new RegExp(`^${shownName.replace(/[\\[\]]/g, '\\$&')} {2}\\(`));
    const missing = await labdesk('show', `${EVIL}-nope`, '--db', db);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(`${shownName}-nope`);

    for (const [what, out] of Object.entries({ indexed, runs, shown, missing })) {
      expect(CONTROL.test(out.stdout), `${what} stdout`).toBe(false);
      expect(CONTROL.test(out.stderr), `${what} stderr`).toBe(false);
    }
    // JSON keeps the real name: JSON.stringify already escapes it.
    const json = JSON.parse((await labdesk('runs', '--db', db, '--json')).stdout);
    expect(json[0].name).toBe(EVIL);
  });

  it('escapes C0, C1, DEL and bidi controls, and keeps other text as it is', () => {
    expect(safeText('a\x1b[2Jb\x9b31m\x7f')).toBe('a\\x1b[2Jb\\x9b31m\\x7f');
    expect(safeText('evil\u202egnp.exe \u2066x\u2069')).toBe('evil\\u202egnp.exe \\u2066x\\u2069');
    expect(safeText('line\nbreak\ttab\r')).toBe('line\\nbreak\\ttab\\r');
    expect(safeText('δ-run 🚀 naïve')).toBe('δ-run 🚀 naïve');
    expect(safeLines('first\x1b]0;t\x07\nsecond')).toBe('first\\x1b]0;t\\x07\nsecond');
    expect(maskControls('a\x1bb\u202ec')).toBe('a?b?c');
  });
});
