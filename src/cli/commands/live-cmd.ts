import { startServer, type RunningServer } from '../../server/http.js';
import { ensureUiBuilt } from '../../server/ui-build.js';
import { openCore, UserError, type DbOption } from '../context.js';
import { safeText } from '../safe-text.js';
import { stopSignal } from '../stop-signal.js';

async function addRoots(core: Awaited<ReturnType<typeof openCore>>, paths: string[]): Promise<void> {
  for (const p of paths) {
    try {
      await core.api['roots.add']({ path: p });
    } catch (err) {
      throw new UserError((err as Error).message);
    }
  }
}

/** `labdesk watch PATH...`: index, then keep the catalog live until interrupted. */
export async function watchCommand(paths: string[], opts: DbOption): Promise<void> {
  const core = await openCore(opts, true);
  const stop = stopSignal(() => core.close());
  try {
    core.on('catalog.changed', (e) => {
      const parts = [e.runIds.length && `${e.runIds.length} run(s) updated`, e.removed.length && `${e.removed.length} removed`].filter(Boolean);
      if (parts.length) process.stdout.write(`${new Date().toLocaleTimeString()}  ${parts.join(', ')}\n`);
    });
    await addRoots(core, paths);
    const what = paths.length ? paths.map(safeText).join(', ') : 'every folder in the catalog';
    process.stdout.write(`Watching ${what}; catalog: ${safeText(core.dbPath)}. Ctrl-C stops.\n`);
  } catch (err) {
    await stop.now();
    throw err;
  }
  await stop.done;
}

/** `labdesk serve [PATH...]`: web mode, the UI and the API bridge on a loopback port. */
export async function serveCommand(paths: string[], opts: DbOption & { port: number; host: string; ui: boolean }): Promise<void> {
  const uiDir = opts.ui ? await ensureUiBuilt((line) => process.stderr.write(`${line}\n`)) : null;
  const core = await openCore(opts, true);
  let server: RunningServer | undefined;
  // The server first: no new calls reach a core that is closing.
  const stop = stopSignal(async () => {
    await server?.close();
    await core.close();
  });
  try {
    await addRoots(core, paths);
    try {
      server = await startServer(core, { host: opts.host, port: opts.port, uiDir });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UserError(`Port ${opts.port} is in use: pick another with --port (0 picks a free one).`);
      if (code === 'EADDRNOTAVAIL') throw new UserError(`Cannot listen on ${opts.host}: not an address of this computer.`);
      throw err;
    }
    if (!['127.0.0.1', 'localhost', '::1'].includes(opts.host)) {
      process.stderr.write(`Warning: serving on ${opts.host} lets other computers on the network reach Labdesk; they still need the link below.\n`);
    }
    process.stdout.write(`Labdesk is serving on ${server.openUrl}\n`);
    process.stdout.write('The token in the link is new at each start; scripts send it as `Authorization: Bearer <token>`.\n');
    process.stdout.write(`Catalog: ${safeText(core.dbPath)}. Ctrl-C stops.\n`);
  } catch (err) {
    await stop.now();
    throw err;
  }
  await stop.done;
}
