// Domain vocabulary shared by every layer. Pure TypeScript: no electron, no node built-ins.

/** What an incident key looks like (INC-0001): the contract checks every key against it. */
export const INCIDENT_KEY_PATTERN = /^INC-\d{4,}$/;

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_LABELS: Record<Severity, string> = {
  SEV1: 'Critical — customer-facing outage or harmful predictions at scale',
  SEV2: 'High — major degradation, business KPI visibly hit',
  SEV3: 'Medium — partial or contained degradation',
  SEV4: 'Low — minor issue, no customer impact yet',
};

/** Failure classes in pipeline order (seed 000: data → train → validate → package → deploy → live). */
export const FAILURE_CLASSES = [
  'data',
  'training',
  'validation',
  'packaging',
  'deployment',
  'serving',
  'live_behaviour',
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];
export const FAILURE_CLASS_LABELS: Record<FailureClass, string> = {
  data: 'Data',
  training: 'Training',
  validation: 'Validation',
  packaging: 'Packaging',
  deployment: 'Deployment',
  serving: 'Serving',
  live_behaviour: 'Live behaviour',
};

/** Root-cause origin (seed 002's classification dimension). */
export const ROOT_CAUSE_ORIGINS = ['data', 'code', 'config', 'dependency', 'infrastructure', 'process'] as const;
export type RootCauseOrigin = (typeof ROOT_CAUSE_ORIGINS)[number];

export const ROLES = ['incident_commander', 'scribe', 'comms_lead', 'ops_lead'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  incident_commander: 'Incident commander',
  scribe: 'Scribe',
  comms_lead: 'Comms lead',
  ops_lead: 'Ops lead',
};

export const PHASES = ['acknowledge', 'assess', 'investigate', 'mitigate', 'resolve', 'review'] as const;
export type Phase = (typeof PHASES)[number];
/** A closed incident has left the review phase. */
export type IncidentStatus = Phase | 'closed';

export const TIMELINE_KINDS = ['note', 'action', 'evidence', 'decision', 'phase_change', 'comms'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEvent {
  id: number;
  kind: TimelineKind;
  body: string;
  /** When it happened (editable for back-filling), ISO 8601 UTC. */
  occurredAt: string;
  /** When it was written down; never changes. */
  capturedAt: string;
  /** Set when occurredAt or body was edited after capture. */
  editedAt: string | null;
  phase: Phase;
  /** What the entry was made from (e.g. a diff change), when it was; see timeline:add. */
  sourceKey?: string | null;
  /** Who wrote it, when it came from a teammate through team sync (issue 15); null: written here. */
  author?: string | null;
}

export interface PhaseEntry {
  phase: Phase;
  enteredAt: string;
  exitedAt: string | null;
  /** Reason given when the gate was passed with exit criteria unmet. */
  earlyReason: string | null;
}

export interface IncidentMetrics {
  /** Milliseconds, or null while not reached. */
  timeToDetectMs: number | null;
  timeToAcknowledgeMs: number | null;
  timeToMitigateMs: number | null;
  timeToResolveMs: number | null;
}

export interface IncidentSummary {
  key: string;
  title: string;
  service: string;
  severity: Severity;
  failureClass: FailureClass;
  phase: IncidentStatus;
  isDrill: boolean;
  createdAt: string;
  updatedAt: string;
  detectedAt: string;
  /** Entry time of the current phase (for the list's timer). */
  phaseEnteredAt: string;
  /** Phases whose gate was passed early (exit criteria unmet, a reason given), in phase order. */
  earlyPhases?: Phase[];
  /** The flow has left the mitigate phase without a verified mitigation. */
  mitigationUnverified?: boolean;
}

export interface Incident extends IncidentSummary {
  /** Bumped by every change to the incident, its phases, roles, checklist or timeline (optimistic concurrency). */
  revision: number;
  rootCauseOrigin: RootCauseOrigin | null;
  summary: string;
  impact: string;
  /** Working root-cause hypothesis (investigate gate). "unknown" is an explicit answer. */
  hypothesis: string;
  /** Temporary fix or rollback applied (mitigate gate). */
  mitigation: string;
  mitigationVerifiedAt: string | null;
  /** Permanent fix (resolve gate). */
  resolution: string;
  /** Lessons learned (review gate). */
  lessons: string;
  startedAt: string | null;
  closedAt: string | null;
  roles: Record<Role, string>;
  phases: PhaseEntry[];
  /** item ids checked, per phase. */
  checklist: Partial<Record<Phase, string[]>>;
  timeline: TimelineEvent[];
  metrics: IncidentMetrics;
  /** True while the failure class is a placeholder nobody chose (a drill before the responder classifies). */
  classUnconfirmed?: boolean;
}

export function isPhase(s: string): s is Phase {
  return (PHASES as readonly string[]).includes(s);
}
