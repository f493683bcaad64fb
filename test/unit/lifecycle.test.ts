// Stopping and starting: the web host on SIGINT/SIGTERM (stops accepting, finishes the call in flight,
// closes idle keep-alive sockets, exits), the CLI on Ctrl+C mid-command (exit 130, nothing
// half-written), and the Electron app host (database work in a worker thread, not the main one).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { RemoteApp, StartError } from '../../main/host/remote';
import { tempDir } from './helpers';

const root = join(__dirname, '..', '..');
const pmw = join(root, 'bin', 'pmw.cjs');
beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'all', '--if-needed']);
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
function dir() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}
function exited(p: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => p.once('exit', (code, signal) => resolve({ code, signal })));
}

async function serve(dbPath: string, env: Record<string, string> = {}) {
  const p = spawn(process.execPath, [pmw, 'serve', '--no-build', '--db', dbPath], { env: { ...process.env, PMW_BACKUP_EVERY_HOURS: '0', ...env } });
  cleanups.unshift(() => p.exitCode === null && p.kill('SIGKILL'));
  let out = '';
  let err = '';
  p.stderr.on('data', (b) => (err += b));
  const url = await new Promise<string>((resolve, reject) => {
    p.stdout.on('data', (b) => {
      out += b;
      const m = /Open: (http:\/\/127\.0\.0\.1:(\d+)\/#token=(\S+))/.exec(out);
      if (m) resolve(m[1]);
    });
    p.once('exit', () => reject(new Error(`pmw serve exited: ${err}`)));
  });
  const m = /:(\d+)\/#token=(\S+)/.exec(url)!;
  return { p, port: Number(m[1]), token: m[2], stderr: () => err };
}

function call(port: number, token: string, channel: string, body: unknown, agent?: Agent): Promise<{ status: number; body: any; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: `/api/${channel}`, agent, headers: { host: `127.0.0.1:${port}`, 'x-pmw-token': token, 'content-type': 'application/json' } }, (res) => {
      let b = '';
      res.on('data', (c) => (b += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(b), connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('web host shutdown', () => {
  it('on SIGTERM finishes the call in flight, closes an idle keep-alive socket and exits, though the browser stays', async () => {
    const d = dir();
    const s = await serve(join(d, 'wb.db'), { PMW_WORKER_MIN_MS: '1200' });
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    cleanups.unshift(() => agent.destroy());
    await call(s.port, s.token, 'incident:create', { title: 'x', severity: 'SEV3', failureClass: 'data' }, agent);
    for (const [n, t] of [['a.txt', 'one\n'], ['b.txt', 'two\n']]) {
      await call(s.port, s.token, 'artifact:addText', { key: 'INC-0001', role: n === 'a.txt' ? 'last-known-good' : 'failing', name: n, text: t }, agent);
    }
    // An idle keep-alive socket (the browser's) is open now; a slow call goes out on another.
    const slow = call(s.port, s.token, 'artifact:diff', { key: 'INC-0001', beforeId: 1, afterId: 2 });
    await new Promise((r) => setTimeout(r, 300));
    const exit = exited(s.p);
    s.p.kill('SIGTERM');
    const answered = await slow;
    expect(answered.status).toBe(200);
    expect(answered.connection).toBe('close');
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(s.stderr()).toContain('SIGTERM: stopping');
    // Stopped cleanly: the WAL was folded in.
    const db = new Database(join(d, 'wb.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM artifacts').get()).toEqual({ n: 2 });
    db.close();
  }, 30_000);
});

describe('CLI interrupted', () => {
  it('exits 130 on Ctrl+C in the middle of a command', async () => {
    const d = dir();
    writeFileSync(join(d, 'a.yaml'), 'k: one\n');
    writeFileSync(join(d, 'b.yaml'), 'k: two\n');
    const p = spawn(process.execPath, [pmw, 'diff', join(d, 'a.yaml'), join(d, 'b.yaml')], { env: { ...process.env, PMW_WORKER_MIN_MS: '20000' } });
    let err = '';
    p.stderr.on('data', (b) => (err += b));
    cleanups.unshift(() => p.exitCode === null && p.kill('SIGKILL'));
    // Mid-command: wait until its diff worker thread is up (Linux shows threads in /proc), else a while.
    const threads = () => {
      try {
        return Number(/^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'))?.[1] ?? 0);
      } catch {
        return 0;
      }
    };
    await new Promise((r) => setTimeout(r, 500));
    const base = threads();
    for (let i = 0; i < 200 && base && threads() <= base; i++) await new Promise((r) => setTimeout(r, 50));
    if (!base) await new Promise((r) => setTimeout(r, 3000));
    const exit = exited(p);
    p.kill('SIGINT');
    expect(await exit).toEqual({ code: 130, signal: null });
    expect(err).toContain('interrupted');
  }, 30_000);

  it('a capture killed half-way (kill -9) leaves nothing once the store is opened again', async () => {
    const d = dir();
    const db = join(d, 'wb.db');
    await exited(spawn(process.execPath, [pmw, 'incident', 'new', '--db', db, '--title', 'T', '--severity', 'SEV3', '--class', 'data']));
    const big = join(d, 'big.bin');
    writeFileSync(big, Buffer.alloc(200 * 1024 * 1024, 1));
    const p = spawn(process.execPath, [pmw, 'artifact', 'add', 'INC-0001', '--role', 'failing', big, '--db', db]);
    const exit = exited(p);
    // Kill it as soon as its set exists in the artifact store (chunks are being written).
    const store = `${db}-blobs`;
    let killed = false;
    for (let i = 0; i < 400 && !killed && p.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 10));
      try {
        const s = new Database(store, { readonly: true, fileMustExist: true });
        const n = (s.prepare('SELECT count(*) AS n FROM sets').get() as { n: number }).n;
        s.close();
        if (n > 0) {
          p.kill('SIGKILL');
          killed = true;
        }
      } catch {
        /* not there yet, or being written */
      }
    }
    await exit;
    if (!killed) return expect.fail('the capture finished before it could be killed; nothing was tested');
    const { createApp } = await import('../../main/app');
    const app = createApp({ dbPath: db, host: 'cli' });
    try {
      expect(app.startup.orphanSets).toBe(1);
      expect(app.blobs.file.db.prepare('SELECT (SELECT count(*) FROM sets) + (SELECT count(*) FROM chunks) AS n').get()).toEqual({ n: 0 });
      expect(app.db.prepare('SELECT (SELECT count(*) FROM artifacts) + (SELECT count(*) FROM blobs) AS n').get()).toEqual({ n: 0 });
      expect(app.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      app.close();
    }
  }, 60_000);
});

describe('desktop app host', () => {
  it('runs the app in a worker thread: calls answer through it, and a damaged file is refused with the backup to restore', async () => {
    const d = dir();
    const dbPath = join(d, 'wb.db');
    const remote = await RemoteApp.open({ dbPath });
    const created = await remote.dispatch('incident:create', { title: 'From the worker', severity: 'SEV2', failureClass: 'data' });
    expect(created).toMatchObject({ ok: true, data: { key: 'INC-0001', revision: 1 } });
    const b = await remote.dispatch('backup:create', {});
    expect(b.ok).toBe(true);
    const bad = await remote.dispatch('incident:get', { key: 'nope' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await remote.close();
    writeFileSync(dbPath, 'not a database at all');
    const e = await RemoteApp.open({ dbPath }).catch((x) => x);
    expect(e).toBeInstanceOf(StartError);
    expect((e as StartError).error.code).toBe('CORRUPT');
    const backup = (e as StartError).error.details?.backup as string;
    expect(backup).toMatch(/\.manual\.db$/);
    // The dialog's "Restore Backup" starts the worker with restoreFirst.
    const restored = await RemoteApp.open({ dbPath, restoreFirst: backup });
    expect(restored.restoredFrom?.keptAside).toMatch(/pre-restore\.db$/);
    expect(await restored.dispatch('incident:list', {})).toMatchObject({ ok: true, data: { items: [{ title: 'From the worker' }] } });
    await restored.close();
  }, 30_000);
});
