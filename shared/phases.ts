// The guided flow: phases, budgets, gates with exit criteria, metrics. Pure functions over Incident.
import type { Incident, IncidentMetrics, Phase, PhaseEntry, TimelineEvent } from './domain';
import { PHASES } from './domain';

export interface PhaseDef {
  phase: Phase;
  label: string;
  /** Time budget in minutes; null = variable / post-incident. */
  budgetMinutes: number | null;
  budgetLabel: string;
  goal: string;
  leavesWhen: string;
}

/** Seed 001's incident response framework; DESIGN §5. */
export const PHASE_DEFS: Record<Phase, PhaseDef> = {
  acknowledge: {
    phase: 'acknowledge', label: 'Acknowledge', budgetMinutes: 2, budgetLabel: '2 min',
    goal: 'Confirm the issue and its impact.', leavesWhen: 'Someone owns it; impact confirmed.',
  },
  assess: {
    phase: 'assess', label: 'Assess', budgetMinutes: 5, budgetLabel: '5 min',
    goal: 'Determine severity, failure class and affected systems.', leavesWhen: 'Severity, failure class and affected systems set.',
  },
  investigate: {
    phase: 'investigate', label: 'Investigate', budgetMinutes: 15, budgetLabel: '15 min',
    goal: 'Gather data in pipeline order and identify the root cause.',
    leavesWhen: 'A root-cause hypothesis with evidence (or an explicit "unknown").',
  },
  mitigate: {
    phase: 'mitigate', label: 'Mitigate', budgetMinutes: 30, budgetLabel: '30 min',
    goal: 'Implement a temporary fix or rollback — and verify it.', leavesWhen: 'A temporary fix or rollback applied and verified.',
  },
  resolve: {
    phase: 'resolve', label: 'Resolve', budgetMinutes: null, budgetLabel: 'variable',
    goal: 'Apply the permanent solution.', leavesWhen: 'Permanent fix applied.',
  },
  review: {
    phase: 'review', label: 'Review', budgetMinutes: null, budgetLabel: 'post-incident',
    goal: 'Document learnings and improvements.', leavesWhen: 'Postmortem written, action items owned.',
  },
};

export interface GateCriterion {
  id: string;
  label: string;
  met: boolean;
}

export interface GateStatus {
  phase: Phase;
  criteria: GateCriterion[];
  allMet: boolean;
  /** Next phase, or null when leaving review closes the incident. */
  next: Phase | null;
}

const filled = (s: string | null | undefined) => !!s && s.trim().length > 0;

export function nextPhase(p: Phase): Phase | null {
  const i = PHASES.indexOf(p);
  return i < PHASES.length - 1 ? PHASES[i + 1] : null;
}

type GateInput = Pick<
  Incident,
  'roles' | 'impact' | 'service' | 'severity' | 'failureClass' | 'hypothesis' | 'mitigation' | 'mitigationVerifiedAt' | 'resolution' | 'lessons' | 'summary'
> & { timeline: Pick<TimelineEvent, 'kind'>[]; classUnconfirmed?: boolean };

export function gateCriteria(phase: Phase, inc: GateInput): GateCriterion[] {
  switch (phase) {
    case 'acknowledge':
      return [
        { id: 'owner', label: 'An incident commander owns it', met: filled(inc.roles.incident_commander) },
        { id: 'impact', label: 'Impact confirmed and written down', met: filled(inc.impact) },
      ];
    case 'assess':
      return [
        { id: 'severity', label: 'Severity set', met: !!inc.severity },
        { id: 'class', label: 'Failure class set', met: !!inc.failureClass && !inc.classUnconfirmed },
        { id: 'systems', label: 'Affected systems (service) set', met: filled(inc.service) },
      ];
    case 'investigate': {
      const unknown = inc.hypothesis.trim().toLowerCase() === 'unknown';
      return [
        { id: 'hypothesis', label: 'Root-cause hypothesis stated (or "unknown")', met: filled(inc.hypothesis) },
        {
          id: 'evidence',
          label: 'Evidence on the timeline supports it',
          met: unknown || inc.timeline.some((e) => e.kind === 'evidence'),
        },
      ];
    }
    case 'mitigate':
      return [
        { id: 'mitigation', label: 'Temporary fix or rollback applied', met: filled(inc.mitigation) },
        { id: 'verified', label: 'Mitigation verified (previous stable version serving and healthy)', met: !!inc.mitigationVerifiedAt },
      ];
    case 'resolve':
      return [{ id: 'resolution', label: 'Permanent fix applied', met: filled(inc.resolution) }];
    case 'review':
      return [
        { id: 'summary', label: 'Postmortem summary written', met: filled(inc.summary) },
        { id: 'lessons', label: 'Lessons learned recorded', met: filled(inc.lessons) },
      ];
  }
}

export function gateStatus(phase: Phase, inc: GateInput): GateStatus {
  const criteria = gateCriteria(phase, inc);
  return { phase, criteria, allMet: criteria.every((c) => c.met), next: nextPhase(phase) };
}

export type BudgetState = 'ok' | 'warn' | 'over' | 'none';

/** Amber from 80% of the budget, red past it (issue 2 §6). */
export function budgetState(phase: Phase, elapsedMs: number): BudgetState {
  const b = PHASE_DEFS[phase].budgetMinutes;
  if (b === null) return 'none';
  const ratio = elapsedMs / (b * 60_000);
  if (ratio > 1) return 'over';
  if (ratio >= 0.8) return 'warn';
  return 'ok';
}

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const neg = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const out = h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  return neg ? `-${out}` : out;
}

const t = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);

/**
 * Metrics from phase entry timestamps (seed 002 tiers).
 * TTA: detection → leaving acknowledge. TTM: detection → leaving mitigate.
 * TTR: detection → leaving resolve. TTD: start of impact → detection.
 */
export function computeMetrics(detectedAt: string, startedAt: string | null, phases: PhaseEntry[]): IncidentMetrics {
  const exit = (p: Phase) => {
    const e = phases.find((x) => x.phase === p);
    return e?.exitedAt ? t(e.exitedAt) : NaN;
  };
  const d = t(detectedAt);
  const diff = (a: number) => (Number.isFinite(a) && Number.isFinite(d) ? Math.max(0, a - d) : null);
  const s = t(startedAt);
  return {
    timeToDetectMs: Number.isFinite(s) && Number.isFinite(d) ? Math.max(0, d - s) : null,
    timeToAcknowledgeMs: diff(exit('acknowledge')),
    timeToMitigateMs: diff(exit('mitigate')),
    timeToResolveMs: diff(exit('resolve')),
  };
}

/** Seed 002 maturity tiers for MTTD / MTTR. */
export const MATURITY_TIERS = [
  { tier: 'World-class', mttdMinutes: 5, mttrMinutes: 30 },
  { tier: 'Mature', mttdMinutes: 15, mttrMinutes: 60 },
  { tier: 'Basic', mttdMinutes: 60, mttrMinutes: 240 },
  { tier: 'Ad-hoc', mttdMinutes: 240, mttrMinutes: 1440 },
] as const;
