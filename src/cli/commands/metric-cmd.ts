import { printJson, withCore, type DbOption } from '../context.js';

/** `labdesk metric RUN KEY`: a metric's points, all of them unless --max-points. */
export async function metricCommand(ref: string, key: string, opts: DbOption & { json?: boolean; maxPoints?: number }): Promise<void> {
  await withCore(opts, async (core) => {
    const series = await core.api['metrics.get']({ run: ref, key, maxPoints: opts.maxPoints });
    if (opts.json) return printJson(series);
    const lines = ['step\tvalue\twall_time', ...series.points.map(([s, v, t]) => `${s}\t${v}\t${t ?? ''}`)];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}
