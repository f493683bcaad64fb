// Leftovers of killed processes in the temp folder: upload spools (`pmw-upload-<pid>-*`, written by the
// web host while a body streams in) and export worktrees (`pmw-export-*`). Uploads left by a process
// that is gone, or older than this process, are removed at start; export worktrees are left to the
// export recovery (they are registered in the user's repository) and reported by `pmw doctor`.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

export const UPLOAD_TEMP_PREFIX = 'pmw-upload-';
export const EXPORT_TEMP_PREFIX = 'pmw-export-';

/** The prefix of this process's upload spools (mkdtemp adds a random suffix). */
export function uploadTempPrefix(): string {
  return `${UPLOAD_TEMP_PREFIX}${process.pid}-`;
}

// ---- who wrote something (a blob set, an export attempt): a crashed writer's leftovers vs. a live writer's work ----

const PROCESS_START_S = Math.round(Date.now() / 1000 - process.uptime());
export const OWNER = `${hostname()}/${process.pid}/${PROCESS_START_S}`;

/** Whether the process that wrote a set may still be running (unknown hosts count as alive). */
export function ownerAlive(owner: string): boolean {
  const [host, pidText, startText] = owner.split('/');
  if (host !== hostname()) return true;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return Math.abs(Number(startText) - PROCESS_START_S) <= 2;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const PROCESS_STARTED_MS = Date.now() - process.uptime() * 1000;

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface TempEntry {
  path: string;
  kind: 'upload' | 'export';
  pid: number | null;
  ownerAlive: boolean;
  modifiedMs: number;
  bytes: number;
}

function du(path: string): number {
  try {
    const st = statSync(path);
    if (!st.isDirectory()) return st.size;
    return readdirSync(path).reduce((n, f) => n + du(join(path, f)), 0);
  } catch {
    return 0;
  }
}

export function tempEntries(dir = tmpdir()): TempEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: TempEntry[] = [];
  for (const name of names) {
    const kind = name.startsWith(UPLOAD_TEMP_PREFIX) ? 'upload' : name.startsWith(EXPORT_TEMP_PREFIX) ? 'export' : null;
    if (!kind) continue;
    const path = join(dir, name);
    let modifiedMs = 0;
    try {
      modifiedMs = statSync(path).mtimeMs;
    } catch {
      continue;
    }
    const m = kind === 'upload' ? /^pmw-upload-(\d+)-/.exec(name) : null;
    const pid = m ? Number(m[1]) : null;
    out.push({ path, kind, pid, ownerAlive: pid !== null && pidAlive(pid), modifiedMs, bytes: du(path) });
  }
  return out;
}

/** Upload spools whose writer is gone (or, for names without a pid, older than this process). */
export function staleUploads(dir = tmpdir()): TempEntry[] {
  return tempEntries(dir).filter((e) => e.kind === 'upload' && (e.pid !== null ? !e.ownerAlive : e.modifiedMs < PROCESS_STARTED_MS));
}

export function removeStaleUploads(dir = tmpdir()): { removed: number; bytes: number } {
  let removed = 0;
  let bytes = 0;
  for (const e of staleUploads(dir)) {
    try {
      rmSync(e.path, { recursive: true, force: true });
      removed++;
      bytes += e.bytes;
    } catch {
      /* someone else's file: doctor reports it */
    }
  }
  return { removed, bytes };
}
