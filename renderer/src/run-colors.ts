/**
 * One colour per run for the whole session, in every view (table, run page, compare). The palette is
 * Tableau 10 (colour-blind-friendlier than plotly's defaults, readable on light and dark); runs get
 * colours in the order they are first seen, cycling. Past ten runs colours repeat, so on a chart the
 * runs sharing a colour are told apart by their dash instead.
 */
import { RUN_PALETTE, runColor } from './theme';

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
 * Colour and dash for each run of a set shown together: colours are the session's; the k-th run of the
 * set with a given colour gets the k-th dash, so no two runs of the set look the same (up to 60 runs).
 */
export function runStyles(ids: readonly string[]): Map<string, RunStyle> {
  const seen = new Map<string, number>();
  const out = new Map<string, RunStyle>();
  for (const id of ids) {
    const color = runColor(id);
    const k = seen.get(color) ?? 0;
    seen.set(color, k + 1);
    out.set(id, { color, dash: RUN_DASHES[k % RUN_DASHES.length] });
  }
  return out;
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
