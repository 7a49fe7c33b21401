import fs from 'node:fs/promises';
import path from 'node:path';
import type { ModelRecord, RunMeta, RunSink } from '../adapter.js';
import { readJsonMetrics } from '../generic/json-metrics.js';
import { commonStepColumn, readWideCsv } from '../keras-csv/wide-csv.js';

/**
 * Slack around the execution window: file systems round mtimes (FAT to 2 s), and a cell's last
 * write lands a moment before nbclient records its reply.
 */
const BEFORE_MS = 1000;
const AFTER_MS = 2000;
/** Entries looked at beside a notebook (its folder and one level of subfolders). */
const MAX_ENTRIES = 5000;
const SKIPPED_FOLDERS = new Set(['.ipynb_checkpoints', '__pycache__', 'node_modules', '.git']);

export interface WrittenFile {
  path: string;
  sizeBytes: number;
  mtimeMs: number;
}

/** Files beside the notebook (and one folder down) modified within its execution window. */
export async function filesWrittenDuring(notebook: string, start: number, end: number): Promise<WrittenFile[]> {
  const dir = path.dirname(notebook);
  const out: WrittenFile[] = [];
  let seen = 0;
  const scan = async (folder: string, depth: number): Promise<void> => {
    let dirents: import('node:fs').Dirent[];
    try {
      dirents = await fs.readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of dirents.sort((a, b) => a.name.localeCompare(b.name))) {
      if (++seen > MAX_ENTRIES) return;
      const p = path.join(folder, d.name);
      if (d.isDirectory()) {
        if (depth === 0 && !d.name.startsWith('.') && !SKIPPED_FOLDERS.has(d.name)) await scan(p, depth + 1);
        continue;
      }
      if (!d.isFile() || p === notebook) continue;
      try {
        const st = await fs.stat(p);
        if (st.mtimeMs >= start - BEFORE_MS && st.mtimeMs <= end + AFTER_MS) out.push({ path: p, sizeBytes: st.size, mtimeMs: st.mtimeMs });
      } catch {
        // vanished since the listing
      }
    }
  };
  await scan(dir, 0);
  return out;
}

/** Metric files bigger than this are listed as outputs only: a predictions table is not a metric. */
export const MAX_METRIC_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Written files whose name says they hold metrics (`metrics.json`, `val_scores.csv`,
 * `eval_results.json`); a plain `results.csv` is as often a table of predictions, so it is not.
 */
export function isMetricFile(file: WrittenFile): boolean {
  const name = path.basename(file.path);
  if (file.sizeBytes > MAX_METRIC_FILE_BYTES || !/\.(json|csv)$/i.test(name)) return false;
  return /metric|score/i.test(name) || /^(\w+_)?results\.json$/i.test(name);
}

/**
 * The metrics in a JSON or CSV file the notebook wrote, read with the generic readers. A file that
 * turns out to hold none is just an output: nothing is reported about it.
 */
export async function readMetricFile(file: string): Promise<Map<string, { step: number; value: number }[]>> {
  const points = new Map<string, { step: number; value: number }[]>();
  const capture = capturingSink((key, step, value) => {
    let list = points.get(key);
    if (!list) points.set(key, (list = []));
    list.push({ step, value });
  });
  if (/\.json$/i.test(file)) await readJsonMetrics(file, capture);
  else await readWideCsv(file, capture, { stepColumn: commonStepColumn });
  return points;
}

function capturingSink(point: (key: string, step: number, value: number) => void): RunSink {
  const ignore = () => {};
  return {
    meta: ignore as (patch: Partial<RunMeta>) => void,
    param: ignore,
    tag: ignore,
    point,
    artifact: ignore,
    model: ignore as (m: ModelRecord) => void,
    problem: ignore,
    fileRead: ignore,
  };
}
