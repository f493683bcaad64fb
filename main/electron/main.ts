// The Electron host: one locked-down window showing the renderer from app://pmw/ (dist/renderer),
// the API contract bound to ipcMain (one handler per channel, sender checked, input parsed by zod in
// app.dispatch), an application menu, remembered window geometry, and the SQLite store opened with
// the Electron-ABI build of better-sqlite3 (see docs/native-module.md).
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeTheme,
  protocol,
  screen,
  session,
  shell,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
  type Session,
  type WebContents,
} from 'electron';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { RemoteApp, StartError } from '../host/remote';
import { ApiError } from '../../shared/api/errors';
import { CHANNEL_NAMES } from '../../shared/api/channels';
import { DESKTOP_IPC, type MenuCommand } from '../../shared/api/transport';
import { CSP } from '../web/server';
import { APP_DIR_NAME } from '../store/paths';
import {
  APP_ENTRY,
  APP_HOST,
  APP_SCHEME,
  MENU_IPC_CHANNEL,
  MIN_WINDOW,
  contentTypeFor,
  isAllowedNavigation,
  isAllowedPermission,
  isAllowedRequest,
  isSafeExternalUrl,
  isTrustedSender,
  nativeBindingCandidates,
  parseWindowState,
  placeWindow,
  resolveAppFile,
  resolveElectronDbPath,
  type WindowState,
} from './policy';

const PRODUCT_NAME = 'Postmortem Workbench';
const isMac = process.platform === 'darwin';

// Must happen before `ready`: app:// behaves like https (standard origin, secure context, fetch).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
// Every renderer sandboxed, whatever its webPreferences say.
app.enableSandbox();

// One profile folder in development and when packaged (electron-builder's productName would otherwise
// rename it): <appData>/postmortem-workbench, the folder the CLI uses on macOS and Windows too.
// PMW_USER_DATA_DIR (tests, side-by-side profiles) replaces it, which also separates the single-instance lock.
app.setName(PRODUCT_NAME);
{
  const dir = process.env.PMW_USER_DATA_DIR ? resolve(process.env.PMW_USER_DATA_DIR) : join(app.getPath('appData'), APP_DIR_NAME);
  mkdirSync(dir, { recursive: true });
  app.setPath('userData', dir);
}

let mainWindow: BrowserWindow | null = null;
/** The database, blob store and diff pool live in the app-host worker (main/host), off this thread. */
let api: RemoteApp | null = null;
let dbPath = '';
let quitting = false;

const log = (...a: unknown[]) => {
  if (process.env.PMW_DEBUG || !app.isPackaged) console.log('[pmw]', ...a);
};

// ---------------------------------------------------------------------------------------------
// Paths

/** dist/main (this bundle) → dist/renderer; the same layout inside app.asar when packaged. */
const rendererDir = resolve(__dirname, '..', 'renderer');
const preloadPath = join(__dirname, 'preload.cjs');
const windowStateFile = () => join(app.getPath('userData'), 'window-state.json');

function findNativeBinding(): string | undefined {
  const candidates = nativeBindingCandidates({
    env: process.env,
    packaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
    electronVersion: process.versions.electron,
    platform: process.platform,
    arch: process.arch,
  });
  const found = candidates.find((p) => existsSync(p));
  log(found ? `native binding: ${found}` : `no Electron native binding in ${candidates.join(', ')}; trying better-sqlite3's own build`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// app:// protocol: dist/renderer only, traversal refused, CSP on every response

let realRendererDir = rendererDir;

function textResponse(status: number, body: string): Response {
  return new Response(body, { status, headers: baseHeaders('text/plain; charset=utf-8') });
}

function baseHeaders(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': 'no-cache',
  };
}

async function serveAppFile(request: Request): Promise<Response> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return textResponse(400, 'bad request');
  }
  if (url.hostname !== APP_HOST) return textResponse(404, 'not found');
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'method not allowed');
  const file = resolveAppFile(rendererDir, url.pathname);
  if (!file) return textResponse(404, 'not found');
  // Symlinks must not lead out of dist/renderer either (realpath may be unavailable inside app.asar).
  try {
    const real = realpathSync(file);
    if (real !== realRendererDir && !real.startsWith(realRendererDir + sep)) return textResponse(404, 'not found');
  } catch {
    /* missing file: stat below answers 404 */
  }
  try {
    const st = await stat(file);
    if (!st.isFile()) return textResponse(404, 'not found');
    const headers = baseHeaders(contentTypeFor(file));
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers: { ...headers, 'content-length': String(st.size) } });
    const body = await readFile(file);
    return new Response(body, { status: 200, headers });
  } catch {
    return textResponse(404, 'not found');
  }
}

// ---------------------------------------------------------------------------------------------
// Session hardening: CSP header, network off, permissions off

