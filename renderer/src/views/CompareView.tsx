/**
 * Compare runs side by side: `#/compare?runs=<id>,<id>`. The left panel lists the runs (colour, show or
 * hide, group by a param or tag); tabs hold overlaid charts, parallel coordinates, a scatter and a diff.
 * Hiding a run hides it in every tab; its colour is the one it has everywhere in the session.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Anchor, Box, Button, Group, Loader, Tabs, Text, Title, useComputedColorScheme } from '@mantine/core';
import {
  IconArrowLeft,
  IconArrowsDiff,
  IconChartDots,
  IconChartLine,
  IconColumns3,
  IconGitCompare,
} from '@tabler/icons-react';
import type { CompareRun } from '../../../src/api/contract';
import { ChartsTab, type ChartsState } from '../components/compare/ChartsTab';
import { preloadPlotly } from '../components/compare/ComparePlot';
import { DiffTab } from '../components/compare/DiffTab';
import type { ChartGroup } from '../components/compare/MetricOverlay';
import { defaultMetricKeys, groupByOptions, groupLabel, groupRuns } from '../components/compare/model';
import { ParallelTab } from '../components/compare/ParallelTab';
import { RunList } from '../components/compare/RunList';
import { ScatterTab } from '../components/compare/ScatterTab';
import { EmptyState } from '../components/EmptyState';
import { plural } from '../format';
import { useCompareRuns } from '../queries';
import { hrefFor, navigate } from '../router';
import { groupColor, runStyles } from '../run-colors';
import '../components/compare/compare.css';

type CompareTab = 'charts' | 'parallel' | 'scatter' | 'diff';

function TooFewRuns({ ids }: { ids: string[] }) {
  return (
    <EmptyState icon={<IconGitCompare size={26} />} title="Pick at least two runs to compare">
      <Text c="dimmed">
        {ids.length === 1 ? 'Only one run is in this comparison. ' : ''}
        In the runs table, tick the checkbox of two or more runs and press <b>Compare</b>. The address of
        a comparison lists its runs — <span className="ld-mono">#/compare?runs=&lt;id&gt;,&lt;id&gt;</span> — so it can be
        bookmarked or shared.
      </Text>
      <Group mt="xs">
        <Button component="a" href={hrefFor({ view: 'runs' })} leftSection={<IconArrowLeft size={16} aria-hidden />}>
          Go to the runs table
        </Button>
      </Group>
    </EmptyState>
  );
}

function CompareError({ ids, error }: { ids: string[]; error: Error }) {
  // The core names the run it could not find; offer the comparison without it.
  const missing = ids.filter((id) => error.message.includes(id));
  const rest = ids.filter((id) => !missing.includes(id));
  return (
    <Box p="md" maw={760}>
      <Alert color="red" title="Cannot compare these runs" role="alert">
        <Text size="sm">{error.message}</Text>
        <Group mt="sm" gap="sm">
          {missing.length > 0 && rest.length >= 2 && (
            <Button size="xs" onClick={() => navigate({ view: 'compare', ids: rest }, { replace: true })}>
              Compare the other {rest.length} runs
            </Button>
          )}
          <Button size="xs" variant="default" component="a" href={hrefFor({ view: 'runs' })}>
            Back to the runs table
          </Button>
        </Group>
      </Alert>
    </Box>
  );
}

export function CompareView({ ids }: { ids: string[] }) {
  const runsQuery = useCompareRuns(ids);
  if (ids.length < 2) return <TooFewRuns ids={ids} />;
  if (runsQuery.error) return <CompareError ids={ids} error={runsQuery.error} />;
  if (!runsQuery.data) {
    return (
      <Group p="md" gap="xs">
        <Loader size="sm" aria-label="Loading runs" />
        <Text size="sm" c="dimmed">
          Loading {ids.length} runs…
        </Text>
      </Group>
    );
  }
  return <Comparison ids={ids} runs={runsQuery.data} />;
}

function Comparison({ ids, runs }: { ids: string[]; runs: CompareRun[] }) {
  const scheme = useComputedColorScheme('light');
  const [hidden, setHidden] = useState<Set<string>>(() => new Set());
  const [groupChoice, setGroupBy] = useState<string | null>(null);
  const [tab, setTab] = useState<CompareTab>('charts');
  const [chosenKeys, setChosenKeys] = useState<string[] | null>(null);
  const [chartSettings, setChartSettings] = useState<Omit<ChartsState, 'keys'>>({ xMode: 'step', smoothing: 0, logY: false });
  const [metricChoice, setMetricChoice] = useState<string | null>(null);
  // plotly (~5 MB) downloads while the points load. Not earlier: evaluating it blocks the page for a
  // moment, and the points' request (queued by the charts' effects, which run first) should leave first.
  useEffect(preloadPlotly, []);

  const idsKey = runs.map((r) => r.id).join(',');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const styles = useMemo(() => runStyles(runs.map((r) => r.id)), [idsKey]);
  const shown = useMemo(() => runs.filter((r) => !hidden.has(r.id)), [runs, hidden]);
  const defaultKeys = useMemo(() => defaultMetricKeys(runs), [runs]);
  // Choices made for other runs (the URL changed) keep only what these runs have.
  const chartKeys = useMemo(() => {
    if (!chosenKeys) return defaultKeys;
    const present = chosenKeys.filter((k) => runs.some((r) => r.metrics[k]));
    return present.length || !chosenKeys.length ? present : defaultKeys;
  }, [chosenKeys, defaultKeys, runs]);
  const chartsState = useMemo<ChartsState>(() => ({ ...chartSettings, keys: chartKeys }), [chartSettings, chartKeys]);
  const onChartsChange = useCallback((next: Partial<ChartsState>) => {
    const { keys, ...rest } = next;
    if (keys) setChosenKeys(keys);
    if (Object.keys(rest).length) setChartSettings((s) => ({ ...s, ...rest }));
  }, []);
  // Parallel coordinates and the scatter share one metric choice, by default the first chart's.
  const metric = (metricChoice && runs.some((r) => r.metrics[metricChoice]) ? metricChoice : chartKeys[0]) ?? null;

  const groupOptions = useMemo(() => groupByOptions(runs), [runs]);
  const groupValid = groupChoice?.startsWith('params.')
    ? groupOptions.params.includes(groupChoice.slice(7))
    : groupChoice?.startsWith('tags.') && groupOptions.tags.includes(groupChoice.slice(5));
  const groupBy = groupValid ? groupChoice : null;
  const listGroups = useMemo<ChartGroup[] | null>(
    () =>
      groupBy
        ? groupRuns(runs, groupBy).map((g, i) => ({ label: groupLabel(groupBy, g.value), color: groupColor(i), runs: g.runs }))
        : null,
    [runs, groupBy],
  );
  const chartGroups = useMemo<ChartGroup[] | null>(
    () => listGroups?.map((g) => ({ ...g, runs: g.runs.filter((r) => !hidden.has(r.id)) })).filter((g) => g.runs.length) ?? null,
    [listGroups, hidden],
  );

  const toggle = useCallback((id: string) => {
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const hideOthers = useCallback(
    (keep: CompareRun[]) => {
      const keepIds = new Set(keep.map((r) => r.id));
      setHidden(new Set(runs.filter((r) => !keepIds.has(r.id)).map((r) => r.id)));
    },
    [runs],
  );
  const remove = (id: string) => navigate({ view: 'compare', ids: ids.filter((x) => x !== id) });

  return (
    <div className="ld-compare">
      <aside className="ld-compare-side">
        <RunList
          runs={runs}
          styles={styles}
          hidden={hidden}
          onToggle={toggle}
          onShowAll={() => setHidden(new Set())}
          onHideAll={() => setHidden(new Set(runs.map((r) => r.id)))}
          onRemove={runs.length > 2 ? remove : null}
          groupBy={groupBy}
          groupOptions={groupOptions}
          onGroupBy={setGroupBy}
          groups={listGroups}
        />
      </aside>
      <section className="ld-compare-main" aria-label="Comparison">
        <Group justify="space-between" align="flex-end" mb="xs" gap="xs">
          <div>
            <Anchor href={hrefFor({ view: 'runs' })} size="sm">
              <Group gap={4}>
                <IconArrowLeft size={14} aria-hidden /> All runs
              </Group>
            </Anchor>
            <Title order={1}>Compare {plural(runs.length, 'run')}</Title>
          </div>
          {groupBy && listGroups && (
            <Text size="sm" c="dimmed">
              Grouped by <span className="ld-mono">{groupBy.replace(/^(params|tags)\./, '')}</span> into {plural(listGroups.length, 'group')}:
              mean line, min–max band
            </Text>
          )}
        </Group>
        <Tabs value={tab} onChange={(v) => v && setTab(v as CompareTab)} keepMounted={false}>
          <Tabs.List aria-label="Comparison views" mb="sm">
            <Tabs.Tab value="charts" leftSection={<IconChartLine size={15} aria-hidden />}>
              Charts
            </Tabs.Tab>
            <Tabs.Tab value="parallel" leftSection={<IconColumns3 size={15} aria-hidden />}>
              Parallel coordinates
            </Tabs.Tab>
            <Tabs.Tab value="scatter" leftSection={<IconChartDots size={15} aria-hidden />}>
              Scatter
            </Tabs.Tab>
            <Tabs.Tab value="diff" leftSection={<IconArrowsDiff size={15} aria-hidden />}>
              Diff
            </Tabs.Tab>
          </Tabs.List>
          {shown.length === 0 && tab !== 'diff' ? (
            <Text size="sm" c="dimmed" py="lg">
              Every run is hidden. Tick a run on the left (or “Show all”) to draw it.
            </Text>
          ) : (
            <>
              <Tabs.Panel value="charts">
                <ChartsTab allRuns={runs} shown={shown} styles={styles} groups={chartGroups} state={chartsState} onChange={onChartsChange} scheme={scheme} />
              </Tabs.Panel>
              <Tabs.Panel value="parallel">
                <ParallelTab shown={shown} styles={styles} scheme={scheme} metric={metric} onMetric={setMetricChoice} onHideOthers={hideOthers} groups={chartGroups} />
              </Tabs.Panel>
              <Tabs.Panel value="scatter">
                <ScatterTab shown={shown} styles={styles} scheme={scheme} metric={metric} onMetric={setMetricChoice} />
              </Tabs.Panel>
            </>
          )}
          <Tabs.Panel value="diff">
            <DiffTab shown={shown} styles={styles} hiddenCount={runs.length - shown.length} />
          </Tabs.Panel>
        </Tabs>
      </section>
    </div>
  );
}
