// The Electron host's security decisions, as pure functions (main/electron/policy.ts), tested for
// their real behaviour: what the app:// protocol serves, which navigations / senders / requests /
// permissions pass, how a saved window state and the database path are read.
import { describe, expect, it } from 'vitest';
import { join, resolve, sep } from 'node:path';
import {
  APP_ENTRY,
  DEFAULT_WINDOW_STATE,
  contentTypeFor,
  isAllowedNavigation,
  isAllowedPermission,
  isAllowedRequest,
  isSafeExternalUrl,
  isTrustedSender,
  nativeBindingCandidates,
  nativeBindingRelPath,
  parseWindowState,
  placeWindow,
  resolveAppFile,
  resolveElectronDbPath,
} from '../../main/electron/policy';

const root = resolve('/opt/pmw/dist/renderer');
const inRoot = (...p: string[]) => join(root, ...p);

/** What the protocol handler passes: the pathname of the parsed URL (still percent-encoded). */
const pathOf = (url: string) => new URL(url).pathname;

describe('resolveAppFile: app:// serves dist/renderer only', () => {
  it('serves index.html for / and the empty path, and nested assets', () => {
    expect(resolveAppFile(root, '/')).toBe(inRoot('index.html'));
    expect(resolveAppFile(root, '')).toBe(inRoot('index.html'));
    expect(resolveAppFile(root, '/index.html')).toBe(inRoot('index.html'));
    expect(resolveAppFile(root, '/assets/index-abc123.js')).toBe(inRoot('assets', 'index-abc123.js'));
    expect(resolveAppFile(root, pathOf(APP_ENTRY))).toBe(inRoot('index.html'));
  });

  it('decodes ordinary escapes (spaces) but stays inside the root', () => {
    expect(resolveAppFile(root, '/assets/my%20font.woff2')).toBe(inRoot('assets', 'my font.woff2'));
    expect(resolveAppFile(root, '/assets/app.js?v=1')).toBe(inRoot('assets', 'app.js'));
  });

  it('refuses ../ traversal, literal and percent-encoded', () => {
    for (const p of [
      '/../../etc/passwd',
      '/assets/../../secret',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/%2E%2E/package.json',
      '/assets/%2e%2e/%2e%2e/x',
      '/..%2f..%2fetc%2fpasswd',
      '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/assets/..%5c..%5cwindows%5cwin.ini',
      '/..\\..\\windows\\win.ini',
      '/./index.html',
      '/%2e/index.html',
    ]) {
      expect(resolveAppFile(root, p), p).toBeNull();
    }
  });

  it('also refuses traversal that reaches it through URL parsing', () => {
    // The URL parser folds literal and %2e dot segments; encoded slashes survive to the resolver.
    for (const u of ['app://pmw/../../etc/passwd', 'app://pmw/%2e%2e/%2e%2e/etc/passwd', 'app://pmw/..%2f..%2fetc%2fpasswd']) {
      const r = resolveAppFile(root, pathOf(u));
      expect(r === null || r.startsWith(root + sep), u).toBe(true);
    }
    expect(resolveAppFile(root, pathOf('app://pmw/..%2f..%2fetc%2fpasswd'))).toBeNull();
  });

  it('refuses NUL bytes, control characters, drive letters, dot-files, empty segments and bad escapes', () => {
    for (const p of ['/index.html%00.png', '/a%0ab', '/C:/Windows/win.ini', '/C%3A%5CWindows', '/.env', '/assets/.git/config', '//etc/passwd', '/assets//x.js', '/%E0%A4%A', '/%', 'index.html']) {
      expect(resolveAppFile(root, p), p).toBeNull();
    }
  });

  it('refuses a relative root and absurdly long paths', () => {
    expect(resolveAppFile('dist/renderer', '/index.html')).toBeNull();
    expect(resolveAppFile(root, '/' + 'a'.repeat(5000))).toBeNull();
  });

  it('names content types for what Vite emits', () => {
    expect(contentTypeFor('/x/index.html')).toMatch(/^text\/html/);
    expect(contentTypeFor('/x/a.JS')).toMatch(/^text\/javascript/);
    expect(contentTypeFor('/x/a.css')).toMatch(/^text\/css/);
    expect(contentTypeFor('/x/font.woff2')).toBe('font/woff2');
    expect(contentTypeFor('/x/unknown.bin')).toBe('application/octet-stream');
  });
});

