import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ImportFile } from '../api/contract.js';
import { badRequest } from '../api/errors.js';

/** Id of one import: hex, so it is safe as a folder name. */
const IMPORT_ID = /^[0-9a-f]{16}$/;

/**
 * Copies of folders dropped on the web UI, which cannot hand over a path: each import is written
 * below Labdesk's own imports folder (beside the catalog) as `<imports>/<id>/<folder name>/`, then
 * watched like any other root. Nothing here ever writes outside that folder.
 */
export class ImportStore {
  constructor(readonly dir: string) {}

  /** Writes one batch of files; returns the import's id and the folder they go to. */
  write(name: string, files: ImportFile[], importId?: string): { importId: string; folder: string } {
    const id = importId ?? randomBytes(8).toString('hex');
    if (!IMPORT_ID.test(id)) throw badRequest('Unknown import id: start the import again without one.');
    const folder = path.join(this.dir, id, safeName(name));
    if (importId && !fs.existsSync(folder)) throw badRequest(`Import ${id} of "${name}" was not started here: start it again without an id.`);
    fs.mkdirSync(folder, { recursive: true });
    for (const f of files) {
      const target = path.join(folder, ...safeRelative(f.path));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const bytes = Buffer.from(f.data, 'base64');
      if (f.append) fs.appendFileSync(target, bytes);
      else fs.writeFileSync(target, bytes);
    }
    return { importId: id, folder };
  }
}

/** A dropped folder's own name: one path segment. */
function safeName(name: string): string {
  const n = name.trim();
  if (!n || n === '.' || n === '..' || /[\\/\0]/.test(n)) throw badRequest(`"${name}" is not a folder name.`);
  return n;
}

/** A file's path inside the dropped folder as segments: relative, no '..', no empty or odd segments. */
function safeRelative(p: string): string[] {
  const parts = p.split('/');
  if (!p || p.startsWith('/') || parts.some((s) => !s || s === '.' || s === '..' || /[\\\0]/.test(s))) {
    throw badRequest(`"${p}" is not a path inside the dropped folder.`);
  }
  return parts;
}
