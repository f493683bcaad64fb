// Backups through SQLite itself (VACUUM INTO: a consistent snapshot of a live WAL database, never a
// file copy), kept in <data folder>/backups as owner-only files: automatically once a day and before
// every migration (the last PMW_BACKUP_KEEP of each, default 7), on demand (never pruned). The
// artifact store's companion (`<backup>-blobs`) is hard-linked from the previous backup when the
// store has not changed since, so daily backups of a large store cost no space.
//
// Restore checks the backup's integrity and schema version first, moves the current database aside
// (kept as a pre-restore backup; nothing is ever deleted) and puts a copy of the backup in its place.
import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { BACKUP_KINDS, type BackupInfo, type BackupKind, type RestoreResult } from '../../shared/backups';
import { ApiError } from '../../shared/api/errors';
import { binding, inspectDbFile, latestVersion, quickCheck, type Db } from './db';
import { blobFilePath, type BlobFile } from './blobs';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export function backupDir(dbPath: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.PMW_BACKUP_DIR ? resolve(env.PMW_BACKUP_DIR) : join(dirname(resolve(dbPath)), 'backups');
}

/** How many automatic backups of each kind are kept (PMW_BACKUP_KEEP, default 7). */
export function backupKeep(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.PMW_BACKUP_KEEP);
  return Number.isInteger(v) && v >= 1 ? v : 7;
}

/** Hours between automatic backups (PMW_BACKUP_EVERY_HOURS, default 24; 0 turns them off). */
export function backupEveryMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.PMW_BACKUP_EVERY_HOURS);
  return (Number.isFinite(v) && v >= 0 ? v : 24) * 3600_000;
}

const stem = (dbPath: string) => basename(dbPath).replace(/\.db$/i, '');
const NAME = /^(.+)\.(\d{4}-\d\d-\d\dT\d{6}\.\d{3}Z)\.([a-z-]+)\.db$/;

function stampOf(d: Date): string {
  return d.toISOString().replace(/:/g, '');
}
function dateOf(stamp: string): string {
  return `${stamp.slice(0, 13)}:${stamp.slice(13, 15)}:${stamp.slice(15)}`;
}

function ensureDir(dir: string) {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: DIR_MODE });
}

function size(p: string): number {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
}

function info(file: string): BackupInfo | null {
  const m = NAME.exec(basename(file));
  if (!m || !(BACKUP_KINDS as readonly string[]).includes(m[3])) return null;
  const blobs = blobFilePath(file);
  const hasBlobs = existsSync(blobs);
  return { file, name: basename(file), kind: m[3] as BackupKind, createdAt: dateOf(m[2]), size: size(file), blobSize: hasBlobs ? size(blobs) : 0, hasBlobs };
}

/** Backups of this database, newest first. */
export function listBackups(dbPath: string, env: NodeJS.ProcessEnv = process.env): BackupInfo[] {
  const dir = backupDir(dbPath, env);
  if (!existsSync(dir)) return [];
  const want = stem(dbPath);
  return readdirSync(dir)
    .map((f) => (NAME.exec(f)?.[1] === want ? info(join(dir, f)) : null))
    .filter((b): b is BackupInfo => !!b)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
}

/** A name in the backups folder that is not taken. */
function target(dbPath: string, kind: BackupKind, env: NodeJS.ProcessEnv, when = new Date()): string {
  const dir = backupDir(dbPath, env);
  ensureDir(dir);
  for (let t = when.getTime(); ; t++) {
    const file = join(dir, `${stem(dbPath)}.${stampOf(new Date(t))}.${kind}.db`);
    if (!existsSync(file) && !existsSync(blobFilePath(file))) return file;
  }
}

/** A consistent snapshot of the open database into `dest` (owner-only), written under a temp name first. */
export function snapshot(db: Database.Database, dest: string): void {
  const tmp = `${dest}.${process.pid}.partial`;
  rmSync(tmp, { force: true });
  try {
    db.prepare('VACUUM INTO ?').run(tmp);
    chmodSync(tmp, FILE_MODE);
    renameSync(tmp, dest);
  } finally {
    rmSync(tmp, { force: true });
  }
}

