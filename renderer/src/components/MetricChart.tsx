/** One metric of one run over steps. The server downsamples; the chart never gets more than it can draw. */
import { useMemo } from 'react';
import { Card, Group, Skeleton, Text, useComputedColorScheme } from '@mantine/core';
import type { Layout, PlotData } from 'plotly.js-strict-dist-min';
import type { MetricSeries } from '../../../src/api/contract';
import { formatCount, formatNumber, toNumber } from '../format';
import { useMetric } from '../queries';
import { plotColors, runColor } from '../theme';
import { Plot } from './Plot';

const MAX_POINTS = 2000;
const CHART_HEIGHT = 220;

/** Short series get markers so single points stay visible; very long ones go to WebGL. */
export function traceFor(series: MetricSeries, color: string): PlotData {
  const n = series.points.length;
  return {
    type: n > 5000 ? 'scattergl' : 'scatter',
    mode: n <= 60 ? 'lines+markers' : 'lines',
    name: series.key,
    x: series.points.map((p) => p[0]),
    y: series.points.map((p) => toNumber(p[1])),
    line: { color, width: 1.75 },
    marker: { color, size: 5 },
    connectgaps: false, // NaN stays a visible gap
    hovertemplate: 'step %{x}<br>%{y:.6g}<extra></extra>',
  };
}

function chartLayout(scheme: 'light' | 'dark'): Layout {
  const c = plotColors(scheme);
  const axis = { gridcolor: c.grid, zerolinecolor: c.zero, linecolor: c.grid, automargin: true };
  return {
    margin: { l: 48, r: 12, t: 8, b: 36 },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { color: c.text, size: 11, family: 'system-ui, sans-serif' },
    hoverlabel: { bgcolor: c.hoverBg, font: { color: c.text } },
    xaxis: { ...axis, title: { text: 'step', standoff: 6 } },
    yaxis: { ...axis, tickformat: '~g' },
    showlegend: false,
  };
}

const CONFIG = { modeBarButtonsToRemove: ['lasso2d', 'select2d'], displayModeBar: 'hover' };

export function MetricChart({ runId, metricKey }: { runId: string; metricKey: string }) {
  const series = useMetric(runId, metricKey, MAX_POINTS);
  const scheme = useComputedColorScheme('light');
  const data = useMemo(
    () => (series.data ? [traceFor(series.data, runColor(runId))] : []),
    [series.data, runId],
  );
  const layout = useMemo(() => chartLayout(scheme), [scheme]);
  const shown = series.data?.points.length ?? 0;
  const last = series.data?.points[shown - 1];

  return (
    <Card withBorder padding="sm" radius="md">
      <Group justify="space-between" gap="xs" wrap="nowrap" mb={4}>
        <Text size="sm" fw={600} className="ld-mono" truncate="end" title={metricKey}>
          {metricKey}
        </Text>
        {series.data && (
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {last ? `last ${formatNumber(last[1])} · ` : ''}
            {shown < series.data.count
              ? `${formatCount(shown)} of ${formatCount(series.data.count)} points`
              : `${formatCount(series.data.count)} points`}
          </Text>
        )}
      </Group>
      <div role="img" aria-label={`Chart of ${metricKey}`}>
        {series.error ? (
          <Text size="sm" c="red" h={CHART_HEIGHT}>
            {series.error.message}
          </Text>
        ) : series.data ? (
          shown ? (
            <Plot data={data} layout={layout} config={CONFIG} height={CHART_HEIGHT} />
          ) : (
            <Text size="sm" c="dimmed" h={CHART_HEIGHT}>
              No points recorded yet.
            </Text>
          )
        ) : (
          <Skeleton h={CHART_HEIGHT} />
        )}
      </div>
    </Card>
  );
}