function hardenSession(ses: Session) {
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, app.isPackaged);
    if (!allowed) log(`blocked request: ${details.url.slice(0, 200)}`);
    callback({ cancel: !allowed });
  });
  // Belt and braces: the protocol handler already sets the CSP; this covers any other response.
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(details.responseHeaders ?? {})) {
      if (k.toLowerCase() !== 'content-security-policy') headers[k] = v;
    }
    headers['Content-Security-Policy'] = [CSP];
    callback({ responseHeaders: headers });
  });
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const ok = isAllowedPermission(permission, details?.requestingUrl);
    if (!ok) log(`denied permission request: ${permission}`);
    callback(ok);
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    isAllowedPermission(permission, details?.requestingUrl ?? requestingOrigin),
  );
  ses.setDevicePermissionHandler(() => false);
}

// ---------------------------------------------------------------------------------------------
// Every webContents: no webviews, no new windows, no navigation away from app://pmw

/** https links only, and only after the user has seen the address and said yes. */
async function openExternally(url: string) {
  if (!isSafeExternalUrl(url)) {
    log(`refused to open ${url.slice(0, 200)}`);
    return;
  }
  const win = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
  const opts = {
    type: 'question' as const,
    title: 'Open in your browser?',
    message: 'Open this link in your web browser?',
    detail: url.length > 500 ? `${url.slice(0, 500)}…` : url,
    buttons: ['Open in Browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
  const r = await (win ? dialog.showMessageBox(win, opts) : dialog.showMessageBox(opts));
  if (r.response !== 0) return;
  await shell.openExternal(url).catch((e) => log(`openExternal failed: ${(e as Error).message}`));
}

function guardContents(contents: WebContents) {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // http(s) links open in the system browser after the check; nothing opens inside the app.
    void openExternally(url);
    return { action: 'deny' };
  });
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (isAllowedNavigation(url)) return;
    event.preventDefault();
    log(`blocked navigation to ${url.slice(0, 200)}`);
    if (isSafeExternalUrl(url)) void openExternally(url);
  };
  contents.on('will-navigate', (event, url) => guard(event, url));
  contents.on('will-redirect', (event, url) => guard(event, url));
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) {
      event.preventDefault();
      log(`blocked frame navigation to ${event.url.slice(0, 200)}`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// IPC: one handler per channel; the sender must be our window's main frame showing app://pmw

function isTrustedEvent(event: IpcMainInvokeEvent): boolean {
  const win = mainWindow;
  if (!win || win.isDestroyed()) return false;
  if (event.sender !== win.webContents) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  const main = win.webContents.mainFrame;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isTrustedSender(frame.url);
}

/** Files the user dropped or picked (input type=file opens the native dialog): the only paths artifact:addPath accepts here. */
const chosenPaths = new Set<string>();
const MAX_CHOSEN = 1000;
function allow(paths: string[]): string[] {
  const ok: string[] = [];
  for (const p of paths) {
    if (typeof p !== 'string' || !p || p.includes('\0')) continue;
    try {
      const real = realpathSync(p);
      if (chosenPaths.size >= MAX_CHOSEN) chosenPaths.delete(chosenPaths.values().next().value as string);
      chosenPaths.add(real);
      ok.push(real);
    } catch {
      /* vanished: skip */
    }
  }
  return ok;
}

function registerIpc() {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!isTrustedEvent(event)) {
        log(`refused ${channel} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
        return { ok: false, error: new ApiError('UNAUTHORIZED', 'This call is only accepted from the workbench window.').toJSON() };
      }
      if (!api) return { ok: false, error: new ApiError('INTERNAL', 'The database is not open.').toJSON() };
      if (channel === 'artifact:addPath') {
        const path = (input as { path?: unknown } | null)?.path;
        let real = '';
        try {
          real = typeof path === 'string' ? realpathSync(path) : '';
        } catch {
          /* reported below */
        }
        if (!real || !chosenPaths.has(real)) {
          return { ok: false, error: new ApiError('UNAUTHORIZED', 'Choose the file in the dialog or drop it on the window first.', { issues: [{ field: 'path', message: 'not a file you chose' }] }).toJSON() };
        }
      }
      return api.dispatch(channel, input);
    });
  }

  const trusted = (event: IpcMainInvokeEvent) => isTrustedEvent(event) && !!mainWindow && !mainWindow.isDestroyed();
  ipcMain.handle(DESKTOP_IPC.pickDirectory, async (event) => {
    if (!trusted(event)) return null;
    const r = await dialog.showOpenDialog(mainWindow!, { title: 'Choose the git repository', properties: ['openDirectory', 'createDirectory'] });
    return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
  });
  ipcMain.handle(DESKTOP_IPC.allowPaths, async (event, paths: unknown) => {
    if (!trusted(event) || !Array.isArray(paths)) return [];
    return allow(paths.filter((p): p is string => typeof p === 'string').slice(0, 100));
  });
  ipcMain.handle(DESKTOP_IPC.printToPdf, async (event, name: unknown) => {
    if (!trusted(event)) return null;
    const safe = String(name ?? 'document').replace(/[^\w.-]+/g, '-').slice(0, 100) || 'document';
    const r = await dialog.showSaveDialog(mainWindow!, { title: 'Export PDF', defaultPath: `${safe}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    if (r.canceled || !r.filePath) return null;
    const pdf = await mainWindow!.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
    writeFileSync(r.filePath, pdf);
    return r.filePath;
  });
}

// ---------------------------------------------------------------------------------------------
// Window and its remembered geometry

function readWindowState(): WindowState {
  let state = parseWindowState(null);
  try {
    state = parseWindowState(readFileSync(windowStateFile(), 'utf8'));
  } catch {
    /* first launch */
  }
  try {
    return placeWindow(state, screen.getAllDisplays().map((d) => d.workArea));
  } catch {
    return state;
  }
}

function saveWindowState(win: BrowserWindow) {
  try {
    const b = win.getNormalBounds();
    const state: WindowState = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
    const file = windowStateFile();
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, file);
  } catch (e) {
    log(`could not save the window state: ${(e as Error).message}`);
  }
}

