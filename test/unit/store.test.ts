import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { latestVersion, loadMigrations, nativeModulePath, openDb } from '../../main/store/db';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { resolveDbPath, defaultDataDir } from '../../main/store/paths';
import { tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('store', () => {
  it('hands better-sqlite3 the native module its own search would load', () => {
    const req = createRequire(import.meta.url);
    const root = dirname(req.resolve('better-sqlite3/package.json'));
    const searched = (req('bindings') as (o: object) => string)({ bindings: 'better_sqlite3.node', module_root: root, path: true });
    expect(nativeModulePath()).toBe(searched);
  });

  it('reads a migration file only when its SQL is asked for', () => {
    const d = dir();
    writeFileSync(join(d, '0001_init.sql'), 'CREATE TABLE a (x);');
    const [m] = loadMigrations(d);
    writeFileSync(join(d, '0001_init.sql'), 'CREATE TABLE b (x);');
    expect(m).toMatchObject({ version: 1, name: '0001_init.sql' });
    expect(m.sql).toBe('CREATE TABLE b (x);');
  });

  it('creates a new database at the latest schema with durable pragmas', () => {
    const path = join(dir(), 'nested', 'wb.db');
    const db = openDb(path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name);
      expect(tables).toEqual(expect.arrayContaining(['incidents', 'phase_entries', 'timeline_events', 'incident_roles', 'checklist_items']));
    } finally {
      db.close();
    }
  });

  it('applies migrations in order from an older version and records user_version', () => {
    const path = join(dir(), 'wb.db');
    const all = loadMigrations();
    const first = openDb(path, { migrations: all.slice(0, 1) });
    first.prepare("INSERT INTO incidents (seq,key,title,severity,failure_class,phase,detected_at,created_at,updated_at) VALUES (1,'INC-0001','kept','SEV3','data','acknowledge','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z')").run();
    expect(first.pragma('user_version', { simple: true })).toBe(1);
    first.close();
    const db = openDb(path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(all));
      expect((db.prepare('SELECT title FROM incidents').get() as { title: string }).title).toBe('kept');
    } finally {
      db.close();
    }
  });

  it('rolls a failing migration back completely: no half-applied schema', () => {
    const path = join(dir(), 'wb.db');
    const all = loadMigrations();
    const broken = [...all, { version: 999, name: '0999_broken.sql', sql: 'CREATE TABLE half_done (x); THIS IS NOT SQL;' }];
    expect(() => openDb(path, { migrations: broken })).toThrow(/0999_broken\.sql failed/);
    const raw = new Database(path);
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(0);
      expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('half_done','incidents')").get()).toEqual({ n: 0 });
    } finally {
      raw.close();
    }
  });

  it('refuses a database written by a newer version and leaves the file byte-for-byte untouched', () => {
    const path = join(dir(), 'future.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE from_the_future (x); INSERT INTO from_the_future VALUES (42);');
    raw.pragma('user_version = 9999');
    raw.close();
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(() => openDb(path)).toThrow(/newer version of Postmortem Workbench \(schema 9999/);
    const after = createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(after).toBe(before);
    const check = new Database(path);
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('resolves the database path: flag, then PMW_DB, then $XDG_DATA_HOME/postmortem-workbench/workbench.db', () => {
    expect(resolveDbPath('/x/flag.db', { PMW_DB: '/x/env.db' })).toBe('/x/flag.db');
    expect(resolveDbPath(undefined, { PMW_DB: '/x/env.db' })).toBe('/x/env.db');
    expect(resolveDbPath(undefined, { XDG_DATA_HOME: '/data' }).replace(/\\/g, '/')).toMatch(/^\/data\/postmortem-workbench\/workbench\.db$/);
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library[\\/]Application Support[\\/]postmortem-workbench$/);
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(/Roaming[\\/]postmortem-workbench$/);
  });

  it('keeps data across close and reopen', () => {
    const d = dir();
    mkdirSync(d, { recursive: true });
    const path = join(d, 'wb.db');
    const db = openDb(path);
    db.prepare("INSERT INTO incidents (seq,key,title,severity,failure_class,phase,detected_at,created_at,updated_at) VALUES (1,'INC-0001','persisted','SEV1','serving','assess','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z')").run();
    db.close();
    writeFileSync(join(d, 'unrelated.txt'), 'x');
    const again = openDb(path);
    expect((again.prepare('SELECT title, phase FROM incidents').get() as object)).toEqual({ title: 'persisted', phase: 'assess' });
    again.close();
  });
});
