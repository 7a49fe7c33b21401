/**
 * The runs grid: a real <table> (headers, aria-sort, rows tests and screen readers understand),
 * virtualized rows, and rows fetched from the server in windows as they scroll into view. The server
 * sorts; react-table only models the columns (groups, sizes, resizing).
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Skeleton } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type CellContext,
  type Column,
  type ColumnSizingState,
  type Row,
  type Table,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { GroupBy, RunSort, RunSummary } from '../../../src/api/contract';
import { RUN_PAGE_SIZE, useAnnotateRun, useRunGroups, useRunWindow } from '../queries';
import { toggleSelected, useSelection } from '../selection';
import { useNow } from '../use-now';
import type { ColumnPrefs } from './ColumnChooser';
import { GroupHeader } from './GroupHeader';
import { shownColumns } from './column-defaults';
import { RunsHeader, stickyClass } from './RunsHeader';
import { useColumnWindow } from './use-column-window';
import { clearReturn, isOwnedByControl, onFocusRuns, peekReturn, rememberReturn } from './runs-focus';
import { layoutRows } from './grouped-rows';
import { columnMeta, runColumns, type RowActions } from './runColumns';

const ROW_HEIGHT = 32;
const HEADER_ROWS = 2;
const NO_SIZES: ColumnSizingState = {};

/**
 * Memoized: the view around it re-renders as each of its queries answers (keys, roots, counts), and
 * a grid of hundreds of columns should render only when its own inputs change.
 */
