import cliProgress from 'cli-progress';
import type { IndexProgress } from '../../api/contract.js';
import { printJson, UserError, withCore, type DbOption } from '../context.js';
import { safeText } from '../safe-text.js';

/** `labdesk index PATH...`: index folders once and print what was found. */
export async function indexCommand(paths: string[], opts: DbOption & { json?: boolean; confirm?: boolean }): Promise<void> {
  await withCore(opts, async (core) => {
    const bar = process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { format: ' {phase} |{bar}| {value}/{total} runs · {files} files', stream: process.stderr, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
    bar?.start(0, 0, { phase: 'scanning', files: 0 });
    const onProgress = (p: IndexProgress) => {
      bar?.setTotal(p.runsTotal);
      bar?.update(p.runsRead, { phase: p.phase.padEnd(8), files: p.filesSeen });
    };
    let summary;
    try {
      summary = await core.indexFolders(paths, { onProgress, confirm: opts.confirm });
    } catch (err) {
      if ((err as Error).name === 'NeedsConfirm') throw new UserError(`${(err as Error).message} To index it all, run the command again with --confirm.`);
      if ((err as Error).name === 'BadRequest') throw new UserError((err as Error).message);
      throw err;
    } finally {
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
