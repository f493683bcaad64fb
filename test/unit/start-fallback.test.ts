// `npm start` where no Electron binary can be had: it says why, serves the web host and opens the
// browser (BROWSER here: a script that records the URL), or prints the URL where there is no browser.
// Real processes: scripts/start-electron.mjs → bin/pmw.cjs serve, fetched over HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers';

const ROOT = join(__dirname, '..', '..');
const running: ChildProcess[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) {
    if (c.exitCode === null) {
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }
  }
  cleanups.splice(0).forEach((c) => c());
});

function start(env: Record<string, string | undefined>, args: string[]): Promise<{ out: string; url: string }> {
  const merged: Record<string, string | undefined> = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: join(ROOT, '.tmp', 'no-electron-here'), CI: '1', ...env };
  // An undefined value would reach the child as the string "undefined": leave those variables out.
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start-electron.mjs'), ...args], {
    cwd: ROOT,
    env: merged as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 60 s:\n${out}`)), 60_000);
    const on = (d: Buffer) => {
      out += d.toString();
      const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
      if (m && /browser/i.test(out.slice(out.indexOf(m[1])))) {
        clearTimeout(timer);
        resolve({ out, url: m[1] });
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before serving:\n${out}`));
    });
  });
}

describe('npm start without an Electron binary', () => {
  it('says why, serves the web host on the given database and opens the system browser on its URL', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const seen = join(t.dir, 'browser-was-asked-for.txt');
    const browser = join(t.dir, 'fake-browser.sh');
    writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > '${seen}'\n`);
    chmodSync(browser, 0o755);
    const db = join(t.dir, 'start.db');
    const { out, url } = await start({ BROWSER: browser, PMW_NO_BROWSER: undefined }, ['--db', db]);
    expect(out).toContain('The desktop app cannot start here:');
    expect(out).toContain('no-electron-here');
    expect(out).toContain('Starting the same workbench in your browser instead');
    expect(out).toContain(`Database: ${db}`);
    expect(out).toContain('Opened it in your browser.');
    // The browser got the URL (token included), and the host answers on it.
    await expect.poll(() => (existsSync(seen) ? readFileSync(seen, 'utf8') : ''), { timeout: 10_000 }).toBe(url);
    const u = new URL(url);
    expect((await fetch(`${u.origin}/`)).status).toBe(200);
    const token = decodeURIComponent(u.hash.replace('#token=', ''));
    const info = await (await fetch(`${u.origin}/api/app:info`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pmw-token': token }, body: '{}' })).json();
    expect(info.data.dbPath).toBe(db);
    expect(info.data.host).toBe('web');
  }, 90_000);

  it('prints the URL, saying why, where there is no browser to open', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { out } = await start({ BROWSER: undefined, DISPLAY: undefined, WAYLAND_DISPLAY: undefined, PMW_NO_BROWSER: process.platform === 'linux' ? undefined : '1' }, ['--db', join(t.dir, 'x.db')]);
    expect(out).toMatch(/Not opening a browser: (there is no graphical session here \(neither DISPLAY nor WAYLAND_DISPLAY is set\)|PMW_NO_BROWSER=1 is set)\. Open the URL above in one\./);
  }, 90_000);
});
