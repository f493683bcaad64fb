// Incident bundles: one JSON document with the incident, timeline, artifacts (bytes inline),
// findings, action items and documents. Import restores it exactly, in one transaction, or not at all.
//
// Secrets (issue 8): by default every secret is masked (artifact texts re-encoded with their masks, the
// sha256 and size of the masked bytes; the incident's text, findings and documents redacted) and
// `redaction` says where; `includeSecrets` keeps everything in clear. Importing a masked bundle works
// and adds a timeline note naming the artifacts and lines whose values were masked.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { lazySchema } from '../../shared/lazy';
import type { Db } from '../store/db';
import { writeTx } from '../store/tx';
import type { BlobStore, Captured } from '../store/blobs';
import { ApiError } from '../../shared/api/errors';
import { zodIssues } from '../../shared/api/validate';
import type { IncidentBundle } from '../../shared/api/contract';
import type { Incident } from '../../shared/domain';
import { FAILURE_CLASSES, INCIDENT_KEY_PATTERN, PHASES, ROLES, ROOT_CAUSE_ORIGINS, SEVERITIES, TIMELINE_KINDS } from '../../shared/domain';
import { ARTIFACT_ROLES, FINDING_ROLES, type Artifact, type Finding } from '../../shared/artifacts';
import { ARTIFACT_KINDS } from '../../shared/diff/types';
import { ACTION_ITEM_STATUSES, ACTION_ITEM_TYPES, type ActionItem } from '../../shared/generators/types';
import { BUNDLE_FORMAT, BUNDLE_VERSION, DOC_KINDS, type DocState } from '../../shared/exporting';
import type { BundleMasking } from '../../shared/api/contract';
import { decodeText } from '../../shared/diff/detect';
import { redactDeep, redactDetailed } from '../../shared/redact/index';
import { rows, type MaxRow } from '../store/rows';
import { nextIncidentKey, teamMember } from './teamKeys';

const iso = lazySchema(() => z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'must be an ISO 8601 time' }));
const isoN = lazySchema(() => iso.nullable());

const bundleSchema = lazySchema(() => z.object({
  format: z.literal(BUNDLE_FORMAT, { message: `must be "${BUNDLE_FORMAT}"` }),
  version: z.number().int().min(1),
  exportedAt: iso,
  appVersion: z.string(),
  incident: z.object({
    key: z.string().regex(INCIDENT_KEY_PATTERN),
    title: z.string().min(1).max(200),
    service: z.string().max(200),
    severity: z.enum(SEVERITIES),
    failureClass: z.enum(FAILURE_CLASSES),
    phase: z.enum([...PHASES, 'closed'] as const),
    isDrill: z.boolean(),
    /** Absent in bundles written before revisions existed. */
    revision: z.number().int().min(1).optional(),
    createdAt: iso,
    updatedAt: iso,
    detectedAt: iso,
    rootCauseOrigin: z.enum(ROOT_CAUSE_ORIGINS).nullable(),
    summary: z.string(),
    impact: z.string(),
    hypothesis: z.string(),
    mitigation: z.string(),
    mitigationVerifiedAt: isoN,
    resolution: z.string(),
    lessons: z.string(),
    startedAt: isoN,
    closedAt: isoN,
    roles: z.record(z.enum(ROLES), z.string()),
    phases: z.array(z.object({ phase: z.enum(PHASES), enteredAt: iso, exitedAt: isoN, earlyReason: z.string().nullable() })),
    checklist: z.partialRecord(z.enum(PHASES), z.array(z.string().max(100))),
    timeline: z.array(
      z.object({ id: z.number().int().positive(), kind: z.enum(TIMELINE_KINDS), body: z.string(), occurredAt: iso, capturedAt: iso, editedAt: isoN, phase: z.enum(PHASES), sourceKey: z.string().max(300).nullable().optional() }),
    ),
  }),
  artifacts: z.array(
    z.object({
      id: z.number().int().positive(),
      role: z.enum(ARTIFACT_ROLES),
      label: z.string(),
      name: z.string().min(1),
      kind: z.enum(ARTIFACT_KINDS),
      detectedKind: z.enum(ARTIFACT_KINDS),
      size: z.number().int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      sourcePath: z.string().nullable(),
      capturedAt: iso,
      contentBase64: z.string(),
    }),
  ),
  findings: z.array(
    z.object({
      id: z.number().int().positive(),
      title: z.string().min(1),
      description: z.string(),
      failureClass: z.enum(FAILURE_CLASSES),
      rootCauseOrigin: z.enum(ROOT_CAUSE_ORIGINS).nullable(),
      role: z.enum(FINDING_ROLES),
      status: z.enum(['draft', 'accepted', 'rejected']),
      genKind: z.string().nullable(),
      params: z.record(z.string(), z.unknown()),
      evidence: z.record(z.string(), z.unknown()),
      createdAt: iso,
      updatedAt: iso,
      sourceKey: z.string().max(300).nullable().optional(),
    }),
  ),
  actionItems: z.array(
    z.object({
      id: z.number().int().positive(),
      title: z.string().min(1),
      owner: z.string(),
      dueDate: z.string().nullable(),
      type: z.enum(ACTION_ITEM_TYPES),
      status: z.enum(ACTION_ITEM_STATUSES),
    }),
  ),
  documents: z.array(z.object({ kind: z.enum(DOC_KINDS), content: z.string(), generated: z.string(), edited: z.boolean(), updatedAt: isoN })),
}));

