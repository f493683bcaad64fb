// The store: one better-sqlite3 connection, pragmas for durability, forward-only migrations.
// A file at the database path must be a healthy SQLite database: an empty (0-byte) or foreign file is
// refused, never replaced; `PRAGMA quick_check` runs on every open. A new database is built under a
// temporary name and linked into place, so two processes starting at once never see a half-made file.
import Database from 'better-sqlite3';
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import { ensureOwnerDir, ensureOwnerFile, restrictDatabaseFiles } from './perms';

export type Db = Database.Database;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * migrations/ sits two levels above both the sources (main/store) and the bundles (dist/main);
 * electron-builder packs it beside them. PMW_MIGRATIONS_DIR overrides.
 */
export function migrationsDir(): string {
  const candidates = [
    process.env.PMW_MIGRATIONS_DIR,
    typeof __dirname !== 'undefined' ? join(__dirname, '..', '..', 'migrations') : undefined,
    join(process.cwd(), 'migrations'),
  ].filter((x): x is string => !!x);
  const found = candidates.find((d) => existsSync(join(d, '0001_init.sql')));
  if (!found) throw new ApiError('INTERNAL', `migrations folder not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** The migrations in migrations/, in order; each file is read when its SQL is first needed (an up-to-date store never reads them). */
export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .map((name): Migration => {
      let sql: string | undefined;
      return {
        version: Number(name.slice(0, 4)),
        name,
        get sql() {
          return (sql ??= readFileSync(join(dir, name), 'utf8'));
        },
      };
    })
    .sort((a, b) => a.version - b.version);
}

export function latestVersion(migrations = loadMigrations()): number {
  return migrations.length ? migrations[migrations.length - 1].version : 0;
}

export interface OpenOptions {
  /** Path to the native binding (.node) — Electron passes its own ABI build. */
  nativeBinding?: string;
  migrations?: Migration[];
  readonly?: boolean;
  /**
   * Called with the open database just before pending migrations run (the app takes a backup there).
   * Not called for a brand-new database.
   */
  beforeMigrate?: (db: Db, from: number, to: number) => void;
  /** Where `CORRUPT` errors point for a good backup (the app passes its newest verified backup). */
  findBackup?: () => string | null;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export type FileState = 'missing' | 'empty' | 'not-sqlite' | 'sqlite';

/** What is at `path`: nothing, an empty file, something that is not SQLite, or an SQLite file (by its header). */
export function inspectDbFile(path: string): FileState {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    if (n === 0) return 'empty';
    return n === 16 && head.equals(SQLITE_HEADER) ? 'sqlite' : 'not-sqlite';
  } finally {
    closeSync(fd);
  }
}

/** SQLite's error codes for a damaged or foreign file. */
export function isCorruptionError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
}

/** The refusal for a file that is not a usable database; names the file and the backup to restore. */
export function corruptError(path: string, reason: 'empty' | 'not-sqlite' | 'corrupt', detail: string, backup: string | null): ApiError {
  const what =
    reason === 'empty' ? `${path} is an empty file (0 bytes), not a Postmortem Workbench database` :
    reason === 'not-sqlite' ? `${path} is not an SQLite database (its first bytes are not "SQLite format 3")` :
    `The database ${path} is damaged (${detail})`;
  const offer = backup
    ? ` Restore the newest good backup: pmw restore "${backup}" (the damaged file is kept aside, nothing is deleted).`
    : ' No good backup was found beside it; `pmw doctor` shows what is readable.';
  return new ApiError('CORRUPT', `${what}. It was left untouched.${offer}`, { path, reason, detail, backup });
}

function connect(path: string, opts: OpenOptions): Db {
  return new Database(path, {
    readonly: !!opts.readonly,
    fileMustExist: path !== ':memory:',
    ...binding(opts.nativeBinding),
  });
}

/** better-sqlite3's `nativeBinding` option for every connection: the one given (Electron's ABI build), else nativeModulePath(). */
export function binding(nativeBinding?: string): { nativeBinding?: string } {
  const b = nativeBinding || nativeModulePath();
  return b ? { nativeBinding: b } : {};
}

let located: string | null | undefined;
/**
 * Where better-sqlite3's native module is, handed to it directly. Where its install builds it
 * (build/Release, and no build/Debug or top-level build/ module that the `bindings` package would
 * pick first) that is known without a search, which saves ~3 ms of every start; otherwise `bindings`
 * is asked for the path, with the package's own folder as the root (so this works from a bundle that
 * includes better-sqlite3's JavaScript too). Null when it cannot be found: better-sqlite3 then searches,
 * and its error says where it looked.
 */
export function nativeModulePath(): string | null {
  if (located !== undefined) return located;
  located = null;
  try {
    const root = dirname(require.resolve('better-sqlite3/package.json'));
    const build = join(root, 'build');
    const file = 'better_sqlite3.node';
    if (existsSync(join(build, 'Release', file)) && !existsSync(join(build, 'Debug', file)) && !existsSync(join(build, file))) located = join(build, 'Release', file);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    else located = (require('bindings') as (o: object) => string)({ bindings: file, module_root: root, path: true });
  } catch {
    /* not found, or no `require` here (ESM): better-sqlite3 searches itself */
  }
  return located;
}

/** The connection settings every connection gets; busy_timeout first, so even the journal-mode switch waits. */
function configure(db: Db): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = FULL');
  // Up to 64 MB of page cache (SQLite's default is 2 MB; it grows only as pages are read): searches
  // typed one after another touch different posting lists and texts, and with 2 MB a 100k-incident
  // store read most of them again from the OS for each (search p95 9.3 → 7.1 ms on the bench store).
  db.pragma('cache_size = -65536');
}

/**
 * Build a new database under a temporary name (schema complete), then hard-link it into place: the path
 * holds either nothing or a whole database, and when two processes race, one link wins and the other
 * opens the winner's file. Falls back to a plain create where the file system has no hard links.
 */
export function createAtomically(path: string, init: (db: Database.Database) => void, nativeBinding?: string): void {
  ensureOwnerDir(dirname(path));
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.creating`);
  ensureOwnerFile(tmp); // owner-only from the first byte; the link below keeps the mode
  const db = new Database(tmp, binding(nativeBinding));
  try {
    init(db);
  } finally {
    db.close();
  }
  try {
    linkSync(tmp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw e;
    if (code !== 'EEXIST' && !existsSync(path)) {
      // No hard links here: create in place (a race can only lose to a whole file again).
      ensureOwnerFile(path);
      const direct = new Database(path, binding(nativeBinding));
      try {
        init(direct);
      } finally {
        direct.close();
      }
    }
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) rmSync(f, { force: true });
  }
}

