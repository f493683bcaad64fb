// The one client object the renderer talks to. Two transports, one interface (ApiClient):
//  - Electron: the preload exposes one typed function per channel on window.pmw; each returns an Envelope.
//  - Web host: POST /api/<channel> with a JSON body and the per-launch token header; the response is an Envelope.
// Every failure is thrown as an ApiError so that forms can show fieldError(err, 'title') beside the field.
import type { ApiClient, Channel, Input, Output } from '../../shared/api/contract';
import { ApiError, isApiErrorShape } from '../../shared/api/errors';
import { WEB_API_PREFIX, WEB_TOKEN_HEADER, type Envelope, type PreloadApi } from '../../shared/api/transport';
import type { Artifact, ArtifactRole } from '../../shared/artifacts';
import type { ArtifactKind } from '../../shared/diff/types';

declare global {
  interface Window {
    pmw?: PreloadApi;
  }
}

const TOKEN_KEY = 'pmw.token';
let memoryToken: string | null = null;

/**
 * The web host prints `http://127.0.0.1:PORT/#token=...`. Read the token once at startup, keep it in
 * sessionStorage (survives reloads of this tab, not other tabs or restarts) and take it out of the
 * address bar so it does not end up in screenshots or history.
 */
export function captureTokenFromHash(): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  if (hash.startsWith('token=') || hash.includes('&token=')) {
    const params = new URLSearchParams(hash);
    const token = params.get('token');
    if (token) {
      memoryToken = token;
      try {
        sessionStorage.setItem(TOKEN_KEY, token);
      } catch {
        /* storage disabled: the in-memory copy lasts until reload */
      }
      // Keep the route a link carried with the token (`#/drills/5/gm&token=…` opens that view in a new tab).
      const route = hash.startsWith('/') ? hash.slice(0, hash.indexOf('&token=')) : '/';
      history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${route}`);
      return token;
    }
  }
  return readToken();
}

/** This tab's access token (web host), or null. */
export function readToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? memoryToken;
  } catch {
    return memoryToken;
  }
}

function unwrap<T>(env: unknown): T {
  if (env && typeof env === 'object' && 'ok' in env) {
    const e = env as Envelope<T>;
    if (e.ok) return e.data;
    throw ApiError.from(isApiErrorShape(e.error) ? e.error : { code: 'INTERNAL', message: 'malformed error from the host' });
  }
  throw new ApiError('INTERNAL', 'malformed response from the host');
}

function electronTransport(pmw: PreloadApi): ApiClient {
  return {
    async call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
      const fn = pmw[channel] as unknown as ((i: Input<C>) => Promise<Envelope<Output<C>>>) | undefined;
      if (typeof fn !== 'function') throw new ApiError('NOT_FOUND', `the desktop host does not offer ${channel}`);
      let env: Envelope<Output<C>>;
      try {
        env = await fn(input);
      } catch (e) {
        throw ApiError.from(e);
      }
      return unwrap<Output<C>>(env);
    },
  };
}

function httpTransport(): ApiClient {
  return {
    async call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
      const token = readToken();
      let res: Response;
      try {
        res = await fetch(`${WEB_API_PREFIX}${channel}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { [WEB_TOKEN_HEADER]: token } : {}),
          },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
          cache: 'no-store',
        });
      } catch (e) {
        throw new ApiError('INTERNAL', `cannot reach the workbench host (${e instanceof Error ? e.message : String(e)}) — is \`pmw serve\` still running?`);
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        body = undefined;
      }
      if (body && typeof body === 'object' && 'ok' in body) return unwrap<Output<C>>(body);
      if (res.status === 401) {
        throw new ApiError('UNAUTHORIZED', 'this page has no valid access token — open the URL that `pmw serve` printed (it ends in #token=…)');
      }
      throw new ApiError('INTERNAL', `the host answered ${res.status} ${res.statusText}`.trim());
    },
  };
}

