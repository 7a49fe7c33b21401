/** The little of plotly.js the renderer uses; the strict bundle ships no types. */
declare module 'plotly.js-strict-dist-min' {
  export type Datum = number | string | null;
  export interface PlotData {
    type?: 'scatter' | 'scattergl';
    mode?: 'lines' | 'markers' | 'lines+markers';
    name?: string;
    x: Datum[];
    y: Datum[];
    line?: { color?: string; width?: number; shape?: string };
    marker?: { color?: string; size?: number };
    hovertemplate?: string;
    connectgaps?: boolean;
    [key: string]: unknown;
  }
  export type Layout = Record<string, unknown>;
  export type Config = Record<string, unknown>;
  export function react(el: HTMLElement, data: PlotData[], layout?: Layout, config?: Config): Promise<HTMLElement>;
  export function purge(el: HTMLElement): void;
  export const Plots: { resize(el: HTMLElement): void };
  const Plotly: {
    react: typeof react;
    purge: typeof purge;
    Plots: typeof Plots;
  };
  export default Plotly;
}
