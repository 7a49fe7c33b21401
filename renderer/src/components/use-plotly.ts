/**
 * plotly (~3.5–5 MB) loads once, on first use, so the runs table starts fast; every chart shares
 * the one module.
 */
import { useEffect, useState } from 'react';
import type { Config, Layout, PlotData } from 'plotly.js-strict-dist-min';

/** The parts of plotly Labdesk calls (its typings describe scatter traces only). */
export interface PlotlyApi {
  react(el: HTMLElement, data: PlotData[], layout?: Layout, config?: Config): Promise<HTMLElement>;
  purge(el: HTMLElement): void;
  relayout(el: HTMLElement, update: Layout): Promise<HTMLElement>;
  downloadImage(el: HTMLElement, options: { format: 'png' | 'svg'; filename: string; width?: number; height?: number; scale?: number }): Promise<string>;
  Plots: { resize(el: HTMLElement): void };
}

let plotlyPromise: Promise<PlotlyApi> | null = null;
const loadPlotly = () =>
  (plotlyPromise ??= import('plotly.js-strict-dist-min').then((m) => (m.default ?? m) as unknown as PlotlyApi));

/** Starts fetching plotly early (e.g. while a view's data loads). */
export function preloadPlotly(): void {
  void loadPlotly().catch(() => {});
}

/** plotly once loaded (null until then), or why it could not load. */
export function usePlotly(): { plotly: PlotlyApi | null; error: string | null } {
  const [plotly, setPlotly] = useState<PlotlyApi | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    loadPlotly().then(
      (p) => alive && setPlotly(() => p),
      (e: unknown) => alive && setError(String(e)),
    );
    return () => {
      alive = false;
    };
  }, []);
  return { plotly, error };
}
