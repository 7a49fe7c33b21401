import path from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import type { RunSink } from '../adapter.js';
import { pathExists, readSmallText } from '../util/files.js';
import { flattenYamlParams } from '../util/params.js';
import { child, dvcFileInfo, entriesOf, lockStages, parseYaml, type LockStage } from './lock.js';
import { readMetricsFile } from './summary.js';

/** What dvc.yaml declares, as far as a run needs it. */
interface DvcYaml {
  /** Stage name → paths it writes (outs, metrics, plots), project-relative. */
  stageOutputs: Map<string, string[]>;
  /** Metrics files: top-level `metrics:` and stages' `metrics:`. */
  metrics: string[];
  /** Param keys the stages name (`train.lr`, `file.yaml:key`); '*' entries mean a whole file. */
  paramKeys: string[];
  /** Top-level `artifacts:` path → type (model, dataset, ...). */
  artifactTypes: Map<string, string>;
}

export interface PipelineOptions {
  /** Metrics files (project-relative) read by someone else, e.g. the DVCLive summary of the same run. */
  skipMetrics?: (relPath: string) => boolean;
}

export interface PipelineInfo {
  /** The stage whose outputs include `relPath`, a folder above it or a file inside it, if dvc.yaml says. */
  stageWriting(relPath: string): string | null;
}

/**
 * Reads a DVC project's pipeline record into the sink: params the stages used (from dvc.lock),
 * data versions (`dvc.dep.<path>` / `dvc.out.<path>` tags = the lock's md5), outputs as artifacts,
 * where `.dvc`-tracked inputs came from, and the metrics files dvc.yaml declares.
 */
export async function readPipeline(project: string, sink: RunSink, options: PipelineOptions = {}): Promise<PipelineInfo> {
  const yamlFile = path.join(project, 'dvc.yaml');
  const declared = await readDvcYaml(yamlFile, sink);
  const stages = await readLock(path.join(project, 'dvc.lock'), sink);

  if (stages) {
    for (const s of stages) for (const [k, v] of s.params) sink.param(k, v);
  } else {
    await paramsFromParamsYaml(project, declared?.paramKeys ?? [], sink);
  }
  for (const s of stages ?? []) {
    for (const d of s.deps) if (d.hash) sink.tag(`dvc.dep.${d.path}`, d.hash);
    for (const o of s.outs) {
      if (o.hash) sink.tag(`dvc.out.${o.path}`, o.hash);
      const type = declared?.artifactTypes.get(o.path);
      sink.artifact(path.resolve(project, o.path), type ?? 'dvc-out', o.size);
    }
  }
  await readDvcFiles(project, (stages ?? []).flatMap((s) => s.deps.map((d) => d.path)), sink);

  const missing: string[] = [];
  for (const rel of declared?.metrics ?? []) {
    if (options.skipMetrics?.(rel)) continue;
    const file = path.resolve(project, rel);
    if (!(await pathExists(file))) {
      missing.push(rel); // usually a DVC-cached output not pulled into this checkout: not a fault
      continue;
    }
    const values = await readMetricsFile(file, sink);
    for (const [k, v] of values ?? []) sink.point(k, 0, v);
  }
  if (missing.length) sink.tag('dvc.metrics.absent', missing.join(', '));

  return {
    stageWriting(relPath: string): string | null {
      for (const [stage, outs] of declared?.stageOutputs ?? []) {
        if (outs.some((o) => relPath === o || relPath.startsWith(`${o}/`) || o.startsWith(`${relPath}/`))) return stage;
      }
      return null;
    },
  };
}

async function readLock(file: string, sink: RunSink): Promise<LockStage[] | null> {
  const read = await readSmallText(file);
  if ('error' in read) {
    if (await pathExists(file)) sink.problem(file, `cannot read dvc.lock: ${read.error}`);
    return null;
  }
  sink.fileRead(file, Buffer.byteLength(read.text));
  const parsed = parseYaml(read.text);
  if ('error' in parsed) {
    sink.problem(file, `dvc.lock is not valid YAML (${parsed.error}); params come from params.yaml and data versions are unknown`);
    return null;
  }
  if (parsed.value !== null && !isMap(parsed.value)) {
    sink.problem(file, 'dvc.lock does not hold a mapping of stages');
    return null;
  }
  return lockStages(parsed.value);
}

