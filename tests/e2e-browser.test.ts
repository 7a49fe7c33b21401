import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBrowser, findBrowser, installPlan, type InstallStep } from './e2e/find-browser.mjs';
import { tempDir } from './helpers.js';

/** A fake browser: an executable file (never run) at `dir/...parts`. */
function fakeExe(dir: string, ...parts: string[]): string {
  const file = path.join(dir, ...parts);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return file;
}

/** An isolated machine: nothing in its system paths, PATH, home or Playwright cache until a test puts it there. */
function machine() {
  const root = tempDir('labdesk-browser-');
  const home = path.join(root, 'home');
  const bin = path.join(root, 'bin');
  fs.mkdirSync(home);
  fs.mkdirSync(bin);
  const find = { env: { PATH: bin } as Record<string, string | undefined>, platform: 'linux' as const, home, systemPaths: [path.join(root, 'usr-bin', 'chromium')] };
  return { root, home, bin, find };
}

describe('finding a Chromium for the end-to-end tests', () => {
  it('takes LABDESK_CHROMIUM first, then the system package, then PATH, then Playwright’s cache', () => {
    const m = machine();
    expect(findBrowser(m.find).path).toBeNull();

    const cached = fakeExe(m.home, '.cache', 'ms-playwright', 'chromium-1255', 'chrome-linux64', 'chrome');
    fakeExe(m.home, '.cache', 'ms-playwright', 'chromium-1100', 'chrome-linux', 'chrome');
    expect(findBrowser(m.find)).toEqual({ path: cached, source: "Playwright's browser cache" });

    const onPath = fakeExe(m.bin, 'chromium');
    expect(findBrowser(m.find)).toEqual({ path: onPath, source: 'PATH' });

    const system = fakeExe(path.dirname(m.find.systemPaths[0]), 'chromium');
    expect(findBrowser(m.find)).toEqual({ path: system, source: 'system package' });

    const chosen = fakeExe(m.root, 'my', 'chrome');
    expect(findBrowser({ ...m.find, env: { ...m.find.env, LABDESK_CHROMIUM: chosen } })).toEqual({ path: chosen, source: 'LABDESK_CHROMIUM' });
  });

  it('skips files that are not executable and says where it looked', () => {
    const m = machine();
    fs.writeFileSync(path.join(m.bin, 'chromium'), 'not a program', { mode: 0o644 });
    fs.mkdirSync(path.join(m.bin, 'chromium-browser'));
    const found = findBrowser(m.find);
    expect(found.path).toBeNull();
    expect(found).toMatchObject({ looked: ['$LABDESK_CHROMIUM', m.find.systemPaths[0], 'chromium on $PATH', path.join(m.home, '.cache', 'ms-playwright')] });
  });

  it('refuses a LABDESK_CHROMIUM that is not there instead of silently using another browser', () => {
    const m = machine();
    fakeExe(m.bin, 'chromium');
    const missing = path.join(m.root, 'nope', 'chrome');
    expect(() => findBrowser({ ...m.find, env: { ...m.find.env, LABDESK_CHROMIUM: missing } })).toThrow(`LABDESK_CHROMIUM is ${missing}`);
  });

  it('honours PLAYWRIGHT_BROWSERS_PATH and the macOS cache layout', () => {
    const m = machine();
    const custom = path.join(m.root, 'browsers');
    const exe = fakeExe(custom, 'chromium-1255', 'chrome-linux64', 'chrome');
    expect(findBrowser({ ...m.find, env: { ...m.find.env, PLAYWRIGHT_BROWSERS_PATH: custom } }).path).toBe(exe);

    const mac = fakeExe(m.home, 'Library', 'Caches', 'ms-playwright', 'chromium-1255', 'chrome-mac-arm64', 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing');
    expect(findBrowser({ ...m.find, platform: 'darwin' }).path).toBe(mac);
  });
});

describe('getting a Chromium when there is none', () => {
  it('installs Debian’s package as root on Debian, and Playwright’s download elsewhere', () => {
    expect(installPlan({ platform: 'linux', isRoot: true, isDebian: true }).steps.map((s) => [s.command, ...s.args])).toEqual([
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', 'chromium'],
    ]);
    for (const other of [
      { platform: 'linux', isRoot: false, isDebian: true },
      { platform: 'linux', isRoot: true, isDebian: false },
      { platform: 'darwin', isRoot: false, isDebian: false },
    ] as const) {
      const plan = installPlan(other);
      expect(plan.describe).toBe('npx playwright install chromium');
      expect(plan.steps).toHaveLength(1);
      expect(plan.steps[0].command).toBe(process.execPath);
      expect(plan.steps[0].args.slice(-2)).toEqual(['install', 'chromium']);
      expect(path.basename(plan.steps[0].args[0])).toBe('cli.js');
    }
  });

  it('runs the plan only when nothing is found, says so on stdout, and then uses what it installed', () => {
    const m = machine();
    const plan = installPlan({ platform: 'darwin', isRoot: false, isDebian: false });
    const ran: InstallStep[] = [];
    const lines: string[] = [];
    let installed = '';
    // The "install" puts a browser into Playwright's cache, as the real one would; nothing is downloaded.
    const run = (step: InstallStep) => {
      ran.push(step);
      installed = fakeExe(m.home, '.cache', 'ms-playwright', 'chromium-1255', 'chrome-linux64', 'chrome');
      return true;
    };
    expect(ensureBrowser({ find: m.find, plan, run, log: (l) => lines.push(l) })).toBe(installed);
    expect(ran).toEqual(plan.steps);
    expect(lines[1]).toBe('Installing one: npx playwright install chromium');
    expect(lines.at(-1)).toBe(`Chromium for the end-to-end tests: ${installed} (Playwright's browser cache)`);

    // Now found: nothing more is installed.
    ran.length = 0;
    expect(ensureBrowser({ find: m.find, plan, run, log: () => {} })).toBe(installed);
    expect(ran).toEqual([]);
  });

  it('fails with a clear message when the install fails or leaves no browser', () => {
    const m = machine();
    const plan = installPlan({ platform: 'linux', isRoot: true, isDebian: true });
    expect(() => ensureBrowser({ find: m.find, plan, run: () => false, log: () => {} })).toThrow('`apt-get update && apt-get install -y chromium` failed');
    expect(() => ensureBrowser({ find: m.find, plan, run: () => true, log: () => {} })).toThrow('finished but no Chromium is found');
  });
});
