/**
 * Notebook tab: a read-only rendering of a notebook run, read from its file by `notebooks.render`.
 * Markdown cells through the app's safe Markdown renderer, code cells in monospace with their
 * `In [n]` prompt, outputs as text (HTML outputs as their text) and figures fetched by path.
 */
import { useEffect } from 'react';
import { Alert, Badge, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import type { NotebookCellView, NotebookOutputView, RunDetail } from '../../../../src/api/contract';
import { formatCount, plural } from '../../format';
import { useNotebookView } from '../../queries';
import { Markdown } from '../Markdown';
import { FigureImage, notebookVersion } from './FigureGallery';
import { notebookCellId, takePendingCell } from './NotebookLinks';
import { OpenNotebookButton } from './NotebookSummary';

/** `In [4]`, `In [ ]` for a code cell that never ran. */
const prompt = (count: number | null) => `In [${count ?? ' '}]`;

/** How a cell is named to users and to assistive tech: "Cell 4 (In [4])", "Cell 0 (markdown)". */
export function cellName(cell: Pick<NotebookCellView, 'index' | 'type' | 'executionCount'>): string {
  if (cell.type !== 'code') return `Cell ${cell.index} (${cell.type})`;
  return cell.executionCount === null ? `Cell ${cell.index} (not run)` : `Cell ${cell.index} (${prompt(cell.executionCount)})`;
}

export function NotebookTab({ run }: { run: RunDetail }) {
  const version = notebookVersion(run);
  const view = useNotebookView(run.id, version);

  // "Show in notebook" elsewhere on the page: reveal that cell once the rendering is in; focus marks it.
  useEffect(() => {
    if (!view.data) return;
    const cell = takePendingCell(run.id);
    if (cell === null) return;
    const el = document.getElementById(notebookCellId(cell));
    el?.scrollIntoView({ block: 'start' });
    el?.focus({ preventScroll: true });
  }, [view.data, run.id]);

  if (view.isPending) {
    return (
      <Group p="md" gap="xs">
        <Loader size="sm" aria-label="Loading the notebook" />
        <Text size="sm" c="dimmed">
          Reading the notebook…
        </Text>
      </Group>
    );
  }
  if (view.error) {
    return (
      <Alert color="red" icon={<IconAlertTriangle size={18} />} title="Could not show this notebook">
        {view.error.message}
      </Alert>
    );
  }

  const nb = view.data;
  const code = nb.cells.filter((c) => c.type === 'code').length;
  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="sm" wrap="nowrap">
        <Text size="sm" c="dimmed" className="ld-mono" style={{ overflowWrap: 'anywhere' }}>
          {nb.file}
        </Text>
        <Group gap="sm" wrap="nowrap">
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {plural(nb.cells.length, 'cell')} · {formatCount(code)} code
          </Text>
          <OpenNotebookButton run={run} inTab />
        </Group>
      </Group>
      {nb.changedSinceIndexed && (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />} title="The notebook was saved again since this run was indexed">
          This shows the file as it is now, which may be a later execution than this run.
        </Alert>
      )}
      {nb.error && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="Part of the notebook could not be read">
          {nb.error}
          {nb.cells.length > 0 && ' The cells before that point are shown.'}
        </Alert>
      )}
      <section aria-label="Notebook" className="ld-nb">
        {nb.cells.map((cell) => (
          <NotebookCell key={cell.index} cell={cell} run={run.id} version={version} />
        ))}
      </section>
      {nb.omittedCells > 0 && (
        <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />}>
          {plural(nb.omittedCells, 'more cell', 'more cells')} not shown: this view stops after a few
          megabytes of text. Open the notebook to see the rest.
        </Alert>
      )}
    </Stack>
  );
}

function NotebookCell({ cell, run, version }: { cell: NotebookCellView; run: string; version: string }) {
  const failed = cell.outputs.some((o) => o.kind === 'error');
  return (
    <article
      id={notebookCellId(cell.index)}
      className="ld-nb-cell"
      aria-label={cellName(cell)}
      tabIndex={-1}
      data-type={cell.type}
      data-failed={failed || undefined}
    >
      <div className="ld-nb-gutter" aria-hidden>
        {cell.type === 'code' && <div className="ld-nb-prompt">{prompt(cell.executionCount)}:</div>}
        <div className="ld-nb-index">cell {cell.index}</div>
      </div>
      <div className="ld-nb-body">
        <CellSource cell={cell} />
        {cell.outputs.length > 0 && (
          <div className="ld-nb-outputs">
            {cell.outputs.map((o, i) => (
              <CellOutput key={i} output={o} cell={cell.index} run={run} version={version} />
            ))}
          </div>
        )}
      </div>
    </article>
  );
}

function CellSource({ cell }: { cell: NotebookCellView }) {
  const tags = cell.tags.filter((t) => t === 'parameters' || t === 'injected-parameters');
  if (cell.type === 'markdown') {
    // papermill's error banners are HTML spans: their words are what matters here.
    if (cell.tags.includes('papermill-error-cell-tag')) {
      return (
        <Text size="sm" c="red" fw={600} className="ld-nb-banner">
          {cell.source.replace(/<[^>]*>/g, '').trim()}
        </Text>
      );
    }
    return cell.source.trim() ? <Markdown className="ld-markdown ld-nb-markdown">{cell.source}</Markdown> : <Text size="sm" c="dimmed">(empty)</Text>;
  }
  return (
    <>
      {tags.length > 0 && (
        <Group gap={4} mb={4}>
          {tags.map((t) => (
            <Badge key={t} size="xs" variant="light" color={t === 'injected-parameters' ? 'grape' : 'blue'}>
              {t}
            </Badge>
          ))}
        </Group>
      )}
      <pre className={cell.type === 'code' ? 'ld-nb-source' : 'ld-nb-source ld-nb-raw'}>{cell.source || ' '}</pre>
    </>
  );
}

function CellOutput({ output, cell, run, version }: { output: NotebookOutputView; cell: number; run: string; version: string }) {
  switch (output.kind) {
    case 'image':
      return (
        <div className="ld-nb-output ld-nb-image">
          <FigureImage run={run} path={output.figurePath!} alt={`Figure from cell ${cell}`} version={version} />
        </div>
      );
    case 'error':
      return (
        <div className="ld-nb-output ld-nb-error" role="group" aria-label={`Error: ${output.ename}`}>
          <Text size="sm" fw={600} c="red" mb={4}>
            {output.ename}
            {output.evalue ? `: ${output.evalue}` : ''}
          </Text>
          <pre>{output.text}</pre>
        </div>
      );
    case 'stream':
      return (
        <pre className="ld-nb-output ld-nb-text" data-stream={output.name} title={output.name === 'stderr' ? 'stderr' : undefined}>
          {output.text}
        </pre>
      );
    default:
      return (
        <pre className="ld-nb-output ld-nb-text" data-kind={output.kind} title={output.kind === 'html-as-text' ? 'An HTML output, shown as text' : undefined}>
          {output.text}
        </pre>
      );
  }
}