describe('navigation, senders, requests, links, permissions', () => {
  it('allows navigation only within app://pmw', () => {
    expect(isAllowedNavigation('app://pmw/index.html')).toBe(true);
    expect(isAllowedNavigation('app://pmw/index.html#/incidents/INC-0001')).toBe(true);
    for (const u of [
      'https://evil.example/',
      'http://127.0.0.1:5173/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'app://pmw.evil.example/index.html',
      'app://pmw:8080/index.html',
      'app://user:pw@pmw/index.html',
      'APP://other/',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'chrome://settings',
      '',
      'not a url',
      undefined,
      42,
    ]) {
      expect(isAllowedNavigation(u), String(u)).toBe(false);
    }
  });

  it('trusts IPC only from frames showing our origin', () => {
    expect(isTrustedSender('app://pmw/index.html')).toBe(true);
    expect(isTrustedSender('app://pmw/index.html#/')).toBe(true);
    for (const u of ['https://evil.example/index.html', 'app://evil/index.html', 'file:///index.html', 'about:blank', '', null]) {
      expect(isTrustedSender(u), String(u)).toBe(false);
    }
  });

  it('opens only https links externally (and only after the user confirms, in main.ts)', () => {
    expect(isSafeExternalUrl('https://sre.google/sre-book/postmortem-culture/')).toBe(true);
    expect(isSafeExternalUrl('https://grafana.internal:3000/d/abc')).toBe(true);
    for (const u of ['http://grafana.internal:3000/d/abc', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'https://user:pw@example.com/', 'app://pmw/', 'https://', 'x'.repeat(9000)]) {
      expect(isSafeExternalUrl(u), u.slice(0, 40)).toBe(false);
    }
  });

  it('keeps the renderer off the network', () => {
    expect(isAllowedRequest('app://pmw/assets/index.js')).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA')).toBe(true);
    expect(isAllowedRequest('blob:app://pmw/5b1c7c1e-0000-0000-0000-000000000000')).toBe(true);
    // DevTools' schemes only where DevTools can open (development); a packaged app denies them.
    expect(isAllowedRequest('devtools://devtools/bundled/devtools_app.html', false)).toBe(true);
    expect(isAllowedRequest('chrome-extension://abc/x.js', false)).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/devtools_app.html')).toBe(false);
    expect(isAllowedRequest('chrome-extension://abc/x.js', true)).toBe(false);
    for (const u of ['https://evil.example/x.js', 'http://127.0.0.1:8080/api', 'wss://evil.example/', 'file:///etc/passwd', 'ftp://x/', 'app://evil/x.js']) {
      expect(isAllowedRequest(u), u).toBe(false);
    }
  });

  it('refuses every permission except clipboard writes from our origin', () => {
    expect(isAllowedPermission('clipboard-sanitized-write', 'app://pmw/index.html')).toBe(true);
    expect(isAllowedPermission('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'usb', 'serial']) {
      expect(isAllowedPermission(p, 'app://pmw/index.html'), p).toBe(false);
    }
  });
});

describe('parseWindowState', () => {
  it('reads a valid state', () => {
    expect(parseWindowState('{"x":10,"y":20,"width":1400,"height":900,"maximized":true}')).toEqual({ x: 10, y: 20, width: 1400, height: 900, maximized: true });
    expect(parseWindowState({ width: 1000, height: 700 })).toEqual({ width: 1000, height: 700, maximized: false });
  });

  it('falls back to the default for garbage', () => {
    for (const j of ['', 'not json', 'null', '[]', '42', '{"width":"1400","height":900}', '{"width":1400}', '{"width":-5,"height":900}', '{"width":1e9,"height":900}', '{"width":1400.5,"height":900}', 'x'.repeat(5000), null, undefined]) {
      expect(parseWindowState(j), String(j).slice(0, 30)).toEqual(DEFAULT_WINDOW_STATE);
    }
  });

  it('clamps tiny sizes and drops a half-given or absurd position', () => {
    expect(parseWindowState('{"width":10,"height":10}')).toMatchObject({ width: 720, height: 480 });
    expect(parseWindowState('{"width":1000,"height":800,"x":5}')).toEqual({ width: 1000, height: 800, maximized: false });
    expect(parseWindowState('{"width":1000,"height":800,"x":5,"y":1e12}')).toEqual({ width: 1000, height: 800, maximized: false });
    expect(parseWindowState('{"width":1000,"height":800,"maximized":"yes"}').maximized).toBe(false);
  });

  it('keeps a position only when the title bar is on a display', () => {
    const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    const onScreen = { x: 100, y: 100, width: 1200, height: 800, maximized: false };
    expect(placeWindow(onScreen, displays)).toEqual(onScreen);
    const unplugged = { x: 2500, y: 100, width: 1200, height: 800, maximized: false };
    expect(placeWindow(unplugged, displays)).toEqual({ width: 1200, height: 800, maximized: false });
    expect(placeWindow({ ...onScreen, y: -500 }, displays)).toEqual({ width: 1200, height: 800, maximized: false });
    expect(placeWindow(unplugged, [...displays, { x: 1920, y: 0, width: 2560, height: 1440 }])).toEqual(unplugged);
  });
});

describe('database path and native binding location', () => {
  const userData = resolve('/home/u/.config/Postmortem Workbench');
  it('takes --db=PATH, then --db PATH, then PMW_DB, then userData/workbench.db', () => {
    expect(resolveElectronDbPath(['electron', '.', '--db=/tmp/a.db'], { PMW_DB: '/tmp/b.db' }, userData)).toBe(resolve('/tmp/a.db'));
    expect(resolveElectronDbPath(['app', '--db', '/tmp/c.db'], {}, userData)).toBe(resolve('/tmp/c.db'));
    expect(resolveElectronDbPath(['app'], { PMW_DB: '/tmp/b.db' }, userData)).toBe(resolve('/tmp/b.db'));
    expect(resolveElectronDbPath(['app', '--db='], {}, userData)).toBe(join(userData, 'workbench.db'));
    expect(resolveElectronDbPath(['app', '--db', '--inspect'], {}, userData)).toBe(join(userData, 'workbench.db'));
  });

  it('looks for the Electron-ABI binding in resources when packaged, in .native/ in development', () => {
    const base = { env: {}, appPath: resolve('/src/pmw'), electronVersion: '45.4.1', platform: 'linux', arch: 'x64' };
    expect(nativeBindingRelPath('45.4.1', 'linux', 'x64')).toBe(join('.native', 'electron-45.4.1', 'linux-x64', 'better_sqlite3.node'));
    expect(nativeBindingCandidates({ ...base, packaged: false })).toEqual([join(resolve('/src/pmw'), '.native', 'electron-45.4.1', 'linux-x64', 'better_sqlite3.node')]);
    const packaged = nativeBindingCandidates({ ...base, packaged: true, resourcesPath: resolve('/opt/PMW/resources'), appPath: resolve('/opt/PMW/resources/app.asar') });
    expect(packaged[0]).toBe(join(resolve('/opt/PMW/resources'), 'native', 'better_sqlite3.node'));
    expect(nativeBindingCandidates({ ...base, packaged: false, env: { PMW_NATIVE_BINDING: '/x/b.node' } })[0]).toBe(resolve('/x/b.node'));
    // A packaged app ignores the variable (it would load arbitrary native code).
    expect(nativeBindingCandidates({ ...base, packaged: true, resourcesPath: resolve('/opt/PMW/resources'), env: { PMW_NATIVE_BINDING: '/x/b.node' } })).not.toContain(resolve('/x/b.node'));
  });
});
