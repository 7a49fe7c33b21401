import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCatalog } from '../catalog/db.js';
import { builtCliIsCurrent } from '../util/source-stamp.mjs';
import { median, round, withTempDir } from './measure.js';
import { writeSyntheticRuns } from './synthetic-runs.js';

export interface CliStartFigures {
  /** Which code `labdesk` ran: the esbuild bundle in dist/cli, or src/ through tsx (bundle missing or stale). */
  build: 'dist' | 'tsx' | 'mixed';
  spawns: number;
  nodeMs: number;
  helpMs: number;
  runs: number;
  runsJsonMs: number;
  /** `--help` with LABDESK_DEV=1: the development path, for comparison. */
  devHelpMs: number;
}

// Two levels up from src/bench/ and from dist/cli/ alike: the launcher users call, not a bundle file.
const LAUNCHER = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'), 'src', 'cli', 'labdesk.mjs');
const SPAWNS = 9;

/** Median wall time of whole `node ARGS` processes, after one unmeasured warm-up (disk cache). */
function spawnMs(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const times: number[] = [];
  for (let i = 0; i <= SPAWNS; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i > 0) times.push(ms);
  }
  return round(median(times), 1);
}

/** Figure 8: process start of the CLI (`--help`, `runs --json` on 1,000 runs) beside `node -e 0`. */
export async function benchCliStart(runs: number): Promise<CliStartFigures> {
  return withTempDir('cli', async (dir) => {
    const dbPath = path.join(dir, 'catalog.db');
    const db = openCatalog(dbPath);
    try {
      writeSyntheticRuns(db, dir, runs, (buf, n) => {
        for (let p = 0; p < 10; p++) buf.param(`param_${p}`, String((n * 7 + p) % 100));
        for (let m = 0; m < 5; m++) buf.point(m === 0 ? 'val_acc' : `metric_${m}`, 0, ((n * 31 + m) % 1000) / 1000);
      });
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    const env = { ...process.env, LABDESK_DEV: '' };
    const builtBefore = builtCliIsCurrent();
    const nodeMs = spawnMs(['-e', '0'], env);
    const helpMs = spawnMs([LAUNCHER, '--help'], env);
    const runsJsonMs = spawnMs([LAUNCHER, 'runs', '--json', '--db', dbPath], env);
    // An edit under src/ while measuring sends the launcher to tsx part of the way.
    const builtAfter = builtCliIsCurrent();
    const build = builtBefore && builtAfter ? 'dist' : builtBefore || builtAfter ? 'mixed' : 'tsx';
    const devHelpMs = spawnMs([LAUNCHER, '--help'], { ...env, LABDESK_DEV: '1' });
    return { build, spawns: SPAWNS, nodeMs, helpMs, runs, runsJsonMs, devHelpMs };
  });
}
