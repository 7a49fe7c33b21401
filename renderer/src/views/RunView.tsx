/** One run: a header with what it is and where it came from, then tabs; the tab lives in the URL. */
import { Anchor, Badge, Box, Group, Loader, Tabs, Text } from '@mantine/core';
import { IconMoodEmpty } from '@tabler/icons-react';
import { ApiError } from '../api-client';
import { EmptyState } from '../components/EmptyState';
import { ProblemsTable } from '../components/ProblemsTable';
import { RunCharts } from '../components/run/RunCharts';
import { FailureBanner } from '../components/run/FailureBanner';
import { RunFiles } from '../components/run/RunFiles';
import { NotebookTab } from '../components/run/NotebookTab';
import { RunHeader } from '../components/run/RunHeader';
import { RunOverview } from '../components/run/RunOverview';
import { useRun } from '../queries';
import { hrefFor, navigate, RUN_TABS, type RunTab } from '../router';

const TAB_LABELS: Record<RunTab, string> = {
  overview: 'Overview',
  notebook: 'Notebook',
  charts: 'Charts',
  files: 'Files',
  problems: 'Problems',
};

export function RunView({ id, tab }: { id: string; tab: RunTab }) {
  const run = useRun(id);

  if (run.isPending) {
    return (
      <Group p="xl" justify="center">
        <Loader size="sm" aria-label="Loading run" />
      </Group>
    );
  }
  if (run.error) {
    const gone = run.error instanceof ApiError && run.error.name === 'NotFound';
    return (
      <EmptyState
        icon={<IconMoodEmpty size={26} />}
        title={gone ? 'This run is not in the catalog' : 'Could not open this run'}
        action={<Anchor href={hrefFor({ view: 'runs' })}>Back to all runs</Anchor>}
      >
        <Text c="dimmed">{gone ? 'Its folder may have been removed or moved.' : run.error.message}</Text>
      </EmptyState>
    );
  }

  const r = run.data;
  // The Notebook tab exists for notebook runs only; its URL on another run shows the Overview.
  const tabs = RUN_TABS.filter((t) => t !== 'notebook' || r.format === 'notebook');
  const shown: RunTab = tabs.includes(tab) ? tab : 'overview';
  const counts: Partial<Record<RunTab, number>> = {
    charts: Object.keys(r.metrics).length,
    files: r.sourceFiles.length + r.artifacts.length,
    problems: r.problems.length,
  };
  return (
    <Box p="md">
      <RunHeader run={r} />
      <FailureBanner run={r} />
      <Tabs
        mt="md"
        value={shown}
        keepMounted={false}
        onChange={(t) => t && navigate({ view: 'run', id, tab: t as RunTab }, { replace: true })}
      >
        <Tabs.List>
          {tabs.map((t) => (
            <Tabs.Tab
              key={t}
              value={t}
              rightSection={
                counts[t] ? (
                  <Badge size="xs" variant={t === 'problems' ? 'filled' : 'light'} color={t === 'problems' ? 'orange' : 'gray'} circle={false}>
                    {counts[t]}
                  </Badge>
                ) : undefined
              }
            >
              {TAB_LABELS[t]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <RunOverview run={r} />
        </Tabs.Panel>
        {r.format === 'notebook' && (
          <Tabs.Panel value="notebook" pt="md">
            <NotebookTab run={r} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="charts" pt="md">
          <RunCharts run={r} />
        </Tabs.Panel>
        <Tabs.Panel value="files" pt="md">
          <RunFiles run={r} />
        </Tabs.Panel>
        <Tabs.Panel value="problems" pt="md">
          {r.problems.length ? (
            <ProblemsTable problems={r.problems} showRun={false} />
          ) : (
            <Text size="sm" c="dimmed">
              No problems: every file of this run was read.
            </Text>
          )}
        </Tabs.Panel>
      </Tabs>
    </Box>
  );
}
