/**
 * The hashing worker in the two built forms of the core: the CLI bundle (ESM chunks, dist/cli) and
 * the desktop main-process bundle (CommonJS, dist/electron/main.cjs). Under tsx it runs in every
 * other test. Electron itself cannot run here; its bundle's options are applied to an entry that
 * drives the core the way electron/main does, and run under Node.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildCli } from '../../build/scripts/build-cli.mjs';
import { ELECTRON_MAIN_OPTIONS } from '../../build/scripts/build.mjs';
import { copyFixture, onCleanup, REPO, tempDir } from '../helpers.js';

const run = promisify(execFile);

/** A fresh folder two levels below the repository (where the builds put their output). */
function distDir(prefix: string): string {
  fs.mkdirSync(path.join(REPO, 'dist'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(REPO, 'dist', prefix));
  onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('hashing in the built core', () => {
  it('the built CLI hashes a file as a job in its worker (bench figure 9, small)', async () => {
    const outdir = distDir('cli-hash-');
    await buildCli({ outdir: path.relative(REPO, outdir) });
    const { stdout } = await run(process.execPath, [path.join(outdir, 'labdesk.mjs'), 'bench', '--only', 'hash', '--hash-mib', '8', '--json'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const report = JSON.parse(stdout) as { figures: { hash: { fileBytes: number; mbPerSecond: number; digestMatches: boolean | null } }; errors: object };
    expect(report.errors).toEqual({});
    expect(report.figures.hash.fileBytes).toBe(8 * 1024 * 1024);
    expect(report.figures.hash.mbPerSecond).toBeGreaterThan(0);
    // sha256sum is part of coreutils; where it is missing the figure says so instead.
    if (report.figures.hash.digestMatches !== null) expect(report.figures.hash.digestMatches).toBe(true);
  }, 120_000);

  it('the desktop main-process bundle (CommonJS) hashes through the core', async () => {
    const esbuild = await import('esbuild');
    const outdir = distDir('electron-hash-');
    const entry = path.join(outdir, 'entry.ts');
    // What electron/main does with the core, minus the window: open it, call it, close it.
    fs.writeFileSync(
      entry,
      `import { createCore } from ${JSON.stringify(path.join(REPO, 'src/core.ts'))};
void (async () => {
  const core = await createCore({ dbPath: process.argv[2] });
  const outcomes = await core.hashFiles(process.argv.slice(3)).promise;
  const jobs = await core.api['jobs.list']({});
  await core.close();
  process.stdout.write(JSON.stringify({ outcomes, jobs }));
})();
`,
    );
    const outfile = path.join(outdir, 'main.cjs');
    await esbuild.build({ ...ELECTRON_MAIN_OPTIONS, entryPoints: [entry], outfile, logLevel: 'error' });
    const model = path.join(copyFixture('realruns/hf_trainer/bert-tiny-cls/final'), 'model.safetensors');
    const { stdout } = await run(process.execPath, [outfile, path.join(tempDir(), 'c.db'), model]);
    const { outcomes, jobs } = JSON.parse(stdout);
    expect(outcomes).toEqual([{ path: model, sha256: createHash('sha256').update(fs.readFileSync(model)).digest('hex'), bytes: 111464 }]);
    expect(jobs).toMatchObject([{ kind: 'hash', state: 'done', done: 1, total: 1 }]);
  }, 120_000);
});
