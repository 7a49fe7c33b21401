/**
 * A real `labdesk serve` per test: a temp dir with a fresh catalog and a copy of the fixture runs
 * (never the shared originals), the server on a free port, killed when the test ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, type Page } from '@playwright/test';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// CI clones the repo with shared/ beside it, so fixtures are found relative to the repo.
const fixturesDir = path.resolve(repoRoot, '../shared/fixtures');

export interface LabdeskServer {
  /** The server's address (the tests' baseURL), without the session token. */
  url: string;
  /** The link `labdesk serve` printed: the address with `?token=…`, which opens a session. */
  openUrl: string;
  /** The session token, for raw API calls (`Authorization: Bearer …`). */
  token: string;
  /** The temp dir holding the catalog and fixture copies. */
  dir: string;
  /** Copies a fixture folder (relative to shared/fixtures) into the temp dir; returns its path. */
  copyFixture(relative: string): string;
}

function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`labdesk serve printed no URL within ${timeoutMs} ms.\nstdout:\n${out}\nstderr:\n${err}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Labdesk is serving on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`labdesk serve exited with ${code} before serving.\nstdout:\n${out}\nstderr:\n${err}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * `labdesk serve` on a free port for the catalog at `dbPath`; `stopServe` ends it. `url` resolves to
 * the link it printed (token included): `page.goto(link)` opens a session, then lands on the UI.
 */
export function startServe(dbPath: string, env: NodeJS.ProcessEnv = {}): { child: ChildProcess; url: Promise<string> } {
  // LABDESK_CLI points the tests at another build of the CLI (an installed one, say).
  const cli = process.env.LABDESK_CLI || path.join(repoRoot, 'src/cli/labdesk.mjs');
  const child = spawn(process.execPath, [cli, 'serve', '--db', dbPath, '--port', '0'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, url: waitForUrl(child, 30_000) };
}

export { stop as stopServe };

// Each test gets its own server and catalog: tests start from an empty catalog, whatever ran before.
export const test = base.extend<{ labdesk: LabdeskServer }>({
  labdesk: [
    // Playwright reads a fixture's dependencies from this destructuring: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'labdesk-e2e-'));
      const { child, url: serving } = startServe(path.join(dir, 'catalog.db'));
      try {
        const openUrl = await serving;
        const link = new URL(openUrl);
        await use({
          url: new URL('/', link).href,
          openUrl,
          token: link.searchParams.get('token') ?? '',
          dir,
          copyFixture(relative) {
            const from = path.join(fixturesDir, relative);
            if (!existsSync(from)) throw new Error(`Fixture ${from} is missing: is shared/ beside the repo?`);
            const to = path.join(dir, path.basename(relative));
            cpSync(from, to, { recursive: true, preserveTimestamps: true });
            return to;
          },
        });
      } finally {
        await stop(child);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    { scope: 'test' },
  ],
  baseURL: async ({ labdesk }, use) => use(labdesk.url),
  // Every page starts as a user does: by opening the printed link, which sets the session cookie
  // (shared with page.request, so `call` is authorised too).
  page: async ({ page, labdesk }, use) => {
    await page.goto(labdesk.openUrl);
    await use(page);
  },
});

export { expect } from '@playwright/test';

/** Saves a screenshot of the page to tests/e2e/screenshots/<name>.png, for a person to look at. */
export const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(repoRoot, 'tests/e2e/screenshots', `${name}.png`), fullPage: false });

/** Adds a folder the way a user does: the Add folder dialog, with its path typed in. */
export async function addFolderInUi(page: Page, folder: string): Promise<void> {
  await page.getByRole('button', { name: 'Add folder', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a folder' });
  await dialog.getByRole('textbox', { name: 'Folder path' }).fill(folder);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Calls the server's API the way the web UI does; an error reply throws with its message. */
export async function call<T>(page: Page, method: string, args: unknown): Promise<T> {
  const res = await page.request.post(`api/${method}`, { data: args, headers: { 'content-type': 'application/json' } });
  const body = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value;
}
