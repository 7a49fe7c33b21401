// The fingerprint of the TypeScript core that a built CLI (dist/cli/) was made from. Plain JavaScript
// so that the launcher can check it before anything is compiled; shared with build/scripts/build-cli.mjs
// and the bench's CLI figure (hence in util/, below both cli/ and bench/).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SRC_DIR = path.join(REPO_ROOT, 'src');
export const BUILT_CLI_DIR = path.join(REPO_ROOT, 'dist', 'cli');
export const BUILT_CLI = path.join(BUILT_CLI_DIR, 'labdesk.mjs');

/**
 * Every file under `dir` with its size and mtime, hashed (FNV-1a): any edit, addition, removal or a
 * file restored with an older mtime changes it. One readdir walk plus one stat per file (~160 files).
 */
export function sourceFingerprint(dir = SRC_DIR) {
  const lines = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (st) lines.push(`${path.relative(dir, file)}\0${st.size}\0${st.mtimeMs}`);
  }
  lines.sort();
  let h = 0x811c9dc5;
  const text = lines.join('\n');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${lines.length}:${h.toString(16)}`;
}

/** True when dist/cli/ (or `builtDir`) holds a build of exactly the sources under src/ as they are now. */
export function builtCliIsCurrent({ srcDir = SRC_DIR, builtDir = BUILT_CLI_DIR } = {}) {
  let stamp;
  try {
    stamp = fs.readFileSync(path.join(builtDir, 'source-stamp.txt'), 'utf8').trim();
  } catch {
    return false;
  }
  return fs.existsSync(path.join(builtDir, 'labdesk.mjs')) && stamp === sourceFingerprint(srcDir);
}
