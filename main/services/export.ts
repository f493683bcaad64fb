// Export an incident's generated files (regression tests, runbook, postmortem) into a local git
// repository: one commit on a new branch `postmortem/<KEY>-<slug>` from the current HEAD.
//
// The commit is made with the user's own git in a temporary worktree (`git worktree add -b`), so
// their checkout, index and working tree stay untouched while their config, hooks and signing apply.
// Before anything is written, a preview lists every file with what the repository has there now and
// what we exported there last; any refusal (not a repo, tracked changes, a file changed since our
// last export, a path leaving the repo, an existing or invalid branch) means nothing is written.
//
// Secrets (issue 8): every file about to be written is scanned (shared/redact scanText); a hit refuses
// the export (SECRET_DETECTED, with file, line and rule) unless the caller overrode that very hit with
// a reason (allowSecrets: a known test fixture), which goes on the incident's timeline. Temporary files
// are owner-only (0600 files in a 0700 folder).
import { createHash } from 'node:crypto';
import { closeSync, constants as fsc, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import type { Db } from '../store/db';
import { writeTx } from '../store/tx';
import { OWNER, ownerAlive } from '../store/cleanup';
import type { ExportRecoverResult } from '../../shared/api/contract';
import { ApiError, type ApiErrorCode } from '../../shared/api/errors';
import {
  DEFAULT_EXPORT_PATHS, type ExportFilePlan, type ExportFileStatus, type ExportPaths, type ExportPreview, type ExportRecord, type StubFile,
} from '../../shared/exporting';
import { exportBranchName, isValidBranchName } from '../../shared/generators/slug';
import { git, type GitResult } from '../git';
import { scanText } from '../../shared/redact/index';
import type { SecretHitDetail } from '../../shared/api/errors';
import { OWNER_DIR_MODE, OWNER_FILE_MODE } from '../store/perms';
import { incidentIdOf } from '../store/incidentRef';
import { rows, storedFiles, toExportRecord, type ExportAttemptRow, type ExportRow, type ExportSettingsRow, type StoredFile } from '../store/rows';

export type ExportRefusal = ExportPreview['refusals'][number];

export interface ExportInput {
  key: string;
  repo: string;
  branch?: string;
  paths?: ExportPaths;
  /** Deliberate overrides of the secret scan, one per hit, each with a reason. */
  allowSecrets?: (SecretHitDetail & { reason: string })[];
}

/** Refusal codes. The first group is the caller's input (VALIDATION), the second the repository's state (CONFLICT). */
export const INPUT_REFUSALS = ['NOT_A_REPO', 'NO_COMMITS', 'UNSAFE_PATH', 'BAD_BRANCH'] as const;
export const STATE_REFUSALS = ['DIRTY', 'CONFLICT', 'BRANCH_EXISTS', 'HALF_FINISHED', 'NOTHING_TO_EXPORT'] as const;
/** A secret in a file to write (its own error code: the content, not the input or the repository). */
export const SECRET_REFUSAL = 'SECRET_DETECTED';


interface Plan {
  preview: ExportPreview;
  title: string;
  incidentId: number;
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const GIT_LONG = 10 * 60_000;
const MAX_OUTPUT = 4000;
const PATH_KEY: Record<keyof ExportPaths, string> = { runbooksDir: 'runbooks', testsDir: 'tests', postmortemsDir: 'postmortems' };
const KIND_DIR = { test: 'testsDir', runbook: 'runbooksDir', postmortem: 'postmortemsDir' } as const;
const caseInsensitiveFs = process.platform === 'darwin' || process.platform === 'win32';

/**
 * A relative path inside the repository, normalised to forward slashes without "." or empty segments.
 * `error` says why it is unsafe: absolute, "..", a ".git" segment, control characters.
 */
export function normalizeRepoPath(p: string, what: 'folder' | 'file'): { path: string; error?: string } {
  const raw = String(p ?? '').trim();
  const slashed = raw.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return { path: raw, error: `${raw} is an absolute path; the ${what} must be inside the repository` };
  if (/[\x00-\x1f\x7f]/.test(slashed)) return { path: raw, error: `${JSON.stringify(raw)} contains control characters` };
  const segs = slashed.split('/').filter((s) => s !== '' && s !== '.');
  if (segs.includes('..')) return { path: raw, error: `${raw} contains "..": it would leave the repository` };
  // ".git" (or ".GIT", ".git." on Windows) would write into git's own data.
  if (segs.some((s) => s.replace(/[. ]+$/, '').toLowerCase() === '.git')) return { path: raw, error: `${raw} is inside .git, git's own data` };
  const path = segs.join('/') || '.';
  if (what === 'file' && path === '.') return { path: raw, error: 'a file needs a name' };
  return { path };
}

function prefixes(path: string): string[] {
  const segs = path.split('/');
  return segs.map((_, i) => segs.slice(0, i + 1).join('/'));
}

function clip(s: string): string {
  const t = s.trim();
  return t.length > MAX_OUTPUT ? `${t.slice(0, MAX_OUTPUT)}\n…` : t;
}

function listNames(names: string[], max = 10): string {
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}

export class ExportService {
  /** Runs against one repository at a time, in order. */
  private locks = new Map<string, Promise<unknown>>();

  constructor(
    private db: Db,
    private stubs: (key: string, paths: ExportPaths) => StubFile[],
    private incident: (key: string) => { key: string; title: string },
    private now: () => string = () => new Date().toISOString(),
    /** Records a note on the incident's timeline (the overrides of the secret scan). */
    private record: (key: string, body: string) => void = () => undefined,
  ) {}

  private incidentId(key: string): number {
    return incidentIdOf(this.db, key);
  }

  /** The folders last used for this repository (null when never exported there). */
  rememberedPaths(repo: string): ExportPaths | null {
    let key = resolve(repo);
    try {
      key = realpathSync(key);
    } catch {
      /* not there: look it up as given */
    }
    const r = rows<ExportSettingsRow>(this.db, 'SELECT * FROM export_settings WHERE repo_path = ?').get(key);
    return r ? { runbooksDir: r.runbooks_dir, testsDir: r.tests_dir, postmortemsDir: r.postmortems_dir } : null;
  }

  list(key: string): ExportRecord[] {
    return rows<ExportRow>(this.db, 'SELECT * FROM exports WHERE incident_id = ? ORDER BY created_at DESC, id DESC').all(this.incidentId(key)).map(toExportRecord);
  }

  async preview(input: ExportInput): Promise<ExportPreview> {
    return (await this.plan(input)).preview;
  }

  async run(input: ExportInput): Promise<ExportRecord> {
    return this.serialized(input.repo, () => this.runLocked(input));
  }

  private async serialized<T>(repo: string, fn: () => Promise<T>): Promise<T> {
    const lockKey = resolve(repo);
    const prev = this.locks.get(lockKey) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.locks.set(lockKey, next);
    try {
      return await next;
    } finally {
      if (this.locks.get(lockKey) === next) this.locks.delete(lockKey);
    }
  }

  // ---- half-finished exports (a process killed between "worktree add" and the export record) --
  /**
   * An export of `key` to `branch` that was started and never recorded: an attempt row whose process
   * is gone, or (from before attempts were recorded) a branch whose tip is our commit with no record.
   */
  private async halfFinished(root: string, branch: string, key: string): Promise<{ attempt: ExportAttemptRow | null; tip: string | null; ours: boolean } | null> {
    const attempt = rows<ExportAttemptRow>(this.db, 'SELECT * FROM export_attempts WHERE repo_path = ? AND branch = ? ORDER BY id DESC LIMIT 1').get(root, branch) ?? null;
    if (attempt && ownerAlive(attempt.owner)) return null;
    const t = await git(root, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
    const tip = t.code === 0 ? t.stdout.trim() : null;
    let ours = false;
    if (tip && tip !== attempt?.head) {
      const log = await git(root, ['log', '-1', '--format=%s%x00%b', tip]);
      const [subject, body = ''] = log.stdout.split('\0');
      ours = log.code === 0 && subject.startsWith(`postmortem: ${key} `) && body.includes('Exported by Postmortem Workbench.');
    }
    if (attempt) return { attempt, tip, ours };
    if (!tip || !ours || this.db.prepare('SELECT 1 FROM exports WHERE repo_path = ? AND branch = ?').get(root, branch)) return null;
    return { attempt: null, tip, ours };
  }

  /** Worktrees registered for `branch` in temp export folders (ours), removed with their folders. */
  private async removeExportWorktrees(root: string, branch: string, extra: string | null): Promise<string[]> {
    const removed: string[] = [];
    const list = await git(root, ['worktree', 'list', '--porcelain']);
    const paths = new Set<string>(extra ? [extra] : []);
    for (const block of list.stdout.split('\n\n')) {
      const path = /^worktree (.+)$/m.exec(block)?.[1];
      const br = /^branch refs\/heads\/(.+)$/m.exec(block)?.[1];
      if (path && br === branch && /pmw-export-/.test(path)) paths.add(path);
    }
    for (const wt of paths) {
      const rm = await git(root, ['worktree', 'remove', '--force', wt]);
      if (rm.code !== 0) rmSync(wt, { recursive: true, force: true });
      const parent = resolve(wt, '..');
      if (/pmw-export-/.test(parent)) rmSync(parent, { recursive: true, force: true });
      removed.push(`worktree ${wt}`);
    }
    await git(root, ['worktree', 'prune']);
    return removed;
  }

  /** Finish (record what was committed, or export again when nothing was) or discard a half-finished export. */
  async recover(input: { key: string; repo: string; branch: string; action: 'finish' | 'discard' }): Promise<ExportRecoverResult> {
    const repo = await this.resolveRepo(resolve(input.repo));
    if ('error' in repo) throw new ApiError('VALIDATION', repo.error, { issues: [{ field: 'repo', message: repo.error }] });
    const root = repo.root;
    return this.serialized(root, async () => {
      const incidentId = this.incidentId(input.key);
      const hf = await this.halfFinished(root, input.branch, input.key);
      if (!hf) throw new ApiError('NOT_FOUND', `There is no half-finished export of ${input.key} on branch ${input.branch} in ${root}.`, { issues: [{ field: 'branch', message: 'no half-finished export' }] });
      const removed = await this.removeExportWorktrees(root, input.branch, hf.attempt?.worktree ?? null);
      const dropAttempt = () => writeTx(this.db, () => this.db.prepare('DELETE FROM export_attempts WHERE repo_path = ? AND branch = ?').run(root, input.branch));
      const dropBranch = async () => {
        if (!hf.tip) return;
        const d = await git(root, ['update-ref', '-d', `refs/heads/${input.branch}`, hf.tip]);
        if (d.code !== 0) throw gitFailure(`remove the branch ${input.branch}`, d);
        removed.push(`branch ${input.branch}`);
      };
      if (input.action === 'discard') {
        await dropBranch();
        dropAttempt();
        return { action: 'discarded', branch: input.branch, removed };
      }
      if (hf.ours && hf.tip) {
        // The commit was made: record it as the export it is.
        const names = await git(root, ['diff-tree', '--no-commit-id', '--name-only', '-r', '-z', hf.tip]);
        if (names.code !== 0) throw gitFailure('list the exported files', names);
        const stored: StoredFile[] = [];
        for (const p of names.stdout.split('\0').filter(Boolean)) {
          const b = await git(root, ['cat-file', 'blob', `${hf.tip}:${p}`], { timeoutMs: GIT_LONG });
          if (b.code === 0) stored.push({ path: p, sha256: sha256(b.raw), content: b.raw.toString('utf8') });
        }
        const id = writeTx(this.db, () => {
          this.db.prepare('DELETE FROM export_attempts WHERE repo_path = ? AND branch = ?').run(root, input.branch);
          return Number(
            this.db
              .prepare('INSERT INTO exports (incident_id, repo_path, branch, commit_sha, files, created_at) VALUES (?, ?, ?, ?, ?, ?)')
              .run(incidentId, root, input.branch, hf.tip, JSON.stringify(stored), this.now()).lastInsertRowid,
          );
        });
        return { action: 'finished', record: toExportRecord(rows<ExportRow>(this.db, 'SELECT * FROM exports WHERE id = ?').get(id)!) };
      }
      // Nothing was committed: start that export again from a clean slate.
      await dropBranch();
      dropAttempt();
      return { action: 'finished', record: await this.runLocked({ key: input.key, repo: root, branch: input.branch }) };
    });
  }

  // ---- the plan (preview) ------------------------------------------------------------------
  private async plan(input: ExportInput): Promise<Plan> {
    const inc = this.incident(input.key);
    const incidentId = this.incidentId(input.key);
    const refusals: ExportRefusal[] = [];
    const refuse = (code: string, message: string, path?: string) => {
      if (!refusals.some((r) => r.code === code && r.path === path && (path !== undefined || r.message === message))) {
        refusals.push(path === undefined ? { code, message } : { code, message, path });
      }
    };

    // Repository: an existing directory that is the top level of a git work tree.
    const given = resolve(input.repo);
    const repo = await this.resolveRepo(given);
    if ('error' in repo) refuse('NOT_A_REPO', repo.error, given);
    const root = 'root' in repo ? repo.root : null;
    const repoPath = root ?? given;

    // HEAD: the commit the branch starts from.
    let head = '';
    if (root) {
      const h = await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
      if (h.code === 0) head = h.stdout.trim();
      else refuse('NO_COMMITS', `${root} has no commits yet: there is no HEAD to branch from. Make a first commit, then export.`, root);
    }

    // Folders: given, else remembered for this repository, else the defaults.
    const requested = input.paths ?? (root ? this.rememberedPaths(root) : null) ?? DEFAULT_EXPORT_PATHS;
    const paths = { ...requested };
    const unsafeDir = new Set<keyof ExportPaths>();
    for (const k of Object.keys(PATH_KEY) as (keyof ExportPaths)[]) {
      const n = normalizeRepoPath(requested[k], 'folder');
      if (n.error) {
        unsafeDir.add(k);
        refuse('UNSAFE_PATH', `The ${PATH_KEY[k]} folder ${n.error}.`, requested[k]);
      } else paths[k] = n.path;
    }

    // Files: normalised, each checked lexically, then against the working tree and HEAD.
    const files: ExportFilePlan[] = [];
    const safe: ExportFilePlan[] = [];
    const seen = new Set<string>();
    for (const s of this.stubs(input.key, paths)) {
      const n = normalizeRepoPath(s.path, 'file');
      const plan: ExportFilePlan = { path: n.error ? s.path : n.path, kind: s.kind, content: s.content, existing: null, lastExported: null, status: 'new' };
      files.push(plan);
      if (n.error) {
        if (!unsafeDir.has(KIND_DIR[s.kind])) refuse('UNSAFE_PATH', `The file ${n.error}.`, s.path);
        continue;
      }
      const dupKey = caseInsensitiveFs ? n.path.toLowerCase() : n.path;
      if (seen.has(dupKey)) {
        refuse('UNSAFE_PATH', `Two files would be written to ${n.path}.`, n.path);
        continue;
      }
      seen.add(dupKey);
      safe.push(plan);
    }

    if (root) {
      const unsafe = new Set<string>();
      for (const f of safe) {
        const problem = this.checkWorkingTree(root, f.path);
        if (problem) {
          refuse('UNSAFE_PATH', problem.message, problem.path);
          unsafe.add(f.path);
        }
      }
      if (head) {
        const tree = await this.treeEntries(root, head, safe.filter((f) => !unsafe.has(f.path)).map((f) => f.path));
        for (const f of safe) {
          if (unsafe.has(f.path)) continue;
          const problem = checkTree(tree, f.path);
          if (problem) {
            refuse('UNSAFE_PATH', problem.message, problem.path);
            unsafe.add(f.path);
          }
        }
        // What is there now (HEAD, else an untracked file in the working tree), what we exported there last.
        const history = this.history(root);
        for (const f of safe) {
          if (unsafe.has(f.path)) continue;
          const entry = tree.get(f.path);
          if (entry && entry.type === 'blob') {
            const b = await git(root, ['cat-file', 'blob', entry.oid], { timeoutMs: GIT_LONG });
            if (b.code !== 0) throw gitFailure(`read ${f.path} at HEAD`, b);
            f.existing = b.raw.toString('utf8');
          } else if (!entry) {
            f.existing = readUntracked(root, f.path);
          }
          const h = history.get(f.path);
          f.lastExported = h?.content ?? null;
          f.status = status(f, h?.hashes);
          if (f.status === 'conflict') {
            refuse(
              'CONFLICT',
              h
                ? `${f.path} was changed in the repository since our last export of it (${h.when}, branch ${h.branch}); nothing is overwritten — see the three versions in the preview.`
                : `${f.path} already exists in the repository with other content and was not written by an export; nothing is overwritten.`,
              f.path,
            );
          }
        }
      }
      // Tracked changes in the working tree.
      const st = await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=no'], { env: { GIT_OPTIONAL_LOCKS: '0' }, timeoutMs: GIT_LONG });
      if (st.code !== 0) throw gitFailure('read the status of the working tree', st);
      const dirty = parsePorcelain(st.stdout);
      if (dirty.length) {
        refuse('DIRTY', `${root} has uncommitted changes to tracked files: ${listNames(dirty)}. Commit or stash them, then export.`, root);
      }
    }

    // Branch.
    const branch = (input.branch ?? '').trim() || exportBranchName(inc.key, inc.title);
    let suggestedBranch: string | null = null;
    const badBranch = await this.checkBranchName(root, branch);
    if (badBranch) refuse('BAD_BRANCH', badBranch, branch);
    else if (root) {
      const refs = await git(root, ['for-each-ref', '--format=%(refname)', 'refs/heads/']);
      if (refs.code !== 0) throw gitFailure('list the branches', refs);
      const names = refs.stdout.split('\n').filter(Boolean).map((r) => r.replace(/^refs\/heads\//, ''));
      const norm = (s: string) => (caseInsensitiveFs ? s.toLowerCase() : s);
      const taken = new Set(names.map(norm));
      const blocks = (b: string): string | undefined => {
        const nb = norm(b);
        if (taken.has(nb)) return b;
        // A ref "a/b" cannot coexist with "a" (nor with "a/b/c").
        const parent = prefixes(b).slice(0, -1).find((p) => taken.has(norm(p)));
        if (parent) return parent;
        return names.find((n) => norm(n).startsWith(`${nb}/`));
      };
      const clash = blocks(branch);
      if (clash !== undefined) {
        const parent = clash !== branch && !clash.startsWith(`${branch}/`);
        if (parent) refuse('BAD_BRANCH', `The branch ${clash} exists, so no branch ${branch} can be created (git keeps branches as files and folders); choose another name.`, branch);
        else {
          for (let i = 2; i < 1000 && !suggestedBranch; i++) if (!blocks(`${branch}-${i}`)) suggestedBranch = `${branch}-${i}`;
          const hf = clash === branch ? await this.halfFinished(root, branch, inc.key) : null;
          if (hf) {
            refuse(
              'HALF_FINISHED',
              `An export of ${inc.key} to the branch ${branch} was interrupted${hf.attempt ? ` (started ${hf.attempt.started_at})` : ''} and never recorded: ` +
                (hf.ours ? 'its commit is there. Finish it (record that commit) or discard it (remove the branch and its worktree).' : 'nothing was committed. Finish it (export again) or discard it (remove the branch and its worktree).'),
              branch,
            );
          } else refuse('BRANCH_EXISTS', `A branch ${clash} already exists in ${root}${suggestedBranch ? `; use ${suggestedBranch} instead` : ''}.`, branch);
        }
      }
    }

    // Secrets: every file to write is scanned; a hit refuses the export unless overridden by the caller.
    const secrets: ExportPreview['secrets'] = [];
    const allow = new Set((input.allowSecrets ?? []).map((a) => `${a.file}\u0000${a.line}\u0000${a.rule}`));
    for (const f of files) {
      for (const h of scanText(f.content, f.path)) {
        const allowed = allow.has(`${f.path}\u0000${h.line}\u0000${h.rule}`);
        secrets.push({ file: f.path, line: h.line, rule: h.rule, allowed });
      }
    }
    const blocked = secrets.filter((h) => !h.allowed);
    if (blocked.length) {
      const where = blocked.slice(0, 5).map((h) => `${h.file}:${h.line} (${h.rule})`).join(', ');
      refuse(
        SECRET_REFUSAL,
        `${blocked.length} secret${blocked.length === 1 ? '' : 's'} would be written to the repository: ${where}${blocked.length > 5 ? ` and ${blocked.length - 5} more` : ''}. Remove ${blocked.length === 1 ? 'it' : 'them'} from the findings or documents, or override a known test fixture with a reason.`,
      );
    }

    if (!refusals.length && files.length && files.every((f) => f.status === 'unchanged')) {
      refuse('NOTHING_TO_EXPORT', `Every file is already in ${repoPath} exactly as it would be written; there is nothing to commit.`);
    }
    if (!files.length) refuse('NOTHING_TO_EXPORT', `There are no files to export for ${inc.key}.`);

    return { preview: { repo: repoPath, head, branch, suggestedBranch, paths, files, refusals, secrets }, title: inc.title, incidentId };
  }

  private async resolveRepo(given: string): Promise<{ root: string } | { error: string }> {
    let real: string;
    try {
      if (!statSync(given).isDirectory()) return { error: `${given} is not a git repository (it is not a folder).` };
      real = realpathSync(given);
    } catch {
      return { error: `${given} is not a git repository (no such folder).` };
    }
    const top = await git(real, ['rev-parse', '--show-toplevel']);
    if (top.code !== 0 || !top.stdout.trim()) {
      const why = top.stderr.split('\n').map((l) => l.trim()).find(Boolean);
      return { error: `${given} is not a git repository${why ? ` (git: ${why.slice(0, 300)})` : ''}.` };
    }
    let topReal: string;
    try {
      topReal = realpathSync(top.stdout.trim());
    } catch {
      return { error: `${given} is not a git repository.` };
    }
    if (topReal !== real) return { error: `${given} is not a git repository's top level: it is inside ${topReal}; choose that folder.` };
    return { root: real };
  }

  /** Each existing component along `path` in the working tree must be a real folder (the last a regular file), never a link. */
  private checkWorkingTree(root: string, path: string): { path: string; message: string } | null {
    const parts = prefixes(path);
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      const last = i === parts.length - 1;
      let st;
      try {
        st = lstatSync(join(root, ...p.split('/')));
      } catch {
        return null; // absent: nothing further along exists either
      }
      if (st.isSymbolicLink()) {
        let target = '';
        try {
          target = ` (to ${readlinkSync(join(root, ...p.split('/')))})`;
        } catch {
          /* unreadable link */
        }
        return { path: p, message: `${p} is a symbolic link${target}: writing ${path} through it could leave the repository.` };
      }
      if (!last && !st.isDirectory()) return { path: p, message: `${p} is a file, not a folder, so ${path} cannot be written.` };
      if (last && !st.isFile()) return { path: p, message: `${p} exists and is not a regular file.` };
    }
    return null;
  }

  /** HEAD's entry for every component of every path (non-recursive ls-tree per component). */
  private async treeEntries(root: string, head: string, paths: string[]): Promise<Map<string, TreeEntry>> {
    const all = [...new Set(paths.flatMap(prefixes))];
    const out = new Map<string, TreeEntry>();
    const results = await Promise.all(all.map((p) => git(root, ['--literal-pathspecs', 'ls-tree', '-z', head, '--', p]).then((r) => [p, r] as const)));
    for (const [p, r] of results) {
      if (r.code !== 0) throw gitFailure(`read ${p} at HEAD`, r);
      for (const rec of r.stdout.split('\0')) {
        const m = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(rec);
        if (m && m[4] === p) out.set(p, { mode: m[1], type: m[2], oid: m[3] });
      }
    }
    return out;
  }

  /** Per path in this repository: the newest content we exported there, and the hashes of every version we did. */
  private history(root: string): Map<string, { content: string | null; hashes: Set<string>; when: string; branch: string }> {
    const found = rows<Pick<ExportRow, 'branch' | 'files' | 'created_at'>>(this.db, 'SELECT branch, files, created_at FROM exports WHERE repo_path = ? ORDER BY created_at DESC, id DESC').all(root);
    const out = new Map<string, { content: string | null; hashes: Set<string>; when: string; branch: string }>();
    for (const r of found) {
      // Unreadable JSON: nothing known of that export.
      for (const f of storedFiles(r.files)) {
        const h = out.get(f.path);
        if (!h) out.set(f.path, { content: f.content ?? null, hashes: new Set([f.sha256]), when: r.created_at, branch: r.branch });
        else {
          h.hashes.add(f.sha256);
          if (h.content === null && typeof f.content === 'string') h.content = f.content;
        }
      }
    }
    return out;
  }

  private async checkBranchName(root: string | null, branch: string): Promise<string | null> {
    const msg = `${JSON.stringify(branch)} is not a valid git branch name (no spaces, "..", "~^:?*[\\", leading "-" or "." or trailing "/", ".lock").`;
    if (!isValidBranchName(branch)) return msg;
    if (root) {
      const r = await git(root, ['check-ref-format', '--branch', branch]);
      if (r.code !== 0 || r.stdout.trim() !== branch) return msg;
    }
    return null;
  }

  // ---- the commit --------------------------------------------------------------------------
  private async runLocked(input: ExportInput): Promise<ExportRecord> {
    const { preview, title, incidentId } = await this.plan(input);
    if (preview.refusals.length) throw refusalError(preview);
    const root = preview.repo;
    const { branch, head } = preview;
    const tmp = mkdtempSync(join(tmpdir(), 'pmw-export-'));
    const wt = join(tmp, 'worktree');
    let branchCreated = false;
    let commit = '';
    const cleanup = async () => {
      const rm = await git(root, ['worktree', 'remove', '--force', wt]);
      if (rm.code !== 0) {
        rmSync(wt, { recursive: true, force: true });
        await git(root, ['worktree', 'prune']);
      }
      rmSync(tmp, { recursive: true, force: true });
    };
    const dropBranch = async () => {
      // Delete only if it still points where we left it (compare-and-delete).
      if (branchCreated) await git(root, ['update-ref', '-d', `refs/heads/${branch}`, commit || head]);
    };
    // Recorded before git is touched: if this process dies from here on, the next preview offers to finish or discard.
    const attemptId = writeTx(this.db, () =>
      Number(
        this.db
          .prepare('INSERT INTO export_attempts (incident_id, repo_path, branch, head, worktree, owner, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(incidentId, root, branch, head, wt, OWNER, this.now()).lastInsertRowid,
      ),
    );
    const dropAttempt = () => writeTx(this.db, () => this.db.prepare('DELETE FROM export_attempts WHERE id = ?').run(attemptId));
    try {
      const add = await git(root, ['worktree', 'add', '--quiet', '-b', branch, wt, head], { timeoutMs: GIT_LONG });
      const exists = await git(root, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
      // A failed add may still have created the branch (e.g. a post-checkout hook failed); one that existed already is not ours.
      branchCreated = exists.code === 0 && exists.stdout.trim() === head && (add.code === 0 || !/already exists/i.test(add.stderr));
      if (add.code !== 0) throw gitFailure(`create the branch ${branch} in ${root}`, add);

      for (const f of preview.files) {
        const problem = this.checkWorkingTree(wt, f.path);
        if (problem) throw new ApiError('VALIDATION', problem.message, { refusals: [{ code: 'UNSAFE_PATH', ...problem }] });
        writeInside(wt, f.path, f.content);
      }
      const paths = preview.files.map((f) => f.path);
      const staged = await git(wt, ['--literal-pathspecs', 'add', '--force', '--', ...paths], { timeoutMs: GIT_LONG });
      if (staged.code !== 0) throw gitFailure('stage the files', staged);

      const subject = `postmortem: ${input.key} ${title.replace(/\s+/g, ' ').trim()}`;
      const body = ['Files:', ...preview.files.map((f) => `- ${f.path} (${f.status})`), '', 'Exported by Postmortem Workbench.'].join('\n');
      const c = await git(wt, ['commit', '--quiet', '-m', subject, '-m', body], { timeoutMs: GIT_LONG });
      if (c.code !== 0) {
        const output = clip(`${c.stderr}\n${c.stdout}`);
        throw new ApiError('CONFLICT', `The commit in ${root} failed; nothing was exported${output ? `:\n${output}` : '.'}`, { stage: 'commit', output });
      }
      const sha = await git(wt, ['rev-parse', '--verify', 'HEAD^{commit}']);
      if (sha.code !== 0) throw gitFailure('read the new commit', sha);
      commit = sha.stdout.trim();

      // Record what the commit holds (a hook may have reformatted a file).
      const stored: StoredFile[] = [];
      for (const p of paths) {
        const b = await git(wt, ['cat-file', 'blob', `${commit}:${p}`], { timeoutMs: GIT_LONG });
        if (b.code !== 0) continue;
        const content = b.raw.toString('utf8');
        stored.push({ path: p, sha256: sha256(b.raw), content });
      }
      await cleanup();

      const createdAt = this.now();
      const id = writeTx(this.db, () => {
        this.db.prepare('DELETE FROM export_attempts WHERE id = ?').run(attemptId);
        const info = this.db
          .prepare('INSERT INTO exports (incident_id, repo_path, branch, commit_sha, files, created_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(incidentId, root, branch, commit, JSON.stringify(stored), createdAt);
        this.db
          .prepare(
            `INSERT INTO export_settings (repo_path, runbooks_dir, tests_dir, postmortems_dir, updated_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT(repo_path) DO UPDATE SET runbooks_dir = excluded.runbooks_dir, tests_dir = excluded.tests_dir,
               postmortems_dir = excluded.postmortems_dir, updated_at = excluded.updated_at`,
          )
          .run(root, preview.paths.runbooksDir, preview.paths.testsDir, preview.paths.postmortemsDir, createdAt);
        return Number(info.lastInsertRowid);
      });
      const allowed = preview.secrets.filter((h) => h.allowed);
      if (allowed.length) {
        const reasons = new Map((input.allowSecrets ?? []).map((a) => [`${a.file}\u0000${a.line}\u0000${a.rule}`, a.reason.trim()]));
        const list = allowed.map((h) => `${h.file}:${h.line} (${h.rule}) — ${reasons.get(`${h.file}\u0000${h.line}\u0000${h.rule}`) ?? ''}`);
        this.record(input.key, `Secret scan overridden for the export to ${root} (branch ${branch}, commit ${commit.slice(0, 12)}): ${allowed.length} hit${allowed.length === 1 ? '' : 's'} allowed — ${list.join('; ')}.`);
      }
      return toExportRecord(rows<ExportRow>(this.db, 'SELECT * FROM exports WHERE id = ?').get(id)!);
    } catch (e) {
      try {
        await cleanup();
      } catch {
        /* best effort */
      }
      await dropBranch().catch(() => undefined);
      try {
        dropAttempt();
      } catch {
        /* reported as half-finished later */
      }
      throw e;
    }
  }
}

interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
}

function checkTree(tree: Map<string, TreeEntry>, path: string): { path: string; message: string } | null {
  const parts = prefixes(path);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const e = tree.get(p);
    if (!e) return null;
    const last = i === parts.length - 1;
    if (e.mode === '120000') return { path: p, message: `${p} is a symbolic link in the repository: writing ${path} through it could leave the repository.` };
    if (e.mode === '160000') return { path: p, message: `${p} is a git submodule; ${path} cannot be written into it.` };
    if (!last && e.type !== 'tree') return { path: p, message: `${p} is a file, not a folder, so ${path} cannot be written.` };
    if (last && e.type !== 'blob') return { path: p, message: `${p} is a folder in the repository, not a file.` };
  }
  return null;
}

function status(f: ExportFilePlan, hashes: Set<string> | undefined): ExportFileStatus {
  if (f.existing === null) return 'new';
  if (f.existing === f.content) return 'unchanged';
  if (hashes?.has(sha256(f.existing))) return 'modified';
  return 'conflict';
}

function readUntracked(root: string, path: string): string | null {
  try {
    const p = join(root, ...path.split('/'));
    if (!lstatSync(p).isFile()) return null;
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

/** `git status --porcelain -z`: "XY path\0" (renames add "\0orig"). */
function parsePorcelain(out: string): string[] {
  const recs = out.split('\0');
  const names: string[] = [];
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i];
    if (r.length < 4) continue;
    names.push(r.slice(3));
    if (r[0] === 'R' || r[0] === 'C') i++;
  }
  return names;
}

/** Write `content` at `path` below `root`, creating folders; never following a link. */
function writeInside(root: string, path: string, content: string): void {
  const parts = path.split('/');
  const dir = join(root, ...parts.slice(0, -1));
  mkdirSync(dir, { recursive: true, mode: OWNER_DIR_MODE });
  const realRoot = realpathSync(root);
  const realDir = realpathSync(dir);
  if (realDir !== realRoot && !realDir.startsWith(realRoot + sep)) {
    throw new ApiError('VALIDATION', `${path} would be written outside the repository.`, { refusals: [{ code: 'UNSAFE_PATH', message: `${path} resolves outside the repository`, path }] });
  }
  const flags = fsc.O_WRONLY | fsc.O_CREAT | fsc.O_TRUNC | (fsc.O_NOFOLLOW ?? 0);
  const fd = openSync(join(dir, parts[parts.length - 1]), flags, OWNER_FILE_MODE);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

function gitFailure(what: string, r: GitResult): ApiError {
  const output = clip(`${r.stderr}\n${r.stdout}`);
  return new ApiError('INTERNAL', `git could not ${what}${output ? `: ${output}` : ''}`, { output });
}

function refusalError(p: ExportPreview): ApiError {
  const input = p.refusals.some((r) => (INPUT_REFUSALS as readonly string[]).includes(r.code));
  const secret = p.refusals.some((r) => r.code === SECRET_REFUSAL);
  const code: ApiErrorCode = secret ? 'SECRET_DETECTED' : input ? 'VALIDATION' : 'CONFLICT';
  const first = p.refusals[0];
  const more = p.refusals.length > 1 ? ` (and ${p.refusals.length - 1} more reason${p.refusals.length > 2 ? 's' : ''})` : '';
  const field = (c: string) =>
    c === 'NOT_A_REPO' || c === 'NO_COMMITS' || c === 'DIRTY' ? 'repo' : c === 'BAD_BRANCH' || c === 'BRANCH_EXISTS' || c === 'HALF_FINISHED' ? 'branch' : c === 'UNSAFE_PATH' ? 'paths' : c === SECRET_REFUSAL ? 'allowSecrets' : 'files';
  const lead = (secret && p.refusals.find((r) => r.code === SECRET_REFUSAL)) || first;
  return new ApiError(code, `Export refused, nothing was written: ${lead.message}${more}`, {
    ...(secret ? { secrets: p.secrets.filter((h) => !h.allowed).map(({ file, line, rule }) => ({ file, line, rule })) } : {}),
    refusals: p.refusals,
    suggestedBranch: p.suggestedBranch,
    issues: p.refusals.map((r) => ({ field: field(r.code), message: r.message })),
  });
}
