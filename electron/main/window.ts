/** The one Labdesk window: locked-down webPreferences, the UI loaded from `labdesk://app/`. */
import { BrowserWindow, nativeTheme } from 'electron';
import { APP_ENTRY_URL } from './protocol.js';

export interface MainWindowOptions {
  /** Absolute path of the bundled CommonJS preload (dist/electron/preload.cjs). */
  preloadPath: string;
  /** Window icon (Linux/Windows dev runs); packaged apps get theirs from electron-builder. */
  iconPath?: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 560,
    title: 'Labdesk',
    show: false,
    // Matches the OS theme so the frame before first paint does not flash.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1a1b1e' : '#ffffff',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  // Show once painted, so the user never sees a blank white frame.
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
