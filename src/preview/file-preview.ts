/**
 * Reading a run's file for a preview in the app: bounded reads of regular files inside the run's
 * folder only (links resolved, then checked), binary content detected, every refusal a value.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FilePreview } from '../api/contract.js';
import { parseCsvRows } from './csv-rows.js';

/** Bounds on what a preview reads: the UI shows a file's start, never the whole of a big file. */
export const PREVIEW_LIMITS = { textBytes: 256 * 1024, csvRows: 2000, csvBytes: 4 * 1024 * 1024, imageBytes: 10 * 1024 * 1024 } as const;

const IMAGE_MIME: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
};
const YAML_EXT = new Set(['.yaml', '.yml']);
const CSV_EXT = new Set(['.csv', '.tsv']);

const inside = (dir: string, file: string) => {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};
const megabytes = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

/** A preview of `file`, which the catalog lists for a run whose folder is `folder`. */
export async function previewFile(file: string, folder: string): Promise<FilePreview> {
  const unavailable = (reason: string, sizeBytes: number | null = null): FilePreview => ({ kind: 'unavailable', path: file, reason, sizeBytes });
  let real: string;
  let realFolder: string;
  try {
    real = await fs.promises.realpath(file);
    realFolder = await fs.promises.realpath(folder);
  } catch {
    return unavailable('The file is not there any more (moved or deleted?).');
  }
  if (!inside(realFolder, real)) return unavailable('This file links outside the run’s folder; Labdesk does not open it.');
  const st = await fs.promises.stat(real).catch(() => null);
  if (!st) return unavailable('The file is not there any more (moved or deleted?).');
  if (!st.isFile()) return unavailable('This is not a regular file (a pipe, device or folder); Labdesk does not read it.');

  const ext = path.extname(real).toLowerCase();
  const mime = IMAGE_MIME[ext];
  if (mime) {
    if (st.size > PREVIEW_LIMITS.imageBytes) {
      return unavailable(`This image is ${megabytes(st.size)}; previews show images up to ${megabytes(PREVIEW_LIMITS.imageBytes)}.`, st.size);
    }
    const bytes = await readStart(real, PREVIEW_LIMITS.imageBytes).catch(() => null);
    if (!bytes) return unavailable('Labdesk could not read this file (changed or unreadable?).', st.size);
    return { kind: 'image', path: file, mime, data: bytes.toString('base64'), sizeBytes: st.size };
  }

  const csv = CSV_EXT.has(ext);
  const bytes = await readStart(real, csv ? PREVIEW_LIMITS.csvBytes : PREVIEW_LIMITS.textBytes).catch(() => null);
  if (!bytes) return unavailable('Labdesk could not read this file (changed or unreadable?).', st.size);
  const truncated = st.size > bytes.length;
  if (looksBinary(bytes)) return unavailable('This file holds binary data; there is no text to show.', st.size);
  let text = bytes.toString('utf8');
  // A cut can fall inside a multi-byte character or mid-line: end at the last whole line.
  if (truncated && text.includes('\n')) text = text.slice(0, text.lastIndexOf('\n') + 1);

  if (csv) {
    const parsed = parseCsvRows(text, ext === '.tsv' ? '\t' : ',', PREVIEW_LIMITS.csvRows + 1);
    const [columns = [], ...rows] = parsed.rows;
    return { kind: 'table', path: file, columns, rows, truncated: truncated || parsed.more, sizeBytes: st.size };
  }
  let syntax: 'json' | 'yaml' | 'text' = YAML_EXT.has(ext) ? 'yaml' : 'text';
  if (ext === '.json' && !truncated) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
      syntax = 'json';
    } catch {
      // not valid JSON: shown as written
    }
  }
  return { kind: 'text', path: file, syntax, text, truncated, sizeBytes: st.size };
}

// The open never waits (O_NONBLOCK) and never follows a link put in the file's place after the checks.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0);

/** At most `limit` bytes from the start of a regular file (checked again once open: it may have been swapped). */
async function readStart(file: string, limit: number): Promise<Buffer> {
  const handle = await fs.promises.open(file, OPEN_FLAGS);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new Error('not a regular file');
    limit = Math.min(limit, st.size);
    const buf = Buffer.alloc(limit);
    let filled = 0;
    while (filled < limit) {
      const { bytesRead } = await handle.read(buf, filled, limit - filled, filled);
      if (!bytesRead) break;
      filled += bytesRead;
    }
    return buf.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** NUL bytes, or many control characters, in the first 8 KB: not text. */
function looksBinary(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of head) {
    if (b === 0) return true;
    if (b < 8 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return head.length > 0 && control / head.length > 0.1;
}
