/**
 * The label of a group's header row in the runs table: what the group is, how many runs it holds,
 * and, when the table is sorted by a metric, the group's best value of it (from `runs.groups`).
 */
import { Badge, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import type { GroupBy, RunGroup, RunSort } from '../../../src/api/contract';
import { exactNumber, formatNumber, plural } from '../format';

/** "val_acc" for `metrics.val_acc`, "val_loss (min)" for `metrics.val_loss:min`; null for other sorts. */
export function sortMetricName(sort: RunSort): string | null {
  const m = /^metrics\.(.+?)(?::(last|min|max))?$/.exec(sort.column);
  if (!m) return null;
  return m[2] && m[2] !== 'last' ? `${m[1]} (${m[2]})` : m[1];
}

export function GroupHeader({ group, groupBy, sort, collapsed }: { group: RunGroup; groupBy: GroupBy; sort: RunSort; collapsed: boolean }) {
  const Chevron = collapsed ? IconChevronRight : IconChevronDown;
  const key = groupBy.replace(/^(tags|params)\./, '');
  // A param or tag value alone ("16") does not say what it is: name the key.
  const keyed = groupBy !== key;
  const label = group.value === null ? `no ${key}` : keyed ? `${key} = ${group.label ?? group.value}` : (group.label ?? group.value);
  const metric = sortMetricName(sort);
  return (
    <span className="ld-group-label">
      <Chevron size={14} aria-hidden />
      <span className={group.value === null ? undefined : 'ld-mono'}>{label}</span>
      <Badge size="sm" variant="light" color="gray" style={{ textTransform: 'none' }}>
        {plural(group.count, 'run')}
      </Badge>
      {metric && group.best !== undefined && (
        <Text span size="xs" c="dimmed" fw={400} title={group.best === null ? undefined : exactNumber(group.best)}>
          {group.best === null
            ? `no run logs ${metric}`
            : `best ${metric} ${formatNumber(group.best)} (${sort.direction === 'desc' ? 'highest' : 'lowest'})`}
        </Text>
      )}
    </span>
  );
}
