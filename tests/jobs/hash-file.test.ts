import { execFileSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNSAFE_FILE } from '../../src/formats/util/files.js';
import { HASH_CHUNK_BYTES } from '../../src/jobs/hash-worker.js';
import { hashFile, HashPool } from '../../src/jobs/hash-file.js';
import { copyFixture, onCleanup, tempCore, tempDir } from '../helpers.js';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function pool(size = 1): HashPool {
  const p = new HashPool(size);
  onCleanup(() => p.close());
  return p;
}

describe('hashFile (SHA-256 in a worker thread)', () => {
  it('matches node:crypto on a real model file, reporting its size as progress', async () => {
    const model = path.join(copyFixture('realruns/hf_trainer/bert-tiny-cls/final'), 'model.safetensors');
    const seen: { bytes: number; bytesTotal: number }[] = [];
    const h = await hashFile(model, { onProgress: (p) => seen.push(p) }, pool());
    expect(h).toEqual({ sha256: sha256(model), bytes: fs.statSync(model).size });
    expect(seen[0]).toEqual({ bytes: 0, bytesTotal: 111464 });
    expect(seen.at(-1)).toEqual({ bytes: 111464, bytesTotal: 111464 });
  });

  it('reads across chunk boundaries: a file of several chunks and a few bytes more', async () => {
    const file = path.join(tempDir(), 'weights.bin');
    fs.writeFileSync(file, randomFillSync(Buffer.alloc(3 * HASH_CHUNK_BYTES + 12345)));
    const p = pool();
    expect(await hashFile(file, {}, p)).toEqual({ sha256: sha256(file), bytes: 3 * HASH_CHUNK_BYTES + 12345 });
    // Exactly a multiple of the chunk size: the last read returns 0.
    fs.truncateSync(file, 2 * HASH_CHUNK_BYTES);
    expect(await hashFile(file, {}, p)).toEqual({ sha256: sha256(file), bytes: 2 * HASH_CHUNK_BYTES });
  });

  it('hashes a 0-byte file', async () => {
    const file = path.join(tempDir(), 'empty.ckpt');
    fs.writeFileSync(file, '');
    expect(await hashFile(file, {}, pool())).toEqual({
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      bytes: 0,
    });
  });

  it('is cancelled mid-file by its signal, without reading the rest or holding the size in memory', async () => {
    // 4 GiB claimed, nothing on disk: reads return zeros as fast as a cached file would.
    const file = path.join(tempDir(), 'huge.bin');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 4 * 1024 ** 3);
    const p = pool();
    const controller = new AbortController();
    const rssBefore = process.memoryUsage.rss();
    let rssPeak = rssBefore;
    let lastBytes = 0;
    const hashing = hashFile(file, {
      signal: controller.signal,
      onProgress: ({ bytes }) => {
        lastBytes = bytes;
        rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
        if (bytes >= 64 * 1024 * 1024) controller.abort();
      },
    }, p);
    const started = performance.now();
    await expect(hashing).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(lastBytes).toBeLessThan(4 * 1024 ** 3);
    expect(rssPeak - rssBefore).toBeLessThan(200 * 1024 * 1024);
    // The worker stopped between reads and is reused for the next file.
    const small = path.join(tempDir(), 'small.bin');
    fs.writeFileSync(small, 'abc');
    expect((await hashFile(small, {}, p)).sha256).toBe(sha256(small));
    expect(p.spawned).toBe(1);
  });

  it('an aborted signal rejects before opening anything', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(hashFile('/nonexistent/x', { signal: controller.signal }, pool())).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses a FIFO at once, without waiting for a writer', async () => {
    const fifo = path.join(tempDir(), 'model.ckpt');
    execFileSync('mkfifo', [fifo]);
    const started = performance.now();
    await expect(hashFile(fifo, {}, pool())).rejects.toMatchObject({ code: UNSAFE_FILE, message: 'not a regular file (a FIFO) — skipped' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a character device and a folder', async () => {
    await expect(hashFile('/dev/zero', { root: '/dev' }, pool())).rejects.toMatchObject({ code: UNSAFE_FILE, message: 'not a regular file (a character device) — skipped' });
    await expect(hashFile(tempDir(), {}, pool())).rejects.toMatchObject({ code: UNSAFE_FILE });
  });

  it('refuses a link that points out of the folder, and follows one that stays inside', async () => {
    const outside = path.join(tempDir(), 'secret.txt');
    fs.writeFileSync(outside, 'not yours');
    const run = tempDir();
    fs.mkdirSync(path.join(run, 'checkpoints'));
    const link = path.join(run, 'checkpoints', 'model.ckpt');
    fs.symlinkSync(outside, link);
    const p = pool();
    await expect(hashFile(link, {}, p)).rejects.toMatchObject({ code: UNSAFE_FILE, message: 'a link out of the indexed folder; not followed' });
    await expect(hashFile(link, { root: run }, p)).rejects.toMatchObject({ code: UNSAFE_FILE });

    const real = path.join(run, 'weights.bin');
    fs.writeFileSync(real, 'weights');
    const inside = path.join(run, 'checkpoints', 'best.ckpt');
    fs.symlinkSync(real, inside);
    // Within the run's folder (the root), the link is followed to a file that is still inside it.
    expect((await hashFile(inside, { root: run }, p)).sha256).toBe(sha256(real));
    // Without a root, the file's own folder is the limit: checkpoints/ → ../weights.bin is out.
    await expect(hashFile(inside, {}, p)).rejects.toMatchObject({ code: UNSAFE_FILE });
  });

  it('a pool of one reuses its worker across many small files, one at a time', async () => {
    const dir = tempDir();
    const files = Array.from({ length: 25 }, (_, i) => {
      const f = path.join(dir, `f${i}.bin`);
      fs.writeFileSync(f, `file ${i}`);
      return f;
    });
    const p = pool(1);
    const hashes = await Promise.all(files.map((f) => hashFile(f, {}, p)));
    expect(hashes.map((h) => h.sha256)).toEqual(files.map(sha256));
    expect(p.spawned).toBe(1);
  });
});

