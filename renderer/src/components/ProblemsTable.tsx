/** Files Labdesk could not read, with the file and the reason: shared by the Problems view and run tab. */
import { Anchor, Table, Text } from '@mantine/core';
import type { ProblemInfo } from '../../../src/api/contract';
import { formatDateTime, formatRelativeTime } from '../format';
import { hrefFor } from '../router';
import { useNow } from '../use-now';

export function ProblemsTable({ problems, showRun = true }: { problems: ProblemInfo[]; showRun?: boolean }) {
  const now = useNow();
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table stickyHeader striped highlightOnHover verticalSpacing={6} fz="sm" aria-label="Problems">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={110}>Found</Table.Th>
            <Table.Th w={110}>Format</Table.Th>
            <Table.Th>File</Table.Th>
            <Table.Th>What went wrong</Table.Th>
            {showRun && <Table.Th w={90}>Run</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {problems.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td title={formatDateTime(p.time)} style={{ whiteSpace: 'nowrap' }}>
                {formatRelativeTime(p.time, now)}
              </Table.Td>
              <Table.Td>
                <Text span size="xs" c="dimmed">
                  {p.format}
                </Text>
              </Table.Td>
              <Table.Td className="ld-mono" style={{ wordBreak: 'break-all' }}>
                {p.path}
              </Table.Td>
              <Table.Td>{p.message}</Table.Td>
              {showRun && (
                <Table.Td>
                  {p.runId && (
                    <Anchor size="sm" href={hrefFor({ view: 'run', id: p.runId, tab: 'problems' })}>
                      Open run
                    </Anchor>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
