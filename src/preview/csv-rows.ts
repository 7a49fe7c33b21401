/**
 * Rows of a CSV/TSV text (RFC 4180 quotes, CRLF or LF), at most `maxRows`; `more` when rows were left.
 * Kept small for previews: no type guessing, every cell a string.
 */
export function parseCsvRows(text: string, delimiter: string, maxRows: number): { rows: string[][]; more: boolean } {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endRow = (): boolean => {
    row.push(cell);
    cell = '';
    if (rows.length === maxRows) return false;
    rows.push(row);
    row = [];
    return true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (!endRow()) return { rows, more: true };
    } else cell += c;
  }
  if ((cell !== '' || row.length) && !endRow()) return { rows, more: true };
  return { rows, more: false };
}
