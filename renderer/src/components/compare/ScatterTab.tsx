/** Scatter: any param (or metric) on x against any metric on y, one point per run in the run's colour. */
import { useMemo, useState } from 'react';
import { Card, Group, SegmentedControl, Select, Stack, Switch, Text } from '@mantine/core';
import type { Layout } from 'plotly.js-strict-dist-min';
import type { CompareRun } from '../../../../src/api/contract';
import type { RunStyle } from '../../run-colors';
import { ComparePlot, type Trace } from './ComparePlot';
import { allNumeric, asNumber, groupByOptions, metricKeyCounts, summaryValue, differingParams, varyingParams, type SummaryStat } from './model';
import { baseLayout, exportBackground, topLegend, type Scheme } from './plot-layout';

const HEIGHT = 420;
const MAX_LEGEND = 12;

/** `params.lr` or `metrics.val_acc` → the run's value: a number when it reads as one, else text. */
function valueOf(run: CompareRun, axis: string, stat: SummaryStat): number | string | null {
  if (axis.startsWith('params.')) {
    const v = run.params[axis.slice(7)];
    return v === undefined ? null : (asNumber(v) ?? v);
  }
  const v = summaryValue(run.metrics[axis.slice(8)], stat);
  return Number.isFinite(v) ? v : null;
}

export function ScatterTab({
  shown,
  styles,
  scheme,
  metric,
  onMetric,
}: {
  shown: CompareRun[];
  styles: Map<string, RunStyle>;
  scheme: Scheme;
  metric: string | null;
  onMetric: (key: string | null) => void;
}) {
  const metricKeys = useMemo(() => metricKeyCounts(shown).map((k) => k.key), [shown]);
  const params = useMemo(() => groupByOptions(shown).params, [shown]);
  const varying = useMemo(() => [...differingParams(shown), ...varyingParams(shown)], [shown]);
  const [xChoice, setX] = useState<string | null>(null);
  // A param that is the same in every run explains nothing: start with one that differs among most runs.
  const firstParam = varying[0] ?? params[0];
  const x = xChoice ?? (firstParam ? `params.${firstParam}` : metricKeys[0] ? `metrics.${metricKeys[0]}` : null);
  const [stat, setStat] = useState<SummaryStat>('last');
  const [logX, setLogX] = useState(false);
  const [logY, setLogY] = useState(false);

  const xNumeric = useMemo(() => {
    if (!x) return false;
    if (x.startsWith('metrics.')) return true;
    return allNumeric(shown.map((r) => r.params[x.slice(7)] ?? null));
  }, [x, shown]);

  const { traces, layout, missing } = useMemo(() => {
    const base = baseLayout(scheme);
    const tr: Trace[] = [];
    const left: CompareRun[] = [];
    if (!x || !metric) return { traces: tr, layout: base, missing: left };
    for (const run of shown) {
      const xv = valueOf(run, x, stat);
      const yv = valueOf(run, `metrics.${metric}`, stat);
      if (xv === null || yv === null) {
        left.push(run);
        continue;
      }
      const style = styles.get(run.id)!;
      tr.push({
        type: 'scatter',
        mode: 'markers',
        name: run.name,
        x: [xNumeric ? xv : String(xv)],
        y: [yv],
        marker: { color: style.color, size: 11, line: { color: 'rgba(0,0,0,0.35)', width: 1 } },
        hovertemplate: `<b>%{fullData.name}</b><br>${x.replace(/^params\./, '')}: %{x}<br>${metric} (${stat}): %{y:.5~g}<extra></extra>`,
      });
    }
    const lay: Layout = {
      ...base,
      hovermode: 'closest',
      xaxis: {
        ...(base.xaxis as object),
        title: { text: x.replace(/^(params|metrics)\./, ''), standoff: 6 },
        type: xNumeric ? (logX ? 'log' : 'linear') : 'category',
        tickformat: xNumeric ? '~g' : undefined,
        categoryorder: 'category ascending',
      },
      yaxis: { ...(base.yaxis as object), title: { text: `${metric} (${stat})`, standoff: 6 }, type: logY ? 'log' : 'linear' },
      showlegend: tr.length > 1 && tr.length <= MAX_LEGEND,
      legend: topLegend(scheme),
    };
    return { traces: tr, layout: lay, missing: left };
  }, [x, metric, stat, shown, styles, scheme, xNumeric, logX, logY]);

  const axisOptions = [
    { group: 'Params', items: params.map((k) => ({ value: `params.${k}`, label: k })) },
    { group: 'Metrics', items: metricKeys.map((k) => ({ value: `metrics.${k}`, label: k })) },
  ].filter((g) => g.items.length);

  return (
    <Stack gap="sm">
      <Group gap="lg" align="flex-end" wrap="wrap">
        <Select label="X axis" data={axisOptions} value={x} onChange={setX} searchable w={260} placeholder="Pick a param" />
        <Select label="Y axis (metric)" data={metricKeys} value={metric} onChange={onMetric} searchable w={260} placeholder="Pick a metric" />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="scatter-stat">
            Summary
          </Text>
          <SegmentedControl aria-labelledby="scatter-stat" size="xs" value={stat} onChange={(v) => setStat(v as SummaryStat)} data={['last', 'min', 'max']} />
        </Stack>
        <Switch label="Log x" checked={logX} onChange={(e) => setLogX(e.currentTarget.checked)} disabled={!xNumeric} mb={6} />
        <Switch label="Log y" checked={logY} onChange={(e) => setLogY(e.currentTarget.checked)} mb={6} />
      </Group>
      <Card withBorder padding="sm" radius="md">
        {!x || !metric ? (
          <Text size="sm" c="dimmed" py="xl" ta="center">
            {metricKeys.length ? 'Pick a param for x and a metric for y.' : 'None of the shown runs logged a metric to plot.'}
          </Text>
        ) : !traces.length ? (
          <Text size="sm" c="dimmed" py="xl" ta="center">
            No shown run has both {x.replace(/^(params|metrics)\./, '')} and {metric}.
          </Text>
        ) : (
          <ComparePlot
            data={traces}
            layout={layout}
            height={HEIGHT}
            label={`Scatter of ${metric} against ${x.replace(/^(params|metrics)\./, '')}`}
            exportName={`${metric} vs ${x.replace(/^(params|metrics)\./, '')}`}
            exportBackground={exportBackground(scheme)}
            title={
              <Text size="sm" fw={600} className="ld-mono" truncate="end">
                {metric} ({stat}) vs {x.replace(/^(params|metrics)\./, '')}
              </Text>
            }
          />
        )}
        {missing.length > 0 && traces.length > 0 && (
          <Text size="xs" c="dimmed">
            Left out (no value): {missing.slice(0, 5).map((r) => r.name).join(', ')}
            {missing.length > 5 && ` and ${missing.length - 5} more`}
          </Text>
        )}
      </Card>
    </Stack>
  );
}
