/** Run colours: derived from the id, and distinct within a comparison whatever the visiting order. */
import { describe, expect, it } from 'vitest';
import { RUN_PALETTE, runColor, runColorSlot } from '../../renderer/src/theme.js';
import { runStyles } from '../../renderer/src/run-colors.js';

const ids = (n: number, prefix = 'run') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('runColor', () => {
  it('is a function of the id alone, not of the order runs are seen', () => {
    const a = ids(30).map(runColor);
    const b = ids(30).reverse().map(runColor).reverse();
    expect(b).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(5); // spread over the palette, not one colour
    for (const c of a) expect(RUN_PALETTE).toContain(c);
  });
});

describe('runStyles', () => {
  // Two ids that hash to one slot: the clash the assignment must resolve.
  function clashingPair(): [string, string] {
    const bySlot = new Map<number, string>();
    for (const id of ids(100, 'x')) {
      const slot = runColorSlot(id);
      const other = bySlot.get(slot);
      if (other) return [other, id];
      bySlot.set(slot, id);
    }
    throw new Error('no clash among 100 ids');
  }

  it('keeps the hashed colour when it is free, and moves the later id off a clash to the nearest free slot', () => {
    const [a, b] = clashingPair();
    const styles = runStyles([b, a]);
    const [first, second] = [a, b].sort();
    expect(styles.get(first)!.color).toBe(runColor(first));
    const want = runColorSlot(second);
    const n = RUN_PALETTE.length;
    expect([RUN_PALETTE[(want + 1) % n], RUN_PALETTE[(want - 1 + n) % n]]).toContain(styles.get(second)!.color);
    expect(styles.get(first)!.dash).toBe('solid');
    expect(styles.get(second)!.dash).toBe('solid');
  });

  it('gives up to ten runs ten distinct colours, the same in any order', () => {
    for (let start = 0; start < 40; start += 7) {
      const set = ids(10).map((id) => `${id}-${start}`);
      const one = runStyles(set);
      expect(new Set([...one.values()].map((s) => s.color)).size).toBe(10);
      const other = runStyles([...set].reverse());
      for (const id of set) expect(other.get(id)).toEqual(one.get(id));
    }
  });

  it('past the palette, runs sharing a colour get different dashes', () => {
    const styles = [...runStyles(ids(25)).values()];
    expect(new Set(styles.map((s) => `${s.color} ${s.dash}`)).size).toBe(25);
    const perColour = new Map<string, number>();
    for (const s of styles) perColour.set(s.color, (perColour.get(s.color) ?? 0) + 1);
    expect(Math.max(...perColour.values()) - Math.min(...perColour.values())).toBeLessThanOrEqual(1);
  });
});
