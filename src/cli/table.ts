import Table from 'cli-table3';
import { safeText } from './safe-text.js';

export interface TextTable {
  /** Adds a row; cells are shown with control characters escaped (they come from indexed folders). */
  push(cells: unknown[]): void;
  toString(): string;
}

/** A text table; grey borders only on a terminal, plain text when piped. */
export function textTable(head: string[]): TextTable {
  const table = new Table({ head, style: process.stdout.isTTY ? { head: [] } : { head: [], border: [] } });
  return {
    push: (cells) => void table.push(cells.map((c) => safeText(c ?? ''))),
    toString: () => table.toString(),
  };
}