function blobSignature(db: Database.Database): string {
  const r = db.prepare('SELECT count(*) AS n, coalesce(max(id), 0) AS m, coalesce(sum(complete), 0) AS c FROM sets').get() as { n: number; m: number; c: number };
  return `${r.n}/${r.m}/${r.c}`;
}

/**
 * The artifact store beside a backup: a hard link to the newest earlier companion when the store has
 * not changed since (no space, no time), otherwise a snapshot.
 */
/** A hard link to the newest earlier companion when the store has not changed since; false when a copy is needed. */
function linkUnchangedBlobs(file: BlobFile, dest: string, dbPath: string, env: NodeJS.ProcessEnv): boolean {
  const sig = blobSignature(file.db);
  for (const b of listBackups(dbPath, env)) {
    if (!b.hasBlobs) continue;
    const prev = blobFilePath(b.file);
    try {
      const old = new Database(prev, { readonly: true, fileMustExist: true, ...binding() });
      const same = (() => {
        try {
          return blobSignature(old) === sig;
        } finally {
          old.close();
        }
      })();
      if (same) {
        linkSync(prev, dest);
        return true;
      }
    } catch {
      /* unreadable or no hard links here: take a snapshot */
    }
    break;
  }
  return false;
}

function snapshotBlobs(file: BlobFile, dest: string, dbPath: string, env: NodeJS.ProcessEnv) {
  if (!linkUnchangedBlobs(file, dest, dbPath, env)) snapshot(file.db, dest);
}

/**
 * The same backup for long-running hosts: the artifact store (possibly gigabytes) is copied with
 * SQLite's online backup API in steps, so the event loop keeps turning meanwhile.
 */
export async function createBackupInSteps(src: BackupSource, kind: BackupKind, env: NodeJS.ProcessEnv = process.env): Promise<BackupInfo> {
  const dest = target(src.dbPath, kind, env);
  const blobDest = blobFilePath(dest);
  snapshot(src.db, dest);
  try {
    if (src.blobs && src.blobs.db.prepare('SELECT 1 FROM sets LIMIT 1').get() && !linkUnchangedBlobs(src.blobs, blobDest, src.dbPath, env)) {
      const tmp = `${blobDest}.${process.pid}.partial`;
      try {
        await src.blobs.db.backup(tmp);
        chmodSync(tmp, FILE_MODE);
        renameSync(tmp, blobDest);
      } finally {
        rmSync(tmp, { force: true });
      }
    }
  } catch (e) {
    rmSync(dest, { force: true });
    rmSync(blobDest, { force: true });
    throw e;
  }
  pruneBackups(src.dbPath, backupKeep(env), env);
  return info(dest)!;
}

export interface BackupSource {
  db: Db;
  dbPath: string;
  blobs?: BlobFile | null;
}

/** Take a backup now. `manual` backups may go to a chosen file (`pmw backup --out FILE`). */
export function createBackup(src: BackupSource, kind: BackupKind, out?: string, env: NodeJS.ProcessEnv = process.env): BackupInfo {
  if (src.dbPath === ':memory:') throw new ApiError('VALIDATION', 'An in-memory database has no backups');
  const dest = out ? resolve(out) : target(src.dbPath, kind, env);
  if (out) {
    if (existsSync(dest)) throw new ApiError('CONFLICT', `${dest} exists already; choose a new file name (nothing was overwritten).`, { issues: [{ field: 'out', message: 'exists' }] });
    mkdirSync(dirname(dest), { recursive: true, mode: DIR_MODE });
  }
  const blobDest = blobFilePath(dest);
  snapshot(src.db, dest);
  try {
    if (src.blobs && src.blobs.db.prepare('SELECT 1 FROM sets LIMIT 1').get()) {
      if (!out) snapshotBlobs(src.blobs, blobDest, src.dbPath, env);
      else snapshot(src.blobs.db, blobDest);
    }
  } catch (e) {
    rmSync(dest, { force: true });
    rmSync(blobDest, { force: true });
    throw e;
  }
  if (!out) pruneBackups(src.dbPath, backupKeep(env), env);
  const made = info(dest);
  return made ?? { file: dest, name: basename(dest), kind, createdAt: new Date().toISOString(), size: size(dest), blobSize: size(blobDest), hasBlobs: existsSync(blobDest) };
}

