// The web host's guards: every API call needs the per-launch token (401 without it or with a wrong
// one), requests naming another Host are refused (DNS rebinding), cross-origin calls are refused,
// and the UI is served with a strict CSP.
import { request as httpRequest } from 'node:http';
import { expect, test } from './fixtures';

function raw(port: number, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((res, rej) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: body === undefined ? 'GET' : 'POST', headers }, (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (c) => (text += c));
      r.on('end', () => res({ status: r.statusCode ?? 0, text }));
    });
    req.on('error', rej);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

test('API requests without the token get 401', async ({ host, request }) => {
  const r = await request.post(`${host.origin}/api/incident:list`, { data: {} });
  expect(r.status()).toBe(401);
  const body = await r.json();
  expect(body.ok).toBe(false);
  expect(body.error.code).toBe('UNAUTHORIZED');

  const create = await request.post(`${host.origin}/api/incident:create`, {
    data: { title: 'should not exist', severity: 'SEV4', failureClass: 'data' },
  });
  expect(create.status()).toBe(401);
  const list = await host.call<{ items: unknown[] }>('incident:list', {});
  expect(list.body.data?.items).toEqual([]);
});

test('API requests with a wrong token get 401', async ({ host, request }) => {
  const r = await request.post(`${host.origin}/api/incident:list`, { data: {}, headers: { 'x-pmw-token': 'not-the-token' } });
  expect(r.status()).toBe(401);
  const wrongLength = await request.post(`${host.origin}/api/incident:list`, {
    data: {},
    headers: { 'x-pmw-token': host.token.slice(0, -1) + (host.token.endsWith('A') ? 'B' : 'A') },
  });
  expect(wrongLength.status()).toBe(401);
});

test('with the token the same call succeeds', async ({ host, request }) => {
  const r = await request.post(`${host.origin}/api/incident:list`, { data: {}, headers: { 'x-pmw-token': host.token } });
  expect(r.status()).toBe(200);
  expect((await r.json()).ok).toBe(true);
});

test('a wrong Host header is refused, even with the token', async ({ host }) => {
  const body = JSON.stringify({});
  const headers = { 'content-type': 'application/json', 'x-pmw-token': host.token };
  const evil = await raw(host.port, '/api/incident:list', { ...headers, host: `evil.example:${host.port}` }, body);
  expect(evil.status).toBeGreaterThanOrEqual(400);
  expect(evil.status).toBeLessThan(500);
  expect(evil.text).not.toContain('"ok":true');
  const otherPort = await raw(host.port, '/api/incident:list', { ...headers, host: `127.0.0.1:${host.port + 1}` }, body);
  expect(otherPort.status).toBeGreaterThanOrEqual(400);
  const page = await raw(host.port, '/', { host: `attacker.test:${host.port}` });
  expect(page.status).toBeGreaterThanOrEqual(400);
  // The right Host works.
  const ok = await raw(host.port, '/api/incident:list', { ...headers, host: `127.0.0.1:${host.port}` }, body);
  expect(ok.status).toBe(200);
});

test('cross-origin API calls are refused', async ({ host }) => {
  const r = await raw(
    host.port,
    '/api/incident:list',
    { 'content-type': 'application/json', 'x-pmw-token': host.token, host: `127.0.0.1:${host.port}`, origin: 'http://evil.example' },
    '{}',
  );
  expect(r.status).toBe(401);
});

test('the UI is served with a strict CSP and the token leaves the address bar', async ({ host, page, request }) => {
  const r = await request.get(`${host.origin}/`);
  expect(r.status()).toBe(200);
  const csp = r.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
  expect(await r.text()).not.toMatch(/<script>(?!<\/script>)/);

  const violations: string[] = [];
  page.on('console', (m) => m.type() === 'error' && /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
  await page.goto(host.url);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  expect(page.url()).not.toContain(host.token);
  expect(violations).toEqual([]);
});
