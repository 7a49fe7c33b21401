#!/usr/bin/env node
/**
 * Builds the `labdesk` CLI (and with it `labdesk serve`, the web-mode server) to plain JavaScript:
 * src/cli/main.ts → dist/cli/labdesk.mjs plus lazily loaded chunks beside it, so a call does not
 * compile the TypeScript core through tsx first. Run at `npm ci` (the `prepare` script).
 * src/cli/labdesk.mjs uses the build only while dist/cli/source-stamp.txt matches src/.
 *
 * Usage: node build/scripts/build-cli.mjs
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILT_CLI_DIR, REPO_ROOT, sourceFingerprint } from '../../src/util/source-stamp.mjs';

/**
 * Bundles the CLI into `outdir` (default dist/cli; relative to the repository, and two levels below it as
 * src/cli does). Resolves to the source fingerprint it was built from and esbuild's metafile.
 */
export async function buildCli({ outdir: out = BUILT_CLI_DIR } = {}) {
  const outdir = path.resolve(REPO_ROOT, out);
  if (path.relative(REPO_ROOT, outdir).split(path.sep).length !== 2) {
    throw new Error(`${outdir}: the CLI must be built two folder levels below ${REPO_ROOT}`);
  }
  const esbuild = await import('esbuild');
  // Taken before compiling: a source edited during the build leaves the build stale, as it should.
  const fingerprint = sourceFingerprint();
  const stamp = path.join(outdir, 'source-stamp.txt');
  // No stamp while files are replaced: a CLI started meanwhile takes the tsx path.
  fs.rmSync(stamp, { force: true });
  const result = await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: { labdesk: path.join(REPO_ROOT, 'src', 'cli', 'main.ts') },
    outdir,
    bundle: true,
    // Separate chunks keep `labdesk --help` from loading SQLite, the formats or the server.
    splitting: true,
    // Chunks sit beside the entry, two levels below the repo, as src/cli/*.ts do: the core's
    // `import.meta.url`-relative paths (package.json, dist/renderer) then resolve the same way.
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // npm and native packages load from node_modules at run time, exactly as under tsx.
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    metafile: true,
  });
  // Chunk names carry hashes: drop the previous build's, which nothing imports any more.
  const written = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(REPO_ROOT, f)));
  for (const name of fs.readdirSync(outdir)) {
    const file = path.join(outdir, name);
    if (!written.has(file)) fs.rmSync(file, { force: true });
  }
  fs.writeFileSync(stamp, `${fingerprint}\n`);
  return { fingerprint, metafile: result.metafile };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  try {
    await buildCli();
    console.log(`[build] cli → dist/cli ok (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && /esbuild/.test(err.message)) {
      // An install without dev dependencies: the CLI still works, through tsx.
      console.log('[build] cli skipped: esbuild is not installed; `labdesk` runs src/ through tsx');
    } else {
      console.error(`[build] cli FAILED: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    }
  }
}
