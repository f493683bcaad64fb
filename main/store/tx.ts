// Write transactions: every read-then-write runs in BEGIN IMMEDIATE (the write lock is taken before the
// first read, so no other writer can slip in between), and SQLITE_BUSY is retried within a budget.
// After the budget the caller gets ApiError BUSY (HTTP 503, "try again"), never an INTERNAL 500.
import type { Db } from './db';
import { ApiError } from '../../shared/api/errors';

/** SQLite's "someone else holds the lock" family (BUSY, BUSY_SNAPSHOT, BUSY_RECOVERY, BUSY_TIMEOUT, LOCKED). */
export function isBusyError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/** Total time a write keeps retrying after SQLite's own busy_timeout gave up (PMW_BUSY_BUDGET_MS, default 15 s). */
export function busyBudgetMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.PMW_BUSY_BUDGET_MS);
  return Number.isFinite(v) && v >= 0 ? v : 15_000;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number) {
  Atomics.wait(sleeper, 0, 0, ms);
}

export function busyError(waitedMs: number, what = 'write'): ApiError {
  return new ApiError(
    'BUSY',
    `The database is busy: another pmw process, app window or web host held the write lock for ${(waitedMs / 1000).toFixed(1)} s. ` +
      `Nothing was changed by this ${what}; try again.`,
    { waitedMs },
  );
}

/**
 * Run `fn` in an IMMEDIATE transaction, retrying the whole transaction while SQLite reports the database
 * busy. `fn` must only touch the database (it may run more than once). Inside another transaction it
 * runs as a savepoint of that one, without retries.
 */
export function writeTx<T>(db: Db, fn: () => T, budgetMs = busyBudgetMs()): T {
  const tx = db.transaction(fn);
  if (db.inTransaction) return tx.immediate();
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return tx.immediate();
    } catch (e) {
      if (!isBusyError(e)) throw e;
      const waited = Date.now() - started;
      if (waited >= budgetMs) throw busyError(waited);
      sleepSync(Math.min(20 * 2 ** attempt, 250) * (0.5 + Math.random()));
    }
  }
}

/** Retry a single statement (e.g. a read during WAL recovery) the same way. */
export function retryBusy<T>(fn: () => T, budgetMs = busyBudgetMs()): T {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if (!isBusyError(e)) throw e;
      const waited = Date.now() - started;
      if (waited >= budgetMs) throw busyError(waited, 'call');
      sleepSync(Math.min(20 * 2 ** attempt, 250) * (0.5 + Math.random()));
    }
  }
}

/** Any error from a call as the ApiError a user sees: SQLite's own codes become BUSY, CORRUPT or INTERNAL with a plain message. */
export function storeError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isBusyError(e)) return busyError(0);
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    const msg = (e as Error).message;
    if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return new ApiError('CORRUPT', `The database is damaged (${msg}). Run pmw doctor; restore a backup with pmw restore FILE.`, { sqlite: code });
    if (code.startsWith('SQLITE_FULL')) return new ApiError('INTERNAL', `The disk is full; nothing was saved (${msg}).`, { sqlite: code });
    if (code.startsWith('SQLITE_READONLY')) return new ApiError('INTERNAL', `The database cannot be written (${msg}); check the file's permissions.`, { sqlite: code });
    return new ApiError('INTERNAL', `Database error: ${msg}`, { sqlite: code });
  }
  return ApiError.from(e);
}
