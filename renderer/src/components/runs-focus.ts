/**
 * Keyboard paths into the runs table from elsewhere (the search box, the skip link), and the row to
 * come back to: Back from a run page puts focus and scroll where the user left them.
 */
const EVENT = 'labdesk:focus-runs';

/** Moves focus to the runs table's current row (the first when none was focused yet). */
export function focusRuns(): void {
  window.dispatchEvent(new Event(EVENT));
}

export function onFocusRuns(listener: () => void): () => void {
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}

/** Where the table was when a run was opened from it. */
export interface RunsReturn {
  /** The row's position in the table (group headers included). */
  index: number;
  runId: string;
  scrollTop: number;
  scrollLeft: number;
}

// Module state, not storage: it lives as long as the page, as the table's scroll does.
let pendingReturn: RunsReturn | null = null;

export function rememberReturn(r: RunsReturn): void {
  pendingReturn = r;
}

/** The place to restore: the table reads it when it mounts again, then clears it (clearReturn). */
export function peekReturn(): RunsReturn | null {
  return pendingReturn;
}

export function clearReturn(): void {
  pendingReturn = null;
}

/** A key press that belongs to a text field, a menu or a dialog, not to the table. */
export function isOwnedByControl(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return true;
  return target.closest('[role="dialog"], [role="listbox"], [role="menu"], [role="combobox"]') !== null;
}
