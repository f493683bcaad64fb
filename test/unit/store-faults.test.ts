// The store under faults: files at the database path that are not a healthy database, the blob file
// (written once, nothing for a duplicate, orphans of dead writers collected), backups and restore,
// pmw doctor. Real SQLite files in a temp dir.
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { createApp } from '../../main/app';
import { openDb, latestVersion, loadMigrations } from '../../main/store/db';
import { BlobFile, blobFilePath, collectOrphans } from '../../main/store/blobs';
import { backupDir, createBackup, createBackupInSteps, dailyBackupDue, listBackups, pruneBackups, restoreBackup } from '../../main/store/backup';
import { removeStaleUploads, staleUploads } from '../../main/store/cleanup';
import { tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}
const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');
const isPosix = process.platform !== 'win32';

function appAt(dbPath: string, extra: Partial<Parameters<typeof createApp>[0]> = {}) {
  const app = createApp({ dbPath, host: 'cli', ...extra });
  cleanups.unshift(() => {
    try {
      app.close();
    } catch {
      /* closed */
    }
  });
  return app;
}

describe('files at the database path', () => {
  it('refuses a 0-byte file instead of replacing it with an empty database, and leaves it as it was', () => {
    const d = dir();
    const path = join(d, 'wb.db');
    writeFileSync(path, '');
    expect(() => openDb(path)).toThrow(/wb\.db is an empty file \(0 bytes\), not a Postmortem Workbench database\. It was left untouched/);
    expect(statSync(path).size).toBe(0);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses a file that is not SQLite, byte for byte untouched', () => {
    const path = join(dir(), 'notes.db');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(100));
    const before = sha(readFileSync(path));
    let code = '';
    try {
      openDb(path);
    } catch (e) {
      code = (e as { code: string }).code;
      expect((e as Error).message).toMatch(/notes\.db is not an SQLite database/);
    }
    expect(code).toBe('CORRUPT');
    expect(sha(readFileSync(path))).toBe(before);
  });

  it('notices garbage in data pages at open (quick_check) and points at the newest good backup', () => {
    const d = dir();
    const path = join(d, 'wb.db');
    const app = createApp({ dbPath: path, host: 'cli' });
    for (let i = 0; i < 200; i++) {
      app.db.prepare("INSERT INTO incidents (seq,key,title,severity,failure_class,phase,detected_at,created_at,updated_at) VALUES (?,?,?,'SEV3','data','acknowledge','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z')").run(i + 1, `INC-${String(i + 1).padStart(4, '0')}`, 'x'.repeat(300));
    }
    const backup = app.backup();
    app.close();
    // Overwrite the middle of the file (data pages, not the header) with garbage.
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    let err: { code?: string; message?: string; details?: { backup?: string } } = {};
    try {
      createApp({ dbPath: path, host: 'cli' }).close();
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.code).toBe('CORRUPT');
    expect(err.message).toMatch(/The database .*wb\.db is damaged/);
    expect(err.message).toContain(`pmw restore "${backup.file}"`);
    expect(err.details?.backup).toBe(backup.file);
  });

  it('past PMW_OPEN_CHECK_MB opens without reading every page, and damage met on a read is the same CORRUPT error', async () => {
    const d = dir();
    const path = join(d, 'wb.db');
    const app = createApp({ dbPath: path, host: 'cli' });
    const insert = app.db.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        app.db.prepare("INSERT INTO incidents (seq,key,title,severity,failure_class,phase,detected_at,created_at,updated_at) VALUES (?,?,?,'SEV3','data','acknowledge','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z')").run(i + 1, `INC-${String(i + 1).padStart(4, '0')}`, 'x'.repeat(300));
      }
    });
    insert();
    const backup = app.backup();
    app.db.pragma('wal_checkpoint(TRUNCATE)');
    // A leaf page of the incidents table, in the middle of it.
    const leaves = app.db.prepare("SELECT pageno FROM dbstat WHERE name = 'incidents' AND pagetype = 'leaf' ORDER BY pageno").pluck().all() as number[];
    const pageSize = app.db.pragma('page_size', { simple: true }) as number;
    app.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (leaves[leaves.length >> 1] - 1) * pageSize);
    closeSync(fd);
    const prev = process.env.PMW_OPEN_CHECK_MB;
    process.env.PMW_OPEN_CHECK_MB = '0'; // every file is "large"
    try {
      const opened = createApp({ dbPath: path, host: 'cli' });
      let err: { code?: string; message?: string; details?: { backup?: string } } = {};
      try {
        // Opening each incident in turn: one of them lives on the damaged page.
        for (let i = 1; i <= 3000 && !err.code; i++) await opened.call('incident:get', { key: `INC-${String(i).padStart(4, '0')}` }).catch((e) => (err = e as typeof err));
      } finally {
        opened.close();
      }
      expect(err.code).toBe('CORRUPT');
      expect(err.message).toMatch(/The database .*wb\.db is damaged/);
      expect(err.details?.backup).toBe(backup.file);
    } finally {
      if (prev === undefined) delete process.env.PMW_OPEN_CHECK_MB;
      else process.env.PMW_OPEN_CHECK_MB = prev;
    }
  });

  it('creates a new database whole: many processes opening a missing path at once all succeed', async () => {
    const path = join(dir(), 'fresh', 'wb.db');
    const cli = join(__dirname, '..', '..', 'bin', 'pmw.cjs');
    const runs = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        new Promise<{ code: number | null; err: string }>((resolve) => {
          const p = spawn(process.execPath, [cli, 'incident', 'new', '--db', path, '--title', `T${i}`, '--severity', 'SEV3', '--class', 'data'], { env: { ...process.env, PMW_BACKUP_EVERY_HOURS: '0' } });
          let err = '';
          p.stderr.on('data', (b) => (err += b));
          p.on('close', (code) => resolve({ code, err }));
        }),
      ),
    );
    expect(runs.map((r) => r.err).join('')).toBe('');
    expect(runs.every((r) => r.code === 0)).toBe(true);
    const db = new Database(path, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n).toBe(6);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
    db.close();
    expect(readdirSync(join(path, '..')).filter((f) => f.endsWith('.creating'))).toEqual([]);
  });
});

