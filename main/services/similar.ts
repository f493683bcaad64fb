// Similar incidents: per-incident change fingerprints (shared/fingerprints.ts), kept incrementally,
// ranked by rarity (IDF) plus class, origin and service.
//
// Where fingerprints come from: the diffs of an incident's proposed last-known-good → failing artifact
// pairs (severity warning and above: info-level churn such as patch bumps is noise across incidents)
// and every change a non-rejected finding carries as evidence (the responder chose those). Triggers
// (migrations/0008) put an incident on `fingerprint_dirty` whenever its artifacts, findings or a diff of
// its files change, whoever wrote them; `sync()` recomputes just those incidents, and runs before any
// read of derived data (search, similar). The same pass writes `incident_changes`, the change messages
// that full-text search indexes.
import type { Db } from '../store/db';
import { writeTx } from '../store/tx';
import { ApiError } from '../../shared/api/errors';
import type { ParsedInput } from '../../shared/api/contract';
import { proposePairs, type Artifact } from '../../shared/artifacts';
import { SEVERITY_RANK, type Change } from '../../shared/diff/types';
import { fingerprintSet, sharedReason, type Fingerprint, type FingerprintCategory } from '../../shared/fingerprints';
import { FAILURE_CLASS_LABELS } from '../../shared/domain';
import type { SimilarIncident } from '../../shared/similar';
import { StatementCache, toArtifact, type ArtifactRow, type DiffCacheRow, type DocumentRow, type IncidentRow, type RowStatement } from '../store/rows';

/** The incident whose neighbours are looked for. */
type TargetRow = Pick<IncidentRow, 'id' | 'is_drill' | 'failure_class' | 'root_cause_origin' | 'service'>;
/** A candidate neighbour. */
type CandidateRow = TargetRow & Pick<IncidentRow, 'key' | 'title' | 'detected_at' | 'phase'>;
/** An incident_changes row (0008). */
interface ChangeRow {
  id?: number;
  before_id: number;
  after_id: number;
  label: string;
  messages: string;
}

/** Change messages kept per artifact pair for search (most severe first). */
const MAX_MESSAGES = 500;
/** Postings read to find candidates; rarer fingerprints are read first, common ones are only checked on the best candidates. */
const MAX_POSTINGS = 5000;
const CHECKED_CANDIDATES = 300;
const BONUS = { failureClass: 1.0, origin: 1.5, service: 1.0 };
/** Longest a read (search, similar) spends catching up on queued incidents. */
export const SYNC_BUDGET_MS = 100;

function changesOf(v: unknown): Change[] {
  return Array.isArray(v) ? (v.filter((c) => c && typeof c === 'object' && typeof (c as Change).kind === 'string') as Change[]) : [];
}

