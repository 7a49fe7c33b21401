import fs from 'node:fs/promises';
import path from 'node:path';
import type { Adapter, DirEntry, RunLocation, RunSink } from '../adapter.js';
import { commonStepColumn, readWideCsv } from '../keras-csv/wide-csv.js';
import { readJobTimes } from './job-times.js';
import { jobFailed, readConfig, readHydraYaml, readOverrides } from './job-files.js';

const DATE_DIR = /^\d{4}-\d\d-\d\d$/;
const TIME_DIR = /^\d\d-\d\d-\d\d$/;
const JOB_NUM_DIR = /^\d+$/;

/**
 * A Hydra job's output dir: any folder with a `.hydra/` inside (`outputs/<date>/<time>/` for a
 * single run, `<sweep dir>/<job num>/` for a multirun job; sweep dirs may be custom, so names are
 * only used for display). The job owns its params (`.hydra/config.yaml`, resolved by nobody:
 * `${...}` interpolations stay as text), its overrides, and the metric CSVs it wrote beside `.hydra/`.
 * Nested folders are left to the other formats (a Lightning or TensorBoard logger inside the job
 * dir becomes its own run), so the subtree is not claimed.
 */
export const hydra: Adapter = {
  format: 'hydra',
  label: 'Hydra job outputs',

  detect(dir: string, entries: DirEntry[]): RunLocation[] {
    if (!entries.some((e) => e.isDirectory && e.name === '.hydra')) return [];
    const own = entries.filter((e) => e.isFile && /\.(csv|log)$/i.test(e.name)).map((e) => path.join(dir, e.name)).sort();
    const hydraFiles = ['config.yaml', 'overrides.yaml', 'hydra.yaml'].map((f) => path.join(dir, '.hydra', f));
    return [
      {
        format: this.format,
        path: dir,
        files: [...hydraFiles, ...own],
        experiment: experimentOf(dir),
        claimsSubtree: false,
      },
    ];
  },

  async read(location: RunLocation, sink: RunSink): Promise<void> {
    const dir = location.path;
    const [configFile, overridesFile, hydraFile] = location.files;
    sink.meta({ name: runName(dir) });
    await readConfig(configFile, sink);
    await readOverrides(overridesFile, sink);
    const job = await readHydraYaml(hydraFile, sink);

    const csvs = location.files.filter((f) => f.toLowerCase().endsWith('.csv'));
    for (const csv of csvs) {
      // Several CSVs in one job may share column names: keep them apart by file name.
      const keyPrefix = csvs.length > 1 ? `${path.basename(csv).replace(/\.csv$/i, '')}/` : '';
      await readWideCsv(csv, sink, { stepColumn: commonStepColumn, keyPrefix });
    }

    // Hydra writes no status; a job that raised usually leaves its traceback in <job name>.log.
    const logs = location.files.filter((f) => f.toLowerCase().endsWith('.log'));
    const jobLog = logs.find((f) => path.basename(f) === `${job.name}.log`) ?? (logs.length === 1 ? logs[0] : undefined);
    if (jobLog && (await jobFailed(jobLog, sink))) sink.meta({ status: 'failed' });

    await listArtifacts(dir, sink);
    await readJobTimes(dir, jobLog, location.files.filter((f) => f !== hydraFile), sink);
  },
};

/** A multirun job's sweep dir, or for single runs the folder above the date folders. */
function experimentOf(dir: string): { name: string; path: string } {
  const parent = path.dirname(dir);
  const grand = path.dirname(parent);
  if (JOB_NUM_DIR.test(path.basename(dir))) {
    const name = TIME_DIR.test(path.basename(parent)) && DATE_DIR.test(path.basename(grand))
      ? `${path.basename(grand)}/${path.basename(parent)}`
      : path.basename(parent);
    return { name, path: parent };
  }
  if (DATE_DIR.test(path.basename(parent))) return { name: path.basename(grand), path: grand };
  return { name: path.basename(parent), path: parent };
}

/** `<date>/<time>` for single runs (the time alone repeats across days); the folder name otherwise. */
function runName(dir: string): string {
  const parent = path.basename(path.dirname(dir));
  return DATE_DIR.test(parent) && TIME_DIR.test(path.basename(dir)) ? `${parent}/${path.basename(dir)}` : path.basename(dir);
}

/** The job dir's other files: pickles (never opened), plots, whatever the job saved. */
async function listArtifacts(dir: string, sink: RunSink): Promise<void> {
  let names: string[];
  try {
    names = (await fs.readdir(dir, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
  } catch {
    return; // the run's files were read a moment ago; a vanished folder shows on the next pass
  }
  for (const name of names.sort()) {
    if (/\.(csv|log)$/i.test(name)) continue;
    const kind = /\.(pkl|pickle)$/i.test(name) ? 'pickle' : /\.(png|jpe?g|svg|pdf)$/i.test(name) ? 'image' : 'file';
    let size: number | null = null;
    try {
      size = (await fs.stat(path.join(dir, name))).size;
    } catch {
      // listed but gone: keep the entry without a size
    }
    sink.artifact(path.join(dir, name), kind, size);
  }
}
