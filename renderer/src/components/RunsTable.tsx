/**
 * The runs grid: a real <table> (headers, aria-sort, rows tests and screen readers understand),
 * virtualized rows, and rows fetched from the server in windows as they scroll into view. The server
 * sorts; react-table only models the columns (groups, sizes, resizing).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Skeleton } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp } from '@tabler/icons-react';
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnSizingState,
  type Header,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RunSort, RunSummary } from '../../../src/api/contract';
import { useRunWindow } from '../queries';
import { useNow } from '../use-now';
import { columnMeta, runColumns } from './runColumns';

const ROW_HEIGHT = 32;
const HEADER_ROWS = 2;
const NO_SIZES: ColumnSizingState = {};

function HeaderCell({
  header,
  sort,
  onSortChange,
}: {
  header: Header<RunSummary, unknown>;
  sort: RunSort;
  onSortChange: (s: RunSort) => void;
}) {
  const m = columnMeta(header.column.columnDef);
  if (header.isPlaceholder || !m) {
    // The top row: group labels, and an empty cell above ungrouped columns (the sticky name).
    const sticky = header.isPlaceholder && m?.sticky;
    return (
      <th
        colSpan={header.colSpan}
        className={`ld-group-header${sticky ? ' ld-sticky' : ''}`}
        scope="colgroup"
      >
        {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
      </th>
    );
  }
  const active = sort.column === m.sortKey;
  const next: RunSort = active
    ? { column: m.sortKey, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
    : { column: m.sortKey, direction: m.firstDirection };
  const Arrow = sort.direction === 'asc' ? IconArrowUp : IconArrowDown;
  const classes = [m.sticky && 'ld-sticky', m.groupStart && 'ld-group-start'].filter(Boolean).join(' ');
  return (
    <th
      scope="col"
      className={classes || undefined}
      aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      style={{ textAlign: m.numeric ? 'right' : 'left' }}
    >
      <button
        type="button"
        className="ld-sort-button"
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

export function RunsTable({
  query,
  sort,
  onSortChange,
  onOpen,
}: {
  query: string;
  sort: RunSort;
  onSortChange: (s: RunSort) => void;
  onOpen: (id: string) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState<[number, number]>([0, 0]);
  const runWindow = useRunWindow(query, sort, range[0], range[1]);
  const total = runWindow.total ?? 0;
  const [columnSizing, setColumnSizing] = useLocalStorage<ColumnSizingState>({
    key: 'labdesk.runs.columnSizing',
    defaultValue: NO_SIZES,
  });

  // Rows by absolute position: the window on screen may be a previous one (kept while loading).
  const loaded = useMemo(
    () => runWindow.page?.rows.map((run, i) => ({ index: runWindow.page!.offset + i, run })) ?? [],
    [runWindow.page],
  );

  const now = useNow();
  const columns = useMemo(
    () => runColumns(runWindow.paramKeys, runWindow.metricKeys, now),
    [runWindow.paramKeys, runWindow.metricKeys, now],
  );
  // react-table returns fresh functions by design; the React Compiler just skips this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: useMemo(() => loaded.map((e) => e.run), [loaded]),
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (_run, i) => String(loaded[i]?.index ?? i),
    columnResizeMode: 'onChange',
    state: { columnSizing },
    onColumnSizingChange: setColumnSizing,
  });
  const rowsByIndex = useMemo(
    () => new Map(table.getRowModel().rows.map((r) => [Number(r.id), r])),
    [table, loaded, columns], // eslint-disable-line react-hooks/exhaustive-deps
  );

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    setRange((r) => (r[0] === first && r[1] === last ? r : [first, last]));
  }, [first, last]);

  // A new sort or query is a new list: start at its top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [query, sort]);

  const leafColumns = table.getVisibleLeafColumns();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;

  return (
    <div ref={scrollRef} className="ld-grid-scroll" style={{ ['--ld-row-height' as string]: `${ROW_HEIGHT}px` }}>
      <table
        className="ld-grid"
        style={{ width: table.getTotalSize() }}
        aria-label="Runs"
        aria-rowcount={total + HEADER_ROWS}
        aria-busy={runWindow.isFetching || undefined}
      >
        <colgroup>
          {leafColumns.map((c) => (
            <col key={c.id} style={{ width: c.getSize() }} />
          ))}
        </colgroup>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={group.depth + 1}>
              {group.headers.map((h) => (
                <HeaderCell key={h.id} header={h} sort={sort} onSortChange={onSortChange} />
              ))}
            </tr>
          ))}
        </thead>
        <tbody style={{ opacity: runWindow.isPlaceholder ? 0.6 : 1 }}>
          {padTop > 0 && (
            <tr aria-hidden style={{ height: padTop }}>
              <td colSpan={leafColumns.length} style={{ height: padTop, border: 0 }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rowsByIndex.get(item.index);
            if (!row)
              return (
                <tr key={`loading-${item.index}`} aria-rowindex={item.index + HEADER_ROWS + 1}>
                  <td colSpan={leafColumns.length}>
                    <Skeleton h={12} w="40%" aria-label="Loading run" />
                  </td>
                </tr>
              );
            return (
              <tr
                key={row.id}
                aria-rowindex={item.index + HEADER_ROWS + 1}
                onClick={() => {
                  if (!document.getSelection()?.toString()) onOpen(row.original.id);
                }}
              >
                {row.getVisibleCells().map((cell) => {
                  const m = columnMeta(cell.column.columnDef);
                  const classes = [m?.sticky && 'ld-sticky', m?.groupStart && 'ld-group-start', m?.numeric && 'ld-num']
                    .filter(Boolean)
                    .join(' ');
                  return (
                    <td key={cell.id} className={classes || undefined}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  );
                })}
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden style={{ height: padBottom }}>
              <td colSpan={leafColumns.length} style={{ height: padBottom, border: 0 }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
