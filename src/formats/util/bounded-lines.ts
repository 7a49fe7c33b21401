/**
 * Limits for text metric files (CSV, TSV). A metrics file is untrusted input: one line can be
 * gigabytes, a header can name a million columns. Real files stay far below these.
 */
export const CSV_LIMITS = {
  /** Columns read per file; the rest of a wider header is ignored (one problem says so). */
  maxColumns: 10_000,
  /** Characters in one line for readers that split lines themselves, only ever into maxColumns cells. */
  maxLineChars: 16 * 1024 * 1024,
  /**
   * Characters in one record for csv-parse, which builds every field of a record before we can cap
   * it: 10,000 columns of numbers are ~250 KB, so this bounds its arrays and refuses nothing real.
   */
  maxParsedRecordChars: 1024 * 1024,
} as const;

/** A line over the limit: how long it was; its text was dropped as it streamed by. */
export interface LongLine {
  tooLong: number;
}

/**
 * Splits a text stream into lines on `\n` only (so `\r\r\n` is one line end; callers strip `\r`).
 * A line longer than `maxChars` is never assembled: it comes out as a `LongLine`. Joining pieces
 * once per line keeps a long line linear (re-splitting a growing remainder per chunk is quadratic).
 */
export async function* boundedLines(
  input: AsyncIterable<string | Buffer>,
  maxChars: number = CSV_LIMITS.maxLineChars,
): AsyncGenerator<string | LongLine> {
  let pieces: string[] = [];
  let length = 0;
  let tooLong = false;
  const take = (piece: string) => {
    length += piece.length;
    if (tooLong) return;
    if (length > maxChars) {
      tooLong = true;
      pieces = [];
    } else if (piece) pieces.push(piece);
  };
  const line = (): string | LongLine => {
    const out = tooLong ? { tooLong: length } : pieces.join('');
    pieces = [];
    length = 0;
    tooLong = false;
    return out;
  };
  for await (const chunk of input) {
    const text = String(chunk);
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      take(text.slice(from, nl));
      yield line();
      from = nl + 1;
    }
    take(text.slice(from));
  }
  if (length > 0) yield line();
}

/** Type guard for the over-long marker. */
export function isLongLine(line: string | LongLine): line is LongLine {
  return typeof line !== 'string';
}
