#!/usr/bin/env node
/**
 * Builds better-sqlite3 once for the installed Electron's ABI, into
 *   .cache/electron-native/<electron-version>/better_sqlite3.node
 * without touching node_modules, which keeps the Node build the CLI, web mode and tests load.
 * The desktop app (dev only) loads the cached file through CoreOptions.nativeBinding; packaged apps
 * don't need it because electron-builder rebuilds node_modules for Electron.
 *
 * Tries better-sqlite3's own prebuilt binary for Electron first (prebuild-install, from GitHub
 * releases: no compiler needed), then compiles from source with node-gyp against Electron's headers
 * (needs a C++ toolchain and https://electronjs.org/headers).
 *
 * Usage: node build/scripts/electron-native.mjs [--force]   (prints the binding's path)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const ELECTRON_HEADERS = 'https://electronjs.org/headers';

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
export const installedElectronVersion = () => readJson(require.resolve('electron/package.json')).version;
const betterSqliteDir = () => path.dirname(require.resolve('better-sqlite3/package.json'));

export const cachedBindingPath = (electronVersion) =>
  path.join(REPO_ROOT, '.cache', 'electron-native', electronVersion, 'better_sqlite3.node');

/**
 * npm exports its config to scripts as npm_config_*; a `nodedir`, `target` or `runtime` there would
 * silently make node-gyp/prebuild-install build for Node instead of Electron.
 */
function cleanEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|platform|build_from_source)$/i.test(key)) delete env[key];
  }
  return env;
}

function run(label, command, args, cwd, { quiet = false } = {}) {
  // .cmd shims (npx on Windows) can only be spawned through a shell.
  const shell = command.endsWith('.cmd');
  const result = spawnSync(command, args, { cwd, env: cleanEnv(), shell, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (result.status === 0) return { ok: true };
  const output = quiet ? `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() : '';
  const why = result.error ? result.error.message : `exit code ${result.status ?? result.signal}`;
  return { ok: false, message: `${label} failed (${why})${output ? `:\n${output.split('\n').slice(-15).join('\n')}` : ''}` };
}

/** node-gyp: the project's copy, else the one npm ships (npm tells scripts where), else npx. */
function nodeGypCommand() {
  const candidates = [];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed in the project
  }
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  const nodeDir = path.dirname(process.execPath);
  candidates.push(
    path.join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(nodeDir, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  );
  const found = candidates.find((file) => file.endsWith('.js') && fs.existsSync(file));
  if (found) return { command: process.execPath, prefix: [found] };
  return { command: process.platform === 'win32' ? 'npx.cmd' : 'npx', prefix: ['--yes', 'node-gyp'] };
}

/**
 * Produces better_sqlite3.node for one runtime in a scratch copy of the package and returns its bytes.
 * `runtime`/`target`/`distUrl` are node-gyp's; exported so the pipeline can be exercised for Node too.
 */
export function buildBetterSqlite({ runtime, target, distUrl, extraGypArgs = [], tryPrebuilt = true, log = console.error }) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'labdesk-native-'));
  const pkgDir = path.join(scratch, 'better-sqlite3');
  try {
    // Copy sources only: node_modules' own build/ is the Node one and must stay untouched.
    const source = betterSqliteDir();
    fs.cpSync(source, pkgDir, {
      recursive: true,
      filter: (file) => {
        const rel = path.relative(source, file);
        return rel !== 'build' && rel !== 'node_modules';
      },
    });
    const built = path.join(pkgDir, 'build', 'Release', 'better_sqlite3.node');
    const failures = [];

    if (tryPrebuilt) {
      const prebuildBin = createRequire(path.join(source, 'package.json')).resolve('prebuild-install/bin.js');
      const args = [prebuildBin, `--runtime=${runtime}`, `--target=${target}`, `--arch=${process.arch}`, `--platform=${process.platform}`];
      const result = run('prebuild-install', process.execPath, args, pkgDir, { quiet: true });
      if (result.ok && fs.existsSync(built)) return fs.readFileSync(built);
      failures.push(result.ok ? 'prebuild-install produced no binary' : result.message);
      log(`[native] no prebuilt better-sqlite3 for ${runtime} ${target}; compiling from source (takes a minute or two)…`);
    }

    const gyp = nodeGypCommand();
    const args = [...gyp.prefix, 'rebuild', '--release', `--runtime=${runtime}`, `--target=${target}`, `--arch=${process.arch}`, '--jobs=max'];
    if (distUrl) args.push(`--dist-url=${distUrl}`);
    args.push(...extraGypArgs);
    const result = run('node-gyp rebuild', gyp.command, args, pkgDir);
    if (result.ok && fs.existsSync(built)) return fs.readFileSync(built);
    failures.push(result.ok ? 'node-gyp produced no binary' : result.message);
    throw new Error(failures.join('\n'));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Returns the cached Electron-ABI binding, building it first when missing or when better-sqlite3
 * was upgraded since (its JS and native halves must match).
 */
export function ensureElectronSqlite({ electronVersion = installedElectronVersion(), force = false, log = console.error } = {}) {
  const out = cachedBindingPath(electronVersion);
  const stampFile = path.join(path.dirname(out), 'better_sqlite3.json');
  const stamp = {
    betterSqlite3: readJson(path.join(betterSqliteDir(), 'package.json')).version,
    electron: electronVersion,
    platform: process.platform,
    arch: process.arch,
  };
  if (!force && fs.existsSync(out) && fs.existsSync(stampFile)) {
    const previous = readJson(stampFile);
    if (Object.entries(stamp).every(([key, value]) => previous[key] === value)) return out;
  }
  log(`[native] building better-sqlite3 ${stamp.betterSqlite3} for Electron ${electronVersion} (${process.platform}-${process.arch})…`);
  const bytes = buildBetterSqlite({ runtime: 'electron', target: electronVersion, distUrl: ELECTRON_HEADERS, log });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Write then rename, so an interrupted build never leaves a half-written binding behind.
  fs.writeFileSync(`${out}.tmp`, bytes);
  fs.renameSync(`${out}.tmp`, out);
  fs.writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
  log(`[native] wrote ${path.relative(REPO_ROOT, out)}`);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(ensureElectronSqlite({ force: process.argv.includes('--force') }));
  } catch (err) {
    console.error(`[native] could not build better-sqlite3 for Electron:\n${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
