/** Files tab: the files the run was read from, then its artifacts. */
import { Table, Text, Title, Stack } from '@mantine/core';
import type { RunDetail } from '../../../../src/api/contract';
import { formatBytes, formatDateTime } from '../../format';

/** Paths inside the run folder read better relative to it. */
function relativeTo(base: string, path: string): string {
  return path.startsWith(base + '/') || path.startsWith(base + '\\') ? path.slice(base.length + 1) : path;
}

export function RunFiles({ run }: { run: RunDetail }) {
  return (
    <Stack gap="lg">
      <section aria-label="Source files">
        <Title order={3} size="sm" mb={6}>
          Source files
        </Title>
        {run.sourceFiles.length ? (
          <Table withTableBorder fz="sm" verticalSpacing={4} aria-label="Source files">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th ta="right" w={110}>Size</Table.Th>
                <Table.Th w={200}>Modified</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {run.sourceFiles.map((f) => (
                <Table.Tr key={f.path}>
                  <Table.Td className="ld-mono" title={f.path} style={{ wordBreak: 'break-all' }}>
                    {relativeTo(run.path, f.path)}
                  </Table.Td>
                  <Table.Td className="ld-num" title={`${f.sizeBytes} bytes`}>
                    {formatBytes(f.sizeBytes)}
                  </Table.Td>
                  <Table.Td>{formatDateTime(f.mtime)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text size="sm" c="dimmed">No source files recorded.</Text>
        )}
      </section>
      {run.artifacts.length > 0 && (
        <section aria-label="Artifacts">
          <Title order={3} size="sm" mb={6}>
            Artifacts
          </Title>
          <Table withTableBorder fz="sm" verticalSpacing={4} aria-label="Artifacts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th w={140}>Kind</Table.Th>
                <Table.Th ta="right" w={110}>Size</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {run.artifacts.map((a) => (
                <Table.Tr key={a.path}>
                  <Table.Td className="ld-mono" title={a.path} style={{ wordBreak: 'break-all' }}>
                    {relativeTo(run.path, a.path)}
                  </Table.Td>
                  <Table.Td>{a.kind}</Table.Td>
                  <Table.Td className="ld-num">{formatBytes(a.sizeBytes)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
      )}
    </Stack>
  );
}
