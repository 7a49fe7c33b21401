/** Mantine theme and the per-run colour palette. */
import { createTheme, type MantineColorScheme } from '@mantine/core';

const monospace =
  'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace';

// Dense data wants 13–14 px text: every size steps down one notch from Mantine's defaults.
export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif',
  fontFamilyMonospace: monospace,
  fontSizes: {
    xs: '0.6875rem', // 11px
    sm: '0.8125rem', // 13px
    md: '0.875rem', // 14px
    lg: '1rem',
    xl: '1.125rem',
  },
  headings: { sizes: { h1: { fontSize: '1.375rem' }, h2: { fontSize: '1.125rem' } } },
  focusRing: 'auto',
  components: {
    TextInput: { defaultProps: { size: 'sm' } },
    Button: { defaultProps: { size: 'sm' } },
    Badge: { defaultProps: { radius: 'sm' } },
  },
});

export const DEFAULT_COLOR_SCHEME: MantineColorScheme = 'auto';

/**
 * Tableau 10: colour-blind-friendlier than the defaults, readable on light and dark. A run's colour is
 * derived from its id (needed when the same runs appear in table, charts and compare, across reloads).
 */
export const RUN_PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;

/** FNV-1a over the id's UTF-16 units: cheap, and spreads ids that differ in one character. */
export function hashId(runId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    h ^= runId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The palette slot a run's id hashes to (before a comparison moves it off a clash). */
export function runColorSlot(runId: string): number {
  return hashId(runId) % RUN_PALETTE.length;
}

/** A run's colour, derived from its id: the same after a reload, in every view, in any visiting order. */
export function runColor(runId: string): string {
  return RUN_PALETTE[runColorSlot(runId)];
}

/** Colours plotly needs per scheme; plotly does not read CSS variables. */
export function plotColors(scheme: 'light' | 'dark') {
  return scheme === 'dark'
    ? { text: '#c9c9c9', grid: '#373a40', zero: '#5c5f66', hoverBg: '#25262b' }
    : { text: '#495057', grid: '#e9ecef', zero: '#ced4da', hoverBg: '#ffffff' };
}
