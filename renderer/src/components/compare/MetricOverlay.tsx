/**
 * One metric, every shown run overlaid (or, grouped, each group's mean with its min–max band). Hover
 * shows every run's value at that x; colours and dashes are the runs' own, the same in every chart.
 */
import { useMemo } from 'react';
import { Card, Skeleton, Text } from '@mantine/core';
import type { Layout } from 'plotly.js-strict-dist-min';
import type { CompareRun, MetricSeries } from '../../../../src/api/contract';
import { formatCount } from '../../format';
import { withAlpha, type RunStyle } from '../../run-colors';
import { ComparePlot, hardwareWebgl, type Trace } from './ComparePlot';
import { baseLayout, exportBackground, topLegend, type Scheme } from './plot-layout';
import { aggregateBand, relativeUnit, seriesXY, type XAxisMode, type XY } from './series';

export const CHART_HEIGHT = 300;
/** Past this many legend entries the legend would bury the plot; the runs panel is the legend then. */
const MAX_LEGEND = 12;
/** Points on one chart past which WebGL (when a GPU draws it) beats SVG. */
const GL_POINTS = 20_000;
/** Faded raw lines behind smoothed ones help with a few runs and only clutter with many. */
const MAX_RAW_UNDERLAY = 20;

export interface ChartGroup {
  label: string;
  color: string;
  runs: CompareRun[];
}

export interface ChartSettings {
  xMode: XAxisMode;
  smoothing: number;
  logY: boolean;
}

const seriesKey = (run: string, key: string) => `${run}\0${key}`;

export function indexSeries(series: MetricSeries[]): Map<string, MetricSeries> {
  return new Map(series.map((s) => [seriesKey(s.run, s.key), s]));
}

interface Built {
  traces: Trace[];
  layout: Layout;
  notLogged: CompareRun[];
  noTime: CompareRun[];
  drawn: number;
  downsampled: boolean;
  maxStored: number;
}

function build(
  metricKey: string,
  runs: CompareRun[],
  styles: Map<string, RunStyle>,
  byKey: Map<string, MetricSeries>,
  settings: ChartSettings,
  groups: ChartGroup[] | null,
  scheme: Scheme,
): Built {
  const { xMode, smoothing, logY } = settings;
  const notLogged: CompareRun[] = [];
  const noTime: CompareRun[] = [];
  const xy = new Map<string, XY>();
  let raw = new Map<string, XY>();
  let downsampled = false;
  let maxStored = 0;
  for (const run of runs) {
    const s = byKey.get(seriesKey(run.id, metricKey));
    if (!s) continue;
    if (s.count === 0) {
      notLogged.push(run);
      continue;
    }
    downsampled ||= s.points.length < s.count;
    maxStored = Math.max(maxStored, s.count);
    const line = seriesXY(s, xMode, smoothing);
    if (!line.x.length) {
      noTime.push(run);
      continue;
    }
    xy.set(run.id, line);
    if (smoothing > 0) raw.set(run.id, seriesXY(s, xMode, 0));
  }
  if (!groups && runs.length > MAX_RAW_UNDERLAY) raw = new Map();

  let divisor = 1;
  let unit = '';
  if (xMode === 'relative') {
    let maxX = 0;
    for (const line of xy.values()) for (const x of line.x) if (x > maxX) maxX = x;
    ({ divisor, label: unit } = relativeUnit(maxX));
  }
  const scaleX = (x: number[]) => (divisor === 1 ? x : x.map((v) => v / divisor));
  const drawnPoints = [...xy.values()].reduce((n, l) => n + l.x.length, 0);
  // SVG is crisper and draws dashes well; WebGL pays off only for many points on a real GPU.
  const lineType = hardwareWebgl && drawnPoints * (raw.size ? 2 : 1) > GL_POINTS ? 'scattergl' : 'scatter';
  const traces: Trace[] = [];
  let legendEntries = 0;

  if (groups) {
    for (const g of groups) {
      const lines = g.runs.map((r) => xy.get(r.id)).filter((l): l is XY => !!l);
      if (!lines.length) continue;
      const band = aggregateBand(lines);
      const x = scaleX(band.x);
      const common = { type: 'scatter', mode: 'lines', x, hoverinfo: 'skip', showlegend: false, legendgroup: g.label };
      traces.push({ ...common, y: band.max, line: { width: 0, color: g.color } });
      traces.push({ ...common, y: band.min, line: { width: 0, color: g.color }, fill: 'tonexty', fillcolor: withAlpha(g.color, 0.2) });
      // Where only some of the group's runs reached (a run stopped early, or ran faster), the mean is
      // of fewer runs and can jump: that stretch is drawn dotted and its hover says how many runs.
      const size = lines.length;
      const full = band.n.map((k) => k === size);
      const partial = full.map((f, i) => !f || full[i - 1] === false || full[i + 1] === false);
      const customdata = band.min.map((lo, i) => [lo, band.max[i], band.n[i]]);
      const range = '<span style="opacity:0.7">min %{customdata[0]:.4~g}, max %{customdata[1]:.4~g}</span>';
      traces.push({
        type: 'scatter',
        mode: 'lines',
        name: `${g.label} (${size})`,
        legendgroup: g.label,
        x,
        y: band.mean.map((m, i) => (full[i] ? m : NaN)),
        customdata,
        line: { color: g.color, width: 2.2 },
        hovertemplate: `%{fullData.name}: %{y:.5~g} ${range}<extra></extra>`,
      });
      if (partial.some((p, i) => p && !full[i])) {
        traces.push({
          type: 'scatter',
          mode: 'lines',
          name: `${g.label} (${size})`,
          legendgroup: g.label,
          showlegend: false,
          x,
          y: band.mean.map((m, i) => (partial[i] ? m : NaN)),
          customdata,
          line: { color: g.color, width: 1.6, dash: 'dot' },
          hovertemplate: `%{fullData.name}: %{y:.5~g} (mean of %{customdata[2]} of ${size} runs) ${range}<extra></extra>`,
        });
      }
      legendEntries++;
    }
  } else {
    for (const run of runs) {
      const line = xy.get(run.id);
      if (!line) continue;
      const style = styles.get(run.id)!;
      const under = raw.get(run.id);
      if (under) {
        traces.push({
          type: lineType, mode: 'lines', x: scaleX(under.x), y: under.y, showlegend: false, hoverinfo: 'skip',
          legendgroup: run.id, line: { color: withAlpha(style.color, 0.28), width: 1 },
        });
      }
      const markers = line.x.length <= 60;
      traces.push({
        type: lineType,
        mode: markers ? 'lines+markers' : 'lines',
        name: run.name,
        uid: run.id,
        legendgroup: run.id,
        x: scaleX(line.x),
        y: line.y,
        line: { color: style.color, width: 1.6, dash: style.dash },
        marker: { color: style.color, size: 5 },
        connectgaps: false, // NaN stays a visible gap
        hovertemplate: '%{fullData.name}: %{y:.5~g}<extra></extra>',
      });
      legendEntries++;
    }
  }

  const base = baseLayout(scheme);
  const showLegend = legendEntries > 1 && legendEntries <= MAX_LEGEND;
  const xTitle = xMode === 'step' ? 'step' : xMode === 'wall' ? 'wall time' : `relative time (${unit})`;
  const layout: Layout = {
    ...base,
    hovermode: 'x unified',
    // Sparse series (a validation metric per epoch) would show nothing between their points otherwise.
    hoverdistance: -1,
    // Keeps zoom and pan while live points arrive; a new axis or scale starts fresh.
    uirevision: `${metricKey}|${xMode}|${logY}|${groups ? 'g' : 'r'}`,
    xaxis: { ...(base.xaxis as object), title: { text: xTitle, standoff: 6 }, type: xMode === 'wall' ? 'date' : 'linear' },
    yaxis: { ...(base.yaxis as object), type: logY ? 'log' : 'linear' },
    showlegend: showLegend,
    legend: topLegend(scheme),
  };
  return { traces, layout, notLogged, noTime, drawn: drawnPoints, downsampled, maxStored };
}

