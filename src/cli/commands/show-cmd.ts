import { printJson, withCore, type DbOption } from '../context.js';
import { safeText } from '../safe-text.js';
import { fmt } from './runs-cmd.js';

/** `labdesk show RUN`: one run in full. */
export async function showCommand(ref: string, opts: DbOption & { json?: boolean }): Promise<void> {
  await withCore(opts, async (core) => {
    const run = await core.api['runs.get']({ id: ref });
    if (opts.json) return printJson(run);
    const out: string[] = [];
    const section = (title: string, lines: string[]) => {
      if (lines.length) out.push('', `${title}:`, ...lines.map((l) => `  ${l}`));
    };
    out.push(`${run.name}  (${run.id})`, `${run.format} · ${run.status} · experiment ${run.experiment}`, run.path);
    if (run.gitCommit) out.push(`commit ${run.gitCommit}`);
    if (run.startTime) out.push(`started ${new Date(run.startTime).toISOString()}, ${run.durationSeconds === null ? 'duration unknown' : `${run.durationSeconds.toFixed(1)} s`}`);
    if (run.timeNote) out.push(`times: ${safeText(run.timeNote)}`);
    section('params', Object.entries(run.params).map(([k, v]) => `${k} = ${v}`));
    section(
      'metrics (last / min / max @ last step, count)',
      Object.entries(run.metrics).map(([k, m]) => `${k}: ${fmt(m.last)} / ${fmt(m.min)} / ${fmt(m.max)} @ ${m.lastStep}, ${m.count}`),
    );
    section('tags', [...Object.entries(run.tags).map(([k, v]) => `${k} = ${v}`), ...run.userTags.map((t) => `#${t}`)]);
    section('source files', run.sourceFiles.map((f) => `${f.path} (${f.sizeBytes} bytes)`));
    section('artifacts', run.artifacts.map((a) => `${a.path} (${a.kind}${a.sizeBytes === null ? '' : `, ${a.sizeBytes} bytes`})`));
    section('problems', run.problems.map((p) => `${p.path}: ${p.message}`));
    // Every line holds text from the indexed folder: names, values, paths, problem messages.
    process.stdout.write(`${out.map(safeText).join('\n')}\n`);
  });
}
