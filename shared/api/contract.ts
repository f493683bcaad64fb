// The one API contract. Every call: a `domain:verb` name, a zod input schema, an output type.
// Services in main/ implement it; the Electron IPC host, the web host and the CLI bind it.
import { z } from 'zod';
import { lazyRecord, lazySchema } from '../lazy';
import { ARTIFACT_ROLES, FINDING_ROLES, type Artifact, type ArtifactContent, type ArtifactPair, type DiffView, type Finding } from '../artifacts';
import { ARTIFACT_KINDS } from '../diff/types';
import { ACTION_ITEM_STATUSES, ACTION_ITEM_TYPES, type ActionItem } from '../generators/types';
import { DOC_KINDS, type DocRegenerated, type DocState, type ExportPreview, type ExportRecord, type StubFile } from '../exporting';
import {
  FAILURE_CLASSES, INCIDENT_KEY_PATTERN, PHASES, ROLES, ROOT_CAUSE_ORIGINS, SEVERITIES, TIMELINE_KINDS,
  type Incident, type TimelineEvent,
} from '../domain';
// Drills (issue 5).
import { DRILL_MODES, DRILL_VIEWS, type DrillDebrief, type DrillHistory, type DrillReport, type DrillScenarioListItem, type DrillState, type DrillUnchanged, type ScenarioFile, type ScenarioFromIncidentResult } from '../drills/types';
// Store health (issue 10).
import type { BackupInfo, DoctorReport, RestoreResult } from '../backups';
import { DIFFICULTY_LEVELS, SCENARIO_ID_PATTERN, SCENARIO_ITEM_ID_PATTERN, scenarioActionSchema, scenarioCheckSchema } from '../scenarios/schema';
// Search, similar, analytics, backlog (issue 12).
import { SEARCH_SOURCES, type SearchResult } from '../search';
import type { SimilarIncident } from '../similar';
import type { StatsSummary } from '../analytics';
import type { Backlog } from '../backlog';
import type { IncidentPage } from '../incidentList';
import type { TeamConflict, TeamStatus, TeamSyncResult } from '../team/types';
// Bringing the real world in (issue 13).
import { TIMELINE_IMPORT_FORMATS } from '../timeline-import/types';
import type { TimelineImportResult } from '../timeline-import/result';
import type { RunbookRunResult } from '../runbook-cells/result';

const isoDate = lazySchema(() => z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'must be a date and time (ISO 8601), e.g. 2026-11-22T03:10:00Z' }));
const incidentKey = lazySchema(() => z
  .string()
  .regex(INCIDENT_KEY_PATTERN, { message: 'must be an incident key like INC-0001' }));
const text = (max: number) => z.string().max(max, { message: `must be at most ${max} characters` });
const required = (max: number, what: string) =>
  z.string().trim().min(1, { message: `${what} is required` }).max(max, { message: `must be at most ${max} characters` });

const artifactKind = lazySchema(() => z.enum(ARTIFACT_KINDS, { message: `must be one of ${ARTIFACT_KINDS.join(', ')}` }));
const dueDate = lazySchema(() => z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2026-12-01' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s, { message: 'must be a real calendar date' }));
const relDir = lazySchema(() => z
  .string()
  .trim()
  .min(1, { message: 'a folder is required' })
  .max(300)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.split(/[\\/]/).includes('..'), { message: 'must be a folder inside the repository (no "..", not absolute)' }));
const exportPaths = lazySchema(() => z.strictObject({ runbooksDir: relDir, testsDir: relDir, postmortemsDir: relDir }));
/** Deliberate overrides of the secret scan, one per hit (a known test fixture), each with a reason; recorded on the timeline. */
const allowSecrets = lazySchema(() => z
  .array(
    z.strictObject({
      file: required(1000, 'the file'),
      line: z.number().int().positive(),
      rule: required(100, 'the rule'),
      reason: required(500, 'a reason'),
    }),
  )
  .max(200));
