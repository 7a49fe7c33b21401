/**
 * One colour per run for the whole session, in every view (table, run page, compare). The palette is
 * Tableau 10 (colour-blind-friendlier than plotly's defaults, readable on light and dark); a run's colour
 * is a hash of its id, so it survives reloads. Within a set shown together clashes move to free slots;
 * past ten runs colours repeat, and the runs sharing a colour are told apart by their dash instead.
 */
import { RUN_PALETTE, runColor, runColorSlot } from './theme.js';

// theme.ts holds the one assignment map (the run page already uses it): re-exported, never duplicated,
// so a run keeps its colour between the run page and the compare view.
export { RUN_PALETTE, runColor };

/** plotly dash styles, in the order runs sharing a colour get them. */
export const RUN_DASHES = ['solid', 'dash', 'dot', 'dashdot', 'longdash', 'longdashdot'] as const;
export type RunDash = (typeof RUN_DASHES)[number];

/** SVG stroke-dasharray per dash, for swatches drawn outside plotly. */
export const DASH_ARRAYS: Record<RunDash, string | undefined> = {
  solid: undefined,
  dash: '6 3',
  dot: '2 2',
  dashdot: '6 2 2 2',
  longdash: '10 3',
  longdashdot: '10 2 2 2',
};

export interface RunStyle {
  color: string;
  dash: RunDash;
}

/**
 * Colour and dash for each run of a set shown together. Each run wants its id's palette slot; runs are
 * placed in id order (so the result does not depend on the order they were picked), and a run whose slot
 * is taken moves to the nearest free slot (next, then previous, widening). Once every colour is used the
 * k-th run on a colour gets the k-th dash, so no two runs of the set look the same (up to 60 runs).
 */
export function runStyles(ids: readonly string[]): Map<string, RunStyle> {
  const n = RUN_PALETTE.length;
  const uses = new Array<number>(n).fill(0);
  const out = new Map<string, RunStyle>();
  const sorted = [...new Set(ids)].sort();
  for (const id of sorted) {
    const want = runColorSlot(id);
    const least = Math.min(...uses);
    let slot = want;
    for (let d = 0; d < n; d++) {
      const up = (want + d) % n;
      const down = (want - d + n) % n;
      if (uses[up] === least) {
        slot = up;
        break;
      }
      if (uses[down] === least) {
        slot = down;
        break;
      }
    }
    out.set(id, { color: RUN_PALETTE[slot], dash: RUN_DASHES[uses[slot] % RUN_DASHES.length] });
    uses[slot]++;
  }
  // The caller's order, for callers that iterate the map.
  return new Map([...new Set(ids)].map((id) => [id, out.get(id)!]));
}

/** A palette colour for the i-th group (groups are not runs: they cycle from the start of the palette). */
export function groupColor(i: number): string {
  return RUN_PALETTE[i % RUN_PALETTE.length];
}

/** `#rrggbb` at an alpha, for min–max bands and faded raw lines. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
