/**
 * The runs picked for comparison, shared by the runs table (row checkboxes), the top bar
 * ("Compare (n)") and the keyboard. Kept for the session, by id with the name shown when it was
 * picked, so a selection survives scrolling rows out of view, a new query or a visit to a run.
 */
import { useSyncExternalStore } from 'react';

export type Selection = ReadonlyMap<string, string>;

const KEY = 'labdesk.selection';
let selected: Selection = load();
const listeners = new Set<() => void>();

function load(): Selection {
  try {
    const raw = sessionStorage.getItem(KEY);
    return new Map(raw ? (JSON.parse(raw) as [string, string][]) : []);
  } catch {
    return new Map();
  }
}

function set(next: Selection): void {
  selected = next;
  try {
    sessionStorage.setItem(KEY, JSON.stringify([...next]));
  } catch {
    // Storage full or disabled: the selection still works for this page.
  }
  listeners.forEach((l) => l());
}

export function toggleSelected(id: string, name: string): void {
  const next = new Map(selected);
  if (next.has(id)) next.delete(id);
  else next.set(id, name);
  set(next);
}

export function setSelected(id: string, name: string, on: boolean): void {
  if (selected.has(id) === on) return;
  toggleSelected(id, name);
}

export function clearSelection(): void {
  if (selected.size) set(new Map());
}

export function getSelection(): Selection {
  return selected;
}

export function useSelection(): Selection {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => selected,
  );
}
