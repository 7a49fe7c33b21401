/**
 * The top of a notebook run's Overview: why it failed (exception, failing cell, traceback), that it
 * never ran, its kernel and cells, and the button that opens it: in the user's notebook app on the
 * desktop, as the read-only Notebook tab in a browser (which cannot open local files).
 */
import { useState } from 'react';
import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertOctagon, IconExternalLink, IconInfoCircle, IconNotebook } from '@tabler/icons-react';
import { TracebackText, TracebackToggle } from './Traceback';
import type { RunDetail } from '../../../../src/api/contract';
import { client } from '../../api-client';
import { navigate } from '../../router';
import { showNotebookCell } from './NotebookLinks';

/** "Open notebook" (desktop: the default app) or "View notebook" (web: the Notebook tab; hidden there). */
export function OpenNotebookButton({ run, inTab = false }: { run: RunDetail; inTab?: boolean }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  if (client.shell !== 'desktop') {
    if (inTab) return null;
    return (
      <Button
        size="xs"
        variant="default"
        leftSection={<IconNotebook size={14} aria-hidden />}
        onClick={() => navigate({ view: 'run', id: run.id, tab: 'notebook' })}
        title="A read-only rendering of the cells and outputs (a browser cannot open local files in other apps)"
      >
        View notebook
      </Button>
    );
  }
  return (
    <Group gap="xs" wrap="nowrap">
      {problem && (
        <Text size="xs" c="red" role="status">
          {problem}
        </Text>
      )}
      <Button
        size="xs"
        variant="default"
        loading={opening}
        leftSection={<IconExternalLink size={14} aria-hidden />}
        title="Opens the .ipynb file in the app your system uses for notebooks"
        onClick={async () => {
          setOpening(true);
          setProblem(null);
          try {
            const why = await client.openPath(run.id);
            setProblem(why || null);
          } finally {
            setOpening(false);
          }
        }}
      >
        Open notebook
      </Button>
      {!inTab && (
        <Button size="xs" variant="subtle" leftSection={<IconNotebook size={14} aria-hidden />} onClick={() => navigate({ view: 'run', id: run.id, tab: 'notebook' })}>
          Read-only view
        </Button>
      )}
    </Group>
  );
}

/** "cell 5 (In [4])": positions from 0, as the catalog's `notebook.error.cell` and figure paths count them. */
function cellText(cell: string, count: string | undefined): string {
  return count ? `cell ${cell} (In [${count}])` : `cell ${cell}`;
}

export function NotebookSummary({ run }: { run: RunDetail }) {
  const t = run.tags;
  const kernel = t['notebook.kernel_display_name'] ?? t['notebook.kernel'];
  const language = t['notebook.language'];
  const version = language ? t[`${language}.version`] : undefined;
  const facts = [
    kernel && `Kernel ${kernel}`,
    version && `${language![0].toUpperCase()}${language!.slice(1)} ${version}`,
    t['notebook.cells'] && `${t['notebook.cells']} cells (${t['notebook.code_cells'] ?? '?'} code, ${t['notebook.executed_cells'] ?? '?'} ran)`,
  ].filter(Boolean);

  return (
    <>
      {run.status === 'failed' && <NotebookFailure run={run} />}
      {t['notebook.executed'] === 'false' && (
        <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />} title="Never executed">
          This notebook has no execution counts or outputs, so it is listed as a notebook rather than as a finished run.
        </Alert>
      )}
      <Group justify="space-between" gap="sm">
        <Text size="sm" c="dimmed">
          {facts.join(' · ')}
        </Text>
        <OpenNotebookButton run={run} />
      </Group>
    </>
  );
}

function NotebookFailure({ run }: { run: RunDetail }) {
  const t = run.tags;
  const ename = t['notebook.error.ename'];
  const evalue = t['notebook.error.evalue'];
  const cell = t['notebook.error.cell'];
  const traceback = t['notebook.error.traceback'];
  const [open, setOpen] = useState(true);
  const title = ename ? (evalue ? `${ename}: ${evalue}` : ename) : (run.error ?? 'This notebook failed');

  return (
    <Alert color="red" variant="light" icon={<IconAlertOctagon size={20} />} title={title} className="ld-nb-failure">
      <Group gap="sm" justify="space-between">
        <Text size="sm">
          {cell !== undefined ? `Raised in ${cellText(cell, t['notebook.error.execution_count'])}.` : 'The notebook does not say which cell failed.'}
          {t['notebook.error.count'] && ` ${t['notebook.error.count']} cells failed; this is the first.`}
        </Text>
        <Group gap="xs">
          {traceback && (
            <TracebackToggle open={open} onToggle={() => setOpen(!open)} />
          )}
          {cell !== undefined && (
            <Button size="xs" variant="light" color="red" leftSection={<IconNotebook size={14} aria-hidden />} onClick={() => showNotebookCell(run.id, Number(cell))}>
              Show in notebook
            </Button>
          )}
        </Group>
      </Group>
      {traceback && (
        <TracebackText open={open} text={traceback} />
      )}
    </Alert>
  );
}
