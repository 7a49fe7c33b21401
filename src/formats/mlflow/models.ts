import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunSink } from '../adapter.js';
import { describeFsError, pathExists } from '../util/files.js';
import { serverArtifactCandidates } from './artifact-uri.js';
import { MODEL_FORMAT, localPath, readYamlMap, text } from './common.js';

/** Bounds on an artifact tree walk: a run that logged a dataset folder must not stall indexing. */
const MAX_ARTIFACTS = 10_000;
const MAX_DEPTH = 16;
const IMAGE = /\.(png|jpe?g|gif|svg|webp|bmp)$/i;

/**
 * Framework of an MLflow model folder: the first flavor in its MLmodel other than the generic
 * `python_function` wrapper (sklearn, pytorch, xgboost, ...), else python_function itself.
 */
export async function modelFramework(modelDir: string, sink: RunSink): Promise<string | null> {
  const mlmodel = await readYamlMap(path.join(modelDir, 'MLmodel'), sink, 'MLmodel', { missingOk: true });
  const flavors = mlmodel?.flavors;
  if (!flavors || typeof flavors !== 'object') return null;
  const names = Object.keys(flavors);
  return names.find((n) => n !== 'python_function') ?? names[0] ?? null;
}

/** Total bytes of the files below `dir` (bounded walk); null when it cannot be listed. */
export async function dirSize(dir: string, depth = 0): Promise<number | null> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  let total = 0;
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && depth < MAX_DEPTH) total += (await dirSize(p, depth + 1)) ?? 0;
    else if (e.isFile()) total += await fs.stat(p).then((s) => s.size, () => 0);
  }
  return total;
}

/**
 * Lists a run's `artifacts/` folder. Every folder holding an `MLmodel` file is a logged model
 * (`mlflow.<flavor>.log_model`), reported as a model named `<run name>/<artifact path>`.
 */
export async function listArtifacts(artifactsDir: string, runName: string, sink: RunSink): Promise<void> {
  const models = new Map<string, number>();
  let count = 0;
  const walk = async (dir: string, depth: number, modelRoot: string | null): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') sink.problem(dir, `cannot list artifacts: ${describeFsError(err)}`);
      return;
    }
    if (!modelRoot && entries.some((e) => e.isFile() && e.name === 'MLmodel')) {
      modelRoot = dir;
      models.set(dir, 0);
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH) await walk(p, depth + 1, modelRoot);
        continue;
      }
      if (++count > MAX_ARTIFACTS) return;
      const size = await fs.stat(p).then((s) => s.size, () => null);
      sink.artifact(p, modelRoot ? 'model' : IMAGE.test(e.name) ? 'image' : 'file', size);
      if (modelRoot) models.set(modelRoot, models.get(modelRoot)! + (size ?? 0));
    }
  };
  await walk(artifactsDir, 0, null);
  if (count > MAX_ARTIFACTS) sink.problem(artifactsDir, `more than ${MAX_ARTIFACTS} artifact files; only the first ${MAX_ARTIFACTS} were listed`);
  for (const [dir, size] of models) {
    const rel = path.relative(artifactsDir, dir).split(path.sep).join('/') || '.';
    sink.model({ name: `${runName}/${rel}`, path: dir, format: MODEL_FORMAT, framework: await modelFramework(dir, sink), version: null, sizeBytes: size });
  }
}

/**
 * MLflow 3 logged models in a file store: the run's `outputs/<model id>/meta.yaml` points at
 * `<experiment>/models/<model id>/`, whose `artifacts/` holds the MLmodel folder.
 */
export async function listLoggedModelOutputs(runDir: string, expDir: string, runName: string, sink: RunSink): Promise<void> {
  let ids: string[];
  try {
    ids = (await fs.readdir(path.join(runDir, 'outputs'))).sort();
  } catch {
    return; // no outputs: not an MLflow 3 run, or it logged no model
  }
  for (const id of ids) {
    const out = await readYamlMap(path.join(runDir, 'outputs', id, 'meta.yaml'), sink, 'run output meta.yaml', { missingOk: true });
    if (!out || out.destination_type !== 'MODEL_OUTPUT') continue;
    const modelId = text(out.destination_id) ?? id;
    const modelDir = path.join(expDir, 'models', modelId);
    const meta = await readYamlMap(path.join(modelDir, 'meta.yaml'), sink, 'logged model meta.yaml', { missingOk: true });
    if (!meta) {
      sink.problem(modelDir, `logged model ${modelId} is named in the run's outputs but its folder is missing`);
      continue;
    }
    const artifacts = path.join(modelDir, 'artifacts');
    sink.model({
      name: `${runName}/${text(meta.name) ?? modelId}`,
      path: artifacts,
      format: MODEL_FORMAT,
      framework: await modelFramework(artifacts, sink),
      version: null,
      sizeBytes: await dirSize(artifacts),
    });
  }
}

export interface SourceContext {
  runId: string;
  /** The run's artifacts folder on this machine, when there is one. */
  artifactsDir: string | null;
  /** The folder holding MLflow 3 `m-*` logged models, when known. */
  loggedModelsDir: string | null;
  /** Folder that relative sources are relative to. */
  base: string;
}

/**
 * The local folder of a registry version's `source`. Sources are written on the machine that
 * registered them (absolute `file:///Users/...` paths), so a store copied elsewhere is matched by
 * the run's own artifacts folder first, then by the path as written.
 */
export async function modelSourceDir(source: string, ctx: SourceContext): Promise<string | null> {
  const candidates: string[] = [];
  const runs = /^runs:\/([^/]+)\/(.*)$/.exec(source);
  if (runs && runs[1] === ctx.runId && ctx.artifactsDir) candidates.push(path.join(ctx.artifactsDir, runs[2]));
  const logged = /^models:\/(m-[0-9a-f]+)/i.exec(source);
  if (logged && ctx.loggedModelsDir) candidates.push(path.join(ctx.loggedModelsDir, logged[1], 'artifacts'));
  const marker = `/${ctx.runId}/artifacts/`;
  const at = source.indexOf(marker);
  if (at >= 0 && ctx.artifactsDir) candidates.push(path.join(ctx.artifactsDir, source.slice(at + marker.length)));
  const written = localPath(source, ctx.base);
  if (written) candidates.push(written);
  candidates.push(...(serverArtifactCandidates(source, ctx.base) ?? []));
  for (const c of candidates) if (await pathExists(path.join(c, 'MLmodel'))) return c;
  return null;
}
