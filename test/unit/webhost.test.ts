import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startWebHost, type WebHost } from '../../main/web/server';
import { tempApp } from './helpers';

let env: ReturnType<typeof tempApp>;
let host: WebHost;
afterEach(async () => {
  await host?.close();
  env?.cleanup();
});

async function setup() {
  env = tempApp();
  const staticDir = join(env.dir, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>pmw</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(env.dir, 'secret.txt'), 'do not serve');
  host = await startWebHost({ app: env.app, staticDir });
  return host;
}

function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, method, path, headers }, (res) => {
      let b = '';
      res.on('data', (c) => (b += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const api = (channel: string, body: unknown, extra: Record<string, string> = {}) =>
  raw('POST', `/api/${channel}`, { host: `127.0.0.1:${host.port}`, 'content-type': 'application/json', 'x-pmw-token': host.token, ...extra }, JSON.stringify(body));

describe('web host', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying the token', async () => {
    await setup();
    expect(host.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers API calls with the token and refuses them without it (401) or with a wrong one', async () => {
    await setup();
    const ok = await api('incident:create', { title: 'Latency spike', severity: 'SEV1', failureClass: 'serving' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, data: { key: 'INC-0001' } });
    const none = await raw('POST', '/api/incident:list', { host: `127.0.0.1:${host.port}` }, '{}');
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.code).toBe('UNAUTHORIZED');
    const wrong = await api('incident:list', {}, { 'x-pmw-token': 'x'.repeat(host.token.length) });
    expect(wrong.status).toBe(401);
    const list = await api('incident:list', {});
    expect(JSON.parse(list.body).data.items).toHaveLength(1);
  });

  it('refuses a foreign Host header (DNS rebinding) and cross-origin calls', async () => {
    await setup();
    const rebind = await raw('GET', '/', { host: `evil.example:${host.port}` });
    expect(rebind.status).toBe(403);
    const apiRebind = await api('incident:list', {}, { host: 'attacker.test' });
    expect(apiRebind.status).toBe(403);
    const cors = await api('incident:list', {}, { origin: 'http://evil.example' });
    expect(cors.status).toBe(401);
  });

  it('maps errors to HTTP statuses with the {code, message, details} envelope', async () => {
    await setup();
    const v = await api('incident:create', { title: '', severity: 'SEV2', failureClass: 'data' });
    expect(v.status).toBe(400);
    expect(JSON.parse(v.body).error.details.issues[0]).toEqual({ field: 'title', message: 'a title is required' });
    const nf = await api('incident:get', { key: 'INC-0404' });
    expect(nf.status).toBe(404);
    const bad = await raw('POST', '/api/incident:list', { host: `127.0.0.1:${host.port}`, 'x-pmw-token': host.token }, '{not json');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toMatch(/not valid JSON/);
  });

  it('serves the app shell with a strict CSP and never a file outside the renderer folder', async () => {
    await setup();
    const h = { host: `127.0.0.1:${host.port}` };
    const index = await raw('GET', '/', h);
    expect(index.status).toBe(200);
    expect(String(index.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(index.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect((await raw('GET', '/assets/app.js', h)).body).toBe('console.log(1)');
    expect((await raw('GET', '/../secret.txt', h)).body).not.toContain('do not serve');
    const encoded = await raw('GET', '/%2e%2e/secret.txt', h);
    expect(encoded.status).not.toBe(200);
    expect(encoded.body).not.toContain('do not serve');
    const dotdot = await raw('GET', '/assets/..%2f..%2fsecret.txt', h);
    expect([403, 404]).toContain(dotdot.status);
    expect(dotdot.body).not.toContain('do not serve');
    expect((await raw('GET', '/missing.js', h)).status).toBe(404);
  });
});
