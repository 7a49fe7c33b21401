import fs from 'node:fs/promises';
import path from 'node:path';
import type { DirEntry } from '../adapter.js';

/** Where one DVCLive output folder keeps its files; found from listings only, nothing is opened. */
export interface DvcliveLayout {
  dir: string;
  /** `plots/metrics` (1.x+), `scalars` (later 0.x), or the folder itself (earliest 0.x). */
  metricsDir: string;
  /** Metric files below metricsDir, sorted; the metric key is the relative path minus `.tsv`. */
  metricFiles: string[];
  /** `metrics.json` inside (1.x+) or `<dir>.json` beside the folder (0.x). */
  summary: string | null;
  files: string[];
}

const METRIC_FILE = /\.(tsv|csv)$/;
/** Subfolders DVCLive 1.x+ creates under `plots/`. */
const PLOT_KINDS = new Set(['metrics', 'images', 'sklearn', 'custom']);
/** Files DVCLive 1.x+ writes beside `plots/`. */
const LIVE_FILES = ['metrics.json', 'params.yaml', 'dvc.yaml', 'report.html', 'report.md'];

/**
 * Is `dir` a DVCLive output folder? A project root (dvc.lock, `.dvc/`, `.git/`) never is: DVCLive
 * writes into a folder of its own, default `dvclive`. A custom-named folder must show DVCLive's own
 * files, so a project's `plots/` output folder is not taken for one.
 */
export async function dvcliveLayout(dir: string, entries: DirEntry[]): Promise<DvcliveLayout | null> {
  const hasFile = (n: string) => entries.some((e) => e.isFile && e.name === n);
  const hasDir = (n: string) => entries.some((e) => e.isDirectory && e.name === n);
  if (hasFile('dvc.lock') || hasDir('.dvc') || hasDir('.git')) return null;
  const isDefault = path.basename(dir) === 'dvclive';
  const present = LIVE_FILES.filter(hasFile);

  if (hasDir('plots') && (isDefault || present.length > 0)) {
    const kinds = await subdirs(path.join(dir, 'plots'));
    if (!kinds.some((k) => PLOT_KINDS.has(k))) return null;
    const metricsDir = path.join(dir, 'plots', 'metrics');
    const metricFiles = kinds.includes('metrics') ? await listMetricFiles(metricsDir) : [];
    const summary = hasFile('metrics.json') ? path.join(dir, 'metrics.json') : null;
    return { dir, metricsDir, metricFiles, summary, files: [...present.map((f) => path.join(dir, f)), ...metricFiles] };
  }

  // 0.x: the summary is `<dir>.json` next to the folder, the HTML report `report.html` inside.
  const besideSummary = `${dir}.json`;
  const hasSummary = await isFile(besideSummary);
  const claim = isDefault || hasSummary || hasFile('report.html');
  const hasTsv = entries.some((e) => e.isFile && METRIC_FILE.test(e.name));
  if (!claim || !(hasDir('scalars') || (hasTsv && (isDefault || hasSummary)))) return null;
  const metricsDir = hasDir('scalars') ? path.join(dir, 'scalars') : dir;
  const metricFiles = await listMetricFiles(metricsDir);
  const summary = hasSummary ? besideSummary : null;
  const files = [...(summary ? [summary] : []), ...present.map((f) => path.join(dir, f)), ...metricFiles];
  return { dir, metricsDir, metricFiles, summary, files };
}

/** Metric files under `root`, depth-first and sorted, so nested names (`train/loss`) keep their order. */
async function listMetricFiles(root: string, depth = 0): Promise<string[]> {
  let dirents: import('node:fs').Dirent[];
  try {
    dirents = await fs.readdir(root, { withFileTypes: true });
  } catch {
    return []; // unreadable folders are reported when the run is read
  }
  const out: string[] = [];
  for (const d of dirents.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(root, d.name);
    if (d.isDirectory() && depth < 8 && !d.name.startsWith('.')) out.push(...(await listMetricFiles(p, depth + 1)));
    else if (d.isFile() && METRIC_FILE.test(d.name)) out.push(p);
  }
  return out;
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}

export async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** The listing of a folder in the walker's shape, for looking one level ahead. */
export async function listEntries(dir: string): Promise<DirEntry[]> {
  try {
    const dirents = await fs.readdir(dir, { withFileTypes: true });
    return dirents.map((d) => ({ name: d.name, isDirectory: d.isDirectory(), isFile: d.isFile() }));
  } catch {
    return [];
  }
}

/** Names of the DVCLive folders directly inside a project folder (e.g. `dvclive`, or `eval` from `Live("eval")`). */
export async function dvcliveChildren(project: string, entries?: DirEntry[]): Promise<string[]> {
  const list = entries ?? (await listEntries(project));
  const out: string[] = [];
  for (const e of list) {
    if (!e.isDirectory || e.name.startsWith('.')) continue;
    const dir = path.join(project, e.name);
    if (await dvcliveLayout(dir, await listEntries(dir))) out.push(e.name);
  }
  return out.sort();
}
