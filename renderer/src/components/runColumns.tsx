/**
 * Column definitions of the runs table: name and status, then one column per metric and per param
 * (MLflow's order: the numbers one compares beside the name), then where the run comes from.
 */
import { IconStar, IconStarFilled } from '@tabler/icons-react';
import { createColumnHelper, type ColumnDef } from '@tanstack/react-table';
import type { RunSummary, SortDirection } from '../../../src/api/contract';
import { exactNumber, formatNumber, runPlace } from '../format';
import { hrefFor } from '../router';
import { runColor } from '../theme';
import { StatusTag } from './Status';
import { DurationCell, StartedCell } from './RunTimes';
import { resolvedStat, type MetricStat } from './ColumnChooser';

/** Row actions the cells call; kept out of the column model so columns stay memoizable. */
export interface RowActions {
  isSelected: (id: string) => boolean;
  toggleSelected: (run: RunSummary) => void;
  toggleStar: (run: RunSummary) => void;
}

/** What the grid needs beyond react-table's own column model. */
export interface RunColumnMeta {
  /** Accessible and visible header label. */
  label: string;
  /** The `RunSort.column` the server sorts by. */
  sortKey: string;
  /** Direction of a first click: newest, longest and largest first. */
  firstDirection: SortDirection;
  numeric?: boolean;
  /** Not sortable (checkbox, star, tags). */
  unsortable?: boolean;
  /** The label is for screen readers only (checkbox and star columns). */
  hiddenLabel?: boolean;
  /** Marks the first column of a group, drawn with a divider. */
  groupStart?: boolean;
  sticky?: boolean;
}

/** The meta every run column carries (react-table types `meta` loosely). */
export const columnMeta = (def: { meta?: unknown }): RunColumnMeta | undefined =>
  def.meta as RunColumnMeta | undefined;

const col = createColumnHelper<RunSummary>();

const meta = (m: RunColumnMeta) => ({ meta: m });

function NameCell({ run }: { run: RunSummary }) {
  return (
    <span style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>
      <span className="ld-swatch" style={{ background: runColor(run.id) }} aria-hidden />
      <a
        className="ld-run-link"
        href={hrefFor({ view: 'run', id: run.id, tab: 'overview' })}
        title={runPlace(run)}
        // The row is the tab stop (Enter opens it): a link per row would put every run in the Tab order.
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
        style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}
      >
        {run.name}
      </a>
    </span>
  );
}

// Columns of mixed value types live in one array; react-table's own examples widen to `any` here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RunColumn = ColumnDef<RunSummary, any>;

/** Key columns start as wide as their label (monospace ~7.5px/char at 13px), within bounds. */
const widthFor = (label: string, min: number) => Math.min(220, Math.max(min, Math.round(label.length * 7.6 + 30)));

