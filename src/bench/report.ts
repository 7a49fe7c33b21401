import type { BenchReport } from './suite.js';

/** One stated target and whether this run met it; a missed target is a figure, never a failure. */
export interface TargetCheck {
  name: string;
  value: number;
  unit: string;
  target: string;
  met: boolean;
}

/** One printed line: what was measured, the value, and its target check when it has one. */
export interface ReportRow {
  figure: string;
  measured: string;
  target?: TargetCheck;
}

const n = (x: number, digits = 0) => x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (bytes: number) => `${n(bytes / 1024 / 1024, 1)} MB`;
const fileSize = (bytes: number) => (bytes >= 1024 ** 3 ? `${n(bytes / 1024 ** 3, 1)} GiB` : `${n(bytes / 1024 ** 2, 1)} MiB`);
const PEAK_RSS_MB = 400;
const round2 = (x: number) => Math.round(x * 100) / 100;

function check(name: string, value: number, unit: string, op: '<' | '<=' | '>=', limit: number): TargetCheck {
  const met = op === '<' ? value < limit : op === '<=' ? value <= limit : value >= limit;
  return { name, value, unit, target: `${op === '<=' ? '≤' : op === '>=' ? '≥' : '<'} ${limit.toLocaleString('en', { maximumFractionDigits: 2 })}${unit ? ` ${unit}` : ''}`, met };
}

