import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildCli } from '../../build/scripts/build-cli.mjs';
import { builtCliIsCurrent, sourceFingerprint } from '../../src/util/source-stamp.mjs';
import { copyFixture, onCleanup, REPO, tempDir } from '../helpers.js';

const run = promisify(execFile);
const LAUNCHER = path.join(REPO, 'src', 'cli', 'labdesk.mjs');

async function node(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The CLI built into its own folder under dist/ (two levels down, like dist/cli), removed afterwards. */
async function builtCli() {
  fs.mkdirSync(path.join(REPO, 'dist'), { recursive: true });
  const outdir = fs.mkdtempSync(path.join(REPO, 'dist', 'cli-test-'));
  onCleanup(() => fs.rmSync(outdir, { recursive: true, force: true }));
  // Relative to the repository, and built twice: the second build clears the first one's chunks only.
  await buildCli({ outdir: path.relative(REPO, outdir) });
  const { metafile } = await buildCli({ outdir: path.relative(REPO, outdir) });
  return { bin: path.join(outdir, 'labdesk.mjs'), metafile, outdir };
}

describe('the built CLI (dist/cli)', () => {
  it('prints the same --help and runs --json as src/ through tsx', async () => {
    const { bin } = await builtCli();
    const dev = { LABDESK_DEV: '1' };
    const [built, fromSource] = await Promise.all([node([bin, '--help']), node([LAUNCHER, '--help'], dev)]);
    expect(built.code).toBe(0);
    expect(built.stdout).toContain('Usage: labdesk');
    expect(built).toEqual(fromSource);

    const db = path.join(tempDir(), 'c.db');
    expect((await node([bin, 'index', copyFixture('realruns/lightning_project'), '--db', db, '--json'])).code).toBe(0);
    const runs = await node([bin, 'runs', '--json', '--db', db]);
    expect(runs.code).toBe(0);
    expect(JSON.parse(runs.stdout)).toHaveLength(8);
    expect(runs).toEqual(await node([LAUNCHER, 'runs', '--json', '--db', db], dev));
    // A user mistake reads the same too.
    expect(await node([bin, 'show', 'nope', '--db', db])).toEqual(await node([LAUNCHER, 'show', 'nope', '--db', db], dev));
  });

  it('loads no SQLite, format reader or server for --help, and no format reader for runs', async () => {
    const { metafile, outdir } = await builtCli();
    const outputs = metafile.outputs;
    const entry = Object.keys(outputs).find((f) => path.resolve(REPO, f) === path.join(outdir, 'labdesk.mjs'))!;
    const chunkOf = (source: string) => Object.keys(outputs).find((f) => outputs[f].entryPoint === source)!;
    /** What loading these chunks loads: their static imports, transitively (dynamic ones wait for use). */
    const loaded = (...chunks: string[]) => {
      const seen = new Set<string>();
      const external = new Set<string>();
      const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const imp of outputs[file].imports) {
          if (imp.kind !== 'import-statement') continue;
          if (imp.external) external.add(imp.path);
          else visit(imp.path);
        }
      };
      chunks.forEach(visit);
      return { packages: [...external].filter((p) => !p.startsWith('node:')).sort(), sources: [...seen].flatMap((f) => Object.keys(outputs[f].inputs)) };
    };
    const help = loaded(entry);
    expect(help.packages).toEqual(['commander']);
    expect(help.sources.filter((s) => /src\/(catalog\/db|core|server|formats|index)\b/.test(s))).toEqual([]);
    // `labdesk runs`: main → commands/runs-cmd → (withCore) core. SQLite yes; parsers and the watcher no.
    const runs = loaded(entry, chunkOf('src/cli/commands/runs-cmd.ts'), chunkOf('src/core.ts'));
    expect(runs.packages).toContain('better-sqlite3');
    expect(runs.packages.filter((p) => /yaml|protobufjs|csv-parse|streamparser|chokidar|yauzl|crc32/.test(p))).toEqual([]);
    expect(runs.sources.filter((s) => /src\/(formats|index\/indexer|watch)\b/.test(s))).toEqual([]);
  });
});

describe('whether the built CLI matches src/', () => {
  it('is current only for exactly the sources it was built from', () => {
    const root = tempDir();
    const srcDir = path.join(root, 'src');
    const builtDir = path.join(root, 'dist', 'cli');
    fs.mkdirSync(path.join(srcDir, 'cli'), { recursive: true });
    fs.mkdirSync(builtDir, { recursive: true });
    const main = path.join(srcDir, 'cli', 'main.ts');
    fs.writeFileSync(main, 'export {};\n');
    const stamp = () => fs.writeFileSync(path.join(builtDir, 'source-stamp.txt'), `${sourceFingerprint(srcDir)}\n`);
    const current = () => builtCliIsCurrent({ srcDir, builtDir });

    stamp();
    expect(current()).toBe(false); // no bundle yet
    fs.writeFileSync(path.join(builtDir, 'labdesk.mjs'), '');
    expect(current()).toBe(true);

    // An edit, even one restoring an older mtime (an editor's backup, `cp -p`, a checkout), is stale.
    const before = fs.statSync(main);
    fs.writeFileSync(main, 'export const x = 1;\n');
    fs.utimesSync(main, before.atime, new Date(before.mtimeMs - 60_000));
    expect(current()).toBe(false);
    stamp();
    expect(current()).toBe(true);

    fs.writeFileSync(path.join(srcDir, 'cli', 'new.ts'), '');
    expect(current()).toBe(false);
    stamp();
    fs.rmSync(path.join(srcDir, 'cli', 'new.ts'));
    expect(current()).toBe(false);
  });
});