// ---------- Optimistic concurrency ----------
// Every incident answer carries its revision; every incident or timeline mutation is sent with the
// revision this tab last saw (baseRevision). When someone else changed the incident meanwhile, the
// host refuses with CONFLICT (details.stale) and nothing is saved; the data layer's one CONFLICT
// handler (renderer/data/queryClient.ts) reloads the incident and says so.

const REVISED = new Set<string>([
  'incident:update', 'incident:advance', 'incident:setRole', 'incident:check',
  'timeline:add', 'timeline:update', 'timeline:delete', 'timeline:restore',
]);
/** Calls whose answer is an Incident (its revision is the one to base the next change on). */
const ANSWERS_INCIDENT = new Set<string>(['incident:create', 'incident:get', 'incident:update', 'incident:advance', 'incident:setRole', 'incident:check', 'bundle:import']);
const seenRevision = new Map<string, number>();

/** The tail of each incident's queue of mutations from this tab, and how many have finished. */
const pending = new Map<string, Promise<unknown>>();
const done = new Map<string, number>();

/**
 * A tab's own mutations of one incident run one after another, each based on the revision the one
 * before it produced: two quick changes (a field saved on blur, then Advance) never conflict with each
 * other, only with someone else's.
 */
function withRevisions(inner: ApiClient): ApiClient {
  return {
    async call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
      const key = (input as { key?: unknown } | undefined)?.key;
      if (!REVISED.has(channel) || typeof key !== 'string') {
        // A read that was sent before one of our mutations finished must not take the revision back.
        const epoch = typeof key === 'string' ? (done.get(key) ?? 0) : 0;
        const out = await inner.call(channel, input);
        const o = out as { revision?: unknown } | null;
        if (typeof key === 'string' && (done.get(key) ?? 0) !== epoch && typeof o?.revision === 'number' && o.revision < (seenRevision.get(key) ?? 0)) return out;
        return remember(channel, out);
      }
      const before = pending.get(key) ?? Promise.resolve();
      const mine = before.catch(() => undefined).then(async () => {
        const base = (input as { baseRevision?: number }).baseRevision ?? seenRevision.get(key);
        const sent = base === undefined ? input : ({ ...input, baseRevision: base } as Input<C>);
        const out = await inner.call(channel, sent);
        // Timeline calls answer with the event: the incident moved on by exactly one revision.
        if (!ANSWERS_INCIDENT.has(channel) && base !== undefined) seenRevision.set(key, base + 1);
        done.set(key, (done.get(key) ?? 0) + 1);
        return remember(channel, out);
      });
      pending.set(key, mine);
      try {
        return await mine;
      } finally {
        if (pending.get(key) === mine) pending.delete(key);
      }
    },
  };
}

function remember<T>(channel: string, out: T): T {
  const o = out as { key?: unknown; revision?: unknown } | null;
  if (ANSWERS_INCIDENT.has(channel) && o && typeof o.key === 'string' && typeof o.revision === 'number') seenRevision.set(o.key, o.revision);
  return out;
}

export type Transport = 'electron' | 'web';

export const transport: Transport = typeof window !== 'undefined' && window.pmw ? 'electron' : 'web';

/** The client. Everything in the UI goes through `api.call(channel, input)`. */
export const api: ApiClient = withRevisions(transport === 'electron' ? electronTransport(window.pmw!) : httpTransport());

export function hasWebToken(): boolean {
  return transport === 'electron' || !!readToken();
}

// ---------- Artifact upload ----------
// The web host streams one file per request: PUT /upload/<KEY>?role=&name=&label=&kind= with the raw
// bytes as body and the token header; the answer is the same Envelope as the API. XMLHttpRequest (not
// fetch) so that upload progress can be shown. In the desktop app a dropped or picked file is added
// by its path (the main process streams it); the renderer never holds a large file.

