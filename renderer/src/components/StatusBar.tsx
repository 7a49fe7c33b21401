/** Status bar: run count, indexing progress, and where the catalog lives. */
import { Group, Text } from '@mantine/core';
import { baseName, formatBytes, plural } from '../format';
import { useIndexProgress, useStats } from '../queries';

export function StatusBar() {
  const stats = useStats().data;
  const progress = Object.values(useIndexProgress());

  return (
    <Group h="100%" px="sm" gap="lg" wrap="nowrap" justify="space-between">
      <Group gap="lg" wrap="nowrap">
        <Text size="xs" fw={600}>
          {stats ? plural(stats.runs, 'run') : '…'}
        </Text>
        {stats && stats.experiments > 0 && (
          <Text size="xs" c="dimmed">
            {plural(stats.experiments, 'experiment')}
          </Text>
        )}
        <Text size="xs" c="dimmed" role="status" aria-live="polite">
          {progress.map((p) => (
            <span key={p.rootPath}>
              Indexing {baseName(p.rootPath)}: {p.phase}, {p.filesSeen} files, {p.runsRead}
              {p.runsTotal ? `/${p.runsTotal}` : ''} runs
            </span>
          ))}
        </Text>
      </Group>
      {stats && (
        <Text size="xs" c="dimmed" truncate="start" title={stats.dbPath} style={{ minWidth: 0 }}>
          Catalog <span className="ld-mono">{stats.dbPath}</span> · {formatBytes(stats.dbSizeBytes)}
        </Text>
      )}
    </Group>
  );
}
