/** Charts tab: which metrics, the x axis, smoothing and scale; then one overlaid chart per metric. */
import { useMemo } from 'react';
import { Group, MultiSelect, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import type { CompareRun } from '../../../../src/api/contract';
import { formatCount } from '../../format';
import { useMetricBatch } from '../../queries';
import type { RunStyle } from '../../run-colors';
import { isSingleValue, MetricValues } from './MetricValues';
import { indexSeries, MetricOverlay, type ChartGroup, type ChartSettings } from './MetricOverlay';
import { metricKeyCounts } from './model';
import type { Scheme } from './plot-layout';
import { hasWallTime } from './series';
import { SmoothingControl } from './SmoothingControl';
import { XAxisControl } from './XAxisControl';

/**
 * Points per series: ~1,000 (about a chart's width) for a few runs; with many runs a chart holds about
 * 50,000 in all (500 each for 100 runs: still several per pixel, extremes kept), so it stays responsive.
 */
export function pointsPerSeries(runs: number): number {
  return Math.max(200, Math.min(1000, Math.floor(50_000 / Math.max(1, runs))));
}

export interface ChartsState extends ChartSettings {
  keys: string[];
}

export function ChartsTab({
  allRuns,
  shown,
  styles,
  groups,
  state,
  onChange,
  scheme,
}: {
  /** Every compared run (series are fetched for all, so showing a hidden run needs no request). */
  allRuns: CompareRun[];
  shown: CompareRun[];
  styles: Map<string, RunStyle>;
  groups: ChartGroup[] | null;
  state: ChartsState;
  onChange: (next: Partial<ChartsState>) => void;
  scheme: Scheme;
}) {
  const ids = useMemo(() => allRuns.map((r) => r.id), [allRuns]);
  const maxPoints = pointsPerSeries(ids.length);
  const batch = useMetricBatch(ids, state.keys, maxPoints);
  const byKey = useMemo(() => indexSeries(batch.series), [batch.series]);
  const counts = useMemo(() => metricKeyCounts(allRuns), [allRuns]);
  const anyWallTime = useMemo(() => batch.series.some(hasWallTime), [batch.series]);
  const timeless = batch.series.length > 0 && !anyWallTime;
  // Runs that recorded steps only cannot be drawn against time: the step axis is the only one.
  const xMode = timeless ? 'step' : state.xMode;
  const settings = useMemo<ChartSettings>(
    () => ({ xMode, smoothing: state.smoothing, logY: state.logY }),
    [xMode, state.smoothing, state.logY],
  );
  const shownIds = new Set(shown.map((r) => r.id));

  return (
    <Stack gap="sm">
      <MultiSelect
        label="Metrics"
        placeholder={state.keys.length ? undefined : 'Pick metrics to chart'}
        data={counts.map((k) => ({
          value: k.key,
          label: k.runs === allRuns.length ? k.key : `${k.key} (${k.runs} of ${allRuns.length} runs)`,
        }))}
        value={state.keys}
        onChange={(keys) => onChange({ keys })}
        searchable
        clearable
        maxDropdownHeight={320}
        nothingFoundMessage="No metric by that name"
        size="sm"
      />
      <Group gap="xl" align="flex-end" wrap="wrap">
        <XAxisControl id="compare-x-axis" value={xMode} onChange={(mode) => onChange({ xMode: mode })} timeless={timeless} />
        <SmoothingControl id="compare-smoothing" value={state.smoothing} onChange={(smoothing) => onChange({ smoothing })} live={shown.length <= 20} />
        <Switch label="Log y" checked={state.logY} onChange={(e) => onChange({ logY: e.currentTarget.checked })} mb={6} />
      </Group>
      {timeless && (
        <Text size="xs" c="dimmed">
          These runs recorded steps only (no wall times), so the x axis is the step.
        </Text>
      )}
      {batch.error && (
        <Text size="sm" c="red" role="alert">
          Could not load the metric series: {batch.error.message}
        </Text>
      )}
      {!state.keys.length ? (
        <Text size="sm" c="dimmed" py="lg">
          {counts.length
            ? `Pick one or more of the ${formatCount(counts.length)} metrics these runs logged to overlay them.`
            : 'None of these runs logged any metric yet. Charts appear here as soon as one does.'}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, xl: state.keys.length > 1 ? 2 : 1 }} spacing="sm">
          {state.keys.map((key) =>
            isSingleValue(shown, key) ? (
              <MetricValues key={key} metricKey={key} runs={shown} styles={styles} />
            ) : (
            <MetricOverlay
              key={key}
              metricKey={key}
              runs={shown}
              hiddenWithKey={allRuns.filter((r) => !shownIds.has(r.id) && r.metrics[key])}
              styles={styles}
              byKey={byKey}
              loading={batch.pending > 0}
              settings={settings}
              groups={groups}
              scheme={scheme}
            />
            ),
          )}
        </SimpleGrid>
      )}
    </Stack>
  );
}
