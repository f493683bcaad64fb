// Incident service: the phase machine, roles, checklists and timeline over the store.
import type { Db } from '../store/db';
import { writeTx } from '../store/tx';
import { ApiError } from '../../shared/api/errors';
import type { ParsedInput } from '../../shared/api/contract';
import {
  PHASES, ROLES,
  type Incident, type IncidentStatus, type IncidentSummary, type Phase, type PhaseEntry, type Role, type TimelineEvent,
} from '../../shared/domain';
import { computeMetrics, gateStatus, nextPhase, PHASE_DEFS } from '../../shared/phases';
import { checklistFor } from '../../shared/playbook';
import {
  rows, toPhaseEntry, toTimelineEvent,
  type ChecklistItemRow, type IdRow, type IncidentRoleRow, type IncidentRow, type IncidentSummaryRow, type MaxRow, type PhaseEntryRow, type TimelineEventRow,
} from '../store/rows';
import { nextIncidentKey } from './teamKeys';


export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

function toIso(s: string): string {
  return new Date(s).toISOString();
}

export class IncidentService {
  constructor(
    private db: Db,
    private clock: Clock = systemClock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  /**
   * A mutation of one incident: in one IMMEDIATE transaction, read the row, refuse a stale
   * `baseRevision` (CONFLICT), run `fn`, bump the revision, and return the incident as committed.
   */
  private mutation(key: string, baseRevision: number | undefined, fn: (r: IncidentRow, now: string) => void): Incident {
    return writeTx(this.db, () => {
      const r = this.row(key);
      checkRevision(r, baseRevision);
      const now = this.now();
      fn(r, now);
      this.db.prepare('UPDATE incidents SET revision = revision + 1, updated_at = ? WHERE id = ?').run(now, r.id);
      return this.get(key);
    });
  }

  private row(key: string): IncidentRow {
    const r = rows<IncidentRow>(this.db, 'SELECT * FROM incidents WHERE key = ?').get(key);
    if (!r) throw new ApiError('NOT_FOUND', `No incident ${key}`, { issues: [{ field: 'key', message: `no incident ${key}` }] });
    return r;
  }

  /** An incident row as the list and the page show it (main/services/incidentList.ts uses it too). */
  static summaryOf(r: IncidentSummaryRow, phaseEnteredAt: string, earlyPhases: Phase[]): IncidentSummary {
    const pastMitigate = r.phase === 'resolve' || r.phase === 'review' || r.phase === 'closed';
    return {
      key: r.key,
      title: r.title,
      service: r.service,
      severity: r.severity,
      failureClass: r.failure_class,
      phase: r.phase,
      isDrill: !!r.is_drill,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      detectedAt: r.detected_at,
      phaseEnteredAt,
      earlyPhases: PHASES.filter((p) => earlyPhases.includes(p)),
      mitigationUnverified: pastMitigate && !r.mitigation_verified_at,
    };
  }

  private load(r: IncidentRow): Incident {
    const phases = rows<PhaseEntryRow>(this.db, 'SELECT * FROM phase_entries WHERE incident_id = ?')
      .all(r.id)
      .map<PhaseEntry>(toPhaseEntry)
      .sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));
    const roles = Object.fromEntries(ROLES.map((k) => [k, ''])) as Record<Role, string>;
    for (const x of rows<IncidentRoleRow>(this.db, 'SELECT role, person FROM incident_roles WHERE incident_id = ?').all(r.id)) {
      roles[x.role] = x.person;
    }
    const checklist: Partial<Record<Phase, string[]>> = {};
    for (const c of rows<ChecklistItemRow>(this.db, 'SELECT phase, item_id FROM checklist_items WHERE incident_id = ? ORDER BY checked_at, rowid').all(r.id)) {
      (checklist[c.phase] ??= []).push(c.item_id);
    }
    const timeline = rows<TimelineEventRow>(this.db, 'SELECT * FROM timeline_events WHERE incident_id = ? AND deleted_at IS NULL ORDER BY occurred_at, id')
      .all(r.id)
      .map(toTimelineEvent);
    const current = phases.find((p) => p.phase === r.phase);
    // A drill incident starts with a placeholder class; it is the responder's once they classify (drill:classify).
    const drill = r.is_drill ? rows<{ classified_at: string | null }>(this.db, 'SELECT classified_at FROM drills WHERE incident_id = ?').get(r.id) : undefined;
    return {
      ...IncidentService.summaryOf(r, current?.enteredAt ?? r.updated_at, phases.filter((p) => p.exitedAt && p.earlyReason).map((p) => p.phase)),
      revision: r.revision,
      rootCauseOrigin: r.root_cause_origin,
      summary: r.summary,
      impact: r.impact,
      hypothesis: r.hypothesis,
      mitigation: r.mitigation,
      mitigationVerifiedAt: r.mitigation_verified_at,
      resolution: r.resolution,
      lessons: r.lessons,
      startedAt: r.started_at,
      closedAt: r.closed_at,
      roles,
      phases,
      checklist,
      timeline,
      metrics: computeMetrics(r.detected_at, r.started_at, phases),
      classUnconfirmed: !!drill && !drill.classified_at,
    };
  }

  /**
   * Writes to a closed incident are refused until it is reopened (the record is final). Called by the API
   * dispatcher for every call that changes an incident or what hangs off it; services calling each other
   * (drills finishing on their closed incident) are not refused.
   */
  assertWritable(key: string): void {
    const r = this.row(key);
    if (r.phase === 'closed') {
      throw new ApiError('CONFLICT', `${key} is closed and read-only; reopen it (with a reason) to change it`, {
        issues: [{ field: 'key', message: 'incident is closed' }],
        closed: true,
      });
    }
  }

  reopen(input: ParsedInput<'incident:reopen'>): Incident {
    return this.mutation(input.key, undefined, (r, now) => {
      if (r.phase !== 'closed') throw new ApiError('CONFLICT', `${input.key} is not closed (phase ${r.phase}); only a closed incident can be reopened`);
      const reason = input.reason.trim();
      this.db.prepare('UPDATE phase_entries SET entered_at = ?, exited_at = NULL, early_reason = NULL WHERE incident_id = ? AND phase = ?').run(now, r.id, 'review');
      this.db.prepare("UPDATE incidents SET phase = 'review', closed_at = NULL WHERE id = ?").run(r.id);
      this.insertEvent(r.id, 'phase_change', `Incident reopened (back to Review). Reason: ${reason}`, 'review', now, now);
    });
  }

  get(key: string): Incident {
    return this.load(this.row(key));
  }

  create(input: ParsedInput<'incident:create'>): Incident {
    const now = this.now();
    const key = writeTx(this.db, () => {
      const seq = (rows<MaxRow>(this.db, 'SELECT MAX(seq) AS m FROM incidents').get()!.m ?? 0) + 1;
      const key = nextIncidentKey(this.db, seq);
      const detectedAt = input.detectedAt ? toIso(input.detectedAt) : now;
      const info = this.db
        .prepare(
          `INSERT INTO incidents (seq, key, title, service, severity, failure_class, summary, impact, phase, is_drill,
             detected_at, started_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'acknowledge', ?, ?, ?, ?, ?)`,
        )
        .run(
          seq, key, input.title.trim(), (input.service ?? '').trim(), input.severity, input.failureClass,
          input.summary ?? '', input.impact ?? '', input.isDrill ? 1 : 0,
          detectedAt, input.startedAt ? toIso(input.startedAt) : null, now, now,
        );
      const id = Number(info.lastInsertRowid);
      this.db.prepare('INSERT INTO phase_entries (incident_id, phase, entered_at) VALUES (?, ?, ?)').run(id, 'acknowledge', now);
      this.insertEvent(id, 'phase_change', `Incident opened: ${input.severity}, ${input.failureClass}. Phase: Acknowledge.`, 'acknowledge', now, now);
      return key;
    });
    return this.get(key);
  }

  // incident:list pages through main/services/incidentList.ts (issue 12).

  update(input: ParsedInput<'incident:update'>): Incident {
    const p = input.patch;
    return this.mutation(input.key, input.baseRevision, (r, now) => {
      const cols: Record<string, unknown> = {};
      if (p.title !== undefined) cols.title = p.title.trim();
      if (p.service !== undefined) cols.service = p.service.trim();
      if (p.severity !== undefined) cols.severity = p.severity;
      if (p.failureClass !== undefined) cols.failure_class = p.failureClass;
      if (p.rootCauseOrigin !== undefined) cols.root_cause_origin = p.rootCauseOrigin;
      if (p.summary !== undefined) cols.summary = p.summary;
      if (p.impact !== undefined) cols.impact = p.impact;
      if (p.hypothesis !== undefined) cols.hypothesis = p.hypothesis;
      if (p.mitigation !== undefined) cols.mitigation = p.mitigation;
      if (p.mitigationVerified !== undefined) cols.mitigation_verified_at = p.mitigationVerified ? r.mitigation_verified_at ?? now : null;
      if (p.resolution !== undefined) cols.resolution = p.resolution;
      if (p.lessons !== undefined) cols.lessons = p.lessons;
      if (p.detectedAt !== undefined) cols.detected_at = toIso(p.detectedAt);
      if (p.startedAt !== undefined) cols.started_at = p.startedAt === null ? null : toIso(p.startedAt);
      const detected = (cols.detected_at as string | undefined) ?? r.detected_at;
      const started = cols.started_at !== undefined ? (cols.started_at as string | null) : r.started_at;
      if (started && Date.parse(started) > Date.parse(detected)) {
        throw new ApiError('VALIDATION', 'The start of impact cannot be later than detection', {
          issues: [{ field: p.startedAt !== undefined ? 'patch.startedAt' : 'patch.detectedAt', message: 'start of impact must not be later than detection' }],
        });
      }
      const sets = Object.keys(cols).map((c) => `${c} = @${c}`);
      if (sets.length) this.db.prepare(`UPDATE incidents SET ${sets.join(', ')} WHERE id = @id`).run({ ...cols, id: r.id });
      const changed = [
        p.severity !== undefined && p.severity !== r.severity ? `severity ${r.severity} → ${p.severity}` : null,
        p.failureClass !== undefined && p.failureClass !== r.failure_class ? `failure class ${r.failure_class} → ${p.failureClass}` : null,
        p.mitigationVerified === true && !r.mitigation_verified_at ? 'mitigation verified' : null,
      ].filter(Boolean);
      if (changed.length) this.insertEvent(r.id, 'decision', `Changed ${changed.join('; ')}.`, this.phaseOf(r), now, now);
    });
  }

  private phaseOf(r: Pick<IncidentRow, 'phase'>): Phase {
    return r.phase === 'closed' ? 'review' : r.phase;
  }

  advance(input: ParsedInput<'incident:advance'>): Incident {
    // The phase is read under the write lock: two advances at once move it twice or (with a
    // baseRevision) refuse the second, never once with two phase events.
    return this.mutation(input.key, input.baseRevision, (r, now) => {
      const inc = this.load(r);
      if (inc.phase === 'closed') throw new ApiError('CONFLICT', `${inc.key} is closed; there is no next phase`);
      const phase = inc.phase as Phase;
      const gate = gateStatus(phase, inc);
      const reason = input.reason?.trim() ?? '';
      const unmet = gate.criteria.filter((c) => !c.met);
      if (unmet.length && !reason) {
        throw new ApiError(
          'GATE',
          `${PHASE_DEFS[phase].label} gate not met: ${unmet.map((c) => c.label.toLowerCase()).join('; ')}. Give a reason to pass it early.`,
          { issues: [{ field: 'reason', message: 'a reason is required to pass the gate early' }], unmet: unmet.map((c) => c.id) },
        );
      }
      const id = r.id;
      const next = nextPhase(phase);
      this.db
        .prepare('UPDATE phase_entries SET exited_at = ?, early_reason = ? WHERE incident_id = ? AND phase = ?')
        .run(now, unmet.length ? reason : null, id, phase);
      const to = next ?? 'closed';
      if (next) {
        this.db
          .prepare(
            `INSERT INTO phase_entries (incident_id, phase, entered_at) VALUES (?, ?, ?)
             ON CONFLICT(incident_id, phase) DO UPDATE SET entered_at = excluded.entered_at, exited_at = NULL, early_reason = NULL`,
          )
          .run(id, next, now);
      }
      this.db.prepare('UPDATE incidents SET phase = ?, closed_at = ? WHERE id = ?').run(to, next ? null : now, id);
      const label = next ? `Phase: ${PHASE_DEFS[phase].label} → ${PHASE_DEFS[next].label}.` : `Phase: ${PHASE_DEFS[phase].label} complete; incident closed.`;
      const body = unmet.length
        ? `${label} Gate passed early (unmet: ${unmet.map((c) => c.label.toLowerCase()).join('; ')}). Reason: ${reason}`
        : reason
          ? `${label} ${reason}`
          : label;
      this.insertEvent(id, 'phase_change', body, next ?? 'review', now, now);
    });
  }

  setRole(input: ParsedInput<'incident:setRole'>): Incident {
    const person = input.person.trim();
    return this.mutation(input.key, input.baseRevision, (r) => {
      if (person) {
        this.db
          .prepare('INSERT INTO incident_roles (incident_id, role, person) VALUES (?, ?, ?) ON CONFLICT(incident_id, role) DO UPDATE SET person = excluded.person')
          .run(r.id, input.role, person);
      } else {
        this.db.prepare('DELETE FROM incident_roles WHERE incident_id = ? AND role = ?').run(r.id, input.role);
      }
    });
  }

  check(input: ParsedInput<'incident:check'>): Incident {
    return this.mutation(input.key, input.baseRevision, (r, now) => {
      // Only the playbook's items can be checked; unchecking stays possible for items of a former class.
      if (input.checked && !checklistFor(r.failure_class, input.phase).some((i) => i.id === input.itemId)) {
        throw new ApiError('VALIDATION', `"${input.itemId}" is not on the ${input.phase} checklist for ${r.failure_class} incidents`, {
          issues: [{ field: 'itemId', message: `not a ${input.phase} checklist item for class ${r.failure_class}` }],
        });
      }
      if (input.checked) {
        this.db
          .prepare('INSERT OR IGNORE INTO checklist_items (incident_id, phase, item_id, checked_at) VALUES (?, ?, ?, ?)')
          .run(r.id, input.phase, input.itemId, now);
      } else {
        this.db.prepare('DELETE FROM checklist_items WHERE incident_id = ? AND phase = ? AND item_id = ?').run(r.id, input.phase, input.itemId);
      }
    });
  }

  private insertEvent(incidentId: number, kind: string, body: string, phase: Phase, occurredAt: string, capturedAt: string, sourceKey: string | null = null): number {
    const info = this.db
      .prepare('INSERT INTO timeline_events (incident_id, kind, body, phase, occurred_at, captured_at, source_key) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(incidentId, kind, body, phase, occurredAt, capturedAt, sourceKey);
    return Number(info.lastInsertRowid);
  }

  private eventRow(incidentId: number, id: number, includeDeleted = false): TimelineEventRow {
    const e = rows<TimelineEventRow>(this.db, `SELECT * FROM timeline_events WHERE id = ? AND incident_id = ?${includeDeleted ? '' : ' AND deleted_at IS NULL'}`).get(id, incidentId);
    if (!e) throw new ApiError('NOT_FOUND', `No timeline event ${id} on this incident`, { issues: [{ field: 'id', message: `no event ${id}` }] });
    return e;
  }

  /** A timeline change: same transaction, revision check and bump as the incident's own mutations. */
  private eventMutation(key: string, baseRevision: number | undefined, fn: (r: IncidentRow, now: string) => number): TimelineEvent {
    return writeTx(this.db, () => {
      const r = this.row(key);
      checkRevision(r, baseRevision);
      const now = this.now();
      const id = fn(r, now);
      this.db.prepare('UPDATE incidents SET revision = revision + 1, updated_at = ? WHERE id = ?').run(now, r.id);
      return toTimelineEvent(this.eventRow(r.id, id, true));
    });
  }

  addEvent(input: ParsedInput<'timeline:add'>): TimelineEvent {
    return this.eventMutation(input.key, input.baseRevision, (r, now) => {
      if (input.sourceKey) {
        // The same source (a diff change sent "→ Timeline" twice, or from a reloaded page) gives the first entry back.
        const got = rows<IdRow>(this.db, 'SELECT id FROM timeline_events WHERE incident_id = ? AND source_key = ? AND deleted_at IS NULL').get(r.id, input.sourceKey);
        if (got) return got.id;
      }
      return this.insertEvent(r.id, input.kind, input.body.trim(), this.phaseOf(r), input.occurredAt ? toIso(input.occurredAt) : now, now, input.sourceKey ?? null);
    });
  }

  updateEvent(input: ParsedInput<'timeline:update'>): TimelineEvent {
    if (input.body === undefined && input.occurredAt === undefined) {
      throw new ApiError('VALIDATION', 'Nothing to change: give body or occurredAt', { issues: [{ field: 'body', message: 'give a new text or time' }] });
    }
    return this.eventMutation(input.key, input.baseRevision, (r, now) => {
      const e = this.eventRow(r.id, input.id);
      if (e.kind === 'phase_change' && input.body !== undefined) {
        throw new ApiError('VALIDATION', 'Phase changes are recorded by the flow; only their time can be back-filled', {
          issues: [{ field: 'body', message: 'phase change text cannot be edited' }],
        });
      }
      this.db
        .prepare('UPDATE timeline_events SET body = ?, occurred_at = ?, edited_at = ? WHERE id = ?')
        .run(input.body?.trim() ?? e.body, input.occurredAt ? toIso(input.occurredAt) : e.occurred_at, now, e.id);
      return e.id;
    });
  }

  deleteEvent(input: ParsedInput<'timeline:delete'>): { id: number } {
    const ev = this.eventMutation(input.key, input.baseRevision, (r, now) => {
      const e = this.eventRow(r.id, input.id);
      if (e.kind === 'phase_change') {
        throw new ApiError('VALIDATION', 'Phase changes are part of the record and cannot be deleted', { issues: [{ field: 'id', message: 'phase change' }] });
      }
      this.db.prepare('UPDATE timeline_events SET deleted_at = ? WHERE id = ?').run(now, e.id);
      return e.id;
    });
    return { id: ev.id };
  }

  restoreEvent(input: ParsedInput<'timeline:restore'>): TimelineEvent {
    return this.eventMutation(input.key, input.baseRevision, (r) => {
      const e = this.eventRow(r.id, input.id, true);
      if (e.deleted_at && e.source_key) {
        const live = rows<IdRow>(this.db, 'SELECT id FROM timeline_events WHERE incident_id = ? AND source_key = ? AND deleted_at IS NULL').get(r.id, e.source_key);
        if (live) return live.id;
      }
      this.db.prepare('UPDATE timeline_events SET deleted_at = NULL WHERE id = ?').run(e.id);
      return e.id;
    });
  }
}

/** Refuse a mutation based on a revision that is no longer current. */
function checkRevision(r: Pick<IncidentRow, 'key' | 'revision'>, baseRevision: number | undefined): void {
  if (baseRevision === undefined || baseRevision === r.revision) return;
  throw new ApiError(
    'CONFLICT',
    `${r.key} was changed elsewhere after this change was prepared (it is at revision ${r.revision}; the change was based on ${baseRevision}), so nothing was saved. Look at the current version and make the change again if it still applies.`,
    { revision: r.revision, baseRevision, stale: true },
  );
}

export type { IncidentStatus };
