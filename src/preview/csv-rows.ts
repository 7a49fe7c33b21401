/**
 * Rows of a CSV/TSV text for a preview, at most `maxRows` (`more` when rows were left), through
 * csv-parse: RFC 4180 quotes, CRLF or LF, a BOM, ragged rows. No type guessing: every cell a string.
 * A preview reads only the first megabytes of a file, so a quoted cell may be cut open at the end:
 * the rows before it are kept and the table is marked as cut (`more`).
 */
import { parse, CsvError, type Options } from 'csv-parse/sync';

/** A cell longer than this is a damaged or hostile file, not a table to show. */
const MAX_CELL_CHARS = 1024 * 1024;

export function parseCsvRows(text: string, delimiter: string, maxRows: number): { rows: string[][]; more: boolean } {
  const options: Options = {
    delimiter,
    // Any line ending, mixed too (a file appended to on another system).
    record_delimiter: ['\r\n', '\n', '\r'],
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_CELL_CHARS,
  };
  let rows: string[][];
  let cut = false;
  try {
    rows = parse(text, { ...options, to: maxRows + 1 }) as string[][];
  } catch (err) {
    if (!(err instanceof CsvError) || err.code !== 'CSV_QUOTE_NOT_CLOSED') throw err;
    // Parse again up to the records before the open quote: all of them are whole.
    const whole = (err as CsvError & { records?: number }).records ?? 0;
    rows = whole > 0 ? (parse(text, { ...options, to: whole }) as string[][]) : [];
    cut = true;
  }
  return rows.length > maxRows ? { rows: rows.slice(0, maxRows), more: true } : { rows, more: cut };
}
