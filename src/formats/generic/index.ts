import path from 'node:path';
import type { Adapter, DirEntry, RunLocation, RunSink } from '../adapter.js';
import { readSmallText } from '../util/files.js';
import { flattenYamlParams } from '../util/params.js';
import { commonStepColumn, readWideCsv } from '../keras-csv/wide-csv.js';
import { flattenJsonParams } from './json-params.js';
import { readFileTimes } from './file-times.js';
import { readJsonMetrics } from './json-metrics.js';
import { yamlParamsProblem } from './yaml-errors.js';
import { isGenericRunFolder, METRIC_FILES, PARAM_FILES } from './rule.js';

/**
 * The files a hand-written training script leaves: `metrics.json`/`metrics.csv`/`results.json`
 * beside `params.yaml`/`config.json`/`args.json`. Both kinds are required, so a folder holding only
 * a config or only some numbers is never taken for a run.
 */
export const generic: Adapter = {
  format: 'generic',
  label: 'Metrics and params files',

  detect(dir: string, entries: DirEntry[]): RunLocation[] {
    if (!isGenericRunFolder(entries, path.basename(dir))) return [];
    const present = (names: string[]) => names.filter((n) => entries.some((e) => e.isFile && e.name === n));
    const parent = path.dirname(dir);
    return [
      {
        format: this.format,
        path: dir,
        files: [...present(PARAM_FILES), ...present(METRIC_FILES)].map((f) => path.join(dir, f)),
        experiment: { name: path.basename(parent), path: parent },
        // Nested folders may hold runs of other formats (a TensorBoard dir, a Lightning logger).
        claimsSubtree: false,
      },
    ];
  },

  async read(location: RunLocation, sink: RunSink): Promise<void> {
    for (const file of location.files) {
      const name = path.basename(file);
      if (name === 'params.yaml') await readParams(file, sink, 'yaml');
      else if (PARAM_FILES.includes(name)) await readParams(file, sink, 'json');
      else if (name === 'metrics.csv') await readWideCsv(file, sink, { stepColumn: commonStepColumn });
      else await readJsonMetrics(file, sink);
    }
    await readFileTimes(location.files, sink);
  },
};

async function readParams(file: string, sink: RunSink, kind: 'yaml' | 'json'): Promise<void> {
  const name = path.basename(file);
  const read = await readSmallText(file);
  if ('error' in read) return sink.problem(file, `${name}: ${read.error}`);
  if (kind === 'yaml') {
    const flat = flattenYamlParams(read.text);
    const problem = yamlParamsProblem(name, flat);
    if (problem) sink.problem(file, problem);
    for (const [k, v] of flat.params) sink.param(k, v);
  } else {
    const flat = flattenJsonParams(read.text);
    if ('error' in flat) sink.problem(file, `${name} is not a JSON object: ${flat.error}`);
    else for (const [k, v] of flat.params) sink.param(k, v);
  }
  sink.fileRead(file, Buffer.byteLength(read.text));
}
