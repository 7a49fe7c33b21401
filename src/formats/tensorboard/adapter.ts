import fs from 'node:fs/promises';
import path from 'node:path';
import type { Adapter, DirEntry, RunLocation, RunSink, TailFiles } from '../adapter.js';
import { listLightningCheckpoints, readLightningHparams } from '../util/lightning.js';
import type { EventSink } from './events.js';
import { hparamsFromPluginData } from './hparams.js';
import { childFor, isEventFileName, runShape } from './layout.js';
import { isEventFileState, readEventFile, type EventFileState } from './read-file.js';

const VERSION_DIR = /^version_\d+$/;
/** Names per kind listed in a tag; past this the tag says how many more there are. */
const LISTED = 50;

/** Lightning's loggers write `<name>/version_<n>/` (or a custom version beside hparams.yaml). */
function isLightningVersion(dir: string, entries: DirEntry[]): boolean {
  return VERSION_DIR.test(path.basename(dir)) || entries.some((e) => e.isFile && e.name === 'hparams.yaml');
}

function location(format: string, dir: string, files: string[]): RunLocation {
  const parent = path.dirname(dir);
  return { format, path: dir, files, experiment: { name: path.basename(parent), path: parent }, claimsSubtree: true };
}

/**
 * TensorBoard event files from any writer (PyTorch SummaryWriter, tensorboardX, TF1/TF2, Keras'
 * callback): a run is a folder holding event files; its parent is the experiment (the log dir
 * TensorBoard would be pointed at). Lightning version folders are left to `lightningTensorboard`.
 */
export const tensorboard: Adapter = {
  format: 'tensorboard',
  label: 'TensorBoard event files',

  async detect(dir: string, entries: DirEntry[]): Promise<RunLocation[]> {
    if (isLightningVersion(dir, entries) && entries.some((e) => e.isFile && isEventFileName(e.name))) return [];
    const shape = await runShape(dir, entries);
    return shape ? [location(this.format, dir, shape.files)] : [];
  },

  async read(loc: RunLocation, sink: RunSink): Promise<void> {
    await readRun(loc, sink);
  },

  tail: (loc: RunLocation, sink: RunSink, files: TailFiles) => readRun(loc, sink, true, files),
};

/**
 * PyTorch Lightning's TensorBoardLogger: `<save_dir>/<name>/version_<n>/` with event files and
 * `hparams.yaml` (params as written), `checkpoints/*.ckpt` listed as models. Folders that also hold
 * `metrics.csv` belong to the CSVLogger adapter.
 */
export const lightningTensorboard: Adapter = {
  format: 'lightning-tensorboard',
  label: 'PyTorch Lightning TensorBoardLogger',

  async detect(dir: string, entries: DirEntry[]): Promise<RunLocation[]> {
    if (!isLightningVersion(dir, entries) || entries.some((e) => e.isFile && e.name === 'metrics.csv')) return [];
    const shape = await runShape(dir, entries);
    if (!shape || shape.keras) return [];
    const hparams = entries.some((e) => e.isFile && e.name === 'hparams.yaml') ? [path.join(dir, 'hparams.yaml')] : [];
    return [location(this.format, dir, [...shape.files, ...hparams])];
  },

  async read(loc: RunLocation, sink: RunSink): Promise<void> {
    // hparams.yaml keeps values as written; the event files' hparams-plugin copy flattens nested keys
    // with '/' and stringifies values, so it is used only when the YAML file is missing.
    const yaml = path.join(loc.path, 'hparams.yaml');
    const hasYaml = loc.files.includes(yaml);
    await readRun(loc, sink, !hasYaml);
    if (hasYaml) await readLightningHparams(yaml, sink);
    await listLightningCheckpoints(loc.path, sink);
  },

  async tail(loc: RunLocation, sink: RunSink, files: TailFiles): Promise<boolean> {
    // hparams.yaml is not an event file, so a changed one makes readRun refuse: the run is read whole.
    if (!(await readRun(loc, sink, !loc.files.includes(path.join(loc.path, 'hparams.yaml')), files))) return false;
    await listLightningCheckpoints(loc.path, sink);
    return true;
  },
};

