/** Status bar: run count, running jobs (index passes, hashing) with progress and cancel, and where the catalog lives. */
import { useId } from 'react';
import { ActionIcon, Button, Group, Popover, Progress, Stack, Text, VisuallyHidden } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import type { JobInfo } from '../../../src/api/contract';
import { baseName, formatBytes, formatCount, plural } from '../format';
import { useCancelJob, useRunningJobs, useStats } from '../queries';

const VERB: Record<JobInfo['kind'], string> = { index: 'Indexing', hash: 'Hashing' };

/** "1,234 / 5,000 runs · 310 runs/s"; bytes as MB and MB/s for jobs that read files whole. */
export function jobProgressText(job: JobInfo): string {
  const parts: string[] = [];
  if (job.unit === 'files' && job.kind === 'index') parts.push(`walking, ${plural(job.done, 'file')}`);
  else if (job.total > 1 || job.rateUnit !== 'bytes') parts.push(`${formatCount(job.done)} / ${formatCount(job.total)} ${job.unit}`);
  if (job.bytesTotal > 0) parts.push(`${formatBytes(job.bytes)} / ${formatBytes(job.bytesTotal)}`);
  if (job.rate !== null) parts.push(job.rateUnit === 'bytes' ? `${formatBytes(Math.round(job.rate))}/s` : `${formatCount(Math.round(job.rate))} ${job.rateUnit}/s`);
  return parts.join(' · ');
}

/** 0–100, or null while the amount of work is unknown (a pass still walking its folder). */
function percent(job: JobInfo): number | null {
  if (job.bytesTotal > 0) return Math.min(100, (job.bytes / job.bytesTotal) * 100);
  if (job.total > 0) return Math.min(100, (job.done / job.total) * 100);
  return null;
}

function JobRow({ job, wide = false }: { job: JobInfo; wide?: boolean }) {
  const cancel = useCancelJob();
  const pct = percent(job);
  const name = wide ? job.label : baseName(job.label);
  return (
    <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }} title={job.label}>
      <Progress
        value={pct ?? 100}
        striped={pct === null}
        color={pct === null ? 'gray' : undefined}
        size="sm"
        w={wide ? 140 : 88}
        aria-label={`${VERB[job.kind]} ${job.label}`}
        style={{ flex: 'none' }}
      />
      <Text size="xs" c="dimmed" truncate="end" style={{ minWidth: 0 }}>
        {VERB[job.kind]} <span className="ld-mono">{name}</span> · {jobProgressText(job)}
      </Text>
      <ActionIcon
        size="sm"
        variant="subtle"
        color="gray"
        aria-label={`Cancel ${job.label}`}
        onClick={() => cancel.mutate(job.id)}
        loading={cancel.isPending}
        style={{ flex: 'none' }}
      >
        <IconX size={13} aria-hidden />
      </ActionIcon>
    </Group>
  );
}

/** The newest running job, and "+N more" opening a list of them all. */
function Jobs({ jobs }: { jobs: JobInfo[] }) {
  const headingId = useId();
  if (!jobs.length) return null;
  const [newest, ...others] = jobs;
  return (
    <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }} aria-label="Running jobs" role="group">
      <JobRow job={newest} />
      {others.length > 0 && (
        <Popover position="top-start" withArrow shadow="md" width={560}>
          <Popover.Target>
            <Button size="compact-xs" variant="subtle" color="gray" style={{ flex: 'none' }}>
              +{others.length} more
            </Button>
          </Popover.Target>
          {/* Named by its heading: Mantine names a dropdown after its target ("+1 more") otherwise. */}
          <Popover.Dropdown aria-labelledby={headingId}>
            <Stack gap={6}>
              <Text size="xs" fw={600} id={headingId}>
                Running jobs ({jobs.length})
              </Text>
              {jobs.map((job) => (
                <JobRow key={job.id} job={job} wide />
              ))}
            </Stack>
          </Popover.Dropdown>
        </Popover>
      )}
    </Group>
  );
}

export function StatusBar() {
  const stats = useStats().data;
  const jobs = useRunningJobs();

  return (
    <Group h="100%" px="sm" gap="lg" wrap="nowrap" justify="space-between">
      <Group gap="lg" wrap="nowrap" style={{ minWidth: 0 }}>
        <Text size="xs" fw={600} style={{ flex: 'none' }}>
          {stats ? plural(stats.runs, 'run') : '…'}
        </Text>
        {stats && stats.experiments > 0 && (
          // On narrow windows the room goes to a running job's progress.
          <Text size="xs" c="dimmed" style={{ flex: 'none' }} visibleFrom={jobs.length ? 'md' : undefined}>
            {plural(stats.experiments, 'experiment')}
          </Text>
        )}
        <Jobs jobs={jobs} />
        {/* Which jobs run, not their counters: a screen reader hears a job start and end, not every tick. */}
        <VisuallyHidden role="status" aria-live="polite">
          {jobs.map((j) => `${VERB[j.kind]} ${baseName(j.label)}`).join(', ')}
        </VisuallyHidden>
      </Group>
      {stats && (
        <Text size="xs" c="dimmed" truncate="start" title={stats.dbPath} style={{ minWidth: 0, flexShrink: 1000 }}>
          Catalog <span className="ld-mono">{stats.dbPath}</span> · {formatBytes(stats.dbSizeBytes)}
        </Text>
      )}
    </Group>
  );
}
