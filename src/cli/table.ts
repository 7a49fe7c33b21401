import Table from 'cli-table3';

/** A text table; grey borders only on a terminal, plain text when piped. */
export function textTable(head: string[]): Table.Table {
  return new Table({ head, style: process.stdout.isTTY ? { head: [] } : { head: [], border: [] } });
}
