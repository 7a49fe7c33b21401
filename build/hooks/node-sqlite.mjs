/**
 * electron-builder's npmRebuild rebuilds node_modules/better-sqlite3 *in place* for Electron's ABI,
 * which would leave the CLI, web mode and tests (plain Node) unable to load it after `npm run dist`.
 * The beforeBuild hook saves the Node binary here; afterAllArtifactBuild puts it back.
 * If packaging was interrupted: `node build/hooks/node-sqlite.mjs restore` (or `npm rebuild better-sqlite3`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BINARY = path.join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const BACKUP = path.join(ROOT, '.cache', 'node-native', 'better_sqlite3.node');

/** True when plain Node (this process's runtime) can load the binary, i.e. it has Node's ABI. */
function loadsUnderNode(file) {
  if (!fs.existsSync(file)) return false;
  const probe = `process.dlopen({ exports: {} }, ${JSON.stringify(file)})`;
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore', env }).status === 0;
}

let saved = false;

/** Keeps a copy of the Node build (once per run: later platforms/arches see Electron builds). */
export function save() {
  if (saved) return;
  saved = true;
  if (!loadsUnderNode(BINARY)) return; // already not Node's (an interrupted run): keep the older backup
  fs.mkdirSync(path.dirname(BACKUP), { recursive: true });
  fs.copyFileSync(BINARY, BACKUP);
}

export function restore() {
  if (loadsUnderNode(BINARY)) return;
  if (fs.existsSync(BACKUP) && loadsUnderNode(BACKUP)) {
    fs.mkdirSync(path.dirname(BINARY), { recursive: true });
    fs.copyFileSync(BACKUP, BINARY);
    console.log('  • restored the Node build of better-sqlite3 in node_modules (for the CLI and tests)');
    return;
  }
  console.warn('  ⚠ node_modules/better-sqlite3 is built for Electron now; run `npm rebuild better-sqlite3` for the CLI and tests');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === 'restore') restore();
