// Team sync over git (issue 15): `team join` clones the team's repository beside the database and claims a
// member number; `team sync` fetches, merges record by record against the last synced commit, writes the
// database in one transaction, commits with the user's own git (identity, hooks, signing) and pushes,
// fetching and merging again when the push is not a fast-forward.
//
// Crash safety: the local clone is disposable — every attempt starts with `git checkout -f` of the fetched
// commit and `git clean` of our folders (a stale index.lock left by a killed git is removed first; our own
// lock file keeps two syncs apart). The database changes only in one transaction per attempt, which also
// moves `base_commit` to the fetched commit; what this machine changed stays in the queue (team_dirty)
// until its push has succeeded. A kill at any point therefore either rolls back (before the transaction)
// or leaves a database that the next sync merges and pushes again (after it) — three-way against the new
// base, so pulled changes are not taken for local ones.
//
// Secrets: every text that goes into the repository is built from redacted values (shared/redact) and
// then scanned file by file, as export does; a hit refuses the push (SECRET_DETECTED, file, line, rule).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, openSync, closeSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Db } from '../store/db';
import { writeTx } from '../store/tx';
import type { BlobStore } from '../store/blobs';
import { OWNER, ownerAlive } from '../store/cleanup';
import { git, type GitResult } from '../git';
import { ApiError } from '../../shared/api/errors';
import { INCIDENT_KEY_PATTERN } from '../../shared/domain';
import { redactText, scanText } from '../../shared/redact/index';
import { canon, mergeIncident, splitPath, sortKeys, type Coll, type IncidentDoc, type Json, type Rec } from '../../shared/team/merge';
import { ARTIFACTS_DIR, docToFiles, filesToDoc, FORMAT_FILE, formatFileText, formatProblem, FormatError, INCIDENTS_DIR, INCIDENT_FILES, MEMBERS_DIR } from '../../shared/team/format';
import { acceptGenerated } from '../../shared/generators/runbook';
import { MAX_MEMBER, memberPrefix } from './teamKeys';
import { refsToIds, refsToUids } from './teamRefs';
import { writeFiles } from './teamIo';
import { applyScenarios, dumpScenarios, planScenarios, resolveScenario, scenarioConflicts, SCENARIOS_DIR } from './teamScenarios';
import type { TeamConflict, TeamStatus, TeamSyncResult } from '../../shared/team/types';
import { StatementCache, type CountRow, type DocumentRow, type DrillActionRow, type DrillCardRow, type DrillRow, type IdRow, type IncidentRoleRow, type IncidentRow, type MaxRow, type PhaseEntryRow, type RowStatement } from '../store/rows';
import {
  toConflictRecord,
  type ChecklistItemFullRow,
  type ColumnInfoRow,
  type SyncedActionItemRow,
  type SyncedArtifactRow,
  type SyncedFindingRow,
  type SyncedIncidentRow,
  type SyncedTimelineEventRow,
  type TeamBlobMapRow,
  type TeamConflictRow,
  type TeamConflictWithKeyRow,
  type TeamRemoteArtifactRow,
  type TeamStateRow,
  type WithUid,
} from '../store/teamRows';

const GIT_NET_MS = 120_000;
const MAX_ATTEMPTS = 5;
/** Artifacts larger than this travel as a reference and hash only (PMW_TEAM_MAX_ARTIFACT_MB, default 20). */
export function teamArtifactLimit(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.PMW_TEAM_MAX_ARTIFACT_MB);
  return (Number.isFinite(mb) && mb >= 0 ? mb : 20) * 1024 * 1024;
}

/** Column values that are never free text (not redacted). */
const PLAIN_FIELDS = new Set(['uid', 'key', 'kind', 'phase', 'role', 'status', 'severity', 'failure_class', 'root_cause_origin', 'type', 'mode', 'detected_kind', 'gen_kind', 'scenario_id', 'released_by', 'content', 'stored', 'holder', 'author', 'due_date']);
function redactRec(r: Rec): Rec {
  const o: Rec = {};
  for (const [k, v] of Object.entries(r)) {
    o[k] = typeof v === 'string' && v.length > 5 && !PLAIN_FIELDS.has(k) && !k.endsWith('_at') ? redactText(v) : v;
  }
  return o;
}
/** A row as a record, less `keys` (every column is TEXT, INTEGER or NULL: already JSON). */
function omit<R extends { [K in keyof R]: Json }>(r: R, keys: readonly (keyof R & string)[]): Rec {
  const o: Rec = {};
  for (const [k, v] of Object.entries(r) as [string, Json][]) if (!(keys as readonly string[]).includes(k)) o[k] = v;
  return o;
}
const sha256 = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');
const clip = (s: string, n = 1500) => (s.trim().length > n ? `${s.trim().slice(0, n)}…` : s.trim());

function gitFail(what: string, r: GitResult): ApiError {
  return new ApiError('INTERNAL', `${what} failed (git exit ${r.code}): ${clip(r.stderr || r.stdout)}`);
}

export interface TeamServiceOptions {
  db: Db;
  blobs: BlobStore;
  dbPath: string;
  now?: () => string;
}

export class TeamService {
  private db: Db;
  private blobs: BlobStore;
  private dbPath: string;
  private now: () => string;
  private cols = new Map<string, Set<string>>();
  private running: Promise<unknown> | null = null;
  /** Prepared statements, kept: preparing a write compiles every trigger it fires, which is most of its cost. */
  private stmts: StatementCache;

  constructor(o: TeamServiceOptions) {
    this.db = o.db;
    this.stmts = new StatementCache(o.db);
    this.blobs = o.blobs;
    this.dbPath = o.dbPath;
    this.now = o.now ?? (() => new Date().toISOString());
  }

  /** The kept statement for `sql`, its rows typed `R`. */
  private st<R = unknown>(sql: string): RowStatement<R> {
    return this.stmts.get<R>(sql);
  }

  private columns(table: string): Set<string> {
    let c = this.cols.get(table);
    if (!c) {
      c = new Set(this.st<ColumnInfoRow>(`PRAGMA table_info(${table})`).all().map((r) => r.name));
      this.cols.set(table, c);
    }
    return c;
  }

