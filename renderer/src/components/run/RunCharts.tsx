/** Charts tab: one chart per metric, filterable by key. */
import { useState } from 'react';
import { SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconFilter } from '@tabler/icons-react';
import type { RunDetail } from '../../../../src/api/contract';
import { MetricChart } from '../MetricChart';

export function RunCharts({ run }: { run: RunDetail }) {
  const [filter, setFilter] = useState('');
  const keys = Object.keys(run.metrics).sort((a, b) => a.localeCompare(b));
  const shown = keys.filter((k) => k.toLowerCase().includes(filter.trim().toLowerCase()));

  if (!keys.length) {
    return (
      <Text size="sm" c="dimmed">
        This run recorded no metrics to chart.
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      {keys.length > 4 && (
        <TextInput
          aria-label="Filter metrics"
          placeholder="Filter metrics"
          leftSection={<IconFilter size={14} aria-hidden />}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          maw={320}
        />
      )}
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="sm">
        {shown.map((key) => (
          <MetricChart key={key} runId={run.id} metricKey={key} />
        ))}
      </SimpleGrid>
      {!shown.length && (
        <Text size="sm" c="dimmed">
          No metric name contains “{filter}”.
        </Text>
      )}
    </Stack>
  );
}
