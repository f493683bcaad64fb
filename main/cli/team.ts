// `pmw team …` (issue 15): join a team's incident repository, sync, status, resolve a conflict, leave.
// Each command takes a typed options object and returns the exit code; main/cli/index.ts parses flags.
import { createApp, type App } from '../app';
import { resolveDbPath } from '../store/paths';
import type { TeamConflict, TeamStatus, TeamSyncResult } from '../../shared/team/types';
import { migrationNotice, type Io } from './common';

export interface TeamCommonOptions {
  db?: string;
  json?: boolean;
  io: Io;
}
export interface TeamJoinOptions extends TeamCommonOptions {
  remote: string;
  name?: string;
}
export interface TeamResolveOptions extends TeamCommonOptions {
  key: string;
  field: string;
  take: 'mine' | 'theirs';
}

export { TEAM_HELP } from './help';

async function withTeamApp<T>(db: string | undefined, fn: (app: App) => Promise<T>): Promise<T> {
  const dbPath = resolveDbPath(db);
  const app = createApp({ dbPath, host: 'cli', onMigrate: migrationNotice(dbPath) });
  try {
    return await fn(app);
  } finally {
    app.close();
  }
}

const show = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
};

function printConflicts(cs: TeamConflict[], io: Io): void {
  for (const c of cs) io.out(`  ${c.key} ${c.field}\n      mine:   ${show(c.mine)}\n      theirs: ${show(c.theirs)}\n`);
  if (cs.length) io.out(`Resolve each: pmw team resolve KEY FIELD --take mine|theirs\n`);
}

function printStatus(s: TeamStatus, io: Io): void {
  if (!s.joined) {
    io.out('Not in a team. Join one: pmw team join REMOTE\n');
    return;
  }
  io.out(`Team repository ${s.remote} (branch ${s.branch}); you are member ${String(s.member).padStart(3, '0')}${s.memberName ? ` (${s.memberName})` : ''}\n`);
  io.out(`Last synced: ${s.lastSyncedAt ?? 'never'}; queued here (ahead): ${s.queued}; behind: ${s.behind ?? 'unknown'} (as of the last fetch)\n`);
  if (s.lastResult?.error) io.out(`Last sync failed: ${s.lastResult.error}\n`);
  else if (s.lastResult?.offline) io.out(`Last sync was offline: ${s.lastResult.message}\n`);
  io.out(`Open conflicts: ${s.conflicts.length}\n`);
  printConflicts(s.conflicts, io);
}

function printSync(r: TeamSyncResult, io: Io): void {
  io.out(`${r.message}\n`);
  if (r.pulled.length) io.out(`Pulled: ${r.pulled.join(', ')}\n`);
  if (r.pushed.length) io.out(`Pushed: ${r.pushed.join(', ')}${r.commit ? ` (commit ${r.commit.slice(0, 12)})` : ''}\n`);
  printConflicts(r.conflicts, io);
}

export async function teamJoin(o: TeamJoinOptions): Promise<number> {
  return withTeamApp(o.db, async (app) => {
    const s = await app.call('team:join', { remote: o.remote, name: o.name });
    if (o.json) o.io.out(JSON.stringify(s, null, 2) + '\n');
    else {
      o.io.out(`Joined ${s.remote} as member ${String(s.member).padStart(3, '0')}; new incidents here get keys ${`INC-${String(s.member).padStart(3, '0')}NNNN`}.\n`);
      if (s.lastResult?.message) o.io.out(`${s.lastResult.message}\n`);
      printConflicts(s.conflicts, o.io);
    }
    return s.lastResult?.offline ? 1 : 0;
  });
}

export async function teamSync(o: TeamCommonOptions): Promise<number> {
  return withTeamApp(o.db, async (app) => {
    const r = await app.call('team:sync', {});
    if (o.json) o.io.out(JSON.stringify(r, null, 2) + '\n');
    else printSync(r, o.io);
    return r.offline ? 1 : 0;
  });
}

export async function teamStatus(o: TeamCommonOptions): Promise<number> {
  return withTeamApp(o.db, async (app) => {
    const s = await app.call('team:status', {});
    if (o.json) o.io.out(JSON.stringify(s, null, 2) + '\n');
    else printStatus(s, o.io);
    return 0;
  });
}

export async function teamResolve(o: TeamResolveOptions): Promise<number> {
  return withTeamApp(o.db, async (app) => {
    const left = await app.call('team:resolve', { key: o.key, field: o.field, take: o.take });
    if (o.json) o.io.out(JSON.stringify(left, null, 2) + '\n');
    else o.io.out(`Resolved ${o.key} ${o.field} (took ${o.take}); it goes to the team with the next sync. ${left.length} conflict${left.length === 1 ? '' : 's'} left.\n`);
    return 0;
  });
}

export async function teamLeave(o: TeamCommonOptions & { yes: boolean }): Promise<number> {
  if (!o.yes) {
    o.io.err('pmw: leaving stops syncing this database with the team (its incidents stay here). Run again with --yes to confirm.\n');
    return 2;
  }
  return withTeamApp(o.db, async (app) => {
    const r = await app.call('team:leave', { confirm: true });
    o.io.out(r.left ? 'Left the team; the incidents stay in this database.\n' : 'Not in a team.\n');
    return 0;
  });
}
