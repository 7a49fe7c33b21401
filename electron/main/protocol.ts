/**
 * Serves the built UI (dist/renderer) from `labdesk://app/` instead of file://, so the page has a real
 * origin to check IPC senders against and a CSP sent as a header (Electron security checklist #18).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../src/server/csp.js';

export const APP_SCHEME = 'labdesk';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;


const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/**
 * Must run before `app.ready`. `standard` gives the scheme real origins and relative URL resolution,
 * `secure` makes it a secure context; fetch/CORS flags let Vite's module scripts and workers load.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ]);
}

/**
 * Maps a request URL to a file under `root`, or null when it is not ours or would escape `root`.
 * The check works on the resolved path (not a string prefix of the URL), so `..`, `%2e%2e` and
 * encoded separators cannot climb out.
 */
export function resolveAppFile(requestUrl: string, root: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const base = path.resolve(root);
  const file = path.resolve(base, `.${pathname}`);
  const relative = path.relative(base, file);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return null;
  }
  return file;
}

function respond(status: number, body: Uint8Array | string | null, contentType: string): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': contentType,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    },
  });
}

async function readOrNull(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch {
    return null;
  }
}

/** Registers the `labdesk:` handler on the default session (the window uses no custom partition). */
export function handleAppProtocol(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return respond(405, 'Method Not Allowed', 'text/plain; charset=utf-8');
    }
    const file = resolveAppFile(request.url, rendererRoot);
    if (!file) return respond(404, 'Not Found', 'text/plain; charset=utf-8');

    let body = await readOrNull(file);
    let ext = path.extname(file).toLowerCase();
    // Client-side routes (no extension) fall back to the app shell, like any SPA host.
    if (!body && ext === '') {
      body = await readOrNull(path.join(rendererRoot, 'index.html'));
      ext = '.html';
    }
    if (!body) return respond(404, 'Not Found', 'text/plain; charset=utf-8');
    const type = MIME_TYPES[ext] ?? 'application/octet-stream';
    return respond(200, request.method === 'HEAD' ? null : new Uint8Array(body), type);
  });
}