/** "a, b and 3 more": notes under a chart stay one line with 100 runs. */
function names(runs: CompareRun[], max = 3): string {
  const shown = runs.slice(0, max).map((r) => r.name).join(', ');
  return runs.length > max ? `${shown} and ${runs.length - max} more` : shown;
}

export function MetricOverlay({
  metricKey,
  runs,
  hiddenWithKey,
  styles,
  byKey,
  loading,
  settings,
  groups,
  scheme,
}: {
  metricKey: string;
  /** Shown runs, in order. */
  runs: CompareRun[];
  /** Hidden runs that did log this metric (so the empty message can say where it is). */
  hiddenWithKey: CompareRun[];
  styles: Map<string, RunStyle>;
  byKey: Map<string, MetricSeries>;
  loading: boolean;
  settings: ChartSettings;
  groups: ChartGroup[] | null;
  scheme: Scheme;
}) {
  const built = useMemo(
    () => build(metricKey, runs, styles, byKey, settings, groups, scheme),
    [metricKey, runs, styles, byKey, settings, groups, scheme],
  );
  const withKey = runs.filter((r) => r.metrics[metricKey]);
  const title = (
    <Text size="sm" fw={600} className="ld-mono" truncate="end" title={metricKey} component="h3" m={0}>
      {metricKey}
    </Text>
  );

  let body;
  if (!withKey.length) {
    body = (
      <Text size="sm" c="dimmed" h={CHART_HEIGHT} pt="md">
        None of the shown runs logged “{metricKey}”.
        {hiddenWithKey.length > 0 && ` It is logged by hidden runs: ${names(hiddenWithKey)}.`}
      </Text>
    );
  } else if (!built.traces.length && loading) {
    body = <Skeleton h={CHART_HEIGHT} aria-label={`Loading ${metricKey}`} />;
  } else if (!built.traces.length && built.noTime.length) {
    body = (
      <Text size="sm" c="dimmed" h={CHART_HEIGHT} pt="md">
        No wall time was recorded for “{metricKey}” ({names(built.noTime)}): their logs carry steps only. Choose “Step” for the x axis.
      </Text>
    );
  } else {
    body = (
      <ComparePlot
        data={built.traces}
        layout={built.layout}
        height={CHART_HEIGHT}
        label={`Chart of ${metricKey}`}
        exportName={`${metricKey} chart`}
        exportBackground={exportBackground(scheme)}
        title={title}
      />
    );
  }

  return (
    <Card withBorder padding="sm" radius="md" className="ld-compare-card">
      {!(withKey.length && built.traces.length) && title}
      {body}
      <Text size="xs" c="dimmed" mt={4}>
        {built.drawn > 0 && `${formatCount(built.drawn)} points drawn`}
        {built.downsampled && ` · downsampled on the server from up to ${formatCount(built.maxStored)} per run, extremes kept`}
        {built.notLogged.length > 0 && withKey.length > 0 && ` · not logged by ${names(built.notLogged)}`}
        {built.noTime.length > 0 && built.traces.length > 0 && ` · no wall time in ${names(built.noTime)}`}
      </Text>
    </Card>
  );
}