/** Same path as main/web/server.ts UPLOAD_PREFIX (the renderer may not import main/). */
const UPLOAD_PREFIX = '/upload/';
/** Largest file the desktop app reads into the renderer and sends as text (artifact:addText's limit). */
export const DESKTOP_TEXT_LIMIT = 16 * 1024 * 1024;

export interface UploadMeta {
  role: ArtifactRole;
  label?: string;
  kind?: ArtifactKind;
  /** Defaults to file.name. */
  name?: string;
}

/** Capture one file as an artifact of incident `key`. Throws ApiError (TOO_LARGE for a refusal, CANCELLED on abort). */
export function upload(
  key: string,
  file: File,
  meta: UploadMeta,
  onProgress?: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<Artifact> {
  const name = (meta.name ?? file.name) || 'upload';
  if (transport === 'electron') return desktopUpload(key, file, { ...meta, name }, onProgress);
  return new Promise<Artifact>((resolve, reject) => {
    const q = new URLSearchParams({ role: meta.role, name });
    if (meta.label) q.set('label', meta.label);
    if (meta.kind) q.set('kind', meta.kind);
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `${UPLOAD_PREFIX}${encodeURIComponent(key)}?${q.toString()}`);
    const token = readToken();
    if (token) xhr.setRequestHeader(WEB_TOKEN_HEADER, token);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (body && typeof body === 'object' && 'ok' in body) {
        try {
          resolve(unwrap<Artifact>(body));
        } catch (e) {
          reject(e);
        }
        return;
      }
      if (xhr.status === 413) reject(new ApiError('TOO_LARGE', `${name} is over the size limit per artifact`));
      else if (xhr.status === 401) reject(new ApiError('UNAUTHORIZED', 'this page has no valid access token — open the URL that `pmw serve` printed'));
      else reject(new ApiError('INTERNAL', `uploading ${name}: the host answered ${xhr.status} ${xhr.statusText}`.trim()));
    };
    xhr.onerror = () =>
      reject(new ApiError('INTERNAL', `uploading ${name} failed: the connection to the workbench host was lost (is \`pmw serve\` still running? a file over the size limit can also end the connection)`));
    xhr.onabort = () => reject(new ApiError('CANCELLED', `upload of ${name} cancelled`));
    if (signal) {
      if (signal.aborted) return reject(new ApiError('CANCELLED', `upload of ${name} cancelled`));
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    onProgress?.(0, file.size);
    xhr.send(file);
  });
}

async function desktopUpload(key: string, file: File, meta: UploadMeta & { name: string }, onProgress?: (loaded: number, total: number) => void): Promise<Artifact> {
  // A file from the OS (dropped or picked) has a real path: the main process streams it into the
  // store without the renderer reading it (artifact:addPath accepts only such chosen paths).
  const [path] = await window.pmw!.pathsForDroppedFiles([file]);
  if (path) {
    onProgress?.(0, file.size);
    const a = await api.call('artifact:addPath', { key, role: meta.role, path, ...(meta.label ? { label: meta.label } : {}), ...(meta.kind ? { kind: meta.kind } : {}) });
    onProgress?.(file.size, file.size);
    return a;
  }
  // No path (e.g. a File built by the page): small text goes through artifact:addText.
  if (file.size >= DESKTOP_TEXT_LIMIT) {
    throw new ApiError('TOO_LARGE', `${meta.name} is ${(file.size / 1048576).toFixed(1)} MB and has no file path: add it with "Add files…" (the native dialog) instead`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.subarray(0, 64 * 1024).includes(0)) {
    throw new ApiError('VALIDATION', `${meta.name} looks binary and has no file path: add it with "Add files…" (the native dialog) instead`);
  }
  onProgress?.(0, file.size);
  const text = new TextDecoder('utf-8').decode(bytes);
  const a = await api.call('artifact:addText', { key, role: meta.role, name: meta.name, text, ...(meta.label ? { label: meta.label } : {}), ...(meta.kind ? { kind: meta.kind } : {}) });
  onProgress?.(file.size, file.size);
  return a;
}
