// Security and startup decisions of the Electron host, as pure functions (no electron import) so that
// vitest can check their real behaviour under Node: which URLs the window may show, which IPC senders
// are trusted, which files the app:// protocol may serve, how a saved window state is read back.
import { isAbsolute, join, resolve, sep } from 'node:path';

/** The renderer's origin: a privileged standard scheme served from dist/renderer (never a remote URL). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'pmw';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** IPC channel on which the main process sends application-menu commands to the renderer. */
export const MENU_IPC_CHANNEL = 'pmw:menu';

const MAX_URL_LENGTH = 8192;

function parse(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True for URLs of our own origin: app://pmw/… with no credentials and no port.
 * (URL#origin is "null" for non-special schemes under Node, so the parts are compared one by one.)
 */
export function isAppUrl(url: unknown): boolean {
  const u = parse(url);
  return (
    !!u &&
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname === APP_HOST &&
    u.port === '' &&
    u.username === '' &&
    u.password === ''
  );
}

/** will-navigate / will-redirect / will-frame-navigate: only within app://pmw (hash routes never reach here). */
export function isAllowedNavigation(url: unknown): boolean {
  return isAppUrl(url);
}

/** An IPC sender is trusted when its frame shows our own origin (the main-frame check is done by the caller). */
export function isTrustedSender(frameUrl: unknown): boolean {
  return isAppUrl(frameUrl);
}

/**
 * Links the user may open in the system browser (window.open / target=_blank / a plain link), after
 * confirming: https only (no plain-http downgrade, no other scheme), with a host, without
 * credentials, of sane length.
 */
export function isSafeExternalUrl(url: unknown): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol !== 'https:') return false;
  if (!u.hostname || u.username || u.password) return false;
  return true;
}

/**
 * Requests the renderer's session may make: its own origin, inline data and blobs, and — in development
 * builds only, where DevTools can be opened — DevTools' own schemes. Everything else (http(s), ws(s),
 * file, ftp; devtools: and chrome-extension: in a packaged app) is cancelled: the app is offline by
 * design and the renderer never needs the network.
 */
export function isAllowedRequest(url: unknown, packaged = true): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === `${APP_SCHEME}:`) return isAppUrl(url);
  if (u.protocol === 'data:' || u.protocol === 'blob:') return true;
  return !packaged && (u.protocol === 'devtools:' || u.protocol === 'chrome-extension:');
}

/**
 * Permission requests from web contents. Everything is refused except writing plain text to the
 * clipboard from our own origin (the "copy initial report" buttons use navigator.clipboard.writeText).
 */
export function isAllowedPermission(permission: string, requestingUrl: unknown): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}

/**
 * Map the path of an app:// URL to a file under `root` (dist/renderer), or null when it must not be
 * served. `urlPath` is the URL's pathname, still percent-encoded. Refused: any `..` or `.` segment (also
 * when encoded as %2e%2e), encoded separators (%2f, %5c), backslashes, NUL, drive letters / colons,
 * hidden files (dot-files), malformed escapes, and anything that would resolve outside `root`.
 * "/" and "" map to index.html.
 */
export function resolveAppFile(root: string, urlPath: string): string | null {
  if (typeof root !== 'string' || !isAbsolute(root)) return null;
  if (typeof urlPath !== 'string' || urlPath.length > 2048) return null;
  let path = urlPath.split(/[?#]/, 1)[0];
  if (path === '' || path === '/') path = '/index.html';
  if (!path.startsWith('/')) return null;
  const parts: string[] = [];
  for (const raw of path.slice(1).split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (seg === '' || seg === '.' || seg === '..') return null;
    if (seg.startsWith('.')) return null;
    if (/[\\/:\0]/.test(seg)) return null;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f]/.test(seg)) return null;
    parts.push(seg);
  }
  if (!parts.length) return null;
  const base = resolve(root);
  const file = resolve(join(base, ...parts));
  const prefix = base.endsWith(sep) ? base : base + sep;
  if (!file.startsWith(prefix)) return null;
  return file;
}

