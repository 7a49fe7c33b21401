/**
 * The figures of a run (image outputs of notebook cells, listed as `figure:<mime>` artifacts) as a
 * gallery of thumbnails; a click opens one large in a modal. Bytes come from `artifacts.figure`.
 */
import { useMemo, useState } from 'react';
import { Anchor, Button, Group, Loader, Modal, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { IconDownload, IconNotebook, IconPhotoOff } from '@tabler/icons-react';
import type { RunDetail } from '../../../../src/api/contract';
import { formatBytes } from '../../format';
import { useFigure } from '../../queries';
import { showNotebookCell } from './NotebookLinks';

export interface RunFigure {
  path: string;
  mime: string;
  cell: number;
  output: number;
  sizeBytes: number | null;
  /** Position among the figures of its cell, from 1, and how many that cell has. */
  nth: number;
  ofCell: number;
}

// When an output holds one image in several formats, show the one browsers draw most faithfully.
const PREFERENCE = ['png', 'jpg', 'gif', 'svg'];
const FIGURE_PATH = /#cell=(\d+)\/output=(\d+)\.(\w+)$/;

/** The run's figures in notebook order, one per output. */
export function runFigures(run: RunDetail): RunFigure[] {
  const byOutput = new Map<string, Omit<RunFigure, 'nth' | 'ofCell'> & { rank: number }>();
  for (const a of run.artifacts) {
    if (!a.kind.startsWith('figure:')) continue;
    const m = FIGURE_PATH.exec(a.path);
    if (!m) continue;
    const rank = PREFERENCE.indexOf(m[3].toLowerCase());
    const key = `${m[1]}/${m[2]}`;
    const seen = byOutput.get(key);
    if (seen && seen.rank <= rank) continue;
    byOutput.set(key, { path: a.path, mime: a.kind.slice('figure:'.length), cell: Number(m[1]), output: Number(m[2]), sizeBytes: a.sizeBytes, rank });
  }
  const sorted = [...byOutput.values()].sort((a, b) => a.cell - b.cell || a.output - b.output);
  return sorted.map(({ rank: _rank, ...f }) => {
    const ofCell = sorted.filter((g) => g.cell === f.cell);
    return { ...f, nth: ofCell.indexOf(ofCell.find((g) => g.output === f.output)!) + 1, ofCell: ofCell.length };
  });
}

/** What a figure's bytes depend on: the notebook file as the run detail last saw it. */
export function notebookVersion(run: RunDetail): string {
  const file = run.sourceFiles.find((f) => /\.ipynb$/i.test(f.path)) ?? run.sourceFiles[0];
  return file ? `${file.sizeBytes}:${file.mtime}` : '';
}

/** "Cell 4", or "Cell 4, figure 2 of 3" when the cell drew several. Cells count from 0, as everywhere in Labdesk. */
export const figureCaption = (f: RunFigure) => (f.ofCell > 1 ? `Cell ${f.cell}, figure ${f.nth} of ${f.ofCell}` : `Cell ${f.cell}`);

/** One figure, fetched from the core; a placeholder while it loads, the reason if it cannot. */
export function FigureImage({ run, path, alt, version, className }: { run: string; path: string; alt: string; version: string; className?: string }) {
  const figure = useFigure(run, path, version);
  if (figure.isPending) {
    return (
      <div className={`ld-figure-placeholder ${className ?? ''}`}>
        <Loader size="sm" aria-label={`Loading ${alt.toLowerCase()}`} />
      </div>
    );
  }
  if (figure.error) {
    return (
      <div className={`ld-figure-placeholder ${className ?? ''}`} role="note">
        <Stack gap={4} align="center" p="xs">
          <IconPhotoOff size={20} aria-hidden />
          <Text size="xs" c="dimmed" ta="center">
            {figure.error.message}
          </Text>
        </Stack>
      </div>
    );
  }
  return <img className={`ld-figure ${className ?? ''}`} src={figure.data.url} alt={alt} />;
}

const PAGE = 12;

export function FigureGallery({ run }: { run: RunDetail }) {
  const figures = useMemo(() => runFigures(run), [run]);
  const version = notebookVersion(run);
  const [open, setOpen] = useState<RunFigure | null>(null);
  const [all, setAll] = useState(false);
  if (!figures.length) return null;
  const shown = all ? figures : figures.slice(0, PAGE);

  return (
    <section aria-label="Figures">
      <Title order={3} size="sm" mb={6}>
        Figures{' '}
        <Text span size="sm" c="dimmed" fw={400}>
          ({figures.length})
        </Text>
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 4, xl: 6 }} spacing="sm">
        {shown.map((f) => (
          <figure key={f.path} className="ld-figure-card">
            <UnstyledButton
              className="ld-figure-thumb"
              onClick={() => setOpen(f)}
              aria-label={`Enlarge figure from ${figureCaption(f).toLowerCase()}`}
              title={f.path}
            >
              <FigureImage run={run.id} path={f.path} alt={`Figure from ${figureCaption(f).toLowerCase()}`} version={version} />
            </UnstyledButton>
            <figcaption>
              <Text size="xs">{figureCaption(f)}</Text>
              <Text size="xs" c="dimmed">
                {f.mime.replace('image/', '').replace('+xml', '').toUpperCase()} · {formatBytes(f.sizeBytes)}
              </Text>
            </figcaption>
          </figure>
        ))}
      </SimpleGrid>
      {figures.length > PAGE && (
        <Button variant="subtle" size="xs" mt="xs" onClick={() => setAll(!all)}>
          {all ? `Show the first ${PAGE}` : `Show all ${figures.length} figures`}
        </Button>
      )}
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={open ? `Figure from ${figureCaption(open).toLowerCase()}` : ''} size="auto" centered>
        {open && <FigureDetail run={run} figure={open} version={version} onShowCell={() => setOpen(null)} />}
      </Modal>
    </section>
  );
}

function FigureDetail({ run, figure, version, onShowCell }: { run: RunDetail; figure: RunFigure; version: string; onShowCell: () => void }) {
  const data = useFigure(run.id, figure.path, version).data;
  const name = run.name.replace(/\.ipynb$/i, '');
  const ext = figure.path.slice(figure.path.lastIndexOf('.') + 1);
  return (
    <Stack gap="sm">
      <FigureImage run={run.id} path={figure.path} alt={`Figure from ${figureCaption(figure).toLowerCase()}`} version={version} className="ld-figure-large" />
      <Group justify="space-between" gap="sm">
        <Text size="xs" c="dimmed" className="ld-mono">
          cell {figure.cell}, output {figure.output} · {figure.mime} · {formatBytes(figure.sizeBytes)}
        </Text>
        <Group gap="xs">
          {run.format === 'notebook' && (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconNotebook size={14} aria-hidden />}
              onClick={() => {
                onShowCell();
                showNotebookCell(run.id, figure.cell);
              }}
            >
              Show in notebook
            </Button>
          )}
          {data && (
            <Anchor href={data.url} download={`${name}-cell${figure.cell}-output${figure.output}.${ext}`} size="xs">
              <Group gap={4}>
                <IconDownload size={14} aria-hidden /> Download
              </Group>
            </Anchor>
          )}
        </Group>
      </Group>
    </Stack>
  );
}