export interface BundleDeps {
  incident(key: string): Incident;
  artifacts(key: string): Artifact[];
  findings(key: string): Finding[];
  actions(key: string): ActionItem[];
  docs(key: string): DocState[];
  appVersion: string;
}

export class BundleService {
  constructor(
    private db: Db,
    private blobs: BlobStore,
    private deps: BundleDeps,
    private now: () => string = () => new Date().toISOString(),
  ) {}

  export(key: string, opts: { includeSecrets?: boolean } = {}): IncidentBundle {
    const incident = this.deps.incident(key);
    const head = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, exportedAt: this.now(), appVersion: this.deps.appVersion } as const;
    const artifacts = this.deps.artifacts(key);
    if (opts.includeSecrets) {
      return {
        ...head,
        incident,
        artifacts: artifacts.map((a) => ({ ...a, contentBase64: Buffer.from(this.blobs.read(a.sha256)).toString('base64') })),
        findings: this.deps.findings(key),
        actionItems: this.deps.actions(key),
        documents: this.deps.docs(key),
        redaction: { masked: false, artifacts: [], unscanned: [], elsewhere: 0 },
      };
    }
    const redaction: BundleMasking = { masked: true, artifacts: [], unscanned: [], elsewhere: 0 };
    const out = artifacts.map((a) => {
      const bytes = this.blobs.read(a.sha256);
      if (a.kind === 'binary' || a.kind === 'parquet') {
        redaction.unscanned.push({ id: a.id, name: a.name });
        return { ...a, contentBase64: Buffer.from(bytes).toString('base64') };
      }
      const d = decodeText(bytes);
      const r = redactDetailed(d.text, { fileName: a.name });
      if (!r.masked.length) return { ...a, contentBase64: Buffer.from(bytes).toString('base64') };
      const masked = Buffer.concat([d.bom === 'utf-8' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(r.text, 'utf8')]);
      redaction.artifacts.push({ id: a.id, name: a.name, count: r.masked.length, lines: [...new Set(r.masked.map((m) => m.line))].slice(0, 1000), rules: [...new Set(r.masked.map((m) => m.rule))] });
      return { ...a, size: masked.length, sha256: createHash('sha256').update(masked).digest('hex'), contentBase64: masked.toString('base64') };
    });
    const stats = { masked: 0 };
    const bundle: IncidentBundle = {
      ...head,
      incident: redactDeep(incident, {}, stats),
      artifacts: out,
      findings: redactDeep(this.deps.findings(key), {}, stats),
      actionItems: redactDeep(this.deps.actions(key), {}, stats),
      documents: redactDeep(this.deps.docs(key), {}, stats),
      redaction,
    };
    redaction.elsewhere = stats.masked;
    return bundle;
  }

  /** What a bundle says it masked (null for a bundle in clear or written before issue 8). */
  static maskingOf(raw: unknown): BundleMasking | null {
    const m = (raw as { redaction?: BundleMasking } | null)?.redaction;
    if (!m || m.masked !== true || !Array.isArray(m.artifacts)) return null;
    return {
      masked: true,
      artifacts: m.artifacts.filter((a) => a && typeof a.name === 'string').map((a) => ({ id: Number(a.id), name: String(a.name).slice(0, 255), count: Number(a.count) || 0, lines: (Array.isArray(a.lines) ? a.lines : []).filter(Number.isInteger).slice(0, 1000), rules: (Array.isArray(a.rules) ? a.rules : []).map(String).slice(0, 50) })),
      unscanned: (Array.isArray(m.unscanned) ? m.unscanned : []).filter((u) => u && typeof u.name === 'string').map((u) => ({ id: Number(u.id), name: String(u.name).slice(0, 255) })),
      elsewhere: Number(m.elsewhere) || 0,
    };
  }

  /** `bundle:import`: import, then the incident as stored, with what the bundle says it masked. */
  importIncident(raw: unknown): Incident & { bundleMasked?: BundleMasking } {
    const inc = this.deps.incident(this.import(raw));
    const masking = BundleService.maskingOf(raw);
    return masking ? { ...inc, bundleMasked: masking } : inc;
  }

  /** Validate and import; the key is kept when free, otherwise the next free key is used. */
  import(raw: unknown): string {
    if (raw && typeof raw === 'object' && (raw as { format?: unknown }).format === BUNDLE_FORMAT) {
      const v = (raw as { version?: unknown }).version;
      if (typeof v === 'number' && v > BUNDLE_VERSION) {
        throw new ApiError('CONFLICT', `This bundle was written by a newer version (bundle format ${v}; this version reads up to ${BUNDLE_VERSION}). Nothing was imported.`, {
          issues: [{ field: 'bundle.version', message: `version ${v} is newer than ${BUNDLE_VERSION}` }],
        });
      }
    }
    const r = bundleSchema.safeParse(raw);
    if (!r.success) {
      const issues = zodIssues(r.error).map((i) => ({ ...i, field: `bundle.${i.field}` }));
      throw new ApiError('VALIDATION', `Not a valid incident bundle — ${issues[0].field}: ${issues[0].message}. Nothing was imported.`, { issues });
    }
    const b = r.data;
    const bytes = b.artifacts.map((a, i) => {
      const buf = Buffer.from(a.contentBase64, 'base64');
      const sha = createHash('sha256').update(buf).digest('hex');
      if (sha !== a.sha256 || buf.length !== a.size) {
        throw new ApiError('VALIDATION', `Artifact ${a.name} in the bundle is damaged (content does not match its sha256). Nothing was imported.`, {
          issues: [{ field: `bundle.artifacts.${i}.contentBase64`, message: 'content does not match sha256/size' }],
        });
      }
      return buf;
    });
    const inc = b.incident;
    // The bytes go into the artifact store first (outside the incident database's write lock); they are
    // indexed in the transaction below, and dropped again if it fails: all or nothing.
    const captured = bytes.map((x, i) => this.blobs.captureBytes(x, Number.MAX_SAFE_INTEGER, b.artifacts[i].name));
    try {
      return this.importRows(b, inc, captured, raw);
    } catch (e) {
      for (const c of captured) this.blobs.abandon(c);
      throw e;
    }
  }

  private importRows(b: z.output<typeof bundleSchema>, inc: z.output<typeof bundleSchema>['incident'], captured: Captured[], raw: unknown): string {
    return writeTx(this.db, () => {
      const taken = this.db.prepare('SELECT 1 FROM incidents WHERE key = ?').get(inc.key);
      const maxSeq = rows<MaxRow>(this.db, 'SELECT MAX(seq) AS m FROM incidents').get()!.m ?? 0;
      const wantSeq = Number(inc.key.slice(4));
      const seq = taken || this.db.prepare('SELECT 1 FROM incidents WHERE seq = ?').get(wantSeq) ? maxSeq + 1 : wantSeq;
      const key = taken || teamMember(this.db) !== null ? nextIncidentKey(this.db, seq) : inc.key;
      const info = this.db
        .prepare(
          `INSERT INTO incidents (seq, key, title, service, severity, failure_class, root_cause_origin, summary, impact, hypothesis, mitigation,
             mitigation_verified_at, resolution, lessons, phase, is_drill, detected_at, started_at, closed_at, created_at, updated_at, revision)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          seq, key, inc.title, inc.service, inc.severity, inc.failureClass, inc.rootCauseOrigin, inc.summary, inc.impact, inc.hypothesis, inc.mitigation,
          inc.mitigationVerifiedAt, inc.resolution, inc.lessons, inc.phase, inc.isDrill ? 1 : 0, inc.detectedAt, inc.startedAt, inc.closedAt, inc.createdAt, inc.updatedAt,
          inc.revision ?? 1,
        );
      const iid = Number(info.lastInsertRowid);
      for (const p of inc.phases) {
        this.db.prepare('INSERT INTO phase_entries (incident_id, phase, entered_at, exited_at, early_reason) VALUES (?, ?, ?, ?, ?)').run(iid, p.phase, p.enteredAt, p.exitedAt, p.earlyReason);
      }
      for (const role of ROLES) if (inc.roles[role]) this.db.prepare('INSERT INTO incident_roles (incident_id, role, person) VALUES (?, ?, ?)').run(iid, role, inc.roles[role]);
      const importedAt = this.now();
      for (const [phase, items] of Object.entries(inc.checklist)) {
        // Inserted in the bundle's order; the store orders equal check times by insertion.
        for (const item of items ?? []) this.db.prepare('INSERT INTO checklist_items (incident_id, phase, item_id, checked_at) VALUES (?, ?, ?, ?)').run(iid, phase, item, importedAt);
      }
      // Ids are kept when free so references (finding evidence) stay valid; otherwise remapped.
      const keepId = (table: string, id: number) => !this.db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id);
      const eventIds = new Map<number, number>();
      for (const e of inc.timeline) {
        const id = keepId('timeline_events', e.id) ? e.id : null;
        const res = this.db
          .prepare('INSERT INTO timeline_events (id, incident_id, kind, body, phase, occurred_at, captured_at, edited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(id, iid, e.kind, e.body, e.phase, e.occurredAt, e.capturedAt, e.editedAt);
        eventIds.set(e.id, Number(res.lastInsertRowid));
      }
      const artifactIds = new Map<number, number>();
      b.artifacts.forEach((a, i) => {
        this.blobs.commit(captured[i]);
        const id = keepId('artifacts', a.id) ? a.id : null;
        const res = this.db
          .prepare(
            `INSERT INTO artifacts (id, incident_id, role, label, name, kind, detected_kind, size, sha256, source_path, captured_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, iid, a.role, a.label, a.name, a.kind, a.detectedKind, a.size, a.sha256, a.sourcePath, a.capturedAt);
        artifactIds.set(a.id, Number(res.lastInsertRowid));
      });
      for (const e of inc.timeline) {
        if (e.sourceKey) this.db.prepare('UPDATE timeline_events SET source_key = ? WHERE id = ?').run(remapSourceKey(e.sourceKey, artifactIds), eventIds.get(e.id));
      }
      for (const f of b.findings) {
        const ev = { ...f.evidence } as { artifactIds?: number[]; timelineEventIds?: number[] };
        if (Array.isArray(ev.artifactIds)) ev.artifactIds = ev.artifactIds.map((x) => artifactIds.get(x) ?? x);
        if (Array.isArray(ev.timelineEventIds)) ev.timelineEventIds = ev.timelineEventIds.map((x) => eventIds.get(x) ?? x);
        const id = keepId('findings', f.id) ? f.id : null;
        const res = this.db
          .prepare(
            `INSERT INTO findings (id, incident_id, title, description, failure_class, root_cause_origin, role, status, gen_kind, params, evidence, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, iid, f.title, f.description, f.failureClass, f.rootCauseOrigin, f.role, f.status, f.genKind, JSON.stringify(f.params), JSON.stringify(ev), f.createdAt, f.updatedAt);
        // What the finding was saved from names the diff's artifacts by id: follow them if they moved.
        if (f.sourceKey) this.db.prepare('UPDATE findings SET source_key = ? WHERE id = ?').run(remapSourceKey(f.sourceKey, artifactIds), Number(res.lastInsertRowid));
      }
      for (const a of b.actionItems) {
        const id = keepId('action_items', a.id) ? a.id : null;
        this.db
          .prepare('INSERT INTO action_items (id, incident_id, title, owner, due_date, type, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(id, iid, a.title, a.owner, a.dueDate, a.type, a.status, inc.updatedAt, inc.updatedAt);
      }
      for (const d of b.documents) {
        this.db.prepare('INSERT INTO documents (incident_id, kind, content, generated, updated_at) VALUES (?, ?, ?, ?, ?)').run(iid, d.kind, d.content, d.generated, d.updatedAt ?? this.now());
      }
      const masking = BundleService.maskingOf(raw);
      if (masking && (masking.artifacts.length || masking.unscanned.length || masking.elsewhere)) {
        const phase = inc.phase === 'closed' ? 'review' : inc.phase;
        this.db
          .prepare('INSERT INTO timeline_events (incident_id, kind, body, phase, occurred_at, captured_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(iid, 'note', maskingNote(masking), phase, importedAt, importedAt);
      }
      return key;
    });
  }
}

/** The timeline note of an import of a masked bundle: which values were masked, where. */
export function maskingNote(m: BundleMasking): string {
  const total = m.artifacts.reduce((n, a) => n + a.count, 0);
  const lines = (xs: number[]) => (xs.length > 12 ? `${xs.slice(0, 12).join(', ')} and ${xs.length - 12} more` : xs.join(', '));
  const parts = m.artifacts.map((a) => `${a.name}: ${a.count} value${a.count === 1 ? '' : 's'} (line${a.lines.length === 1 ? '' : 's'} ${lines(a.lines)})`);
  let s = `Imported from a bundle with secrets masked: ${total} value${total === 1 ? '' : 's'} in ${m.artifacts.length} artifact${m.artifacts.length === 1 ? '' : 's'}`;
  s += parts.length ? ` — ${parts.join('; ')}.` : '.';
  if (m.elsewhere) s += ` ${m.elsewhere} more in the timeline, findings and documents.`;
  if (m.unscanned.length) s += ` Binary artifacts were included as they were: ${m.unscanned.map((u) => u.name).join(', ')}.`;
  if (total) s += ' Diffs cannot show changes of the masked values.';
  return s;
}

/** A diff change's source key ("diff:<before>-<after>:…") with the artifact ids an import gave them. */
function remapSourceKey(key: string, ids: Map<number, number>): string {
  return key.replace(/^diff:(\d+)-(\d+):/, (_m, b: string, a: string) => `diff:${ids.get(Number(b)) ?? b}-${ids.get(Number(a)) ?? a}:`);
}
