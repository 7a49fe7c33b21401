/**
 * Parallel coordinates: one axis per param, the chosen metric last; one line per run. Numeric params
 * get numeric axes, the rest categorical ones. Brushing an axis (drag along it) narrows the runs; the
 * runs inside every brushed range are listed, and the others can be hidden everywhere at once.
 */
import { useCallback, useMemo, useState } from 'react';
import { Button, Card, Chip, Group, MultiSelect, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import type { Layout } from 'plotly.js-strict-dist-min';
import type { CompareRun } from '../../../../src/api/contract';
import { formatNumber } from '../../format';
import { plotColors } from '../../theme';
import type { RunStyle } from '../../run-colors';
import { ComparePlot, type PlotElement, type Trace } from './ComparePlot';
import { allNumeric, asNumber, groupByOptions, metricKeyCounts, summaryValue, differingParams, varyingParams, type SummaryStat } from './model';
import { exportBackground, type Scheme } from './plot-layout';
import type { ChartGroup } from './MetricOverlay';
import { ParallelLegend } from './ParallelLegend';
import './compare.css';

const HEIGHT = 420;
const MAX_DEFAULT_DIMS = 10;
const NONE = '(none)';

interface Dimension {
  label: string;
  values: number[];
  tickvals?: number[];
  ticktext?: string[];
  range?: [number, number];
  constraintrange?: unknown;
}

/** Positive values spanning two decades or more (learning rates, weight decays) start on a log axis. */
function spansDecades(values: number[]): boolean {
  const min = Math.min(...values);
  return min > 0 && Math.max(...values) / min >= 100;
}

/**
 * A numeric axis; log-scaled (labelled with the real values) when asked and every value is positive —
 * parcoords has no log axis of its own.
 */
function numericDimension(label: string, values: number[], log: boolean): Dimension {
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (!(log && min > 0)) return { label, values };
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const ticks = distinct.length <= 8 ? distinct : decades(min, max);
  return {
    label: `${label} (log)`,
    values: values.map(Math.log10),
    tickvals: ticks.map(Math.log10),
    ticktext: ticks.map((t) => formatNumber(t)),
  };
}

function decades(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e);
  return out;
}

/** A param's values when every run has it as a number (a numeric axis), else null. */
function numericParam(key: string, runs: CompareRun[]): number[] | null {
  const raw = runs.map((r) => r.params[key] ?? null);
  return allNumeric(raw) && raw.every((v) => v !== null) ? raw.map((v) => asNumber(v)!) : null;
}

/** A param axis: numeric when every run's value is a number; otherwise categories in natural order. */
function paramDimension(key: string, runs: CompareRun[], log: boolean): Dimension {
  const raw = runs.map((r) => r.params[key] ?? null);
  const numbers = numericParam(key, runs);
  if (numbers) return numericDimension(key, numbers, log);
  // Numbers in numeric order (0.003 < 0.01 < 0.1), with the runs that lack the param at the bottom.
  const present = [...new Set(raw.filter((v): v is string => v !== null))];
  const sorted = allNumeric(present) ? present.sort((a, b) => asNumber(a)! - asNumber(b)!) : present.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const cats = raw.some((v) => v === null) ? [NONE, ...sorted] : sorted;
  const index = new Map(cats.map((c, i) => [c, i]));
  return {
    label: key,
    values: raw.map((v) => index.get(v ?? NONE)!),
    tickvals: cats.map((_, i) => i),
    ticktext: cats.map((c) => (c.length > 18 ? `${c.slice(0, 17)}…` : c)),
    range: [-0.25, Math.max(0.25, cats.length - 0.75)],
  };
}

/** Which runs lie inside every brushed range (plotly keeps the brush as each axis' constraintrange). */
function brushedRuns(dimensions: Dimension[], runs: CompareRun[]): CompareRun[] | null {
  const ranges = dimensions.map((d) => d.constraintrange).filter(Boolean);
  if (!ranges.length) return null;
  const inside = (v: number, c: unknown): boolean => {
    if (!Array.isArray(c)) return true;
    if (Array.isArray(c[0])) return (c as [number, number][]).some(([lo, hi]) => v >= lo && v <= hi);
    const [lo, hi] = c as [number, number];
    return v >= lo && v <= hi;
  };
  return runs.filter((_, i) => dimensions.every((d) => inside(d.values[i], d.constraintrange)));
}

