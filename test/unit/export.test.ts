// Export to a git repository: real temporary repositories, the user's own git, one test per refusal.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempApp, tempDir } from './helpers';
import { ExportService } from '../../main/services/export';
import { gitEnv } from '../../main/git';
import { ApiError } from '../../shared/api/errors';
import type { ExportPaths, StubFile } from '../../shared/exporting';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function g(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}
function gOk(cwd: string, ...args: string[]): boolean {
  try {
    g(cwd, ...args);
    return true;
  } catch {
    return false;
  }
}

function dir(prefix = 'pmw-export-test-'): string {
  const t = tempDir(prefix);
  cleanups.push(t.cleanup);
  return realpathSync(t.dir);
}

/** A fresh repository with a local identity, its own hooks folder and one commit on main. */
function repo(opts: { commit?: boolean } = {}): string {
  const d = dir('pmw-repo-');
  g(d, 'init', '-q', '-b', 'main');
  g(d, 'config', 'user.email', 'responder@example.com');
  g(d, 'config', 'user.name', 'Test Responder');
  g(d, 'config', 'commit.gpgsign', 'false');
  g(d, 'config', 'core.hooksPath', join(d, '.git', 'hooks'));
  if (opts.commit !== false) {
    writeFileSync(join(d, 'README.md'), '# service\n');
    g(d, 'add', 'README.md');
    g(d, 'commit', '-q', '-m', 'init');
  }
  return d;
}

/** Everything that would show that something was written. */
function snapshot(r: string) {
  const opt = (...a: string[]) => (gOk(r, ...a) ? g(r, ...a) : null);
  return {
    head: opt('rev-parse', '--verify', '-q', 'HEAD'),
    current: opt('symbolic-ref', '-q', 'HEAD'),
    refs: g(r, 'for-each-ref', '--format=%(refname) %(objectname)'),
    commits: opt('rev-list', '--all', '--count'),
    status: g(r, 'status', '--porcelain', '--untracked-files=all'),
    worktrees: g(r, 'worktree', 'list', '--porcelain'),
    files: readdirSync(r).sort(),
  };
}

const TITLE = 'Fraud model: accuracy dropped';
const BRANCH = 'postmortem/INC-0001-fraud-model-accuracy-dropped';

/** A temp app with one incident (INC-0001) and an ExportService over fixed stubs whose text the test can change. */
async function setup() {
  const env = tempApp();
  cleanups.push(env.cleanup);
  await env.app.call('incident:create', { title: TITLE, severity: 'SEV2', failureClass: 'data' });
  const text = { test: 'def test_columns():\n    assert True\n', runbook: '# Runbook INC-0001\n', postmortem: '# Postmortem INC-0001\n' };
  const stubs = (key: string, p: ExportPaths): StubFile[] => [
    { path: `${p.testsDir}/test_${key.toLowerCase().replace('-', '_')}.py`, kind: 'test', content: text.test },
    { path: `${p.runbooksDir}/${key}-fraud.md`, kind: 'runbook', content: text.runbook },
    { path: `${p.postmortemsDir}/${key}-fraud.md`, kind: 'postmortem', content: text.postmortem },
  ];
  let t = Date.parse('2026-11-22T04:00:00Z');
  const now = () => new Date((t += 60_000)).toISOString();
  const svc = new ExportService(env.app.db, stubs, (k) => env.app.services.incidents.get(k), now);
  return { env, app: env.app, svc, text };
}

async function refused(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected the export to be refused');
}

const codes = (p: { refusals: { code: string }[] }) => p.refusals.map((r) => r.code);

