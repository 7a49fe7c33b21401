import { createRequire } from 'node:module';
import { Command, InvalidArgumentError, Option } from 'commander';
import { indexCommand } from './commands/index-cmd.js';
import { serveCommand, watchCommand } from './commands/live-cmd.js';
import { metricCommand } from './commands/metric-cmd.js';
import { modelsCommand } from './commands/models-cmd.js';
import { runsCommand } from './commands/runs-cmd.js';
import { showCommand } from './commands/show-cmd.js';
import { benchCommand } from './commands/bench-cmd.js';
import { reportError, UserError, wholeNumber } from './context.js';

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
  .option('--only <names>', 'run only these figures (comma list: tensorboard, lightning, watch, metric, query)')
  .action(benchCommand);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportError(err);
}
