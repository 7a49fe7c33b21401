/**
 * Diff: runs as columns, params / metric summaries / tags as rows, nested keys grouped under their
 * prefixes. A row whose values differ is highlighted and says so in words (not colour alone); the cells
 * that differ from the first run are marked too. "Only differences" hides the rest; CSV exports what is shown.
 */
import { useMemo, useState } from 'react';
import { Badge, Button, Card, Group, Stack, Switch, Table, Text } from '@mantine/core';
import { IconEqualNot, IconFileTypeCsv } from '@tabler/icons-react';
import type { CompareRun } from '../../../../src/api/contract';
import { plural } from '../../format';
import type { RunStyle } from '../../run-colors';
import { diffCsv, diffRows, sameValue, visibleRows, type DiffRow } from './diff';
import { RunSwatch } from './RunList';

function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Let the download start before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function DifferBadge() {
  return (
    <Badge size="xs" variant="light" color="orange" leftSection={<IconEqualNot size={10} aria-hidden />} tt="none" className="ld-differs-badge">
      differs
    </Badge>
  );
}

function KeyCell({ row }: { row: DiffRow }) {
  const indent = Math.max(0, row.depth - 1) * 14;
  if (row.kind === 'section') {
    return (
      <Group gap="xs" wrap="nowrap">
        <Text fw={700} size="sm">
          {row.label}
        </Text>
        <Text size="xs" c="dimmed">
          {row.differing ? `${row.differing} of ${plural(row.leaves ?? 0, 'value')} differ` : `${plural(row.leaves ?? 0, 'value')}, all equal`}
        </Text>
      </Group>
    );
  }
  return (
    <Group gap={6} wrap="nowrap" pl={indent} title={row.key}>
      <Text size="sm" className="ld-mono" fw={row.kind === 'group' ? 600 : 400} truncate="end">
        {row.kind === 'group' ? `${row.label}${row.section === 'Metrics' ? '' : '.'}` : row.label}
      </Text>
      {row.kind === 'value' && row.differs && <DifferBadge />}
      {row.kind === 'group' && row.differing ? (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {row.differing}/{row.leaves} differ
        </Text>
      ) : null}
    </Group>
  );
}

export function DiffTab({ shown, styles, hiddenCount }: { shown: CompareRun[]; styles: Map<string, RunStyle>; hiddenCount: number }) {
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const rows = useMemo(() => diffRows(shown), [shown]);
  const visible = useMemo(() => visibleRows(rows, onlyDifferences), [rows, onlyDifferences]);
  const differing = rows.filter((r) => r.kind === 'value' && r.differs).length;
  const leaves = rows.filter((r) => r.kind === 'value').length;

  if (shown.length === 0) {
    return (
      <Text size="sm" c="dimmed" py="lg">
        Every run is hidden. Tick runs on the left to diff them.
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="sm">
        <Group gap="md">
          <Switch label="Only differences" checked={onlyDifferences} onChange={(e) => setOnlyDifferences(e.currentTarget.checked)} />
          <Text size="sm" c="dimmed">
            {differing} of {plural(leaves, 'value')} differ{hiddenCount > 0 && ` · ${hiddenCount} hidden ${hiddenCount === 1 ? 'run' : 'runs'} left out`}
            {shown.length > 1 && ' · cells unlike the first run are marked'}
          </Text>
        </Group>
        <Button
          variant="default"
          size="xs"
          leftSection={<IconFileTypeCsv size={14} aria-hidden />}
          onClick={() => downloadText(diffCsv(shown, visible), 'labdesk-compare-diff.csv', 'text/csv;charset=utf-8')}
        >
          Export CSV
        </Button>
      </Group>
      <Card withBorder padding={0} radius="md" className="ld-diff-scroll">
        <Table aria-label="Run differences" className="ld-diff" stickyHeader withColumnBorders verticalSpacing={4} horizontalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th className="ld-diff-key" scope="col">
                Key
              </Table.Th>
              {shown.map((r) => (
                <Table.Th key={r.id} scope="col" className="ld-diff-run">
                  <Group gap={6} wrap="nowrap">
                    <RunSwatch style={styles.get(r.id)!} width={16} />
                    <Text size="sm" fw={600} truncate="end" title={`${r.name} (${r.id})`}>
                      {r.name}
                    </Text>
                  </Group>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {visible.map((row) =>
              row.kind === 'value' ? (
                <Table.Tr key={row.id} data-differs={row.differs ? 'true' : 'false'} className="ld-diff-row">
                  <Table.Th scope="row" className="ld-diff-key">
                    <KeyCell row={row} />
                  </Table.Th>
                  {row.cells.map((c, i) => {
                    const unlike = row.differs && i > 0 && !sameValue(c.exact, row.cells[0].exact);
                    return (
                      <Table.Td key={shown[i].id} className="ld-diff-cell" data-unlike={unlike || undefined} title={c.exact ?? 'not set'}>
                        {c.text === null ? (
                          <Text span c="dimmed" size="sm">
                            —
                          </Text>
                        ) : (
                          <span className="ld-mono">{c.text}</span>
                        )}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ) : (
                <Table.Tr key={row.id} className={row.kind === 'section' ? 'ld-diff-section' : 'ld-diff-group'}>
                  <Table.Th scope="row" className="ld-diff-key" colSpan={1}>
                    <KeyCell row={row} />
                  </Table.Th>
                  <Table.Td colSpan={shown.length} />
                </Table.Tr>
              ),
            )}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}
