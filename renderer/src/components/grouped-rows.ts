/**
 * The runs table's rows when grouped: a header row per group, then (unless collapsed) the group's
 * runs, which the server lists group by group. A row's position maps to a run's offset in that
 * list, so windows of runs are still fetched by offset however many groups are folded.
 */
import type { RunGroup } from '../../../src/api/contract';

export type VirtualRow =
  | { kind: 'group'; group: RunGroup; key: string; collapsed: boolean }
  | { kind: 'run'; offset: number };

export interface RowLayout {
  count: number;
  at(index: number): VirtualRow;
}

export const groupKey = (g: RunGroup) => (g.value === null ? '\u0000none' : `=${g.value}`);

export function layoutRows(groups: RunGroup[] | undefined, total: number, collapsed: ReadonlySet<string>): RowLayout {
  if (!groups) return { count: total, at: (i) => ({ kind: 'run', offset: i }) };
  // Per group: the first row's index and the first run's offset.
  const starts: { row: number; offset: number; group: RunGroup; key: string; collapsed: boolean }[] = [];
  let row = 0;
  let offset = 0;
  for (const group of groups) {
    const key = groupKey(group);
    const folded = collapsed.has(key);
    starts.push({ row, offset, group, key, collapsed: folded });
    row += 1 + (folded ? 0 : group.count);
    offset += group.count;
  }
  return {
    count: row,
    at(index) {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid].row <= index) lo = mid;
        else hi = mid - 1;
      }
      const s = starts[lo];
      if (index === s.row) return { kind: 'group', group: s.group, key: s.key, collapsed: s.collapsed };
      return { kind: 'run', offset: s.offset + index - s.row - 1 };
    },
  };
}
