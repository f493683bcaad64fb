// How every host opens the store, and what the CLI does once it is open: one place, used by the app
// (main/app.ts) and by the CLI's read-only fast path (main/cli/read-commands.ts), so both open, upgrade,
// back up and clean up a store in exactly the same way.
import { corruptError, openDb, type Db, type OpenOptions } from './db';
import type { ApiError } from '../../shared/api/errors';
import { BlobFile, blobFilePath, collectOrphans } from './blobs';
import { backupBeforeMigration, createBackup, dailyBackupDue, newestGoodBackup } from './backup';
import { removeStaleUploads } from './cleanup';

export interface StoreOptions extends OpenOptions {
  dbPath: string;
  /** Told before the schema is upgraded (the CLI says so for a large store, where it takes a while). */
  onMigrate?: (from: number, to: number) => void;
}

/** What opening the store cleaned up or did. */
export interface StartupReport {
  orphanSets: number;
  orphanBytes: number;
  tempUploadsRemoved: number;
  dailyBackup: string | null;
}

/**
 * Open the database (a backup before any pending migration; CORRUPT errors point at the newest good
 * backup) and its blob file. If the blob file cannot be opened, the database is closed again.
 */
export function openStore(opts: StoreOptions): { db: Db; blobFile: BlobFile } {
  const db = openDb(opts.dbPath, {
    ...opts,
    beforeMigrate:
      opts.dbPath === ':memory:'
        ? undefined
        : (d, from, to) => {
            opts.onMigrate?.(from, to);
            backupBeforeMigration(d, opts.dbPath);
          },
    findBackup: () => newestGoodBackup(opts.dbPath),
  });
  try {
    return { db, blobFile: new BlobFile(blobFilePath(opts.dbPath), { nativeBinding: opts.nativeBinding }) };
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Start-up housekeeping of a file store opened for writing: blob sets of dead writers, stale upload temp
 * files and — when `daily` (the CLI, before its command) — the daily backup if one is due. Nothing for
 * an in-memory or read-only store. Never throws: a failure here must not stop the command (PMW_DEBUG
 * prints it).
 */
export function startupHousekeeping(db: Db, blobFile: BlobFile, opts: { dbPath: string; readonly?: boolean; daily: boolean }): StartupReport {
  const startup: StartupReport = { orphanSets: 0, orphanBytes: 0, tempUploadsRemoved: 0, dailyBackup: null };
  if (opts.dbPath === ':memory:' || opts.readonly) return startup;
  try {
    const o = collectOrphans(db, blobFile);
    startup.orphanSets = o.sets;
    startup.orphanBytes = o.bytes;
    startup.tempUploadsRemoved = removeStaleUploads().removed;
    if (opts.daily && dailyBackupDue(opts.dbPath, db)) startup.dailyBackup = createBackup({ db, dbPath: opts.dbPath, blobs: blobFile }, 'daily').file;
  } catch (e) {
    if (process.env.PMW_DEBUG) console.error('start-up housekeeping failed:', e);
  }
  return startup;
}

/** Close as a host does on a clean shutdown: fold the WAL into the database (without waiting long for other readers), then close. */
export function closeStore(db: Db, blobFile: BlobFile): void {
  try {
    db.pragma('busy_timeout = 500');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    /* another process is reading: it is folded in later */
  }
  db.close();
  blobFile.close();
}

/** Damage met on a read (a large store is not quick_checked at open, see db.ts) says what a damaged file at open says: where a good backup is. */
export function corruptAtRead(dbPath: string, e: unknown): ApiError {
  let backup: string | null = null;
  try {
    backup = newestGoodBackup(dbPath);
  } catch {
    backup = null;
  }
  return corruptError(dbPath, 'corrupt', (e as Error).message, backup);
}
