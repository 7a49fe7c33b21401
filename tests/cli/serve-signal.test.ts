import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLightningTree } from '../../src/bench/lightning-tree.js';
import { REPO, tempDir } from '../helpers.js';

const BIN = path.join(REPO, 'src', 'cli', 'labdesk.mjs');

/** `labdesk serve` on a free port; resolves with the printed link once it is serving. */
function serve(args: string[]): { child: ChildProcess; link: Promise<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'serve', ...args, '--port', '0', '--no-ui'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const link = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Labdesk is serving on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before serving:\n${out}\n${err}`)));
  });
  return { child, link, exited };
}

describe('labdesk serve', () => {
  it('stops within a second and a half of SIGTERM, even in the middle of indexing a big tree', async () => {
    // 300 runs of 2,000 steps take several seconds to index: far longer than the stop may take.
    const tree = tempDir();
    writeLightningTree(tree, 300, 2000);
    const db = path.join(tempDir(), 'c.db');
    const { child, link, exited } = serve([tree, '--db', db]);
    try {
      const url = new URL(await link);
      const token = url.searchParams.get('token')!;
      const roots = await fetch(new URL('/api/roots.list', url), {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}',
      }).then((r) => r.json() as Promise<{ value: { lastIndexedAt: number | null; runCount: number }[] }>);
      // The first pass over the tree has not finished: the signal lands in the middle of indexing.
      expect(roots.value).toMatchObject([{ lastIndexedAt: null }]);
      expect(roots.value[0].runCount).toBeLessThan(300);

      const signalled = performance.now();
      child.kill('SIGTERM');
      await exited;
      const ms = performance.now() - signalled;
      console.log(`[serve-signal] SIGTERM during indexing → exit in ${Math.round(ms)} ms (code ${child.exitCode})`);
      expect(ms).toBeLessThan(1500);
      expect(child.signalCode).toBeNull(); // it exited by itself, not killed by the default handler
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('exits at the deadline when stopping hangs, even while the main thread is busy', async () => {
    // A stop that never finishes, and a signal that lands in a 3 s synchronous stretch (as a large
    // SQLite transaction would be): only the watchdog thread can still end the process.
    const script = path.join(tempDir(), 'hung-stop.mts');
    fs.writeFileSync(
      script,
      `import { stopSignal } from ${JSON.stringify(path.join(REPO, 'src/cli/stop-signal.ts'))};
const stop = stopSignal(() => new Promise(() => {}));
setInterval(() => {}, 1000);
process.on('SIGTERM', () => { const until = Date.now() + 3000; while (Date.now() < until); });
// As in serve, the watchdog thread has long been up when a signal comes.
setTimeout(() => console.log('ready'), 500);
await stop.done;
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve) => child.stdout!.on('data', (c: Buffer) => c.toString().includes('ready') && resolve()));
    const signalled = performance.now();
    child.kill('SIGTERM');
    await exited;
    const ms = performance.now() - signalled;
    console.log(`[serve-signal] hung stop, busy main thread → exit in ${Math.round(ms)} ms (${child.signalCode ?? child.exitCode})`);
    expect(ms).toBeLessThan(1500);
    expect(err).toMatch(/stopping took over 1 s; exiting without waiting/);
  });
});
