import path from 'node:path';
import type { Adapter, DirEntry, RunLocation, RunSink, TailFiles } from './adapter.js';
import { readFileTimes } from './generic/file-times.js';
import { readCsvMetrics, tailCsvMetrics } from './util/csv-metrics.js';
import { listLightningCheckpoints, readLightningHparams } from './util/lightning.js';

const VERSION_DIR = /^version_\d+$/;

/**
 * PyTorch Lightning's CSVLogger: `<save_dir>/<name>/version_<n>/metrics.csv` (sparse rows keyed by
 * `step`, `epoch` logged as a metric) with `hparams.yaml` beside it and `checkpoints/*.ckpt` below.
 * The logger's `name` folder is the experiment.
 */
export const lightningCsv: Adapter = {
  format: 'lightning-csv',
  label: 'PyTorch Lightning CSVLogger',

  detect(dir: string, entries: DirEntry[]): RunLocation[] {
    const has = (name: string) => entries.some((e) => e.isFile && e.name === name);
    if (!has('metrics.csv')) return [];
    // A custom version name is allowed, but then hparams.yaml is what tells us it is Lightning's.
    if (!VERSION_DIR.test(path.basename(dir)) && !has('hparams.yaml')) return [];
    const parent = path.dirname(dir);
    return [
      {
        format: this.format,
        path: dir,
        files: ['metrics.csv', 'hparams.yaml'].filter(has).map((f) => path.join(dir, f)),
        experiment: { name: path.basename(parent), path: parent },
        claimsSubtree: true,
      },
    ];
  },

  async read(location: RunLocation, sink: RunSink): Promise<void> {
    const dir = location.path;
    const hparams = path.join(dir, 'hparams.yaml');
    const metrics = path.join(dir, 'metrics.csv');
    if (location.files.includes(hparams)) await readLightningHparams(hparams, sink);
    await readCsvMetrics(metrics, sink, { stepColumn: 'step' });
    await readFileTimes(location.files, sink, "Lightning's CSVLogger");
    await listLightningCheckpoints(dir, sink);
  },

  async tail(location: RunLocation, sink: RunSink, files: TailFiles): Promise<boolean> {
    // While training only metrics.csv grows; any other change is read whole.
    const metrics = path.join(location.path, 'metrics.csv');
    const position = files.grown.get(metrics);
    if (files.grown.size !== 1 || !position) return false;
    if (!(await tailCsvMetrics(metrics, sink, position, { stepColumn: 'step' }))) return false;
    await readFileTimes(location.files, sink, "Lightning's CSVLogger");
    await listLightningCheckpoints(location.path, sink);
    return true;
  },
};