/**
 * Open (or create) the database and bring it to the latest schema.
 * A database written by a newer version is refused and left untouched; so is an empty, foreign or damaged file.
 */
export function openDb(path: string, opts: OpenOptions = {}): Db {
  const migrations = opts.migrations ?? loadMigrations();
  const latest = latestVersion(migrations);
  // Owner-only (0600 file, 0700 for a folder we create); SQLite gives -wal/-shm the database's mode.
  if (path !== ':memory:') ensureOwnerDir(dirname(path));
  const backup = () => {
    try {
      return opts.findBackup?.() ?? null;
    } catch {
      return null;
    }
  };
  if (path !== ':memory:') {
    let state = inspectDbFile(path);
    if (state === 'missing' && !opts.readonly) {
      createAtomically(path, (db) => {
        configure(db);
        migrate(db, migrations, 0);
      }, opts.nativeBinding);
      state = inspectDbFile(path);
    }
    if (state === 'missing') throw new ApiError('NOT_FOUND', `No database at ${path}`, { path });
    if (state === 'empty' || state === 'not-sqlite') throw corruptError(path, state, state, backup());
  }
  let db: Db;
  try {
    db = connect(path, opts);
  } catch (e) {
    if (isCorruptionError(e)) throw corruptError(path, 'corrupt', (e as Error).message, backup());
    throw e;
  }
  try {
    db.pragma('busy_timeout = 5000');
    // Read the version before touching anything (journal mode included).
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > latest) {
      throw new ApiError(
        'CONFLICT',
        `The database ${path} was written by a newer version of Postmortem Workbench (schema ${current}; this version knows up to ${latest}). ` +
          'It was not changed. Update the app, or open another database with --db.',
        { schemaVersion: current, supported: latest, path },
      );
    }
    if (path !== ':memory:' && checkedAtOpen(path)) {
      const problems = quickCheck(db);
      if (problems.length) throw corruptError(path, 'corrupt', `quick_check: ${problems.slice(0, 3).join('; ')}`, backup());
    }
    if (opts.readonly) {
      db.pragma('foreign_keys = ON');
      return db;
    }
    configure(db);
    if (current < latest) {
      opts.beforeMigrate?.(db, current, latest);
      migrate(db, migrations, current);
    }
    if (path !== ':memory:') restrictDatabaseFiles(path);
    return db;
  } catch (e) {
    db.close();
    if (isCorruptionError(e)) throw corruptError(path, 'corrupt', (e as Error).message, backup());
    throw e;
  }
}

/**
 * Whether this database is quick_checked at every open: up to PMW_OPEN_CHECK_MB (default 64 MB) of
 * database file. quick_check reads every page, ~4.5 ms per MB: a 1 GB store (100k incidents) spent
 * 4.6 s in it before each CLI command. A larger file is checked by `pmw doctor` and by every backup,
 * and damage met on a read is the same CORRUPT error, naming the newest good backup (app.ts).
 */
export function checkedAtOpen(path: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env.PMW_OPEN_CHECK_MB;
  const mb = raw !== undefined && raw !== '' && Number.isFinite(Number(raw)) && Number(raw) >= 0 ? Number(raw) : 64;
  try {
    return statSync(path).size <= mb * 1048576;
  } catch {
    return true;
  }
}

/** `PRAGMA quick_check` rows other than "ok" (an empty list means healthy). */
export function quickCheck(db: Db): string[] {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  return rows.map((r) => r.quick_check).filter((m) => m !== 'ok');
}

/**
 * Apply pending migrations in order inside one write transaction (BEGIN IMMEDIATE); the version is read
 * again under the lock, so when several processes open an old database at once exactly one migrates.
 */
export function migrate(db: Db, migrations: Migration[], from: number): void {
  const run = db.transaction(() => {
    const now = db.pragma('user_version', { simple: true }) as number;
    const pending = migrations.filter((m) => m.version > Math.max(from, now));
    if (!pending.length) return;
    for (const m of pending) {
      try {
        db.exec(m.sql);
      } catch (e) {
        throw new ApiError('INTERNAL', `Migration ${m.name} failed: ${(e as Error).message}. The database was left at schema ${now}.`);
      }
    }
    db.pragma(`user_version = ${pending[pending.length - 1].version}`);
  });
  run.immediate();
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Size of a file, or 0 when it is absent. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
