// Seed 001's communication templates ("Initial Incident Report", "Resolution Update"), filled from an Incident.
// Pure TypeScript: no node built-ins, no electron.
import type { Incident, IncidentStatus, Role, Severity } from './domain';

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

/** Order in which role holders are listed after INVESTIGATING. */
const INVESTIGATOR_ROLES: Role[] = ['incident_commander', 'ops_lead', 'scribe', 'comms_lead'];

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

/** "@alice @bob" from the role holders, commander first, de-duplicated; a role may hold "alice, bob". */
export function investigatorHandles(roles: Partial<Record<Role, string>> | null | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const role of INVESTIGATOR_ROLES) {
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

function statusLine(inc: Pick<Incident, 'phase' | 'hypothesis' | 'mitigation' | 'mitigationVerifiedAt'>): string {
  const phase: IncidentStatus = inc.phase;
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
      const m = oneLine(inc.mitigation);
      if (m && inc.mitigationVerifiedAt) return `Mitigated and verified: ${m}`;
      if (m) return `Mitigation applied, verifying: ${m}`;
      return 'Mitigation in progress';
    }
    case 'resolve': {
      const m = oneLine(inc.mitigation);
      return m ? `Mitigated (${m}); permanent fix in progress` : 'Mitigated; permanent fix in progress';
    }
    case 'review':
      return 'Resolved; post-incident review in progress';
    case 'closed':
      return 'Resolved and closed';
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
export function initialIncidentReport(inc: Incident, now: Date = new Date()): string {
  const start = formatUtcMinute(inc.startedAt) ?? formatUtcMinute(inc.detectedAt) ?? NOT_YET_KNOWN;
  const people = investigatorHandles(inc.roles);
  let nextUpdate: string;
  if (inc.phase === 'review' || inc.phase === 'closed') {
    nextUpdate = 'none — resolution update follows';
  } else {
    const minutes = UPDATE_CADENCE_MINUTES[inc.severity] ?? 30;
    nextUpdate = `${minutes} minutes`;
    const at = formatUtcMinute(new Date(now.getTime() + minutes * 60_000));
    if (at) nextUpdate += ` (by ${at.slice(11)})`;
  }
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

  return [
    `✅ RESOLVED: ${titleOf(inc)}`,
    `ROOT CAUSE: ${rootCause}`,
    `SOLUTION: ${solution}`,
    `PREVENTION: ${orUnknown(inc.lessons, '(to be decided in the post-mortem)')}`,
    `POST-MORTEM: ${postMortem}`,
  ].join('\n');
}