/** The rows of the printed report, in figure order, for the figures that ran. */
export function reportRows(report: BenchReport): ReportRow[] {
  const { tensorboard: tb, lightning: lt, watch, metric, query, cli, hash } = report.figures;
  const rows: ReportRow[] = [];
  if (tb) {
    rows.push(
      { figure: `1  TensorBoard cold index: 1 file, ${tb.tags} tags × ${n(tb.steps)} steps (${mb(tb.fileBytes)})`, measured: `${n(tb.indexPointsPerSecond)} points/s (${n(tb.indexMs)} ms)` },
      { figure: '   floor: chunked read + both CRC32Cs of every record', measured: `${n(tb.floorPointsPerSecond)} points/s (${n(tb.floorMs)} ms)` },
      { figure: '   index time / floor time', measured: `${n(tb.ratioToFloor, 2)}×`, target: check('tensorboard ratio to floor', tb.ratioToFloor, '', '<=', 3) },
    );
  }
  if (lt) {
    rows.push(
      {
        figure: `2  Lightning cold index: ${n(lt.runs)} CSVLogger runs × ${lt.steps} steps`,
        measured: `${n(lt.runsPerSecond)} runs/s (${n(lt.coldMs)} ms, ${n(lt.runsIndexed)} runs)`,
        target: check('lightning runs per second', lt.runsPerSecond, 'runs/s', '>=', 200),
      },
      { figure: `3  re-index of the unchanged tree (${n(lt.files)} files)`, measured: `${n(lt.reindexMsPer1000Files, 1)} ms per 1,000 files (${n(lt.reindexMs)} ms)` },
    );
  }
  if (watch) {
    rows.push({
      figure: `4  append → queryable, watched metrics.csv (${watch.runs} runs, median of ${watch.samples})`,
      measured: `${n(watch.medianMs)} ms (min ${n(watch.minMs)}, max ${n(watch.maxMs)}${watch.timeouts ? `, ${watch.timeouts} timed out` : ''})`,
      // A row that never became queryable misses the target whatever the others did.
      target: { ...check('append to queryable ms', watch.medianMs, 'ms', '<', 500), ...(watch.timeouts ? { met: false } : {}) },
    });
  }
  if (metric) {
    rows.push(
      {
        figure: `5a metric --max-points 2000 on a ${n(metric.points)}-point series`,
        measured: `${n(metric.downsampledMedianMs, 1)} ms median, ${n(metric.downsampledBestMs, 1)} best of 5`,
        target: check('downsampled read ms', metric.downsampledMedianMs, 'ms', '<', 50),
      },
      { figure: '   the same series read whole / written', measured: `${n(metric.readAllMs)} ms / ${n(metric.insertMs)} ms, ${n(metric.bytesPerPoint, 1)} bytes per point` },
    );
  }
  if (query) {
    const s = query.sorted;
    const f = query.filtered;
    rows.push(
      {
        figure: `5b ${n(query.runs)} runs (${query.paramsPerRun} params, ${query.metricsPerRun} metrics each): first ${s.rows} by metrics.val_acc + count`,
        measured: `${n(s.medianMs)} ms median (first call ${n(s.firstMs)} ms), total ${n(s.total)}`,
        target: check('100k-run query ms', s.medianMs, 'ms', '<', 150),
      },
      { figure: `   same, filtered by "${f.args.query}"`, measured: `${n(f.medianMs)} ms median (first call ${n(f.firstMs)} ms), total ${n(f.total)}` },
      { figure: `   populating the catalog through RunWriter (not a target)`, measured: `${n(query.populateMs / 1000, 1)} s, ${n(query.runs / (query.populateMs / 1000))} runs/s` },
    );
  }
  if (tb) {
    rows.push(
      { figure: `6  peak RSS during 1 (${tb.rssMethod})`, measured: `${n(tb.peakRssMb)} MB`, target: check('peak RSS MB, tensorboard', tb.peakRssMb, 'MB', '<', PEAK_RSS_MB) },
      { figure: '   catalog on disk vs raw files, 1', measured: `${mb(tb.catalogBytes)} vs ${mb(tb.fileBytes)} (${n(tb.catalogBytes / tb.fileBytes, 2)}×)` },
    );
  }
  if (lt) {
    rows.push(
      { figure: `${tb ? '  ' : '6 '} peak RSS during 2 (${lt.rssMethod})`, measured: `${n(lt.peakRssMb)} MB`, target: check('peak RSS MB, lightning', lt.peakRssMb, 'MB', '<', PEAK_RSS_MB) },
      { figure: '   catalog on disk vs raw files, 2', measured: `${mb(lt.catalogBytes)} vs ${mb(lt.treeBytes)} (${n(lt.catalogBytes / lt.treeBytes, 2)}×)` },
    );
  }
  // Not an issue target: how long the thread serving the UI (IPC or HTTP) waited while indexing.
  if (tb) rows.push({ figure: '7  event loop blocked while indexing 1: longest / p99', measured: `${n(tb.stallMaxMs)} ms / ${n(tb.stallP99Ms)} ms` });
  if (lt) rows.push({ figure: `${tb ? '  ' : '7 '} event loop blocked while indexing 2: longest / p99`, measured: `${n(lt.stallMaxMs)} ms / ${n(lt.stallP99Ms)} ms` });
  if (cli) {
    // Whole processes, median of several spawns, each beside `node -e 0` spawned the same way.
    const ratio = (ms: number) => ms / cli.nodeMs;
    const built = {
      dist: 'built dist/cli',
      tsx: 'tsx: dist/cli missing or stale, run node build/scripts/build-cli.mjs',
      mixed: 'src/ changed while measuring: partly tsx',
    }[cli.build];
    rows.push(
      {
        figure: `8  CLI start: \`labdesk --help\` (${built}; median of ${cli.spawns})`,
        measured: `${n(cli.helpMs)} ms vs ${n(cli.nodeMs)} ms for \`node -e 0\` (${n(ratio(cli.helpMs), 2)}×)`,
        target: check('cli --help vs node -e 0', round2(ratio(cli.helpMs)), '', '<=', 2),
      },
      {
        figure: `   \`labdesk runs --json\` on a ${n(cli.runs)}-run catalog`,
        measured: `${n(cli.runsJsonMs)} ms (${n(ratio(cli.runsJsonMs), 2)}×)`,
        target: check('cli runs --json vs node -e 0', round2(ratio(cli.runsJsonMs)), '', '<=', 3),
      },
      { figure: '   `labdesk --help` with LABDESK_DEV=1 (src/ through tsx, not a target)', measured: `${n(cli.devHelpMs)} ms` },
    );
  }
  if (hash) {
    rows.push(
      {
        figure: `9  hash job on a ${fileSize(hash.fileBytes)} file: longest stall of the main thread answering catalog.stats (${n(hash.statsCalls)} calls)`,
        measured: `${n(hash.stallMaxMs, 1)} ms (event-loop delay ${n(hash.loopDelayMaxMs, 1)} ms; no job: ${n(hash.baselineStallMaxMs, 1)} ms)`,
        target: check('hash job main-thread stall ms', hash.stallMaxMs, 'ms', '<', 50),
      },
      hash.ratio === null
        ? { figure: '   hashing rate (sha256sum is not installed: no ratio)', measured: `${n(hash.mbPerSecond)} MB/s` }
        : {
            figure: `   hashing rate vs \`sha256sum\` of the same file${hash.digestMatches ? '' : ' (DIGESTS DIFFER)'}`,
            measured: `${n(hash.mbPerSecond)} MB/s vs ${n(hash.sha256sumMbPerSecond!)} MB/s (${n(hash.ratio, 2)}×)`,
            target: { ...check('hash rate vs sha256sum', hash.ratio, '', '>=', 0.8), ...(hash.digestMatches ? {} : { met: false }) },
          },
    );
  }
  return rows;
}
