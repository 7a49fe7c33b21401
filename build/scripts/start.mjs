#!/usr/bin/env node
/**
 * `npm start [-- ARGS]`: builds, then opens the desktop app, or web mode when Electron cannot run here.
 *
 * Electron ≥ 45 no longer downloads its binary at `npm install`: the first `require('electron')`
 * does it silently. So this script never requires 'electron'; it reads the install's path.txt and,
 * when the binary is missing, asks before downloading (TTY) or goes straight to web mode (CI, pipes).
 *
 * ARGS are forwarded to both modes: `--db FILE` and folder paths to add.
 * `--web` forces web mode.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline/promises';
import { REPO_ROOT, buildAll } from './build.mjs';
import { ensureElectronSqlite } from './electron-native.mjs';

const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const CLI = path.join(REPO_ROOT, 'src', 'cli', 'labdesk.mjs');

/** The Electron executable, or why there is none. Mirrors node_modules/electron/index.js minus its download. */
function findElectron() {
  let dir;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed; run npm ci' };
  }
  const pathFile = path.join(dir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const exe = path.join(override, relative || 'electron');
    return fs.existsSync(exe) ? { exe, dir } : { dir, reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${path.basename(exe)}` };
  }
  if (!relative) return { dir, reason: 'the binary download was skipped or has not happened yet' };
  const exe = path.join(dir, 'dist', relative);
  return fs.existsSync(exe) ? { exe, dir } : { dir, reason: `${path.relative(REPO_ROOT, exe)} is missing` };
}

/** Electron on Linux needs a display server; over SSH or in a container there is none. */
function missingDisplay() {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return null;
  return '$DISPLAY and $WAYLAND_DISPLAY are unset';
}

const interactive = () => Boolean(process.stdin.isTTY && process.stdout.isTTY);

async function askYesNo(question) {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Runs Electron's own installer; ELECTRON_SKIP_BINARY_DOWNLOAD would make it a no-op, so drop it. */
function downloadElectron(electronDir) {
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: 'inherit', env });
  return result.status === 0;
}

/** Runs a child in the foreground and exits with its code; Ctrl+C reaches it through the terminal. */
function runForeground(command, args, env) {
  const child = spawn(command, args, { stdio: 'inherit', env, cwd: REPO_ROOT });
  const forward = (signal) => {
    if (child.exitCode === null) child.kill(signal);
  };
  // A terminal already sends SIGINT to the whole process group; forward it only when it was aimed at us.
  process.on('SIGINT', () => (interactive() ? undefined : forward('SIGINT')));
  process.on('SIGTERM', () => forward('SIGTERM'));
  process.on('SIGHUP', () => forward('SIGHUP'));
  child.on('error', (err) => {
    console.error(`[start] could not run ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startWeb(reason, args) {
  // The link `labdesk serve` prints carries the session token; the bare address only says to open it.
  if (reason) console.log(`[start] ${reason}; starting web mode instead — open the link it prints below (with ?token=…).`);
  if (!fs.existsSync(CLI)) {
    console.error(`[start] web mode needs ${path.relative(REPO_ROOT, CLI)}, which does not exist.`);
    process.exit(1);
  }
  runForeground(process.execPath, [CLI, 'serve', ...args], process.env);
}

function startElectron(exe, args) {
  let binding;
  try {
    binding = ensureElectronSqlite();
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return startWeb("better-sqlite3 could not be built for Electron's ABI (see above)", args);
  }
  const env = { ...process.env, LABDESK_SQLITE_BINDING: binding };
  // Set in a shell, this would make Electron behave as plain Node and ignore our app.
  delete env.ELECTRON_RUN_AS_NODE;
  runForeground(exe, [REPO_ROOT, ...args], env);
}

async function main() {
  const argv = process.argv.slice(2);
  const args = argv.filter((arg) => arg !== '--web');

  const failed = await buildAll();
  if (failed.length) {
    console.error(`[start] build failed (${failed.join(', ')}); fix the errors above and run npm start again.`);
    process.exit(1);
  }

  if (argv.includes('--web')) return startWeb(null, args);

  let electron = findElectron();
  const notInstalled = `Electron's binary is not installed (${electron.reason})`;
  // No point offering a 100 MB download that could not open a window anyway.
  const display = missingDisplay();
  if (display) {
    const why = electron.exe ? 'Electron cannot open a window here' : `${notInstalled}, and there is no display`;
    return startWeb(`${why} (${display})`, args);
  }
  if (electron.exe) return startElectron(electron.exe, args);

  if (!interactive() || !electron.dir) {
    return startWeb(`${notInstalled}; run \`npx install-electron\` to fetch it`, args);
  }
  const host = process.env.ELECTRON_MIRROR || 'github.com/electron/electron/releases';
  const yes = await askYesNo(`${notInstalled}. Download it now (about 100 MB from ${host})? [y/N] `);
  if (!yes) return startWeb(`${notInstalled}; download declined`, args);
  if (!downloadElectron(electron.dir)) {
    return startWeb(`${notInstalled}; the download failed (needs access to ${host}; set ELECTRON_MIRROR to use a mirror)`, args);
  }
  electron = findElectron();
  if (electron.exe) return startElectron(electron.exe, args);
  return startWeb(`${notInstalled}; still missing after download (${electron.reason})`, args);
}

await main();
