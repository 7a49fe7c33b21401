import fs from 'node:fs/promises';
import path from 'node:path';
import type { DirEntry, RunLocation } from '../adapter.js';
import { openRegularFile } from '../util/files.js';
import { notebookStem, papermillSource } from './papermill.js';
import { record } from './timing.js';
export { notebookFileOf } from '../../util/notebook-path.js';

/**
 * An execution's identity, read from the file's two ends without parsing it: papermill's
 * `metadata.papermill.start_time` (at the end, where notebook metadata is written), else the first
 * `iopub.execute_input` time (cell metadata is written before the cell's outputs, so the first timed
 * cell sits near the start). Each execution saved to the same file gets its own run this way.
 */
export interface NotebookIdentity {
  /** When this execution started, as the file writes it; null for notebooks without timing. */
  executed: string | null;
  papermill: { inputPath: unknown; outputPath: unknown } | null;
}

/** How far into the file the first cell timing is looked for, and how much of its end holds the metadata. */
const HEAD_BYTES = 1024 * 1024;
const TAIL_BYTES = 256 * 1024;
const CHUNK = 64 * 1024;
/** Identities kept between walks, keyed by file; a changed size, mtime or inode reads it again. */
const CACHE_LIMIT = 20_000;
const cache = new Map<string, { key: string; identity: NotebookIdentity }>();

/** The runs in a folder's listing: every `.ipynb` file except Jupyter's checkpoint copies. */
export async function detectNotebooks(dir: string, entries: DirEntry[], format: string): Promise<RunLocation[]> {
  if (dir.split(/[\\/]/).includes('.ipynb_checkpoints')) return [];
  const out: RunLocation[] = [];
  for (const e of entries) {
    if (!e.isFile || !/\.ipynb$/i.test(e.name) || /-checkpoint\.ipynb$/i.test(e.name)) continue;
    const file = path.join(dir, e.name);
    const identity = await notebookIdentity(file);
    out.push({
      format,
      path: file,
      execution: identity.executed,
      files: [file],
      experiment: experimentOf(file, identity),
      claimsSubtree: false,
    });
  }
  return out;
}

/**
 * The experiment groups every execution of one notebook: `<folder>#notebook=<name>`. A papermill
 * output belongs to its input notebook (`base_10.ipynb` made from `./base.ipynb` is `base`), found
 * from the paths papermill recorded; other files by their own name.
 */
export function experimentOf(file: string, identity: NotebookIdentity): { name: string; path: string } {
  const source = identity.papermill ? papermillSource(file, identity.papermill.inputPath, identity.papermill.outputPath) : null;
  const dir = source?.dir ?? path.dirname(file);
  const stem = source?.stem ?? notebookStem(path.basename(file));
  return { name: `${stem}.ipynb`, path: `${dir}#notebook=${stem}` };
}

async function notebookIdentity(file: string): Promise<NotebookIdentity> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await openRegularFile(file);
    const st = await handle.stat();
    const key = `${st.size}:${st.mtimeMs}:${st.ino}`;
    const known = cache.get(file);
    if (known?.key === key) return known.identity;
    const identity = await readIdentity(handle, st.size);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(file, { key, identity });
    return identity;
  } catch {
    // Unreadable: listed under its plain path; reading it reports why.
    return { executed: null, papermill: null };
  } finally {
    await handle?.close();
  }
}

async function readIdentity(handle: fs.FileHandle, size: number): Promise<NotebookIdentity> {
  const tailStart = Math.max(0, size - TAIL_BYTES);
  const tail = Buffer.alloc(size - tailStart);
  await handle.read(tail, 0, tail.length, tailStart);
  const pm = papermillMetadata(tail.toString('utf8'));
  const started = pm && typeof pm.start_time === 'string' ? pm.start_time : await firstExecuteInput(handle, size);
  return {
    executed: started ? started.replace(/[^0-9A-Za-z:.+-]/g, '') || null : null,
    papermill: pm ? { inputPath: pm.input_path, outputPath: pm.output_path } : null,
  };
}

/** The first `"iopub.execute_input": "<time>"` in the file's first megabyte. */
async function firstExecuteInput(handle: fs.FileHandle, size: number): Promise<string | null> {
  const pattern = /"iopub\.execute_input"\s*:\s*"([^"\\]{1,64})"/;
  let carry = '';
  for (let pos = 0; pos < Math.min(size, HEAD_BYTES); pos += CHUNK) {
    const buf = Buffer.alloc(Math.min(CHUNK, size - pos));
    const { bytesRead } = await handle.read(buf, 0, buf.length, pos);
    const text = carry + buf.subarray(0, bytesRead).toString('latin1');
    const m = pattern.exec(text);
    if (m) return m[1];
    carry = text.slice(-128);
    if (bytesRead < buf.length) break;
  }
  return null;
}

/**
 * The notebook-level `papermill` object in the file's last bytes: the last `"papermill": {...}` that
 * parses and names an `input_path` or `version` (cells carry `papermill` objects of their own).
 */
function papermillMetadata(tail: string): Record<string, unknown> | null {
  const key = /"papermill"\s*:\s*\{/g;
  const starts: number[] = [];
  for (let m = key.exec(tail); m; m = key.exec(tail)) starts.push(m.index + m[0].length - 1);
  for (const start of starts.reverse()) {
    const end = objectEnd(tail, start);
    if (end < 0) continue;
    try {
      const obj = record(JSON.parse(tail.slice(start, end)));
      if ('input_path' in obj || 'version' in obj) return obj;
    } catch {
      // not the object we look for (or cut by the window): try an earlier one
    }
  }
  return null;
}

/** Index just past the JSON object opening at `start`, strings respected; -1 when it does not close. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}
