/**
 * Who each parallel-coordinates line is: parcoords draws no legend and has no hover per line, so the
 * runs (or, when grouped, the groups) are listed under the plot in their line colours.
 */
import { Group, Text } from '@mantine/core';
import type { CompareRun } from '../../../../src/api/contract';
import type { RunStyle } from '../../run-colors';
import type { ChartGroup } from './MetricOverlay';

const MAX_ITEMS = 30;

export function ParallelLegend({ runs, styles, groups }: { runs: CompareRun[]; styles: Map<string, RunStyle>; groups: ChartGroup[] | null }) {
  const ids = new Set(runs.map((r) => r.id));
  const items = groups
    ? groups
        .map((g) => ({ key: g.label, label: g.label, color: g.color, count: g.runs.filter((r) => ids.has(r.id)).length }))
        .filter((g) => g.count > 0)
        .map((g) => ({ ...g, label: `${g.label} (${g.count})` }))
    : runs.map((r) => ({ key: r.id, label: r.name, color: styles.get(r.id)!.color }));
  return (
    <Group component="ul" aria-label={groups ? 'Line colours by group' : 'Line colours by run'} gap="md" mt={6} className="ld-plain-list" wrap="wrap">
      {items.slice(0, MAX_ITEMS).map((it) => (
        <Group component="li" key={it.key} gap={6} wrap="nowrap">
          <span className="ld-legend-line" style={{ background: it.color }} aria-hidden />
          <Text size="xs" className="ld-mono">
            {it.label}
          </Text>
        </Group>
      ))}
      {items.length > MAX_ITEMS && (
        <Text component="li" size="xs" c="dimmed">
          and {items.length - MAX_ITEMS} more
        </Text>
      )}
    </Group>
  );
}
