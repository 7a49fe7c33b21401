import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { badRequest, needsConfirm } from '../api/errors.js';
import { folderRefusal } from './system-folders.js';

/**
 * Validates a folder the user typed or picked; the message says what to fix. System folders are
 * refused, a home folder needs `confirm` (indexing all of it walks caches and installed packages).
 */
export function checkFolder(input: string, options: { confirm?: boolean } = {}): string {
  if (typeof input !== 'string') throw badRequest('Give the folder as a path string, e.g. {"path": "/home/ann/project"}.');
  if (!input || !input.trim()) throw badRequest('Type the path of a folder to add.');
  const abs = path.resolve(input.trim().replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~'));
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw badRequest(`No folder at ${abs}. Check the path (it must exist on this computer) and try again.`);
  }
  if (!st.isDirectory()) throw badRequest(`${abs} is a file, not a folder. Add the folder that contains your runs.`);
  try {
    fs.accessSync(abs, fs.constants.R_OK | fs.constants.X_OK);
  } catch {
    throw badRequest(`Labdesk cannot read ${abs} (permission denied). Check its permissions and try again.`);
  }
  const real = fs.realpathSync(abs);
  const refusal = folderRefusal(real, process.platform, homeFolders());
  if (refusal?.kind === 'system') {
    throw badRequest(`${real} is a system folder; Labdesk does not index it. Add the project folder that holds your runs instead.`);
  }
  if (refusal?.kind === 'home' && !options.confirm) {
    throw needsConfirm(
      `${real} is a home folder: indexing all of it is slow and finds caches and installed packages. ` +
        'Pick a project folder inside it, or confirm that you want all of it indexed.',
    );
  }
  return real;
}

/** The user's home folder as configured and as resolved through links. */
function homeFolders(): string[] {
  const homes = [os.homedir(), process.env.HOME ?? ''].filter(Boolean);
  return [...homes, ...homes.map((h) => {
    try {
      return fs.realpathSync(h);
    } catch {
      return h;
    }
  })];
}
