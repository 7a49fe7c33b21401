import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportFile } from '../../src/api/contract.js';
import { FIXTURES, tempCore } from '../helpers.js';

const RUN = path.join(FIXTURES, 'realruns/lightning_project/lightning_logs/version_4');

/** A folder's files as the web UI sends them: paths inside it, base64 pieces of at most `piece` bytes. */
function asImportFiles(dir: string, piece: number): ImportFile[] {
  const out: ImportFile[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    const rel = path.relative(dir, full).split(path.sep).join('/');
    const bytes = fs.readFileSync(full);
    for (let at = 0; at === 0 || at < bytes.length; at += piece) {
      out.push({ path: rel, data: bytes.subarray(at, at + piece).toString('base64'), ...(at ? { append: true } : {}) });
    }
  }
  return out;
}

describe('imports.add: a folder dropped on the web UI', () => {
  it('copies the pieces into the imports folder beside the catalog and indexes the copy', async () => {
    const core = await tempCore();
    const files = asImportFiles(RUN, 1000);
    expect(files.some((f) => f.append)).toBe(true); // metrics.csv needs several pieces
    const first = await core.api['imports.add']({ name: 'version_4', files: files.slice(0, 3), done: false });
    expect(first.root).toBeNull();
    const last = await core.api['imports.add']({ name: 'version_4', files: files.slice(3), done: true, importId: first.importId });
    const copy = path.join(path.dirname(core.dbPath), 'imports', first.importId, 'version_4');
    expect(last.root?.path).toBe(copy);
    expect(fs.readFileSync(path.join(copy, 'metrics.csv'))).toEqual(fs.readFileSync(path.join(RUN, 'metrics.csv')));

    await core.reindex(last.root!.id);
    const page = await core.api['runs.list']({});
    expect(page.rows.map((r) => [r.name, r.format, r.metrics.train_loss_step?.count])).toEqual([['version_4', 'lightning-csv', 20]]);
  });

  it('refuses paths that would leave the import folder, and ids it did not hand out', async () => {
    const core = await tempCore();
    const data = Buffer.from('x').toString('base64');
    for (const bad of ['../escape.txt', '/etc/passwd', 'a/../../b', 'a//b', '']) {
      await expect(core.api['imports.add']({ name: 'run', files: [{ path: bad, data }], done: false })).rejects.toThrow(/not a path inside the dropped folder/);
    }
    await expect(core.api['imports.add']({ name: '..', files: [], done: false })).rejects.toThrow(/not a folder name/);
    await expect(core.api['imports.add']({ name: 'run', files: [], done: true, importId: '../../x' })).rejects.toThrow(/Unknown import id/);
    await expect(core.api['imports.add']({ name: 'run', files: [], done: true, importId: '0123456789abcdef' })).rejects.toThrow(/was not started here/);
    expect(fs.existsSync(path.join(path.dirname(core.dbPath), 'escape.txt'))).toBe(false);
  });
});
