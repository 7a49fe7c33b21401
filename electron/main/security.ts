/**
 * App-wide guards from Electron's security checklist: the app shows only its own bundled UI, so every
 * navigation, new window, webview and permission request is refused by default.
 */
import { app, session, shell, type WebContents } from 'electron';
import { APP_HOST, APP_SCHEME } from './protocol.js';

/**
 * True when `raw` parses to a page of the bundled UI: a parsed scheme + host check, never a string
 * prefix. (Not `url.origin`: Node's URL does not know our scheme is standard and answers "null".)
 */
export function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && !url.username && !url.password;
}

/** Opens http(s) links in the user's browser; anything else (file:, javascript:, custom schemes) is dropped. */
export function openExternalSafely(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return;
  void shell.openExternal(url.href).catch((err: unknown) => console.warn('[labdesk] openExternal failed:', err));
}

function guardContents(contents: WebContents): void {
  // Our UI is a single page: any real navigation is either a link (open it outside) or a file dropped
  // outside a drop zone (Chromium would navigate to file://...): both are stopped here.
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openExternalSafely(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Call once before `app.ready`; guards every web contents created afterwards and sandboxes all renderers. */
export function installAppGuards(): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
}

/** Call after `app.ready`: the UI needs no camera, notifications, clipboard reads, geolocation, .... */
export function denyAllPermissions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}