export const RunsTable = memo(function RunsTable({
  query,
  sort,
  onSortChange,
  onOpen,
  prefs,
  defaults,
  groupBy,
}: {
  query: string;
  sort: RunSort;
  onSortChange: (s: RunSort) => void;
  onOpen: (id: string) => void;
  prefs: ColumnPrefs;
  /** The key columns shown unless the user chose otherwise (column-defaults.ts). */
  defaults: ReadonlySet<string>;
  /** Group rows by this, each group a foldable header row; null: one flat list. */
  groupBy: GroupBy | null;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState<[number, number]>([0, 0]);
  // A new sort or query starts at the top: asking for the old window's place in the new order wastes a request.
  const listKey = `${query}\u0000${sort.column}\u0000${sort.direction}`;
  const [rangeFor, setRangeFor] = useState(listKey);
  if (rangeFor !== listKey) {
    setRangeFor(listKey);
    setRange([0, 0]);
  }
  const runWindow = useRunWindow(query, sort, range[0], range[1], groupBy ?? undefined);
  const total = runWindow.total ?? 0;
  const groups = useRunGroups(query, groupBy, sort);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => setCollapsed(new Set()), [groupBy]);
  const layout = useMemo(
    () => layoutRows(groupBy ? groups.data : undefined, total, collapsed),
    [groupBy, groups.data, total, collapsed],
  );
  const toggleGroup = (key: string) =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (!next.delete(key)) next.add(key);
      return next;
    });
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
  const selection = useSelection();
  const annotate = useAnnotateRun();
  const actions = useMemo<RowActions>(
    () => ({
      isSelected: (id) => selection.has(id),
      toggleSelected: (run) => toggleSelected(run.id, run.name),
      toggleStar: (run) => annotate.mutate({ id: run.id, starred: !run.starred }),
    }),
    [selection, annotate.mutate], // eslint-disable-line react-hooks/exhaustive-deps
  );
  // Only the shown keys become columns: hundreds of hidden ones would cost react-table for nothing.
  const shown = useMemo(() => shownColumns(prefs, defaults), [prefs, defaults]);
  // Each page of rows carries its own key lists: the columns are rebuilt only when the shown keys change.
  const paramSig = runWindow.paramKeys.filter((k) => shown(`params.${k}`)).join('\u0000');
  const metricSig = runWindow.metricKeys.filter((k) => shown(`metrics.${k}`)).join('\u0000');
  const columns = useMemo(
    () => runColumns(paramSig ? paramSig.split('\u0000') : [], metricSig ? metricSig.split('\u0000') : [], now, actions, prefs.stats),
    [paramSig, metricSig, now, actions, prefs.stats],
  );
  const columnVisibility = useMemo(() => Object.fromEntries(prefs.hidden.map((id) => [id, false])), [prefs.hidden]);
  // react-table returns fresh functions by design; the React Compiler just skips this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: useMemo(() => loaded.map((e) => e.run), [loaded]),
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (_run, i) => String(loaded[i]?.index ?? i),
    columnResizeMode: 'onChange',
    state: { columnSizing, columnVisibility },
    onColumnSizingChange: setColumnSizing,
  });
  const rowsByIndex = useMemo(
    () => new Map(table.getRowModel().rows.map((r) => [Number(r.id), r])),
    [table, loaded, columns], // eslint-disable-line react-hooks/exhaustive-deps
  );

  // Back from a run: where the table was, so the first render already shows those rows.
  const [returnTo] = useState(peekReturn);
  const virtualizer = useVirtualizer({
    initialOffset: returnTo?.scrollTop,
    count: layout.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 3,
  });
  const items = virtualizer.getVirtualItems();
  // The runs on screen, as offsets in the server's list (group header rows hold none).
  const offsets = items.map((i) => layout.at(i.index)).flatMap((r) => (r.kind === 'run' ? [r.offset] : []));
  const first = offsets[0] ?? 0;
  const last = offsets[offsets.length - 1] ?? 0;
  // Only a move to another page of rows is news: a scroll within the loaded window re-renders nothing.
  useEffect(() => {
    setRange((r) => (samePages(r, [first, last]) ? r : [first, last]));
  }, [first, last]);

  // A new sort or query is a new list: start at its top.
  const [active, setActive] = useState(0);
  const [listShown, setListShown] = useState(listKey);
  useEffect(() => {
    // Not on the first render: it is at the top already, and a scroll forces a layout of the grid.
    if (listShown === listKey) return;
    setListShown(listKey);
    scrollRef.current?.scrollTo({ top: 0 });
    setActive(0);
  }, [listKey, listShown]);

  // Keyboard: one row is the tab stop; arrows or j/k move it, space selects, Enter opens (c, compare, is app-wide).
  const focusRow = useCallback(
    (index: number) => {
      const next = Math.max(0, Math.min(layout.count - 1, index));
      setActive(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`tbody tr[data-index="${next}"]`)?.focus());
    },
    [layout.count, virtualizer],
  );
  const openRow = useCallback(
    (index: number, runId: string) => {
      const el = scrollRef.current;
      rememberReturn({ index, runId, scrollTop: el?.scrollTop ?? 0, scrollLeft: el?.scrollLeft ?? 0 });
      onOpen(runId);
    },
    [onOpen],
  );
  const openRowRef = useLatest(openRow);
  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const at = layout.at(active);
    const run = at.kind === 'run' ? rowsByIndex.get(at.offset)?.original : undefined;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) focusRow(active + moves[e.key]);
    else if (e.key === 'Home') focusRow(0);
    else if (e.key === 'End') focusRow(layout.count - 1);
    else if ((e.key === ' ' || e.key === 'Enter') && at.kind === 'group') toggleGroup(at.key);
    else if (e.key === ' ' && run) toggleSelected(run.id, run.name);
    else if (e.key === 'Enter' && run) openRow(active, run.id);
    else return;
    e.preventDefault();
  };

  // j/k and the arrows reach the table before any row has focus; the search box and skip link hand focus over.
  const activeRef = useRef(active);
  activeRef.current = active;
  useEffect(() => {
    const onDocumentKey = (e: globalThis.KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isOwnedByControl(e.target)) return;
      const inTable = e.target instanceof Node && scrollRef.current?.contains(e.target);
      if (inTable && (e.target as HTMLElement).closest('tbody')) return;
      const nowhere = e.target === document.body || e.target === document.documentElement;
      const arrow = e.key === 'ArrowDown' || e.key === 'ArrowUp';
      if (!(e.key === 'j' || e.key === 'k' || (arrow && (nowhere || inTable)))) return;
      e.preventDefault();
      focusRow(activeRef.current);
    };
    document.addEventListener('keydown', onDocumentKey);
    const off = onFocusRuns(() => focusRow(activeRef.current));
    return () => {
      document.removeEventListener('keydown', onDocumentKey);
      off();
    };
  }, [focusRow]);

  // Back from a run: the scroll position and the row it was opened from, focused once it is on screen.
  const [returned, setReturned] = useState(false);
  useEffect(() => {
    if (!returnTo) return;
    clearReturn();
    scrollRef.current?.scrollTo({ top: returnTo.scrollTop, left: returnTo.scrollLeft });
    setActive(returnTo.index);
  }, [returnTo]);
  const returnAt = returnTo && !returned ? layout.at(returnTo.index) : null;
  const returnRowLoaded = returnAt !== null && (returnAt.kind !== 'run' || rowsByIndex.has(returnAt.offset));
  useEffect(() => {
    if (!returnTo || !returnRowLoaded) return;
    setReturned(true);
    requestAnimationFrame(() => {
      const el = scrollRef.current;
      // The rows may have mounted after the first scroll: apply it again now that they are there.
      el?.scrollTo({ top: returnTo.scrollTop, left: returnTo.scrollLeft });
      el?.querySelector<HTMLElement>(`tbody tr[data-index="${returnTo.index}"]`)?.focus({ preventScroll: true });
    });
  }, [returnTo, returnRowLoaded]);

  const leafColumns = table.getVisibleLeafColumns();
  const { colWindow, columnVirtualizer, scrolling } = useColumnWindow(leafColumns, scrollRef);
  const { sticky } = colWindow;
  const renderedCols = sticky.length + colWindow.inView.length + (colWindow.padLeft > 0 ? 1 : 0) + (colWindow.padRight > 0 ? 1 : 0);
  const leafHeaders = useMemo(
    () => new Map((table.getHeaderGroups().at(-1)?.headers ?? []).map((h) => [h.column.id, h])),
    [table, columns, columnSizing, columnVisibility], // eslint-disable-line react-hooks/exhaustive-deps
  );

  // The header row is one tab stop (the name column's sort button until another is focused).
  const [headerStop, setHeaderStop] = useState('name');
  const sortable = leafColumns.filter((c) => !columnMeta(c.columnDef)?.unsortable);
  const headerTabStop = colWindow.inView.some((c) => c.column.id === headerStop) || sticky.some((c) => c.id === headerStop) ? headerStop : 'name';
  const moveHeaderFocus = (from: string, delta: number) => {
    const at = sortable.findIndex((c) => c.id === from);
    const to = delta === -Infinity ? 0 : delta === Infinity ? sortable.length - 1 : Math.max(0, Math.min(sortable.length - 1, at + delta));
    const target = sortable[to];
    if (!target) return;
    setHeaderStop(target.id);
    const scrollIndex = scrolling.indexOf(target);
    if (scrollIndex >= 0) columnVirtualizer.scrollToIndex(scrollIndex, { align: 'auto' });
    const focus = (tries: number) => {
      const button = scrollRef.current?.querySelector<HTMLElement>(`thead th[data-column-id="${CSS.escape(target.id)}"] button`);
      if (button) button.focus();
      else if (tries > 0) requestAnimationFrame(() => focus(tries - 1));
    };
    requestAnimationFrame(() => focus(5));
  };

  // The rendered column indexes, one array while the window stays put: rows re-render only when it moves.
  const renderedKey = colWindow.inView.map((c) => c.index).join(',');
  const renderedIndexes = useMemo(() => [...sticky.map((_, i) => i), ...(renderedKey ? renderedKey.split(',').map(Number) : [])], [sticky.length, renderedKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;

  return (
    <div ref={scrollRef} className="ld-grid-scroll" style={{ ['--ld-row-height' as string]: `${ROW_HEIGHT}px` }}>
      <table
        id="runs-table"
        className="ld-grid"
        style={{ width: table.getTotalSize() }}
        aria-label="Runs"
        aria-rowcount={layout.count + HEADER_ROWS}
        aria-colcount={leafColumns.length}
        aria-busy={runWindow.isFetching || undefined}
      >
        <colgroup>
          {sticky.map((c) => (
            <col key={c.id} style={{ width: c.getSize() }} />
          ))}
          {colWindow.padLeft > 0 && <col style={{ width: colWindow.padLeft }} />}
          {colWindow.inView.map(({ column }) => (
            <col key={column.id} style={{ width: column.getSize() }} />
          ))}
          {colWindow.padRight > 0 && <col style={{ width: colWindow.padRight }} />}
        </colgroup>
        <RunsHeader
          window={colWindow}
          leafHeaders={leafHeaders}
          tabStopId={headerTabStop}
          onTabStop={setHeaderStop}
          onMoveFocus={moveHeaderFocus}
          sort={sort}
          onSortChange={onSortChange}
        />
        <tbody style={{ opacity: runWindow.isPlaceholder ? 0.6 : 1 }} onKeyDown={onKeyDown}>
          {padTop > 0 && (
            <tr aria-hidden style={{ height: padTop }}>
              <td colSpan={renderedCols} style={{ height: padTop, border: 0 }} />
            </tr>
          )}
          {items.map((item) => {
            const at = layout.at(item.index);
            if (at.kind === 'group') {
              return (
                <tr
                  key={`group-${at.key}`}
                  className="ld-group-row"
                  data-index={item.index}
                  aria-rowindex={item.index + HEADER_ROWS + 1}
                  aria-expanded={!at.collapsed}
                  tabIndex={item.index === active ? 0 : -1}
                  onFocus={() => setActive(item.index)}
                  onClick={() => toggleGroup(at.key)}
                >
                  <td colSpan={renderedCols}>
                    <GroupHeader group={at.group} groupBy={groupBy!} sort={sort} collapsed={at.collapsed} />
                  </td>
                </tr>
              );
            }
            const row = rowsByIndex.get(at.offset);
            if (!row)
              return (
                <tr key={`loading-${item.index}`} aria-rowindex={item.index + HEADER_ROWS + 1}>
                  <td colSpan={renderedCols}>
                    <Skeleton h={12} w="40%" aria-label="Loading run" />
                  </td>
                </tr>
              );
            return (
              <RunRow
                key={row.id}
                table={table}
                row={row}
                index={item.index}
                active={item.index === active}
                selected={selection.has(row.original.id)}
                leafColumns={leafColumns}
                stickyLeft={colWindow.stickyLeft}
                columns={renderedIndexes}
                gapLeft={colWindow.padLeft > 0}
                gapRight={colWindow.padRight > 0}
                onFocusRow={setActive}
                onOpenRow={openRowRef}
              />
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden style={{ height: padBottom }}>
              <td colSpan={renderedCols} style={{ height: padBottom, border: 0 }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
});

/** Whether two row ranges need the same pages of `runs.list` (queries.ts aligns windows to pages). */
const samePages = (a: [number, number], b: [number, number]) =>
  Math.floor(a[0] / RUN_PAGE_SIZE) === Math.floor(b[0] / RUN_PAGE_SIZE) && Math.floor(a[1] / RUN_PAGE_SIZE) === Math.floor(b[1] / RUN_PAGE_SIZE);

const gapCell = (side: 'left' | 'right') => <td key={`gap-${side}`} aria-hidden className="ld-col-gap" />;

/** A ref that always holds the latest value: a stable prop for memoized children. */
function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useEffect(() => {
    ref.current = value;
  });
  return ref;
}

/**
 * One run's row: the cells of the rendered columns only (row.getVisibleCells() would build one per
 * column, hundreds per row). Memoized: scrolling, a moved focus or a new page re-render only the
 * rows whose inputs changed.
 */
const RunRow = memo(function RunRow({
  table,
  row,
  index,
  active,
  selected,
  leafColumns,
  stickyLeft,
  columns,
  gapLeft,
  gapRight,
  onFocusRow,
  onOpenRow,
}: {
  table: Table<RunSummary>;
  row: Row<RunSummary>;
  /** Position in the grid's rows (group headers included). */
  index: number;
  active: boolean;
  selected: boolean;
  leafColumns: Column<RunSummary, unknown>[];
  stickyLeft: number[];
  /** Indexes into leafColumns of the cells to render: the sticky ones, then the window in view. */
  columns: number[];
  gapLeft: boolean;
  gapRight: boolean;
  onFocusRow: (index: number) => void;
  onOpenRow: { readonly current: (index: number, runId: string) => void };
}) {
  const cell = (i: number) => {
    const column = leafColumns[i];
    if (!column) return null;
    const m = columnMeta(column.columnDef);
    const classes = [stickyClass(m, column.id), m?.groupStart && 'ld-group-start', m?.numeric && 'ld-num'].filter(Boolean).join(' ');
    const context = {
      table,
      row,
      column,
      cell: undefined as never,
      getValue: () => row.getValue(column.id),
      renderValue: () => row.renderValue(column.id),
    } satisfies CellContext<RunSummary, unknown>;
    return (
      <td key={column.id} aria-colindex={i + 1} className={classes || undefined} style={m?.sticky ? { left: stickyLeft[i] } : undefined}>
        {flexRender(column.columnDef.cell, context)}
      </td>
    );
  };
  const stickyCount = stickyLeft.length;
  return (
    <tr
      data-index={index}
      aria-rowindex={index + HEADER_ROWS + 1}
      aria-selected={selected}
      tabIndex={active ? 0 : -1}
      onFocus={() => onFocusRow(index)}
      onClick={() => {
        if (!document.getSelection()?.toString()) onOpenRow.current(index, row.original.id);
      }}
    >
      {columns.slice(0, stickyCount).map(cell)}
      {gapLeft && gapCell('left')}
      {columns.slice(stickyCount).map(cell)}
      {gapRight && gapCell('right')}
    </tr>
  );
});