/** The pre-migration snapshot (the incident database only: migrations never touch the artifact store). */
export function backupBeforeMigration(db: Database.Database, dbPath: string, env: NodeJS.ProcessEnv = process.env): string {
  const dest = target(dbPath, 'pre-migration', env);
  snapshot(db, dest);
  pruneBackups(dbPath, backupKeep(env), env);
  return dest;
}

/** Automatic kinds keep the newest `keep` each; manual and pre-restore backups are never removed. */
export function pruneBackups(dbPath: string, keep: number, env: NodeJS.ProcessEnv = process.env): string[] {
  const removed: string[] = [];
  for (const kind of ['daily', 'pre-migration'] as const) {
    for (const b of listBackups(dbPath, env).filter((x) => x.kind === kind).slice(keep)) {
      rmSync(b.file, { force: true });
      rmSync(blobFilePath(b.file), { force: true });
      removed.push(b.file);
    }
  }
  return removed;
}

/** When the newest backup is older than the interval (and there is something to keep), take a daily one. */
export function dailyBackupDue(dbPath: string, db: Db, env: NodeJS.ProcessEnv = process.env, now = Date.now()): boolean {
  const every = backupEveryMs(env);
  if (!every || dbPath === ':memory:') return false;
  if (!db.prepare('SELECT 1 FROM incidents LIMIT 1').get()) return false;
  const newest = listBackups(dbPath, env).find((b) => b.kind !== 'pre-restore');
  return !newest || now - Date.parse(newest.createdAt) >= every;
}

export interface Verified {
  schemaVersion: number;
  incidents: number;
  problems: string[];
}

/** Open a backup read-only and check it: SQLite header, integrity_check (or quick_check), schema. */
export function verifyBackup(file: string, opts: { full?: boolean; nativeBinding?: string } = {}): Verified {
  const state = inspectDbFile(file);
  if (state !== 'sqlite') return { schemaVersion: 0, incidents: 0, problems: [state === 'missing' ? `${file} does not exist` : state === 'empty' ? `${file} is empty (0 bytes)` : `${file} is not an SQLite database`] };
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, ...binding(opts.nativeBinding) });
  } catch (e) {
    return { schemaVersion: 0, incidents: 0, problems: [`${file} cannot be opened: ${(e as Error).message}`] };
  }
  try {
    const problems = opts.full
      ? (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).filter((m) => m !== 'ok')
      : quickCheck(db);
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    let incidents = 0;
    if (!problems.length) {
      const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'incidents'").get();
      if (!hasTable || schemaVersion < 1) problems.push(`${file} is an SQLite database but not a Postmortem Workbench one (no incidents table)`);
      else incidents = (db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n;
    }
    return { schemaVersion, incidents, problems };
  } catch (e) {
    return { schemaVersion: 0, incidents: 0, problems: [(e as Error).message] };
  } finally {
    db.close();
  }
}

/** The newest backup that passes a quick check, for the message about a damaged database. */
export function newestGoodBackup(dbPath: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const b of listBackups(dbPath, env)) {
    if (!verifyBackup(b.file).problems.length) return b.file;
  }
  return null;
}

/** Give a file a second name (hard link; a copy where links are not possible). The original stays in place. */
function keepAside(from: string, to: string) {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
  try {
    chmodSync(to, FILE_MODE);
  } catch {
    /* best effort */
  }
}

function moveAside(from: string, to: string) {
  if (!existsSync(from)) return;
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    copyFileSync(from, to);
    rmSync(from);
  }
  try {
    chmodSync(to, FILE_MODE);
  } catch {
    /* best effort */
  }
}

/**
 * Restore `file` to `dbPath`. The database must be closed by every connection of this process.
 * Refused, changing nothing, when the backup is damaged, not ours, or from a newer version.
 */
