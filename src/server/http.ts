import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_EVENTS, API_METHODS, type ApiMethod, type ApiResponse } from '../api/contract.js';
import { toErrorData } from '../api/errors.js';
import type { Core } from '../core-types.js';
import { serveStatic } from './static.js';

const STATUS_FOR_ERROR = { NotFound: 404, BadRequest: 400, QueryError: 400, Internal: 500 } as const;
const MAX_BODY = 1024 * 1024;

export interface ServerOptions {
  host: string;
  port: number;
  /** The built UI (index.html + assets); null serves the API only. */
  uiDir: string | null;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Web mode's bridge: the same API contract as Electron IPC, as `POST /api/<method>` with JSON args
 * and `ApiResponse` JSON back, events as Server-Sent Events on `/api/events`, and the UI's files.
 */
export async function startServer(core: Core, options: ServerOptions): Promise<RunningServer> {
  const sockets = new Set<import('node:net').Socket>();
  let allowedHosts = new Set<string>();
  // Binding beyond loopback is the user's explicit choice; Host names then cannot be known in advance.
  const loopbackOnly = ['127.0.0.1', 'localhost', '::1'].includes(options.host);
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: toErrorData(err) });
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // DNS rebinding: a page on another site must not reach the catalog through a name pointing here.
    if (loopbackOnly && !allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Labdesk serves only its own address.');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(req, res);
    if (url.pathname.startsWith('/api/')) return callApi(req, res, decodeURIComponent(url.pathname.slice(5)));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    await serveStatic(options.uiDir, url.pathname, req, res);
  }

  async function callApi(req: http.IncomingMessage, res: http.ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, badRequest('API calls are POST requests with a JSON body.'));
    // A JSON content type cannot be sent cross-site without a CORS preflight, which we never grant.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(res, 415, badRequest('Send the arguments as application/json.'));
    }
    const origin = req.headers.origin;
    if (origin && new URL(origin).host !== req.headers.host) return sendJson(res, 403, badRequest('Cross-origin calls are refused.'));
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
    try {
      const fn = core.api[method as ApiMethod] as (a: unknown) => Promise<unknown>;
      sendJson(res, 200, { ok: true, value: await fn(args ?? {}) });
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
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  allowedHosts = new Set([`${shownHost}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
  return {
    url: `http://${shownHost}:${port}/`,
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
