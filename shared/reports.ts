// Seed 001's communication templates ("Initial Incident Report", "Resolution Update") and a mid-incident
// status update, filled from an Incident; the stakeholder update cadence and when the next update is due.
// Statuses are honest (shared/honesty.ts): a mitigation nobody verified is called unverified.
// Pure TypeScript: no node built-ins, no electron.
import type { Incident, IncidentStatus, Phase, Role, Severity } from './domain';
import { ROLE_LABELS } from './domain';
import { earlyPasses, mitigationHonesty } from './honesty';
import { PHASE_DEFS } from './phases';

/** Seed 001 writes severity as a word: SEV1→Critical, SEV2→High, SEV3→Medium, SEV4→Low. */
export const SEVERITY_WORDS: Record<Severity, string> = {
  SEV1: 'Critical',
  SEV2: 'High',
  SEV3: 'Medium',
  SEV4: 'Low',
};

/** Stakeholder update cadence: 15 minutes for SEV1/SEV2, 30 for SEV3, 60 for SEV4. */
export const UPDATE_CADENCE_MINUTES: Record<Severity, number> = {
  SEV1: 15,
  SEV2: 15,
  SEV3: 30,
  SEV4: 60,
};

export const NOT_YET_KNOWN = '(not yet known)';

/**
 * Who is listed after INVESTIGATING: the people working the problem — the incident commander (owns the
 * decisions) and the ops lead (hands on keyboard). The scribe and the comms lead are not investigating.
 */
const INVESTIGATOR_ROLES: Role[] = ['incident_commander', 'ops_lead'];

const oneLine = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
const orUnknown = (s: string | null | undefined, placeholder = NOT_YET_KNOWN): string => oneLine(s) || placeholder;

const pad = (n: number) => String(n).padStart(2, '0');

