import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLightningTree } from '../../src/bench/lightning-tree.js';
import { lightningCsv } from '../../src/formats/lightning-csv.js';
import { NON_UTF8_NAME } from '../../src/index/walk.js';
import { tempCore, tempDir } from '../helpers.js';

/** `<dir>/<prefix>` + the byte 0xE9 (latin-1 "é", not valid UTF-8 on its own) as a Buffer path. */
const latin1Path = (dir: string, prefix: string, suffix = '') =>
  Buffer.concat([Buffer.from(path.join(dir, prefix)), Buffer.from([0xe9]), Buffer.from(suffix)]);

describe('file names that are not UTF-8', () => {
  it('are reported once each as such, not as vanished, and the rest is indexed', async () => {
    const root = fs.realpathSync(tempDir());
    writeLightningTree(path.join(root, 'ok'), 2, 5);
    // A project folder named "café" in latin-1, with a run inside, and such a file in a good run.
    const cafe = latin1Path(root, 'caf');
    fs.mkdirSync(cafe);
    fs.mkdirSync(Buffer.concat([cafe, Buffer.from('/lightning_logs/version_0')]), { recursive: true });
    fs.writeFileSync(Buffer.concat([cafe, Buffer.from('/lightning_logs/version_0/metrics.csv')]), 'epoch,step,train_loss\r\n0,0,1.5\r\n');
    fs.writeFileSync(latin1Path(path.join(root, 'ok/lightning_logs/version_1'), 'notes-', '.txt'), 'hello');

    const core = await tempCore();
    const summary = await core.indexFolders([root], { adapters: [lightningCsv] });
    expect(summary.runs).toBe(2);
    const problems = (await core.api['problems.list']({})).map((p) => ({ path: p.path, message: p.message }));
    expect(problems.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: path.join(root, 'caf\uFFFD'), message: NON_UTF8_NAME },
      { path: path.join(root, 'ok/lightning_logs/version_1/notes-\uFFFD.txt'), message: NON_UTF8_NAME },
    ]);
  });
});
