// The web host: serves the built renderer and the API contract on 127.0.0.1 only.
// Every API request needs the per-launch token (x-pmw-token); the Host header must name this server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import type { App } from '../app';
import { uploadTempPrefix } from '../store/cleanup';
import { sanitizeFileName } from '../../shared/limits';
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
  SECRET_DETECTED: 422,
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
  /** How long close() lets in-flight calls finish before it cuts the connections (default 1.5 s). */
  graceMs?: number;
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

/** 192 KB, 3.5 MB, 256 MB. */
function sizeText(n: number): string {
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1048576).toFixed(n < 10 * 1048576 && n % 1048576 ? 1 : 0)} MB`;
}

/** Bytes of an over-limit body read (and dropped) before answering, so the client sees the answer, not a reset. */
const DRAIN_LIMIT = 256 * 1024 * 1024;
const DRAIN_MS = 10_000;

/**
 * Read the rest of a refused body without keeping it, then call `done`: answering while the client is
 * still sending would make the kernel reset the connection and the answer would be lost. A body that
 * goes on past DRAIN_LIMIT or DRAIN_MS is cut after the answer instead.
 */
function drainThen(req: IncomingMessage, res: ServerResponse, done: () => void) {
  if (req.readableEnded || req.complete) return done();
  let seen = 0;
  let answered = false;
  const answer = () => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    req.removeListener('data', onData);
    if (!req.complete) res.setHeader('connection', 'close');
    done();
    if (!req.complete) res.once('finish', () => req.destroy());
  };
  const onData = (c: Buffer) => {
    seen += c.length;
    if (seen > DRAIN_LIMIT) answer();
  };
  const timer = setTimeout(answer, DRAIN_MS);
  req.on('data', onData);
  req.once('end', answer);
  req.once('error', answer);
  req.resume();
}

/**
 * Stream a request body to `file`, hashing it as it arrives (when the content is stored already,
 * nothing more is written). Over `limit` it stops writing but leaves the request readable, so the
 * refusal can still be answered on the same connection.
 */
function spool(req: IncomingMessage, file: string, limit: number, hash: ReturnType<typeof createHash>, what: string): Promise<void> {
  return new Promise((resolveSpool, reject) => {
    const out = createWriteStream(file, { mode: 0o600 }); // owner-only (issue 8)
    let seen = 0;
    let failed = false;
    const stop = (e: Error) => {
      if (failed) return;
      failed = true;
      req.removeListener('data', onData);
      out.destroy();
      req.resume();
      reject(e);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) return stop(Object.assign(new Error(`${what} is over the ${sizeText(limit)} limit per artifact`), { code: 'TOO_LARGE' }));
      hash.update(chunk);
      if (!out.write(chunk)) {
        req.pause();
        out.once('drain', () => req.resume());
      }
    };
    req.on('data', onData);
    req.once('end', () => {
      if (!failed) out.end();
    });
    req.once('aborted', () => stop(new Error(`the upload of ${what} was interrupted by the client`)));
    req.once('error', stop);
    out.once('error', stop);
    out.once('finish', () => {
      if (!failed) resolveSpool();
    });
  });
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeListener('data', onData);
        chunks.length = 0;
        reject(Object.assign(new Error(`The request body is over the ${sizeText(limit)} limit of an API call; nothing was done.`), { code: 'TOO_LARGE' }));
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const staticRoot = resolve(opts.staticDir);
  const maxBodyAll = opts.maxBodyBytes ?? 2 * 1024 * 1024;
  let port = 0;
  let closing = false;
  const originOk = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    return !origin || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  };

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
    // A timeline export (issue 13) is one call carrying the whole file: it gets the contract's own limit.
    const maxBody = channel === 'timeline:import' && !opts.maxBodyBytes ? 48 * 1024 * 1024 : maxBodyAll;
    if (req.method !== 'POST') return fail(res, 'VALIDATION', 'API calls use POST');
    if (!tokenOk(req)) return drainThen(req, res, () => fail(res, 'UNAUTHORIZED', `Missing or wrong ${WEB_TOKEN_HEADER} header`));
    if (!originOk(req)) return drainThen(req, res, () => fail(res, 'UNAUTHORIZED', 'Cross-origin calls are refused'));
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBody) {
      return drainThen(req, res, () => fail(res, 'TOO_LARGE', `The request body (${sizeText(declared)}) is over the ${sizeText(maxBody)} limit of an API call; nothing was done.`));
    }
    let input: unknown = undefined;
    try {
      const body = await readBody(req, maxBody);
      input = body.trim() ? JSON.parse(body) : undefined;
    } catch (e) {
      if ((e as { code?: string }).code === 'TOO_LARGE') return drainThen(req, res, () => fail(res, 'TOO_LARGE', (e as Error).message));
      return fail(res, 'VALIDATION', `Request body is not valid JSON: ${(e as Error).message}`);
    }
    const env = await opts.app.dispatch(channel, input);
    send(res, env.ok ? 200 : STATUS[env.error.code] ?? 500, env);
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (req.method !== 'PUT') return drainThen(req, res, () => fail(res, 'VALIDATION', 'Uploads use PUT'));
    if (!tokenOk(req)) return drainThen(req, res, () => fail(res, 'UNAUTHORIZED', `Missing or wrong ${WEB_TOKEN_HEADER} header`));
    if (!originOk(req)) return drainThen(req, res, () => fail(res, 'UNAUTHORIZED', 'Cross-origin uploads are refused'));
    let key: string;
    try {
      key = decodeURIComponent(url.pathname.slice(UPLOAD_PREFIX.length));
    } catch {
      return drainThen(req, res, () => fail(res, 'VALIDATION', 'Invalid upload — key: not a valid incident key'));
    }
    const q = url.searchParams;
    const given = q.get('name') ?? '';
    const name = given ? sanitizeFileName(given) : '';
    const meta = { key, role: q.get('role') ?? '', name, label: q.get('label') ?? undefined, kind: q.get('kind') ?? undefined };
    // Validate the metadata before reading a byte of the body.
    const bad = opts.app.validateUpload(meta);
    if (bad) return drainThen(req, res, () => send(res, STATUS[bad.code], { ok: false, error: bad }));
    const limit = opts.maxUploadBytes ?? opts.app.limits.maxArtifactBytes;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      return drainThen(req, res, () => fail(res, 'TOO_LARGE', `${name || 'upload'} is ${sizeText(declared)}, over the ${sizeText(limit)} limit per artifact`));
    }
    // New content of a declared size streams straight into the blob file (written once, by a worker).
    if (Number.isFinite(declared) && opts.app.canStream(declared)) {
      const env = await opts.app.uploadStream(meta, req, limit);
      if (!env.ok && env.error.code === 'TOO_LARGE') return drainThen(req, res, () => send(res, 413, env));
      return send(res, env.ok ? 200 : STATUS[env.error.code] ?? 500, env);
    }
    // Otherwise spool it, hashing as it arrives: when the content is stored already, nothing more is written.
    // The spool folder carries this process's id: one left by a killed host is removed at the next start.
    const dir = mkdtempSync(join(tmpdir(), uploadTempPrefix()));
    const file = join(dir, 'upload.bin');
    try {
      const hash = createHash('sha256');
      try {
        await spool(req, file, limit, hash, name || 'upload');
      } catch (e) {
        if ((e as { code?: string }).code === 'TOO_LARGE') return drainThen(req, res, () => fail(res, 'TOO_LARGE', (e as Error).message));
        throw e;
      }
      const env = await opts.app.upload(meta, file, hash.digest('hex'));
      send(res, env.ok ? 200 : STATUS[env.error.code] ?? 500, env);
    } catch (e) {
      if (!res.headersSent) fail(res, 'INTERNAL', `Upload failed: ${(e as Error).message}`);
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
    // Source maps are never served (a development build may have left some in dist/renderer).
    if (rel.endsWith('.map')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
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

  const sockets = new Set<Socket>();
  const inFlight = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      // Shutting down: a keep-alive socket whose last call finished is closed now.
      if (closing) server.closeIdleConnections();
    });
    if (closing) res.setHeader('connection', 'close');
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

  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });

  /**
   * Stop accepting, let in-flight calls finish (their sockets close after the answer), close idle
   * keep-alive sockets at once, and cut whatever is left after the grace period.
   */
  const close = () =>
    new Promise<void>((done) => {
      if (closing) return done();
      closing = true;
      const grace = opts.graceMs ?? 1500;
      const force = setTimeout(() => {
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      }, grace);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        done();
      });
      server.closeIdleConnections();
      // Calls still being answered close their connection after the answer.
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      if (!inFlight.size) for (const s of sockets) s.destroy();
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
        close,
      });
    });
  });
}