export function runColumns(
  paramKeys: string[],
  metricKeys: string[],
  now: number,
  actions: RowActions,
  stats: Record<string, MetricStat> = {},
): RunColumn[] {
  const columns: RunColumn[] = [
    col.display({
      id: 'select',
      size: 36,
      enableResizing: false,
      cell: (c) => {
        const run = c.row.original;
        return (
          // Native controls in the grid's cells: a Mantine one each would cost a few boxes a row.
          <input
            type="checkbox"
            className="ld-check"
            aria-label={`Select run ${run.name}`}
            checked={actions.isSelected(run.id)}
            onChange={() => actions.toggleSelected(run)}
            onClick={(e) => e.stopPropagation()}
            tabIndex={-1}
          />
        );
      },
      ...meta({ label: 'Select', sortKey: '', firstDirection: 'asc', sticky: true, unsortable: true, hiddenLabel: true }),
    }),
    col.accessor('starred', {
      id: 'starred',
      size: 34,
      enableResizing: false,
      cell: (c) => {
        const run = c.row.original;
        const Icon = run.starred ? IconStarFilled : IconStar;
        return (
          <button
            type="button"
            className="ld-star"
            data-starred={run.starred || undefined}
            aria-label={run.starred ? `Unstar run ${run.name}` : `Star run ${run.name}`}
            aria-pressed={run.starred}
            tabIndex={-1}
            onClick={(e) => {
              e.stopPropagation();
              actions.toggleStar(run);
            }}
          >
            <Icon size={14} />
          </button>
        );
      },
      ...meta({ label: 'Starred', sortKey: '', firstDirection: 'desc', sticky: true, unsortable: true, hiddenLabel: true }),
    }),
    col.accessor('name', {
      id: 'name',
      size: 210,
      minSize: 120,
      cell: (c) => <NameCell run={c.row.original} />,
      ...meta({ label: 'Name', sortKey: 'name', firstDirection: 'asc', sticky: true }),
    }),
    col.group({
      id: 'run',
      header: 'Run',
      columns: [
        col.accessor('status', {
          id: 'status',
          size: 108,
          cell: (c) => <StatusTag status={c.getValue()} />,
          ...meta({ label: 'Status', sortKey: 'status', firstDirection: 'asc' }),
        }),
        col.accessor('startTime', {
          id: 'startTime',
          size: 112,
          cell: (c) => <StartedCell run={c.row.original} now={now} />,
          ...meta({ label: 'Started', sortKey: 'startTime', firstDirection: 'desc' }),
        }),
        col.accessor('durationSeconds', {
          id: 'durationSeconds',
          // Room for the sort arrow beside the label.
          size: 108,
          cell: (c) => <DurationCell run={c.row.original} />,
          ...meta({ label: 'Duration', sortKey: 'durationSeconds', firstDirection: 'desc', numeric: true }),
        }),
      ],
    }),
  ];

  if (metricKeys.length) {
    columns.push(
      col.group({
        id: 'metrics',
        header: 'Metrics',
        columns: metricKeys.map((key, i) => {
          const stat = resolvedStat(key, stats[key]);
          const label = stat === 'last' ? key : `${key} (${stats[key] === 'best' ? `best, ${stat}` : stat})`;
          return col.accessor((r) => r.metrics[key], {
            id: `metrics.${key}`,
            size: widthFor(label, 84),
            cell: (c) => {
              const m = c.row.original.metrics[key];
              if (!m) return '';
              return (
                <span title={`last ${exactNumber(m.last)} at step ${m.lastStep}; min ${exactNumber(m.min)}, max ${exactNumber(m.max)}; ${m.count} points`}>
                  {formatNumber(m[stat])}
                </span>
              );
            },
            ...meta({
              label,
              sortKey: stat === 'last' ? `metrics.${key}` : `metrics.${key}:${stat}`,
              firstDirection: 'desc',
              numeric: true,
              groupStart: i === 0,
            }),
          });
        }),
      }),
    );
  }
  if (paramKeys.length) {
    columns.push(
      col.group({
        id: 'params',
        header: 'Params',
        columns: paramKeys.map((key, i) =>
          col.accessor((r) => r.params[key], {
            id: `params.${key}`,
            size: widthFor(key, 72),
            cell: (c) => {
              const v = c.getValue() as string | undefined;
              return v === undefined ? '' : <span className="ld-mono" title={v}>{v}</span>;
            },
            ...meta({ label: key, sortKey: `params.${key}`, firstDirection: 'asc', groupStart: i === 0 }),
          }),
        ),
      }),
    );
  }

  // Where a run comes from closes the row: metrics, what one compares, sit next to the name and status.
  columns.push(
    col.group({
      id: 'source',
      header: 'Source',
      columns: [
        col.accessor('experiment', {
          id: 'experiment',
          size: 140,
          cell: (c) => <span title={c.getValue()}>{c.getValue()}</span>,
          ...meta({ label: 'Experiment', sortKey: 'experiment', firstDirection: 'asc', groupStart: true }),
        }),
        col.accessor('format', {
          id: 'format',
          size: 100,
          cell: (c) => <span className="ld-dim-xs">{c.getValue()}</span>,
          ...meta({ label: 'Format', sortKey: 'format', firstDirection: 'asc' }),
        }),
        col.accessor('userTags', {
          id: 'tags',
          size: 140,
          cell: (c) => (
            <span className="ld-tags" title={c.getValue().join(', ')}>
              {c.getValue().map((t: string) => (
                <span key={t} className="ld-tag">
                  {t}
                </span>
              ))}
            </span>
          ),
          ...meta({ label: 'Tags', sortKey: '', firstDirection: 'asc', unsortable: true }),
        }),
      ],
    }),
  );
  return columns;
}
