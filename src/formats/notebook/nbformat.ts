import fs from 'node:fs';
import { JSONParser } from '@streamparser/json';
import { describeFsError, openRegularFile } from '../util/files.js';
import { record } from './timing.js';

/** One cell of an nbformat v4 notebook, as read (source joined into one string). */
export interface NotebookCell {
  cellType: string;
  executionCount: number | null;
  metadata: Record<string, unknown>;
  outputs: Record<string, unknown>[];
  source: string;
}

export interface NotebookRead {
  /** The notebook's top-level `metadata` (kernelspec, language_info, papermill), when it was reached. */
  metadata: Record<string, unknown> | null;
  nbformat: number | null;
  nbformatMinor: number | null;
  cellCount: number;
  /** Bytes in the file when it was opened. */
  size: number;
  /** Why reading stopped early (unreadable, cut off, not JSON); cells before the damage were handed over. */
  error: string | null;
}

/**
 * Notebooks with big figures run to tens of megabytes of base64; past this one is not read (a
 * streaming read holds one cell at a time, so the cap is about time, not memory).
 */
export const MAX_NOTEBOOK_BYTES = 1024 * 1024 * 1024;

/**
 * Streams an `.ipynb` file, handing each cell to `onCell` as soon as it is parsed, so memory holds one
 * cell rather than the whole document; `onCell` returning 'stop' ends the read there. Never throws
 * on bad input: damage is returned in `error`.
 */
export async function streamNotebook(
  file: string,
  onCell: (cell: NotebookCell, index: number) => void | 'stop',
): Promise<NotebookRead> {
  const result: NotebookRead = { metadata: null, nbformat: null, nbformatMinor: null, cellCount: 0, size: 0, error: null };
  let size: number;
  try {
    const handle = await openRegularFile(file); // refuses a FIFO or a link out of the indexed folder
    size = (await handle.stat()).size;
    await handle.close();
  } catch (err) {
    return { ...result, error: describeFsError(err) };
  }
  result.size = size;
  if (size > MAX_NOTEBOOK_BYTES) {
    return { ...result, error: `too large to read (${size} bytes; the limit is ${MAX_NOTEBOOK_BYTES})` };
  }
  if (size === 0) return { ...result, error: 'the file is empty' };

  const parser = new JSONParser({ paths: ['$.cells.*', '$.metadata', '$.nbformat', '$.nbformat_minor'], keepStack: false });
  let stopped = false;
  let bug: unknown = null;
  parser.onValue = ({ value, key, stack }) => {
    if (stack.length === 2) {
      try {
        if (!stopped && onCell(toCell(value), result.cellCount++) === 'stop') stopped = true;
      } catch (err) {
        bug = err; // the caller's own error, not the file's: rethrown below
        throw err;
      }
    } else if (key === 'metadata') {
      result.metadata = record(value);
    } else if (key === 'nbformat' && typeof value === 'number') {
      result.nbformat = value;
    } else if (key === 'nbformat_minor' && typeof value === 'number') {
      result.nbformatMinor = value;
    }
  };
  /** Bytes handed to the parser so far: an error lies before this. */
  let offset = 0;
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
      if (parser.isEnded) {
        if (/\S/.test(chunk.toString('utf8'))) return { ...result, error: 'there is data after the end of the notebook' };
        continue;
      }
      offset += (chunk as Buffer).length;
      parser.write(chunk as Buffer);
      if (stopped) return result;
    }
    if (!parser.isEnded) parser.end();
  } catch (err) {
    if (bug) throw bug;
    const code = (err as NodeJS.ErrnoException).code;
    if (code) return { ...result, error: describeFsError(err) };
    const message = (err as Error).message;
    if (/in state ENDED/.test(message) || parser.isEnded) return { ...result, error: 'there is data after the end of the notebook' };
    // Both the tokenizer and the parser say "ended in ... mid" when the bytes stop before the document does.
    const cut = /ended in (the middle|mid-parsing)/i.test(message);
    const at = /absolute position "(\d+)"/.exec(message)?.[1];
    if (cut) return { ...result, error: `the file ends mid-document at byte ${size} (cut off while being saved?)` };
    return { ...result, error: `invalid JSON ${at ? `at byte ${at}` : `before byte ${offset}`}: ${message}` };
  }
  return result;
}

function toCell(value: unknown): NotebookCell {
  const c = record(value);
  const outputs = Array.isArray(c.outputs) ? c.outputs.map(record) : [];
  return {
    cellType: typeof c.cell_type === 'string' ? c.cell_type : '',
    executionCount: typeof c.execution_count === 'number' ? c.execution_count : null,
    metadata: record(c.metadata),
    outputs,
    source: multiline(c.source),
  };
}

/** nbformat stores text as one string or as a list of lines. */
export function multiline(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join('');
  return '';
}
