// The typed data layer: one interface per table row (snake_case, as better-sqlite3 returns it) and the
// one place each row becomes a domain object (shared/domain.ts, shared/artifacts.ts, …). Services read
// rows with `db.prepare<unknown[], XRow>(sql)` (better-sqlite3's own generic), so no row is `any`.
// The column types follow the migrations (CHECK constraints give the literal unions).
import type { Statement } from 'better-sqlite3';
import type { Db } from './db';
import type { FailureClass, IncidentStatus, Phase, Role, RootCauseOrigin, Severity, TimelineEvent, TimelineKind, PhaseEntry } from '../../shared/domain';
import type { Artifact, ArtifactRole, Finding, FindingEvidence, FindingRole } from '../../shared/artifacts';
import type { ArtifactKind } from '../../shared/diff/types';
import type { ActionItem, ActionItemStatus, ActionItemType } from '../../shared/generators/types';
import type { DocKind, DocState, ExportRecord } from '../../shared/exporting';
import type { CardReleasedBy, DrillActionRecord, DrillCardRecord, DrillMode } from '../../shared/drills/types';

/** A statement whose rows are `R` (bind parameters as better-sqlite3 takes them: positional or one named object). */
export type RowStatement<R> = Statement<unknown[], R>;

/** Prepare `sql` with its rows typed `R` (for a `.pluck()` statement, `R` is the plucked value). */
export function rows<R>(db: Db, sql: string): RowStatement<R> {
  return db.prepare<unknown[], R>(sql);
}

/** Prepared statements kept per SQL text, for services that run the same queries often. */
export class StatementCache {
  private stmts = new Map<string, RowStatement<unknown>>();

  constructor(private db: Db) {}

  get<R = unknown>(sql: string): RowStatement<R> {
    let s = this.stmts.get(sql);
    if (!s) this.stmts.set(sql, (s = rows<unknown>(this.db, sql)));
    return s as RowStatement<R>;
  }
}

// ── Small shapes many queries return ───────────────────────────────────────────────────────────

export interface IdRow {
  id: number;
}
export interface CountRow {
  n: number;
}
export interface MaxRow {
  m: number | null;
}

// ── incidents and what hangs off them (0001, 0006) ─────────────────────────────────────────────

export interface IncidentRow {
  id: number;
  seq: number;
  key: string;
  title: string;
  service: string;
  severity: Severity;
  failure_class: FailureClass;
  root_cause_origin: RootCauseOrigin | null;
  summary: string;
  impact: string;
  hypothesis: string;
  mitigation: string;
  mitigation_verified_at: string | null;
  resolution: string;
  lessons: string;
  phase: IncidentStatus;
  is_drill: 0 | 1;
  detected_at: string;
  started_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  revision: number;
}

/** The columns an incident summary (list row, page header) is built from. */
export type IncidentSummaryRow = Pick<
  IncidentRow,
  'key' | 'title' | 'service' | 'severity' | 'failure_class' | 'phase' | 'is_drill' | 'created_at' | 'updated_at' | 'detected_at' | 'mitigation_verified_at'
>;

/** `incident_facets` (0008): incident counts per drill / phase / severity / class, kept by triggers. */
export interface IncidentFacetRow {
  is_drill: 0 | 1;
  phase: IncidentStatus;
  severity: Severity;
  failure_class: FailureClass;
  n: number;
}

export interface PhaseEntryRow {
  incident_id: number;
  phase: Phase;
  entered_at: string;
  exited_at: string | null;
  early_reason: string | null;
}

export function toPhaseEntry(p: PhaseEntryRow): PhaseEntry {
  return { phase: p.phase, enteredAt: p.entered_at, exitedAt: p.exited_at, earlyReason: p.early_reason };
}

export interface IncidentRoleRow {
  role: Role;
  person: string;
}

export interface ChecklistItemRow {
  phase: Phase;
  item_id: string;
}

export interface TimelineEventRow {
  id: number;
  incident_id: number;
  kind: TimelineKind;
  body: string;
  phase: Phase;
  occurred_at: string;
  captured_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  source_key: string | null;
  /** Who wrote it, for entries that came from a teammate (team sync, migration 0010). */
  author?: string | null;
}

export function toTimelineEvent(r: TimelineEventRow): TimelineEvent {
  return {
    id: r.id,
    kind: r.kind,
    body: r.body,
    occurredAt: r.occurred_at,
    capturedAt: r.captured_at,
    editedAt: r.edited_at,
    phase: r.phase,
    sourceKey: r.source_key ?? null,
    author: r.author ?? null,
  };
}

// ── artifacts, diffs, findings (0002, 0007) ────────────────────────────────────────────────────

export interface ArtifactRow {
  id: number;
  incident_id: number;
  role: ArtifactRole;
  label: string;
  name: string;
  kind: ArtifactKind;
  detected_kind: ArtifactKind;
  size: number;
  sha256: string;
  source_path: string | null;
  captured_at: string;
  deleted_at: string | null;
}

export function toArtifact(r: ArtifactRow): Artifact {
  return {
    id: r.id,
    role: r.role,
    label: r.label,
    name: r.name,
    kind: r.kind,
    detectedKind: r.detected_kind,
    size: r.size,
    sha256: r.sha256,
    sourcePath: r.source_path,
    capturedAt: r.captured_at,
  };
}