/** "YYYY-MM-DD HH:MM UTC", or null when the input is not a valid date. */
export function formatUtcMinute(d: string | Date | null | undefined): string | null {
  if (d === null || d === undefined || d === '') return null;
  const date = typeof d === 'string' ? new Date(d) : d;
  const t = date.getTime();
  if (!Number.isFinite(t)) return null;
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`
  );
}

/** "@alice @bob" from the investigating role holders, commander first, de-duplicated; a role may hold "alice, bob". */
export function investigatorHandles(roles: Partial<Record<Role, string>> | null | undefined): string[] {
  return handles(roles, INVESTIGATOR_ROLES);
}

/** "@alice" handles of the given roles' holders, in that order, de-duplicated. */
export function handles(roles: Partial<Record<Role, string>> | null | undefined, which: readonly Role[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const role of which) {
    for (const raw of (roles?.[role] ?? '').split(/[,;]+/)) {
      const name = raw.trim().replace(/^@+/, '').replace(/\s+/g, '-');
      if (!name) continue;
      const key = name.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(`@${name}`);
    }
  }
  return out;
}

const isUnknown = (s: string | null | undefined) => oneLine(s).toLowerCase() === 'unknown';

type StatusInput = Pick<Incident, 'phase' | 'hypothesis' | 'mitigation' | 'mitigationVerifiedAt' | 'phases' | 'resolution' | 'startedAt' | 'metrics'>;

/** The STATUS line: where the flow is, and honestly how far the mitigation got. */
export function statusLine(inc: StatusInput): string {
  const phase: IncidentStatus = inc.phase;
  const mit = mitigationHonesty(inc);
  const m = oneLine(inc.mitigation);
  const early = mit.early ? ` — mitigate gate passed early: ${mit.early.reason}` : '';
  switch (phase) {
    case 'acknowledge':
      return 'Acknowledged — confirming impact';
    case 'assess':
      return 'Assessing severity and affected systems';
    case 'investigate': {
      const h = oneLine(inc.hypothesis);
      return h && !isUnknown(h)
        ? `Root cause analysis in progress (working hypothesis: ${h})`
        : 'Root cause analysis in progress';
    }
    case 'mitigate': {
      if (m && inc.mitigationVerifiedAt) return `Mitigated and verified: ${m}`;
      if (m) return `Mitigation applied, verifying: ${m}`;
      return 'Mitigation in progress';
    }
    case 'resolve':
      if (mit.state === 'verified') return `Mitigated and verified (${m}); permanent fix in progress`;
      if (mit.state === 'unverified') return `Mitigation applied (${m}) but not verified${early}; permanent fix in progress`;
      return `Not mitigated: no mitigation recorded${early}; permanent fix in progress`;
    case 'review':
    case 'closed': {
      const rest = phase === 'review' ? 'post-incident review in progress' : 'closed';
      const resolveEarly = earlyPasses(inc).find((e) => e.phase === 'resolve');
      const fix = oneLine(inc.resolution);
      if (!fix || resolveEarly) return `Permanent fix not confirmed${resolveEarly ? ` (resolve gate passed early: ${resolveEarly.reason})` : ''}${mit.state === 'verified' ? '' : `; ${mit.phrase}`}; ${rest}`;
      if (mit.state !== 'verified' && mit.early) return `Resolved (${mit.phrase}${early}); ${rest}`;
      return phase === 'review' ? 'Resolved; post-incident review in progress' : 'Resolved and closed';
    }
    default:
      return NOT_YET_KNOWN;
  }
}

function titleOf(inc: Pick<Incident, 'title' | 'isDrill'>): string {
  const t = orUnknown(inc.title, '(untitled incident)');
  return inc.isDrill ? `[DRILL] ${t}` : t;
}

/**
 * Seed 001 "Initial Incident Report":
 * 🚨 INCIDENT / SEVERITY / START TIME / IMPACT / INVESTIGATING / STATUS / NEXT UPDATE.
 * START TIME is when impact began (startedAt), else when it was detected.
 * `now` (default: current time) only fixes the clock time of the next update.
 */
function nextUpdateText(inc: Pick<Incident, 'phase' | 'severity'>, now: Date): string {
  if (inc.phase === 'review' || inc.phase === 'closed') return 'none — resolution update follows';
  const minutes = UPDATE_CADENCE_MINUTES[inc.severity] ?? 30;
  const at = formatUtcMinute(new Date(now.getTime() + minutes * 60_000));
  return `${minutes} minutes${at ? ` (by ${at.slice(11)})` : ''}`;
}

export function initialIncidentReport(inc: Incident, now: Date = new Date()): string {
  const start = formatUtcMinute(inc.startedAt) ?? formatUtcMinute(inc.detectedAt) ?? NOT_YET_KNOWN;
  const people = investigatorHandles(inc.roles);
  const nextUpdate = nextUpdateText(inc, now);
  return [
    `🚨 INCIDENT: ${titleOf(inc)}`,
    `SEVERITY: ${SEVERITY_WORDS[inc.severity] ?? NOT_YET_KNOWN}`,
    `START TIME: ${start}`,
    `IMPACT: ${orUnknown(inc.impact)}`,
    `INVESTIGATING: ${people.length ? people.join(' ') : '(unassigned)'}`,
    `STATUS: ${statusLine(inc)}`,
    `NEXT UPDATE: ${nextUpdate}`,
  ].join('\n');
}

/**
 * Seed 001 "Resolution Update":
 * ✅ RESOLVED / ROOT CAUSE / SOLUTION / PREVENTION / POST-MORTEM.
 * ROOT CAUSE from the hypothesis (+ origin), SOLUTION from the permanent fix (or the mitigation while it is pending),
 * PREVENTION from the lessons learned, POST-MORTEM from the phase.
 */
export function resolutionUpdate(inc: Incident): string {
  let rootCause: string;
  if (isUnknown(inc.hypothesis)) rootCause = 'Unknown — investigation continues';
  else rootCause = orUnknown(inc.hypothesis);
  if (inc.rootCauseOrigin && rootCause !== NOT_YET_KNOWN) rootCause += ` (origin: ${inc.rootCauseOrigin})`;

  const resolution = oneLine(inc.resolution);
  const mitigation = oneLine(inc.mitigation);
  const solution = resolution
    ? resolution
    : mitigation
      ? `${mitigation} (temporary mitigation; permanent fix pending)`
      : NOT_YET_KNOWN;

  let postMortem: string;
  if (inc.phase === 'closed') {
    const closed = formatUtcMinute(inc.closedAt);
    postMortem = closed ? `Completed (closed ${closed})` : 'Completed';
  } else if (inc.phase === 'review') {
    postMortem = 'In progress';
  } else {
    postMortem = 'To be scheduled';
  }

  const mit = mitigationHonesty(inc);
  const owner = handles(inc.roles, ['incident_commander']);
  return [
    `✅ RESOLVED: ${titleOf(inc)}`,
    `ROOT CAUSE: ${rootCause}`,
    `SOLUTION: ${solution}${!resolution && mitigation && mit.state !== 'verified' ? ` — ${mit.phrase}` : ''}`,
    `PREVENTION: ${orUnknown(inc.lessons, '(to be decided in the post-mortem)')}`,
    `POST-MORTEM: ${postMortem}${owner.length ? ` — owner ${owner.join(' ')} (incident commander)` : ''}`,
  ].join('\n');
}

/**
 * Mid-incident status update (between the initial report and the resolution update), one per cadence:
 * 🔄 UPDATE #n / SEVERITY · PHASE / STATUS / IMPACT / ROOT CAUSE / GATES PASSED EARLY (when any) /
 * INCIDENT COMMANDER · HANDS ON / NEXT UPDATE … from the comms lead.
 * `n` is the number of this update (comms entries on the timeline + 1).
 */
export function statusUpdate(inc: Incident, now: Date = new Date()): string {
  const n = inc.timeline.filter((e) => e.kind === 'comms').length + 1;
  const phase = inc.phase === 'closed' ? 'Closed' : PHASE_DEFS[inc.phase as Phase].label;
  const h = oneLine(inc.hypothesis);
  const rootCause = !h ? NOT_YET_KNOWN : isUnknown(h) ? 'Unknown — investigation continues' : `working hypothesis: ${h}${inc.rootCauseOrigin ? ` (origin: ${inc.rootCauseOrigin})` : ''}`;
  const early = earlyPasses(inc);
  const ic = handles(inc.roles, ['incident_commander']);
  const ops = handles(inc.roles, ['ops_lead']).filter((x) => !ic.includes(x));
  const comms = handles(inc.roles, ['comms_lead']);
  const next = nextUpdateText(inc, now);
  return [
    `🔄 UPDATE #${n}: ${titleOf(inc)}`,
    `SEVERITY: ${SEVERITY_WORDS[inc.severity] ?? NOT_YET_KNOWN} · PHASE: ${phase}`,
    `STATUS: ${statusLine(inc)}`,
    `IMPACT: ${orUnknown(inc.impact)}`,
    `ROOT CAUSE: ${rootCause}`,
    ...(early.length ? [`GATES PASSED EARLY: ${early.map((e) => `${e.label} (${e.reason})`).join('; ')}`] : []),
    `INCIDENT COMMANDER: ${ic.length ? ic.join(' ') : '(unassigned)'}${ops.length ? ` · HANDS ON: ${ops.join(' ')}` : ''}`,
    `NEXT UPDATE: ${next}${comms.length && !next.startsWith('none') ? ` from ${comms.join(' ')} (${ROLE_LABELS.comms_lead.toLowerCase()})` : ''}`,
  ].join('\n');
}

export interface UpdateCadence {
  minutes: number;
  /** When the last update (a comms entry on the timeline) went out; null before the first. */
  lastAt: string | null;
  /** When the next one is due: the last update + the cadence, or detection + the cadence for the first. */
  dueAt: string;
  /** Updates sent so far. */
  sent: number;
}

/** The stakeholder update cadence of a live incident; null once it is in review or closed (the resolution update ends it). */
export function updateCadence(inc: Pick<Incident, 'phase' | 'severity' | 'timeline' | 'detectedAt'>): UpdateCadence | null {
  if (inc.phase === 'review' || inc.phase === 'closed') return null;
  const minutes = UPDATE_CADENCE_MINUTES[inc.severity] ?? 30;
  const comms = inc.timeline.filter((e) => e.kind === 'comms').sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  const lastAt = comms.length ? comms[comms.length - 1].occurredAt : null;
  const from = Date.parse(lastAt ?? inc.detectedAt);
  return { minutes, lastAt, dueAt: new Date(from + minutes * 60_000).toISOString(), sent: comms.length };
}