/** Content types of the files Vite emits (unknown extensions are served as octet-stream, nosniff). */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  const m = /\.[A-Za-z0-9]+$/.exec(file);
  return (m && CONTENT_TYPES[m[0].toLowerCase()]) || 'application/octet-stream';
}

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 840, maximized: false };
export const MIN_WINDOW = { width: 720, height: 480 };
const MAX_DIM = 16384;
const MAX_POS = 100_000;

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/**
 * Read a saved window state. Anything malformed (bad JSON, wrong types, absurd sizes, a position
 * without both coordinates) falls back to the default; sizes are clamped to the minimum.
 */
export function parseWindowState(json: unknown): WindowState {
  let v: unknown = json;
  if (typeof json === 'string') {
    if (json.length > 4096) return { ...DEFAULT_WINDOW_STATE };
    try {
      v = JSON.parse(json);
    } catch {
      return { ...DEFAULT_WINDOW_STATE };
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { ...DEFAULT_WINDOW_STATE };
  const o = v as Record<string, unknown>;
  if (!isInt(o.width, 1, MAX_DIM) || !isInt(o.height, 1, MAX_DIM)) return { ...DEFAULT_WINDOW_STATE };
  const state: WindowState = {
    width: Math.max(MIN_WINDOW.width, o.width),
    height: Math.max(MIN_WINDOW.height, o.height),
    maximized: o.maximized === true,
  };
  if (isInt(o.x, -MAX_POS, MAX_POS) && isInt(o.y, -MAX_POS, MAX_POS)) {
    state.x = o.x;
    state.y = o.y;
  }
  return state;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Keep a saved position only when a usable part of the window (its title-bar strip, at least
 * 100 × 40 px) lies on one of the current displays' work areas — monitors get unplugged.
 */
export function placeWindow(state: WindowState, workAreas: Rect[]): WindowState {
  if (state.x === undefined || state.y === undefined) return state;
  const bar: Rect = { x: state.x, y: state.y, width: state.width, height: 40 };
  const visible = workAreas.some((a) => {
    const w = Math.min(bar.x + bar.width, a.x + a.width) - Math.max(bar.x, a.x);
    const h = Math.min(bar.y + bar.height, a.y + a.height) - Math.max(bar.y, a.y);
    return w >= 100 && h >= 40;
  });
  if (visible) return state;
  const { x: _x, y: _y, ...rest } = state;
  return rest;
}

/**
 * The database path of the desktop app: `--db=PATH` (or `--db PATH`) on the command line, then the
 * PMW_DB environment variable, then `<userData>/workbench.db`.
 */
export function resolveElectronDbPath(argv: readonly string[], env: Record<string, string | undefined>, userData: string): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--db=') && a.length > 5) return resolve(a.slice(5));
    if (a === '--db' && argv[i + 1] && !argv[i + 1].startsWith('--')) return resolve(argv[i + 1]);
  }
  if (env.PMW_DB) return resolve(env.PMW_DB);
  return join(userData, 'workbench.db');
}

/** Where scripts/native-electron.mjs puts the Electron-ABI build of better-sqlite3, relative to the app dir. */
export function nativeBindingRelPath(electronVersion: string, platform: string, arch: string): string {
  return join('.native', `electron-${electronVersion}`, `${platform}-${arch}`, 'better_sqlite3.node');
}

/**
 * Candidate locations of the Electron-ABI better_sqlite3.node, most specific first:
 * PMW_NATIVE_BINDING (development only); packaged: <resources>/native/better_sqlite3.node (electron-builder extraResources);
 * development: <appDir>/.native/electron-<v>/<platform>-<arch>/better_sqlite3.node.
 * When none exists the caller lets better-sqlite3 find its own build (`bindings`), which only works if
 * that build was made for Electron (e.g. by electron-builder's npmRebuild).
 */
export function nativeBindingCandidates(o: {
  env: Record<string, string | undefined>;
  packaged: boolean;
  resourcesPath?: string;
  appPath: string;
  electronVersion: string;
  platform: string;
  arch: string;
}): string[] {
  const out: string[] = [];
  // An environment variable that loads native code is for development only (the packaged app also
  // has the RunAsNode / NODE_OPTIONS fuses off).
  if (o.env.PMW_NATIVE_BINDING && !o.packaged) out.push(resolve(o.env.PMW_NATIVE_BINDING));
  if (o.packaged && o.resourcesPath) out.push(join(o.resourcesPath, 'native', 'better_sqlite3.node'));
  out.push(join(o.appPath, nativeBindingRelPath(o.electronVersion, o.platform, o.arch)));
  return out;
}
