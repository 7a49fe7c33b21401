/**
 * The compare view's left panel: the compared runs with their colour (and dash), each with a "Show"
 * checkbox and a way out of the comparison; "Group by" a param or tag turns them into groups.
 */
import { ActionIcon, Anchor, Badge, Button, Checkbox, Group, ScrollArea, Select, Stack, Text } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import type { CompareRun } from '../../../../src/api/contract';
import { plural, runPlace } from '../../format';
import { hrefFor } from '../../router';
import { DASH_ARRAYS, type RunStyle } from '../../run-colors';
import type { ChartGroup } from './MetricOverlay';

/** A short line in the run's colour and dash: the same mark the charts draw. */
export function RunSwatch({ style, width = 22 }: { style: RunStyle; width?: number }) {
  return (
    <svg width={width} height={10} aria-hidden style={{ flex: 'none' }}>
      <line x1={1} y1={5} x2={width - 1} y2={5} stroke={style.color} strokeWidth={3} strokeLinecap="round" strokeDasharray={DASH_ARRAYS[style.dash]} />
    </svg>
  );
}

function RunItem({
  run,
  style,
  shown,
  onToggle,
  onRemove,
}: {
  run: CompareRun;
  style: RunStyle;
  shown: boolean;
  onToggle: () => void;
  onRemove: (() => void) | null;
}) {
  return (
    <Group gap={8} wrap="nowrap" className="ld-compare-run" data-hidden={!shown || undefined}>
      <Checkbox size="xs" checked={shown} onChange={onToggle} aria-label={`Show ${run.name}`} />
      <RunSwatch style={style} />
      <Stack gap={0} style={{ minWidth: 0, flex: 1, opacity: shown ? 1 : 0.55 }}>
        <Anchor href={hrefFor({ view: 'run', id: run.id, tab: 'overview' })} size="sm" truncate="end" title={`${run.name} — open the run`}>
          {run.name}
        </Anchor>
        <Text size="xs" c="dimmed" truncate="end" title={runPlace(run)}>
          {run.experiment || run.format} · {run.format}
        </Text>
      </Stack>
      {onRemove && (
        // A title, not a Tooltip: a hundred floating tooltips cost a visible pause on first render.
        <ActionIcon
          variant="subtle"
          color="gray"
          size="sm"
          onClick={onRemove}
          aria-label={`Remove ${run.name} from the comparison`}
          title="Remove from the comparison"
        >
          <IconX size={14} aria-hidden />
        </ActionIcon>
      )}
    </Group>
  );
}

export function RunList({
  runs,
  styles,
  hidden,
  onToggle,
  onShowAll,
  onHideAll,
  onRemove,
  groupBy,
  groupOptions,
  onGroupBy,
  groups,
}: {
  runs: CompareRun[];
  styles: Map<string, RunStyle>;
  hidden: Set<string>;
  onToggle: (id: string) => void;
  onShowAll: () => void;
  onHideAll: () => void;
  /** Null when removing would leave fewer than two runs. */
  onRemove: ((id: string) => void) | null;
  groupBy: string | null;
  groupOptions: { params: string[]; tags: string[] };
  onGroupBy: (value: string | null) => void;
  /** Set when grouped: groups in order, with their colours. */
  groups: ChartGroup[] | null;
}) {
  // Grouped, the charts draw groups, not runs: each run wears its group's colour here too.
  const item = (run: CompareRun, groupStyle?: RunStyle) => (
    <RunItem
      key={run.id}
      run={run}
      style={groupStyle ?? styles.get(run.id)!}
      shown={!hidden.has(run.id)}
      onToggle={() => onToggle(run.id)}
      onRemove={onRemove && (() => onRemove(run.id))}
    />
  );
  const shownCount = runs.length - runs.filter((r) => hidden.has(r.id)).length;

  return (
    <Stack gap="sm" h="100%" component="section" aria-label="Compared runs">
      <Stack gap={6} px="sm" pt="sm">
        <Group justify="space-between" gap="xs">
          <Text fw={600} size="sm">
            {plural(runs.length, 'run')}
            {shownCount < runs.length && (
              <Text span c="dimmed" size="xs">
                {' '}
                · {shownCount} shown
              </Text>
            )}
          </Text>
          <Group gap={2}>
            <Button variant="subtle" size="compact-xs" onClick={onShowAll} disabled={shownCount === runs.length}>
              Show all
            </Button>
            <Button variant="subtle" size="compact-xs" onClick={onHideAll} disabled={shownCount === 0}>
              Hide all
            </Button>
          </Group>
        </Group>
        <Select
          label="Group by"
          placeholder="No grouping"
          size="xs"
          clearable
          searchable
          value={groupBy}
          onChange={onGroupBy}
          data={[
            { group: 'Params', items: groupOptions.params.map((k) => ({ value: `params.${k}`, label: k })) },
            { group: 'Tags', items: groupOptions.tags.map((k) => ({ value: `tags.${k}`, label: k })) },
          ].filter((g) => g.items.length)}
          nothingFoundMessage="No param or tag by that name"
          comboboxProps={{ withinPortal: true }}
        />
      </Stack>
      <ScrollArea style={{ flex: 1 }} px="sm" pb="sm" type="auto">
        {groups ? (
          <Stack gap="md">
            {groups.map((g) => (
              <Stack key={g.label} gap={6} role="group" aria-label={`Group ${g.label}`}>
                <Group gap={6} wrap="nowrap">
                  <span className="ld-dot" style={{ background: g.color, width: 10, height: 10 }} aria-hidden />
                  <Text size="xs" fw={600} className="ld-mono" truncate="end" title={g.label}>
                    {g.label}
                  </Text>
                  <Badge size="xs" variant="light" color="gray">
                    {g.runs.length}
                  </Badge>
                </Group>
                {g.runs.map((r) => item(r, { color: g.color, dash: 'solid' }))}
              </Stack>
            ))}
          </Stack>
        ) : (
          <Stack gap={6}>{runs.map((r) => item(r))}</Stack>
        )}
      </ScrollArea>
    </Stack>
  );
}