describe('core.hashFiles: one hash job', () => {
  it('hashes several files as one job with files and bytes progress; unreadable paths are per-path errors', async () => {
    const core = await tempCore();
    const folder = copyFixture('realruns/hf_trainer/bert-tiny-cls/checkpoint-64');
    const model = path.join(folder, 'model.safetensors');
    const optimizer = path.join(folder, 'optimizer.pt');
    const fifo = path.join(folder, 'pipe.bin');
    execFileSync('mkfifo', [fifo]);
    const missing = path.join(folder, 'gone.bin');
    const events: { done: number; total: number; bytes: number; bytesTotal: number; state: string }[] = [];
    core.on('jobs.progress', (e) => events.push(e));

    const job = core.hashFiles([model, fifo, optimizer, missing], { root: folder });
    expect(await job.promise).toEqual([
      { path: model, sha256: sha256(model), bytes: 111464 },
      { path: fifo, error: 'not a regular file (a FIFO) — skipped' },
      { path: optimizer, sha256: sha256(optimizer), bytes: 249739 },
      { path: missing, error: 'the file vanished while it was being read' },
    ]);
    const [info] = await core.api['jobs.list']({});
    expect(info).toMatchObject({
      id: job.id, kind: 'hash', label: '4 files', state: 'done', done: 4, total: 4, unit: 'files',
      bytes: 111464 + 249739, bytesTotal: 111464 + 249739, rateUnit: 'bytes', error: null,
    });
    expect(events.every((e) => e.bytes <= e.bytesTotal)).toBe(true);
    expect(events[0]).toMatchObject({ state: 'running', done: 0 });
    expect(events.at(-1)).toMatchObject({ state: 'done', done: 4, total: 4 });
  });

  it('jobs.cancel stops a hash job: its promise rejects and it lists as cancelled', async () => {
    const core = await tempCore();
    const file = path.join(tempDir(), 'huge.bin');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 8 * 1024 ** 3);
    const job = core.hashFiles([file]);
    await new Promise<void>((resolve) => {
      const off = core.on('jobs.progress', (e) => e.bytes > 0 && (off(), resolve()));
    });
    expect(await core.api['jobs.cancel']({ id: job.id })).toEqual({ cancelled: true });
    await expect(job.promise).rejects.toMatchObject({ name: 'JobCancelledError' });
    expect((await core.api['jobs.list']({}))[0]).toMatchObject({ id: job.id, state: 'cancelled', label: file });
    expect(await core.api['jobs.cancel']({ id: job.id })).toEqual({ cancelled: false });
  });
});
