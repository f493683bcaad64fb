// Concurrent writers on one database file: optimistic concurrency (revision / baseRevision →
// CONFLICT 409), busy retries that never surface as a 500, and a stress run with several processes
// (pmw CLI invocations, a web host, CLI loops) writing at once: 0 errors, 0 lost updates, integrity ok.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { createApp, type App } from '../../main/app';
import { startWebHost, type WebHost } from '../../main/web/server';
import { writeTx } from '../../main/store/tx';
import { tempDir } from './helpers';

const root = join(__dirname, '..', '..');
const cliBundle = join(root, 'dist', 'main', 'cli.cjs');
const pmw = join(root, 'bin', 'pmw.cjs');

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'main', '--if-needed']);
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return { dir: t.dir, dbPath: join(t.dir, 'wb.db') };
}
async function host(dbPath: string): Promise<{ app: App; web: WebHost }> {
  const app = createApp({ dbPath, host: 'web' });
  const web = await startWebHost({ app, staticDir: join(root, 'dist', 'renderer') });
  cleanups.unshift(async () => {
    await web.close();
    app.close();
  });
  return { app, web };
}
function call(web: WebHost, channel: string, body: unknown): Promise<{ status: number; body: { ok: boolean; data?: any; error?: { code: string; message: string; details?: any } } }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: web.port, method: 'POST', path: `/api/${channel}`, headers: { host: `127.0.0.1:${web.port}`, 'x-pmw-token': web.token, 'content-type': 'application/json' } },
      (res) => {
        let b = '';
        res.on('data', (c) => (b += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(b) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, args, { env: { ...process.env, PMW_BACKUP_EVERY_HOURS: '0', ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (err += b));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('optimistic concurrency', () => {
  it('every mutation bumps the revision; one based on a stale revision is refused with CONFLICT and saves nothing', async () => {
    const { dbPath } = setup();
    const app = createApp({ dbPath, host: 'cli' });
    cleanups.unshift(() => app.close());
    const inc = await app.call('incident:create', { title: 'Latency', severity: 'SEV2', failureClass: 'serving' });
    expect(inc.revision).toBe(1);
    const a = await app.call('incident:update', { key: inc.key, baseRevision: 1, patch: { impact: 'p99 up' } });
    expect(a.revision).toBe(2);
    await app.call('timeline:add', { key: inc.key, baseRevision: 2, kind: 'note', body: 'paged' });
    const b = await app.call('incident:get', { key: inc.key });
    expect(b.revision).toBe(3);
    await app.call('incident:setRole', { key: inc.key, role: 'scribe', person: 'kim' });
    await app.call('incident:check', { key: inc.key, baseRevision: 4, phase: 'acknowledge', itemId: (await import('../../shared/playbook')).checklistFor('serving', 'acknowledge')[0].id, checked: true });
    expect((await app.call('incident:get', { key: inc.key })).revision).toBe(5);
    // Stale: based on revision 2 while it is at 5.
    await expect(app.call('incident:update', { key: inc.key, baseRevision: 2, patch: { impact: 'overwritten?' } })).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { revision: 5, baseRevision: 2, stale: true },
    });
    await expect(app.call('timeline:add', { key: inc.key, baseRevision: 3, kind: 'note', body: 'lost?' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const after = await app.call('incident:get', { key: inc.key });
    expect(after.impact).toBe('p99 up');
    expect(after.revision).toBe(5);
    expect(after.timeline.map((e) => e.body)).not.toContain('lost?');
  });

  it('two web hosts on one file: two advances based on the same revision move the phase once, log one phase event, the other gets 409', async () => {
    const { dbPath } = setup();
    const h1 = await host(dbPath);
    const h2 = await host(dbPath);
    const created = await call(h1.web, 'incident:create', { title: 'Drift', severity: 'SEV2', failureClass: 'data' });
    const { key, revision } = created.body.data;
    const [r1, r2] = await Promise.all([
      call(h1.web, 'incident:advance', { key, baseRevision: revision, reason: 'owner on it' }),
      call(h2.web, 'incident:advance', { key, baseRevision: revision, reason: 'owner on it' }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
    const loser = r1.status === 409 ? r1 : r2;
    expect(loser.body.error?.code).toBe('CONFLICT');
    const inc = (await call(h2.web, 'incident:get', { key })).body.data;
    expect(inc.phase).toBe('assess');
    expect(inc.timeline.filter((e: { kind: string }) => e.kind === 'phase_change')).toHaveLength(2); // opened + one advance
  });

  it('a writer that cannot get the lock within the budget gets BUSY (503), not a 500, and nothing is half-written', async () => {
    const { dbPath } = setup();
    const { web } = await host(dbPath);
    await call(web, 'incident:create', { title: 'x', severity: 'SEV3', failureClass: 'data' });
    // Another connection (as another process would) holds the write lock.
    const other = new Database(dbPath);
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    const saved = process.env.PMW_BUSY_BUDGET_MS;
    process.env.PMW_BUSY_BUDGET_MS = '300';
    const app2 = createApp({ dbPath, host: 'cli' });
    app2.db.pragma('busy_timeout = 100');
    try {
      const env = await app2.dispatch('timeline:add', { key: 'INC-0001', kind: 'note', body: 'while locked' });
      expect(env).toMatchObject({ ok: false, error: { code: 'BUSY' } });
      expect(!env.ok && env.error.message).toMatch(/database is busy.*Nothing was changed/);
    } finally {
      if (saved === undefined) delete process.env.PMW_BUSY_BUDGET_MS;
      else process.env.PMW_BUSY_BUDGET_MS = saved;
      other.exec('ROLLBACK');
      other.close();
      app2.close();
    }
    const inc = (await call(web, 'incident:get', { key: 'INC-0001' })).body.data;
    expect(inc.timeline.map((e: { body: string }) => e.body)).not.toContain('while locked');
  });

  it('writeTx retries a transaction that met SQLITE_BUSY (SQLite\'s own wait off) until the other writer lets go', async () => {
    const { dbPath } = setup();
    const app = createApp({ dbPath, host: 'cli' });
    cleanups.unshift(() => app.close());
    // Another process takes the write lock and holds it for 400 ms.
    const holder = spawn(process.execPath, ['-e', `
      const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new D(${JSON.stringify(dbPath)});
      db.exec('BEGIN IMMEDIATE');
      process.stdout.write('locked');
      setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, 400);
    `]);
    await new Promise<void>((r) => holder.stdout.once('data', () => r()));
    app.db.pragma('busy_timeout = 0');
    let runs = 0;
    const changes = writeTx(app.db, () => {
      runs++;
      return app.db.prepare("INSERT INTO custom_scenarios (id, json, created_at, updated_at) VALUES ('s1', '{}', 'x', 'x')").run().changes;
    }, 10_000);
    expect(changes).toBe(1);
    expect(runs).toBe(1); // BEGIN IMMEDIATE failed before fn ran: retried whole, ran once
    expect(app.db.prepare('SELECT count(*) AS n FROM custom_scenarios').get()).toEqual({ n: 1 });
    await new Promise((r) => holder.once('close', r));
  });
});

describe('stress: processes writing one file', () => {
  it('pmw invocations, CLI loops and a web host at once: 0 errors, 0 lost updates, integrity ok', async () => {
    const { dbPath } = setup();
    const { web } = await host(dbPath);
    const SHARED = 8; // incidents every writer advances, in the same order (so advances collide)
    for (let i = 0; i < SHARED; i++) await call(web, 'incident:create', { title: `Shared ${i}`, severity: 'SEV1', failureClass: 'serving' });
    const keys = Array.from({ length: SHARED }, (_, i) => `INC-${String(i + 1).padStart(4, '0')}`);
    const LOOPS = 3;
    const NOTES = 10;
    const NEW_SPAWNS = 8;
    const WEB_NOTES = 30;
    // A CLI loop: one process running pmw commands in-process (each opens and closes the database, as a pmw run does).
    const loop = (n: number) =>
      run(['-e', `
        const cli = require(${JSON.stringify(cliBundle)});
        const io = { out() {}, err(s) { process.stderr.write(s); } };
        const db = ['--db', ${JSON.stringify(dbPath)}];
        const keys = ${JSON.stringify(keys)};
        (async () => {
          let bad = 0;
          const go = async (args) => { if ((await cli.main([...args, ...db], io)) !== 0) bad++; };
          for (const key of keys) await go(['incident', 'advance', key, '--reason', 'loop ${n}']);
          for (let i = 0; i < ${NOTES}; i++) await go(['incident', 'note', keys[i % keys.length], 'loop ${n} note ' + i]);
          await go(['incident', 'new', '--title', 'from loop ${n}', '--severity', 'SEV3', '--class', 'data']);
          process.exit(bad ? 1 : 0);
        })();
      `]);
    // Eight parallel \`pmw incident new\` (each its own process).
    const created = (n: number) => run([pmw, 'incident', 'new', '--title', `spawned ${n}`, '--severity', 'SEV3', '--class', 'data', '--db', dbPath]);
    const webWrites = async () => {
      const out = [];
      for (const key of keys) out.push(call(web, 'incident:advance', { key, reason: 'web' }));
      for (let i = 0; i < WEB_NOTES; i++) out.push(call(web, 'timeline:add', { key: keys[i % keys.length], kind: 'note', body: `web note ${i}` }));
      return Promise.all(out);
    };
    const results = await Promise.all([...Array.from({ length: LOOPS }, (_, i) => loop(i)), ...Array.from({ length: NEW_SPAWNS }, (_, i) => created(i)), webWrites()]);
    const procs = results.slice(0, -1) as { code: number | null; err: string }[];
    const webResults = results[results.length - 1] as { status: number; body: unknown }[];
    expect(procs.map((p) => p.err).join('')).toBe('');
    expect(procs.map((p) => p.code)).toEqual(procs.map(() => 0));
    expect(webResults.filter((r) => r.status !== 200)).toEqual([]);

    const db = new Database(dbPath, { readonly: true });
    try {
      // Every creation is there, with its own key.
      const incidents = db.prepare('SELECT key, phase, revision, id FROM incidents ORDER BY seq').all() as { key: string; phase: string; revision: number; id: number }[];
      expect(incidents).toHaveLength(SHARED + LOOPS + NEW_SPAWNS);
      expect(new Set(incidents.map((i) => i.key)).size).toBe(incidents.length);
      const events = (id: number, kind: string) => (db.prepare('SELECT body FROM timeline_events WHERE incident_id = ? AND kind = ?').all(id, kind) as { body: string }[]).map((e) => e.body);
      for (const inc of incidents.slice(0, SHARED)) {
        // LOOPS + 1 advances each: acknowledge → assess → investigate → mitigate → resolve, every one logged once.
        expect(inc.phase, inc.key).toBe('resolve');
        expect(events(inc.id, 'phase_change'), inc.key).toHaveLength(1 + LOOPS + 1);
      }
      const notes = incidents.slice(0, SHARED).flatMap((i) => events(i.id, 'note'));
      expect(notes).toHaveLength(LOOPS * NOTES + WEB_NOTES);
      expect(new Set(notes).size).toBe(notes.length);
      // One revision bump per mutation.
      const mutations = incidents.slice(0, SHARED).reduce((n, i) => n + events(i.id, 'note').length + LOOPS + 1, 0);
      expect(incidents.slice(0, SHARED).reduce((n, i) => n + i.revision - 1, 0)).toBe(mutations);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  }, 120_000);
});
