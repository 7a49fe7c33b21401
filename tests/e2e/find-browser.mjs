// The Chromium the end-to-end tests drive, and how a fresh machine gets one. Used by tests/run-all.mjs
// (which may install one) and by playwright.config.ts (which only looks). Every input — environment,
// platform, folders, the command runner — is an option, so the resolution order is unit-tested
// (tests/e2e-browser.test.ts) without touching this machine's browsers or the network.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** Debian's package (what .ci/run installs). */
export const SYSTEM_CHROMIUM = ['/usr/bin/chromium'];
const PATH_NAMES = ['chromium', 'chromium-browser'];

/** Where a Playwright build sits inside `<cache>/chromium-<revision>/`, newest layouts first. */
const PLAYWRIGHT_LAYOUTS = {
  linux: [['chrome-linux64', 'chrome'], ['chrome-linux-arm64', 'chrome'], ['chrome-linux', 'chrome']],
  darwin: [
    ['chrome-mac-arm64', 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing'],
    ['chrome-mac-x64', 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing'],
    ['chrome-mac', 'Chromium.app', 'Contents', 'MacOS', 'Chromium'],
  ],
  win32: [['chrome-win64', 'chrome.exe'], ['chrome-win', 'chrome.exe']],
};

function isExecutableFile(file, platform) {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Playwright's browser cache: PLAYWRIGHT_BROWSERS_PATH, else its per-platform default. */
export function playwrightCacheDir({ env = process.env, platform = process.platform, home = os.homedir() } = {}) {
  if (env.PLAYWRIGHT_BROWSERS_PATH && env.PLAYWRIGHT_BROWSERS_PATH !== '0') return env.PLAYWRIGHT_BROWSERS_PATH;
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'ms-playwright');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'ms-playwright');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'ms-playwright');
}

function inPlaywrightCache(cacheDir, platform) {
  let revisions;
  try {
    revisions = fs.readdirSync(cacheDir).filter((name) => /^chromium-\d+$/.test(name));
  } catch {
    return null;
  }
  revisions.sort((a, b) => Number(b.slice(9)) - Number(a.slice(9))); // newest first
  for (const dir of revisions) {
    for (const layout of PLAYWRIGHT_LAYOUTS[platform] ?? PLAYWRIGHT_LAYOUTS.linux) {
      const exe = path.join(cacheDir, dir, ...layout);
      if (isExecutableFile(exe, platform)) return exe;
    }
  }
  return null;
}

/**
 * The browser to use, in order: LABDESK_CHROMIUM (which must then exist), Debian's /usr/bin/chromium,
 * chromium on PATH, Playwright's own cache. `null` when there is none; `looked` lists where it looked.
 * @returns {{ path: string, source: string } | { path: null, looked: string[] }}
 */
export function findBrowser({ env = process.env, platform = process.platform, home = os.homedir(), systemPaths = SYSTEM_CHROMIUM } = {}) {
  if (env.LABDESK_CHROMIUM) {
    if (isExecutableFile(env.LABDESK_CHROMIUM, platform)) return { path: env.LABDESK_CHROMIUM, source: 'LABDESK_CHROMIUM' };
    // A wrong explicit choice is a mistake to report, not something to paper over with another browser.
    throw new Error(`LABDESK_CHROMIUM is ${env.LABDESK_CHROMIUM}, which is not an executable file.`);
  }
  for (const file of platform === 'win32' ? [] : systemPaths) {
    if (isExecutableFile(file, platform)) return { path: file, source: 'system package' };
  }
  const names = platform === 'win32' ? PATH_NAMES.map((n) => `${n}.exe`) : PATH_NAMES;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const file = path.join(dir, name);
      if (isExecutableFile(file, platform)) return { path: file, source: 'PATH' };
    }
  }
  const cache = playwrightCacheDir({ env, platform, home });
  const cached = inPlaywrightCache(cache, platform);
  if (cached) return { path: cached, source: "Playwright's browser cache" };
  return { path: null, looked: ['$LABDESK_CHROMIUM', ...(platform === 'win32' ? [] : systemPaths), 'chromium on $PATH', cache] };
}

/**
 * How this machine gets a Chromium: Debian's package when running as root on Debian, otherwise
 * Playwright's download (the one Playwright expects, into its cache).
 * @returns {{ describe: string, steps: { command: string, args: string[], env?: Record<string, string> }[] }}
 */
export function installPlan({ platform = process.platform, isRoot = process.getuid?.() === 0, isDebian = fs.existsSync('/etc/debian_version') } = {}) {
  if (platform === 'linux' && isRoot && isDebian) {
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    return {
      describe: 'apt-get update && apt-get install -y chromium',
      steps: [
        { command: 'apt-get', args: ['update'], env },
        { command: 'apt-get', args: ['install', '-y', 'chromium'], env },
      ],
    };
  }
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  return { describe: 'npx playwright install chromium', steps: [{ command: process.execPath, args: [cli, 'install', 'chromium'] }] };
}

/** Runs one step in the foreground; true when it exited 0. */
function runStep({ command, args, env }) {
  const r = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

/**
 * A browser for the end-to-end tests, installing one the platform's way when none is found, and
 * saying on stdout what it found or does. Throws when there is still none afterwards.
 */
export function ensureBrowser({ find = {}, plan, run = runStep, log = (line) => process.stdout.write(`${line}\n`) } = {}) {
  let found = findBrowser(find);
  if (!found.path) {
    log(`No Chromium for the end-to-end tests (looked at: ${found.looked.join(', ')}).`);
    plan ??= installPlan();
    log(`Installing one: ${plan.describe}`);
    for (const step of plan.steps) {
      if (!run(step)) throw new Error(`\`${plan.describe}\` failed. Install Chromium yourself, or set LABDESK_CHROMIUM to a Chromium or Chrome binary.`);
    }
    found = findBrowser(find);
    if (!found.path) throw new Error(`\`${plan.describe}\` finished but no Chromium is found; set LABDESK_CHROMIUM to one.`);
  }
  log(`Chromium for the end-to-end tests: ${found.path} (${found.source})`);
  return found.path;
}