/** The incident revision a mutation was based on (optimistic concurrency): a stale one is refused with CONFLICT. */
const baseRevision = lazySchema(() => z.number().int().min(1, { message: 'must be a revision number (from incident:get)' }).optional());
const jobId = lazySchema(() => z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { message: 'must be a job id (8–64 letters, digits, _ or -)' }));
// Drills: a drill by its number or by its incident's key; scenario and card/check/action ids.
const drillRef = lazySchema(() => z.union([z.number().int().positive(), incidentKey], { message: 'must be a drill number or its incident key (INC-0001)' }));
const drillView = lazySchema(() => z.enum(DRILL_VIEWS, { message: 'must be responder or gm' }));
const scenarioId = lazySchema(() => z.string().max(100).regex(SCENARIO_ID_PATTERN, { message: 'must be a scenario id (kebab case, e.g. canary-contamination-non-stratified)' }));
const drillItemId = lazySchema(() => z.string().regex(SCENARIO_ITEM_ID_PATTERN, { message: 'must be a lowercase id (a-z, 0-9, . _ -)' }));

/** Each channel's input schema, built on first use (shared/lazy.ts: start-up of the CLI, issue 14). */
export const schemas = lazyRecord({
  'incident:create': () => z.strictObject({
    title: required(200, 'a title'),
    severity: z.enum(SEVERITIES, { message: 'must be one of SEV1, SEV2, SEV3, SEV4' }),
    failureClass: z.enum(FAILURE_CLASSES, { message: `must be one of ${FAILURE_CLASSES.join(', ')}` }),
    service: text(200).optional(),
    summary: text(20_000).optional(),
    impact: text(20_000).optional(),
    detectedAt: isoDate.optional(),
    startedAt: isoDate.optional(),
    isDrill: z.boolean().optional(),
  }),
  'incident:list': () => z
    .strictObject({
      phase: z.enum([...PHASES, 'closed', 'open'] as const).optional(),
      severity: z.enum(SEVERITIES).optional(),
      failureClass: z.enum(FAILURE_CLASSES).optional(),
      query: text(200).optional(),
      includeDrills: z.boolean().optional(),
      sort: z.enum(['updated', 'created', 'severity', 'key']).optional(),
      // Paging (issue 12): at most `limit` rows (default 100), `cursor` = the previous page's nextCursor.
      service: text(200).optional(),
      cursor: z.string().max(1000).optional(),
      limit: z.number().int().min(1, { message: 'must be at least 1' }).max(500, { message: 'must be at most 500' }).optional(),
      /** Add counts per filter value (phase, severity, class) and overdue action items. */
      counts: z.boolean().optional(),
    })
    .default({}),
  'incident:get': () => z.strictObject({ key: incidentKey }),
  'incident:update': () => z.strictObject({
    key: incidentKey,
    baseRevision,
    patch: z
      .strictObject({
        title: required(200, 'a title').optional(),
        service: text(200).optional(),
        severity: z.enum(SEVERITIES, { message: 'must be one of SEV1, SEV2, SEV3, SEV4' }).optional(),
        failureClass: z.enum(FAILURE_CLASSES, { message: `must be one of ${FAILURE_CLASSES.join(', ')}` }).optional(),
        rootCauseOrigin: z.enum(ROOT_CAUSE_ORIGINS).nullable().optional(),
        summary: text(20_000).optional(),
        impact: text(20_000).optional(),
        hypothesis: text(20_000).optional(),
        mitigation: text(20_000).optional(),
        mitigationVerified: z.boolean().optional(),
        resolution: text(20_000).optional(),
        lessons: text(20_000).optional(),
        detectedAt: isoDate.optional(),
        startedAt: isoDate.nullable().optional(),
      })
      .refine((p) => Object.keys(p).length > 0, { message: 'patch must change at least one field' }),
  }),
  'incident:advance': () => z.strictObject({
    key: incidentKey,
    baseRevision,
    /** Required when the gate's exit criteria are not all met. */
    reason: text(2000).optional(),
  }),
  'incident:setRole': () => z.strictObject({
    key: incidentKey,
    baseRevision,
    role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }),
    person: text(120),
  }),
  'incident:check': () => z.strictObject({
    key: incidentKey,
    baseRevision,
    phase: z.enum(PHASES),
    itemId: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,80}$/, { message: 'must be a checklist item id' }),
    checked: z.boolean(),
  }),
  'timeline:add': () => z.strictObject({
    key: incidentKey,
    baseRevision,
    kind: z.enum(TIMELINE_KINDS.filter((k) => k !== 'phase_change') as [string, ...string[]], {
      message: 'must be one of note, action, evidence, decision, comms',
    }),
    body: required(20_000, 'text'),
    occurredAt: isoDate.optional(),
    /** Names what the entry was made from (a diff change); adding the same source again returns the first entry. */
    sourceKey: text(300).optional(),
  }),
  'timeline:update': () => z.strictObject({
    key: incidentKey,
    baseRevision,
    id: z.number().int().positive(),
    body: required(20_000, 'text').optional(),
    occurredAt: isoDate.optional(),
  }),
  'timeline:delete': () => z.strictObject({ key: incidentKey, baseRevision, id: z.number().int().positive() }),
  'timeline:restore': () => z.strictObject({ key: incidentKey, baseRevision, id: z.number().int().positive() }),
  'artifact:list': () => z.strictObject({ key: incidentKey }),
  'artifact:addText': () => z.strictObject({
    key: incidentKey,
    role: z.enum(ARTIFACT_ROLES, { message: 'must be last-known-good, failing or other' }),
    name: required(255, 'a file name'),
    label: text(120).optional(),
    kind: artifactKind.optional(),
    text: z.string().max(16 * 1024 * 1024, { message: 'pasted text over 16 MB: add it as a file instead' }),
  }),
  /** Electron and CLI only (a path the user chose in a dialog, dropped, or typed); the web host refuses it. */
  'artifact:addPath': () => z.strictObject({
    key: incidentKey,
    role: z.enum(ARTIFACT_ROLES, { message: 'must be last-known-good, failing or other' }),
    path: required(4096, 'a file path'),
    label: text(120).optional(),
    kind: artifactKind.optional(),
  }),
  'artifact:update': () => z.strictObject({
    key: incidentKey,
    id: z.number().int().positive(),
    role: z.enum(ARTIFACT_ROLES).optional(),
    label: text(120).optional(),
    kind: artifactKind.optional(),
  }),
  'artifact:remove': () => z.strictObject({ key: incidentKey, id: z.number().int().positive() }),
  'artifact:restore': () => z.strictObject({ key: incidentKey, id: z.number().int().positive() }),
  'artifact:content': () => z.strictObject({ key: incidentKey, id: z.number().int().positive() }),
  'artifact:pairs': () => z.strictObject({ key: incidentKey }),
  'artifact:diff': () => z.strictObject({
    key: incidentKey,
    beforeId: z.number().int().positive(),
    afterId: z.number().int().positive(),
    kind: artifactKind.optional(),
    /** Client-chosen id so the client can ask for progress or cancel while it waits. */
    jobId: jobId.optional(),
  }),
  'job:progress': () => z.strictObject({ jobId }),
  'job:cancel': () => z.strictObject({ jobId }),
  'finding:create': () => z.strictObject({
    key: incidentKey,
    title: required(300, 'a title'),
    description: text(20_000).optional(),
    failureClass: z.enum(FAILURE_CLASSES),
    rootCauseOrigin: z.enum(ROOT_CAUSE_ORIGINS).nullable().optional(),
    role: z.enum(FINDING_ROLES).optional(),
    genKind: text(80).nullable().optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    evidence: z
      .strictObject({
        artifactIds: z.array(z.number().int().positive()).max(100).optional(),
        changes: z.array(z.record(z.string(), z.unknown())).max(100).optional(),
        timelineEventIds: z.array(z.number().int().positive()).max(100).optional(),
      })
      .optional(),
    /** Names what the finding was made from (a diff change); saving the same source again returns the first finding. */
    sourceKey: text(300).optional(),
  }),
  'finding:list': () => z.strictObject({ key: incidentKey }),
  'finding:update': () => z.strictObject({
    key: incidentKey,
    id: z.number().int().positive(),
    patch: z
      .strictObject({
        title: required(300, 'a title').optional(),
        description: text(20_000).optional(),
        failureClass: z.enum(FAILURE_CLASSES).optional(),
        rootCauseOrigin: z.enum(ROOT_CAUSE_ORIGINS).nullable().optional(),
        role: z.enum(FINDING_ROLES).optional(),
        status: z.enum(['draft', 'accepted', 'rejected']).optional(),
        genKind: text(80).nullable().optional(),
        params: z.record(z.string(), z.unknown()).optional(),
      })
      .refine((p) => Object.keys(p).length > 0, { message: 'patch must change at least one field' }),
  }),
  'finding:remove': () => z.strictObject({ key: incidentKey, id: z.number().int().positive() }),
  'finding:suggest': () => z.strictObject({ key: incidentKey, accept: z.boolean().optional() }),
  'action:list': () => z.strictObject({ key: incidentKey }),
  'action:create': () => z.strictObject({
    key: incidentKey,
    title: required(500, 'a title'),
    owner: text(200).optional(),
    dueDate: dueDate.nullable().optional(),
    type: z.enum(ACTION_ITEM_TYPES, { message: 'must be detective, preventative or corrective' }),
    status: z.enum(ACTION_ITEM_STATUSES).optional(),
  }),
  'action:update': () => z.strictObject({
    key: incidentKey,
    id: z.number().int().positive(),
    patch: z
      .strictObject({
        title: required(500, 'a title').optional(),
        owner: text(200).optional(),
        dueDate: dueDate.nullable().optional(),
        type: z.enum(ACTION_ITEM_TYPES, { message: 'must be detective, preventative or corrective' }).optional(),
        status: z.enum(ACTION_ITEM_STATUSES, { message: 'must be open, in_progress or done' }).optional(),
      })
      .refine((p) => Object.keys(p).length > 0, { message: 'patch must change at least one field' }),
  }),
  'action:remove': () => z.strictObject({ key: incidentKey, id: z.number().int().positive() }),
  'doc:get': () => z.strictObject({ key: incidentKey, kind: z.enum(DOC_KINDS) }),
  /** Autosave of the user's text. */
  'doc:save': () => z.strictObject({ key: incidentKey, kind: z.enum(DOC_KINDS), content: z.string().max(2_000_000, { message: 'document over 2 MB' }) }),
  /** Regenerate from the incident; the user's edited sections are kept and differences returned as conflicts. */
  'doc:regenerate': () => z.strictObject({ key: incidentKey, kind: z.enum(DOC_KINDS) }),
  /** Accept the generated text of one conflicting section. */
  'doc:acceptSection': () => z.strictObject({ key: incidentKey, kind: z.enum(DOC_KINDS), section: required(200, 'a section') }),
  'stubs:generate': () => z.strictObject({ key: incidentKey }),
  'export:preview': () => z.strictObject({ key: incidentKey, repo: required(4096, 'a repository path'), branch: text(200).optional(), paths: exportPaths.optional(), allowSecrets: allowSecrets.optional() }),
  'export:run': () => z.strictObject({ key: incidentKey, repo: required(4096, 'a repository path'), branch: text(200).optional(), paths: exportPaths.optional(), allowSecrets: allowSecrets.optional() }),
  'export:list': () => z.strictObject({ key: incidentKey }),
  /** Secrets are masked unless includeSecrets (a deliberate choice: the bundle then holds them in clear). */
  'bundle:export': () => z.strictObject({ key: incidentKey, includeSecrets: z.boolean().optional() }),
  'bundle:import': () => z.strictObject({ bundle: z.unknown() }),
  // ── Drills (issue 5): a drill is an incident flagged isDrill; use incident:* on its key for the six-phase flow.
  'drill:scenarios': () => z.strictObject({}).default({}),
  'drill:start': () => z.strictObject({
    scenarioId: scenarioId,
    mode: z.enum(DRILL_MODES, { message: 'must be solo or gm' }).default('solo'),
    participant: required(120, 'a participant'),
    /** View of the returned state (default: gm for gm mode, responder for solo). */
    view: drillView.optional(),
  }),
  'drill:get': () => z.strictObject({
    drillId: drillRef,
    view: drillView.default('responder'),
    /** The revision the caller has; when nothing changed since, the answer is {unchanged: true}. */
    sinceRevision: z.number().int().min(0).optional(),
  }),
  /** Solo: released at once. GM mode: becomes a pending request the game master sees. */
  'drill:requestCard': () => z.strictObject({ drillId: drillRef, cardId: drillItemId, view: drillView.optional() }),
  /** GM mode only; requested or not. */
  'drill:releaseCard': () => z.strictObject({ drillId: drillRef, cardId: drillItemId, view: drillView.optional() }),
  'drill:classify': () => z.strictObject({
    drillId: drillRef,
    failureClass: z.enum(FAILURE_CLASSES, { message: `must be one of ${FAILURE_CLASSES.join(', ')}` }),
    rootCauseOrigin: z.enum(ROOT_CAUSE_ORIGINS, { message: `must be one of ${ROOT_CAUSE_ORIGINS.join(', ')}` }).nullable().optional(),
    view: drillView.optional(),
  }),
  /** A permutation of the scenario's check ids, first check first. */
  'drill:orderChecks': () => z.strictObject({ drillId: drillRef, checkIds: z.array(drillItemId).min(1).max(100), view: drillView.optional() }),
  'drill:takeAction': () => z.strictObject({ drillId: drillRef, actionId: drillItemId, view: drillView.optional() }),
  'drill:mitigate': () => z.strictObject({ drillId: drillRef, text: required(20_000, 'the mitigation'), verified: z.boolean().optional(), view: drillView.optional() }),
  'drill:finish': () => z.strictObject({ drillId: drillRef, view: drillView.optional() }),
  'drill:debrief': () => z.strictObject({ drillId: drillRef }),
  'drill:history': () => z.strictObject({ participant: text(120).optional() }).default({}),
  'drill:report': () => z.strictObject({ drillId: drillRef }),
  /** Build a scenario from a resolved incident (phase review or closed); stored unless dryRun. */
  'scenario:fromIncident': () => z.strictObject({
    key: incidentKey,
    expected: z.strictObject({
      failureClass: z.enum(FAILURE_CLASSES, { message: `must be one of ${FAILURE_CLASSES.join(', ')}` }),
      rootCauseOrigin: z.enum(ROOT_CAUSE_ORIGINS, { message: `must be one of ${ROOT_CAUSE_ORIGINS.join(', ')}` }),
      rootCause: required(5000, 'the root cause'),
      acceptableClasses: z.array(z.enum(FAILURE_CLASSES)).max(6).optional(),
      acceptableOrigins: z.array(z.enum(ROOT_CAUSE_ORIGINS)).max(5).optional(),
    }),
    id: scenarioId.optional(),
    title: required(200, 'a title').optional(),
    summary: required(500, 'a summary').optional(),
    briefing: required(20_000, 'a briefing').optional(),
    symptoms: z.array(required(500, 'a symptom')).min(1).max(20).optional(),
    difficulty: z.union([z.number().int().min(1).max(5), z.enum(DIFFICULTY_LEVELS)]).optional(),
    expectedDurationMinutes: z.number().int().min(5).max(240).optional(),
    tags: z.array(drillItemId).max(20).optional(),
    checks: z.array(scenarioCheckSchema).min(2).max(30).optional(),
    idealCheckOrder: z.array(drillItemId).min(2).max(30).optional(),
    actions: z.array(scenarioActionSchema).min(2).max(30).optional(),
    correctMitigation: z
      .strictObject({
        text: required(20_000, 'the mitigation').optional(),
        rollbackCriteria: z.array(required(2000, 'a rollback criterion')).min(1).max(20).optional(),
        verification: z.array(required(2000, 'a verification step')).min(1).max(20).optional(),
      })
      .optional(),
    debriefPoints: z.array(required(2000, 'a debrief point')).min(1).max(30).optional(),
    /** Per-card choices; card ids: tl-<timeline event id>, pair-<before>-<after>, art-<artifact id> (see a dryRun). */
    cards: z
      .array(
        z.strictObject({
          id: z.string().max(100),
          title: required(300, 'a title').optional(),
          relevant: z.boolean().optional(),
          revealCost: z.number().int().min(0).max(3600).optional(),
          initiallyVisible: z.boolean().optional(),
          gmNote: text(5000).optional(),
          exclude: z.boolean().optional(),
        }),
      )
      .max(200)
      .optional(),
    /** Build and validate only; nothing is stored. */
    dryRun: z.boolean().optional(),
    /** Replace a stored custom scenario with the same id (its version is bumped). */
    overwrite: z.boolean().optional(),
  }),
  /** A library or custom scenario as a content file to commit: {path: drills/<id>.json, content}. */
  'scenario:export': () => z.strictObject({ scenarioId: scenarioId }),
  'app:info': () => z.strictObject({}).default({}),
  /** The unmasked text of an artifact: desktop (Electron) host only, logged on the timeline; web and CLI refuse it. */
  'artifact:reveal': () => z.strictObject({ key: incidentKey, id: z.number().int().positive(), reason: text(500).optional() }),
  /** A closed incident back to review; the reason goes on the timeline (issue 11). */
  'incident:reopen': () => z.strictObject({ key: incidentKey, reason: required(2000, 'a reason') }),
  // ── Store health (issue 10): backups in the data folder, the health report, half-finished exports.
  'backup:list': () => z.strictObject({}).default({}),
  /** A manual backup into the backups folder (never pruned). */
  'backup:create': () => z.strictObject({}).default({}),
  /** Restore one of the listed backups, by its name; the current database is kept aside. */
  'backup:restore': () => z.strictObject({
    name: z.string().max(255).regex(/^[^/\\\0]+\.db$/, { message: 'must be the name of a listed backup (….db)' }),
  }),
  'app:doctor': () => z.strictObject({}).default({}),
  /** A half-finished export (refusal HALF_FINISHED in export:preview): record it as done, or remove its branch and worktree. */
  'export:recover': () => z.strictObject({
    key: incidentKey,
    repo: required(4096, 'a repository path'),
    branch: required(200, 'a branch'),
    action: z.enum(['finish', 'discard'], { message: 'must be finish or discard' }),
  }),
  // ── Search, similar incidents, analytics, follow-up backlog (issue 12).
  'search:query': () => z.strictObject({
    query: text(500),
    failureClass: z.enum(FAILURE_CLASSES, { message: `must be one of ${FAILURE_CLASSES.join(', ')}` }).optional(),
    severity: z.enum(SEVERITIES, { message: 'must be one of SEV1, SEV2, SEV3, SEV4' }).optional(),
    service: text(200).optional(),
    phase: z.enum([...PHASES, 'closed', 'open'] as const).optional(),
    /** Incidents detected at or after / before. */
    since: isoDate.optional(),
    until: isoDate.optional(),
    sources: z.array(z.enum(SEARCH_SOURCES)).max(SEARCH_SOURCES.length).optional(),
    includeDrills: z.boolean().optional(),
    limit: z.number().int().min(1).max(100, { message: 'must be at most 100' }).optional(),
    /** Most hits of one incident (default 3). */
    perIncident: z.number().int().min(1).max(20).optional(),
  }),
  'incident:similar': () => z.strictObject({ key: incidentKey, limit: z.number().int().min(1).max(50, { message: 'must be at most 50' }).optional() }),
  // Team sync over git (issue 15)
  'team:join': () => z.strictObject({
    remote: z.string().trim().min(1, { message: 'the repository to join is required' }).max(2000).refine((s) => !s.startsWith('-'), { message: 'must not start with "-"' }),
    name: text(200).optional(),
  }),
  'team:sync': () => z.strictObject({}).default({}),
  'team:status': () => z.strictObject({}).default({}),
  'team:resolve': () => z.strictObject({
    // An incident's key, or a custom scenario's id (a scenario conflict's field is "scenario.<uid>").
    key: z.union([incidentKey, scenarioId], { message: 'must be an incident key like INC-0001 or a scenario id' }),
    field: z.string().trim().min(1, { message: 'the conflicting field is required' }).max(2000),
    take: z.enum(['mine', 'theirs'], { message: 'must be mine or theirs' }),
  }),
  'team:leave': () => z.strictObject({ confirm: z.literal(true, { message: 'must be true: leaving stops syncing (the incidents stay here)' }) }),
  'stats:summary': () => z.strictObject({ since: isoDate.optional(), until: isoDate.optional() }).default({}),
  /** The same figures as CSV (durations in minutes), to download. */
  'stats:csv': () => z.strictObject({ since: isoDate.optional(), until: isoDate.optional() }).default({}),
  'action:backlog': () => z
    .strictObject({
      /** Not done. */
      open: z.boolean().optional(),
      /** Not done and past the due date. */
      overdue: z.boolean().optional(),
      owner: text(200).optional(),
      type: z.enum(ACTION_ITEM_TYPES, { message: 'must be detective, preventative or corrective' }).optional(),
      status: z.enum(ACTION_ITEM_STATUSES, { message: 'must be open, in_progress or done' }).optional(),
      key: incidentKey.optional(),
      limit: z.number().int().min(1).max(5000, { message: 'must be at most 5000' }).optional(),
    })
    .default({}),
  // Issue 13: an export from chat, the pager or alerting onto the timeline (dryRun: the preview, nothing written).
  'timeline:import': () => z
    .strictObject({
      key: incidentKey,
      baseRevision,
      format: z.enum(TIMELINE_IMPORT_FORMATS, { message: `must be one of ${TIMELINE_IMPORT_FORMATS.join(', ')}` }),
      fileName: text(255).optional(),
      /** The file as text (JSON, CSV), or… */
      text: z.string().max(32 * 1024 * 1024, { message: 'over 32 MB: split the export' }).optional(),
      /** …as base64 (a Slack export zip). */
      base64: z.string().max(44 * 1024 * 1024, { message: 'over 32 MB: split the export' }).optional(),
      /** Zone of times written without one (CSV): IANA name or ±HH:MM; default UTC. */
      timeZone: text(64).optional(),
      dryRun: z.boolean().optional(),
    })
    .refine((i) => (i.text === undefined) !== (i.base64 === undefined), { message: 'give the file as text or as base64 (one of them)', path: ['text'] }),
  /**
   * Run shell cell `cell` (1-based) of the incident's runbook: only when `command` is exactly the text the
   * user saw and confirmed. The output is kept under the cell, stored as an artifact and put on the timeline
   * as evidence. Refused by a web host started without --allow-exec.
   */
  'runbook:run': () => z.strictObject({
    key: incidentKey,
    cell: z.number().int().min(1, { message: 'cells are numbered from 1' }).max(10_000),
    command: z.string().max(100_000, { message: 'must be at most 100000 characters' }),
    timeoutSeconds: z.number().int().min(1).max(3600, { message: 'must be at most 3600 seconds' }).optional(),
    /** Start a fresh shell session (environment and folder) for this incident. */
    resetSession: z.boolean().optional(),
  }),
});