function createWindow(): BrowserWindow {
  const state = readWindowState();
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    show: false,
    title: PRODUCT_NAME,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#111418' : '#f7f8fa',
    autoHideMenuBar: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      // Middle-click would try to open links in a new window (denied anyway); Electronegativity's AUXCLICK check.
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: true,
      devTools: !app.isPackaged || !!process.env.PMW_DEVTOOLS,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => saveWindowState(win));
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.webContents.on('render-process-gone', (_e, details) => log(`renderer gone: ${details.reason}`));
  void win.loadURL(APP_ENTRY).catch((e) => log(`load failed: ${(e as Error).message}`));
  mainWindow = win;
  return win;
}

function showWindow(): BrowserWindow {
  const win = mainWindow && !mainWindow.isDestroyed() ? mainWindow : createWindow();
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
  return win;
}

function sendMenuCommand(command: MenuCommand) {
  const existing = mainWindow && !mainWindow.isDestroyed();
  const win = showWindow();
  const send = () => win.webContents.send(MENU_IPC_CHANNEL, command);
  if (existing && !win.webContents.isLoading()) send();
  else win.webContents.once('did-finish-load', () => setTimeout(send, 300));
}

// ---------------------------------------------------------------------------------------------
// Application menu

function showAbout() {
  const detail = [
    `Version ${app.getVersion()}`,
    `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
    `Database: ${dbPath}`,
    '',
    'Offline incident response for ML systems. Nothing leaves this machine unless you export it.',
  ].join('\n');
  const opts = { type: 'info' as const, title: `About ${PRODUCT_NAME}`, message: PRODUCT_NAME, detail, buttons: ['OK'] };
  const win = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
  void (win ? dialog.showMessageBox(win, opts) : dialog.showMessageBox(opts));
}

function buildMenu(): Menu {
  // Items that send a command carry the command as id (the Electron e2e test clicks them by id).
  const cmd = (command: MenuCommand) => () => sendMenuCommand(command);
  const dev = !app.isPackaged;
  const mn = (label: string) => (isMac ? label : `&${label}`); // Alt-key mnemonics on Windows/Linux
  const template: MenuItemConstructorOptions[] = [
    ...(isMac
      ? [
          {
            label: app.name,
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: mn('File'),
      submenu: [
        { id: 'new-incident', label: 'New Incident…', accelerator: 'CmdOrCtrl+N', click: cmd('new-incident') },
        { id: 'quick-note', label: 'Quick Note', accelerator: 'CmdOrCtrl+T', click: cmd('quick-note') },
        { type: 'separator' },
        { id: 'backups', label: 'Backups…', click: cmd('backups') },
        { label: 'Show Database in Folder', click: () => dbPath && shell.showItemInFolder(dbPath) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: mn('Edit'),
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        ...(isMac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: mn('View'),
      submenu: [
        { id: 'go-incidents', label: 'Incidents', accelerator: 'CmdOrCtrl+1', click: cmd('go-incidents') },
        { id: 'find', label: 'Find…', accelerator: 'CmdOrCtrl+F', click: cmd('find') },
        { id: 'toggle-theme', label: 'Toggle Theme', accelerator: 'CmdOrCtrl+Shift+L', click: cmd('toggle-theme') },
        { type: 'separator' },
        ...(dev
          ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      label: mn('Help'),
      role: 'help',
      submenu: [{ label: `About ${PRODUCT_NAME}`, click: showAbout }],
    },
  ];
  return Menu.buildFromTemplate(template);
}

// ---------------------------------------------------------------------------------------------
// Database

async function openDatabase(): Promise<boolean> {
  dbPath = resolveElectronDbPath(process.argv, process.env, app.getPath('userData'));
  const nativeBinding = findNativeBinding();
  const start = { dbPath, ...(nativeBinding ? { nativeBinding } : {}) };
  try {
    api = await RemoteApp.open(start);
    log(`database: ${dbPath}`);
    return true;
  } catch (e) {
    const err = e instanceof StartError ? e.error : ApiError.from(e).toJSON();
    if (err.code === 'CONFLICT') {
      // A database from a newer version: refused by openDb before any write; say so and leave.
      dialog.showErrorBox(`${PRODUCT_NAME} cannot open this database`, err.message);
      return false;
    }
    if (err.code === 'CORRUPT') return offerRestore(start, err.message, typeof err.details?.backup === 'string' ? err.details.backup : null);
    const abi = /NODE_MODULE_VERSION|was compiled against a different|better_sqlite3\.node|invalid ELF|not a valid Win32|wrong ELF class|mach-o/i.test(err.message);
    const hint = abi
      ? '\n\nThe SQLite module was not built for this Electron version. In a source checkout run `npm start` ' +
        '(it builds it) or `node scripts/native-electron.mjs`. See docs/native-module.md.'
      : '';
    dialog.showErrorBox(`${PRODUCT_NAME} could not open its database`, `${dbPath}\n\n${err.message}${hint}`);
    return false;
  }
}

/** The file at the database path is empty, foreign or damaged: it is never replaced; offer the newest good backup. */
async function offerRestore(start: { dbPath: string; nativeBinding?: string }, message: string, backup: string | null): Promise<boolean> {
  if (!backup) {
    dialog.showErrorBox(`${PRODUCT_NAME} cannot open its database`, message);
    return false;
  }
  const r = await dialog.showMessageBox({
    type: 'warning',
    title: `${PRODUCT_NAME}: the database is damaged`,
    message: 'The database cannot be opened.',
    detail: `${message}\n\nRestore the newest good backup?\n${backup}\n\nThe damaged file is kept beside the backups; nothing is deleted.`,
    buttons: ['Restore Backup', 'Quit'],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  });
  if (r.response !== 0) return false;
  try {
    api = await RemoteApp.open({ ...start, restoreFirst: backup });
    const kept = api.restoredFrom?.keptAside;
    void dialog.showMessageBox({ type: 'info', title: PRODUCT_NAME, message: 'The backup was restored.', detail: `${backup}${kept ? `\n\nThe damaged database is kept as ${kept}.` : ''}`, buttons: ['OK'] });
    return true;
  } catch (e) {
    const err = e instanceof StartError ? e.error : ApiError.from(e).toJSON();
    dialog.showErrorBox(`${PRODUCT_NAME} could not restore the backup`, err.message);
    return false;
  }
}

async function closeDatabase() {
  const a = api;
  api = null;
  if (!a) return;
  try {
    await a.close();
    log('database closed');
  } catch (e) {
    log(`closing the database failed: ${(e as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

async function start() {
  app.setAboutPanelOptions({ applicationName: PRODUCT_NAME, applicationVersion: app.getVersion() });
  if (!existsSync(join(rendererDir, 'index.html'))) {
    dialog.showErrorBox(`${PRODUCT_NAME} is not built`, `No renderer in ${rendererDir}. Run \`npm run build\` (or \`npm start\`, which builds what is missing).`);
    app.exit(1);
    return;
  }
  try {
    realRendererDir = realpathSync(rendererDir);
  } catch {
    realRendererDir = rendererDir;
  }
  if (!(await openDatabase())) {
    app.exit(1);
    return;
  }
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, serveAppFile);
  registerIpc();
  Menu.setApplicationMenu(buildMenu());
  createWindow();
}

function main() {
  if (!app.requestSingleInstanceLock()) {
    // Another instance owns this profile: it focuses its window (second-instance below); we leave.
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (app.isReady() && api) showWindow();
  });
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
  app.on('window-all-closed', () => {
    if (!isMac) app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && api && BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  // Close the database (the worker checkpoints the WAL) before the process goes.
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed || !api) return;
    event.preventDefault();
    void closeDatabase().finally(() => {
      closed = true;
      app.quit();
    });
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (!quitting) app.quit();
    });
  }
  app.whenReady().then(start, (e) => {
    dialog.showErrorBox(`${PRODUCT_NAME} failed to start`, String((e as Error)?.stack ?? e));
    app.exit(1);
  });
}

main();