/**
 * Reads every event file of a run in write order; scalars go to the sink as they are decoded. With
 * `tail`, grown files are read on from their offsets and the others are summarized from their stored
 * states; false (nothing sent) when a grown file is not an event file or a state cannot resume.
 */
async function readRun(loc: RunLocation, sink: RunSink, withParams = true, tail?: TailFiles): Promise<boolean> {
  const eventFiles = loc.files.filter((f) => isEventFileName(path.basename(f)));
  if (tail) {
    if ([...tail.grown.keys()].some((f) => !isEventFileName(path.basename(f)))) return false;
    if (eventFiles.some((f) => !isEventFileState(tail.all.get(f)?.state))) return false;
  }
  const othersByFile: EventFileState['others'][] = [];
  const params: [string, string][] = [];
  let hparamsErrors = 0;
  let start = Infinity;
  let end = -Infinity;
  const spanWall = (wall: [number, number] | null) => {
    if (!wall) return;
    start = Math.min(start, wall[0]);
    end = Math.max(end, wall[1]);
  };
  for (const file of eventFiles) {
    const stored = tail?.all.get(file)?.state as EventFileState | undefined;
    if (tail && !tail.grown.has(file)) {
      othersByFile.push(stored!.others);
      spanWall(stored!.wall);
      continue;
    }
    const others = structuredClone(stored?.others ?? {});
    othersByFile.push(others);
    const events: EventSink = {
      scalar: (key, step, value, wallTime) => sink.point(key, step, value, wallTime),
      other: (kind, key) => {
        const byKey = (others[kind] ??= {});
        byKey[key] = (byKey[key] ?? 0) + 1;
      },
      hparams: (content) => {
        try {
          params.push(...hparamsFromPluginData(content));
        } catch {
          hparamsErrors++;
        }
      },
    };
    const resume = tail ? { offset: tail.grown.get(file)!.offset, state: stored! } : undefined;
    const decoder = await readEventFile(file, sink, events, childFor(loc.path, file), others, resume);
    if (!decoder) continue;
    spanWall(stored?.wall ?? null);
    if (Number.isFinite(decoder.minWallTime)) spanWall([decoder.minWallTime, decoder.maxWallTime]);
    try {
      sink.artifact(file, 'tensorboard-events', (await fs.stat(file)).size);
    } catch {
      // Vanished after reading: the points read stand.
    }
    if (hparamsErrors) {
      sink.problem(file, `${hparamsErrors} hparams summary(ies) could not be decoded; their params are missing`);
      hparamsErrors = 0;
    }
  }
  if (withParams) for (const [k, v] of params) sink.param(k, v);
  for (const [kind, byKey] of mergeCounts(othersByFile)) sink.tag(`tensorboard.${kind}`, listing(byKey));
  if (Number.isFinite(start)) sink.meta({ startTime: Math.round(start * 1000), endTime: Math.round(end * 1000) });
  return true;
}

/** Per-file counts of non-scalar summaries, summed per kind (kinds sorted). */
function mergeCounts(perFile: EventFileState['others'][]): [string, Map<string, number>][] {
  const merged = new Map<string, Map<string, number>>();
  for (const others of perFile) {
    for (const [kind, byKey] of Object.entries(others)) {
      let into = merged.get(kind);
      if (!into) merged.set(kind, (into = new Map()));
      for (const [key, n] of Object.entries(byKey)) into.set(key, (into.get(key) ?? 0) + n);
    }
  }
  return [...merged].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** "dense/bias_0 (5), dense/kernel_0 (5)": what is there and how often, without reading it. */
function listing(byKey: Map<string, number>): string {
  const names = [...byKey.keys()].sort();
  const shown = names.slice(0, LISTED).map((n) => `${n} (${byKey.get(n)})`).join(', ');
  return names.length > LISTED ? `${shown}, and ${names.length - LISTED} more` : shown;
}


