// kill -9 in the middle of `pmw export`: the branch (and maybe its commit) and a registered worktree
// are left behind. The next export is not refused forever (BRANCH_EXISTS): it is offered as
// HALF_FINISHED, to finish (record the commit, or export again) or to discard.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { gitEnv } from '../../main/git';
import { tempDir } from './helpers';

const root = join(__dirname, '..', '..');
const pmw = join(root, 'bin', 'pmw.cjs');
beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'main', '--if-needed']);
});
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const g = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [pmw, ...args], { env: { ...process.env, PMW_BACKUP_EVERY_HOURS: '0' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (err += b));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

/** A repository whose post-checkout or post-commit hook (chosen by a flag file) marks its start, then waits 1.5 s. */
async function setup() {
  const t = tempDir('pmw-recover-');
  cleanups.push(t.cleanup);
  const d = realpathSync(t.dir);
  const repo = join(d, 'repo');
  mkdirSync(repo);
  g(repo, 'init', '-q', '-b', 'main');
  g(repo, 'config', 'user.email', 'r@example.com');
  g(repo, 'config', 'user.name', 'R');
  g(repo, 'config', 'commit.gpgsign', 'false');
  const hooks = join(d, 'hooks');
  mkdirSync(hooks);
  g(repo, 'config', 'core.hooksPath', hooks);
  for (const hook of ['post-checkout', 'post-commit']) {
    writeFileSync(join(hooks, hook), `#!/bin/sh\nif [ -f "${d}/slow-${hook}" ]; then touch "${d}/in-${hook}"; sleep 1.5; touch "${d}/done-${hook}"; fi\nexit 0\n`);
    chmodSync(join(hooks, hook), 0o755);
  }
  writeFileSync(join(repo, 'README.md'), '# svc\n');
  g(repo, 'add', 'README.md');
  g(repo, 'commit', '-q', '-m', 'init');
  const db = join(d, 'wb.db');
  expect((await run(['incident', 'new', '--db', db, '--title', 'Feature skew', '--severity', 'SEV2', '--class', 'data'])).code).toBe(0);
  return { d, repo, db };
}

/** Start `pmw export` and kill -9 it while `hook` runs; wait for git to finish what it was doing. */
async function exportKilledDuring(s: { d: string; repo: string; db: string }, hook: 'post-checkout' | 'post-commit') {
  writeFileSync(join(s.d, `slow-${hook}`), '');
  const p = spawn(process.execPath, [pmw, 'export', 'INC-0001', '--repo', s.repo, '--db', s.db]);
  const gone = new Promise((r) => p.once('exit', r));
  for (let i = 0; i < 1000 && !existsSync(join(s.d, `in-${hook}`)); i++) await new Promise((r) => setTimeout(r, 10));
  p.kill('SIGKILL');
  await gone;
  for (let i = 0; i < 1000 && !existsSync(join(s.d, `done-${hook}`)); i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 200));
  execFileSync('rm', ['-f', join(s.d, `slow-${hook}`)]);
}

const branchOf = (repo: string) => g(repo, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/postmortem/');
const exportsIn = (db: string) => {
  const x = new Database(db, { readonly: true });
  try {
    return {
      records: (x.prepare('SELECT branch, commit_sha FROM exports').all() as { branch: string; commit_sha: string }[]),
      attempts: (x.prepare('SELECT count(*) AS n FROM export_attempts').get() as { n: number }).n,
    };
  } finally {
    x.close();
  }
};

describe('half-finished exports', () => {
  it('killed before the commit: offered as HALF_FINISHED (not BRANCH_EXISTS); finish exports it again and records it', async () => {
    const s = await setup();
    await exportKilledDuring(s, 'post-checkout');
    const branch = branchOf(s.repo);
    expect(branch).toMatch(/^postmortem\/INC-0001-/);
    expect(g(s.repo, 'worktree', 'list')).toMatch(/pmw-export-/);
    const refused = await run(['export', 'INC-0001', '--repo', s.repo, '--db', s.db]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/refused \(HALF_FINISHED\): An export of INC-0001 to the branch postmortem\/INC-0001-\S+ was interrupted/);
    expect(refused.err).not.toMatch(/BRANCH_EXISTS/);
    expect(refused.err).toContain('--finish');
    const fin = await run(['export', 'INC-0001', '--repo', s.repo, '--db', s.db, '--finish']);
    expect(fin.err).toBe('');
    expect(fin.code).toBe(0);
    expect(fin.out).toMatch(/^Finished: [0-9a-f]{12} on postmortem\/INC-0001-/);
    const e = exportsIn(s.db);
    expect(e.records).toHaveLength(1);
    expect(e.attempts).toBe(0);
    expect(g(s.repo, 'rev-parse', `refs/heads/${branch}`)).toBe(e.records[0].commit_sha);
    expect(g(s.repo, 'worktree', 'list')).not.toMatch(/pmw-export-/);
  }, 60_000);

  it('killed after the commit: finish records that commit, no second one', async () => {
    const s = await setup();
    await exportKilledDuring(s, 'post-commit');
    const branch = branchOf(s.repo);
    const tip = g(s.repo, 'rev-parse', `refs/heads/${branch}`);
    expect(g(s.repo, 'log', '-1', '--format=%s', tip)).toMatch(/^postmortem: INC-0001 /);
    const fin = await run(['export', 'INC-0001', '--repo', s.repo, '--db', s.db, '--finish', '--json']);
    expect(fin.code).toBe(0);
    expect(JSON.parse(fin.out)).toMatchObject({ action: 'finished', record: { commit: tip, branch } });
    expect(g(s.repo, 'rev-parse', `refs/heads/${branch}`)).toBe(tip);
  }, 60_000);

  it('discard removes the branch and the worktree; the next export goes through', async () => {
    const s = await setup();
    await exportKilledDuring(s, 'post-checkout');
    const dis = await run(['export', 'INC-0001', '--repo', s.repo, '--db', s.db, '--discard']);
    expect(dis.code).toBe(0);
    expect(dis.out).toMatch(/^Discarded the interrupted export on postmortem\/INC-0001-\S+: removed worktree .*pmw-export-.*, branch postmortem\/INC-0001-/);
    expect(branchOf(s.repo)).toBe('');
    expect(g(s.repo, 'worktree', 'list')).not.toMatch(/pmw-export-/);
    expect(exportsIn(s.db)).toEqual({ records: [], attempts: 0 });
    const again = await run(['export', 'INC-0001', '--repo', s.repo, '--db', s.db]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^Committed [0-9a-f]{12} on postmortem\/INC-0001-/);
  }, 60_000);
});
