/**
 * A thin plotly wrapper: Plotly.react on every change, purge on unmount, resize with the container.
 * plotly (~3.5 MB) loads on first use, so the table view starts fast.
 */
import { useEffect, useRef, useState } from 'react';
import { Loader, Center, Text } from '@mantine/core';
import type { Config, Layout, PlotData } from 'plotly.js-strict-dist-min';

type PlotlyModule = typeof import('plotly.js-strict-dist-min').default;
let plotlyPromise: Promise<PlotlyModule> | null = null;
const loadPlotly = () =>
  (plotlyPromise ??= import('plotly.js-strict-dist-min').then((m) => m.default ?? (m as unknown as PlotlyModule)));

export function Plot({
  data,
  layout,
  config,
  height,
}: {
  data: PlotData[];
  layout: Layout;
  config?: Config;
  height: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [plotly, setPlotly] = useState<PlotlyModule | null>(null);
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

  useEffect(() => {
    const el = ref.current;
    if (!plotly || !el) return;
    void plotly.react(el, data, { ...layout, height, autosize: true }, { displaylogo: false, ...config });
  }, [plotly, data, layout, config, height]);

  useEffect(() => {
    const el = ref.current;
    if (!plotly || !el) return;
    const observer = new ResizeObserver(() => plotly.Plots.resize(el));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plotly.purge(el);
    };
  }, [plotly]);

  return (
    <div style={{ height, position: 'relative' }}>
      <div ref={ref} style={{ height, width: '100%' }} />
      {!plotly && (
        <Center pos="absolute" inset={0}>
          {error ? (
            <Text size="sm" c="red">
              Could not load the chart library: {error}
            </Text>
          ) : (
            <Loader size="sm" aria-label="Loading chart" />
          )}
        </Center>
      )}
    </div>
  );
}
