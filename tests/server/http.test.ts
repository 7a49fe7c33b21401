import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/http.js';
import { copyFixture, onCleanup, tempCore } from '../helpers.js';

async function serve(watch = false) {
  const core = await tempCore({ watch });
  const server = await startServer(core, { host: '127.0.0.1', port: 0, uiDir: null });
  onCleanup(() => server.close());
  const call = async (method: string, args: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(new URL(`api/${method}`, server.url), {
      method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(args),
    });
    return { status: res.status, body: await res.json() };
  };
  return { core, server, call };
}

/** A raw request, because fetch will not let a test forge the Host header. */
function rawGet(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
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
    expect(await rawGet(new URL('api/events', server.url).href, 'evil.example:80')).toBe(421);
    expect((await call('catalog.stats', {}, { origin: 'http://evil.example' })).status).toBe(403);
    const form = await fetch(new URL('api/catalog.stats', server.url), { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
  });

  it('pushes catalog changes as server-sent events', async () => {
    const { server, call } = await serve(true);
    const res = await fetch(new URL('api/events', server.url));
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
});
