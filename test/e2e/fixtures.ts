// Starts the web host (`pmw serve --port 0 --db <temp>`) for each test, parses the printed URL and
// token, and stops it afterwards. The bundles are built once per worker, then served with --no-build.
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');

export interface WebHostHandle {
  /** The URL the host printed, with #token=… */
  url: string;
  origin: string;
  port: number;
  token: string;
  dbPath: string;
  /** Call the API directly (seeding, assertions on the database). */
  call<T = unknown>(channel: string, input?: unknown): Promise<{ status: number; body: { ok: boolean; data?: T; error?: { code: string; message: string } } }>;
}

function buildOnce() {
  for (const what of ['main', 'renderer']) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), what, '--if-needed'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build ${what} failed:\n${r.stdout}\n${r.stderr}`);
  }
}

export async function startHost(dbPath: string, extraArgs: string[] = []): Promise<{ handle: WebHostHandle; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'pmw.cjs'), 'serve', '--port', '0', '--no-build', '--db', dbPath, ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // do not leave a host running when it could not be used
      rej(new Error(`web host did not print its URL within 30 s:\n${out}`));
    }, 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_\-.~%]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`web host exited with ${code} before printing its URL:\n${out}`));
    });
  });
  const u = new URL(url);
  const token = decodeURIComponent(u.hash.replace(/^#token=/, ''));
  const origin = u.origin;
  const handle: WebHostHandle = {
    url,
    origin,
    port: Number(u.port),
    token,
    dbPath,
    async call(channel, input = {}) {
      const r = await fetch(`${origin}/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-pmw-token': token },
        body: JSON.stringify(input),
      });
      return { status: r.status, body: await r.json() };
    },
  };
  const stop = () =>
    new Promise<void>((res) => {
      if (child.exitCode !== null) return res();
      child.once('exit', () => res());
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000);
    });
  return { handle, child, stop };
}

export const test = base.extend<{ host: WebHostHandle }, { built: true }>({
  built: [
    async ({}, use) => {
      buildOnce();
      await use(true);
    },
    { scope: 'worker' },
  ],
  host: async ({ built }, use) => {
    void built;
    const dir = mkdtempSync(join(tmpdir(), 'pmw-e2e-'));
    const { handle, stop } = await startHost(join(dir, 'e2e.db'));
    try {
      await use(handle);
    } finally {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

export { expect };

/** Open the app with the printed URL (token in the hash) and wait for the shell. */
export async function openApp(page: Page, host: WebHostHandle) {
  await page.goto(host.url);
  await expect(page.getByRole('banner').getByRole('link', { name: /Postmortem Workbench/ })).toBeVisible();
}