/** A document's title: YAML front matter `title:`, else its first `# ` heading. */
export function documentTitle(content: string): string | null {
  const fm = /^---\r?\n([\s\S]*?)\r?\n---/.exec(content);
  const t = fm && /^title:\s*(.+)$/m.exec(fm[1]);
  if (t) return t[1].trim().replace(/^(["'])(.*)\1$/, '$2').trim() || null;
  const h = /^#\s+(.+)$/m.exec(content);
  return h ? h[1].replace(/^(Runbook|Postmortem):\s*/i, '').trim() || null : null;
}

export class SimilarService {
  private stmts: StatementCache;

  constructor(private db: Db) {
    this.stmts = new StatementCache(db);
  }

  private stmt<R = unknown>(sql: string): RowStatement<R> {
    return this.stmts.get<R>(sql);
  }

  /**
   * Recompute incidents waiting on fingerprint_dirty, in batches, until none is left or `budgetMs` has
   * passed (after upgrading a large database the queue then drains over the first few reads instead of
   * stalling one); returns how many were done.
   */
  sync(budgetMs = Infinity): number {
    const next = this.stmt<{ incident_id: number }>('SELECT incident_id FROM fingerprint_dirty LIMIT 50');
    const t0 = performance.now();
    let done = 0;
    for (;;) {
      const ids = next.all().map((r) => r.incident_id);
      if (!ids.length) return done;
      writeTx(this.db, () => ids.forEach((id) => this.refresh(id)));
      done += ids.length;
      if (performance.now() - t0 > budgetMs) return done;
    }
  }

  /** Changes and fingerprints of one incident from its artifacts, cached diffs and findings. */
  refresh(incidentId: number): void {
    this.stmt('DELETE FROM fingerprint_dirty WHERE incident_id = ?').run(incidentId);
    if (!this.stmt('SELECT 1 FROM incidents WHERE id = ?').get(incidentId)) return;
    const arts = this.stmt<ArtifactRow>('SELECT * FROM artifacts WHERE incident_id = ? AND deleted_at IS NULL ORDER BY captured_at, id').all(incidentId).map(toArtifact);
    const cached = this.stmt<DiffCacheRow>(
      'SELECT result FROM diff_cache WHERE before_sha = ? AND after_sha = ? ORDER BY (kind = ?) DESC, engine_version DESC LIMIT 1',
    );
    const pairs: { before: Artifact; after: Artifact; changes: Change[] }[] = [];
    for (const p of proposePairs(arts)) {
      const kind = p.before.kind === p.after.kind ? p.before.kind : `${p.before.kind}|${p.after.kind}`;
      const r = cached.get(p.before.sha256, p.after.sha256, kind);
      if (!r) continue;
      let changes: Change[] = [];
      try {
        changes = changesOf((JSON.parse(r.result) as { changes?: unknown }).changes);
      } catch {
        continue; // an unreadable cache row is recomputed by the next diff
      }
      changes.sort((a, b) => (SEVERITY_RANK[b.severity] ?? 0) - (SEVERITY_RANK[a.severity] ?? 0));
      pairs.push({ before: p.before, after: p.after, changes });
    }
    this.writeChanges(incidentId, pairs);

    const evidence: Change[] = [];
    for (const f of this.stmt<{ evidence: string }>("SELECT evidence FROM findings WHERE incident_id = ? AND status <> 'rejected'").all(incidentId)) {
      try {
        evidence.push(...changesOf((JSON.parse(f.evidence) as { changes?: unknown } | null)?.changes));
      } catch {
        /* evidence is written by the services as JSON; anything else carries no fingerprint */
      }
    }
    const fromPairs = pairs.flatMap((p) => p.changes.filter((c) => (SEVERITY_RANK[c.severity] ?? 0) >= SEVERITY_RANK.warning));
    this.writeFingerprints(incidentId, fingerprintSet([...evidence, ...fromPairs]));
  }

  private writeChanges(incidentId: number, pairs: { before: Artifact; after: Artifact; changes: Change[] }[]): void {
    const want = pairs
      .filter((p) => p.changes.length)
      .map((p) => ({
        before_id: p.before.id,
        after_id: p.after.id,
        label: `${p.before.name} → ${p.after.name}`,
        messages: p.changes.slice(0, MAX_MESSAGES).map((c) => String(c.message ?? '')).join('\n'),
        changes: p.changes.length,
      }));
    // Rewrite only what changed: an unchanged pair keeps its row (and its place in the search index).
    const have = this.stmt<Required<ChangeRow>>('SELECT id, before_id, after_id, label, messages FROM incident_changes WHERE incident_id = ?').all(incidentId);
    const sig = (r: ChangeRow) => `${r.before_id}|${r.after_id}|${r.label}|${r.messages}`;
    const wanted = new Set(want.map(sig));
    const kept = new Set<string>();
    for (const r of have) {
      const k = sig(r);
      if (wanted.has(k) && !kept.has(k)) kept.add(k);
      else this.stmt('DELETE FROM incident_changes WHERE id = ?').run(r.id);
    }
    const ins = this.stmt('INSERT INTO incident_changes (incident_id, before_id, after_id, label, messages, changes) VALUES (?, ?, ?, ?, ?, ?)');
    for (const w of want) if (!kept.has(sig(w))) ins.run(incidentId, w.before_id, w.after_id, w.label, w.messages, w.changes);
  }

  private writeFingerprints(incidentId: number, fps: Fingerprint[]): void {
    const have = new Map(this.stmt<{ fp: string; label: string }>('SELECT fp, label FROM incident_fingerprints WHERE incident_id = ?').all(incidentId).map((r) => [r.fp, r.label]));
    const want = new Map(fps.map((f) => [f.fp, f]));
    const del = this.stmt('DELETE FROM incident_fingerprints WHERE incident_id = ? AND fp = ?');
    for (const fp of have.keys()) if (!want.has(fp)) del.run(incidentId, fp);
    const ins = this.stmt('INSERT INTO incident_fingerprints (incident_id, fp, label, category) VALUES (?, ?, ?, ?) ON CONFLICT(incident_id, fp) DO UPDATE SET label = excluded.label, category = excluded.category');
    for (const f of fps) if (have.get(f.fp) !== f.label) ins.run(incidentId, f.fp, f.label, f.category);
  }

  /** Earlier (and later) real incidents that share ML-meaningful changes with this one, best first. */
  similar(input: ParsedInput<'incident:similar'>): SimilarIncident[] {
    const target = this.stmt<TargetRow>('SELECT id, is_drill, failure_class, root_cause_origin, service FROM incidents WHERE key = ?').get(input.key);
    if (!target) throw new ApiError('NOT_FOUND', `No incident ${input.key}`, { issues: [{ field: 'key', message: `no incident ${input.key}` }] });
    if (this.stmt('SELECT 1 FROM fingerprint_dirty WHERE incident_id = ?').get(target.id)) writeTx(this.db, () => this.refresh(target.id));
    this.sync(SYNC_BUDGET_MS);
    const limit = input.limit ?? 10;
    const mine = this.stmt<{ fp: string; label: string; category: FingerprintCategory; n: number }>(
      'SELECT f.fp, f.label, f.category, coalesce(df.n, 0) AS n FROM incident_fingerprints f LEFT JOIN fingerprint_df df ON df.fp = f.fp WHERE f.incident_id = ?',
    ).all(target.id);
    if (!mine.length) return [];
    const real = this.stmt<{ n: number }>('SELECT coalesce(SUM(n), 0) AS n FROM incident_facets WHERE is_drill = 0').get()!.n || 1;
    const self = target.is_drill ? 0 : 1;
    const fps = mine
      .map((f) => ({ fp: f.fp, label: f.label, category: f.category, others: Math.max(0, f.n - self) }))
      .filter((f) => f.others > 0)
      // Smoothed IDF: a fingerprint every incident has weighs nothing; one shared by two of many weighs most.
      .map((f) => ({ ...f, idf: Math.log((real + 1) / (f.others + self + 1)) }))
      .sort((a, b) => a.others - b.others);
    if (!fps.length) return [];

    // Candidates from the rarest fingerprints' postings.
    const postings = this.stmt<number>('SELECT incident_id FROM incident_fingerprints WHERE fp = ? AND incident_id <> ? ORDER BY incident_id DESC LIMIT ?').pluck();
    const score = new Map<number, { s: number; shared: Set<string> }>();
    let read = 0;
    const unread: typeof fps = [];
    for (const f of fps) {
      if (read > 0 && read + f.others > MAX_POSTINGS) {
        unread.push(f);
        continue;
      }
      for (const id of postings.all(f.fp, target.id, MAX_POSTINGS)) {
        let e = score.get(id);
        if (!e) score.set(id, (e = { s: 0, shared: new Set() }));
        e.s += f.idf;
        e.shared.add(f.fp);
      }
      read += f.others;
    }
    const has = this.stmt('SELECT 1 FROM incident_fingerprints WHERE incident_id = ? AND fp = ?').pluck();
    const info = this.stmt<CandidateRow>('SELECT id, key, title, is_drill, failure_class, root_cause_origin, service, detected_at, phase FROM incidents WHERE id = ?');
    const top = [...score.entries()].sort((a, b) => b[1].s - a[1].s).slice(0, CHECKED_CANDIDATES);
    const byFp = new Map(fps.map((f) => [f.fp, f]));
    const ranked: { row: CandidateRow; s: number; shared: Set<string> }[] = [];
    for (const [id, e] of top) {
      const row = info.get(id);
      if (!row || row.is_drill) continue;
      for (const f of unread) {
        if (has.get(id, f.fp)) {
          e.s += f.idf;
          e.shared.add(f.fp);
        }
      }
      let s = e.s;
      if (row.failure_class === target.failure_class) s += BONUS.failureClass;
      if (row.root_cause_origin && row.root_cause_origin === target.root_cause_origin) s += BONUS.origin;
      if (row.service && row.service === target.service) s += BONUS.service;
      ranked.push({ row, s, shared: e.shared });
    }
    ranked.sort((a, b) => b.s - a.s || b.row.id - a.row.id);
    return ranked.slice(0, limit).map(({ row, s, shared }) => this.describe(row, s, [...shared].map((fp) => byFp.get(fp)!), target));
  }

  private describe(row: CandidateRow, score: number, shared: { fp: string; label: string; category: FingerprintCategory; idf: number }[], target: TargetRow): SimilarIncident {
    const reasons: string[] = [];
    const byCat = new Map<FingerprintCategory, { label: string; idf: number }[]>();
    for (const f of shared) {
      let l = byCat.get(f.category);
      if (!l) byCat.set(f.category, (l = []));
      l.push(f);
    }
    const cats = [...byCat.entries()].sort((a, b) => Math.max(...b[1].map((x) => x.idf)) - Math.max(...a[1].map((x) => x.idf)));
    for (const [cat, list] of cats) reasons.push(sharedReason(cat, list.sort((a, b) => b.idf - a.idf).map((x) => x.label)));
    const origin = row.root_cause_origin;
    if (origin) reasons.push(origin === target.root_cause_origin ? `root cause ${origin} (same as this one)` : `root cause ${origin}`);
    if (row.failure_class === target.failure_class) reasons.push(`same class: ${FAILURE_CLASS_LABELS[row.failure_class] ?? row.failure_class}`);
    if (row.service && row.service === target.service) reasons.push(`same service: ${row.service}`);
    const docs = this.stmt<Pick<DocumentRow, 'kind' | 'content'>>('SELECT kind, content FROM documents WHERE incident_id = ?').all(row.id);
    const links: SimilarIncident['links'] = {};
    for (const d of docs) {
      const title = documentTitle(d.content) ?? (d.kind === 'runbook' ? 'runbook' : 'postmortem');
      if (d.kind === 'runbook') links.runbook = { title };
      else links.postmortem = { title };
    }
    if (links.runbook) reasons.push(`runbook ‘${links.runbook.title}’`);
    if (links.postmortem) reasons.push('postmortem written');
    return {
      key: row.key,
      title: row.title,
      score: Math.round(score * 100) / 100,
      reasons,
      shared: shared.map((f) => f.fp),
      failureClass: row.failure_class,
      rootCauseOrigin: origin,
      service: row.service,
      phase: row.phase,
      detectedAt: row.detected_at,
      links,
    };
  }
}
