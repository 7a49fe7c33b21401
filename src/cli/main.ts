import { createRequire } from 'node:module';
import { Command, InvalidArgumentError, Option } from 'commander';
import { reportError, UserError, wholeNumber } from './context.js';

// Command modules load only when their command runs: `labdesk --help` stays small (no SQLite, no
// formats, no server). Each wrapper keeps the command's own signature.
const indexCommand: typeof import('./commands/index-cmd.js').indexCommand = async (...a) => (await import('./commands/index-cmd.js')).indexCommand(...a);
const watchCommand: typeof import('./commands/live-cmd.js').watchCommand = async (...a) => (await import('./commands/live-cmd.js')).watchCommand(...a);
const serveCommand: typeof import('./commands/live-cmd.js').serveCommand = async (...a) => (await import('./commands/live-cmd.js')).serveCommand(...a);
const runsCommand: typeof import('./commands/runs-cmd.js').runsCommand = async (...a) => (await import('./commands/runs-cmd.js')).runsCommand(...a);
const showCommand: typeof import('./commands/show-cmd.js').showCommand = async (...a) => (await import('./commands/show-cmd.js')).showCommand(...a);
const metricCommand: typeof import('./commands/metric-cmd.js').metricCommand = async (...a) => (await import('./commands/metric-cmd.js')).metricCommand(...a);
const modelsCommand: typeof import('./commands/models-cmd.js').modelsCommand = async (...a) => (await import('./commands/models-cmd.js')).modelsCommand(...a);
const benchCommand: typeof import('./commands/bench-cmd.js').benchCommand = async (...a) => (await import('./commands/bench-cmd.js')).benchCommand(...a);

const dbOption = () => new Option('--db <file>', 'catalog file (default: the per-user Labdesk catalog)');
const jsonOption = () => new Option('--json', 'print JSON instead of text');

/** Commander wants InvalidArgumentError for bad option values; it prints them as usage errors. */
const parseWith = (parse: (t: string) => number) => (text: string) => {
  try {
    return parse(text);
  } catch (err) {
    throw new InvalidArgumentError((err as UserError).message);
  }
};

const program = new Command('labdesk')
  .description('Index, search and compare the ML runs already on disk (MLflow, TensorBoard, Lightning, W&B, ...).')
  .version(createRequire(import.meta.url)('../../package.json').version)
  .showHelpAfterError('(run `labdesk --help` for usage)')
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('index')
  .description('index folders once and print a summary')
  .argument('<paths...>', 'folders to index (they become watched roots of the catalog)')
  .addOption(dbOption())
  .addOption(jsonOption())
  .option('--confirm', 'index a whole home folder (refused without it: slow, and full of caches)')
  .action(indexCommand);

program
  .command('watch')
  .description('index folders, then keep the catalog live until interrupted')
  .argument('[paths...]', 'folders to add; the catalog’s existing folders are watched too')
  .addOption(dbOption())
  .action(watchCommand);

program
  .command('serve')
  .description('web mode: serve the UI and the API on a local port')
  .argument('[paths...]', 'folders to add and watch')
  .addOption(dbOption())
  .option('--port <n>', 'port (0 picks a free one)', parseWith(wholeNumber('--port')), 4820)
  .option('--host <address>', 'address to listen on (loopback only unless you choose otherwise)', '127.0.0.1')
  .option('--no-ui', 'serve the API only (for scripts; skips building the UI)')
  .action(serveCommand);

program
  .command('runs')
  .description('list runs')
  .addOption(dbOption())
  .option('--query <q>', "filter runs, e.g. \"metrics.val_acc > 0.9 and params.lr = '0.01'\" or free text (see README)")
  .option('--archived', 'include archived runs')
  .addOption(jsonOption())
  .action(runsCommand);

program
  .command('show')
  .description('one run in full: params, metrics, tags, files, problems')
  .argument('<run>', 'run id (or a unique prefix), folder path, or name')
  .addOption(dbOption())
  .addOption(jsonOption())
  .action(showCommand);

program
  .command('metric')
  .description("a metric's points: [step, value, wall time]")
  .argument('<run>', 'run id (or a unique prefix), folder path, or name')
  .argument('<key>', 'metric key, e.g. val_acc')
  .addOption(dbOption())
  .option('--max-points <n>', 'downsample to at most n points, keeping every extreme', parseWith(wholeNumber('--max-points', 3)))
  .addOption(jsonOption())
  .action(metricCommand);

program
  .command('models')
  .description('models the indexed runs declare')
  .addOption(dbOption())
  .addOption(jsonOption())
  .action(modelsCommand);

program
  .command('bench')
  .description('measure indexing and query speed on generated data (prints figures)')
  .addOption(jsonOption())
  .option('--points <n>', 'points in the long series read back downsampled (figure 5a)', parseWith(wholeNumber('--points', 1)), 1_000_000)
  .option('--hash-mib <n>', 'size of the file hashed as a job (figure 9), MiB', parseWith(wholeNumber('--hash-mib', 1)), 1024)
  .option('--only <names>', 'run only these figures (comma list: tensorboard, lightning, watch, metric, query, cli, hash)')
  .action(benchCommand);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportError(err);
}
