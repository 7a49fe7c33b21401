import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunSink } from '../adapter.js';
import { readSmallText } from '../util/files.js';
import { parseYamlBounded } from '../util/safe-parse.js';
import { readYamlMap, REGISTERED_FORMAT, registryStage, text } from './common.js';
import { dirSize, modelFramework, modelSourceDir, type SourceContext } from './models.js';

/**
 * The file store's model registry: `<store>/models/<name>/version-<n>/meta.yaml`, each naming the
 * run it was registered from. Detection needs "which versions came from this run" for every run of
 * a store, so the registry is indexed once per store and reused for a few seconds (one walk).
 */
const CACHE_MS = 5_000;
const cache = new Map<string, { at: number; index: Promise<Map<string, string[]>> }>();

/** meta.yaml files of the registry versions registered from `runId` in the store at `storeRoot`. */
export async function registryVersionFiles(storeRoot: string, runId: string): Promise<string[]> {
  const now = Date.now();
  let hit = cache.get(storeRoot);
  if (!hit || now - hit.at > CACHE_MS) {
    hit = { at: now, index: indexRegistry(path.join(storeRoot, 'models')) };
    cache.set(storeRoot, hit);
  }
  return (await hit.index).get(runId) ?? [];
}

async function indexRegistry(modelsDir: string): Promise<Map<string, string[]>> {
  const byRun = new Map<string, string[]>();
  const names = await fs.readdir(modelsDir, { withFileTypes: true }).catch(() => []);
  for (const n of names) {
    if (!n.isDirectory()) continue;
    const versions = await fs.readdir(path.join(modelsDir, n.name)).catch(() => [] as string[]);
    for (const v of versions.filter((name) => /^version-\d+$/.test(name))) {
      const file = path.join(modelsDir, n.name, v, 'meta.yaml');
      // Detection cannot report problems: a broken version file is reported when its run is read.
      const read = await readSmallText(file, 4 * 1024 * 1024);
      const parsed = 'text' in read ? parseYamlBounded(read.text) : read;
      if ('error' in parsed || parsed.errors.length) continue; // cannot tell which run it belongs to
      const meta = parsed.value as Record<string, unknown> | null;
      const runId = text(meta?.run_id);
      if (runId) byRun.set(runId, [...(byRun.get(runId) ?? []), file]);
    }
  }
  return byRun;
}

/** Reports one registry version as a model of the run it was registered from. */
export async function readRegistryVersion(file: string, ctx: SourceContext, sink: RunSink): Promise<void> {
  const meta = await readYamlMap(file, sink, 'registered model version meta.yaml');
  if (!meta) return;
  const versionDir = path.dirname(file);
  const name = text(meta.name) ?? path.basename(path.dirname(versionDir));
  const source = text(meta.source) ?? text(meta.storage_location);
  const modelDir = source ? await modelSourceDir(source, ctx) : null;
  sink.model({
    name,
    // The version's own folder: two versions may share one source folder, each needs its own entry.
    path: versionDir,
    format: REGISTERED_FORMAT,
    framework: modelDir ? await modelFramework(modelDir, sink) : null,
    version: text(meta.version) ?? path.basename(versionDir).replace(/^version-/, ''),
    sizeBytes: modelDir ? await dirSize(modelDir) : null,
    stage: registryStage(meta.current_stage),
  });
}
