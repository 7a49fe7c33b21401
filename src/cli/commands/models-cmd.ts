import { textTable } from '../table.js';
import { printJson, withCore, type DbOption } from '../context.js';

/** `labdesk models`: models the indexed formats declare (checkpoints, registered and logged models). */
export async function modelsCommand(opts: DbOption & { json?: boolean }): Promise<void> {
  await withCore(opts, async (core) => {
    const models = await core.api['models.list']({});
    if (opts.json) return printJson(models);
    const table = textTable(['name', 'version', 'stage', 'format', 'framework', 'size', 'path']);
    for (const m of models) table.push([m.name, m.version ?? '', m.stage ?? '', m.format, m.framework ?? '', m.sizeBytes ?? '', m.path]);
    process.stdout.write(`${table.toString()}\n${models.length} model(s)\n`);
  });
}
