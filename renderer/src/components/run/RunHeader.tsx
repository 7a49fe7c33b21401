/** The run page header: name (renamable), star, status, tags, experiment, where it came from. */
import type { ReactNode } from 'react';
import { ActionIcon, Anchor, CopyButton, Group, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconArrowLeft, IconCheck, IconCopy } from '@tabler/icons-react';
import type { RunDetail } from '../../../../src/api/contract';
import { hrefFor } from '../../router';
import { runColor } from '../../theme';
import { useNow } from '../../use-now';
import { StatusPill } from '../Status';
import { DurationCell, StartedFact } from '../RunTimes';
import { ExperimentLink } from './ExperimentNotes';
import { ArchiveToggle, ArchivedBadge, RunName, RunTags, StarToggle } from './RunAnnotations';

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

export function RunHeader({ run }: { run: RunDetail }) {
  const now = useNow();
  const renamed = run.name !== run.originalName;
  return (
    <Stack gap="xs">
      <Anchor href={hrefFor({ view: 'runs' })} size="sm" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} aria-hidden /> All runs
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Group gap="xs" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
          <span className="ld-swatch" style={{ background: runColor(run.id), minHeight: 34 }} aria-hidden />
          <StarToggle run={run} />
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Group gap="xs" wrap="nowrap" align="center" mih={28}>
              <RunName
                run={run}
                heading={(name) => (
                  <Title order={1} style={{ overflowWrap: 'anywhere' }}>
                    {name}
                  </Title>
                )}
              />
              <StatusPill status={run.status} size="md" />
              {run.archived && <ArchivedBadge />}
            </Group>
            {renamed && (
              <Text size="xs" c="dimmed">
                originally <span className="ld-mono">{run.originalName}</span>
              </Text>
            )}
          </Stack>
        </Group>
        <ArchiveToggle run={run} />
      </Group>
      <RunTags run={run} />
      <Group gap="xl" align="flex-start">
        <Fact label="Experiment">
          <ExperimentLink run={run} />
        </Fact>
        <Fact label="Format">{run.format}</Fact>
        <Fact label="Started">
          <StartedFact run={run} now={now} />
        </Fact>
        <Fact label="Duration">
          <DurationCell run={run} />
        </Fact>
        {run.execution !== null && (
          // One of several executions saved in the file below (a notebook's start time).
          <Fact label="Execution">
            <span className="ld-mono">{run.execution}</span>
          </Fact>
        )}
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
