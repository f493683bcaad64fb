// The one client object the renderer talks to. Two transports, one interface (ApiClient):
//  - Electron: the preload exposes one typed function per channel on window.pmw; each returns an Envelope.
//  - Web host: POST /api/<channel> with a JSON body and the per-launch token header; the response is an Envelope.
// Every failure is thrown as an ApiError so that forms can show fieldError(err, 'title') beside the field.
import type { ApiClient, Channel, Input, Output } from '../../shared/api/contract';
import { ApiError, isApiErrorShape } from '../../shared/api/errors';
import { WEB_API_PREFIX, WEB_TOKEN_HEADER, type Envelope, type PreloadApi } from '../../shared/api/transport';

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
      history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
      return token;
    }
  }
  return readToken();
}

function readToken(): string | null {
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

export type Transport = 'electron' | 'web';

export const transport: Transport = typeof window !== 'undefined' && window.pmw ? 'electron' : 'web';

/** The client. Everything in the UI goes through `api.call(channel, input)`. */
export const api: ApiClient = transport === 'electron' ? electronTransport(window.pmw!) : httpTransport();

export function hasWebToken(): boolean {
  return transport === 'electron' || !!readToken();
}
