#!/usr/bin/env node
/**
 * Builds everything the desktop app and web mode load:
 *   renderer/ → dist/renderer/ (Vite), electron/main → dist/electron/main.cjs, electron/preload →
 *   dist/electron/preload.cjs (esbuild). The two halves are independent: a renderer failure still
 * leaves fresh Electron bundles (and vice versa), and the exit code reports any failure.
 *
 * Usage: node build/scripts/build.mjs [--electron-only | --renderer-only]
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT_DIR = path.join(REPO_ROOT, 'dist', 'electron');

/** Vite via its JS API, with the renderer's own config (which already targets dist/renderer). */
export async function buildRenderer() {
  const { build } = await import('vite');
  await build({ configFile: path.join(REPO_ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

const COMMON = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: REPO_ROOT,
};

/** esbuild options of the main-process bundle, less its entry and output (tests bundle other entries the same way). */
export const ELECTRON_MAIN_OPTIONS = {
  ...COMMON,
  // Native packages load their .node files from node_modules at run time: better-sqlite3
  // (rebuilt for Electron when packaged), @node-rs/* (N-API, one per-platform package), and
  // fsevents, chokidar's optional macOS dependency.
  external: ['electron', 'better-sqlite3', '@node-rs/*', 'fsevents'],
  // src/ is ESM: keep `import.meta.url`/`dirname` meaningful after conversion to CommonJS.
  define: { 'import.meta.url': '__labdesk_import_meta_url', 'import.meta.dirname': '__dirname' },
  // "use strict" first: the banner would otherwise push esbuild's own directive out of the prologue.
  banner: { js: '"use strict";\nconst __labdesk_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
};

/** Main and preload as CommonJS bundles: src/ TypeScript is compiled in, native/optional deps stay external. */
export async function buildElectron() {
  const esbuild = await import('esbuild');
  await Promise.all([
    esbuild.build({
      ...ELECTRON_MAIN_OPTIONS,
      entryPoints: [path.join(REPO_ROOT, 'electron', 'main', 'index.ts')],
      outfile: path.join(OUT_DIR, 'main.cjs'),
    }),
    esbuild.build({
      ...COMMON,
      // A sandboxed preload may require only 'electron' (and a few polyfilled builtins): bundle the rest.
      entryPoints: [path.join(REPO_ROOT, 'electron', 'preload', 'index.ts')],
      outfile: path.join(OUT_DIR, 'preload.cjs'),
      external: ['electron'],
    }),
  ]);
}

/** Runs both halves; resolves to the list of parts that failed (empty on success). */
export async function buildAll({ renderer = true, electron = true } = {}) {
  const failed = [];
  const step = async (name, fn) => {
    const started = Date.now();
    try {
      await fn();
      console.log(`[build] ${name} ok (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    } catch (err) {
      failed.push(name);
      console.error(`[build] ${name} FAILED: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  if (renderer) await step('renderer → dist/renderer', buildRenderer);
  if (electron) await step('electron → dist/electron', buildElectron);
  return failed;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = new Set(process.argv.slice(2));
  const failed = await buildAll({
    renderer: !args.has('--electron-only'),
    electron: !args.has('--renderer-only'),
  });
  process.exitCode = failed.length ? 1 : 0;
}
