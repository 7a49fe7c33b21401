import type { DirEntry } from '../adapter.js';

/** Metric files a script writes by hand, in the order they are read. */
export const METRIC_FILES = ['metrics.json', 'metrics.csv', 'results.json'];
/** Params files beside them, in the order they are read (a later file's key wins). */
export const PARAM_FILES = ['params.yaml', 'config.json', 'args.json'];

/**
 * A folder holding at least one metrics file and at least one params file, side by side, that no
 * dedicated format explains: Sacred run folders (`run.json`), Hugging Face output dirs
 * (`trainer_state.json`), Lightning versions (`hparams.yaml`), Hydra jobs (`.hydra/`), DVC projects
 * (`dvc.lock`) and DVCLive dirs (`params.yaml` + `metrics.json` + `plots/`, or a folder named
 * `dvclive`) belong to theirs.
 */
export function isGenericRunFolder(entries: DirEntry[], dirName = ''): boolean {
  const file = (name: string) => entries.some((e) => e.isFile && e.name === name);
  const folder = (name: string) => entries.some((e) => e.isDirectory && e.name === name);
  if (!METRIC_FILES.some(file) || !PARAM_FILES.some(file)) return false;
  if (file('run.json') || file('trainer_state.json') || file('hparams.yaml') || file('dvc.lock') || folder('.hydra')) return false;
  if (dirName === 'dvclive' || (folder('plots') && file('metrics.json') && file('params.yaml'))) return false;
  return true;
}
