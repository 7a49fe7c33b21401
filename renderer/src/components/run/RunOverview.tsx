/** Overview tab: the user's note, then params and metric summaries side by side. */
import type { ReactNode } from 'react';
import { SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { RunDetail } from '../../../../src/api/contract';
import { exactNumber, formatCount, formatNumber } from '../../format';
import { useAnnotateRun } from '../../queries';
import { NoteEditor } from './NoteEditor';
import { FigureGallery } from './FigureGallery';
import { NotebookSummary } from './NotebookSummary';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title}>
      <Title order={3} size="sm" mb={6}>
        {title}
      </Title>
      {children}
    </section>
  );
}

const Num = ({ v }: { v: Parameters<typeof formatNumber>[0] }) => (
  <Table.Td className="ld-num" title={exactNumber(v)}>
    {formatNumber(v)}
  </Table.Td>
);

export function RunOverview({ run }: { run: RunDetail }) {
  const params = Object.entries(run.params).sort(([a], [b]) => a.localeCompare(b));
  const metrics = Object.entries(run.metrics).sort(([a], [b]) => a.localeCompare(b));
  const tags = Object.entries(run.tags ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (run.gitCommit) tags.unshift(['git.commit', run.gitCommit]);

  return (
    <Stack gap="lg">
      {run.format === 'notebook' && <NotebookSummary run={run} />}
      <Section title="Note">
        <RunNote run={run} />
      </Section>
      <FigureGallery run={run} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl" verticalSpacing="lg">
        <Section title="Params">
          {params.length ? (
            <Table withTableBorder fz="sm" verticalSpacing={4} aria-label="Params">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Value</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {params.map(([k, v]) => (
                  <Table.Tr key={k}>
                    <Table.Td className="ld-mono">{k}</Table.Td>
                    <Table.Td className="ld-mono" style={{ wordBreak: 'break-all' }}>
                      {v}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Text size="sm" c="dimmed">
              This run recorded no params.
            </Text>
          )}
        </Section>
        <Section title="Metrics">
          {metrics.length ? (
            <Table.ScrollContainer minWidth={480}>
              <Table withTableBorder fz="sm" verticalSpacing={4} aria-label="Metric summaries">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Metric</Table.Th>
                    <Table.Th ta="right">Last</Table.Th>
                    <Table.Th ta="right">Min</Table.Th>
                    <Table.Th ta="right">Max</Table.Th>
                    <Table.Th ta="right">Last step</Table.Th>
                    <Table.Th ta="right">Points</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {metrics.map(([k, m]) => (
                    <Table.Tr key={k}>
                      <Table.Td className="ld-mono">{k}</Table.Td>
                      <Num v={m.last} />
                      <Num v={m.min} />
                      <Num v={m.max} />
                      <Table.Td className="ld-num">{formatCount(m.lastStep)}</Table.Td>
                      <Table.Td className="ld-num">{formatCount(m.count)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : (
            <Text size="sm" c="dimmed">
              This run recorded no metrics.
            </Text>
          )}
        </Section>
        {tags.length > 0 && (
          <Section title="Tags from the tool">
            <Table withTableBorder fz="sm" verticalSpacing={4} aria-label="Tags">
              <Table.Tbody>
                {tags.map(([k, v]) => (
                  <Table.Tr key={k}>
                    <Table.Td className="ld-mono">{k}</Table.Td>
                    <Table.Td className="ld-mono">{v}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
        )}
      </SimpleGrid>
    </Stack>
  );
}

function RunNote({ run }: { run: RunDetail }) {
  const annotate = useAnnotateRun();
  return (
    <NoteEditor
      label="Note"
      value={run.note}
      empty="No note yet: what this run tried, what you learned, what to do next."
      onSave={(note) => annotate.mutateAsync({ id: run.id, note })}
      saving={annotate.isPending}
      error={annotate.error}
    />
  );
}
