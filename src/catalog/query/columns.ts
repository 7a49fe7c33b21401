/**
 * SQL for run attributes over `runs r LEFT JOIN experiments e LEFT JOIN run_annotations a`, shared by
 * the runs list, its sort columns and the query compiler. Expressions using `@now` need it bound.
 */

/** A run with no declared status whose files Labdesk saw change within this window is shown as running. */
export const RUNNING_WINDOW_MS = 120_000;

export const STATUS_SQL = `CASE
  WHEN COALESCE(r.status, 'unknown') = 'unknown' AND r.active_at > @now - ${RUNNING_WINDOW_MS} THEN 'running'
  ELSE COALESCE(r.status, 'finished') END`;

export const NAME_SQL = 'COALESCE(a.display_name, r.name)';

/** Up to the end, else (while it may still run) the last write; with a time note the end is unknown, not guessed. */
export const DURATION_SQL = '(IIF(r.time_note IS NULL, COALESCE(r.end_time, r.last_write_at), r.end_time) - r.start_time) / 1000.0';

export const RUN_JOINS = `LEFT JOIN experiments e ON e.id = r.experiment_id
  LEFT JOIN run_annotations a ON a.run_id = r.id`;

export const RUN_FROM = `runs r ${RUN_JOINS}`;
