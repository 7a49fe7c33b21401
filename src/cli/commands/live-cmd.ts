import { startServer } from '../../server/http.js';
import { ensureUiBuilt } from '../../server/ui-build.js';
import { openCore, UserError, type DbOption } from '../context.js';

/** Resolves on Ctrl-C or SIGTERM. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

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
  try {
    core.on('catalog.changed', (e) => {
      const parts = [e.runIds.length && `${e.runIds.length} run(s) updated`, e.removed.length && `${e.removed.length} removed`].filter(Boolean);
      if (parts.length) process.stdout.write(`${new Date().toLocaleTimeString()}  ${parts.join(', ')}\n`);
    });
    await addRoots(core, paths);
    process.stdout.write(`Watching ${paths.length ? paths.join(', ') : 'every folder in the catalog'}; catalog: ${core.dbPath}. Ctrl-C stops.\n`);
    await untilInterrupted();
  } finally {
    await core.close();
  }
}

/** `labdesk serve [PATH...]`: web mode, the UI and the API bridge on a loopback port. */
export async function serveCommand(paths: string[], opts: DbOption & { port: number; host: string }): Promise<void> {
  const uiDir = await ensureUiBuilt((line) => process.stderr.write(`${line}\n`));
  const core = await openCore(opts, true);
  try {
    await addRoots(core, paths);
    let server;
    try {
      server = await startServer(core, { host: opts.host, port: opts.port, uiDir });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UserError(`Port ${opts.port} is in use: pick another with --port (0 picks a free one).`);
      if (code === 'EADDRNOTAVAIL') throw new UserError(`Cannot listen on ${opts.host}: not an address of this computer.`);
      throw err;
    }
    if (!['127.0.0.1', 'localhost', '::1'].includes(opts.host)) {
      process.stderr.write(`Warning: serving on ${opts.host} lets other computers on the network read your catalog.\n`);
    }
    process.stdout.write(`Labdesk is serving on ${server.url}\n`);
    process.stdout.write(`Catalog: ${core.dbPath}. Ctrl-C stops.\n`);
    await untilInterrupted();
    await server.close();
  } finally {
    await core.close();
  }
}
