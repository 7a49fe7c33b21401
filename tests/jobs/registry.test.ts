import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/api/contract.js';
import { FINISHED_KEPT, JobCancelledError, JobRegistry } from '../../src/jobs/registry.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function record(jobs: JobRegistry): JobInfo[] {
  const events: JobInfo[] = [];
  jobs.on('progress', (e) => events.push(e));
  return events;
}

describe('the job registry', () => {
  it('reports start, progress and the result, and lists the finished job', async () => {
    const jobs = new JobRegistry();
    const events = record(jobs);
    const handle = jobs.start('index', '/data/runs', async ({ progress }) => {
      progress({ done: 0, total: 4 });
      await sleep(150);
      progress({ done: 4, total: 4 });
      return { runs: 4 };
    });
    expect(events[0]).toMatchObject({ id: handle.id, kind: 'index', label: '/data/runs', state: 'running', done: 0, unit: 'runs' });
    expect(jobs.list().map((j) => j.state)).toEqual(['running']);
    expect(await handle.promise).toEqual({ runs: 4 });
    const last = events.at(-1)!;
    expect(last).toMatchObject({ state: 'done', done: 4, total: 4, error: null, rateUnit: 'runs' });
    expect(last.endedAt).toBeGreaterThanOrEqual(last.startedAt);
    // Once ended, the rate is the whole job's average: 4 runs in about 0.15 s.
    expect(last.rate).toBeGreaterThan(4 / 1);
    expect(last.rate).toBeLessThan(4 / 0.1);
    expect(jobs.get(handle.id)).toMatchObject({ info: { state: 'done' }, result: { runs: 4 } });
  });

  it('throttles progress to about 10 events a second, always sending the latest state', async () => {
    const jobs = new JobRegistry();
    const events = record(jobs);
    const handle = jobs.start('hash', 'model.bin', async ({ progress }) => {
      const started = performance.now();
      let n = 0;
      while (performance.now() - started < 1000) {
        progress({ done: 0, total: 1, bytes: ++n * 1000, bytesTotal: 10_000_000 });
        await sleep(2);
      }
      await sleep(250); // the last update goes out after the throttle's wait, not lost
      return n;
    });
    const times: number[] = [];
    jobs.on('progress', (e) => e.state === 'running' && times.push(performance.now()));
    const calls = await handle.promise;
    const progressEvents = events.filter((e) => e.state === 'running');
    expect(calls).toBeGreaterThan(150);
    // One second of updates: about ten, plus the start; never one per call.
    expect(progressEvents.length).toBeGreaterThanOrEqual(6);
    expect(progressEvents.length).toBeLessThanOrEqual(13);
    expect(progressEvents.at(-1)!.bytes).toBe(calls * 1000);
    // Bytes counted: the rate is in bytes per second (about 1000 bytes per ~2-3 ms here).
    const mid = progressEvents.at(-1)!;
    expect(mid.rateUnit).toBe('bytes');
    expect(mid.rate).toBeGreaterThan(100_000);
    expect(mid.rate).toBeLessThan(1_000_000);
    // About 100 ms apart (a little timer slack), never a burst.
    for (let i = 2; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThan(90);
  });

  it('a new unit starts a new rate (files while walking, then runs)', async () => {
    const jobs = new JobRegistry();
    const events = record(jobs);
    await jobs.start('index', '/r', async ({ progress }) => {
      for (let i = 1; i <= 30; i++) {
        progress({ done: i * 100, total: 0, unit: 'files' });
        await sleep(10);
      }
      progress({ done: 1, total: 50, unit: 'runs' });
      await sleep(120);
    }, { unit: 'files' }).promise;
    const walking = events.filter((e) => e.state === 'running' && e.unit === 'files' && e.rate !== null);
    expect(walking.at(-1)!.rate).toBeGreaterThan(3000); // 100 files per ~10 ms
    const reading = events.find((e) => e.unit === 'runs')!;
    expect(reading).toMatchObject({ done: 1, total: 50, rateUnit: 'runs', rate: null });
  });

  it('cancel aborts the signal; the promise rejects with JobCancelledError and the state is cancelled', async () => {
    const jobs = new JobRegistry();
    const events = record(jobs);
    const handle = jobs.start('hash', 'big.bin', ({ signal }) => new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason));
    }));
    await sleep(10);
    expect(jobs.cancel(handle.id)).toBe(true);
    expect(jobs.cancel(handle.id)).toBe(false); // already stopping
    await expect(handle.promise).rejects.toBeInstanceOf(JobCancelledError);
    expect(events.at(-1)).toMatchObject({ id: handle.id, state: 'cancelled', error: null });
    expect(jobs.cancel(handle.id)).toBe(false); // ended
    expect(jobs.cancel(9999)).toBe(false);
  });

  it('a job that throws is failed with its message; the next job still runs', async () => {
    const jobs = new JobRegistry();
    const events = record(jobs);
    const failing = jobs.start('hash', 'x', async () => {
      throw new Error('permission denied');
    });
    await expect(failing.promise).rejects.toThrow('permission denied');
    expect(events.map((e) => e.state)).toEqual(['running', 'failed']);
    expect(events[1].error).toBe('permission denied');
    expect(await jobs.start('hash', 'y', async () => 7).promise).toBe(7);
  });

  it(`keeps the last ${FINISHED_KEPT} finished jobs, newest first, after the running ones`, async () => {
    const jobs = new JobRegistry();
    let release!: () => void;
    const running = jobs.start('index', 'long', () => new Promise<void>((r) => (release = r)));
    for (let i = 0; i < FINISHED_KEPT + 5; i++) await jobs.start('hash', `f${i}`, async () => i).promise;
    const list = jobs.list();
    expect(list).toHaveLength(FINISHED_KEPT + 1);
    expect(list[0]).toMatchObject({ id: running.id, state: 'running' });
    expect(list[1].label).toBe(`f${FINISHED_KEPT + 4}`);
    expect(list.at(-1)!.label).toBe('f5');
    expect(jobs.get(list[1].id)?.result).toBe(FINISHED_KEPT + 4);
    release();
    await running.promise;
    expect(jobs.list()[0]).toMatchObject({ id: running.id, state: 'done' });
  });
});
