// `pmw incident show KEY` runs from its own small bundle (dist/main/cli-read.cjs, issue 14). It must say
// exactly what the full command (dist/main/cli-app.cjs) says, in every case a user meets: a real
// incident in text and JSON (secrets masked), a key that is not there, a damaged store, a store from a
// newer version, and a store from an older version (upgraded, with a backup first). Both paths run as
// real processes over the built bundles.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { latestVersion, loadMigrations, openDb } from '../../main/store/db';
import { listBackups } from '../../main/store/backup';
import { makeCorpus } from './secrets-corpus';
import { tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'pmw.cjs');
const appBundle = join(root, 'dist', 'main', 'cli-app.cjs');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
const run = (args: string[]): Run => {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, PMW_COMPILE_CACHE: '0' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const pmw = (...argv: string[]) => run([bin, ...argv]);
/** `pmw incident show KEY` through the full command bundle, as it ran before the fast path. */
function fullShow(db: string, key: string, json = false): Run {
  const a = { positionals: ['incident', 'show', key], flags: { db, ...(json ? { json: true } : {}) } };
  const io = '{ out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }';
  return run(['-e', `require(${JSON.stringify(appBundle)}).incident(${JSON.stringify(a)}, ${io}).then((c) => { process.exitCode = c; })`]);
}
const fastShow = (db: string, key: string, json = false) => pmw('incident', 'show', key, '--db', db, ...(json ? ['--json'] : []));
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('pmw incident show (the read bundle) says what the full command says', () => {
  it('a real incident, in text and JSON, with secrets masked', () => {
    const db = join(dir(), 'wb.db');
    const c = makeCorpus();
    const ok = (r: Run) => expect(r.status, r.stderr).toBe(0);
    ok(pmw('incident', 'new', '--db', db, '--title', 'Fraud model recall fell after the feature store migration', '--severity', 'SEV2', '--class', 'data', '--service', 'fraud-scoring', '--impact', 'chargebacks up 3x'));
    ok(pmw('incident', 'role', 'INC-0001', 'incident_commander', 'Dana Ortiz', '--db', db));
    ok(pmw('incident', 'note', 'INC-0001', `Job log shows ${c.dbUrl} in the connector config`, '--db', db));
    ok(pmw('incident', 'advance', 'INC-0001', '--reason', 'owner paged', '--db', db));
    ok(pmw('incident', 'set', 'INC-0001', '--hypothesis', 'schema drift in merchant_category', '--db', db));
    ok(pmw('incident', 'note', 'INC-0001', '--kind', 'evidence', 'null rate of merchant_category 0.1% → 31%', '--db', db));

    for (const json of [false, true]) {
      const fast = fastShow(db, 'INC-0001', json);
      const full = fullShow(db, 'INC-0001', json);
      ok(fast);
      expect(fast).toEqual(full);
      expect(fast.stdout).toContain('schema drift in merchant_category');
      expect(fast.stdout).not.toContain(c.dbPassword);
    }
    expect(fastShow(db, 'INC-0001').stdout).toContain('incident_commander=Dana Ortiz');
  });

  it('a key that is not there, in text and JSON', () => {
    const db = join(dir(), 'wb.db');
    expect(pmw('incident', 'new', '--db', db, '--title', 'ETL failed at 3 AM', '--severity', 'SEV3', '--class', 'data').status).toBe(0);
    for (const json of [false, true]) {
      const fast = fastShow(db, 'INC-0042', json);
      expect(fast.status).toBe(2);
      expect(fast.stderr).toContain('No incident INC-0042');
      expect(fast).toEqual(fullShow(db, 'INC-0042', json));
    }
  });

  it('a damaged store: the same CORRUPT error naming the newest good backup, the file untouched', () => {
    const d = dir();
    const db = join(d, 'wb.db');
    expect(pmw('incident', 'new', '--db', db, '--title', 'x', '--severity', 'SEV3', '--class', 'data').status).toBe(0);
    const w = openDb(db);
    for (let i = 0; i < 200; i++) w.prepare("INSERT INTO incidents (seq,key,title,severity,failure_class,phase,detected_at,created_at,updated_at) VALUES (?,?,?,'SEV3','data','acknowledge','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z')").run(i + 2, `INC-${String(i + 2).padStart(4, '0')}`, 'x'.repeat(300));
    w.pragma('wal_checkpoint(TRUNCATE)');
    w.close();
    expect(pmw('backup', '--db', db).status).toBe(0);
    const size = statSync(db).size;
    const fd = openSync(db, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const before = sha(db);
    const fast = fastShow(db, 'INC-0001');
    expect(fast.status).toBe(2);
    expect(fast.stderr).toMatch(/is damaged/);
    expect(fast.stderr).toContain(listBackups(db).filter((b) => b.kind === 'manual')[0].file);
    expect(fast).toEqual(fullShow(db, 'INC-0001'));
    expect(sha(db)).toBe(before);
  });

  it('a store from a newer version is refused, unchanged', () => {
    const db = join(dir(), 'wb.db');
    openDb(db).close();
    const f = new Database(db);
    f.pragma('user_version = 9999');
    f.close();
    const before = sha(db);
    const fast = fastShow(db, 'INC-0001');
    expect(fast.status).toBe(2);
    expect(fast.stderr).toContain('written by a newer version');
    expect(fast).toEqual(fullShow(db, 'INC-0001'));
    expect(sha(db)).toBe(before);
  });

  it('a store from an older version is upgraded, with a backup first, as every command does', () => {
    const base = dir();
    const paths = ['fast', 'full'].map((n) => {
      mkdirSync(join(base, n));
      return join(base, n, 'wb.db');
    });
    openDb(paths[0], { migrations: loadMigrations().filter((m) => m.version <= 4) }).close();
    copyFileSync(paths[0], paths[1]);
    const fast = fastShow(paths[0], 'INC-0001');
    const full = fullShow(paths[1], 'INC-0001');
    expect(fast.status).toBe(2);
    expect(fast.stderr).toContain('No incident INC-0001');
    expect(fast).toEqual(full);
    for (const p of paths) {
      const d = new Database(p, { readonly: true });
      expect(d.pragma('user_version', { simple: true })).toBe(latestVersion());
      d.close();
    }
    const kinds = (p: string) => listBackups(p).map((b) => b.kind).sort();
    expect(kinds(paths[0])).toContain('pre-migration');
    expect(kinds(paths[0])).toEqual(kinds(paths[1]));
  });
});
