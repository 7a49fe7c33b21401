/**
 * What the desktop app opens: the catalog file, folders named on the command line, and which
 * better-sqlite3 binary to load under Electron's ABI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultCatalogPath } from '../../src/app-paths.js';

export interface LaunchArgs {
  /** From `--db FILE` / `--db=FILE`; undefined when not given. */
  db: string | undefined;
  /** Positional arguments: folders to add as roots, resolved against `cwd`. */
  folders: string[];
}

/** Electron's argv starts with the executable, plus the app folder in dev (`electron .`). */
export const ownArgs = (argv: readonly string[], isDefaultApp: boolean): string[] => argv.slice(isDefaultApp ? 2 : 1);

/** Reads our own flags; other dashed arguments are Chromium/Electron switches and are left alone. */
export function parseLaunchArgs(args: readonly string[], cwd: string): LaunchArgs {
  let db: string | undefined;
  const folders: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--db' && i + 1 < args.length) db = path.resolve(cwd, args[++i]!);
    else if (arg.startsWith('--db=')) db = path.resolve(cwd, arg.slice('--db='.length));
    else if (!arg.startsWith('-')) folders.push(path.resolve(cwd, arg));
  }
  return { db, folders };
}

/** `--db`, else LABDESK_DB, else the per-user catalog the CLI uses too (so both see the same runs). */
export function catalogPath(args: LaunchArgs, env: NodeJS.ProcessEnv): string {
  return args.db ?? (env.LABDESK_DB ? path.resolve(env.LABDESK_DB) : defaultCatalogPath());
}

/** Where build/scripts/electron-native.mjs puts the better-sqlite3 build for one Electron version. */
export const electronNativeCachePath = (appRoot: string, electronVersion: string): string =>
  path.join(appRoot, '.cache', 'electron-native', electronVersion, 'better_sqlite3.node');

/**
 * The better-sqlite3 binding to load, or undefined for node_modules' own build.
 * Packaged: electron-builder rebuilt node_modules for Electron, and a signed app must not load native
 * code named by an environment variable. Dev: node_modules holds the Node build (for CLI and tests),
 * so use LABDESK_SQLITE_BINDING (set by `npm start`) or the cached Electron build.
 */
export function sqliteBindingFor(opts: {
  isPackaged: boolean;
  appRoot: string;
  electronVersion: string;
  env: NodeJS.ProcessEnv;
}): string | undefined {
  if (opts.isPackaged) return undefined;
  if (opts.env.LABDESK_SQLITE_BINDING) return path.resolve(opts.env.LABDESK_SQLITE_BINDING);
  const cached = electronNativeCachePath(opts.appRoot, opts.electronVersion);
  return fs.existsSync(cached) ? cached : undefined;
}

/** Turns the classic ABI-mismatch failure into a sentence that says how to fix it. */
export function explainOpenFailure(err: unknown, electronVersion: string): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/NODE_MODULE_VERSION|compiled against a different Node\.js version|invalid ELF header|not a valid Win32/i.test(message)) {
    return (
      `better-sqlite3 is not built for Electron ${electronVersion}.\n` +
      'Run `node build/scripts/electron-native.mjs` (npm start does this for you), then start again.\n\n' +
      message
    );
  }
  return message;
}
