/**
 * IPC → core. One `ipcMain.handle` per contract method, all behind one sender check; results and
 * errors cross as the ApiResponse envelope because Electron would keep only an error's message.
 */
import fs from 'node:fs';
import { BrowserWindow, ipcMain, shell, type IpcMainInvokeEvent } from 'electron';
import { API_EVENTS, API_METHODS, type ApiMethod, type ApiResponse } from '../../src/api/contract.js';
import { toErrorData } from '../../src/api/errors.js';
import type { Core } from '../../src/core-types.js';
import { EVENT_CHANNEL, OPEN_PATH_CHANNEL, PICK_FOLDER_CHANNEL, SHOW_IN_FOLDER_CHANNEL, apiChannel, type EventMessage } from '../channels.js';
import { pickFolders } from './dialogs.js';
import { openAction } from './open-target.js';
import { showRunFile } from './show-in-folder.js';
import { isAppUrl } from './security.js';

export interface IpcContext {
  core: Core;
  /** The app window, or null while none is open; only its main frame may call in. */
  getWindow: () => BrowserWindow | null;
}

/** The sender must be our window's top-level frame showing the bundled UI (checked by parsed origin). */
export function isTrustedSender(event: IpcMainInvokeEvent, win: BrowserWindow | null): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!win || win.isDestroyed() || event.sender !== win.webContents) return false;
  return isAppUrl(frame.url);
}

type TrustedHandler = (event: IpcMainInvokeEvent, arg: unknown) => Promise<unknown>;

/** The one wrapper every channel goes through. Untrusted calls are refused before any work is done. */
function handleTrusted(channel: string, ctx: IpcContext, handler: TrustedHandler): void {
  ipcMain.handle(channel, (event, ...args: unknown[]) => {
    if (!isTrustedSender(event, ctx.getWindow())) {
      console.warn(`[labdesk] refused ${channel} from untrusted sender ${event.senderFrame?.url ?? '(gone)'}`);
      throw new Error('Refused: untrusted sender');
    }
    return handler(event, args[0]);
  });
}

const isArgsObject = (value: unknown): value is Record<string, unknown> =>
  value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value));

async function callCore(core: Core, method: ApiMethod, args: unknown): Promise<ApiResponse<unknown>> {
  if (!isArgsObject(args)) {
    return { ok: false, error: { name: 'BadRequest', message: `${method}: arguments must be one object` } };
  }
  try {
    // Per-method argument checks live in the core (the same ones serve HTTP); here args are one object.
    const call = core.api[method] as (a: unknown) => Promise<unknown>;
    return { ok: true, value: await call(args ?? {}) };
  } catch (err) {
    const error = toErrorData(err);
    if (error.name === 'Internal') console.error(`[labdesk] ${method} failed:`, err);
    return { ok: false, error };
  }
}

/**
 * DesktopBridge.openPath: the page names a run, never a path. The catalog gives the target: a
 * notebook run's `.ipynb` (opened in the user's notebook app), any other run's folder (shown in the
 * file manager; on macOS revealed, never opened: see open-target.ts); a file the catalog merely names
 * is never launched. '' when opened, else why not.
 */
async function openRunPath(core: Core, runId: unknown): Promise<string> {
  if (typeof runId !== 'string' || !runId) return 'No run to open.';
  let target: string | undefined;
  let notebook: boolean;
  try {
    const run = await core.api['runs.get']({ id: runId });
    notebook = run.format === 'notebook';
    target = notebook ? run.sourceFiles.map((f) => f.path).find((p) => /\.ipynb$/i.test(p)) : run.path;
  } catch (err) {
    return toErrorData(err).message;
  }
  if (!target) return 'This run has no file to open.';
  const stat = await fs.promises.stat(target).catch(() => null);
  if (!stat) return `${target} is not there any more (moved or deleted?).`;
  if (notebook ? !stat.isFile() : !stat.isDirectory()) return `Labdesk does not open ${target}.`;
  if (openAction(target, stat.isDirectory()) === 'reveal') {
    shell.showItemInFolder(target);
    return '';
  }
  return shell.openPath(target);
}

/** Registers every channel and starts forwarding core events; returns a function that undoes both. */
export function registerIpc(ctx: IpcContext): () => void {
  const channels: string[] = [];
  for (const method of API_METHODS) {
    const channel = apiChannel(method);
    handleTrusted(channel, ctx, (_event, arg) => callCore(ctx.core, method, arg));
    channels.push(channel);
  }

  // The bridge returns one path (DesktopBridge.pickFolder); multi-select lives in the File menu.
  handleTrusted(PICK_FOLDER_CHANNEL, ctx, async () => (await pickFolders(ctx.getWindow(), false))[0] ?? null);
  channels.push(PICK_FOLDER_CHANNEL);
  handleTrusted(OPEN_PATH_CHANNEL, ctx, (_event, runId) => openRunPath(ctx.core, runId));
  channels.push(OPEN_PATH_CHANNEL);
  handleTrusted(SHOW_IN_FOLDER_CHANNEL, ctx, (_event, arg) => showRunFile(ctx.core, arg));
  channels.push(SHOW_IN_FOLDER_CHANNEL);

  const unsubscribers = API_EVENTS.map((event) =>
    ctx.core.on(event, (payload) => {
      const win = ctx.getWindow();
      if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
      const message: EventMessage = { event, payload };
      win.webContents.send(EVENT_CHANNEL, message);
    }),
  );

  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
