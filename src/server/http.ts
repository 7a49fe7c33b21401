import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_EVENTS, API_METHODS, type ApiMethod, type ApiResponse } from '../api/contract.js';
import { toErrorData } from '../api/errors.js';
import type { Core } from '../core-types.js';
import { allowedHosts, canonicalHost, isAllowedOrigin, shownHost } from './allowed-hosts.js';
import { NO_SESSION_PAGE, SessionToken } from './session-token.js';
import { serveStatic } from './static.js';

const STATUS_FOR_ERROR = { NotFound: 404, BadRequest: 400, QueryError: 400, NeedsConfirm: 409, Internal: 500 } as const;
const MAX_BODY = 1024 * 1024;

export interface ServerOptions {
  host: string;
  port: number;
  /** The built UI (index.html + assets); null serves the API only. */
  uiDir: string | null;
}

export interface RunningServer {
  /** The server's address, without the session token. */
  url: string;
  /** The link to open: `url` with `?token=…`, exchanged for the session cookie on first load. */
  openUrl: string;
  /** The session token, for scripts (`Authorization: Bearer …` or `x-labdesk-token`). */
  token: string;
  close(): Promise<void>;
}

/**
 * Web mode's bridge: the same API contract as Electron IPC, as `POST /api/<method>` with JSON args
 * and `ApiResponse` JSON back, events as Server-Sent Events on `/api/events`, and the UI's files.
 * Only its own Host names and Origins are served, and `/api/*` needs the session token.
 */
export async function startServer(core: Core, options: ServerOptions): Promise<RunningServer> {
  const sockets = new Set<import('node:net').Socket>();
  // Both are set once the port is known; nothing is answered before then.
  let hosts = new Set<string>();
  let session: SessionToken | null = null;
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: toErrorData(err) });
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // DNS rebinding: a page on another site must not reach the catalog through a name pointing here.
    const host = canonicalHost(req.headers.host ?? '');
    if (!session || !host || !hosts.has(host)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Labdesk serves only its own address.');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendJson(res, 400, badRequest('The request URL is malformed.'));
    }
    if (url.pathname.startsWith('/api/')) {
      // The origin is checked against our own names, never against the (equally forgeable) Host header.
      const origin = req.headers.origin;
      if (origin !== undefined && !isAllowedOrigin(origin, hosts)) return sendJson(res, 403, badRequest('Cross-origin calls are refused.'));
      if (!session.authorizes(req)) {
        return sendJson(res, 401, {
          ok: false,
          error: { name: 'BadRequest', message: 'No valid session token: open the link that `labdesk serve` printed, or send its token as `Authorization: Bearer <token>`.' },
        });
      }
      let method: string;
      try {
        method = decodeURIComponent(url.pathname.slice(5));
      } catch {
        return sendJson(res, 400, badRequest('The URL path has a malformed %-escape.'));
      }
      if (method === 'events' && req.method === 'GET') return streamEvents(req, res);
      return callApi(req, res, method);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (url.searchParams.has('token')) return openSession(session, url, res);
    await serveStatic(options.uiDir, url.pathname, req, res, session.authorizes(req));
  }

  /** The printed link: trade its token for the cookie, then drop it from the address bar and history. */
  function openSession(token: SessionToken, url: URL, res: http.ServerResponse): void {
    if (!token.matches(url.searchParams.get('token'))) {
      res.writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(NO_SESSION_PAGE);
      return;
    }
    url.searchParams.delete('token');
    res.writeHead(303, {
      location: `${url.pathname}${url.search}`,
      'set-cookie': token.cookie(),
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    });
    res.end();
  }

  async function callApi(req: http.IncomingMessage, res: http.ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, badRequest('API calls are POST requests with a JSON body.'));
    // A JSON content type cannot be sent cross-site without a CORS preflight, which we never grant.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(res, 415, badRequest('Send the arguments as application/json.'));
    }
    if (!(API_METHODS as readonly string[]).includes(method)) {
      return sendJson(res, 404, { ok: false, error: { name: 'NotFound', message: `No API method "${method}".` } });
    }
    let args: unknown;
    try {
      const body = await readBody(req);
      args = body.length ? JSON.parse(body) : {};
    } catch (err) {
      return sendJson(res, 400, badRequest(`The request body is not valid JSON: ${(err as Error).message}`));
    }
    args ??= {};
    if (typeof args !== 'object' || Array.isArray(args)) {
      return sendJson(res, 400, badRequest(`The arguments of ${method} must be a JSON object.`));
    }
    try {
      const fn = core.api[method as ApiMethod] as (a: unknown) => Promise<unknown>;
      sendJson(res, 200, { ok: true, value: await fn(args) });
    } catch (err) {
      const error = toErrorData(err);
      sendJson(res, STATUS_FOR_ERROR[error.name], { ok: false, error });
    }
  }

  function streamEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    const offs = API_EVENTS.map((event) =>
      core.on(event, (payload) => res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`)),
    );
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      for (const off of offs) off();
    });
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  hosts = allowedHosts(options.host, port);
  session = new SessionToken(port);
  const url = `http://${shownHost(options.host)}:${port}/`;
  return {
    url,
    openUrl: `${url}?token=${session.value}`,
    token: session.value,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function badRequest(message: string): ApiResponse<never> {
  return { ok: false, error: { name: 'BadRequest', message } };
}

function sendJson(res: http.ServerResponse, status: number, body: ApiResponse<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('larger than 1 MiB'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
