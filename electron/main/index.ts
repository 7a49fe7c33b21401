/**
 * Labdesk desktop entry (bundled to dist/electron/main.cjs): app lifecycle only. The core is plain
 * Node (src/), reached through IPC; this file wires the window, protocol, menu and catalog together.
 */
import path from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import { createCore } from '../../src/core.js';
import type { Core } from '../../src/core-types.js';
import { registerIpc } from './ipc.js';
import { catalogPath, explainOpenFailure, ownArgs, parseLaunchArgs, sqliteBindingFor } from './launch.js';
import { installAppMenu } from './menu.js';
import { pickFolders } from './dialogs.js';
import { handleAppProtocol, registerAppScheme } from './protocol.js';
import { denyAllPermissions, installAppGuards } from './security.js';
import { createMainWindow } from './window.js';

// Both must happen before `ready`.
registerAppScheme();
installAppGuards();

// dist/electron/main.cjs → dist/renderer and dist/electron/preload.cjs (also inside app.asar).
const RENDERER_ROOT = path.join(__dirname, '..', 'renderer');
const PRELOAD_PATH = path.join(__dirname, 'preload.cjs');

let core: Core | null = null;
let win: BrowserWindow | null = null;
let disposeIpc: () => void = () => {};
let quitting = false;

function openWindow(): void {
  win = createMainWindow({
    preloadPath: PRELOAD_PATH,
    ...(app.isPackaged ? {} : { iconPath: path.join(app.getAppPath(), 'build', 'icons', 'icon.png') }),
  });
  win.on('closed', () => {
    win = null;
  });
}

/** Adds each folder as a root; failures (missing folder, already added...) are shown, not thrown. */
async function addFolders(folders: readonly string[]): Promise<void> {
  if (!core || folders.length === 0) return;
  const problems: string[] = [];
  for (const folder of folders) {
    try {
      await core.api['roots.add']({ path: folder });
    } catch (err) {
      problems.push(`${folder}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length === 0) return;
  const options = { type: 'warning' as const, message: 'Some folders could not be added', detail: problems.join('\n') };
  if (win) await dialog.showMessageBox(win, options);
  else await dialog.showMessageBox(options);
}

async function start(): Promise<void> {
  const launch = parseLaunchArgs(ownArgs(process.argv, process.defaultApp === true), process.cwd());
  await app.whenReady();

  denyAllPermissions();
  handleAppProtocol(RENDERER_ROOT);

  const electronVersion = process.versions.electron ?? 'unknown';
  const nativeBinding = sqliteBindingFor({
    isPackaged: app.isPackaged,
    appRoot: app.getAppPath(),
    electronVersion,
    env: process.env,
  });
  try {
    core = await createCore({
      dbPath: catalogPath(launch, process.env),
      watch: true,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
  } catch (err) {
    console.error('[labdesk] could not open the catalog:', err);
    dialog.showErrorBox('Labdesk could not open its catalog', explainOpenFailure(err, electronVersion));
    app.exit(1);
    return;
  }

  disposeIpc = registerIpc({ core, getWindow: () => win });
  app.setAboutPanelOptions({
    applicationName: 'Labdesk',
    applicationVersion: app.getVersion(),
    copyright: 'MIT License',
  });
  installAppMenu({
    addFolder: () => void pickFolders(win, true).then(addFolders),
    about: () => app.showAboutPanel(),
  });
  openWindow();
  await addFolders(launch.folders);
}

// One instance per user: two processes watching and writing one catalog would fight over it.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
    // `labdesk-desktop ~/runs` while already open adds the folder to the running app.
    void addFolders(parseLaunchArgs(ownArgs(argv, process.defaultApp === true), workingDirectory).folders);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (core && !win) openWindow();
  });

  // Close watchers and the catalog (WAL checkpoint) before exit; quit resumes once that is done.
  app.on('will-quit', (event) => {
    if (!core || quitting) return;
    event.preventDefault();
    quitting = true;
    disposeIpc();
    const closing = core;
    core = null;
    closing
      .close()
      .catch((err: unknown) => console.error('[labdesk] closing the core failed:', err))
      .finally(() => app.quit());
  });

  start().catch((err: unknown) => {
    console.error('[labdesk] startup failed:', err);
    dialog.showErrorBox('Labdesk failed to start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
}