async function readDvcYaml(file: string, sink: RunSink): Promise<DvcYaml | null> {
  const read = await readSmallText(file);
  if ('error' in read) {
    if (await pathExists(file)) sink.problem(file, `cannot read dvc.yaml: ${read.error}`);
    return null;
  }
  sink.fileRead(file, Buffer.byteLength(read.text));
  const parsed = parseYaml(read.text);
  if ('error' in parsed) {
    sink.problem(file, `dvc.yaml is not valid YAML: ${parsed.error}`);
    return null;
  }
  const root = parsed.value;
  const out: DvcYaml = { stageOutputs: new Map(), metrics: pathList(child(root, 'metrics')), paramKeys: [], artifactTypes: new Map() };
  for (const [name, stage] of entriesOf(child(root, 'stages'))) {
    const metrics = pathList(child(stage, 'metrics'));
    out.metrics.push(...metrics);
    out.stageOutputs.set(name, [...pathList(child(stage, 'outs')), ...metrics, ...pathList(child(stage, 'plots'))]);
    out.paramKeys.push(...stageParamKeys(child(stage, 'params')));
  }
  for (const [, art] of entriesOf(child(root, 'artifacts'))) {
    const p = child(art, 'path');
    const t = child(art, 'type');
    if (isScalar(p) && isScalar(t)) out.artifactTypes.set(String(p.value), String(t.value));
  }
  out.metrics = [...new Set(out.metrics.map(normalize))];
  return out;
}

/** A dvc.yaml path list: items are `path` or `{path: {options}}`. */
function pathList(node: unknown): string[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((item) => {
    if (isScalar(item)) return [normalize(String(item.value))];
    return entriesOf(item).map(([k]) => normalize(k));
  });
}

/** `- train.lr` (from params.yaml), `- params.yaml:` (the whole file), `- other.yaml: [a, b]`. */
function stageParamKeys(node: unknown): string[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((item) => {
    if (isScalar(item)) return [String(item.value)];
    return entriesOf(item).flatMap(([file, keys]) => {
      const prefix = file === 'params.yaml' ? '' : `${file}:`;
      if (!isSeq(keys) || keys.items.length === 0) return [`${prefix}*`];
      return keys.items.map((k) => `${prefix}${isScalar(k) ? String(k.value) : String(k)}`);
    });
  });
}

/** Without a usable lock: the params.yaml keys the stages name, as the workspace has them now. */
async function paramsFromParamsYaml(project: string, keys: string[], sink: RunSink): Promise<void> {
  const file = path.join(project, 'params.yaml');
  const read = await readSmallText(file);
  if ('error' in read) return;
  const { params, errors, refused } = flattenYamlParams(read.text);
  if (refused) sink.problem(file, `params.yaml: ${refused}`);
  for (const e of errors) sink.problem(file, `params.yaml is not valid YAML: ${e}`);
  const own = keys.filter((k) => !k.includes(':'));
  const all = own.length === 0 || own.includes('*');
  for (const [k, v] of params) {
    if (all || own.some((w) => k === w || k.startsWith(`${w}.`))) sink.param(k, v);
  }
}

/**
 * `.dvc` files of the deps (or of a folder above a dep): the version of data added with `dvc add`
 * (`dvc.tracked.<path>`) and, for `dvc import`, where it came from (`dvc.import.<path>`).
 */
async function readDvcFiles(project: string, deps: string[], sink: RunSink): Promise<void> {
  const candidates = new Set<string>();
  for (const dep of deps) {
    const parts = normalize(dep).split('/');
    for (let i = 1; i <= parts.length; i++) candidates.add(`${parts.slice(0, i).join('/')}.dvc`);
  }
  for (const rel of [...candidates].sort()) {
    const file = path.join(project, rel);
    const read = await readSmallText(file, 1024 * 1024);
    if ('error' in read) continue; // most candidates do not exist
    const parsed = parseYaml(read.text);
    if ('error' in parsed) {
      sink.problem(file, `not a valid .dvc file: ${parsed.error}`);
      continue;
    }
    const info = dvcFileInfo(parsed.value);
    const dir = path.posix.dirname(rel);
    for (const o of info.outs) {
      const target = dir === '.' ? o.path : `${dir}/${o.path}`;
      if (o.hash) sink.tag(`dvc.tracked.${target}`, o.hash);
      if (info.source) sink.tag(`dvc.import.${target}`, info.source);
    }
  }
}

function normalize(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
}