export function ParallelTab({
  shown,
  styles,
  scheme,
  metric,
  onMetric,
  onHideOthers,
  groups = null,
}: {
  shown: CompareRun[];
  styles: Map<string, RunStyle>;
  scheme: Scheme;
  metric: string | null;
  onMetric: (key: string | null) => void;
  onHideOthers: (keep: CompareRun[]) => void;
  /** When the runs are grouped, lines take their group's colour. */
  groups?: ChartGroup[] | null;
}) {
  const metricKeys = useMemo(() => metricKeyCounts(shown).map((k) => k.key), [shown]);
  const allParams = useMemo(() => groupByOptions(shown).params, [shown]);
  // Params that differ among the runs having them; failing that, any that varies (missing counts).
  const defaults = useMemo(() => {
    const differing = differingParams(shown);
    return differing.length ? differing : varyingParams(shown);
  }, [shown]);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const params = useMemo(() => chosen ?? defaults.slice(0, MAX_DEFAULT_DIMS), [chosen, defaults]);
  const [stat, setStat] = useState<SummaryStat>('last');
  const [colorBy, setColorBy] = useState<'run' | 'metric'>(shown.length <= 10 ? 'run' : 'metric');
  // A brush belongs to the axes it was drawn on: new axes draw without one.
  const [brush, setBrush] = useState<{ on: Trace[]; runs: CompareRun[] | null } | null>(null);

  const withMetric = useMemo(
    () => (metric ? shown.filter((r) => Number.isFinite(summaryValue(r.metrics[metric], stat))) : shown),
    [shown, metric, stat],
  );
  const metricValues = useMemo(() => (metric ? withMetric.map((r) => summaryValue(r.metrics[metric], stat)) : []), [metric, withMetric, stat]);
  // Axes that can be log-scaled (all values positive), and whether each is: the user's toggle, else
  // on for values spanning two decades.
  const logCandidates = useMemo(() => {
    const out: { key: string; label: string; auto: boolean }[] = [];
    for (const k of params) {
      const v = numericParam(k, withMetric);
      if (v && v.length && Math.min(...v) > 0) out.push({ key: `params.${k}`, label: k, auto: spansDecades(v) });
    }
    if (metric && metricValues.length && Math.min(...metricValues) > 0) out.push({ key: `metrics.${metric}`, label: metric, auto: spansDecades(metricValues) });
    return out;
  }, [params, withMetric, metric, metricValues]);
  const [logChoice, setLogChoice] = useState<Record<string, boolean>>({});
  const logOn = useMemo(() => new Set(logCandidates.filter((a) => logChoice[a.key] ?? a.auto).map((a) => a.key)), [logCandidates, logChoice]);
  const onLogChange = (keys: string[]) =>
    setLogChoice((prev) => ({ ...prev, ...Object.fromEntries(logCandidates.map((a) => [a.key, keys.includes(a.key)])) }));

  // Lines by group colour when grouped, else by run colour (or by metric value when asked).
  const groupOf = useMemo(() => {
    const m = new Map<string, ChartGroup>();
    for (const g of groups ?? []) for (const r of g.runs) m.set(r.id, g);
    return m;
  }, [groups]);
  const lineColor = useCallback((r: CompareRun) => groupOf.get(r.id)?.color ?? styles.get(r.id)!.color, [groupOf, styles]);

  const { traces, layout } = useMemo(() => {
    const c = plotColors(scheme);
    const dims: Dimension[] = params.map((k) => paramDimension(k, withMetric, logOn.has(`params.${k}`)));
    if (metric) dims.push(numericDimension(`${metric} (${stat})`, metricValues, logOn.has(`metrics.${metric}`)));
    const n = withMetric.length;
    // Colour by run: each line's value is its index, the colourscale a step per run colour.
    const byRun = colorBy === 'run' || !metric;
    const runScale = withMetric.flatMap((r, i) => {
      const color = lineColor(r);
      return n === 1 ? [[0, color], [1, color]] : [[i / n, color], [(i + 1) / n, color]];
    });
    const line = byRun
      ? { color: withMetric.map((_, i) => (n === 1 ? 0 : (i + 0.5) / n)), colorscale: runScale, cmin: 0, cmax: 1 }
      : { color: metricValues, colorscale: 'Viridis', showscale: true, colorbar: { title: { text: metric, side: 'right' }, thickness: 12, tickfont: { color: c.text } } };
    const trace: Trace = {
      type: 'parcoords',
      dimensions: dims,
      line,
      labelangle: -12,
      labelside: 'top',
      labelfont: { color: c.text, size: 12 },
      tickfont: { color: c.text, size: 11 },
      rangefont: { color: c.text, size: 10 },
    };
    const lay: Layout = {
      margin: { l: 70, r: byRun ? 60 : 90, t: 70, b: 24 },
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: 'rgba(0,0,0,0)',
      font: { color: c.text, size: 12 },
    };
    return { traces: [trace], layout: lay };
  }, [params, withMetric, metric, metricValues, stat, colorBy, lineColor, logOn, scheme]);

  const brushed = brush && brush.on === traces ? brush.runs : null;
  // The brush lives in plotly's copy of the data; read it back after every restyle.
  const onEvent = useMemo(
    () => ({
      name: 'plotly_restyle',
      handler: (el: PlotElement) => {
        const dims = (el.data?.[0]?.dimensions ?? []) as Dimension[];
        setBrush({ on: traces, runs: brushedRuns(dims, withMetric) });
      },
    }),
    [withMetric, traces],
  );
  const hideOthers = useCallback(() => brushed && onHideOthers(brushed), [brushed, onHideOthers]);
  const without = shown.length - withMetric.length;

  return (
    <Stack gap="sm">
      <Group gap="lg" align="flex-end" wrap="wrap">
        <MultiSelect
          label="Params (axes)"
          data={allParams}
          value={params}
          onChange={setChosen}
          searchable
          clearable
          maxDropdownHeight={320}
          miw={280}
          maw={640}
          style={{ flex: 1 }}
          placeholder={allParams.length ? 'Pick params' : 'These runs logged no params'}
        />
        <Select
          label="Metric (last axis)"
          data={metricKeys}
          value={metric}
          onChange={onMetric}
          searchable
          clearable
          placeholder="No metric"
          w={240}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="parallel-stat">
            Summary
          </Text>
          <SegmentedControl aria-labelledby="parallel-stat" size="xs" value={stat} onChange={(v) => setStat(v as SummaryStat)} data={['last', 'min', 'max']} disabled={!metric} />
        </Stack>
        <Stack gap={4}>
          <Text size="sm" fw={500} id="parallel-color">
            Line colour
          </Text>
          <SegmentedControl
            aria-labelledby="parallel-color"
            size="xs"
            value={colorBy}
            onChange={(v) => setColorBy(v as 'run' | 'metric')}
            data={[
              { value: 'run', label: 'Run' },
              { value: 'metric', label: 'Metric', disabled: !metric },
            ]}
          />
        </Stack>
      </Group>
      {logCandidates.length > 0 && (
        <Group gap="xs" role="group" aria-label="Log scale per axis">
          <Text size="sm" fw={500}>
            Log scale
          </Text>
          <Chip.Group multiple value={[...logOn]} onChange={onLogChange}>
            {logCandidates.map((a) => (
              <Chip key={a.key} value={a.key} size="xs" variant="outline">
                {a.label}
              </Chip>
            ))}
          </Chip.Group>
        </Group>
      )}
      <Card withBorder padding="sm" radius="md">
        {params.length + (metric ? 1 : 0) < 2 ? (
          <Text size="sm" c="dimmed" py="xl" ta="center">
            Parallel coordinates need at least two axes: pick params{metric ? '' : ' and a metric'} above.
            {!allParams.length && ' These runs logged no params; compare them on the Charts or Diff tab instead.'}
          </Text>
        ) : (
          <ComparePlot
            data={traces}
            layout={layout}
            height={HEIGHT}
            label="Parallel coordinates of params and metric"
            exportName="parallel coordinates"
            exportBackground={exportBackground(scheme)}
            onEvent={onEvent}
            title={
              <Text size="sm" c="dimmed">
                Drag along an axis to brush a range; click a brushed range to clear it.
              </Text>
            }
          />
        )}
        {params.length + (metric ? 1 : 0) >= 2 && (colorBy === 'run' || !metric) && (
          <ParallelLegend runs={withMetric} styles={styles} groups={groups} />
        )}
        {without > 0 && metric && (
          <Text size="xs" c="dimmed">
            {without} shown {without === 1 ? 'run has' : 'runs have'} no value for {metric} and {without === 1 ? 'is' : 'are'} left out.
          </Text>
        )}
      </Card>
      {brushed && (
        <Group gap="sm" role="status">
          <Text size="sm">
            {brushed.length} of {withMetric.length} runs inside the brushed ranges
            {brushed.length > 0 && brushed.length <= 8 && `: ${brushed.map((r) => r.name).join(', ')}`}
          </Text>
          <Button size="compact-sm" variant="light" onClick={hideOthers} disabled={!brushed.length || brushed.length === withMetric.length}>
            Hide the other runs
          </Button>
        </Group>
      )}
    </Stack>
  );
}
