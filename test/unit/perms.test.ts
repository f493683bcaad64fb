// Owner-only files (issue 8 §5): the database, its -wal/-shm, the folder we create for it, and the
// helpers other stores (backups, exports) reuse. POSIX modes only: Windows is skipped with the reason.
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../main/store/db';
import { ensureOwnerDir, restrictDatabaseFiles, writeOwnerFile } from '../../main/store/perms';
import { tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const mode = (p: string) => statSync(p).mode & 0o777;
const posix = process.platform !== 'win32';
const itPosix = posix ? it : it.skip;

function dir(): string {
  const t = tempDir('pmw-perms-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe(`owner-only files${posix ? '' : ' [skipped: no POSIX modes on Windows]'}`, () => {
  itPosix('a new database, its -wal and -shm are 0600 and the folder created for it 0700, whatever the umask', () => {
    const old = process.umask(0o022);
    try {
      const path = join(dir(), 'data', 'nested', 'workbench.db');
      const db = openDb(path);
      db.prepare('CREATE TABLE t (x)').run();
      db.prepare('INSERT INTO t VALUES (1)').run();
      expect(existsSync(`${path}-wal`)).toBe(true);
      for (const p of [path, `${path}-wal`, `${path}-shm`]) expect(mode(p), p).toBe(0o600);
      expect(mode(join(path, '..'))).toBe(0o700);
      expect(mode(join(path, '..', '..'))).toBe(0o700);
      db.close();
    } finally {
      process.umask(old);
    }
  });

  itPosix('an existing world-readable database is tightened to 0600 when opened', () => {
    const path = join(dir(), 'old.db');
    openDb(path).close();
    chmodSync(path, 0o644);
    const db = openDb(path);
    expect(mode(path)).toBe(0o600);
    db.close();
  });

  itPosix('a folder the user chose is left as it is; helpers write 0600 files', () => {
    const d = dir();
    chmodSync(d, 0o755);
    ensureOwnerDir(d);
    expect(mode(d)).toBe(0o755);
    const f = join(d, 'backup.db');
    writeFileSync(f, 'x', { mode: 0o644 });
    chmodSync(f, 0o644);
    writeOwnerFile(f, 'y');
    expect(mode(f)).toBe(0o600);
    writeFileSync(`${f}-wal`, '');
    chmodSync(`${f}-wal`, 0o664);
    restrictDatabaseFiles(f);
    expect(mode(`${f}-wal`)).toBe(0o600);
  });
});
