/** Charts tab: one chart per metric, filterable by key, with the compare view's x axis, smoothing and log y. */
import { useMemo, useState } from 'react';
import { Group, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconFilter } from '@tabler/icons-react';
import type { RunDetail } from '../../../../src/api/contract';
import type { ChartSettings } from '../compare/MetricOverlay';
import type { XAxisMode } from '../compare/series';
import { SmoothingControl } from '../compare/SmoothingControl';
import { XAxisControl } from '../compare/XAxisControl';
import { MetricChart } from '../MetricChart';

export function RunCharts({ run }: { run: RunDetail }) {
  const [filter, setFilter] = useState('');
  const [xMode, setXMode] = useState<XAxisMode>('step');
  const [smoothing, setSmoothing] = useState(0);
  const [logY, setLogY] = useState(false);
  const settings = useMemo<ChartSettings>(() => ({ xMode, smoothing, logY }), [xMode, smoothing, logY]);
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
      <Group gap="xl" align="flex-end" wrap="wrap" role="group" aria-label="Chart settings">
        {keys.length > 4 && (
          <TextInput
            aria-label="Filter metrics"
            placeholder="Filter metrics"
            leftSection={<IconFilter size={14} aria-hidden />}
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            w={260}
          />
        )}
        <XAxisControl id="run-x-axis" value={xMode} onChange={setXMode} />
        <SmoothingControl id="run-smoothing" value={smoothing} onChange={setSmoothing} />
        <Switch label="Log y" checked={logY} onChange={(e) => setLogY(e.currentTarget.checked)} mb={6} />
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="sm">
        {shown.map((key) => (
          <MetricChart key={key} runId={run.id} metricKey={key} settings={settings} />
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
