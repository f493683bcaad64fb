// The store: one better-sqlite3 connection, pragmas for durability, forward-only migrations.
import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .map((f) => ({ name: f, sql: readFileSync(join(dir, f), 'utf8') }))
    .map((m) => ({ version: Number(m.name.slice(0, 4)), name: m.name, sql: m.sql }))
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
}

/**
 * Open (or create) the database and bring it to the latest schema.
 * A database written by a newer version is refused and left untouched.
 */
export function openDb(path: string, opts: OpenOptions = {}): Db {
  const migrations = opts.migrations ?? loadMigrations();
  const latest = latestVersion(migrations);
  // Owner-only (0600 file, 0700 for a folder we create); SQLite gives -wal/-shm the database's mode.
  if (path !== ':memory:') {
    ensureOwnerDir(dirname(path));
    if (!opts.readonly) ensureOwnerFile(path);
  }
  const db = new Database(path, { readonly: !!opts.readonly, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
  try {
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
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = FULL');
    if (current < latest && !opts.readonly) migrate(db, migrations, current);
    if (path !== ':memory:' && !opts.readonly) restrictDatabaseFiles(path);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Apply pending migrations in order inside one transaction; record the version in user_version. */
export function migrate(db: Db, migrations: Migration[], from: number): void {
  const pending = migrations.filter((m) => m.version > from);
  if (!pending.length) return;
  const run = db.transaction(() => {
    for (const m of pending) {
      try {
        db.exec(m.sql);
      } catch (e) {
        throw new ApiError('INTERNAL', `Migration ${m.name} failed: ${(e as Error).message}. The database was left at schema ${from}.`);
      }
    }
    db.pragma(`user_version = ${pending[pending.length - 1].version}`);
  });
  run();
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
