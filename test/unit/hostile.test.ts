// Hostile files and requests, each refused in bounded time and memory with a clear answer:
// YAML alias bombs, deeply nested JSON (artifact and API input), oversized bodies (413 with the
// envelope, not a reset), upload names with control/bidi/path characters, cross-origin uploads,
// a diff job over its memory or time budget (pmw diff exit 2), source maps.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { diffConfigTexts } from '../../shared/diff/config';
import { sanitizeFileName, jsonTooDeep, tooDeep } from '../../shared/limits';
import { startWebHost, type WebHost } from '../../main/web/server';
import { tempApp, tempDir } from './helpers';

const root = join(__dirname, '..', '..');
const pmw = join(root, 'bin', 'pmw.cjs');
beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'main', '--if-needed']);
});

/** The 342-byte billion-laughs document from the issue: nine levels of nine aliases each. */
export const ALIAS_BOMB = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`)].join('\n') + '\n';

let env: ReturnType<typeof tempApp> | null = null;
let host: WebHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
  env?.cleanup();
  env = null;
});

async function web() {
  env = tempApp();
  const staticDir = join(env.dir, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>pmw</title>');
  writeFileSync(join(staticDir, 'assets', 'index.js.map'), '{"version":3,"sources":["../../main/secret.ts"]}');
  host = await startWebHost({ app: env.app, staticDir, maxBodyBytes: 64 * 1024 });
  await env.app.call('incident:create', { title: 'x', severity: 'SEV3', failureClass: 'data' });
  return host;
}

function raw(method: string, path: string, headers: Record<string, string>, body?: Buffer | string, chunked = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host!.port, method, path, headers: { host: `127.0.0.1:${host!.port}`, 'x-pmw-token': host!.token, ...headers } }, (res) => {
      let b = '';
      res.on('data', (c) => (b += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
    });
    req.on('error', reject);
    if (body !== undefined) {
      if (chunked) {
        // Several writes without a length: the server only learns the size as it reads.
        const buf = Buffer.from(body);
        for (let i = 0; i < buf.length; i += 16384) req.write(buf.subarray(i, i + 16384));
      } else req.write(body);
    }
    req.end();
  });
}

describe('hostile documents', () => {
  it('refuses to expand a YAML alias bomb (a problem, then a text diff) instead of running for minutes', () => {
    expect(Buffer.byteLength(ALIAS_BOMB)).toBe(342);
    const r = diffConfigTexts('yaml', 'x: 1\n', ALIAS_BOMB);
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/YAML: refused to expand the aliases .*more than 100 alias expansions/);
    // Ordinary anchors and merge keys still work.
    const ok = diffConfigTexts('yaml', 'base: &b {cpu: 1}\nweb: {<<: *b}\n', 'base: &b {cpu: 2}\nweb: {<<: *b}\n');
    expect(ok.problems).toEqual([]);
    expect(ok.changes.map((c) => c.message).join('\n')).toMatch(/web\.cpu|cpu/);
  });

  it('reports JSON nested deeper than 200 levels with its position instead of overflowing the stack', () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const r = diffConfigTexts('json', '{"a":1}', deep);
    expect(r.problems[0]).toMatchObject({ message: 'JSON nested deeper than 200 levels (line 1, column 1001); not parsed', line: 1, column: 1001 });
    expect(jsonTooDeep('{"s":"[[[[[[[[[[[[["}', 3)).toBeNull(); // brackets in strings do not count
    const yamlDeep = diffConfigTexts('yaml', 'x: 1\n', '['.repeat(5000) + ']'.repeat(5000) + '\n');
    expect(yamlDeep.problems[0].message).toMatch(/^YAML nested deeper than 200 levels \(line 1, column 201\); not parsed$/);
    // Block style nested past the limit (parsed fine by the library) is refused too, by the node walk.
    const block = Array.from({ length: 210 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
    expect(diffConfigTexts('yaml', 'x: 1\n', block).problems[0].message).toMatch(/^YAML nested deeper than 200 levels \(line 201, column 201\)/);
    expect(jsonTooDeep("a: 'it''s [[[['  # [[[[ comment\nb: [[1]]", 2, true)).toBeNull();
    expect(jsonTooDeep('[\n[\n[\n[1]]]]', 3)).toEqual({ offset: 6, line: 4, column: 1 });
  });

  it('bounds API input nesting: 400 with the field path, not a 500 from a stack overflow', async () => {
    await web();
    const body = `{"key":"INC-0001","title":"t","failureClass":"data","evidence":{"changes":[${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}]}}`;
    expect(body.length).toBeLessThan(64 * 1024); // within the size limit: only its nesting is hostile
    const r = await raw('POST', '/api/finding:create', { 'content-type': 'application/json' }, body);
    expect(r.status).toBe(400);
    const e = JSON.parse(r.body).error;
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toMatch(/^Invalid finding:create — evidence\.changes\.0(\.a)+: nested deeper than 64 levels$/);
    expect(tooDeep({ a: [{ b: 1 }] }, 3)).toBeNull();
    expect(tooDeep({ a: [{ b: { c: 1 } }] }, 3)).toBe('a.0.b');
  });
});

describe('hostile requests', () => {
  it('answers an oversized body with 413 and the error envelope, whether it declares its length or not', async () => {
    await web();
    const big = Buffer.alloc(3 * 64 * 1024, 0x20);
    const declared = await raw('POST', '/api/incident:list', { 'content-type': 'application/json', 'content-length': String(big.length) }, big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    const streamed = await raw('POST', '/api/incident:list', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, big, true);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error.message).toBe('The request body is over the 64 KB limit of an API call; nothing was done.');
    expect(JSON.parse(declared.body).error.message).toBe('The request body (192 KB) is over the 64 KB limit of an API call; nothing was done.');
    // The host still answers afterwards.
    expect((await raw('POST', '/api/incident:list', {}, '{}')).status).toBe(200);
  });

  it('answers an upload over the artifact limit with 413 and the envelope, streamed or declared, and keeps nothing', async () => {
    env = tempApp();
    host = await startWebHost({ app: env.app, staticDir: join(env.dir), maxUploadBytes: 100 * 1024 });
    await env.app.call('incident:create', { title: 'x', severity: 'SEV3', failureClass: 'data' });
    const body = Buffer.alloc(400 * 1024, 7);
    for (const chunked of [false, true]) {
      const r = await raw('PUT', '/upload/INC-0001?role=failing&name=big.bin', chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) }, body, chunked);
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    }
    expect(await env.app.call('artifact:list', { key: 'INC-0001' })).toEqual([]);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith(`pmw-upload-${process.pid}-`))).toEqual([]);
  });

  it('sanitises upload names: no NUL, control, bidi-override or path characters, no ".."', async () => {
    await web();
    const name = encodeURIComponent('../..\\evil\u0000\u202egnp.exe\u0007');
    const r = await raw('PUT', `/upload/INC-0001?role=failing&name=${name}`, {}, 'hello');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).data.name).toBe('_._evilgnp.exe');
    expect(sanitizeFileName('\u200f..\u2066report.csv\u2069 ')).toBe('report.csv');
    expect(sanitizeFileName('\u0000\u0001')).toBe('upload');
    expect(sanitizeFileName('a'.repeat(300) + '.parquet')).toMatch(/^a{192}\.parquet$/);
  });

  it('refuses a cross-origin upload like a cross-origin API call', async () => {
    await web();
    const r = await raw('PUT', '/upload/INC-0001?role=failing&name=a.txt', { origin: 'http://evil.example' }, 'hello');
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).error.message).toMatch(/Cross-origin uploads are refused/);
    expect(await env!.app.call('artifact:list', { key: 'INC-0001' })).toEqual([]);
    const same = await raw('PUT', '/upload/INC-0001?role=failing&name=a.txt', { origin: `http://127.0.0.1:${host!.port}` }, 'hello');
    expect(same.status).toBe(200);
  });

  it('never serves a source map', async () => {
    await web();
    expect((await raw('GET', '/assets/index.js.map', {})).status).toBe(404);
    // And a build made without PMW_SOURCEMAPS has none to serve.
    const dist = join(root, 'dist');
    const maps = (d: string): string[] => (existsSync(d) ? readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? maps(join(d, e.name)) : e.name.endsWith('.map') ? [e.name] : [])) : []);
    if (process.env.PMW_SOURCEMAPS !== '1') expect(maps(join(dist, 'main'))).toEqual([]);
  });
});

