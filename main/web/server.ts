// The web host: serves the built renderer and the API contract on 127.0.0.1 only.
// Every API request needs the per-launch token (x-pmw-token); the Host header must name this server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { App } from '../app';
import { WEB_API_PREFIX, WEB_TOKEN_HEADER, type Envelope } from '../../shared/api/transport';
import type { ApiErrorCode } from '../../shared/api/errors';

/** Streaming upload of one artifact: PUT /upload/<KEY>?role=&name=&label=&kind= with the file as body. */
export const UPLOAD_PREFIX = '/upload/';

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
};

const STATUS: Record<ApiErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GATE: 409,
  UNAUTHORIZED: 401,
  TOO_LARGE: 413,
  CANCELLED: 409,
  INTERNAL: 500,
  BUSY: 503,
  CORRUPT: 500,
};

export interface WebHostOptions {
  app: App;
  staticDir: string;
  port?: number;
  token?: string;
  /** Largest JSON body accepted on an API call. */
  maxBodyBytes?: number;
  /** Largest upload (defaults to the app's artifact limit). */
  maxUploadBytes?: number;
}

export interface WebHost {
  server: Server;
  port: number;
  token: string;
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

function fail(res: ServerResponse, code: ApiErrorCode, message: string) {
  const env: Envelope<never> = { ok: false, error: { code, message } };
  send(res, STATUS[code], env);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error(`request body over ${limit} bytes`), { code: 'TOO_LARGE' }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const staticRoot = resolve(opts.staticDir);
  const maxBody = opts.maxBodyBytes ?? 2 * 1024 * 1024;
  let port = 0;

  const tokenOk = (req: IncomingMessage) => {
    const got = req.headers[WEB_TOKEN_HEADER];
    if (typeof got !== 'string') return false;
    const b = Buffer.from(got);
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf);
  };

  const hostOk = (req: IncomingMessage) => {
    const h = (req.headers.host ?? '').toLowerCase();
    return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, channel: string) {
    if (req.method !== 'POST') return fail(res, 'VALIDATION', 'API calls use POST');
    if (!tokenOk(req)) return fail(res, 'UNAUTHORIZED', `Missing or wrong ${WEB_TOKEN_HEADER} header`);
    const origin = req.headers.origin;
    if (origin && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      return fail(res, 'UNAUTHORIZED', 'Cross-origin calls are refused');
    }
    let input: unknown = undefined;
    try {
      const body = await readBody(req, maxBody);
      input = body.trim() ? JSON.parse(body) : undefined;
    } catch (e) {
      if ((e as { code?: string }).code === 'TOO_LARGE') return fail(res, 'TOO_LARGE', (e as Error).message);
      return fail(res, 'VALIDATION', `Request body is not valid JSON: ${(e as Error).message}`);
    }
    const env = await opts.app.dispatch(channel, input);
    send(res, env.ok ? 200 : STATUS[env.error.code] ?? 500, env);
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (req.method !== 'PUT') return fail(res, 'VALIDATION', 'Uploads use PUT');
    if (!tokenOk(req)) return fail(res, 'UNAUTHORIZED', `Missing or wrong ${WEB_TOKEN_HEADER} header`);
    const key = decodeURIComponent(url.pathname.slice(UPLOAD_PREFIX.length));
    const q = url.searchParams;
    const name = (q.get('name') ?? '').replace(/[\\/]/g, '_').slice(0, 255);
    const meta = { key, role: q.get('role') ?? '', name, label: q.get('label') ?? undefined, kind: q.get('kind') ?? undefined };
    // Validate the metadata before reading a byte of the body.
    const bad = opts.app.validateUpload(meta);
    if (bad) {
      req.resume();
      return send(res, STATUS[bad.code], { ok: false, error: bad });
    }
    const limit = opts.maxUploadBytes ?? opts.app.limits.maxArtifactBytes;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      return fail(res, 'TOO_LARGE', `${name || 'upload'} is ${(declared / 1048576).toFixed(1)} MB, over the ${(limit / 1048576).toFixed(0)} MB limit per artifact`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'pmw-upload-'));
    const file = join(dir, 'upload.bin');
    try {
      let seen = 0;
      const guard = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          seen += chunk.length;
          if (seen > limit) cb(Object.assign(new Error(`${name || 'upload'} is over the ${(limit / 1048576).toFixed(0)} MB limit per artifact`), { code: 'TOO_LARGE' }));
          else cb(null, chunk);
        },
      });
      await pipeline(req, guard, createWriteStream(file));
      const env = await opts.app.upload(meta, file);
      send(res, env.ok ? 200 : STATUS[env.error.code] ?? 500, env);
    } catch (e) {
      if ((e as { code?: string }).code === 'TOO_LARGE') fail(res, 'TOO_LARGE', (e as Error).message);
      else fail(res, 'INTERNAL', `Upload failed: ${(e as Error).message}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  function handleStatic(req: IncomingMessage, res: ServerResponse, pathname: string) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      return res.end();
    }
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      res.writeHead(400);
      return res.end('bad path');
    }
    if (rel.includes('\0')) {
      res.writeHead(400);
      return res.end('bad path');
    }
    let file = resolve(staticRoot, '.' + (rel === '/' ? '/index.html' : rel));
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      res.writeHead(403);
      return res.end('forbidden');
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      // Client-side routes use the hash; unknown paths get the app shell only for extension-less paths.
      if (extname(rel)) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('not found');
      }
      file = join(staticRoot, 'index.html');
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'content-type': type,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=3600',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  }

  const server = createServer((req, res) => {
    if (!hostOk(req)) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      return res.end('Host header refused: this server answers only to 127.0.0.1 and localhost on its own port');
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith(WEB_API_PREFIX)) {
      handleApi(req, res, url.pathname.slice(WEB_API_PREFIX.length)).catch((e) => fail(res, 'INTERNAL', String(e?.message ?? e)));
      return;
    }
    if (url.pathname.startsWith(UPLOAD_PREFIX)) {
      handleUpload(req, res, url).catch((e) => fail(res, 'INTERNAL', String(e?.message ?? e)));
      return;
    }
    handleStatic(req, res, url.pathname);
  });

  return new Promise((resolveHost, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      resolveHost({
        server,
        port,
        token,
        url: `http://127.0.0.1:${port}/#token=${token}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
