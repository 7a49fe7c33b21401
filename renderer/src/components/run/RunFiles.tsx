/** Files tab: the files the run was read from, then its artifacts. */
import { useState } from 'react';
import { ActionIcon, Group, Table, Text, Title, Stack, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconEye, IconFolderOpen } from '@tabler/icons-react';
import type { RunDetail } from '../../../../src/api/contract';
import { client } from '../../api-client';
import { formatBytes, formatDateTime } from '../../format';
import { FilePreviewModal } from './FilePreview';

/** Paths inside the run folder read better relative to it. */
function relativeTo(base: string, path: string): string {
  return path.startsWith(base + '/') || path.startsWith(base + '\\') ? path.slice(base.length + 1) : path;
}

/** Preview inside the app, and on the desktop "Show in folder" (the browser cannot reveal files). */
function FileActions({ run, path, label, onPreview, onProblem }: { run: string; path: string; label: string; onPreview: () => void; onProblem: (why: string) => void }) {
  const show = client.showInFolder;
  return (
    <Group gap={2} wrap="nowrap" justify="flex-end">
      <Tooltip label="Preview">
        <ActionIcon variant="subtle" size="sm" aria-label={`Preview ${label}`} onClick={onPreview}>
          <IconEye size={15} aria-hidden />
        </ActionIcon>
      </Tooltip>
      {show && (
        <Tooltip label="Show in folder">
          <ActionIcon
            variant="subtle"
            size="sm"
            aria-label={`Show ${label} in folder`}
            onClick={() =>
              void show(run, path).then((why) => why && onProblem(why))
            }
          >
            <IconFolderOpen size={15} aria-hidden />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}

export function RunFiles({ run }: { run: RunDetail }) {
  const [open, setOpen] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const actions = (path: string) => (
    <Table.Td>
      <FileActions run={run.id} path={path} label={relativeTo(run.path, path)} onPreview={() => setOpen(path)} onProblem={setProblem} />
    </Table.Td>
  );
  return (
    <Stack gap="lg">
      <FilePreviewModal run={run.id} path={open} label={open ? relativeTo(run.path, open) : ''} onClose={() => setOpen(null)} />
      {problem && (
        <Text size="sm" c="orange" role="status">
          {problem}
        </Text>
      )}
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
                <Table.Th w={72}><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
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
                  {actions(f.path)}
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
                <Table.Th w={72}><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
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
                  {a.kind.startsWith('figure:') ? <Table.Td /> : actions(a.path)}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
      )}
    </Stack>
  );
}
