import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/http.js';
import { copyFixture, onCleanup, tempCore, tempDir } from '../helpers.js';

async function serve(options: { watch?: boolean; host?: string; uiDir?: string | null } = {}) {
  const core = await tempCore({ watch: options.watch });
  const server = await startServer(core, { host: options.host ?? '127.0.0.1', port: 0, uiDir: options.uiDir ?? null });
  onCleanup(() => server.close());
  const call = async (method: string, args: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(new URL(`api/${method}`, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, ...headers },
      body: JSON.stringify(args),
    });
    return { status: res.status, body: (await res.json()) as { ok: boolean; value?: unknown; error?: { name: string; message: string } } };
  };
  return { core, server, call };
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request to the server, because fetch will not let a test forge the Host or send a bad path. */
function raw(server: RunningServer, options: { path: string; host?: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? url.host, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        // An event stream never ends: its status is all a test needs.
        if (res.headers['content-type']?.startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
          res.destroy();
        }
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const postJson = (server: RunningServer, method: string, headers: Record<string, string>, body = '{}') =>
  raw(server, { path: `/api/${method}`, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

/** A UI build stand-in: index.html and one hashed asset. */
function fakeUi(): string {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Labdesk UI</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
  return dir;
}

describe('HTTP bridge', () => {
  it('answers the API contract with ApiResponse envelopes', async () => {
    const { call } = await serve();
    const dir = copyFixture('realruns/lightning_project');
    const added = await call('roots.add', { path: dir });
    expect(added).toMatchObject({ status: 200, body: { ok: true, value: { path: dir } } });
    const missing = await call('roots.add', { path: '/no/such/folder' });
    expect(missing).toEqual({ status: 400, body: { ok: false, error: { name: 'BadRequest', message: expect.stringMatching(/No folder at \/no\/such\/folder/) } } });
    const notFound = await call('runs.get', { id: 'feedfacefeedface' });
    expect(notFound.status).toBe(404);
    expect((await call('no.such', {})).status).toBe(404);
  });

  it('refuses other Host names (DNS rebinding), other origins and non-JSON posts', async () => {
    const { server, call } = await serve();
    const auth = { authorization: `Bearer ${server.token}` };
    expect((await raw(server, { path: '/api/events', host: 'evil.example:80', headers: auth })).status).toBe(421);
    expect((await call('catalog.stats', {}, { origin: 'http://evil.example' })).status).toBe(403);
    // The old check compared the Origin with the Host header: both forged alike must still fail.
    const port = new URL(server.url).port;
    expect((await postJson(server, 'catalog.stats', { ...auth, host: `evil.example:${port}`, origin: `http://evil.example:${port}` })).status).toBe(421);
    expect((await postJson(server, 'catalog.stats', { ...auth, origin: 'null' })).status).toBe(403);
    expect((await postJson(server, 'catalog.stats', { ...auth, origin: 'not a url' })).status).toBe(403);
    expect((await postJson(server, 'catalog.stats', { ...auth, origin: `http://localhost:${port}` })).status).toBe(200);
    const form = await fetch(new URL('api/catalog.stats', server.url), {
      method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth },
    });
    expect(form.status).toBe(415);
  });

  it('keeps a Host allow-list when bound to another loopback address or to every interface', async () => {
    for (const host of ['127.0.0.2', '0.0.0.0']) {
      const { server } = await serve({ host });
      const port = new URL(server.url).port;
      const auth = { authorization: `Bearer ${server.token}` };
      const at = (hostHeader: string) => postJson(server, 'catalog.stats', { ...auth, host: hostHeader }).then((r) => r.status);
      expect(await at(`evil.example:${port}`), host).toBe(421);
      expect(await at('evil.example'), host).toBe(421);
      expect(await at(`127.0.0.1:${port}`), host).toBe(200);
      expect(await at(`localhost:${port}`), host).toBe(200);
      if (host === '127.0.0.2') expect(await at(`127.0.0.2:${port}`)).toBe(200);
      else {
        // Every address of this machine's interfaces, as another computer on the network would use.
        const addresses = Object.values(os.networkInterfaces()).flatMap((a) => a ?? []);
        for (const a of addresses) expect(await at(a.family === 'IPv6' ? `[${a.address}]:${port}` : `${a.address}:${port}`), a.address).toBe(200);
        expect(server.url).toBe(`http://127.0.0.1:${port}/`);
      }
      await server.close();
    }
  });

  it('needs the session token on every API call and on the event stream', async () => {
    const { server } = await serve();
    const stats = (headers: Record<string, string>) => postJson(server, 'catalog.stats', headers);
    const missing = await stats({});
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body).error.message).toMatch(/open the link that `labdesk serve` printed/);
    const wrong = `${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}`;
    expect((await stats({ authorization: `Bearer ${wrong}` })).status).toBe(401);
    expect((await stats({ 'x-labdesk-token': wrong })).status).toBe(401);
    expect((await stats({ cookie: `labdesk_session_${new URL(server.url).port}=${wrong}` })).status).toBe(401);
    expect((await stats({ authorization: 'Bearer ' })).status).toBe(401);
    expect((await stats({ 'x-labdesk-token': server.token })).status).toBe(200);
    expect((await stats({ authorization: `Bearer ${server.token}` })).status).toBe(200);
    // Another server's cookie (cookies are shared across ports) is not ours.
    expect((await stats({ cookie: `labdesk_session_1=${server.token}` })).status).toBe(401);

    expect((await raw(server, { path: '/api/events' })).status).toBe(401);
    expect((await raw(server, { path: '/api/events', headers: { 'x-labdesk-token': server.token } })).status).toBe(200);
  });

  it('trades the printed link for an HttpOnly, SameSite=Strict cookie and drops the token from the address', async () => {
    const { server } = await serve({ uiDir: fakeUi() });
    expect(server.openUrl).toBe(`${server.url}?token=${server.token}`);
    const opened = await raw(server, { path: `/?token=${server.token}&x=1` });
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/?x=1');
    const [cookie] = opened.headers['set-cookie'] ?? [];
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0];
    expect(pair).toBe(`labdesk_session_${new URL(server.url).port}=${server.token}`);

    expect((await postJson(server, 'catalog.stats', { cookie: `other=1; ${pair}` })).status).toBe(200);
    const page = await raw(server, { path: '/', headers: { cookie: pair } });
    expect(page).toMatchObject({ status: 200, body: '<!doctype html><title>Labdesk UI</title>' });

    // Without a session the page says what to do; the UI's files are not secret.
    const bare = await raw(server, { path: '/' });
    expect(bare.status).toBe(403);
    expect(bare.body).toMatch(/Open the link that <code>labdesk serve<\/code> printed/);
    expect((await raw(server, { path: '/runs/abc' })).status).toBe(403);
    expect((await raw(server, { path: '/assets/app-1234.js' })).status).toBe(200);
    const badLink = await raw(server, { path: '/?token=guess' });
    expect(badLink.status).toBe(403);
    expect(badLink.headers['set-cookie']).toBeUndefined();
  });

  it('answers 400, not 500, for bad arguments and malformed paths, saying what is allowed', async () => {
    const { server, call } = await serve();
    const bad = async (method: string, args: unknown) => {
      const r = await call(method, args);
      expect(r.status, JSON.stringify(args)).toBe(400);
      expect(r.body.error?.name).toBe('BadRequest');
      return r.body.error?.message ?? '';
    };
    expect(await bad('runs.list', { sort: { key: 'nope' } })).toMatch(/sort must be \{column, direction\}.*name, experiment, format, status, startTime, durationSeconds.*"asc" or "desc"/);
    expect(await bad('runs.list', { sort: { column: 'nope', direction: 'asc' } })).toMatch(/Cannot sort by "nope": use a run column \(name, experiment/);
    expect(await bad('runs.list', { sort: { column: 'name', direction: 'sideways' } })).toMatch(/"asc" or "desc"/);
    expect(await bad('runs.list', { sort: 'name' })).toMatch(/sort must be/);
    expect(await bad('runs.list', { offset: 'abc' })).toBe('offset must be a whole number of at least 0 (got "abc").');
    expect(await bad('runs.list', { limit: 'ten' })).toBe('limit must be a whole number of at least 0 (got "ten").');
    expect(await bad('runs.list', { offset: 1e300 })).toMatch(/offset must be a whole number/);
    expect(await bad('runs.list', { limit: -1 })).toMatch(/limit must be a whole number of at least 0/);
    expect(await bad('runs.list', { query: 42 })).toMatch(/query must be a string/);
    expect(await bad('problems.list', { limit: 'abc' })).toMatch(/limit must be a whole number/);
    expect(await bad('runs.get', { id: 5 })).toMatch(/Name the run/);
    expect(await bad('runs.list', [1, 2])).toMatch(/must be a JSON object/);
    // Still fine: numbers within range, and a limit past the page size is capped, not refused.
    expect((await call('runs.list', { offset: 0, limit: 10_000, sort: { column: 'metrics.acc:max', direction: 'asc' } })).status).toBe(200);

    const auth = { authorization: `Bearer ${server.token}` };
    const escape = await postJson(server, 'runs%E0%A4%A', auth);
    expect(escape.status).toBe(400);
    expect(JSON.parse(escape.body).error.message).toMatch(/malformed %-escape/);
    expect((await postJson(server, 'runs%2Elist', auth)).status).toBe(200);
  });

  it('pushes catalog changes as server-sent events', async () => {
    const { server, call } = await serve({ watch: true });
    const res = await fetch(new URL('api/events', server.url), { headers: { authorization: `Bearer ${server.token}` } });
    const reader = res.body!.getReader();
    const dir = copyFixture('realruns/lightning_project');
    await call('roots.add', { path: dir });
    let text = '';
    while (!text.includes('event: catalog.changed')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const data = text.split('event: catalog.changed\ndata: ')[1].split('\n')[0];
    expect(JSON.parse(data).runIds).toHaveLength(8); // 4 CSVLogger + 4 TensorBoardLogger versions
  });

  it('pushes jobs.progress events and answers jobs.list and jobs.cancel', async () => {
    const { server, call } = await serve({ watch: true });
    const res = await fetch(new URL('api/events', server.url), { headers: { authorization: `Bearer ${server.token}` } });
    const reader = res.body!.getReader();
    const dir = copyFixture('realruns/lightning_project');
    await call('roots.add', { path: dir });
    let text = '';
    const ended = /event: jobs\.progress\ndata: (\{[^\n]*"state":"done"[^\n]*\})\n/;
    while (!ended.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const job = JSON.parse(ended.exec(text)![1]);
    expect(job).toMatchObject({ kind: 'index', label: dir, state: 'done', done: 8, total: 8, unit: 'runs' });
    expect(text).toContain('event: jobs.progress\ndata: {"id":1,"kind":"index"');
    // The pass's hash job (the project's checkpoints) follows it in the list.
    type Listed = { status: number; body: { value: { id: number; kind: string; state: string }[] } };
    const kinds = async () => ((await call('jobs.list', {})) as Listed).body.value.map((j) => j.kind).sort();
    await expect.poll(kinds).toEqual(['hash', 'index']);
    const listed = (await call('jobs.list', {})) as Listed;
    expect(listed.status).toBe(200);
    expect(listed.body.value).toContainEqual(expect.objectContaining({ id: job.id, kind: 'index', state: 'done' }));
    expect(await call('jobs.cancel', { id: job.id })).toEqual({ status: 200, body: { ok: true, value: { cancelled: false } } });
    expect(await call('jobs.cancel', { id: 'x' })).toMatchObject({ status: 400, body: { ok: false, error: { name: 'BadRequest' } } });
  });
});
