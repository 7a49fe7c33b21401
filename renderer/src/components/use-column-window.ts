/**
 * Columns are virtualized as well as rows: with hundreds of keys on, only the columns in view (and
 * a few beside) render, between two spacer cells; the sticky columns (checkbox, star, name) always do.
 */
import { useEffect, useMemo, type RefObject } from 'react';
import type { Column } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RunSummary } from '../../../src/api/contract';
import type { ColumnWindow } from './RunsHeader';
import { columnMeta } from './runColumns';

export function useColumnWindow(leafColumns: Column<RunSummary, unknown>[], scrollRef: RefObject<HTMLDivElement | null>) {
  const stickyCount = leafColumns.findIndex((c) => !columnMeta(c.columnDef)?.sticky);
  const sticky = stickyCount < 0 ? leafColumns : leafColumns.slice(0, stickyCount);
  const scrolling = stickyCount < 0 ? [] : leafColumns.slice(stickyCount);
  // Each sticky column's left edge, summed here once: react-table's getStart() re-derives the
  // visible columns (a pass over all of them) on every call, and each row's sticky cells need it.
  const stickySizes = sticky.map((c) => c.getSize()).join(',');
  // One array while the sizes stay: memoized rows take it as a prop.
  const stickyLeft = useMemo(() => {
    const lefts: number[] = [];
    let at = 0;
    for (const size of stickySizes ? stickySizes.split(',').map(Number) : []) {
      lefts.push(at);
      at += size;
    }
    return lefts;
  }, [stickySizes]);
  const stickyWidth = sticky.reduce((w, c) => w + c.getSize(), 0);

  // The virtualizer returns fresh functions by design; the React Compiler just skips this hook.
  // eslint-disable-next-line react-hooks/incompatible-library
  const columnVirtualizer = useVirtualizer({
    horizontal: true,
    count: scrolling.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => scrolling[i]?.getSize() ?? 120,
    getItemKey: (i) => scrolling[i]?.id ?? i,
    paddingStart: stickyWidth,
    // Generous: a screenful of cells more is cheap, and a quick scroll sideways shows no gaps.
    overscan: 2,
  });
  // Sizes are read once per layout: a resize or another set of columns needs a new one.
  const sizesKey = scrolling.map((c) => `${c.id}:${c.getSize()}`).join('|');
  useEffect(() => columnVirtualizer.measure(), [sizesKey, columnVirtualizer]);
  const colItems = columnVirtualizer.getVirtualItems();
  const colWindow: ColumnWindow = {
    sticky,
    stickyLeft,
    inView: colItems.flatMap((v) => (scrolling[v.index] ? [{ index: stickyCount + v.index, column: scrolling[v.index] }] : [])),
    padLeft: colItems.length ? colItems[0].start - stickyWidth : 0,
    padRight: colItems.length ? columnVirtualizer.getTotalSize() - colItems[colItems.length - 1].end : 0,
  };
  return { colWindow, columnVirtualizer, scrolling };
}