describe('export to a git repository', () => {
  it('commits every file on a new branch from HEAD, leaves the checkout alone, and records the export', async () => {
    const { svc, text } = await setup();
    const r = repo();
    const head = g(r, 'rev-parse', 'HEAD');
    const before = snapshot(r);

    const preview = await svc.preview({ key: 'INC-0001', repo: r });
    expect(preview.refusals).toEqual([]);
    expect(preview.repo).toBe(r);
    expect(preview.head).toBe(head);
    expect(preview.branch).toBe(BRANCH);
    expect(preview.suggestedBranch).toBeNull();
    expect(preview.paths).toEqual({ runbooksDir: 'runbooks', testsDir: 'tests/regression', postmortemsDir: 'postmortems' });
    expect(preview.files.map((f) => [f.path, f.status, f.existing, f.lastExported])).toEqual([
      ['tests/regression/test_inc_0001.py', 'new', null, null],
      ['runbooks/INC-0001-fraud.md', 'new', null, null],
      ['postmortems/INC-0001-fraud.md', 'new', null, null],
    ]);
    expect(snapshot(r)).toEqual(before); // a preview writes nothing

    const rec = await svc.run({ key: 'INC-0001', repo: r });
    expect(rec.repo).toBe(r);
    expect(rec.branch).toBe(BRANCH);
    expect(rec.commit).toBe(g(r, 'rev-parse', `refs/heads/${BRANCH}`));
    // One commit on top of the HEAD we started from, with exactly our files at the right paths.
    expect(g(r, 'rev-parse', `${rec.commit}^`)).toBe(head);
    expect(g(r, 'diff', '--name-only', head, rec.commit).split('\n').sort()).toEqual(
      ['postmortems/INC-0001-fraud.md', 'runbooks/INC-0001-fraud.md', 'tests/regression/test_inc_0001.py'],
    );
    expect(g(r, 'show', `${BRANCH}:runbooks/INC-0001-fraud.md`)).toBe(text.runbook.trim());
    expect(g(r, 'show', `${BRANCH}:tests/regression/test_inc_0001.py`)).toBe(text.test.trim());
    const message = g(r, 'log', '-1', '--format=%B', BRANCH);
    expect(message.split('\n')[0]).toBe(`postmortem: INC-0001 ${TITLE}`);
    expect(message).toContain('- postmortems/INC-0001-fraud.md (new)');
    expect(g(r, 'log', '-1', '--format=%an <%ae>', BRANCH)).toBe('Test Responder <responder@example.com>'); // the user's git config
    // The user's checkout: same branch, same HEAD, clean, no new files, no leftover worktree.
    const after = snapshot(r);
    expect(after.current).toBe('refs/heads/main');
    expect(after.head).toBe(head);
    expect(after.status).toBe('');
    expect(after.files).toEqual(before.files);
    expect(after.worktrees).toBe(before.worktrees);
    // Recorded with hashes.
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(rec.files).toEqual([
      { path: 'tests/regression/test_inc_0001.py', sha256: sha(text.test) },
      { path: 'runbooks/INC-0001-fraud.md', sha256: sha(text.runbook) },
      { path: 'postmortems/INC-0001-fraud.md', sha256: sha(text.postmortem) },
    ]);
    expect(svc.list('INC-0001')).toEqual([rec]);

    // A second export (another branch) lists newest first.
    text.runbook += '\n## Rollback\n';
    const rec2 = await svc.run({ key: 'INC-0001', repo: r, branch: 'postmortem/again' });
    expect(svc.list('INC-0001').map((x) => x.id)).toEqual([rec2.id, rec.id]);
  });

  it('remembers the folders per repository and uses them for the next preview', async () => {
    const { svc } = await setup();
    const r = repo();
    const other = repo();
    const paths = { runbooksDir: 'ops/runbooks', testsDir: 'qa/regress', postmortemsDir: 'docs/postmortems/' };
    const rec = await svc.run({ key: 'INC-0001', repo: r, paths });
    expect(rec.files.map((f) => f.path)).toEqual(['qa/regress/test_inc_0001.py', 'ops/runbooks/INC-0001-fraud.md', 'docs/postmortems/INC-0001-fraud.md']);
    expect(g(r, 'show', `${BRANCH}:ops/runbooks/INC-0001-fraud.md`)).toContain('Runbook');

    const next = await svc.preview({ key: 'INC-0001', repo: r, branch: 'postmortem/next' });
    expect(next.paths).toEqual({ runbooksDir: 'ops/runbooks', testsDir: 'qa/regress', postmortemsDir: 'docs/postmortems' });
    expect(next.files.map((f) => f.path)).toEqual(rec.files.map((f) => f.path));
    // Another repository still gets the defaults.
    expect((await svc.preview({ key: 'INC-0001', repo: other })).paths.runbooksDir).toBe('runbooks');
    // Given paths win over remembered ones.
    expect((await svc.preview({ key: 'INC-0001', repo: r, paths: { runbooksDir: 'rb', testsDir: 't', postmortemsDir: 'pm' } })).files[1].path).toBe('rb/INC-0001-fraud.md');
  });

  it('after the export is merged: unchanged files are unchanged, a file we changed is modified, and nothing to change is refused', async () => {
    const { svc, text } = await setup();
    const r = repo();
    const first = text.runbook;
    await svc.run({ key: 'INC-0001', repo: r });
    g(r, 'merge', '-q', '--ff-only', BRANCH);

    const same = await svc.preview({ key: 'INC-0001', repo: r, branch: 'postmortem/same' });
    expect(same.files.every((f) => f.status === 'unchanged')).toBe(true);
    expect(codes(same)).toEqual(['NOTHING_TO_EXPORT']);

    text.runbook = `${first}\n## Rollback\nRoll back to v41.\n`;
    const p = await svc.preview({ key: 'INC-0001', repo: r, branch: 'postmortem/update' });
    expect(p.refusals).toEqual([]);
    const rb = p.files.find((f) => f.kind === 'runbook')!;
    expect(rb).toMatchObject({ status: 'modified', existing: first, lastExported: first, content: text.runbook });
    const rec = await svc.run({ key: 'INC-0001', repo: r, branch: 'postmortem/update' });
    expect(g(r, 'show', `${rec.commit}:runbooks/INC-0001-fraud.md`)).toContain('Roll back to v41.');
  });
});

