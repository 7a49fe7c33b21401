/**
 * A run's file opened inside the app: text, pretty JSON, YAML, CSV as a table and images, read by
 * `artifacts.preview` (bounded, inside the run's folder only). What cannot be shown says why.
 */
import { Alert, Badge, Code, Group, Image, Loader, Modal, ScrollArea, Table, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { FilePreview as Preview } from '../../../../src/api/contract';
import { api } from '../../api-client';
import { formatBytes } from '../../format';

function usePreview(run: string, path: string | null) {
  return useQuery({
    queryKey: ['file-preview', run, path] as const,
    queryFn: () => api['artifacts.preview']({ run, path: path! }),
    enabled: path !== null,
    staleTime: 10_000,
    retry: false,
  });
}

function PreviewBody({ preview }: { preview: Preview }) {
  switch (preview.kind) {
    case 'unavailable':
      return (
        <Alert color="orange" icon={<IconAlertTriangle size={16} />} title="Cannot preview this file">
          {preview.reason}
        </Alert>
      );
    case 'image':
      return <Image src={`data:${preview.mime};base64,${preview.data}`} alt={`Preview of ${baseName(preview.path)}`} fit="contain" mah="70vh" />;
    case 'table':
      return (
        <ScrollArea.Autosize mah="70vh" type="auto">
          <Table fz="xs" striped withTableBorder withColumnBorders stickyHeader aria-label={`Rows of ${baseName(preview.path)}`}>
            <Table.Thead>
              <Table.Tr>
                {preview.columns.map((c, i) => (
                  <Table.Th key={i} className="ld-mono" style={{ whiteSpace: 'nowrap' }}>
                    {c}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.rows.map((row, r) => (
                <Table.Tr key={r}>
                  {row.map((cell, i) => (
                    <Table.Td key={i} className="ld-num">
                      {cell}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      );
    case 'text':
      return (
        <ScrollArea.Autosize mah="70vh" type="auto">
          <Code block aria-label={`Contents of ${baseName(preview.path)}`} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {preview.text}
          </Code>
        </ScrollArea.Autosize>
      );
  }
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

function summary(preview: Preview): string {
  const size = preview.sizeBytes === null ? '' : formatBytes(preview.sizeBytes);
  if (preview.kind === 'table') return `${preview.rows.length.toLocaleString()} rows${preview.truncated ? ' shown (truncated)' : ''} · ${size}`;
  if (preview.kind === 'text') return `${preview.syntax.toUpperCase()} · ${size}${preview.truncated ? ' · truncated: the start of the file' : ''}`;
  return size;
}

/** The preview dialog for `path` (closed when null). */
export function FilePreviewModal({ run, path, label, onClose }: { run: string; path: string | null; label: string; onClose: () => void }) {
  const preview = usePreview(run, path);
  return (
    <Modal opened={path !== null} onClose={onClose} size="xl" title={<Text fw={600} className="ld-mono">{label}</Text>}>
      {preview.isPending ? (
        <Group justify="center" p="lg">
          <Loader size="sm" aria-label="Loading preview" />
        </Group>
      ) : preview.error ? (
        <Alert color="red" icon={<IconAlertTriangle size={16} />} title="Cannot preview this file">
          {preview.error.message}
        </Alert>
      ) : (
        <>
          <Group mb="xs" gap="xs">
            <Text size="xs" c="dimmed">{summary(preview.data)}</Text>
            {'truncated' in preview.data && preview.data.truncated && (
              <Badge size="xs" color="yellow" variant="light">
                Truncated
              </Badge>
            )}
          </Group>
          <PreviewBody preview={preview.data} />
        </>
      )}
    </Modal>
  );
}
