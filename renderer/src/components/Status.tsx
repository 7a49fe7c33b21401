/** Status signals that never rely on colour alone: each has a word and an icon (or shape) too. */
import { Badge, Group, Text } from '@mantine/core';
import {
  IconCircleCheck,
  IconCircleX,
  IconHelpCircle,
  IconPlayerStop,
  IconPlayerPlay,
} from '@tabler/icons-react';
import type { RootStatus, RunStatus } from '../../../src/api/contract';

const RUN_STATUS: Record<RunStatus, { color: string; label: string; Icon: typeof IconCircleCheck }> = {
  running: { color: 'blue', label: 'running', Icon: IconPlayerPlay },
  finished: { color: 'teal', label: 'finished', Icon: IconCircleCheck },
  failed: { color: 'red', label: 'failed', Icon: IconCircleX },
  killed: { color: 'orange', label: 'killed', Icon: IconPlayerStop },
  unknown: { color: 'gray', label: 'unknown', Icon: IconHelpCircle },
};

export function StatusPill({ status, size = 'sm' }: { status: RunStatus; size?: 'xs' | 'sm' | 'md' }) {
  const { color, label, Icon } = RUN_STATUS[status] ?? RUN_STATUS.unknown;
  return (
    <Badge
      variant="light"
      color={color}
      size={size}
      // Only the icon pulses: the word stays fully legible.
      leftSection={<Icon size={12} stroke={2} aria-hidden className={status === 'running' ? 'ld-pulse' : undefined} />}
      tt="none"
    >
      {label}
    </Badge>
  );
}

/**
 * The runs grid's status: the pill's look in a plain span (styles.css, `.ld-status`). A Badge per
 * row is a few Mantine boxes each; the grid renders hundreds of rows.
 */
export function StatusTag({ status }: { status: RunStatus }) {
  const { color, label, Icon } = RUN_STATUS[status] ?? RUN_STATUS.unknown;
  return (
    <span
      className="ld-status"
      style={{ ['--ld-status-bg' as string]: `var(--mantine-color-${color}-light)`, ['--ld-status-fg' as string]: `var(--mantine-color-${color}-light-color)` }}
    >
      <Icon size={12} stroke={2} aria-hidden className={status === 'running' ? 'ld-pulse' : undefined} />
      {label}
    </span>
  );
}

const ROOT_STATUS: Record<RootStatus, { color: string; label: string; title?: string }> = {
  idle: { color: 'var(--mantine-color-gray-5)', label: 'idle' },
  indexing: { color: 'var(--mantine-color-blue-5)', label: 'indexing' },
  live: { color: 'var(--mantine-color-teal-5)', label: 'live' },
  error: { color: 'var(--mantine-color-red-6)', label: 'error' },
  missing: { color: 'var(--mantine-color-orange-6)', label: 'missing' },
  stopped: {
    color: 'var(--mantine-color-yellow-6)',
    label: 'stopped',
    title: 'Indexing was stopped before it finished: the catalog shows what it held before that pass. Index again from the folder’s menu.',
  },
};

export function RootStatusDot({ status }: { status: RootStatus }) {
  const { color, label, title } = ROOT_STATUS[status] ?? ROOT_STATUS.idle;
  return (
    <Group gap={5} wrap="nowrap" title={title}>
      <span
        className={`ld-dot${status === 'indexing' ? ' ld-pulse' : ''}`}
        style={{ background: color }}
        aria-hidden
      />
      <Text span size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}