export interface DiffCacheRow {
  result: string;
}

export interface FindingRow {
  id: number;
  incident_id: number;
  title: string;
  description: string;
  failure_class: FailureClass;
  root_cause_origin: RootCauseOrigin | null;
  role: FindingRole;
  status: Finding['status'];
  gen_kind: string | null;
  /** JSON object. */
  params: string;
  /** JSON FindingEvidence. */
  evidence: string;
  created_at: string;
  updated_at: string;
  source_key: string | null;
}

export function toFinding(r: FindingRow): Finding {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    failureClass: r.failure_class,
    rootCauseOrigin: r.root_cause_origin,
    role: r.role,
    status: r.status,
    genKind: r.gen_kind,
    params: JSON.parse(r.params) as Record<string, unknown>,
    evidence: JSON.parse(r.evidence) as FindingEvidence,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sourceKey: r.source_key ?? null,
  };
}

// ── action items, documents, exports (0003, 0006) ──────────────────────────────────────────────

export interface ActionItemRow {
  id: number;
  incident_id: number;
  title: string;
  owner: string;
  due_date: string | null;
  type: ActionItemType;
  status: ActionItemStatus;
  created_at: string;
  updated_at: string;
}

export function toActionItem(r: ActionItemRow): ActionItem {
  return { id: r.id, title: r.title, owner: r.owner, dueDate: r.due_date, type: r.type, status: r.status };
}

export interface DocumentRow {
  incident_id: number;
  kind: DocKind;
  content: string;
  generated: string;
  updated_at: string;
}

export function toDocState(kind: DocKind, r: Pick<DocumentRow, 'content' | 'generated' | 'updated_at'>): DocState {
  return { kind, content: r.content, generated: r.generated, edited: r.content !== r.generated, updatedAt: r.updated_at };
}

export interface ExportSettingsRow {
  repo_path: string;
  runbooks_dir: string;
  tests_dir: string;
  postmortems_dir: string;
  updated_at: string;
}

export interface ExportRow {
  id: number;
  incident_id: number;
  repo_path: string;
  branch: string;
  commit_sha: string;
  /** JSON StoredFile[]. */
  files: string;
  created_at: string;
}

/** One file as stored in exports.files (content kept for the three-way view of later previews). */
export interface StoredFile {
  path: string;
  sha256: string;
  content?: string;
}

/** An export's files as stored: unreadable JSON reads as none. */
export function storedFiles(json: string): StoredFile[] {
  try {
    return JSON.parse(json) as StoredFile[];
  } catch {
    return [];
  }
}

export function toExportRecord(r: ExportRow): ExportRecord {
  return {
    id: r.id,
    repo: r.repo_path,
    branch: r.branch,
    commit: r.commit_sha,
    files: storedFiles(r.files).map((f) => ({ path: f.path, sha256: f.sha256 })),
    createdAt: r.created_at,
  };
}

export interface ExportAttemptRow {
  id: number;
  incident_id: number;
  repo_path: string;
  branch: string;
  head: string;
  worktree: string;
  owner: string;
  started_at: string;
}

// ── drills (0004) ──────────────────────────────────────────────────────────────────────────────

export interface DrillRow {
  id: number;
  incident_id: number;
  scenario_id: string;
  scenario_version: number;
  scenario_custom: 0 | 1;
  scenario_json: string;
  mode: DrillMode;
  participant: string;
  failure_class: FailureClass | null;
  root_cause_origin: RootCauseOrigin | null;
  classified_at: string | null;
  /** JSON array of check ids. */
  check_order: string | null;
  ordered_at: string | null;
  mitigation: string;
  revision: number;
  started_at: string;
  finished_at: string | null;
  score: number | null;
  score_json: string | null;
  updated_at: string;
}

/** A drill with its incident's key (`SELECT d.*, i.key AS incident_key …`). */
export interface DrillWithKeyRow extends DrillRow {
  incident_key: string;
}

export interface DrillCardRow {
  drill_id: number;
  card_id: string;
  requested_at: string | null;
  requested_phase: Phase | null;
  released_at: string | null;
  released_by: CardReleasedBy | null;
  before_artifact_id: number | null;
  after_artifact_id: number | null;
}

export function toDrillCardRecord(r: DrillCardRow): DrillCardRecord {
  return {
    cardId: r.card_id,
    requestedAt: r.requested_at,
    requestedPhase: r.requested_phase,
    releasedAt: r.released_at,
    releasedBy: r.released_by,
    artifactIds: r.before_artifact_id && r.after_artifact_id ? { before: r.before_artifact_id, after: r.after_artifact_id } : null,
  };
}

export interface DrillActionRow {
  drill_id: number;
  action_id: string;
  taken_at: string;
  phase: Phase;
}

export function toDrillActionRecord(r: DrillActionRow): DrillActionRecord {
  return { actionId: r.action_id, takenAt: r.taken_at, phase: r.phase };
}

export interface CustomScenarioRow {
  id: string;
  json: string;
  source_incident_id: number | null;
  created_at: string;
  updated_at: string;
}