describe('refusals: nothing is written', () => {
  it('not a git repository (a plain folder, a missing folder, a subfolder of a repository)', async () => {
    const { svc } = await setup();
    const plain = dir();
    const p = await svc.preview({ key: 'INC-0001', repo: plain });
    expect(codes(p)).toEqual(['NOT_A_REPO']);
    expect(p.refusals[0].message).toContain(plain);
    expect(p.refusals[0].path).toBe(plain);
    expect(p.files.length).toBe(3); // still shows what would be written
    const e = await refused(svc.run({ key: 'INC-0001', repo: plain }));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toMatch(/not a git repository/);
    expect((e.details!.refusals as { code: string }[])[0].code).toBe('NOT_A_REPO');
    expect(readdirSync(plain)).toEqual([]);

    expect(codes(await svc.preview({ key: 'INC-0001', repo: join(plain, 'missing') }))).toEqual(['NOT_A_REPO']);

    const r = repo();
    mkdirSync(join(r, 'sub'));
    const before = snapshot(r);
    const sub = await svc.preview({ key: 'INC-0001', repo: join(r, 'sub') });
    expect(codes(sub)).toEqual(['NOT_A_REPO']);
    expect(sub.refusals[0].message).toContain(`inside ${r}`);
    await refused(svc.run({ key: 'INC-0001', repo: join(r, 'sub') }));
    expect(snapshot(r)).toEqual(before);
    expect(readdirSync(join(r, 'sub'))).toEqual([]);
    expect(svc.list('INC-0001')).toEqual([]);
  });

  it('a repository without commits (no HEAD to branch from)', async () => {
    const { svc } = await setup();
    const r = repo({ commit: false });
    const before = snapshot(r);
    const p = await svc.preview({ key: 'INC-0001', repo: r });
    expect(codes(p)).toEqual(['NO_COMMITS']);
    expect(p.refusals[0].message).toMatch(/no commits yet/);
    const e = await refused(svc.run({ key: 'INC-0001', repo: r }));
    expect(e.code).toBe('VALIDATION');
    expect(snapshot(r)).toEqual(before);
  });

  it('tracked changes in the working tree (untracked files are fine)', async () => {
    const { svc } = await setup();
    const r = repo();
    writeFileSync(join(r, 'notes.txt'), 'untracked\n');
    expect((await svc.preview({ key: 'INC-0001', repo: r })).refusals).toEqual([]);

    writeFileSync(join(r, 'README.md'), '# service (edited)\n');
    const before = snapshot(r);
    const p = await svc.preview({ key: 'INC-0001', repo: r });
    expect(codes(p)).toEqual(['DIRTY']);
    expect(p.refusals[0].message).toContain('README.md');
    expect(p.refusals[0].message).not.toContain('notes.txt');
    const e = await refused(svc.run({ key: 'INC-0001', repo: r }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('README.md');
    expect(snapshot(r)).toEqual(before);
    expect(readFileSync(join(r, 'README.md'), 'utf8')).toBe('# service (edited)\n');
    expect(svc.list('INC-0001')).toEqual([]);
  });

  it('a file changed in the repository since our last export (three versions shown)', async () => {
    const { svc, text } = await setup();
    const r = repo();
    const exported = text.runbook;
    await svc.run({ key: 'INC-0001', repo: r });
    // The team merges the export and edits the runbook by hand.
    g(r, 'checkout', '-q', BRANCH);
    writeFileSync(join(r, 'runbooks', 'INC-0001-fraud.md'), `${exported}\nAsk #ml-oncall first.\n`);
    g(r, 'commit', '-q', '-am', 'runbook: hand edit');
    g(r, 'checkout', '-q', 'main');
    g(r, 'merge', '-q', '--ff-only', BRANCH);
    text.runbook = `${exported}\n## Rollback\n`;

    const before = snapshot(r);
    const p = await svc.preview({ key: 'INC-0001', repo: r, branch: 'postmortem/second' });
    expect(codes(p)).toEqual(['CONFLICT']);
    expect(p.refusals[0].path).toBe('runbooks/INC-0001-fraud.md');
    expect(p.refusals[0].message).toMatch(/changed in the repository since our last export/);
    const rb = p.files.find((f) => f.kind === 'runbook')!;
    expect(rb).toEqual({
      path: 'runbooks/INC-0001-fraud.md',
      kind: 'runbook',
      content: text.runbook,
      existing: `${exported}\nAsk #ml-oncall first.\n`,
      lastExported: exported,
      status: 'conflict',
    });
    expect(p.files.filter((f) => f.kind !== 'runbook').map((f) => f.status)).toEqual(['unchanged', 'unchanged']);
    const e = await refused(svc.run({ key: 'INC-0001', repo: r, branch: 'postmortem/second' }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('runbooks/INC-0001-fraud.md');
    expect(snapshot(r)).toEqual(before);
    expect(svc.list('INC-0001').length).toBe(1);
  });

  it('a file that exists in the repository, was never exported by us, and differs', async () => {
    const { svc } = await setup();
    const r = repo();
    mkdirSync(join(r, 'postmortems'));
    writeFileSync(join(r, 'postmortems', 'INC-0001-fraud.md'), '# Someone else wrote this\n');
    g(r, 'add', '.');
    g(r, 'commit', '-q', '-m', 'hand-written postmortem');
    const before = snapshot(r);
    const p = await svc.preview({ key: 'INC-0001', repo: r });
    expect(codes(p)).toEqual(['CONFLICT']);
    expect(p.files.find((f) => f.kind === 'postmortem')).toMatchObject({ status: 'conflict', existing: '# Someone else wrote this\n', lastExported: null });
    await refused(svc.run({ key: 'INC-0001', repo: r }));
    expect(snapshot(r)).toEqual(before);
  });

  it('a ".." path that would leave the repository', async () => {
    const { svc } = await setup();
    const r = repo();
    const before = snapshot(r);
    const parent = readdirSync(join(r, '..')).sort();
    const paths = { runbooksDir: '../outside', testsDir: 'tests/regression', postmortemsDir: 'postmortems' };
    const p = await svc.preview({ key: 'INC-0001', repo: r, paths });
    expect(codes(p)).toEqual(['UNSAFE_PATH']);
    expect(p.refusals[0]).toMatchObject({ path: '../outside' });
    expect(p.refusals[0].message).toMatch(/\.\./);
    const e = await refused(svc.run({ key: 'INC-0001', repo: r, paths }));
    expect(e.code).toBe('VALIDATION');
    expect(snapshot(r)).toEqual(before);
    expect(readdirSync(join(r, '..')).sort()).toEqual(parent);
    // A stub path with ".." in it (not only a folder) is refused too.
    const sneaky = new ExportService(
      (svc as any).db,
      () => [{ path: 'runbooks/../../escape.md', kind: 'runbook', content: 'x' }],
      () => ({ key: 'INC-0001', title: TITLE }),
    );
    expect(codes(await sneaky.preview({ key: 'INC-0001', repo: r }))).toEqual(['UNSAFE_PATH']);
    await refused(sneaky.run({ key: 'INC-0001', repo: r }));
    expect(existsSync(join(r, '..', 'escape.md'))).toBe(false);
  });

  it('an absolute folder', async () => {
    const { svc } = await setup();
    const r = repo();
    const elsewhere = dir('pmw-elsewhere-');
    const before = snapshot(r);
    const paths = { runbooksDir: 'runbooks', testsDir: 'tests/regression', postmortemsDir: elsewhere };
    const p = await svc.preview({ key: 'INC-0001', repo: r, paths });
    expect(codes(p)).toEqual(['UNSAFE_PATH']);
    expect(p.refusals[0].path).toBe(elsewhere);
    expect(p.refusals[0].message).toMatch(/absolute/);
    const e = await refused(svc.run({ key: 'INC-0001', repo: r, paths }));
    expect(e.code).toBe('VALIDATION');
    expect(snapshot(r)).toEqual(before);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a symlinked folder (runbooks -> a folder outside), untracked or committed', async () => {
    const { svc } = await setup();
    const r = repo();
    const elsewhere = dir('pmw-elsewhere-');
    symlinkSync(elsewhere, join(r, 'runbooks'));
    const before = snapshot(r);
    const p = await svc.preview({ key: 'INC-0001', repo: r });
    expect(codes(p)).toEqual(['UNSAFE_PATH']);
    expect(p.refusals[0].path).toBe('runbooks');
    expect(p.refusals[0].message).toMatch(/symbolic link/);
    const e = await refused(svc.run({ key: 'INC-0001', repo: r }));
    expect(e.code).toBe('VALIDATION');
    expect(snapshot(r)).toEqual(before);
    expect(readdirSync(elsewhere)).toEqual([]);

    // Committed, and deeper along the path: tests -> elsewhere.
    const r2 = repo();
    symlinkSync(elsewhere, join(r2, 'tests'));
    g(r2, 'add', 'tests');
    g(r2, 'commit', '-q', '-m', 'link');
    const before2 = snapshot(r2);
    const p2 = await svc.preview({ key: 'INC-0001', repo: r2 });
    expect(codes(p2)).toEqual(['UNSAFE_PATH']);
    expect(p2.refusals[0].path).toBe('tests');
    await refused(svc.run({ key: 'INC-0001', repo: r2 }));
    expect(snapshot(r2)).toEqual(before2);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('an existing branch name: a free suffix is offered, and exporting with it works', async () => {
    const { svc } = await setup();
    const r = repo();
    g(r, 'branch', BRANCH);
    g(r, 'branch', `${BRANCH}-2`);
    const before = snapshot(r);
    const p = await svc.preview({ key: 'INC-0001', repo: r });
    expect(codes(p)).toEqual(['BRANCH_EXISTS']);
    expect(p.suggestedBranch).toBe(`${BRANCH}-3`);
    expect(p.refusals[0].message).toContain(BRANCH);
    const e = await refused(svc.run({ key: 'INC-0001', repo: r }));
    expect(e.code).toBe('CONFLICT');
    expect(e.details!.suggestedBranch).toBe(`${BRANCH}-3`);
    expect(snapshot(r)).toEqual(before);

    const rec = await svc.run({ key: 'INC-0001', repo: r, branch: p.suggestedBranch! });
    expect(rec.branch).toBe(`${BRANCH}-3`);
    expect(g(r, 'rev-parse', `refs/heads/${BRANCH}-3`)).toBe(rec.commit);
    expect(g(r, 'rev-parse', `refs/heads/${BRANCH}`)).toBe(before.head); // the existing branch is untouched
  });

  it('an invalid branch name', async () => {
    const { svc } = await setup();
    const r = repo();
    const before = snapshot(r);
    for (const b of ['bad..name', 'has space', '-leading', 'ends.lock', '@{-1}']) {
      const p = await svc.preview({ key: 'INC-0001', repo: r, branch: b });
      expect(codes(p), b).toEqual(['BAD_BRANCH']);
      const e = await refused(svc.run({ key: 'INC-0001', repo: r, branch: b }));
      expect(e.code).toBe('VALIDATION');
    }
    // A branch that cannot exist beside another ("postmortem" blocks "postmortem/…").
    g(r, 'branch', 'postmortem');
    const p = await svc.preview({ key: 'INC-0001', repo: r });
    expect(codes(p)).toEqual(['BAD_BRANCH']);
    expect(p.refusals[0].message).toMatch(/postmortem exists/);
    g(r, 'branch', '-D', 'postmortem');
    expect(snapshot(r)).toEqual(before);
  });

  it('a pre-commit hook that rejects the commit: its message is reported and no branch stays behind', async () => {
    const { svc } = await setup();
    const r = repo();
    const hook = join(r, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, '#!/bin/sh\necho "lint failed: postmortems need an owner" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const before = snapshot(r);
    expect((await svc.preview({ key: 'INC-0001', repo: r })).refusals).toEqual([]);
    const e = await refused(svc.run({ key: 'INC-0001', repo: r }));
    expect(e.message).toContain('lint failed: postmortems need an owner');
    expect(e.details!.stage).toBe('commit');
    expect(gOk(r, 'rev-parse', '--verify', '-q', `refs/heads/${BRANCH}`)).toBe(false);
    expect(snapshot(r)).toEqual(before); // no branch, no worktree, checkout untouched
    expect(svc.list('INC-0001')).toEqual([]);
    // Once the hook passes, the same export goes through.
    writeFileSync(hook, '#!/bin/sh\nexit 0\n');
    expect((await svc.run({ key: 'INC-0001', repo: r })).branch).toBe(BRANCH);
  });

  it('through the app: the real documents service generates the files (contract channels)', async () => {
    const { app } = await setup();
    const r = repo();
    const p = await app.call('export:preview', { key: 'INC-0001', repo: r });
    expect(p.refusals).toEqual([]);
    const kinds = p.files.map((f) => f.kind);
    expect(kinds).toContain('runbook');
    expect(kinds).toContain('postmortem');
    expect(p.files.every((f) => f.status === 'new')).toBe(true);
    const rec = await app.call('export:run', { key: 'INC-0001', repo: r });
    expect(rec.branch).toBe(BRANCH);
    const committed = g(r, 'ls-tree', '-r', '--name-only', rec.commit).split('\n');
    for (const f of p.files) expect(committed).toContain(f.path);
    const pm = p.files.find((f) => f.kind === 'postmortem')!;
    expect(pm.path.startsWith('postmortems/')).toBe(true);
    expect(g(r, 'show', `${rec.commit}:${pm.path}`)).toBe(pm.content.trim());
    expect(await app.call('export:list', { key: 'INC-0001' })).toEqual([rec]);
    // The contract refuses a ".." folder before the service runs.
    const bad = await app.dispatch('export:preview', { key: 'INC-0001', repo: r, paths: { runbooksDir: '../x', testsDir: 't', postmortemsDir: 'p' } });
    expect(bad.ok).toBe(false);
  });
});