  state(): TeamStateRow | null {
    return this.st<TeamStateRow>('SELECT * FROM team_state WHERE id = 1').get() ?? null;
  }
  private need(): TeamStateRow {
    const s = this.state();
    if (!s) throw new ApiError('VALIDATION', 'This database has not joined a team; run pmw team join REMOTE first', { issues: [{ field: 'team', message: 'not joined' }] });
    return s;
  }
  private me(s: TeamStateRow): string {
    return String(s.member_no).padStart(3, '0');
  }

  // ---- canonical form of one incident, from the database ---------------------------------------
  mine(key: string, s: TeamStateRow | null = this.state()): IncidentDoc | null {
    const r = this.st<SyncedIncidentRow>('SELECT * FROM incidents WHERE key = ?').get(key);
    return r ? this.docOf(r, s) : null;
  }

  private docOf(r: SyncedIncidentRow, s: TeamStateRow | null): IncidentDoc {
    const id = r.id;
    const me = s ? this.me(s) : '';
    const author = s?.member_name || me;
    const q = <R>(sql: string): R[] => this.st<R>(sql).all(id);
    const doc: IncidentDoc = {
      incident: redactRec(omit(r, ['id', 'seq', 'revision'])),
      roles: {}, phases: {}, checklist: {}, drill: null, documents: {}, timeline: {}, findings: {}, actions: {}, artifacts: {}, conflicts: {},
    };
    for (const x of q<IncidentRoleRow>('SELECT role, person FROM incident_roles WHERE incident_id = ?')) doc.roles[x.role] = redactRec({ person: x.person });
    for (const x of q<PhaseEntryRow>('SELECT * FROM phase_entries WHERE incident_id = ?')) doc.phases[x.phase] = redactRec(omit(x, ['incident_id', 'phase']));
    for (const x of q<ChecklistItemFullRow>('SELECT * FROM checklist_items WHERE incident_id = ?')) doc.checklist[`${x.phase}/${x.item_id}`] = { checked_at: x.checked_at };
    for (const x of q<SyncedTimelineEventRow>('SELECT * FROM timeline_events WHERE incident_id = ?')) {
      doc.timeline[x.uid] = redactRec({ ...omit(x, ['id', 'incident_id', 'uid']), author: x.author ?? author });
    }
    for (const x of q<SyncedFindingRow>('SELECT * FROM findings WHERE incident_id = ?')) doc.findings[x.uid] = redactRec(omit(x, ['id', 'incident_id', 'uid']));
    for (const x of q<SyncedActionItemRow>('SELECT * FROM action_items WHERE incident_id = ?')) doc.actions[x.uid] = redactRec(omit(x, ['id', 'incident_id', 'uid']));
    for (const x of q<DocumentRow>('SELECT * FROM documents WHERE incident_id = ?')) doc.documents[x.kind] = { content: redactText(x.content), generated: redactText(x.generated), updated_at: x.updated_at };
    for (const x of q<SyncedArtifactRow>('SELECT * FROM artifacts WHERE incident_id = ?')) {
      const m = this.blobMap(x.sha256, x.size, me);
      doc.artifacts[x.uid] = redactRec({ ...omit(x, ['id', 'incident_id', 'uid', 'sha256', 'source_path']), size: m.size, content: m.content, stored: m.stored, holder: m.holder });
    }
    for (const x of q<TeamRemoteArtifactRow>('SELECT uid, json FROM team_remote_artifacts WHERE incident_id = ?')) doc.artifacts[x.uid] = JSON.parse(x.json) as Rec;
    const d = this.st<DrillRow>('SELECT * FROM drills WHERE incident_id = ?').get(id);
    if (d) {
      const cards = this.st<DrillCardRow>('SELECT * FROM drill_cards WHERE drill_id = ? ORDER BY card_id').all(d.id).map((c) => omit(c, ['drill_id'])); // artifact ids → uids: refsToUids
      const acts = this.st<DrillActionRow>('SELECT * FROM drill_actions WHERE drill_id = ? ORDER BY action_id').all(d.id).map((c) => omit(c, ['drill_id']));
      doc.drill = redactRec({ ...omit(d, ['id', 'incident_id', 'revision']), cards: cards as Json, actions: acts as Json });
    }
    for (const x of q<TeamConflictRow>('SELECT * FROM team_conflicts WHERE incident_id = ?')) doc.conflicts[x.path] = toConflictRecord(x);
    refsToUids(this.db, doc);
    return doc; // plain SQLite values: already JSON; key order is settled where it matters (canon, docToFiles)
  }

  /** How an artifact's bytes travel: masked text (or clean binary) content-addressed, or over the limit a reference. */
  private masked = new Map<string, Uint8Array>();
  private blobMap(sha: string, size: number, me: string): { content: string; stored: 'repo' | 'reference'; size: number; holder: string } {
    const got = this.st<TeamBlobMapRow>('SELECT * FROM team_blob_map WHERE sha256 = ?').get(sha);
    if (got) return { content: got.content, stored: got.stored, size: got.size, holder: got.holder };
    let content = sha;
    let stored: 'repo' | 'reference' = 'reference';
    if (size <= teamArtifactLimit()) {
      const bytes = this.blobs.read(sha);
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const isText = !buf.includes(0);
      let out: Uint8Array | null;
      if (isText) out = Buffer.from(redactText(buf.toString('utf8')), 'utf8');
      else out = scanText(buf.toString('latin1')).length ? null : buf; // a binary file that looks like it holds a secret stays home
      if (out) {
        content = sha256(out);
        stored = 'repo';
        this.masked.set(content, out);
      }
    }
    const m = { content, stored, size, holder: me };
    this.st('INSERT OR REPLACE INTO team_blob_map (sha256, content, stored, size, holder) VALUES (?, ?, ?, ?, ?)').run(sha, content, stored, size, me);
    return m;
  }

  /** Every incident in canonical form, by key (what tests compare between machines). */
  dump(): Record<string, IncidentDoc> {
    const s = this.state();
    const out: Record<string, IncidentDoc> = {};
    for (const r of this.st<SyncedIncidentRow>('SELECT * FROM incidents ORDER BY key').all()) out[r.key] = JSON.parse(canon(this.docOf(r, s) as unknown as Json)) as IncidentDoc;
    return out;
  }

