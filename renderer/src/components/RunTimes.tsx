/**
 * A run's start and duration as the tool recorded them, or "—" with why they are unknown (the
 * API's `timeNote`), never a file's copy time or "0.0 s" passed off as a fact.
 */
import { useEffect, useRef, useState } from 'react';
import { Tooltip } from '@mantine/core';
import type { RunSummary } from '../../../src/api/contract';
import { formatDateTime, formatDuration, formatRelativeTime } from '../format';

type Times = Pick<RunSummary, 'startTime' | 'durationSeconds' | 'timeNote'>;

const OPEN_DELAY_MS = 150;

/**
 * "—", with the reason on hover and focus. The tooltip mounts on the first hover: a table of runs
 * with unknown times has two per row, and a mounted Mantine tooltip each would cost the grid's render.
 * The outer span keeps the pointer and focus handlers, so the swap never loses the hover.
 */
export function UnknownTime({ note, what }: { note: string | null; what: string }) {
  const why = note ?? `The run's files record no ${what}`;
  const [open, setOpen] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const show = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setOpen(true), OPEN_DELAY_MS);
  };
  const hide = () => {
    clearTimeout(timer.current);
    setOpen(false);
  };
  return (
    <span
      aria-label={`${what} unknown: ${why}`}
      style={{ cursor: 'help' }}
      onPointerEnter={show}
      onPointerLeave={hide}
      onFocus={show}
      onBlur={hide}
    >
      {open ? (
        <Tooltip label={why} opened position="bottom-start" withArrow multiline maw={320}>
          <span>—</span>
        </Tooltip>
      ) : (
        '—'
      )}
    </span>
  );
}

/** The runs table's "Started" cell: relative, exact on hover. */
export function StartedCell({ run, now }: { run: Times; now: number }) {
  if (run.startTime === null) return <UnknownTime note={run.timeNote} what="start time" />;
  return <span title={formatDateTime(run.startTime)}>{formatRelativeTime(run.startTime, now)}</span>;
}

/** The runs table's "Duration" cell. */
export function DurationCell({ run }: { run: Times }) {
  if (run.durationSeconds === null) return <UnknownTime note={run.timeNote} what="duration" />;
  return <>{formatDuration(run.durationSeconds)}</>;
}

/** The run page's "Started" fact: relative and exact. */
export function StartedFact({ run, now }: { run: Times; now: number }) {
  if (run.startTime === null) return <UnknownTime note={run.timeNote} what="start time" />;
  return (
    <span title={formatDateTime(run.startTime)}>
      {formatRelativeTime(run.startTime, now)} · {formatDateTime(run.startTime)}
    </span>
  );
}
