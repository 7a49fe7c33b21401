/** One metric of one run over steps. The server downsamples; the chart never gets more than it can draw. */
import { useMemo } from 'react';
import { Card, Group, Skeleton, Stack, Text, useComputedColorScheme } from '@mantine/core';
import type { Layout, PlotData } from 'plotly.js-strict-dist-min';
import type { MetricSeries } from '../../../src/api/contract';
import { formatCount, formatNumber } from '../format';
import { useMetric } from '../queries';
import { plotColors, runColor } from '../theme';
import type { ChartSettings } from './compare/MetricOverlay';
import { relativeUnit, seriesXY } from './compare/series';
import { Plot } from './Plot';

const MAX_POINTS = 2000;
const CHART_HEIGHT = 220;

const STEP_SETTINGS: ChartSettings = { xMode: 'step', smoothing: 0, logY: false };

/**
 * The series as traces for the chosen x axis (step, wall or relative time) and smoothing: with
 * smoothing, the raw line stays faded behind the smoothed one, as in the compare view.
 * Short series get markers so single points stay visible; very long ones go to WebGL.
 */
export function traceFor(series: MetricSeries, color: string, settings: ChartSettings = STEP_SETTINGS): PlotData[] {
  const n = series.points.length;
  const line = seriesXY(series, settings.xMode, settings.smoothing);
  const divisor = settings.xMode === 'relative' ? relativeUnit(Math.max(0, ...line.x)).divisor : 1;
  const x = divisor === 1 ? line.x : line.x.map((v) => v / divisor);
  const xHover = settings.xMode === 'step' ? 'step %{x}' : settings.xMode === 'wall' ? '%{x|%Y-%m-%d %H:%M:%S}' : '%{x:.3~g}';
  const base = {
    type: n > 5000 ? 'scattergl' : 'scatter',
    name: series.key,
    x,
    connectgaps: false, // NaN stays a visible gap
  } as const;
  const main = {
    ...base,
    mode: n <= 60 ? 'lines+markers' : 'lines',
    y: line.y,
    line: { color, width: 1.75 },
    marker: { color, size: 5 },
    hovertemplate: `${xHover}<br>%{y:.6g}${settings.smoothing > 0 ? ' (smoothed)' : ''}<extra></extra>`,
  } as PlotData;
  if (settings.smoothing <= 0) return [main];
  const raw = seriesXY(series, settings.xMode, 0);
  const faded = { ...base, mode: 'lines', y: raw.y, line: { color, width: 1 }, opacity: 0.3, hoverinfo: 'skip' } as PlotData;
  return [faded, main];
}

function chartLayout(scheme: 'light' | 'dark', settings: ChartSettings, maxX: number): Layout {
  const c = plotColors(scheme);
  const axis = { gridcolor: c.grid, zerolinecolor: c.zero, linecolor: c.grid, automargin: true };
  const xTitle = settings.xMode === 'step' ? 'step' : settings.xMode === 'wall' ? 'wall time' : `time (${relativeUnit(maxX).label})`;
  return {
    margin: { l: 48, r: 12, t: 8, b: 36 },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { color: c.text, size: 11, family: 'system-ui, sans-serif' },
    hoverlabel: { bgcolor: c.hoverBg, font: { color: c.text } },
    xaxis: { ...axis, title: { text: xTitle, standoff: 6 }, type: settings.xMode === 'wall' ? 'date' : 'linear' },
    yaxis: { ...axis, tickformat: '~g', type: settings.logY ? 'log' : 'linear' },
    showlegend: false,
  } as Layout;
}

const CONFIG = { modeBarButtonsToRemove: ['lasso2d', 'select2d'], displayModeBar: 'hover' };

export function MetricChart({ runId, metricKey, settings = STEP_SETTINGS }: { runId: string; metricKey: string; settings?: ChartSettings }) {
  const series = useMetric(runId, metricKey, MAX_POINTS);
  const scheme = useComputedColorScheme('light');
  const data = useMemo(
    () => (series.data ? traceFor(series.data, runColor(runId), settings) : []),
    [series.data, runId, settings],
  );
  const layout = useMemo(() => chartLayout(scheme, settings, maxRelativeSeconds(series.data)), [scheme, settings, series.data]);
  const shown = series.data?.points.length ?? 0;
  const last = series.data?.points[shown - 1];
  // A time axis drops points logged without a time: none left means the run recorded steps only.
  const drawable = (data[data.length - 1]?.x as number[] | undefined)?.length ?? 0;

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
          series.data.count === 1 && last ? (
            // One value is a fact, not a curve: a whole chart for it would draw a meaningless axis.
            <Stack h={CHART_HEIGHT} justify="center" align="center" gap={2}>
              <Text fz={32} fw={600} className="ld-num" aria-label={`${metricKey} value`}>
                {formatNumber(last[1])}
              </Text>
              <Text size="xs" c="dimmed">
                one value, at step {last[0]}
              </Text>
            </Stack>
          ) : shown && !drawable ? (
            <Text size="sm" c="dimmed" h={CHART_HEIGHT}>
              This metric was logged without times: choose Step for the x axis.
            </Text>
          ) : shown ? (
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

/** Seconds between the series' first and last recorded times, for the relative axis's unit. */
function maxRelativeSeconds(series: MetricSeries | undefined): number {
  const times = (series?.points ?? []).map((p) => p[2]).filter((t): t is number => t !== null);
  return times.length ? Math.max(...times) - Math.min(...times) : 0;
}
