// Electron e2e (Playwright's _electron): the real desktop app with a temp database and profile.
// Skipped, with the reason printed, where no Electron binary exists (it is downloaded from GitHub by
// `npm install`; offline CI installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1).
import { test, expect, _electron as electron, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(__dirname, '..', '..');
// Found without require('electron'), which would try to download a missing binary.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findElectronBinary } = require(join(root, 'scripts', 'electron-binary.cjs')) as {
  findElectronBinary(): { path: string | null; version: string | null; reason?: string };
};

const bin = findElectronBinary();
let skipReason: string | null = bin.path ? null : `Electron binary not available on this machine: ${bin.reason}`;
if (!skipReason && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  skipReason = 'Electron needs a display on Linux and neither DISPLAY nor WAYLAND_DISPLAY is set (run under xvfb-run)';
}
if (skipReason) console.log(`[electron e2e] skipped — ${skipReason}`);

test.skip(!!skipReason, skipReason ?? '');
test.describe.configure({ mode: 'serial' });

let work = '';
let dbPath = '';
let userData = '';
let nativeBinding = '';

test.beforeAll(async () => {
  if (skipReason) return;
  test.setTimeout(20 * 60_000); // the first run may compile better-sqlite3 for Electron
  for (const f of ['dist/main/electron-main.cjs', 'dist/main/preload.cjs', 'dist/renderer/index.html']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing — run \`npm run build\` first`);
  }
  // The Electron-ABI copy of better-sqlite3 (.native/…); built here when missing, never in node_modules.
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'native-electron.mjs')], { cwd: root, encoding: 'utf8', timeout: 19 * 60_000 });
  if (r.status !== 0) throw new Error(`could not provide better-sqlite3 for Electron:\n${r.stderr}`);
  nativeBinding = r.stdout.trim().split('\n').pop()!;
  work = mkdtempSync(join(tmpdir(), 'pmw-electron-e2e-'));
  dbPath = join(work, 'workbench.db');
  userData = join(work, 'profile');
});

test.afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

async function launch(): Promise<{ app: ElectronApplication; page: Page }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env.ELECTRON_RUN_AS_NODE;
  Object.assign(env, { PMW_DB: dbPath, PMW_USER_DATA_DIR: userData, PMW_NATIVE_BINDING: nativeBinding });
  // Chromium refuses to start as root without --no-sandbox (CI containers); the app's own
  // contextIsolation/sandbox settings are what these tests check.
  const args = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), root];
  const app = await electron.launch({ executablePath: bin.path!, args, env, cwd: root, timeout: 60_000 });
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return { app, page };
}

test('the window is locked down: app:// origin, context isolation, sandbox, no Node, no new windows', async () => {
  const { app, page } = await launch();
  try {
    expect(page.url()).toMatch(/^app:\/\/pmw\//);

    // contextBridge.exposeInMainWorld throws unless contextIsolation is on, so a working
    // window.pmw proves the isolation; the absence of require/process proves nodeIntegration is off.
    const renderer = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const pmw = w.pmw as Record<string, unknown>;
      return {
        require: typeof w.require,
        process: typeof w.process,
        module: typeof w.module,
        pmwCreate: typeof pmw?.['incident:create'],
        pmwMenu: typeof pmw?.onMenuCommand,
        contextIsolated: (w.process as { contextIsolated?: boolean } | undefined)?.contextIsolated ?? 'no process object',
        genericInvoke: ['invoke', 'send', 'ipcRenderer', 'call'].filter((k) => k in (pmw ?? {})),
        windowOpen: window.open('about:blank'),
        windowOpenApp: window.open('app://pmw/index.html', '_blank'),
      };
    });
    expect(renderer).toEqual({
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      pmwCreate: 'function',
      pmwMenu: 'function',
      contextIsolated: 'no process object',
      genericInvoke: [],
      windowOpen: null,
      windowOpenApp: null,
    });
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);

    // The API answers through the preload, on our temp database.
    const info = await page.evaluate(() => (window as unknown as { pmw: Record<string, (i: unknown) => Promise<unknown>> }).pmw['app:info']({}));
    expect(info).toMatchObject({ ok: true, data: { host: 'electron', dbPath } });
    // Bad input is refused by the main process' zod parse, as an envelope.
    const bad = await page.evaluate(() =>
      (window as unknown as { pmw: Record<string, (i: unknown) => Promise<unknown>> }).pmw['incident:create']({ title: '', severity: 'SEV9' }),
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    // app:// responses carry the CSP; traversal and the network are refused.
    const net = await page.evaluate(async () => {
      const r = await fetch('app://pmw/index.html');
      const trav = await fetch('app://pmw/..%2f..%2fpackage.json').then((x) => x.status, () => 'refused');
      const remote = await fetch('https://example.com/').then(() => 'reached', () => 'refused');
      return { csp: r.headers.get('content-security-policy'), trav, remote };
    });
    expect(net.csp).toContain("default-src 'self'");
    expect(net.trav === 404 || net.trav === 'refused').toBe(true);
    expect(net.remote).toBe('refused');

    // External links go to the system browser (stubbed here), never into the app.
    const stubbed = await app.evaluate(({ shell }) => {
      const g = globalThis as unknown as { __opened: string[] };
      g.__opened = [];
      try {
        (shell as unknown as { openExternal: (u: string) => Promise<void> }).openExternal = async (u: string) => {
          g.__opened.push(u);
        };
      } catch {
        return false;
      }
      return String(shell.openExternal).includes('__opened');
    });
    if (stubbed) {
      expect(await page.evaluate(() => window.open('https://sre.google/sre-book/postmortem-culture/'))).toBeNull();
      await page.evaluate(() => {
        window.location.href = 'https://example.com/phish';
      });
      await page.waitForTimeout(500);
      expect(page.url()).toMatch(/^app:\/\/pmw\//);
      const opened = await app.evaluate(() => (globalThis as unknown as { __opened: string[] }).__opened);
      expect(opened).toContain('https://sre.google/sre-book/postmortem-culture/');
    }
  } finally {
    await app.close();
  }
});

test('an incident created through the UI is there after closing and reopening the app', async () => {
  const title = `Fraud model accuracy dropped from 95% to 78% (${Date.now()})`;
  {
    const { app, page } = await launch();
    try {
      // The application menu's File › New Incident sends 'new-incident' to the renderer.
      await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('new-incident')?.click());
      const dialog = page.getByTestId('new-incident-dialog');
      if (!(await dialog.isVisible().catch(() => false))) await page.getByTestId('new-incident-button').click();
      await expect(dialog).toBeVisible();
      await page.locator('#ni-title').fill(title);
      await page.locator('#ni-title').press('Enter');
      await expect(page.getByTestId('incident-title')).toHaveText(title);
      await expect(page).toHaveURL(/#\/incidents\/INC-\d{4,}/);
    } finally {
      await app.close();
    }
  }
  expect(existsSync(dbPath)).toBe(true);
  const state = JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8'));
  expect(state.width).toBeGreaterThan(0);

  const { app, page } = await launch();
  try {
    await page.evaluate(() => {
      window.location.hash = '#/';
    });
    await expect(page.getByTestId('incident-row').filter({ hasText: title })).toHaveCount(1);
    await page.getByTestId('incident-row').filter({ hasText: title }).click();
    await expect(page.getByTestId('incident-title')).toHaveText(title);
  } finally {
    await app.close();
  }
});