export interface AppInfo {
  version: string;
  dbPath: string;
  host: 'electron' | 'web' | 'cli';
  schemaVersion: number;
  /** Whether this host runs runbook cells (a web host only when started with --allow-exec; issue 13). */
  exec?: boolean;
}

/** Output type of each call. */
export interface Outputs {
  'incident:create': Incident;
  'incident:list': IncidentPage;
  'incident:get': Incident;
  'incident:update': Incident;
  'incident:advance': Incident;
  'incident:setRole': Incident;
  'incident:check': Incident;
  'timeline:add': TimelineEvent;
  'timeline:update': TimelineEvent;
  'timeline:delete': { id: number };
  'timeline:restore': TimelineEvent;
  'artifact:list': Artifact[];
  'artifact:addText': Artifact;
  'artifact:addPath': Artifact;
  'artifact:update': Artifact;
  'artifact:remove': { id: number };
  'artifact:restore': Artifact;
  'artifact:content': ArtifactContent;
  'artifact:pairs': ArtifactPair[];
  'artifact:diff': DiffView;
  'job:progress': JobProgress;
  'job:cancel': { jobId: string; cancelled: boolean };
  'finding:create': Finding;
  'finding:list': Finding[];
  'finding:update': Finding;
  'finding:remove': { id: number };
  'finding:suggest': Finding[];
  'action:list': ActionItem[];
  'action:create': ActionItem;
  'action:update': ActionItem;
  'action:remove': { id: number };
  'doc:get': DocState;
  'doc:save': DocState;
  'doc:regenerate': DocRegenerated;
  'doc:acceptSection': DocRegenerated;
  'stubs:generate': StubFile[];
  'export:preview': ExportPreview;
  'export:run': ExportRecord;
  'export:list': ExportRecord[];
  'bundle:export': IncidentBundle;
  'bundle:import': Incident & { bundleMasked?: BundleMasking };
  'drill:scenarios': DrillScenarioListItem[];
  'drill:start': DrillState;
  'drill:get': DrillState | DrillUnchanged;
  'drill:requestCard': DrillState;
  'drill:releaseCard': DrillState;
  'drill:classify': DrillState;
  'drill:orderChecks': DrillState;
  'drill:takeAction': DrillState;
  'drill:mitigate': DrillState;
  'drill:finish': DrillState;
  'drill:debrief': DrillDebrief;
  'drill:history': DrillHistory;
  'drill:report': DrillReport;
  'scenario:fromIncident': ScenarioFromIncidentResult;
  'scenario:export': ScenarioFile;
  'app:info': AppInfo;
  'artifact:reveal': ArtifactContent;
  'incident:reopen': Incident;
  'backup:list': BackupInfo[];
  'backup:create': BackupInfo;
  'backup:restore': RestoreResult;
  'app:doctor': DoctorReport;
  'export:recover': ExportRecoverResult;
  'search:query': SearchResult;
  'incident:similar': SimilarIncident[];
  'team:join': TeamStatus;
  'team:sync': TeamSyncResult;
  'team:status': TeamStatus;
  'team:resolve': TeamConflict[];
  'team:leave': { left: boolean };
  'stats:summary': StatsSummary;
  'stats:csv': { filename: string; content: string };
  'action:backlog': Backlog;
  'timeline:import': TimelineImportResult;
  'runbook:run': RunbookRunResult;
}

