/**
 * A thin plotly wrapper: Plotly.react on every change, purge on unmount, resize with the container.
 * plotly (~3.5 MB) loads on first use, so the table view starts fast.
 */
import { useEffect, useRef } from 'react';
import { Loader, Center, Text } from '@mantine/core';
import type { Config, Layout, PlotData } from 'plotly.js-strict-dist-min';

import { usePlotly } from './use-plotly';

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
  const { plotly, error } = usePlotly();

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
