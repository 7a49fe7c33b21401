import fs from 'node:fs/promises';
import path from 'node:path';
import type { Adapter, DirEntry, RunLocation, RunSink } from '../adapter.js';
import { listLightningCheckpoints, readLightningHparams } from '../util/lightning.js';
import type { EventSink } from './events.js';
import { hparamsFromPluginData } from './hparams.js';
import { childFor, isEventFileName, runShape } from './layout.js';
import { readEventFile } from './read-file.js';

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
};

/** Reads every event file of a run in write order; scalars go to the sink as they are decoded. */
async function readRun(loc: RunLocation, sink: RunSink, withParams = true): Promise<void> {
  const others = new Map<string, Map<string, number>>();
  const params: [string, string][] = [];
  let hparamsErrors = 0;
  let start = Infinity;
  let end = -Infinity;
  for (const file of loc.files) {
    if (!isEventFileName(path.basename(file))) continue;
    const events: EventSink = {
      scalar: (key, step, value, wallTime) => sink.point(key, step, value, wallTime),
      other: (kind, key) => {
        let byKey = others.get(kind);
        if (!byKey) others.set(kind, (byKey = new Map()));
        byKey.set(key, (byKey.get(key) ?? 0) + 1);
      },
      hparams: (content) => {
        try {
          params.push(...hparamsFromPluginData(content));
        } catch {
          hparamsErrors++;
        }
      },
    };
    const decoder = await readEventFile(file, sink, events, childFor(loc.path, file));
    if (!decoder) continue;
    start = Math.min(start, decoder.minWallTime);
    end = Math.max(end, decoder.maxWallTime);
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
  for (const [kind, byKey] of [...others].sort(([a], [b]) => (a < b ? -1 : 1))) sink.tag(`tensorboard.${kind}`, listing(byKey));
  if (Number.isFinite(start)) sink.meta({ startTime: Math.round(start * 1000), endTime: Math.round(end * 1000) });
}

/** "dense/bias_0 (5), dense/kernel_0 (5)": what is there and how often, without reading it. */
function listing(byKey: Map<string, number>): string {
  const names = [...byKey.keys()].sort();
  const shown = names.slice(0, LISTED).map((n) => `${n} (${byKey.get(n)})`).join(', ');
  return names.length > LISTED ? `${shown}, and ${names.length - LISTED} more` : shown;
}


