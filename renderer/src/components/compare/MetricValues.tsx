/**
 * A metric every run logged once (a final score, an hparam metric): one point per run draws a whole
 * chart around a dot on a −1..1 axis, so the values are listed instead, one line per run in its colour.
 */
import { Card, Group, Stack, Text } from '@mantine/core';
import type { CompareRun } from '../../../../src/api/contract';
import { exactNumber, formatNumber } from '../../format';
import type { RunStyle } from '../../run-colors';
import { RunSwatch } from './RunList';

/** True when no shown run logged more than one point of `key` (and at least one logged it). */
export function isSingleValue(runs: CompareRun[], key: string): boolean {
  const counts = runs.map((r) => r.metrics[key]?.count).filter((c): c is number => c !== undefined);
  return counts.length > 0 && counts.every((c) => c <= 1);
}

export function MetricValues({ metricKey, runs, styles }: { metricKey: string; runs: CompareRun[]; styles: Map<string, RunStyle> }) {
  const withValue = runs.filter((r) => r.metrics[metricKey]);
  const without = runs.length - withValue.length;
  return (
    <Card withBorder padding="sm" radius="md" role="group" aria-label={`Values of ${metricKey}`}>
      <Group justify="space-between" mb={6}>
        <Text size="sm" fw={600} className="ld-mono" truncate="end">
          {metricKey}
        </Text>
        <Text size="xs" c="dimmed">
          one value per run
        </Text>
      </Group>
      <Stack gap={4} component="ul" className="ld-plain-list">
        {withValue.map((r) => {
          const v = r.metrics[metricKey]!.last;
          return (
            <Group component="li" key={r.id} gap={8} wrap="nowrap" justify="space-between">
              <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
                <RunSwatch style={styles.get(r.id)!} width={16} />
                <Text size="sm" truncate="end">
                  {r.name}
                </Text>
              </Group>
              <Text size="lg" fw={600} className="ld-mono" title={exactNumber(v)}>
                {formatNumber(v)}
              </Text>
            </Group>
          );
        })}
      </Stack>
      {without > 0 && (
        <Text size="xs" c="dimmed" mt={6}>
          Not logged by {without} shown {without === 1 ? 'run' : 'runs'}.
        </Text>
      )}
    </Card>
  );
}
