import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { createCore, type LabdeskCore } from '../src/core.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** CI clones the repo with `shared/` beside it. */
export const FIXTURES = path.resolve(REPO, '..', 'shared', 'fixtures');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A fresh temp folder, removed after the test. */
export function tempDir(prefix = 'labdesk-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => {
    // Tests may leave read-only copies of fixtures behind; make them removable.
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  });
  return dir;
}

/**
 * Copies a fixture (read-only in shared/) into a writable temp folder and returns the copy's path.
 * Timestamps are kept unless `freshTimes`: then every file looks just written, as after `cp -r` (and as
 * the fixtures themselves look on a CI machine that has just copied them).
 */
export function copyFixture(relative: string, options: { freshTimes?: boolean } = {}): string {
  const src = path.join(FIXTURES, relative);
  const dest = path.join(tempDir(), path.basename(relative));
  fs.cpSync(src, dest, { recursive: true, preserveTimestamps: !options.freshTimes });
  makeWritable(dest);
  return dest;
}

function makeWritable(p: string): void {
  const st = fs.statSync(p);
  fs.chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
  if (st.isDirectory()) for (const name of fs.readdirSync(p)) makeWritable(path.join(p, name));
}

/** A core on a fresh catalog file, closed after the test. */
export async function tempCore(options: { watch?: boolean } = {}): Promise<LabdeskCore> {
  const core = await createCore({ dbPath: path.join(tempDir(), 'catalog.db'), ...options });
  cleanups.push(() => core.close());
  return core;
}

/** Registers extra cleanup work. */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}
