import fs from 'node:fs/promises';
import path from 'node:path';
import type { Adapter, DirEntry, RunLocation, RunSink } from '../adapter.js';
import { readSmallText } from '../util/files.js';
import { flattenJsonParams } from '../generic/json-params.js';
import { parsePythonJson } from '../generic/python-json.js';
import { readRunJson, resourcePath, sacredTime } from './run-json.js';

/** Files Sacred writes beside `run.json`, all optional except it. */
const RUN_FILES = ['run.json', 'config.json', 'metrics.json', 'info.json'];

/**
 * Sacred's `FileStorageObserver`: `<basedir>/<_id>/` with `run.json` (status, host, git, times,
 * result, fail_trace), `config.json`, `metrics.json` (`{name: {steps, timestamps, values}}`, the
 * whole file rewritten at each flush), `cout.txt` and the run's artifacts. `_sources/` and
 * `_resources/` beside the run folders are shared stores, not runs. The basedir is the experiment.
 */
export const sacred: Adapter = {
  format: 'sacred',
  label: 'Sacred FileStorageObserver',

  detect(dir: string, entries: DirEntry[]): RunLocation[] {
    const has = (name: string) => entries.some((e) => e.isFile && e.name === name);
    // run.json alone is too common a name; Sacred always writes config.json or cout.txt with it.
    if (!has('run.json') || !(has('config.json') || has('cout.txt'))) return [];
    const basedir = path.dirname(dir);
    return [
      {
        format: this.format,
        path: dir,
        files: RUN_FILES.filter(has).map((f) => path.join(dir, f)),
        experiment: { name: path.basename(basedir), path: basedir },
        claimsSubtree: true,
      },
    ];
  },

  async read(location: RunLocation, sink: RunSink): Promise<void> {
    const dir = location.path;
    const file = (name: string) => location.files.find((f) => path.basename(f) === name);
    const { artifacts, resources } = await readRunJson(path.join(dir, 'run.json'), sink);
    const config = file('config.json');
    if (config) await readConfig(config, sink);
    const metrics = file('metrics.json');
    if (metrics) await readMetrics(metrics, sink);
    await listFiles(dir, artifacts, resources, sink);
  },
};

async function readConfig(file: string, sink: RunSink): Promise<void> {
  const read = await readSmallText(file);
  if ('error' in read) return sink.problem(file, `config.json: ${read.error}`);
  sink.fileRead(file, Buffer.byteLength(read.text));
  const flat = flattenJsonParams(read.text);
  if ('error' in flat) return sink.problem(file, `config.json is not a JSON object: ${flat.error}`);
  for (const [k, v] of flat.params) sink.param(k, v);
}

/** `metrics.json`: per metric, parallel lists of steps, ISO timestamps (UTC) and values. */
async function readMetrics(file: string, sink: RunSink): Promise<void> {
  const read = await readSmallText(file, 512 * 1024 * 1024);
  if ('error' in read) return sink.problem(file, `metrics.json: ${read.error}`);
  sink.fileRead(file, Buffer.byteLength(read.text));
  const parsed = parsePythonJson(read.text);
  if ('error' in parsed) return sink.problem(file, `metrics.json is not valid JSON (cut off mid-write?): ${parsed.error}`);
  const all = parsed.value;
  if (all === null || typeof all !== 'object' || Array.isArray(all)) return sink.problem(file, 'metrics.json is not an object of metrics');
  for (const [key, series] of Object.entries(all)) {
    const s = (series ?? {}) as { steps?: unknown; timestamps?: unknown; values?: unknown };
    if (!Array.isArray(s.values) || !Array.isArray(s.steps)) {
      sink.problem(file, `metric "${key}" has no steps/values lists; skipped`);
      continue;
    }
    const times = Array.isArray(s.timestamps) ? s.timestamps : [];
    let bad = 0;
    for (let i = 0; i < s.values.length; i++) {
      const value = s.values[i];
      const step = s.steps[i] ?? i;
      if (typeof value !== 'number' || typeof step !== 'number') {
        bad++;
        continue;
      }
      const ms = sacredTime(times[i]);
      sink.point(key, step, value, ms === null ? undefined : ms / 1000);
    }
    if (bad) sink.problem(file, `metric "${key}" has ${bad} value(s) or step(s) that are not numbers; they were skipped`);
    if (s.values.length !== s.steps.length) {
      sink.problem(file, `metric "${key}" has ${s.values.length} values but ${s.steps.length} steps`);
    }
  }
}

/** The run folder's files as artifacts (`cout.txt`, saved artifacts, `info.json`), and its stored resources. */
async function listFiles(dir: string, artifacts: string[], resources: string[], sink: RunSink): Promise<void> {
  let names: string[] = [];
  try {
    names = (await fs.readdir(dir, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
  } catch {
    return; // run.json was read from it a moment ago: a vanished folder will show on the next pass
  }
  const saved = new Set(artifacts);
  for (const name of names.sort()) {
    if (name === 'run.json' || name === 'config.json' || name === 'metrics.json') continue;
    const kind = name === 'cout.txt' ? 'log' : name === 'info.json' ? 'info' : saved.has(name) ? 'artifact' : 'file';
    sink.artifact(path.join(dir, name), kind, await size(path.join(dir, name)));
  }
  for (const stored of resources) {
    const p = resourcePath(dir, stored);
    sink.artifact(p, 'resource', await size(p));
  }
}

async function size(file: string): Promise<number | null> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return null;
  }
}
