import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const UI_DIR = path.join(repo, 'dist', 'renderer');
const SOURCES = [path.join(repo, 'renderer'), path.join(repo, 'src', 'api')];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Makes sure the built UI is current, building it with Vite when it is missing or older than its
 * sources, so `labdesk serve` works straight after `npm ci` with no separate build step.
 */
export async function ensureUiBuilt(log: (line: string) => void): Promise<string> {
  const index = path.join(UI_DIR, 'index.html');
  const sourcesExist = fs.existsSync(SOURCES[0]);
  if (fs.existsSync(index) && (!sourcesExist || fs.statSync(index).mtimeMs >= Math.max(...SOURCES.map(newestMtime)))) {
    return UI_DIR;
  }
  if (!sourcesExist) throw new Error(`No UI build at ${UI_DIR} and no renderer sources to build it from.`);
  log('Building the UI (first start after install or a change; takes a few seconds)…');
  const { build } = await import('vite');
  await build({ configFile: path.join(repo, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  return UI_DIR;
}
