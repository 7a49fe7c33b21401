/** One run: a header with what it is and where it came from, then tabs; the tab lives in the URL. */
import type { ReactNode } from 'react';
import {
  ActionIcon,
  Anchor,
  Badge,
  Box,
  CopyButton,
  Group,
  Loader,
  Stack,
  Tabs,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconArrowLeft, IconCheck, IconCopy, IconMoodEmpty } from '@tabler/icons-react';
import type { RunDetail } from '../../../src/api/contract';
import { ApiError } from '../api-client';
import { EmptyState } from '../components/EmptyState';
import { ProblemsTable } from '../components/ProblemsTable';
import { RunCharts } from '../components/run/RunCharts';
import { RunFiles } from '../components/run/RunFiles';
import { RunOverview } from '../components/run/RunOverview';
import { StatusPill } from '../components/Status';
import { formatDateTime, formatDuration, formatRelativeTime } from '../format';
import { useRun } from '../queries';
import { hrefFor, navigate, RUN_TABS, type RunTab } from '../router';
import { runColor } from '../theme';
import { useNow } from '../use-now';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

function RunHeader({ run }: { run: RunDetail }) {
  const now = useNow();
  return (
    <Stack gap="xs">
      <Anchor href={hrefFor({ view: 'runs' })} size="sm" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} aria-hidden /> All runs
        </Group>
      </Anchor>
      <Group gap="sm" wrap="nowrap" align="center">
        <span className="ld-swatch" style={{ background: runColor(run.id), minHeight: 24 }} aria-hidden />
        <Title order={1} style={{ overflowWrap: 'anywhere' }}>
          {run.name}
        </Title>
        <StatusPill status={run.status} size="md" />
        {run.name !== run.originalName && (
          <Text size="sm" c="dimmed">
            ({run.originalName})
          </Text>
        )}
      </Group>
      <Group gap="xl" align="flex-start">
        <Fact label="Experiment">{run.experiment}</Fact>
        <Fact label="Format">{run.format}</Fact>
        <Fact label="Started">
          <span title={formatDateTime(run.startTime)}>
            {run.startTime === null ? 'unknown' : `${formatRelativeTime(run.startTime, now)} · ${formatDateTime(run.startTime)}`}
          </span>
        </Fact>
        <Fact label="Duration">{formatDuration(run.durationSeconds)}</Fact>
      </Group>
      <Group gap={4} wrap="nowrap">
        <Text size="sm" className="ld-mono" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {run.path}
        </Text>
        <CopyButton value={run.path}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy path'} withArrow>
              <ActionIcon variant="subtle" color="gray" size="sm" onClick={copy} aria-label="Copy path">
                {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

const TAB_LABELS: Record<RunTab, string> = {
  overview: 'Overview',
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
  const counts: Partial<Record<RunTab, number>> = {
    charts: Object.keys(r.metrics).length,
    files: r.sourceFiles.length + r.artifacts.length,
    problems: r.problems.length,
  };
  return (
    <Box p="md">
      <RunHeader run={r} />
      <Tabs
        mt="md"
        value={tab}
        keepMounted={false}
        onChange={(t) => t && navigate({ view: 'run', id, tab: t as RunTab }, { replace: true })}
      >
        <Tabs.List>
          {RUN_TABS.map((t) => (
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
