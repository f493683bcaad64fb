// Owner-only files and folders (issue 8): the database and its -wal/-shm, backups, exported temp files.
// On Linux and macOS files are created 0600 and folders 0700; an existing file we own is tightened to
// 0600. Windows has no POSIX modes (its ACLs already limit the profile folder to the user): no-op there.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync, constants as fsc } from 'node:fs';
import { dirname } from 'node:path';

export const OWNER_FILE_MODE = 0o600;
export const OWNER_DIR_MODE = 0o700;

const posix = () => process.platform !== 'win32';

/** Create a folder (and missing parents) owner-only; folders that already exist are left as they are. */
export function ensureOwnerDir(dir: string): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true, mode: OWNER_DIR_MODE });
}

/** Make an existing file owner-only (0600); absent files are ignored. */
export function restrictFile(path: string): void {
  if (!posix()) return;
  try {
    const st = statSync(path);
    if (st.isFile() && (st.mode & 0o077) !== 0) chmodSync(path, OWNER_FILE_MODE);
  } catch {
    /* absent or not ours: nothing to tighten */
  }
}

/** Create the file owner-only if it does not exist (so a later open by another library keeps 0600), else tighten it. */
export function ensureOwnerFile(path: string): void {
  ensureOwnerDir(dirname(path));
  try {
    closeSync(openSync(path, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL, OWNER_FILE_MODE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  restrictFile(path);
}

/** Write a file owner-only (created 0600; an existing one is tightened first). */
export function writeOwnerFile(path: string, data: string | Uint8Array): void {
  ensureOwnerFile(path);
  writeFileSync(path, data, { mode: OWNER_FILE_MODE });
}

/** The database file and SQLite's companions (-wal, -shm, -journal): every one that exists, owner-only. */
export function restrictDatabaseFiles(dbPath: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) restrictFile(dbPath + suffix);
}
