// The one API contract. Every call: a `domain:verb` name, a zod input schema, an output type.
// Services in main/ implement it; the Electron IPC host, the web host and the CLI bind it.
import { z } from 'zod';
import { ARTIFACT_ROLES, FINDING_ROLES, type Artifact, type ArtifactContent, type ArtifactPair, type DiffView, type Finding } from '../artifacts';
import { ARTIFACT_KINDS } from '../diff/types';
import {
  FAILURE_CLASSES, PHASES, ROLES, ROOT_CAUSE_ORIGINS, SEVERITIES, TIMELINE_KINDS,
  type Incident, type IncidentSummary, type TimelineEvent,
} from '../domain';

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'must be a date and time (ISO 8601), e.g. 2026-11-22T03:10:00Z' });
const incidentKey = z
  .string()
  .regex(/^INC-\d{4,}$/, { message: 'must be an incident key like INC-0001' });
const text = (max: number) => z.string().max(max, { message: `must be at most ${max} characters` });
const required = (max: number, what: string) =>
  z.string().trim().min(1, { message: `${what} is required` }).max(max, { message: `must be at most ${max} characters` });

const artifactKind = z.enum(ARTIFACT_KINDS, { message: `must be one of ${ARTIFACT_KINDS.join(', ')}` });
const jobId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { message: 'must be a job id (8–64 letters, digits, _ or -)' });

export const schemas = {
  'incident:create': z.strictObject({
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
  'incident:list': z
    .strictObject({
      phase: z.enum([...PHASES, 'closed', 'open'] as const).optional(),
      severity: z.enum(SEVERITIES).optional(),
      failureClass: z.enum(FAILURE_CLASSES).optional(),
      query: text(200).optional(),
      includeDrills: z.boolean().optional(),
      sort: z.enum(['updated', 'created', 'severity', 'key']).optional(),
    })
    .default({}),
  'incident:get': z.strictObject({ key: incidentKey }),
  'incident:update': z.strictObject({
    key: incidentKey,
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
  'incident:advance': z.strictObject({
    key: incidentKey,
    /** Required when the gate's exit criteria are not all met. */
    reason: text(2000).optional(),
  }),
  'incident:setRole': z.strictObject({
    key: incidentKey,
    role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }),
    person: text(120),
  }),
  'incident:check': z.strictObject({
    key: incidentKey,
    phase: z.enum(PHASES),
    itemId: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,80}$/, { message: 'must be a checklist item id' }),
    checked: z.boolean(),
  }),
  'timeline:add': z.strictObject({
    key: incidentKey,
    kind: z.enum(TIMELINE_KINDS.filter((k) => k !== 'phase_change') as [string, ...string[]], {
      message: 'must be one of note, action, evidence, decision, comms',
    }),
    body: required(20_000, 'text'),
    occurredAt: isoDate.optional(),
  }),
  'timeline:update': z.strictObject({
    key: incidentKey,
    id: z.number().int().positive(),
    body: required(20_000, 'text').optional(),
    occurredAt: isoDate.optional(),
  }),
  'timeline:delete': z.strictObject({ key: incidentKey, id: z.number().int().positive() }),
  'timeline:restore': z.strictObject({ key: incidentKey, id: z.number().int().positive() }),
  'artifact:list': z.strictObject({ key: incidentKey }),
  'artifact:addText': z.strictObject({
    key: incidentKey,
    role: z.enum(ARTIFACT_ROLES, { message: 'must be last-known-good, failing or other' }),
    name: required(255, 'a file name'),
    label: text(120).optional(),
    kind: artifactKind.optional(),
    text: z.string().max(16 * 1024 * 1024, { message: 'pasted text over 16 MB: add it as a file instead' }),
  }),
  /** Electron and CLI only (a path the user chose in a dialog, dropped, or typed); the web host refuses it. */
  'artifact:addPath': z.strictObject({
    key: incidentKey,
    role: z.enum(ARTIFACT_ROLES, { message: 'must be last-known-good, failing or other' }),
    path: required(4096, 'a file path'),
    label: text(120).optional(),
    kind: artifactKind.optional(),
  }),
  'artifact:update': z.strictObject({
    key: incidentKey,
    id: z.number().int().positive(),
    role: z.enum(ARTIFACT_ROLES).optional(),
    label: text(120).optional(),
    kind: artifactKind.optional(),
  }),
  'artifact:remove': z.strictObject({ key: incidentKey, id: z.number().int().positive() }),
  'artifact:restore': z.strictObject({ key: incidentKey, id: z.number().int().positive() }),
  'artifact:content': z.strictObject({ key: incidentKey, id: z.number().int().positive() }),
  'artifact:pairs': z.strictObject({ key: incidentKey }),
  'artifact:diff': z.strictObject({
    key: incidentKey,
    beforeId: z.number().int().positive(),
    afterId: z.number().int().positive(),
    kind: artifactKind.optional(),
    /** Client-chosen id so the client can ask for progress or cancel while it waits. */
    jobId: jobId.optional(),
  }),
  'job:progress': z.strictObject({ jobId }),
  'job:cancel': z.strictObject({ jobId }),
  'finding:create': z.strictObject({
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
  }),
  'finding:list': z.strictObject({ key: incidentKey }),
  'finding:update': z.strictObject({
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
        params: z.record(z.string(), z.unknown()).optional(),
      })
      .refine((p) => Object.keys(p).length > 0, { message: 'patch must change at least one field' }),
  }),
  'finding:remove': z.strictObject({ key: incidentKey, id: z.number().int().positive() }),
  'app:info': z.strictObject({}).default({}),
} as const;

export interface AppInfo {
  version: string;
  dbPath: string;
  host: 'electron' | 'web' | 'cli';
  schemaVersion: number;
}

/** Output type of each call. */
export interface Outputs {
  'incident:create': Incident;
  'incident:list': IncidentSummary[];
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
  'app:info': AppInfo;
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
