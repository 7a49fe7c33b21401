import fs from 'node:fs/promises';
import path from 'node:path';
import type { Adapter, DirEntry, RunLocation, RunSink, TailFiles } from '../adapter.js';
import { pathExists, readSmallText } from '../util/files.js';
import { LIFECYCLE_TAG, epochMs, readYamlMap, statusFromMlflow, text } from './common.js';
import { readRegistryVersion, registryVersionFiles } from './file-registry.js';
import { readMetricFile, type MetricFileState } from './metric-file.js';
import { listArtifacts, listLoggedModelOutputs } from './models.js';

const RUN_ID = /^[0-9a-f]{32}$/i;
const DATA_DIRS = ['metrics', 'params', 'tags'] as const;
/** Param and tag files hold one value each; anything bigger is not one. */
const MAX_VALUE_BYTES = 1024 * 1024;

/**
 * MLflow's file store: `<store>/<experiment id>/<run id>/` with `meta.yaml`, `metrics/<key>`,
 * `params/<key>`, `tags/<key>` (keys containing `/` are sub-folders) and `artifacts/`. Each run
 * folder is a run; its experiment is the parent folder (named by the experiment's meta.yaml).
 * Deleted experiments sit in `<store>/.trash/`; their runs are indexed and tagged deleted.
 */
export const mlflowFileStore: Adapter = {
  format: 'mlflow',
  label: 'MLflow file store (mlruns)',

  async detect(dir: string, entries: DirEntry[]): Promise<RunLocation[]> {
    const hasFile = (name: string) => entries.some((e) => e.isFile && e.name === name);
    const hasDir = (name: string) => entries.some((e) => e.isDirectory && e.name === name);
    if (!hasFile('meta.yaml')) return [];
    const name = path.basename(dir);
    const expDir = path.dirname(dir);
    // MLflow 3 logged models (`<exp>/models/m-<id>/`) have the same layout as runs but are not runs.
    if (name.startsWith('m-') && path.basename(expDir) === 'models') return [];
    // A run that logged nothing has only meta.yaml (git drops empty folders): then the id decides.
    const looksLikeRun = DATA_DIRS.some(hasDir) || (RUN_ID.test(name) && (await pathExists(path.join(expDir, 'meta.yaml'))));
    if (!looksLikeRun) return [];

    const files = [path.join(dir, 'meta.yaml')];
    for (const sub of DATA_DIRS) if (hasDir(sub)) files.push(...(await listTree(path.join(dir, sub))));
    if (hasDir('outputs')) files.push(...(await outputFiles(dir, expDir)));
    const storeRoot = path.basename(path.dirname(expDir)) === '.trash' ? path.dirname(path.dirname(expDir)) : path.dirname(expDir);
    files.push(...(await registryVersionFiles(storeRoot, name)));
    return [{ format: this.format, path: dir, files, experiment: { name: path.basename(expDir), path: expDir }, claimsSubtree: true }];
  },

  async read(location: RunLocation, sink: RunSink): Promise<void> {
    const dir = location.path;
    const runId = path.basename(dir);
    const expDir = path.dirname(dir);
    const under = (sub: string) => location.files.filter((f) => f.startsWith(path.join(dir, sub) + path.sep));
    const keyOf = (sub: string, file: string) => path.relative(path.join(dir, sub), file).split(path.sep).join('/');

    const meta = await readYamlMap(path.join(dir, 'meta.yaml'), sink, 'run meta.yaml');
    const exp = await readYamlMap(path.join(expDir, 'meta.yaml'), sink, 'experiment meta.yaml', { missingOk: true });

    const tags = new Map<string, string>();
    for (const f of under('tags')) {
      const value = await readValue(f, 'tag', sink);
      if (value !== null) tags.set(keyOf('tags', f), value);
    }
    for (const [k, v] of tags) sink.tag(k, v);
    for (const f of under('params')) {
      const value = await readValue(f, 'param', sink);
      if (value !== null) sink.param(keyOf('params', f), value);
    }
    for (const f of under('metrics')) await readMetricFile(f, keyOf('metrics', f), sink);

    const runName = tags.get('mlflow.runName') ?? text(meta?.run_name) ?? text(meta?.name) ?? runId;
    sink.meta({
      name: runName,
      status: statusFromMlflow(meta?.status),
      startTime: epochMs(meta?.start_time),
      endTime: epochMs(meta?.end_time),
      gitCommit: tags.get('mlflow.source.git.commit') ?? text(meta?.source_version) ?? null,
      ...(text(exp?.name) ? { experimentName: text(exp?.name)! } : {}),
    });
    // A trashed experiment keeps `lifecycle_stage: active` in its meta.yaml: the folder is the truth.
    const inTrash = path.basename(path.dirname(expDir)) === '.trash';
    if (meta?.lifecycle_stage === 'deleted' || exp?.lifecycle_stage === 'deleted' || inTrash) sink.tag(LIFECYCLE_TAG, 'deleted');

    const artifactsDir = path.join(dir, 'artifacts');
    await listArtifacts(artifactsDir, runName, sink);
    await listLoggedModelOutputs(dir, expDir, runName, sink);
    const storeRoot = inTrash ? path.dirname(path.dirname(expDir)) : path.dirname(expDir);
    const ctx = { runId, artifactsDir, loggedModelsDir: path.join(expDir, 'models'), base: storeRoot };
    for (const f of location.files.filter((file) => file.startsWith(path.join(storeRoot, 'models') + path.sep))) {
      await readRegistryVersion(f, ctx, sink);
    }
  },

  async tail(location: RunLocation, sink: RunSink, files: TailFiles): Promise<boolean> {
    // While a run logs, only its metric files grow (a new key is a new file: a whole read). The
    // run's meta.yaml changes when it ends, and params and tags are written once: read whole.
    const metricsDir = path.join(location.path, 'metrics') + path.sep;
    if (![...files.grown.keys()].every((f) => f.startsWith(metricsDir))) return false;
    for (const [file, position] of files.grown) {
      const state = position.state as MetricFileState | null;
      if (!state || !Array.isArray(state.ids)) return false;
      const key = path.relative(metricsDir, file).split(path.sep).join('/');
      if (!(await readMetricFile(file, key, sink, { offset: position.offset, state }))) return false;
    }
    return true;
  },
};

/** Every file below `dir`, sorted (keys with `/` are nested folders). */
async function listTree(dir: string, depth = 0): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && depth < 16) out.push(...(await listTree(p, depth + 1)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** MLflow 3 run outputs and the logged models they name: changes there mean the run's models changed. */
async function outputFiles(dir: string, expDir: string): Promise<string[]> {
  const ids = await fs.readdir(path.join(dir, 'outputs')).catch(() => [] as string[]);
  const files: string[] = [];
  for (const id of ids.sort()) {
    files.push(path.join(dir, 'outputs', id, 'meta.yaml'));
    for (const f of [path.join(expDir, 'models', id, 'meta.yaml'), path.join(expDir, 'models', id, 'artifacts', 'MLmodel')]) {
      if (await pathExists(f)) files.push(f);
    }
  }
  return files;
}

/** A param or tag value: the whole file, as MLflow wrote it (no trailing newline is added). */
async function readValue(file: string, what: string, sink: RunSink): Promise<string | null> {
  const read = await readSmallText(file, MAX_VALUE_BYTES);
  if ('error' in read) {
    sink.problem(file, `${what} "${path.basename(file)}": ${read.error}`);
    return null;
  }
  sink.fileRead(file, Buffer.byteLength(read.text));
  return read.text;
}
