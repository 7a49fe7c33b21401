import cliProgress from 'cli-progress';
import type { JobInfo } from '../../api/contract.js';
import { JobCancelledError } from '../../core.js';
import { printJson, UserError, withCore, type DbOption } from '../context.js';
import { safeText } from '../safe-text.js';
import { cancelOnSignal } from '../stop-signal.js';

const BAR_WIDTH = 24;
const count = (n: number) => n.toLocaleString('en');

/** One line of the progress bar for an index job: walking (files found), then reading runs. */
export function indexJobLine(job: JobInfo): string {
  const rate = job.rate === null ? '' : ` · ${count(Math.round(job.rate))} ${job.unit}/s`;
  const folder = safeText(job.label);
  if (job.unit === 'files') return ` walking ${folder} · ${count(job.done)} files${rate}`;
  const filled = job.total ? Math.round((job.done / job.total) * BAR_WIDTH) : 0;
  const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
  return ` ${folder} |${bar}| ${count(job.done)}/${count(job.total)} runs${rate}`;
}

/** `labdesk index PATH...`: index folders once and print what was found. Ctrl-C stops the pass (exit 130). */
export async function indexCommand(paths: string[], opts: DbOption & { json?: boolean; confirm?: boolean }): Promise<void> {
  await withCore(opts, async (core) => {
    const bar = process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { format: (_o, _p, payload: { line: string }) => payload.line, stream: process.stderr, hideCursor: true, clearOnComplete: true },
        )
      : null;
    bar?.start(0, 0, { line: ' starting…' });
    const interrupt = cancelOnSignal(() => {
      for (const job of core.jobs.list()) if (job.kind === 'index' && job.state === 'running') core.jobs.cancel(job.id);
    });
    const offProgress = core.jobs.on('progress', (job) => {
      if (job.kind !== 'index') return;
      // A signal between two folders' passes: the next one stops as soon as it starts.
      if (interrupt.signalled && job.state === 'running') core.jobs.cancel(job.id);
      if (job.state === 'running') bar?.update(job.done, { line: indexJobLine(job) });
    });
    let summary;
    try {
      summary = await core.indexFolders(paths, { confirm: opts.confirm });
    } catch (err) {
      if (err instanceof JobCancelledError) {
        bar?.stop();
        const folder = core.jobs.get(err.jobId)?.info.label;
        process.stderr.write(`labdesk: stopped indexing${folder ? ` ${safeText(folder)}` : ''}; the catalog keeps what it had before this pass.\n`);
        process.exitCode = 130;
        return;
      }
      if ((err as Error).name === 'NeedsConfirm') throw new UserError(`${(err as Error).message} To index it all, run the command again with --confirm.`);
      if ((err as Error).name === 'BadRequest') throw new UserError((err as Error).message);
      throw err;
    } finally {
      offProgress();
      interrupt.dispose();
      bar?.stop();
    }
    if (opts.json) return printJson(summary);
    const s = summary;
    process.stdout.write(
      `Indexed ${s.runs} run(s) in ${s.experiments} experiment(s), ${s.models} model(s), ${s.datasets} dataset(s) ` +
        `in ${s.seconds} s; catalog: ${safeText(core.dbPath)}\n`,
    );
    if (s.problems) {
      process.stdout.write(`${s.problems} problem(s):\n`);
      for (const p of await core.api['problems.list']({ limit: 20 })) process.stdout.write(`  ${safeText(p.path)}: ${safeText(p.message)}\n`);
    }
  });
}
