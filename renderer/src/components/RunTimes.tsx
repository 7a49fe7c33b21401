/**
 * A run's start and duration as the tool recorded them, or "—" with why they are unknown (the
 * API's `timeNote`), never a file's copy time or "0.0 s" passed off as a fact.
 */
import { Tooltip } from '@mantine/core';
import type { RunSummary } from '../../../src/api/contract';
import { formatDateTime, formatDuration, formatRelativeTime } from '../format';

type Times = Pick<RunSummary, 'startTime' | 'durationSeconds' | 'timeNote'>;

/** "—", with the reason on hover and focus. */
export function UnknownTime({ note, what }: { note: string | null; what: string }) {
  const why = note ?? `The run's files record no ${what}`;
  return (
    <Tooltip label={why} position="bottom-start" withArrow multiline maw={320} openDelay={150} events={{ hover: true, focus: true, touch: true }}>
      <span aria-label={`${what} unknown: ${why}`} style={{ cursor: 'help' }}>
        —
      </span>
    </Tooltip>
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
