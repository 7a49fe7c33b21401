/**
 * The runs grid's two header rows for the columns in view: group labels (Run, Params, Metrics) over
 * the window of columns rendered, and the sortable leaf headers. The header row is one tab stop;
 * ArrowLeft/ArrowRight (Home/End) move between its sort buttons.
 */
import type { KeyboardEvent } from 'react';
import { VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowUp } from '@tabler/icons-react';
import type { Column, Header } from '@tanstack/react-table';
import type { RunSort, RunSummary } from '../../../src/api/contract';
import { columnMeta } from './runColumns';

/** The leaf columns rendered: the sticky ones, a gap, the window in view, a gap. */
export interface ColumnWindow {
  sticky: Column<RunSummary, unknown>[];
  /** The left edge of each sticky column, in px. */
  stickyLeft: number[];
  /** Index (into all visible leaf columns) and column of each scrolling column in view. */
  inView: { index: number; column: Column<RunSummary, unknown> }[];
  padLeft: number;
  padRight: number;
}

export function RunsHeader({
  window: w,
  leafHeaders,
  tabStopId,
  onTabStop,
  onMoveFocus,
  sort,
  onSortChange,
}: {
  window: ColumnWindow;
  leafHeaders: Map<string, Header<RunSummary, unknown>>;
  tabStopId: string;
  onTabStop: (columnId: string) => void;
  /** Moves the tab stop by `delta` sortable headers (±Infinity: first/last) and focuses it. */
  onMoveFocus: (from: string, delta: number) => void;
  sort: RunSort;
  onSortChange: (s: RunSort) => void;
}) {
  const stickyWidth = w.sticky.length ? w.stickyLeft[w.sticky.length - 1] + w.sticky[w.sticky.length - 1].getSize() : 0;
  // Group labels over the columns in view: consecutive columns of one group share a cell.
  const segments: { id: string; label: string; span: number; first: number }[] = [];
  for (const { index, column } of w.inView) {
    const parent = column.parent;
    const last = segments[segments.length - 1];
    if (last && parent && last.id === parent.id) last.span++;
    else segments.push({ id: parent?.id ?? column.id, label: parent ? String(parent.columnDef.header ?? '') : '', span: 1, first: index });
  }
  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const id = (e.target as HTMLElement).closest('th')?.dataset.columnId;
    if (!id || e.altKey || e.ctrlKey || e.metaKey) return;
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, Home: -Infinity, End: Infinity };
    if (!(e.key in moves)) return;
    e.preventDefault();
    onMoveFocus(id, moves[e.key]);
  };
  const leaf = (column: Column<RunSummary, unknown>, index: number) => {
    const h = leafHeaders.get(column.id);
    return h ? (
      <HeaderCell key={h.id} header={h} colIndex={index + 1} left={w.stickyLeft[index]} tabStop={column.id === tabStopId} sort={sort} onSortChange={onSortChange} />
    ) : null;
  };
  return (
    <thead
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        const id = (e.target as HTMLElement).closest('th')?.dataset.columnId;
        if (id) onTabStop(id);
      }}
    >
      <tr aria-rowindex={1}>
        {w.sticky.map((c, i) => (
          <th key={c.id} aria-colindex={i + 1} className={`ld-group-header ${stickyClass(columnMeta(c.columnDef), c.id)}`} style={{ left: w.stickyLeft[i] }} />
        ))}
        {w.padLeft > 0 && <th aria-hidden className="ld-col-gap" />}
        {segments.map((s) => (
          <th key={s.id} colSpan={s.span} aria-colindex={s.first + 1} scope="colgroup" className="ld-group-header">
            {/* Sticky inside its cell: a group scrolled half out of view keeps its label beside the name column. */}
            <span className="ld-group-header-label" style={{ left: stickyWidth + 8 }}>
              {s.label}
            </span>
          </th>
        ))}
        {w.padRight > 0 && <th aria-hidden className="ld-col-gap" />}
      </tr>
      <tr aria-rowindex={2}>
        {w.sticky.map((c, i) => leaf(c, i))}
        {w.padLeft > 0 && <th aria-hidden className="ld-col-gap" />}
        {w.inView.map(({ index, column }) => leaf(column, index))}
        {w.padRight > 0 && <th aria-hidden className="ld-col-gap" />}
      </tr>
    </thead>
  );
}

function HeaderCell({
  header,
  colIndex,
  left,
  tabStop,
  sort,
  onSortChange,
}: {
  header: Header<RunSummary, unknown>;
  /** 1-based position among all the table's columns (aria-colindex). */
  colIndex: number;
  /** A sticky column's left edge; undefined for the others. */
  left: number | undefined;
  /** This header's button is the header row's one tab stop. */
  tabStop: boolean;
  sort: RunSort;
  onSortChange: (s: RunSort) => void;
}) {
  const m = columnMeta(header.column.columnDef);
  if (m?.unsortable && !header.isPlaceholder) {
    return (
      <th scope="col" aria-colindex={colIndex} className={stickyClass(m, header.column.id) || undefined} style={{ left }}>
        {m.hiddenLabel ? <VisuallyHidden>{m.label}</VisuallyHidden> : m.label}
      </th>
    );
  }
  if (!m) return <th aria-colindex={colIndex} />;
  const active = sort.column === m.sortKey;
  const next: RunSort = active
    ? { column: m.sortKey, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
    : { column: m.sortKey, direction: m.firstDirection };
  const Arrow = sort.direction === 'asc' ? IconArrowUp : IconArrowDown;
  const classes = [stickyClass(m, header.column.id), m.groupStart && 'ld-group-start'].filter(Boolean).join(' ');
  return (
    <th
      scope="col"
      aria-colindex={colIndex}
      data-column-id={header.column.id}
      className={classes || undefined}
      aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      style={{ textAlign: m.numeric ? 'right' : 'left', left }}
    >
      <button
        type="button"
        className="ld-sort-button"
        tabIndex={tabStop ? 0 : -1}
        onClick={() => onSortChange(next)}
        title={`${m.label}: sort ${next.direction === 'asc' ? 'ascending' : 'descending'}`}
        style={{ justifyContent: m.numeric ? 'flex-end' : 'flex-start' }}
      >
        <span className={m.sortKey.includes('.') ? 'ld-mono' : undefined} style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
          {m.label}
        </span>
        {active && <Arrow size={12} aria-hidden style={{ flex: 'none' }} />}
      </button>
      <div
        className="ld-resizer"
        data-resizing={header.column.getIsResizing() || undefined}
        onMouseDown={header.getResizeHandler()}
        onTouchStart={header.getResizeHandler()}
        onDoubleClick={() => header.column.resetSize()}
        aria-hidden
      />
    </th>
  );
}

/** Sticky columns stay put while the wide params/metrics scroll under them; the name column closes the band. */
export function stickyClass(m: { sticky?: boolean } | undefined, columnId: string): string {
  if (!m?.sticky) return '';
  return columnId === 'name' ? 'ld-sticky ld-sticky-edge' : 'ld-sticky';
}

