import os from 'node:os';
import { benchMetricStorage } from '../../bench/metric-storage.js';
import { printJson } from '../context.js';

/** `labdesk bench` / `npm run bench`: prints figures measured on generated data; never fails on them. */
export async function benchCommand(opts: { json?: boolean; points: number }): Promise<void> {
  const figures = { cores: os.availableParallelism(), node: process.version, metricStorage: benchMetricStorage(opts.points) };
  if (opts.json) return printJson(figures);
  const m = figures.metricStorage;
  const lines = [
    `Labdesk benchmark · ${figures.cores} cores · Node ${figures.node}`,
    `Metric storage (${m.points.toLocaleString('en')} synthetic points, one transaction, WAL):`,
    ...m.seriesShapes.map(
      (s) => `  insert ${s.series} series x ${s.pointsPerSeries.toLocaleString('en')} points: ${s.insertPointsPerSecond.toLocaleString('en')} points/s (${s.insertMs} ms)`,
    ),
    `  read a ${m.seriesShapes[0].pointsPerSeries.toLocaleString('en')}-point series whole: ${m.readAllMs} ms; downsampled to 2000 points: ${m.readDownsampled2000Ms} ms`,
    `  catalog size: ${m.bytesPerPoint} bytes per point`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
