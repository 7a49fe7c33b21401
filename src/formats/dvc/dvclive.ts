import fs from 'node:fs/promises';
import path from 'node:path';
import type { Adapter, DirEntry, RunLocation, RunSink } from '../adapter.js';
import { readSmallText } from '../util/files.js';
import { flattenYamlParams } from '../util/params.js';
import { dvcliveChildren, dvcliveLayout, isFile, listEntries, type DvcliveLayout } from './layout.js';
import { readPipeline, type PipelineInfo } from './project.js';
import { readMetricsFile } from './summary.js';
import { readMetricFile, type TimeSpan } from './tsv.js';

const PROJECT_FILES = ['dvc.lock', 'dvc.yaml', 'params.yaml'];

/**
 * DVCLive output folders, 0.x (`scalars/*.tsv` + `<dir>.json`) through 3.x (`plots/metrics/**.tsv`,
 * `metrics.json`, `params.yaml`). One run per folder. The folder holding it is the project: its
 * name is the experiment, and, when the folder is the default `dvclive`, also the run's name
 * (every DVCLive run would otherwise be called "dvclive"). A dvc.lock in the project is the same
 * run's pipeline record: its params and data versions are read into this run, which is then named
 * after the dvc.yaml stage that writes the folder.
 */
export const dvclive: Adapter = {
  format: 'dvclive',
  label: 'DVCLive',

  async detect(dir: string, entries: DirEntry[]): Promise<RunLocation[]> {
    const layout = await dvcliveLayout(dir, entries);
    if (!layout) return [];
    const project = path.dirname(dir);
    const files = [...layout.files];
    if (await isFile(path.join(project, 'dvc.lock'))) {
      for (const f of PROJECT_FILES) if (await isFile(path.join(project, f))) files.push(path.join(project, f));
    }
    return [
      {
        format: this.format,
        path: dir,
        files,
        experiment: { name: path.basename(project), path: project },
        claimsSubtree: true,
      },
    ];
  },

  async read(location: RunLocation, sink: RunSink): Promise<void> {
    const dir = location.path;
    const project = path.dirname(dir);
    const layout = await dvcliveLayout(dir, await listEntries(dir));
    if (!layout) {
      sink.problem(dir, 'no longer looks like a DVCLive folder (its files were removed while indexing)');
      return;
    }
    const withPipeline = location.files.includes(path.join(project, 'dvc.lock'));
    let pipeline: PipelineInfo | null = null;
    const mine = path.basename(dir);
    if (withPipeline) {
      // Metrics files inside any DVCLive folder of the project are that folder's run's own.
      const live = await dvcliveChildren(project);
      const inLive = (rel: string) => live.some((d) => rel.startsWith(`${d}/`));
      pipeline = await readPipeline(project, sink, {
        skipMetrics: (rel) => inLive(rel) || rel === `${mine}.json`,
      });
    }
    // DVCLive's own params.yaml is what the script logged: it wins over the pipeline's record.
    await readParams(path.join(dir, 'params.yaml'), sink);

    const keys = new Set<string>();
    let span: TimeSpan | null = null;
    for (const file of layout.metricFiles) {
      const key = path.relative(layout.metricsDir, file).split(path.sep).join('/').replace(/\.(tsv|csv)$/, '');
      keys.add(key);
      const s = await readMetricFile(file, key, sink);
      if (s) span = span ? { first: Math.min(span.first, s.first), last: Math.max(span.last, s.last) } : s;
    }
    await readSummary(layout, keys, sink);
    await listArtifacts(layout, sink);

    const stage = pipeline ? (pipeline.stageWriting(mine) ?? pipeline.stageWriting(`${mine}.json`)) : null;
    const name = stage ?? (mine === 'dvclive' ? path.basename(project) : mine);
    sink.meta({
      name,
      status: null, // DVCLive records no end state; the catalog infers it from recent writes
      startTime: span ? Math.round(span.first) : null,
      endTime: span ? Math.round(span.last) : null,
    });
  },
};

async function readParams(file: string, sink: RunSink): Promise<void> {
  if (!(await isFile(file))) return;
  const read = await readSmallText(file);
  if ('error' in read) return sink.problem(file, `params.yaml: ${read.error}`);
  const { params, errors, refused } = flattenYamlParams(read.text);
  if (refused) sink.problem(file, `params.yaml: ${refused}`);
  for (const e of errors) sink.problem(file, `params.yaml is not valid YAML: ${e}`);
  for (const [k, v] of params) sink.param(k, v);
  sink.fileRead(file, Buffer.byteLength(read.text));
}

/**
 * The summary repeats each series' last value; only values logged without a plot (`plot=False`)
 * exist there alone. Those become one point at the summary's step. `step` itself is DVCLive's
 * counter, not a metric.
 */
async function readSummary(layout: DvcliveLayout, seriesKeys: Set<string>, sink: RunSink): Promise<void> {
  if (!layout.summary) return;
  const values = await readMetricsFile(layout.summary, sink);
  if (!values) return;
  const step = values.get('step');
  for (const [key, value] of values) {
    if (key === 'step' || seriesKeys.has(key)) continue;
    sink.point(key, step !== undefined && Number.isInteger(step) ? step : 0, value);
  }
}

/** Reports and logged images are the run's artifacts; `static/` only holds the report's renders. */
async function listArtifacts(layout: DvcliveLayout, sink: RunSink): Promise<void> {
  for (const report of ['report.html', 'report.md']) {
    const file = path.join(layout.dir, report);
    const size = await sizeOf(file);
    if (size !== null) sink.artifact(file, 'report', size);
  }
  const images = path.join(layout.dir, 'plots', 'images');
  let names: string[] = [];
  try {
    names = (await fs.readdir(images, { recursive: true })).map(String);
  } catch {
    return; // no images logged
  }
  for (const name of names.sort().slice(0, 1000)) {
    const file = path.join(images, name);
    const size = await sizeOf(file);
    if (size !== null) sink.artifact(file, 'image', size);
  }
}

async function sizeOf(file: string): Promise<number | null> {
  try {
    const st = await fs.stat(file);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}
