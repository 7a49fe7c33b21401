import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, tempCore, tempDir } from '../helpers.js';

const SWEEP = path.join(FIXTURES, 'public/wandb-offline-sweep/wandb');
const LATEST = 'run-20251104_111004-6h7uaalc';
const OTHER = 'run-20251104_082458-yg9a9n72';
const HYDRA_JOB = path.join(FIXTURES, 'public/hydra/stavrosb00__FedLearningFoodClassification__flower-outputs-multirun-tensorboard/outputs/2024-05-24/09-40-56');

/** Two real W&B run folders in `<dir>/wandb/`, plus a link named `linkName` to the latest one, as W&B leaves them. */
function wandbFolder(dir: string, linkName: string): string {
  const wandb = path.join(dir, 'wandb');
  for (const run of [LATEST, OTHER]) fs.cpSync(path.join(SWEEP, run), path.join(wandb, run), { recursive: true });
  fs.symlinkSync(LATEST, path.join(wandb, linkName));
  return wandb;
}

async function wandbRuns(root: string): Promise<{ path: string }[]> {
  const core = await tempCore();
  await core.indexFolders([root]);
  const rows = (await core.api['runs.list']({ limit: 1000 })).rows.filter((r) => r.format === 'wandb');
  return rows.map((r) => ({ path: r.path })).sort((a, b) => a.path.localeCompare(b.path));
}

describe('a symbolic link to a run inside the watched folder', () => {
  // W&B's own `latest-run` sorts before `run-*`; the others check that the walk order cannot matter,
  // including a link whose name looks like a run folder.
  const linkNames = ['latest-run', 'zz-latest-run', 'run-00000000_000000-aaaaaaaa', 'run-99999999_999999-zzzzzzzz'];

  it.each(linkNames)('never takes the run’s place: indexed once, at its real folder (link %s)', async (linkName) => {
    const root = fs.realpathSync(tempDir());
    const wandb = wandbFolder(root, linkName);
    expect(await wandbRuns(root)).toEqual([{ path: path.join(wandb, OTHER) }, { path: path.join(wandb, LATEST) }]);
  });

  it.each(linkNames)('inside a Hydra job folder too (link %s)', async (linkName) => {
    const root = fs.realpathSync(tempDir());
    const job = path.join(root, 'outputs/2024-05-24/09-40-56');
    fs.cpSync(path.join(HYDRA_JOB, '.hydra'), path.join(job, '.hydra'), { recursive: true });
    const wandb = wandbFolder(job, linkName);
    expect(await wandbRuns(root)).toEqual([{ path: path.join(wandb, OTHER) }, { path: path.join(wandb, LATEST) }]);
  });

  it('a link to runs outside the watched folder is not followed, and says where it leads', async () => {
    const root = fs.realpathSync(tempDir());
    const elsewhere = fs.realpathSync(tempDir());
    wandbFolder(elsewhere, 'latest-run');
    fs.symlinkSync(elsewhere, path.join(root, 'linked-project'));
    const core = await tempCore();
    await core.indexFolders([root]);
    expect(await wandbRuns(root)).toEqual([]);
    const problems = await core.api['problems.list']({});
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [path.join(root, 'linked-project'), `a link out of the indexed folder; not followed (to ${elsewhere}); add that folder itself to index it`],
    ]);
  });
});