describe('budgets per diff job', () => {
  function pmwDiff(a: string, b: string, env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve) => {
      const p = spawn(process.execPath, [pmw, 'diff', a, b], { env: { ...process.env, ...env } });
      let out = '';
      let err = '';
      p.stdout.on('data', (x) => (out += x));
      p.stderr.on('data', (x) => (err += x));
      p.on('close', (code) => resolve({ code, out, err }));
    });
  }

  it('stops a diff over its memory budget with a clear message and exit 2', async () => {
    const t = tempDir();
    try {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < 60_000; i++) o[`k${i}`] = { a: i, b: [i, i + 1], c: `v${i}` };
      writeFileSync(join(t.dir, 'a.json'), JSON.stringify(o, null, 1));
      (o.k5 as { a: number }).a = -1;
      writeFileSync(join(t.dir, 'b.json'), JSON.stringify(o, null, 1));
      const r = await pmwDiff(join(t.dir, 'a.json'), join(t.dir, 'b.json'), { PMW_JOB_MEMORY_MB: '24' });
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^pmw: The diff of a\.json → b\.json needed more than 24 MB, the memory budget of one job, and was stopped\..*PMW_JOB_MEMORY_MB/);
    } finally {
      t.cleanup();
    }
  });

  it('a package-lock.json diffed in process (no worker budget) refuses hostile nesting quickly: exit 2, a clear message', async () => {
    const t = tempDir();
    try {
      mkdirSync(join(t.dir, 'a'));
      mkdirSync(join(t.dir, 'b'));
      writeFileSync(join(t.dir, 'a', 'package-lock.json'), '{"lockfileVersion":1,"dependencies":{"a":{"version":"1.0.0"}}}');
      // 100,000 levels of v1 `dependencies` (4 MB): the paths alone would be some 200 GB.
      writeFileSync(join(t.dir, 'b', 'package-lock.json'), '{"lockfileVersion":1,"dependencies":' + '{"a":{"version":"1.0.0","dependencies":'.repeat(100_000) + '{}' + '}}'.repeat(100_000) + '}');
      const r = await pmwDiff(join(t.dir, 'a', 'package-lock.json'), join(t.dir, 'b', 'package-lock.json'), {});
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/pmw: cannot parse .*b[\\/]package-lock\.json as package-lock: "dependencies" nested deeper than 200 levels; not parsed/);
    } finally {
      t.cleanup();
    }
  });

  it('stops a diff over its time budget with a clear message and exit 2', async () => {
    const t = tempDir();
    try {
      // A parsed kind (plain text is diffed in process: its engine is linear with a bounded budget).
      writeFileSync(join(t.dir, 'a.yaml'), 'k: one\n');
      writeFileSync(join(t.dir, 'b.yaml'), 'k: two\n');
      // PMW_WORKER_MIN_MS makes the job last 5 s; the budget is 300 ms.
      const r = await pmwDiff(join(t.dir, 'a.yaml'), join(t.dir, 'b.yaml'), { PMW_WORKER_MIN_MS: '5000', PMW_JOB_TIMEOUT_MS: '300' });
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^pmw: The diff of a\.yaml → b\.yaml took longer than 0\.30 s, the time budget of one job, and was stopped\./);
    } finally {
      t.cleanup();
    }
  });
});