/** What a masked bundle hides: per artifact, the lines whose values were masked (by rule). */
export interface BundleMasking {
  /** true: secrets were masked (the default); false: the bundle holds them in clear (includeSecrets). */
  masked: boolean;
  artifacts: { id: number; name: string; count: number; lines: number[]; rules: string[] }[];
  /** Binary artifacts (Parquet, binaries) cannot be masked; they are included as they are. */
  unscanned: { id: number; name: string }[];
  /** Masked values outside artifact contents (timeline, findings, documents). */
  elsewhere: number;
}

export type ExportRecoverResult =
  | { action: 'finished'; record: ExportRecord }
  | { action: 'discarded'; branch: string; removed: string[] };

/** A whole incident as one JSON document (round trip: export → import restores it exactly). */
export interface IncidentBundle {
  format: 'postmortem-workbench/incident-bundle';
  version: number;
  exportedAt: string;
  appVersion: string;
  incident: Incident;
  artifacts: (Artifact & { contentBase64: string })[];
  findings: Finding[];
  actionItems: ActionItem[];
  documents: DocState[];
  /** Present on bundles written since issue 8: whether and where secrets were masked. */
  redaction?: BundleMasking;
}

export interface JobProgress {
  jobId: string;
  state: 'running' | 'done' | 'cancelled' | 'failed' | 'unknown';
  /** 0..1 when known. */
  fraction: number | null;
  stage: string;
  elapsedMs: number;
}

export type Channel = keyof typeof schemas;
export type Input<C extends Channel> = z.input<(typeof schemas)[C]>;
export type ParsedInput<C extends Channel> = z.output<(typeof schemas)[C]>;
export type Output<C extends Channel> = Outputs[C];

/** A complete table of handlers, one per channel: what services must implement. */
export type Handlers = { [C in Channel]: (input: ParsedInput<C>) => Output<C> | Promise<Output<C>> };

/** The client the renderer sees, whatever the transport. */
export type ApiClient = { call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> };

export const CHANNELS = Object.keys(schemas) as Channel[];