  // ---- writing a merged incident into the database ---------------------------------------------
  /** Insert or update by `keyCols` (plain statements: an UPSERT would override the OR IGNORE of other tables' triggers). */
  private upsert(table: string, row: Rec, keyCols: string, extra: Record<string, unknown>, fresh = false): void {
    const cols = this.columns(table);
    const vals: Record<string, unknown> = { ...extra };
    for (const [k, v] of Object.entries(row)) if (cols.has(k) && !(k in extra) && k !== 'id') vals[k] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
    const keys = keyCols.split(',').map((k) => k.trim());
    const where = keys.map((k) => `${k} = @${k}`).join(' AND ');
    const names = Object.keys(vals);
    const upd = names.filter((n) => !keys.includes(n));
    if (!fresh && this.st(`SELECT 1 FROM ${table} WHERE ${where}`).get(vals)) {
      if (upd.length) this.st(`UPDATE ${table} SET ${upd.map((n) => `${n} = @${n}`).join(', ')} WHERE ${where}`).run(vals);
    } else {
      this.st(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`).run(vals);
    }
  }

  private importDoc(doc: IncidentDoc, repoRoot: string): void {
    const inc = doc.incident;
    const uid = String(inc.uid);
    let r = this.st<Pick<IncidentRow, 'id' | 'key'>>('SELECT id, key FROM incidents WHERE uid = ?').get(uid);
    const fresh = !r; // a new incident: its records are all new too
    const cols = this.columns('incidents');
    const vals: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(inc)) if (cols.has(k) && !['id', 'seq', 'revision'].includes(k)) vals[k] = v;
    if (!r) {
      const clash = this.st<Pick<SyncedIncidentRow, 'uid'>>('SELECT uid FROM incidents WHERE key = ?').get(inc.key);
      if (clash) throw new ApiError('CONFLICT', `The repository has ${String(inc.key)} for another incident than this database's ${String(inc.key)}; nothing was changed`);
      const seq = (this.st<MaxRow>('SELECT MAX(seq) AS m FROM incidents').get()!.m ?? 0) + 1;
      const names = Object.keys(vals);
      this.st(`INSERT INTO incidents (seq, ${names.join(', ')}) VALUES (@__seq, ${names.map((n) => `@${n}`).join(', ')})`).run({ ...vals, __seq: seq });
      r = this.st<Pick<IncidentRow, 'id' | 'key'>>('SELECT id, key FROM incidents WHERE uid = ?').get(uid)!;
    } else {
      const names = Object.keys(vals).filter((n) => n !== 'uid');
      this.st(`UPDATE incidents SET ${names.map((n) => `${n} = @${n}`).join(', ')}, revision = revision + 1 WHERE id = @__id`).run({ ...vals, __id: r.id });
    }
    const id = r.id;
    this.st('DELETE FROM incident_roles WHERE incident_id = ?').run(id);
    for (const [role, x] of Object.entries(doc.roles)) this.st('INSERT INTO incident_roles (incident_id, role, person) VALUES (?, ?, ?)').run(id, role, x.person);
    this.st('DELETE FROM phase_entries WHERE incident_id = ?').run(id);
    for (const [phase, x] of Object.entries(doc.phases)) {
      this.st('INSERT INTO phase_entries (incident_id, phase, entered_at, exited_at, early_reason) VALUES (?, ?, ?, ?, ?)').run(id, phase, x.entered_at, x.exited_at ?? null, x.early_reason ?? null);
    }
    this.st('DELETE FROM checklist_items WHERE incident_id = ?').run(id);
    for (const [k, x] of Object.entries(doc.checklist)) {
      const i = k.indexOf('/');
      this.st('INSERT INTO checklist_items (incident_id, phase, item_id, checked_at) VALUES (?, ?, ?, ?)').run(id, k.slice(0, i), k.slice(i + 1), x.checked_at);
    }
    for (const [u, x] of Object.entries(doc.timeline)) this.upsert('timeline_events', x, 'uid', { uid: u, incident_id: id }, fresh);
    for (const [table, coll] of [['findings', doc.findings], ['action_items', doc.actions]] as [string, Coll][]) {
      const keep = new Set(Object.keys(coll));
      for (const x of this.st<WithUid<IdRow>>(`SELECT id, uid FROM ${table} WHERE incident_id = ?`).all(id)) if (!keep.has(x.uid)) this.st(`DELETE FROM ${table} WHERE id = ?`).run(x.id);
      for (const [u, x] of Object.entries(coll)) this.upsert(table, x, 'uid', { uid: u, incident_id: id }, fresh);
    }
    for (const [kind, x] of Object.entries(doc.documents)) {
      this.db
        .prepare('INSERT INTO documents (incident_id, kind, content, generated, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(incident_id, kind) DO UPDATE SET content = excluded.content, generated = excluded.generated, updated_at = excluded.updated_at')
        .run(id, kind, x.content ?? '', x.generated ?? '', x.updated_at ?? this.now());
    }
    for (const [u, x] of Object.entries(doc.artifacts)) {
      const local = this.st<IdRow>('SELECT id FROM artifacts WHERE uid = ?').get(u);
      if (local) {
        this.st('UPDATE artifacts SET role = ?, label = ?, name = ?, kind = ?, deleted_at = ? WHERE id = ?').run(x.role, x.label ?? '', x.name, x.kind, x.deleted_at ?? null, local.id);
        continue;
      }
      const file = join(repoRoot, ARTIFACTS_DIR, String(x.content).slice(0, 2), String(x.content));
      if (x.stored === 'repo' && existsSync(file)) {
        const bytes = readFileSync(file);
        if (sha256(bytes) !== x.content) throw new ApiError('VALIDATION', `${ARTIFACTS_DIR}/${String(x.content)} does not hash to its name; the repository copy is damaged`);
        const b = this.blobs.putBytes(bytes, Number.MAX_SAFE_INTEGER, String(x.name));
        this.st('INSERT OR IGNORE INTO team_blob_map (sha256, content, stored, size, holder) VALUES (?, ?, ?, ?, ?)').run(b.sha256, x.content, 'repo', x.size, x.holder);
        this.db
          .prepare('INSERT INTO artifacts (incident_id, uid, role, label, name, kind, detected_kind, size, sha256, captured_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(id, u, x.role, x.label ?? '', x.name, x.kind, x.detected_kind ?? x.kind, bytes.length, b.sha256, x.captured_at, x.deleted_at ?? null);
      } else {
        this.st('INSERT OR REPLACE INTO team_remote_artifacts (uid, incident_id, json) VALUES (?, ?, ?)').run(u, id, canon(x));
      }
    }
    if (doc.drill) {
      const { cards, actions, ...d } = doc.drill as Rec & { cards?: Rec[]; actions?: Rec[] };
      this.upsert('drills', d, 'incident_id', { incident_id: id });
      const did = this.st<IdRow>('SELECT id FROM drills WHERE incident_id = ?').get(id)!.id;
      this.st('DELETE FROM drill_cards WHERE drill_id = ?').run(did);
      for (const c of cards ?? []) this.upsert('drill_cards', c, 'drill_id, card_id', { drill_id: did });
      this.st('DELETE FROM drill_actions WHERE drill_id = ?').run(did);
      for (const c of actions ?? []) this.upsert('drill_actions', c, 'drill_id, action_id', { drill_id: did });
    }
    refsToIds(this.db, id, doc);
    this.st('DELETE FROM team_conflicts WHERE incident_id = ?').run(id);
    for (const [path, c] of Object.entries(doc.conflicts)) {
      this.db
        .prepare('INSERT INTO team_conflicts (incident_id, path, base, kept, kept_by, other, other_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(id, path, JSON.stringify(c.base ?? null), JSON.stringify(c.kept ?? null), String(c.kept_by ?? ''), JSON.stringify(c.other ?? null), String(c.other_by ?? ''));
    }
  }

  // ---- the local clone -------------------------------------------------------------------------
  cloneDir(): string {
    return `${resolve(this.dbPath)}-team`;
  }

  private async lock<T>(clone: string, fn: () => Promise<T>): Promise<T> {
    if (this.running) throw new ApiError('BUSY', 'A team sync is already running in this app; wait for it to finish');
    const file = `${clone}.lock`;
    mkdirSync(dirname(file), { recursive: true });
    for (let i = 0; i < 2; i++) {
      try {
        closeSync(openSync(file, 'wx'));
        writeFileSync(file, OWNER);
        break;
      } catch {
        const owner = (() => {
          try {
            return readFileSync(file, 'utf8');
          } catch {
            return '';
          }
        })();
        if (owner && ownerAlive(owner)) throw new ApiError('BUSY', `Another pmw process is syncing this database (${owner}); try again when it has finished`);
        rmSync(file, { force: true }); // left by a process that died: take over
      }
    }
    const p = fn();
    this.running = p;
    try {
      return await p;
    } finally {
      this.running = null;
      try {
        unlinkSync(file);
      } catch {
        /* gone already */
      }
    }
  }

  private async g(clone: string, args: string[], timeoutMs = GIT_NET_MS): Promise<GitResult> {
    return git(clone, args, { timeoutMs });
  }

  /**
   * Put the clone at `commit` (or an empty unborn branch), dropping anything a killed sync left. The file
   * .git/pmw-clean names the commit the clone was left clean at (written after a reset or a push, removed
   * before files are written); when it names `commit`, nothing needs doing — which saves two scans of the
   * whole tree per sync.
   */
  private async resetClone(clone: string, branch: string, commit: string | null): Promise<void> {
    const marker = join(clone, '.git', 'pmw-clean');
    let clean: string | null = null;
    try {
      clean = readFileSync(marker, 'utf8').trim();
    } catch {
      /* unknown state: reset */
    }
    if (commit && clean && !existsSync(join(clone, '.git', 'index.lock'))) {
      const head = await this.g(clone, ['rev-parse', '-q', '--verify', 'HEAD']);
      if (head.code === 0 && head.stdout.trim() === clean) {
        if (clean === commit) return;
        // Clean at an older commit: moving there is enough (nothing of ours is lying around to clean).
        rmSync(marker, { force: true });
        const r = await this.g(clone, ['checkout', '-q', '-f', '-B', branch, commit]);
        if (r.code === 0) {
          writeFileSync(marker, commit);
          return;
        }
      }
    }
    rmSync(marker, { force: true });
    rmSync(join(clone, '.git', 'index.lock'), { force: true });
    if (commit) {
      const r = await this.g(clone, ['checkout', '-q', '-f', '-B', branch, commit]);
      if (r.code) throw gitFail('git checkout in the team clone', r);
    } else {
      await this.g(clone, ['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
      await this.g(clone, ['update-ref', '-d', `refs/heads/${branch}`]);
      await this.g(clone, ['read-tree', '--empty']);
    }
    const c = await this.g(clone, ['clean', '-fdq', '--', INCIDENTS_DIR, ARTIFACTS_DIR, MEMBERS_DIR, SCENARIOS_DIR, FORMAT_FILE]);
    if (c.code) throw gitFail('git clean in the team clone', c);
    if (commit) writeFileSync(marker, commit);
  }
  private markDirty(clone: string): void {
    rmSync(join(clone, '.git', 'pmw-clean'), { force: true });
  }
  private markClean(clone: string, commit: string): void {
    writeFileSync(join(clone, '.git', 'pmw-clean'), commit);
  }

  private async fetch(clone: string): Promise<{ ok: true } | { ok: false; why: string }> {
    const r = await this.g(clone, ['fetch', '-q', '--prune', 'origin']);
    return r.code === 0 ? { ok: true } : { ok: false, why: clip(r.stderr || r.stdout, 400) };
  }

  private async tip(clone: string, branch: string): Promise<string | null> {
    const r = await this.g(clone, ['rev-parse', '--verify', '-q', `refs/remotes/origin/${branch}^{commit}`]);
    return r.code === 0 ? r.stdout.trim() : null;
  }

  private async show(clone: string, spec: string): Promise<string | null> {
    const r = await this.g(clone, ['cat-file', 'blob', spec]);
    return r.code === 0 ? r.stdout : null;
  }

  /** Many `commit:path` blobs at once (git cat-file --batch); missing ones are absent from the map. */
  private async showMany(clone: string, specs: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!specs.length) return out;
    const r = await git(clone, ['cat-file', '--batch'], { input: specs.join('\n') + '\n', timeoutMs: GIT_NET_MS });
    const buf = r.raw;
    let off = 0;
    for (const spec of specs) {
      const nl = buf.indexOf(10, off);
      if (nl < 0) break;
      const header = buf.subarray(off, nl).toString('utf8');
      off = nl + 1;
      const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!m) continue; // "<spec> missing"
      const size = Number(m[2]);
      out.set(spec, buf.subarray(off, off + size).toString('utf8'));
      off += size + 1;
    }
    return out;
  }

  private async checkFormat(clone: string, commit: string | null): Promise<void> {
    if (!commit) return;
    const problem = formatProblem(await this.show(clone, `${commit}:${FORMAT_FILE}`));
    if (problem) throw new ApiError('VALIDATION', problem, { issues: [{ field: FORMAT_FILE, message: problem }] });
  }

  // ---- join / leave ----------------------------------------------------------------------------
  async join(remote: string, opts: { name?: string } = {}): Promise<TeamStatus> {
    const have = this.state();
    if (have && have.remote !== remote) throw new ApiError('CONFLICT', `This database already syncs with ${have.remote}; run pmw team leave first`);
    if (have) return this.status();
    const clone = this.cloneDir();
    return this.lock(clone, async () => {
      rmSync(clone, { recursive: true, force: true });
      mkdirSync(dirname(clone), { recursive: true });
      const c = await git(dirname(clone), ['clone', '-q', remote, clone], { timeoutMs: GIT_NET_MS * 5 });
      if (c.code) throw new ApiError('VALIDATION', `Could not clone ${remote}: ${clip(c.stderr)}`, { issues: [{ field: 'remote', message: clip(c.stderr, 300) }] });
      const head = await this.g(clone, ['symbolic-ref', '--short', '-q', 'refs/remotes/origin/HEAD']);
      const branch = head.code === 0 ? head.stdout.trim().replace(/^origin\//, '') : (await this.g(clone, ['symbolic-ref', '--short', 'HEAD'])).stdout.trim() || 'main';
      const name = opts.name ?? (await this.g(clone, ['config', 'user.name'])).stdout.trim();
      const email = (await this.g(clone, ['config', 'user.email'])).stdout.trim();
      let member = 0;
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        if (attempt) {
          const f = await this.fetch(clone);
          if (!f.ok) throw new ApiError('VALIDATION', `Could not reach ${remote}: ${f.why}`);
        }
        const t = await this.tip(clone, branch);
        await this.checkFormat(clone, t);
        await this.resetClone(clone, branch, t);
        const taken = new Set(existsSync(join(clone, MEMBERS_DIR)) ? readdirSync(join(clone, MEMBERS_DIR)).map((f) => Number(f.slice(0, 3))).filter((n) => n > 0) : []);
        member = 1;
        while (taken.has(member)) member++;
        if (member > MAX_MEMBER) throw new ApiError('CONFLICT', `The team already has ${MAX_MEMBER} members; no member number is free`);
        this.markDirty(clone);
        mkdirSync(join(clone, MEMBERS_DIR), { recursive: true });
        writeFileSync(join(clone, MEMBERS_DIR, `${String(member).padStart(3, '0')}.json`), JSON.stringify(sortKeys({ member, name: redactText(name), email, joinedAt: this.now() }), null, 2) + '\n');
        if (!existsSync(join(clone, FORMAT_FILE))) writeFileSync(join(clone, FORMAT_FILE), formatFileText());
        await this.commitAll(clone, `pmw: member ${String(member).padStart(3, '0')} joins${name ? ` (${name})` : ''}`);
        const p = await this.push(clone, branch);
        if (p === 'ok') break;
        if (attempt === MAX_ATTEMPTS - 1) throw new ApiError('CONFLICT', 'Could not claim a member number: the repository kept moving; try again');
      }
      writeTx(this.db, () => {
        this.st('INSERT INTO team_state (id, remote, branch, clone_dir, member_no, member_name, member_email, joined_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)').run(remote, branch, clone, member, name, email, this.now());
        // Incidents never in the repository get this member's keys (synced ones keep theirs).
        const prefix = memberPrefix(member);
        let n = 0;
        const rows = this.st<Pick<SyncedIncidentRow, 'id' | 'key' | 'uid'>>('SELECT id, key, uid FROM incidents WHERE uid NOT IN (SELECT uid FROM team_known) ORDER BY seq').all();
        for (const r of rows) this.st('UPDATE incidents SET key = ? WHERE id = ?').run(`__pmw_rekey_${r.id}`, r.id);
        for (const r of rows) this.st('UPDATE incidents SET key = ? WHERE id = ?').run(`${prefix}${String(++n).padStart(4, '0')}`, r.id);
        this.st('REPLACE INTO team_dirty (incident_id) SELECT id FROM incidents').run();
      });
      // The team's history arrives (and this machine's goes out) at once.
      const r = await this.syncLocked(clone);
      this.st('UPDATE team_state SET last_attempt_at = ?, last_result = ? WHERE id = 1').run(this.now(), JSON.stringify(r));
      return this.status();
    });
  }

  leave(): { left: boolean } {
    const s = this.state();
    if (!s) return { left: false };
    writeTx(this.db, () => {
      this.st('DELETE FROM team_state').run();
      this.st('DELETE FROM team_conflicts').run();
    });
    rmSync(s.clone_dir, { recursive: true, force: true });
    return { left: true };
  }

  // ---- git writes ------------------------------------------------------------------------------
  private async commitAll(clone: string, message: string, only?: string[]): Promise<boolean> {
    const paths = only ?? [INCIDENTS_DIR, ARTIFACTS_DIR, MEMBERS_DIR, SCENARIOS_DIR, FORMAT_FILE].filter((p) => existsSync(join(clone, p)));
    // Deleted folders count too: `git add -A` on what git tracks under them.
    const a = await this.g(clone, ['add', '-A', '--', ...paths]);
    if (a.code) throw gitFail('git add', a);
    const d = await this.g(clone, ['diff', '--cached', '--quiet']);
    if (d.code === 0) return false;
    const c = await this.g(clone, ['commit', '-q', '-m', message]);
    if (c.code) {
      if (/tell me who you are|user\.email|user\.name/i.test(c.stderr)) {
        throw new ApiError('VALIDATION', `git needs your identity to commit: run git config --global user.name "Your Name" and git config --global user.email you@example.com (${clip(c.stderr, 200)})`);
      }
      throw new ApiError('CONFLICT', `git refused the commit (a hook?): ${clip(c.stderr || c.stdout)}. Nothing was pushed; your changes stay queued.`, { rejected: true });
    }
    return true;
  }

  private async push(clone: string, branch: string): Promise<'ok' | 'behind'> {
    const p = await this.g(clone, ['push', '--porcelain', 'origin', `HEAD:refs/heads/${branch}`]);
    if (p.code === 0) return 'ok';
    const all = `${p.stdout}\n${p.stderr}`;
    if (/non-fast-forward|fetch first|\[rejected\].*\(stale info\)/.test(all) && !/hook declined|protected branch/i.test(all)) return 'behind';
    if (/could not read from remote|unable to access|does not appear to be a git repository|Could not resolve host|Connection refused|timed out/i.test(all)) {
      throw new ApiError('BUSY', `The team repository could not be reached to push (${clip(p.stderr, 300)}); your changes stay queued — sync again when online`, { offline: true });
    }
    throw new ApiError('CONFLICT', `The team repository refused the push (a hook or a protected branch): ${clip(p.stderr || p.stdout, 800)}. Nothing was lost: your changes stay queued here and will be pushed by the next sync that is allowed.`, { rejected: true });
  }

  // ---- sync ------------------------------------------------------------------------------------
  async sync(): Promise<TeamSyncResult> {
    const s0 = this.need();
    const clone = s0.clone_dir;
    return this.lock(clone, async () => {
      try {
        const r = await this.syncLocked(clone);
        this.st('UPDATE team_state SET last_attempt_at = ?, last_result = ? WHERE id = 1').run(this.now(), JSON.stringify(r));
        return r;
      } catch (e) {
        const err = ApiError.from(e);
        this.st('UPDATE team_state SET last_attempt_at = ?, last_result = ? WHERE id = 1').run(this.now(), JSON.stringify({ error: err.message }));
        throw e;
      }
    });
  }

  private async syncLocked(clone: string): Promise<TeamSyncResult> {
    const pulled = new Set<string>();
    const conflicts: TeamConflict[] = [];
    let attempts = 0;
    if (!existsSync(join(clone, '.git'))) {
      const s = this.need();
      const c = await git(dirname(clone), ['clone', '-q', s.remote, clone], { timeoutMs: GIT_NET_MS * 5 });
      if (c.code) return this.offline(`could not clone ${s.remote}: ${clip(c.stderr, 300)}`);
    }
    for (;;) {
      attempts++;
      const s = this.need();
      const me = this.me(s);
      const f = await this.fetch(clone);
      if (!f.ok) return this.offline(f.why);
      const theirs = await this.tip(clone, s.branch);
      await this.checkFormat(clone, theirs);
      let base: string | null = s.base_commit ?? null;
      if (base && (await this.g(clone, ['cat-file', '-e', `${base}^{commit}`])).code) base = null; // history rewritten: merge as if new
      await this.resetClone(clone, s.branch, theirs);

      // Which incidents to look at: changed in the repository since the base, and queued here.
      const keys = new Set<string>();
      if (theirs) {
        if (base) {
          const d = await this.g(clone, ['diff', '--name-only', '-z', '--no-renames', base, theirs, '--', INCIDENTS_DIR]);
          for (const p of d.stdout.split('\0')) if (p.startsWith(`${INCIDENTS_DIR}/`)) keys.add(p.split('/')[1]);
        } else if (existsSync(join(clone, INCIDENTS_DIR))) {
          for (const k of readdirSync(join(clone, INCIDENTS_DIR))) keys.add(k);
        }
      }
      const snap = this.st<MaxRow>('SELECT MAX(seq) AS m FROM team_dirty').get()!.m ?? 0;
      const dirty = this.st<Pick<IncidentRow, 'key'>>('SELECT i.key FROM team_dirty d JOIN incidents i ON i.id = d.incident_id').all();
      for (const d of dirty) keys.add(d.key);
      const valid = [...keys].filter((k) => INCIDENT_KEY_PATTERN.test(k)).sort();

      const baseFiles = base ? await this.showMany(clone, valid.flatMap((k) => INCIDENT_FILES.map((f) => `${base}:${INCIDENTS_DIR}/${k}/${f}`))) : new Map<string, string>();
      const merged: { key: string; doc: IncidentDoc; theirs: IncidentDoc | null; toDb: boolean; toRepo: boolean }[] = [];
      for (const key of valid) {
        const folder = `${INCIDENTS_DIR}/${key}`;
        let b: IncidentDoc | null;
        let t: IncidentDoc | null;
        try {
          b = base ? filesToDoc(folder, (n) => baseFiles.get(`${base}:${folder}/${n}`) ?? null) : null;
          t = filesToDoc(folder, (n) => {
            const p = join(clone, folder, n);
            return existsSync(p) ? readFileSync(p, 'utf8') : null;
          });
        } catch (e) {
          if (e instanceof FormatError) throw new ApiError('VALIDATION', `The team repository has a malformed file: ${e.message}. Nothing was changed.`, { issues: [{ field: e.file, message: e.message }] });
          throw e;
        }
        const m = this.mine(key, s);
        const r = mergeIncident(b, m, t, me);
        if (!r.doc) continue;
        let toDb = !m;
        let toRepo = !t;
        if (m && t) {
          const c = canon(r.doc as unknown as Json);
          toDb = c !== canon(m as unknown as Json);
          toRepo = c !== canon(t as unknown as Json);
        }
        for (const x of r.conflicts) conflicts.push(this.describe(key, x.path, x.rec as Rec, me));
        if (toDb && t) pulled.add(key);
        merged.push({ key, doc: r.doc, theirs: t, toDb, toRepo });
      }

      const sc = planScenarios(this.db, clone, await this.scenarioBase(clone, base), me);
      conflicts.push(...sc.conflicts);
      for (const id of sc.pulled) pulled.add(`scenario ${id}`);

      // One transaction: the merged records, the new base, the queue minus what the repository now has.
      writeTx(this.db, () => {
        this.st('INSERT OR IGNORE INTO team_importing (id) VALUES (1)').run();
        for (const m of merged) {
          if (m.toDb) this.importDoc(m.doc, clone);
          this.st('INSERT OR IGNORE INTO team_known (uid) VALUES (?)').run(String(m.doc.incident.uid));
          if (!m.toRepo) this.st('DELETE FROM team_dirty WHERE seq <= ? AND incident_id = (SELECT id FROM incidents WHERE key = ?)').run(snap, m.key);
        }
        applyScenarios(this.db, sc);
        this.st('DELETE FROM team_importing').run();
        this.st('UPDATE team_state SET base_commit = ? WHERE id = 1').run(theirs);
      });

      const push = merged.filter((m) => m.toRepo);
      if (!push.length && !Object.keys(sc.files).length) {
        this.st('UPDATE team_state SET last_synced_at = ? WHERE id = 1').run(this.now());
        return this.result({ pulled: [...pulled], pushed: [], commit: theirs, conflicts, attempts });
      }
      const written: Record<string, string> = {};
      this.markDirty(clone);
      const pending: [string, string][] = []; // incident files: written in one batch below (teamIo)
      const pendingDirs: string[] = [];
      for (const m of push) {
        const folder = join(clone, INCIDENTS_DIR, m.key);
        const files = docToFiles(m.doc);
        const before = m.theirs ? docToFiles(m.theirs) : {};
        if (!m.theirs) pendingDirs.push(folder);
        for (const n of Object.keys(before)) if (!(n in files)) rmSync(join(folder, n), { force: true });
        for (const [n, text] of Object.entries(files)) {
          if (before[n] === text) continue; // only what changed is written (and scanned)
          pending.push([join(folder, n), text]);
          written[`${INCIDENTS_DIR}/${m.key}/${n}`] = text;
        }
        for (const a of Object.values(m.doc.artifacts)) {
          if (a.stored !== 'repo') continue;
          const rel = `${ARTIFACTS_DIR}/${String(a.content).slice(0, 2)}/${String(a.content)}`;
          if (existsSync(join(clone, rel))) continue;
          const bytes = this.masked.get(String(a.content)) ?? this.maskedFromStore(String(a.content));
          if (!bytes) continue;
          mkdirSync(dirname(join(clone, rel)), { recursive: true });
          writeFileSync(join(clone, rel), bytes);
          const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          written[rel] = buf.includes(0) ? buf.toString('latin1') : buf.toString('utf8');
        }
      }
      await writeFiles(pending, pendingDirs);
      for (const [rel, text] of Object.entries(sc.files)) {
        mkdirSync(join(clone, SCENARIOS_DIR), { recursive: true });
        writeFileSync(join(clone, rel), (written[rel] = text));
      }
      if (!existsSync(join(clone, FORMAT_FILE))) writeFileSync(join(clone, FORMAT_FILE), (written[FORMAT_FILE] = formatFileText()));
      // The gate, as for export: nothing unmasked is committed.
      const hits: { file: string; line: number; rule: string }[] = [];
      for (const [file, text] of Object.entries(written)) for (const h of scanText(text, file)) hits.push({ file, line: h.line, rule: h.rule });
      if (hits.length) {
        await this.resetClone(clone, s.branch, theirs);
        throw new ApiError('SECRET_DETECTED', `Sync stopped before committing: ${hits.length} secret value${hits.length === 1 ? '' : 's'} would reach the team repository (${hits.slice(0, 3).map((h) => `${h.file}:${h.line} ${h.rule}`).join('; ')}). Nothing was pushed.`, { secrets: hits });
      }
      const nsc = Object.keys(sc.files).length;
      const what = [push.length === 1 ? push[0].key : push.length ? `${push.length} incidents` : '', nsc ? `${nsc} scenario${nsc === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
      // Only the folders written are staged (git add of the whole tree stats every file).
      const paths = [...new Set([...push.map((m) => `${INCIDENTS_DIR}/${m.key}`), ...Object.keys(written).filter((f) => !f.startsWith(`${INCIDENTS_DIR}/`))])];
      await this.commitAll(clone, `pmw sync: ${what} from member ${me}${s.member_name ? ` (${s.member_name})` : ''}`, paths.length > 500 ? undefined : paths);
      const head = (await this.g(clone, ['rev-parse', 'HEAD'])).stdout.trim();
      const p = await this.push(clone, s.branch);
      if (p === 'behind') {
        if (attempts >= MAX_ATTEMPTS) throw new ApiError('BUSY', `The team repository kept moving during ${attempts} attempts; your changes stay queued — sync again`);
        continue;
      }
      this.markClean(clone, head);
      writeTx(this.db, () => {
        this.st('UPDATE team_state SET base_commit = ?, last_synced_at = ? WHERE id = 1').run(head, this.now());
        this.st('DELETE FROM team_dirty WHERE seq <= ?').run(snap);
      });
      this.masked.clear();
      return this.result({ pulled: [...pulled], pushed: push.map((m) => m.key), commit: head, conflicts, attempts });
    }
  }

  /** The scenario files at the base commit, by path. */
  private async scenarioBase(clone: string, base: string | null): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!base) return out;
    const ls = await this.g(clone, ['ls-tree', '-r', '--name-only', '-z', base, '--', SCENARIOS_DIR]);
    const names = ls.stdout.split('\0').filter((p) => p.startsWith(`${SCENARIOS_DIR}/`));
    const got = await this.showMany(clone, names.map((p) => `${base}:${p}`));
    for (const p of names) {
      const t = got.get(`${base}:${p}`);
      if (t !== undefined) out.set(p, t);
    }
    return out;
  }

  /** Every custom scenario in repository form, by uid (what tests compare between machines). */
  dumpScenarios(): Record<string, Json> {
    return dumpScenarios(this.db);
  }

  private maskedFromStore(content: string): Uint8Array | null {
    const r = this.st<Pick<TeamBlobMapRow, 'sha256'>>("SELECT sha256 FROM team_blob_map WHERE content = ? AND stored = 'repo'").get(content);
    if (!r || !this.blobs.has(r.sha256)) return null;
    const bytes = Buffer.from(this.blobs.read(r.sha256));
    const out = bytes.includes(0) ? bytes : Buffer.from(redactText(bytes.toString('utf8')), 'utf8');
    return sha256(out) === content ? out : null;
  }

  private offline(why: string): TeamSyncResult {
    const queued = this.st<CountRow>('SELECT COUNT(*) AS n FROM team_dirty').get()!.n;
    return this.result({ pulled: [], pushed: [], commit: null, conflicts: [], attempts: 1, offline: true, message: `Offline: the team repository could not be reached (${why}). ${queued} incident${queued === 1 ? '' : 's'} queued; they will be pushed by the next sync that can reach it.` });
  }

  private result(r: Omit<TeamSyncResult, 'offline' | 'message' | 'queued' | 'openConflicts'> & { offline?: boolean; message?: string }): TeamSyncResult {
    const queued = this.st<CountRow>('SELECT COUNT(*) AS n FROM team_dirty').get()!.n;
    const st = this.state();
    const open = this.st<CountRow>('SELECT COUNT(*) AS n FROM team_conflicts').get()!.n + (st ? scenarioConflicts(this.db, st.clone_dir, this.me(st)).length : 0);
    const message = r.message ?? `Synced: ${r.pulled.length} incident${r.pulled.length === 1 ? '' : 's'} pulled, ${r.pushed.length} pushed${r.conflicts.length ? `, ${r.conflicts.length} new conflict${r.conflicts.length === 1 ? '' : 's'} to resolve` : ''}.`;
    return { offline: false, ...r, message, queued, openConflicts: open };
  }

  private describe(key: string, path: string, c: Rec, me: string): TeamConflict {
    const mineIsOther = c.other_by === me;
    return { key, field: path, mine: (mineIsOther ? c.other : c.kept) ?? null, theirs: (mineIsOther ? c.kept : c.other) ?? null, base: c.base ?? null };
  }

  // ---- status and conflicts --------------------------------------------------------------------
  conflicts(): TeamConflict[] {
    const s = this.state();
    const me = s ? this.me(s) : '';
    const incidents = this.st<TeamConflictWithKeyRow>('SELECT c.*, i.key FROM team_conflicts c JOIN incidents i ON i.id = c.incident_id ORDER BY i.key, c.path')
      .all()
      .map((x) => this.describe(x.key, x.path, toConflictRecord(x), me));
    return s ? [...incidents, ...scenarioConflicts(this.db, s.clone_dir, me)] : incidents;
  }

  async status(): Promise<TeamStatus> {
    const s = this.state();
    if (!s) return { joined: false, remote: null, branch: null, member: null, memberName: null, lastSyncedAt: null, lastAttemptAt: null, baseCommit: null, queued: 0, behind: null, conflicts: [], lastResult: null, cloneDir: null };
    const queued = this.st<CountRow>('SELECT COUNT(*) AS n FROM team_dirty').get()!.n;
    let behind: number | null = null;
    if (existsSync(join(s.clone_dir, '.git'))) {
      // Against what the last fetch saw (status never touches the network).
      const r = await this.g(s.clone_dir, ['rev-list', '--count', s.base_commit ? `${s.base_commit}..refs/remotes/origin/${s.branch}` : `refs/remotes/origin/${s.branch}`]);
      behind = r.code === 0 ? Number(r.stdout.trim()) : s.base_commit ? null : 0;
    }
    return {
      joined: true, remote: s.remote, branch: s.branch, member: s.member_no, memberName: s.member_name || null, lastSyncedAt: s.last_synced_at, lastAttemptAt: s.last_attempt_at,
      baseCommit: s.base_commit, queued, behind, conflicts: this.conflicts(), lastResult: s.last_result ? (JSON.parse(s.last_result) as TeamStatus['lastResult']) : null, cloneDir: s.clone_dir,
    };
  }

  /** Settle one conflict with this member's value or the other; the choice is queued for the next sync. */
  resolve(key: string, field: string, take: 'mine' | 'theirs'): TeamConflict[] {
    const s = this.need();
    const me = this.me(s);
    if (field.startsWith('scenario.')) {
      writeTx(this.db, () => resolveScenario(this.db, s.clone_dir, key, field, take, me, this.now()));
      return this.conflicts();
    }
    const inc = this.st<IdRow>('SELECT id FROM incidents WHERE key = ?').get(key);
    if (!inc) throw new ApiError('NOT_FOUND', `No incident ${key}`, { issues: [{ field: 'key', message: `no incident ${key}` }] });
    const row = this.st<TeamConflictRow>('SELECT * FROM team_conflicts WHERE incident_id = ? AND path = ?').get(inc.id, field);
    if (!row) {
      const open = this.st<Pick<TeamConflictRow, 'path'>>('SELECT path FROM team_conflicts WHERE incident_id = ?').all(inc.id).map((r) => r.path);
      throw new ApiError('NOT_FOUND', `${key} has no conflict on ${field}${open.length ? `; open: ${open.join(', ')}` : ''}`, { issues: [{ field: 'field', message: 'no such conflict' }] });
    }
    const c = this.describe(key, field, toConflictRecord(row), me);
    const value = take === 'mine' ? c.mine : c.theirs;
    writeTx(this.db, () => {
      const doc = this.mine(key, s)!;
      const p = splitPath(field);
      const rec: Rec | null = p.coll === 'incident' ? doc.incident : p.coll === 'drill' ? doc.drill : ((doc as unknown as Record<string, Coll>)[p.coll]?.[p.id ?? ''] ?? null);
      if (rec) {
        if (p.section !== null) rec[p.field] = acceptGenerated(String(rec[p.field] ?? ''), { section: p.section, user: '', generated: String(value ?? '') });
        else rec[p.field] = value;
      }
      delete doc.conflicts[field];
      this.importDoc(doc, s.clone_dir); // not flagged as an import: the choice is queued for the next sync
      this.st('REPLACE INTO team_dirty (incident_id) VALUES (?)').run(inc.id);
    });
    return this.conflicts();
  }
}
