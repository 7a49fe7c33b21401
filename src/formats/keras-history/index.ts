import path from 'node:path';
import type { Adapter, DirEntry, RunLocation, RunSink } from '../adapter.js';
import { flattenJsonParams } from '../generic/json-params.js';
import { readFileTimes } from '../generic/file-times.js';
import { readSmallText } from '../util/files.js';
import { readHistoryJson } from './history-json.js';

/** `history.json`, `training_history.json`, `model1_history.json`, ...: the names users give it. */
export const HISTORY_FILE = /history.*\.json$/i;
/** What `json.dump(history.params, f)` (or the user's own hyperparameters) is saved as beside it. */
const PARAMS_FILE = 'params.json';

/**
 * Keras' `History` saved with `json.dump(history.history, f)`: one run per file, picked by its name
 * alone (detection opens nothing); the content is checked when read. `params.json` beside it gives
 * the params. The `generic` adapter reads only `metrics.json`/`results.json`, never these names,
 * so a folder holding both is two runs from two sets of files, never one file read twice.
 */
export const kerasHistory: Adapter = {
  format: 'keras-history',
  label: 'Keras History (JSON)',

  detect(dir: string, entries: DirEntry[]): RunLocation[] {
    const hasParams = entries.some((e) => e.isFile && e.name === PARAMS_FILE);
    return entries
      .filter((e) => e.isFile && HISTORY_FILE.test(e.name))
      .map((e) => {
        const file = path.join(dir, e.name);
        return {
          format: this.format,
          path: file,
          files: hasParams ? [file, path.join(dir, PARAMS_FILE)] : [file],
          experiment: { name: path.basename(dir), path: dir },
          claimsSubtree: false,
        };
      });
  },

  async read(location: RunLocation, sink: RunSink): Promise<void> {
    const [file, paramsFile] = location.files;
    sink.meta({ name: path.basename(file).replace(/\.json$/i, '') });
    await readHistoryJson(file, sink);
    if (paramsFile) await readParams(paramsFile, sink);
    // json.dump records no times: the run spans the files' creation to their last write.
    await readFileTimes(location.files, sink, 'A saved Keras history');
  },
};

async function readParams(file: string, sink: RunSink): Promise<void> {
  const read = await readSmallText(file);
  if ('error' in read) return sink.problem(file, `${PARAMS_FILE}: ${read.error}`);
  sink.fileRead(file, Buffer.byteLength(read.text));
  const flat = flattenJsonParams(read.text);
  if ('error' in flat) return sink.problem(file, `${PARAMS_FILE} is not a JSON object: ${flat.error}`);
  for (const [k, v] of flat.params) sink.param(k, v);
}
