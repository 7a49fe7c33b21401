/**
 * The runs grid: a real <table> (headers, aria-sort, rows tests and screen readers understand),
 * virtualized rows, and rows fetched from the server in windows as they scroll into view. The server
 * sorts; react-table only models the columns (groups, sizes, resizing).
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Skeleton, VisuallyHidden } from '@mantine/core';
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
import type { GroupBy, RunSort, RunSummary } from '../../../src/api/contract';
import { useAnnotateRun, useRunGroups, useRunWindow } from '../queries';
import { toggleSelected, useSelection } from '../selection';
import { useNow } from '../use-now';
import type { ColumnPrefs } from './ColumnChooser';
import { GroupHeader } from './GroupHeader';
import { layoutRows } from './grouped-rows';
import { columnMeta, runColumns, type RowActions } from './runColumns';

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
  const left = m?.sticky ? header.column.getStart() : undefined;
  if (m?.unsortable && !header.isPlaceholder) {
    return (
      <th scope="col" className={stickyClass(m, header.column.id) || undefined} style={{ left }}>
        {m.hiddenLabel ? <VisuallyHidden>{m.label}</VisuallyHidden> : m.label}
      </th>
    );
  }
  if (header.isPlaceholder || !m) {
    // The top row: group labels, and an empty cell above ungrouped columns (the sticky name).
    const sticky = header.isPlaceholder && m?.sticky;
    return (
      <th
        colSpan={header.colSpan}
        className={`ld-group-header${sticky ? ` ${stickyClass(m, header.column.id)}` : ''}`}
        scope="colgroup"
        style={{ left: sticky ? left : undefined }}
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
  const classes = [stickyClass(m, header.column.id), m.groupStart && 'ld-group-start'].filter(Boolean).join(' ');
  return (
    <th
      scope="col"
      className={classes || undefined}
      aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      style={{ textAlign: m.numeric ? 'right' : 'left', left }}
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

/** Sticky columns stay put while the wide params/metrics scroll under them; the name column closes the band. */
function stickyClass(m: { sticky?: boolean } | undefined, columnId: string): string {
  if (!m?.sticky) return '';
  return columnId === 'name' ? 'ld-sticky ld-sticky-edge' : 'ld-sticky';
}

export function RunsTable({
  query,
  sort,
  onSortChange,
  onOpen,
  prefs,
  groupBy,
}: {
  query: string;
  sort: RunSort;
  onSortChange: (s: RunSort) => void;
  onOpen: (id: string) => void;
  prefs: ColumnPrefs;
  /** Group rows by this, each group a foldable header row; null: one flat list. */
  groupBy: GroupBy | null;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState<[number, number]>([0, 0]);
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
  const columns = useMemo(
    () => runColumns(runWindow.paramKeys, runWindow.metricKeys, now, actions, prefs.stats),
    [runWindow.paramKeys, runWindow.metricKeys, now, actions, prefs.stats],
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

  const virtualizer = useVirtualizer({
    count: layout.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  // The runs on screen, as offsets in the server's list (group header rows hold none).
  const offsets = items.map((i) => layout.at(i.index)).flatMap((r) => (r.kind === 'run' ? [r.offset] : []));
  const first = offsets[0] ?? 0;
  const last = offsets[offsets.length - 1] ?? 0;
  useEffect(() => {
    setRange((r) => (r[0] === first && r[1] === last ? r : [first, last]));
  }, [first, last]);

  // A new sort or query is a new list: start at its top.
  const [active, setActive] = useState(0);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
    setActive(0);
  }, [query, sort]);

  // Keyboard: one row is the tab stop; arrows or j/k move it, space selects, Enter opens (c, compare, is app-wide).
  const focusRow = useCallback(
    (index: number) => {
      const next = Math.max(0, Math.min(layout.count - 1, index));
      setActive(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${next}"]`)?.focus());
    },
    [layout.count, virtualizer],
  );
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
    else if (e.key === 'Enter' && run) onOpen(run.id);
    else return;
    e.preventDefault();
  };

  const leafColumns = table.getVisibleLeafColumns();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;

  return (
    <div ref={scrollRef} className="ld-grid-scroll" style={{ ['--ld-row-height' as string]: `${ROW_HEIGHT}px` }}>
      <table
        className="ld-grid"
        style={{ width: table.getTotalSize() }}
        aria-label="Runs"
        aria-rowcount={layout.count + HEADER_ROWS}
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
        <tbody style={{ opacity: runWindow.isPlaceholder ? 0.6 : 1 }} onKeyDown={onKeyDown}>
          {padTop > 0 && (
            <tr aria-hidden style={{ height: padTop }}>
              <td colSpan={leafColumns.length} style={{ height: padTop, border: 0 }} />
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
                  <td colSpan={leafColumns.length}>
                    <GroupHeader group={at.group} groupBy={groupBy!} sort={sort} collapsed={at.collapsed} />
                  </td>
                </tr>
              );
            }
            const row = rowsByIndex.get(at.offset);
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
                data-index={item.index}
                aria-rowindex={item.index + HEADER_ROWS + 1}
                aria-selected={selection.has(row.original.id)}
                tabIndex={item.index === active ? 0 : -1}
                onFocus={() => setActive(item.index)}
                onClick={() => {
                  if (!document.getSelection()?.toString()) onOpen(row.original.id);
                }}
              >
                {row.getVisibleCells().map((cell) => {
                  const m = columnMeta(cell.column.columnDef);
                  const classes = [stickyClass(m, cell.column.id), m?.groupStart && 'ld-group-start', m?.numeric && 'ld-num']
                    .filter(Boolean)
                    .join(' ');
                  return (
                    <td key={cell.id} className={classes || undefined} style={m?.sticky ? { left: cell.column.getStart() } : undefined}>
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
