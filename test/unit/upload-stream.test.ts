// Uploads to the web host: new content streams straight into the blob file through a worker (no spool,
// written once); content of a size already stored is spooled and hashed, and a duplicate writes
// nothing more; a refused or interrupted stream leaves nothing behind.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../main/app';
import { startWebHost, type WebHost } from '../../main/web/server';
import { tempDir } from './helpers';

const root = join(__dirname, '..', '..');
beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'main', '--if-needed']);
});
let app: App;
let host: WebHost;
let cleanup: () => void;
afterEach(async () => {
  await host?.close();
  app?.close();
  cleanup?.();
});

async function setup(maxUploadBytes?: number) {
  const t = tempDir();
  cleanup = t.cleanup;
  app = createApp({ dbPath: join(t.dir, 'wb.db'), host: 'web' });
  host = await startWebHost({ app, staticDir: t.dir, maxUploadBytes });
  await app.call('incident:create', { title: 'x', severity: 'SEV3', failureClass: 'data' });
}

function put(name: string, body: Buffer, opts: { abortAfter?: number } = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method: 'PUT', path: `/upload/INC-0001?role=failing&name=${name}`, headers: { host: `127.0.0.1:${host.port}`, 'x-pmw-token': host.token, 'content-length': String(body.length) } },
      (res) => {
        let b = '';
        res.on('data', (c) => (b += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(b) }));
      },
    );
    req.on('error', (e) => (opts.abortAfter ? resolve({ status: 0, body: null }) : reject(e)));
    if (opts.abortAfter) {
      req.write(body.subarray(0, opts.abortAfter));
      setTimeout(() => req.destroy(), 300);
    } else req.end(body);
  });
}

const spools = () => readdirSync(tmpdir()).filter((f) => f.startsWith(`pmw-upload-${process.pid}-`));
const sets = () => app.blobs.file.db.prepare('SELECT id, complete FROM sets').all() as { id: number; complete: number }[];

describe('uploads', () => {
  it('streams new content into the blob file (no spool); a duplicate is spooled, hashed and writes nothing more', async () => {
    await setup();
    const body = randomBytes(9 * 1024 * 1024 + 7);
    expect(app.canStream(body.length)).toBe(true);
    const r = await put('model.bin', body);
    expect(r.status).toBe(200);
    expect(r.body.data.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(Buffer.from(app.blobs.read(r.body.data.sha256)).equals(body)).toBe(true);
    expect(sets()).toEqual([{ id: 1, complete: 1 }]);
    // Same size stored now: this one is spooled and hashed first.
    expect(app.canStream(body.length)).toBe(false);
    const again = await put('copy.bin', body);
    expect(again.body.data.sha256).toBe(r.body.data.sha256);
    expect(sets()).toHaveLength(1);
    expect(spools()).toEqual([]);
  });

  it('an upload of undeclared size over the limit gets 413 with the envelope and leaves nothing', async () => {
    await setup(2 * 1024 * 1024);
    // No Content-Length: spooled, and the limit is enforced on the bytes as they arrive.
    const body = randomBytes(3 * 1024 * 1024);
    const r = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, method: 'PUT', path: '/upload/INC-0001?role=failing&name=big.bin', headers: { host: `127.0.0.1:${host.port}`, 'x-pmw-token': host.token, 'transfer-encoding': 'chunked' } },
        (res) => {
          let b = '';
          res.on('data', (c) => (b += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(b) }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('TOO_LARGE');
    expect(await app.call('artifact:list', { key: 'INC-0001' })).toEqual([]);
    expect(spools()).toEqual([]);
  });

  it('a client that drops the connection mid-stream leaves no artifact and no set', async () => {
    await setup();
    const body = randomBytes(8 * 1024 * 1024);
    await put('half.bin', body, { abortAfter: 5 * 1024 * 1024 });
    await expect.poll(() => sets().length, { timeout: 5000 }).toBe(0);
    expect(await app.call('artifact:list', { key: 'INC-0001' })).toEqual([]);
    // And the host still takes the next upload.
    expect((await put('next.bin', randomBytes(1000))).status).toBe(200);
  });
});
