import { describe, expect, it } from 'vitest';
import { KeyedThrottle } from '../../src/jobs/throttle.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type P = { root: string; n: number; done?: boolean };

describe('KeyedThrottle (index.progress to clients)', () => {
  it('sends the first value, then at most one per interval per key, ending with the latest', async () => {
    const sent: P[] = [];
    const t = new KeyedThrottle<P>(100, (p) => sent.push(p), (p) => p.root);
    for (let n = 1; n <= 1000; n++) {
      t.push({ root: 'a', n });
      t.push({ root: 'b', n });
      if (n % 100 === 0) await sleep(25); // ~250 ms of pushes
    }
    await sleep(150);
    const a = sent.filter((p) => p.root === 'a').map((p) => p.n);
    expect(a[0]).toBe(1);
    expect(a.at(-1)).toBe(1000);
    expect(a.length).toBeLessThanOrEqual(5);
    expect(sent.filter((p) => p.root === 'b').at(-1)!.n).toBe(1000);
  });

  it('sends urgent values at once, and a dropped key sends nothing more', async () => {
    const sent: P[] = [];
    const t = new KeyedThrottle<P>(100, (p) => sent.push(p), (p) => p.root, (p) => p.done === true);
    t.push({ root: 'a', n: 1 });
    t.push({ root: 'a', n: 2 });
    t.push({ root: 'a', n: 3, done: true });
    expect(sent.map((p) => p.n)).toEqual([1, 3]);
    t.push({ root: 'a', n: 4 });
    t.drop('a');
    await sleep(150);
    expect(sent.map((p) => p.n)).toEqual([1, 3]);
  });
});
