import os from 'node:os';
import { benchCliStart, type CliStartFigures } from './cli-start.js';
import { benchHashJob, type HashJobFigures } from './hash-job.js';
import { benchLightning, type LightningFigures } from './lightning-index.js';
import { benchMetricRead, type MetricReadFigures } from './metric-read.js';
import { benchRunQuery, type RunQueryFigures } from './run-query.js';
import { benchTensorboard, type TensorboardFigures } from './tensorboard-index.js';
import { benchWatchLatency, type WatchFigures } from './watch-latency.js';

/** Sizes of the generated data: the figures the targets are stated for. */
export const BENCH_SIZES = {
  tensorboardSteps: 300_000,
  lightningRuns: 2000,
  lightningSteps: 200,
  watchRuns: 20,
  watchSamples: 20,
  metricPoints: 1_000_000,
  queryRuns: 100_000,
  cliRuns: 1000,
  hashBytes: 1024 ** 3,
};

export interface BenchFigures {
  tensorboard?: TensorboardFigures;
  lightning?: LightningFigures;
  watch?: WatchFigures;
  metric?: MetricReadFigures;
  query?: RunQueryFigures;
  cli?: CliStartFigures;
  hash?: HashJobFigures;
}
export type FigureName = keyof BenchFigures;

/** In run order: the RSS figures come from the first two, so they run before anything grows the heap. */
export const FIGURE_NAMES: readonly FigureName[] = ['tensorboard', 'lightning', 'watch', 'metric', 'query', 'cli', 'hash'];

export interface BenchReport {
  cores: number;
  node: string;
  platform: string;
  seconds: number;
  figures: BenchFigures;
  /** Figures that failed to run, by name: a bug to report, not a missed target. */
  errors: Partial<Record<FigureName, string>>;
}

type Runners = { [N in FigureName]: () => Promise<NonNullable<BenchFigures[N]>> };

/** Runs the named figures one after another (each in its own temp dir), collecting failures per figure. */
export async function runBench(
  only: readonly FigureName[],
  sizes = BENCH_SIZES,
  onStart: (name: FigureName) => void = () => {},
): Promise<BenchReport> {
  const runners: Runners = {
    tensorboard: () => benchTensorboard(sizes.tensorboardSteps),
    lightning: () => benchLightning(sizes.lightningRuns, sizes.lightningSteps),
    watch: () => benchWatchLatency(sizes.watchRuns, sizes.lightningSteps, sizes.watchSamples),
    metric: () => benchMetricRead(sizes.metricPoints),
    query: () => benchRunQuery(sizes.queryRuns),
    cli: () => benchCliStart(sizes.cliRuns),
    hash: () => benchHashJob(sizes.hashBytes),
  };
  const started = performance.now();
  const report: BenchReport = {
    cores: os.availableParallelism(), node: process.version, platform: `${process.platform} ${process.arch}`,
    seconds: 0, figures: {}, errors: {},
  };
  for (const name of FIGURE_NAMES) {
    if (!only.includes(name)) continue;
    onStart(name);
    try {
      // The runner map ties each name to its figure type; TypeScript cannot follow that through `name`.
      (report.figures as Record<FigureName, unknown>)[name] = await runners[name]();
    } catch (err) {
      report.errors[name] = (err as Error).stack ?? String(err);
    }
  }
  report.seconds = Math.round((performance.now() - started) / 100) / 10;
  return report;
}
