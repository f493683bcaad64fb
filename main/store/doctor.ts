// `pmw doctor` / app:doctor: the full health report of a store. Runs on any connections (the CLI's own,
// or read-only ones in a pool worker so a host keeps answering): integrity_check of both files, the
// foreign-key check, schema version, WAL state, blob index vs. blob file, leftover temp files,
// half-finished exports and the age of the newest backup.
import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readdirSync } from 'node:fs';
import type { DoctorCheck, DoctorReport, DoctorStatus } from '../../shared/backups';
import { fileSize, latestVersion } from './db';
import { blobFilePath, ownerAlive } from './blobs';
import { listBackups } from './backup';
import { tempEntries } from './cleanup';

const mb = (n: number) => `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MB`;
const RANK: Record<DoctorStatus, number> = { ok: 0, warn: 1, fail: 2 };

export interface DoctorInput {
  db: Database.Database;
  blobDb: Database.Database | null;
  dbPath: string;
  /** A write connection may fold the WAL in (PASSIVE checkpoint); a read-only one only looks. */
  canCheckpoint: boolean;
  env?: NodeJS.ProcessEnv;
}

function rows(db: Database.Database, pragma: string): Record<string, unknown>[] {
  return db.pragma(pragma) as Record<string, unknown>[];
}

export function runDoctor(input: DoctorInput): DoctorReport {
  const { db, blobDb, dbPath } = input;
  const checks: DoctorCheck[] = [];
  const add = (c: DoctorCheck) => checks.push(c);
  const guard = (id: string, label: string, fn: () => DoctorCheck) => {
    try {
      add(fn());
    } catch (e) {
      add({ id, label, status: 'fail', detail: (e as Error).message });
    }
  };

  guard('integrity', 'Database integrity', () => {
    const bad = rows(db, 'integrity_check').map((r) => String(r.integrity_check)).filter((m) => m !== 'ok');
    return bad.length
      ? { id: 'integrity', label: 'Database integrity', status: 'fail', detail: `${dbPath}: ${bad.slice(0, 5).join('; ')}${bad.length > 5 ? ` (+${bad.length - 5} more)` : ''}`, fix: 'Restore the newest good backup (pmw restore FILE); the damaged file is kept aside.' }
      : { id: 'integrity', label: 'Database integrity', status: 'ok', detail: `integrity_check ok (${mb(fileSize(dbPath))})` };
  });

  guard('foreign-keys', 'Foreign keys', () => {
    const bad = rows(db, 'foreign_key_check');
    if (!bad.length) return { id: 'foreign-keys', label: 'Foreign keys', status: 'ok', detail: 'foreign_key_check ok' };
    const by = new Map<string, number>();
    for (const r of bad) by.set(String(r.table), (by.get(String(r.table)) ?? 0) + 1);
    return { id: 'foreign-keys', label: 'Foreign keys', status: 'fail', detail: [...by].map(([t, n]) => `${n} row(s) of ${t} point at missing parents`).join('; '), fix: 'Restore a backup from before the damage.' };
  });

  guard('schema', 'Schema version', () => {
    const v = db.pragma('user_version', { simple: true }) as number;
    const latest = latestVersion();
    if (v === latest) return { id: 'schema', label: 'Schema version', status: 'ok', detail: `schema ${v} (current)` };
    if (v < latest) return { id: 'schema', label: 'Schema version', status: 'warn', detail: `schema ${v}; this version migrates it to ${latest} when it opens it for writing` };
    return { id: 'schema', label: 'Schema version', status: 'fail', detail: `schema ${v} was written by a newer version (this one knows up to ${latest})`, fix: 'Update Postmortem Workbench.' };
  });

  guard('wal', 'Write-ahead log', () => {
    const wal = fileSize(`${dbPath}-wal`);
    const mode = String(db.pragma('journal_mode', { simple: true }));
    if (mode !== 'wal') return { id: 'wal', label: 'Write-ahead log', status: 'warn', detail: `journal_mode is ${mode}, not wal` };
    if (!input.canCheckpoint) return { id: 'wal', label: 'Write-ahead log', status: wal > 64 * 1048576 ? 'warn' : 'ok', detail: `WAL ${mb(wal)}` };
    const r = (db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[])[0];
    const pinned = r.log > 0 && r.checkpointed < r.log;
    return {
      id: 'wal',
      label: 'Write-ahead log',
      status: pinned || wal > 64 * 1048576 ? 'warn' : 'ok',
      detail: `WAL ${mb(wal)}; ${r.checkpointed} of ${r.log} frames checkpointed${pinned ? ' (a reader in another process holds the rest)' : ''}`,
      ...(pinned ? { fix: 'Close long-running readers (other pmw processes); the WAL is folded in at the next quiet moment.' } : {}),
    };
  });

  guard('artifact-store', 'Artifact store', () => {
    const path = blobFilePath(dbPath);
    if (!blobDb) return { id: 'artifact-store', label: 'Artifact store', status: existsSync(path) ? 'fail' : 'ok', detail: existsSync(path) ? `${path} cannot be opened` : 'no artifacts captured yet' };
    const bad = rows(blobDb, 'integrity_check').map((r) => String(r.integrity_check)).filter((m) => m !== 'ok');
    const hot = existsSync(`${path}-journal`) && fileSize(`${path}-journal`) > 0;
    if (bad.length) return { id: 'artifact-store', label: 'Artifact store', status: 'fail', detail: `${path}: ${bad.slice(0, 5).join('; ')}`, fix: 'Restore a backup that has an artifact store (…db-blobs).' };
    return { id: 'artifact-store', label: 'Artifact store', status: hot ? 'warn' : 'ok', detail: `integrity_check ok (${mb(fileSize(path))})${hot ? '; a rollback journal of an interrupted write is pending (rolled back at the next write)' : ''}` };
  });

  guard('blobs', 'Stored artifact bytes', () => {
    const index = db.prepare('SELECT sha256, size, store_set FROM blobs').all() as { sha256: string; size: number; store_set: number | null }[];
    const used = new Set((db.prepare('SELECT DISTINCT sha256 FROM artifacts').all() as { sha256: string }[]).map((r) => r.sha256));
    const sets = blobDb
      ? new Map(
          (blobDb.prepare('SELECT s.id, s.size, s.owner, s.complete, (SELECT coalesce(sum(length(data)), 0) FROM chunks c WHERE c.set_id = s.id) AS stored FROM sets s').all() as {
            id: number;
            size: number | null;
            owner: string;
            complete: number;
            stored: number;
          }[]).map((s) => [s.id, s]),
        )
      : new Map();
    const missing = index.filter((b) => b.store_set !== null && (!sets.has(b.store_set) || sets.get(b.store_set)!.stored !== b.size));
    const referenced = new Set(index.map((b) => b.store_set).filter((x) => x !== null));
    const orphanSets = [...sets.values()].filter((s) => !referenced.has(s.id));
    const deadOrphans = orphanSets.filter((s) => !ownerAlive(s.owner));
    const unused = index.filter((b) => !used.has(b.sha256));
    const parts = [`${index.length} stored content(s)`];
    if (missing.length) parts.push(`${missing.length} with bytes missing from the artifact store`);
    if (orphanSets.length) parts.push(`${orphanSets.length} unindexed set(s) in the artifact store (${deadOrphans.length} left by a process that is gone, ${mb(deadOrphans.reduce((n, s) => n + s.stored, 0))})`);
    if (unused.length) parts.push(`${unused.length} no artifact uses (${mb(unused.reduce((n, b) => n + b.size, 0))})`);
    const status: DoctorStatus = missing.length ? 'fail' : deadOrphans.length || unused.length ? 'warn' : 'ok';
    return {
      id: 'blobs',
      label: 'Stored artifact bytes',
      status,
      detail: parts.join('; '),
      ...(missing.length ? { fix: 'Restore a backup with its artifact store.' } : deadOrphans.length ? { fix: 'They are removed the next time the app, web host or a pmw command opens the database.' } : {}),
    };
  });

  guard('temp', 'Leftover temporary files', () => {
    const dir = dirname(dbPath);
    const beside = existsSync(dir) ? readdirSync(dir).filter((f) => /\.(creating|partial)$|\.restoring-\d+$/.test(f)).map((f) => join(dir, f)) : [];
    const temps = tempEntries();
    const deadUploads = temps.filter((t) => t.kind === 'upload' && !t.ownerAlive);
    const exports = temps.filter((t) => t.kind === 'export');
    const n = deadUploads.length + exports.length + beside.length;
    if (!n) return { id: 'temp', label: 'Leftover temporary files', status: 'ok', detail: 'none' };
    const parts = [];
    if (deadUploads.length) parts.push(`${deadUploads.length} upload spool(s) of stopped web hosts (${mb(deadUploads.reduce((s, t) => s + t.bytes, 0))})`);
    if (exports.length) parts.push(`${exports.length} export worktree folder(s) (${exports.map((e) => e.path).slice(0, 3).join(', ')})`);
    if (beside.length) parts.push(`${beside.length} half-written file(s) beside the database (${beside.slice(0, 3).join(', ')})`);
    return { id: 'temp', label: 'Leftover temporary files', status: 'warn', detail: parts.join('; '), fix: 'Upload spools are removed at the next start; export worktrees by finishing or discarding the export.' };
  });

  guard('exports', 'Half-finished exports', () => {
    const rowsLeft = db.prepare('SELECT a.repo_path, a.branch, a.owner, a.started_at, i.key FROM export_attempts a JOIN incidents i ON i.id = a.incident_id').all() as {
      repo_path: string;
      branch: string;
      owner: string;
      started_at: string;
      key: string;
    }[];
    const dead = rowsLeft.filter((r) => !ownerAlive(r.owner));
    if (!dead.length) return { id: 'exports', label: 'Half-finished exports', status: 'ok', detail: rowsLeft.length ? `${rowsLeft.length} export(s) running now` : 'none' };
    return {
      id: 'exports',
      label: 'Half-finished exports',
      status: 'warn',
      detail: dead.map((r) => `${r.key} → ${r.repo_path} branch ${r.branch} (started ${r.started_at})`).join('; '),
      fix: 'Finish or discard it: the Export dialog, or pmw export KEY --repo PATH --finish (or --discard).',
    };
  });

  guard('backups', 'Backups', () => {
    const list = listBackups(dbPath, input.env);
    if (!list.length) return { id: 'backups', label: 'Backups', status: 'warn', detail: 'no backup yet', fix: 'pmw backup' };
    const newest = list[0];
    const ageH = (Date.now() - Date.parse(newest.createdAt)) / 3600_000;
    return {
      id: 'backups',
      label: 'Backups',
      status: ageH > 48 ? 'warn' : 'ok',
      detail: `${list.length} backup(s); newest ${newest.name} (${ageH < 1 ? 'less than an hour' : `${Math.round(ageH)} h`} old)`,
      ...(ageH > 48 ? { fix: 'pmw backup' } : {}),
    };
  });

  const status = checks.reduce<DoctorStatus>((w, c) => (RANK[c.status] > RANK[w] ? c.status : w), 'ok');
  return { dbPath, checks, status };
}