export function restoreBackup(dbPath: string, file: string, opts: { nativeBinding?: string; env?: NodeJS.ProcessEnv } = {}): { keptAside: string | null; verified: Verified } {
  const env = opts.env ?? process.env;
  const src = resolve(file);
  if (resolve(dbPath) === src) throw new ApiError('VALIDATION', `${file} is the database itself, not a backup of it`, { issues: [{ field: 'file', message: 'the current database' }] });
  const v = verifyBackup(src, { full: true, nativeBinding: opts.nativeBinding });
  if (v.problems.length) {
    throw new ApiError('VALIDATION', `The backup ${file} cannot be restored: ${v.problems.slice(0, 3).join('; ')}. Nothing was changed.`, {
      issues: [{ field: 'file', message: v.problems[0] }],
    });
  }
  const latest = latestVersion();
  if (v.schemaVersion > latest) {
    throw new ApiError('CONFLICT', `The backup ${file} was written by a newer version (schema ${v.schemaVersion}; this version knows up to ${latest}). Nothing was changed.`, {
      schemaVersion: v.schemaVersion,
      supported: latest,
    });
  }
  const srcBlobs = blobFilePath(src);
  const withBlobs = existsSync(srcBlobs);
  if (withBlobs) {
    const b = verifyBlobCompanion(srcBlobs, opts.nativeBinding);
    if (b) throw new ApiError('VALIDATION', `The artifact store of the backup (${srcBlobs}) is damaged: ${b}. Nothing was changed.`, { issues: [{ field: 'file', message: b }] });
  }
  // Stage the copy first: nothing at the database path changes until it is complete.
  const staging = `${dbPath}.restoring-${process.pid}`;
  const stagingBlobs = `${blobFilePath(dbPath)}.restoring-${process.pid}`;
  mkdirSync(dirname(resolve(dbPath)), { recursive: true });
  try {
    copyFileSync(src, staging);
    chmodSync(staging, FILE_MODE);
    if (withBlobs) {
      copyFileSync(srcBlobs, stagingBlobs);
      chmodSync(stagingBlobs, FILE_MODE);
    }
    // The swap is safe to interrupt at any point: the current file gets a second name (a hard link,
    // it stays in place), its empty WAL moves along with that name, and the restored copy replaces it
    // in one rename. The artifact store goes second: an interrupted restore leaves the new database
    // with the old store, which holds everything the new one refers to (the store only grows).
    let keptAside: string | null = null;
    if (existsSync(dbPath) || existsSync(`${dbPath}-wal`)) {
      checkpointQuietly(dbPath, opts.nativeBinding);
      const aside = target(dbPath, 'pre-restore', env);
      if (existsSync(dbPath)) keepAside(dbPath, aside);
      moveAside(`${dbPath}-wal`, `${aside}-wal`);
      moveAside(`${dbPath}-shm`, `${aside}-shm`);
      keptAside = aside;
    }
    renameSync(staging, dbPath);
    if (withBlobs) {
      const blobs = blobFilePath(dbPath);
      if (keptAside && existsSync(blobs)) keepAside(blobs, blobFilePath(keptAside));
      moveAside(`${blobs}-journal`, `${blobFilePath(keptAside ?? `${dbPath}.orphan`)}-journal`);
      renameSync(stagingBlobs, blobs);
    }
    return { keptAside, verified: v };
  } finally {
    rmSync(staging, { force: true });
    rmSync(stagingBlobs, { force: true });
  }
}

function verifyBlobCompanion(path: string, nativeBinding?: string): string | null {
  if (inspectDbFile(path) !== 'sqlite') return 'not an SQLite file';
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true, ...binding(nativeBinding) });
    try {
      const p = quickCheck(db);
      return p.length ? p[0] : null;
    } finally {
      db.close();
    }
  } catch (e) {
    return (e as Error).message;
  }
}

/** Fold the WAL into the database file before it is moved aside, so the kept file stands alone. */
function checkpointQuietly(dbPath: string, nativeBinding?: string) {
  if (inspectDbFile(dbPath) !== 'sqlite') return;
  try {
    const db = new Database(dbPath, { fileMustExist: true, ...binding(nativeBinding) });
    try {
      db.pragma('busy_timeout = 2000');
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch {
    /* damaged: moved as it is, WAL included */
  }
}

export type { BackupInfo, BackupKind, RestoreResult };
