import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from './csp.js';
import { NO_SESSION_PAGE } from './session-token.js';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};


/**
 * Serves a file of the built UI, refusing paths that escape its folder; unknown paths get index.html,
 * or, without a session (`hasSession` false), a page saying which link to open.
 */
export async function serveStatic(
  uiDir: string | null,
  urlPath: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  hasSession: boolean,
): Promise<void> {
  if (!uiDir) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('This Labdesk server has no UI build; the API is at /api/.');
    return;
  }
  const root = path.resolve(uiDir);
  let file = path.resolve(root, '.' + path.posix.normalize(urlPath));
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  let st = await fs.promises.stat(file).catch(() => null);
  if (!st || st.isDirectory() || file === path.join(root, 'index.html')) {
    if (!hasSession) {
      res.writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': CONTENT_SECURITY_POLICY });
      res.end(req.method === 'HEAD' ? undefined : NO_SESSION_PAGE);
      return;
    }
    file = path.join(root, 'index.html');
    st = await fs.promises.stat(file).catch(() => null);
    if (!st) {
      res.writeHead(404).end();
      return;
    }
  }
  const hashed = file.includes(`${path.sep}assets${path.sep}`);
  res.writeHead(200, {
    'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
    'content-length': st.size,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  fs.createReadStream(file).pipe(res);
}