describe('the blob file', () => {
  it('writes a capture once under its final key, and nothing at all for content already stored', async () => {
    const d = dir();
    const app = appAt(join(d, 'wb.db'));
    await app.call('incident:create', { title: 'x', severity: 'SEV3', failureClass: 'data' });
    const big = Buffer.alloc(9 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    const file = join(d, 'model.bin');
    writeFileSync(file, big);
    const a = await app.call('artifact:addPath', { key: 'INC-0001', role: 'failing', path: file });
    expect(a.sha256).toBe(sha(big));
    const store = app.blobs.file.db;
    // Three 4 MB chunks under one set, marked complete with the digest: no temporary key, no rename.
    expect(store.prepare('SELECT set_id, idx, length(data) AS n FROM chunks ORDER BY idx').all()).toEqual([
      { set_id: 1, idx: 0, n: 4 * 1024 * 1024 },
      { set_id: 1, idx: 1, n: 4 * 1024 * 1024 },
      { set_id: 1, idx: 2, n: 1024 * 1024 + 123 },
    ]);
    expect(store.prepare('SELECT id, sha256, size, complete FROM sets').all()).toEqual([{ id: 1, sha256: a.sha256, size: big.length, complete: 1 }]);
    const blobBytes = statSync(blobFilePath(join(d, 'wb.db'))).size;
    const dbBytes = statSync(join(d, 'wb.db')).size + (existsSync(join(d, 'wb.db-wal')) ? statSync(join(d, 'wb.db-wal')).size : 0);
    // The same content again (another name, another role): neither file grows.
    const copy = join(d, 'copy.bin');
    writeFileSync(copy, big);
    const b = await app.call('artifact:addPath', { key: 'INC-0001', role: 'last-known-good', path: copy });
    expect(b.sha256).toBe(a.sha256);
    expect(statSync(blobFilePath(join(d, 'wb.db'))).size).toBe(blobBytes);
    expect(store.prepare('SELECT count(*) AS n FROM sets').get()).toEqual({ n: 1 });
    expect(statSync(join(d, 'wb.db')).size + (existsSync(join(d, 'wb.db-wal')) ? statSync(join(d, 'wb.db-wal')).size : 0)).toBeLessThanOrEqual(dbBytes + 64 * 1024);
    const content = app.blobs.read(a.sha256);
    expect(sha(content)).toBe(a.sha256);
  });

  it('reads artifacts captured before the blob file existed (chunks in the database)', () => {
    const d = dir();
    const path = join(d, 'wb.db');
    const old = openDb(path, { migrations: loadMigrations().filter((m) => m.version <= 4) });
    const bytes = Buffer.from('numpy==1.26.4\n');
    old.prepare('INSERT INTO blobs (sha256, size, chunk_size, created_at) VALUES (?, ?, ?, ?)').run(sha(bytes), bytes.length, 4194304, '2026-01-01T00:00:00Z');
    old.prepare('INSERT INTO blob_chunks (sha256, idx, data) VALUES (?, 0, ?)').run(sha(bytes), bytes);
    old.close();
    const app = appAt(path);
    expect(Buffer.from(app.blobs.read(sha(bytes))).toString()).toBe('numpy==1.26.4\n');
    // And a pre-migration backup was taken before 0006 ran.
    expect(listBackups(path).map((b) => b.kind)).toContain('pre-migration');
  });

  it('collects sets left by a writer that died, and leaves a live writer’s set alone', () => {
    const d = dir();
    const path = join(d, 'wb.db');
    const app = appAt(path);
    const file = new BlobFile(blobFilePath(path));
    cleanups.unshift(() => file.close());
    const now = new Date().toISOString();
    file.db.prepare("INSERT INTO sets (id, owner, created_at) VALUES (100, 'nohost-but-this/1/1', ?)").run(now);
    file.db.prepare(`INSERT INTO sets (id, owner, created_at) VALUES (101, ?, ?)`).run(`${hostname()}/999999/1`, now);
    file.db.prepare(`INSERT INTO sets (id, owner, created_at) VALUES (102, ?, ?)`).run(`${hostname()}/${process.pid}/${Math.round(Date.now() / 1000 - process.uptime())}`, now);
    for (const id of [100, 101, 102]) file.db.prepare('INSERT INTO chunks (set_id, idx, data) VALUES (?, 0, ?)').run(id, Buffer.alloc(1000));
    const r = collectOrphans(app.db, file);
    expect(r).toEqual({ sets: 1, bytes: 1000 });
    expect((file.db.prepare('SELECT id FROM sets ORDER BY id').all() as { id: number }[]).map((x) => x.id)).toEqual([100, 102]);
  });
});

describe('backups and restore', () => {
  it('backs up online into an owner-only folder, daily when due, keeping the last N automatic ones', async () => {
    const d = dir();
    const path = join(d, 'data', 'wb.db');
    const app = appAt(path);
    await app.call('incident:create', { title: 'kept', severity: 'SEV2', failureClass: 'data' });
    expect(dailyBackupDue(path, app.db)).toBe(true);
    const first = createBackup({ db: app.db, dbPath: path, blobs: app.blobs.file }, 'daily');
    expect(dailyBackupDue(path, app.db)).toBe(false);
    expect(dailyBackupDue(path, app.db, process.env, Date.now() + 25 * 3600_000)).toBe(true);
    if (isPosix) {
      expect(statSync(backupDir(path)).mode & 0o777).toBe(0o700);
      expect(statSync(first.file).mode & 0o777).toBe(0o600);
    }
    for (let i = 0; i < 4; i++) createBackup({ db: app.db, dbPath: path, blobs: app.blobs.file }, 'daily');
    const manual = app.backup();
    expect(pruneBackups(path, 2)).toHaveLength(3);
    const left = listBackups(path);
    expect(left.filter((b) => b.kind === 'daily')).toHaveLength(2);
    expect(left.map((b) => b.file)).toContain(manual.file);
    const check = new Database(manual.file, { readonly: true });
    expect(check.prepare('SELECT title FROM incidents').all()).toEqual([{ title: 'kept' }]);
    check.close();
  });

  it('hard-links the artifact store of the previous backup when it has not changed', async () => {
    if (!isPosix) return;
    const d = dir();
    const path = join(d, 'wb.db');
    const app = appAt(path);
    await app.call('incident:create', { title: 'x', severity: 'SEV2', failureClass: 'data' });
    await app.call('artifact:addText', { key: 'INC-0001', role: 'failing', name: 'a.txt', text: 'hello' });
    const a = app.backup();
    const b = app.backup();
    expect(a.hasBlobs && b.hasBlobs).toBe(true);
    expect(statSync(blobFilePath(b.file)).ino).toBe(statSync(blobFilePath(a.file)).ino);
    await app.call('artifact:addText', { key: 'INC-0001', role: 'failing', name: 'b.txt', text: 'changed' });
    const c = app.backup();
    expect(statSync(blobFilePath(c.file)).ino).not.toBe(statSync(blobFilePath(a.file)).ino);
  });

  it('hosts back up the artifact store in steps (online backup API): same result, whole', async () => {
    const d = dir();
    const path = join(d, 'wb.db');
    const app = appAt(path);
    await app.call('incident:create', { title: 'x', severity: 'SEV2', failureClass: 'data' });
    await app.call('artifact:addText', { key: 'INC-0001', role: 'failing', name: 'a.txt', text: 'bytes to keep '.repeat(50_000) });
    const b = await createBackupInSteps({ db: app.db, dbPath: path, blobs: app.blobs.file }, 'daily');
    expect(b).toMatchObject({ kind: 'daily', hasBlobs: true });
    const store = new Database(blobFilePath(b.file), { readonly: true });
    expect(store.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((store.prepare('SELECT sum(length(data)) AS n FROM chunks').get() as { n: number }).n).toBe(14 * 50_000);
    store.close();
    if (isPosix) expect(statSync(blobFilePath(b.file)).mode & 0o777).toBe(0o600);
  });

  it('restores a backup: the current database is kept aside, the backup file stays, artifacts come back', async () => {
    const d = dir();
    const path = join(d, 'wb.db');
    const app = appAt(path);
    await app.call('incident:create', { title: 'before', severity: 'SEV2', failureClass: 'data' });
    await app.call('artifact:addText', { key: 'INC-0001', role: 'failing', name: 'a.txt', text: 'bytes in the backup' });
    const b = app.backup();
    await app.call('incident:create', { title: 'after the backup', severity: 'SEV2', failureClass: 'data' });
    const r = await app.call('backup:restore', { name: b.name });
    expect(r.incidents).toBe(1);
    expect(r.keptAside).toMatch(/pre-restore\.db$/);
    expect(existsSync(b.file)).toBe(true);
    expect((await app.call('incident:list', {})).items.map((i) => i.title)).toEqual(['before']);
    const [art] = await app.call('artifact:list', { key: 'INC-0001' });
    expect((await app.call('artifact:content', { key: 'INC-0001', id: art.id })).text).toBe('bytes in the backup');
    // What was current is there, whole.
    const aside = new Database(r.keptAside!, { readonly: true });
    expect((aside.prepare('SELECT title FROM incidents ORDER BY seq').all() as { title: string }[]).map((x) => x.title)).toEqual(['before', 'after the backup']);
    aside.close();
    expect(listBackups(path).some((x) => x.kind === 'pre-restore')).toBe(true);
  });

  it('refuses a damaged backup or one from a newer version, changing nothing', () => {
    const d = dir();
    const path = join(d, 'wb.db');
    const app = appAt(path);
    app.db.prepare("INSERT INTO incidents (seq,key,title,severity,failure_class,phase,detected_at,created_at,updated_at) VALUES (1,'INC-0001','current','SEV3','data','acknowledge','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z')").run();
    app.close();
    const before = sha(readFileSync(path));
    const garbage = join(d, 'garbage.db');
    writeFileSync(garbage, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(8192, 0x5a)]));
    expect(() => restoreBackup(path, garbage)).toThrow(/cannot be restored.*Nothing was changed/);
    const future = join(d, 'future.db');
    const f = new Database(future);
    f.exec('CREATE TABLE incidents (x)');
    f.pragma('user_version = 9999');
    f.close();
    expect(() => restoreBackup(path, future)).toThrow(/newer version \(schema 9999/);
    expect(sha(readFileSync(path))).toBe(before);
    expect(listBackups(path).filter((b) => b.kind === 'pre-restore')).toEqual([]);
  });

  it('restores over a damaged database (the CLI does not need to open it first)', async () => {
    const d = dir();
    const path = join(d, 'wb.db');
    const app = createApp({ dbPath: path, host: 'cli' });
    await app.call('incident:create', { title: 'saved', severity: 'SEV2', failureClass: 'data' });
    const b = app.backup();
    app.close();
    writeFileSync(path, '');
    const r = restoreBackup(path, b.file);
    expect(statSync(r.keptAside!).size).toBe(0);
    const again = appAt(path);
    expect((await again.call('incident:list', {})).items.map((i) => i.title)).toEqual(['saved']);
  });
});

describe('clean-up and doctor', () => {
  it('removes upload spools of dead hosts at start and keeps a live host’s', () => {
    const tmp = dir();
    const dead = join(tmp, 'pmw-upload-999999-abc');
    const live = join(tmp, `pmw-upload-${process.pid}-def`);
    const legacy = join(tmp, 'pmw-upload-Xy12');
    for (const p of [dead, live, legacy]) {
      mkdirSync(p);
      writeFileSync(join(p, 'upload.bin'), Buffer.alloc(2048));
    }
    const old = new Date(Date.now() - 3600_000);
    utimesSync(legacy, old, old);
    expect(staleUploads(tmp).map((e) => e.path).sort()).toEqual([dead, legacy].sort());
    expect(removeStaleUploads(tmp)).toEqual({ removed: 2, bytes: 4096 });
    expect(existsSync(live)).toBe(true);
  });

  it('pmw doctor reports integrity, foreign keys, WAL, stored bytes, leftovers and backups, each by name', async () => {
    const d = dir();
    const path = join(d, 'wb.db');
    const app = appAt(path);
    await app.call('incident:create', { title: 'x', severity: 'SEV2', failureClass: 'data' });
    await app.call('artifact:addText', { key: 'INC-0001', role: 'failing', name: 'a.txt', text: 'hello' });
    let r = await app.doctor();
    expect(r.checks.map((c) => c.id)).toEqual(['integrity', 'foreign-keys', 'schema', 'wal', 'artifact-store', 'blobs', 'temp', 'exports', 'backups']);
    expect(Object.fromEntries(r.checks.map((c) => [c.id, c.status]))).toMatchObject({ integrity: 'ok', 'foreign-keys': 'ok', schema: 'ok', 'artifact-store': 'ok', blobs: 'ok', backups: 'warn' });
    // Damage the index: an artifact whose bytes are gone, and a dangling foreign key.
    app.blobs.file.db.prepare('DELETE FROM chunks').run();
    app.db.pragma('foreign_keys = OFF');
    app.db.prepare("INSERT INTO timeline_events (incident_id, kind, body, phase, occurred_at, captured_at) VALUES (42, 'note', 'orphan', 'acknowledge', 'x', 'x')").run();
    app.db.pragma('foreign_keys = ON');
    r = await app.doctor();
    const by = Object.fromEntries(r.checks.map((c) => [c.id, c]));
    expect(by.blobs.status).toBe('fail');
    expect(by.blobs.detail).toMatch(/1 with bytes missing from the artifact store/);
    expect(by['foreign-keys'].status).toBe('fail');
    expect(by['foreign-keys'].detail).toMatch(/1 row\(s\) of timeline_events point at missing parents/);
    expect(r.status).toBe('fail');
  });
});
