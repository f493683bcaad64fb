// What the record can honestly claim (issue 11): which gates were passed early, whether the mitigation
// was verified, which metrics rest on an early pass, and which maturity tier — if any — the known
// figures support. Comms templates, metrics, the postmortem and the incident list all read from here,
// so an unverified mitigation is called unverified everywhere. Pure TypeScript.
import type { Incident, Phase } from './domain';
import { PHASES } from './domain';
import { MATURITY_TIERS, PHASE_DEFS, formatDuration } from './phases';

type Rec = Pick<Incident, 'phase' | 'phases' | 'mitigation' | 'mitigationVerifiedAt' | 'resolution' | 'startedAt' | 'metrics'>;

export interface EarlyPass {
  phase: Phase;
  label: string;
  reason: string;
}

/** Gates left with exit criteria unmet (a reason was given), in phase order. */
export function earlyPasses(inc: Pick<Incident, 'phases'>): EarlyPass[] {
  return PHASES.flatMap((p) => {
    const e = inc.phases.find((x) => x.phase === p);
    return e?.exitedAt && e.earlyReason ? [{ phase: p, label: PHASE_DEFS[p].label, reason: e.earlyReason.replace(/\s+/g, ' ').trim() }] : [];
  });
}

const past = (inc: Pick<Incident, 'phase' | 'phases'>, p: Phase) =>
  inc.phase === 'closed' || PHASES.indexOf(inc.phase as Phase) > PHASES.indexOf(p) || !!inc.phases.find((x) => x.phase === p)?.exitedAt;

export type MitigationState = 'none' | 'unverified' | 'verified';

export interface MitigationHonesty {
  state: MitigationState;
  /** True once the flow has left the mitigate phase. */
  left: boolean;
  /** The mitigate gate was passed early. */
  early: EarlyPass | null;
  /** One phrase for reports: "verified", "NOT VERIFIED", "none recorded". */
  phrase: string;
}

export function mitigationHonesty(inc: Rec): MitigationHonesty {
  const text = (inc.mitigation ?? '').trim();
  const state: MitigationState = !text ? 'none' : inc.mitigationVerifiedAt ? 'verified' : 'unverified';
  const early = earlyPasses(inc).find((e) => e.phase === 'mitigate') ?? null;
  return {
    state,
    left: past(inc, 'mitigate'),
    early,
    phrase: state === 'verified' ? 'verified' : state === 'unverified' ? 'mitigation not verified' : 'no mitigation recorded',
  };
}

export interface MetricHonesty {
  id: 'ttd' | 'tta' | 'ttm' | 'ttr';
  ms: number | null;
  /** Set when the figure rests on a gate passed early (the clock stopped, the work may not have). */
  unverified: string | null;
}

/** The four metrics with what makes each one doubtful. */
export function metricHonesty(inc: Rec): MetricHonesty[] {
  const m = inc.metrics;
  const early = earlyPasses(inc);
  const passed = (p: Phase) => early.find((e) => e.phase === p);
  const mit = mitigationHonesty(inc);
  const ttmDoubt = mit.left && mit.state !== 'verified'
    ? mit.early
      ? `mitigate gate passed early (${mit.early.reason}); ${mit.phrase}`
      : mit.phrase
    : null;
  const ttrEarly = passed('resolve');
  return [
    { id: 'ttd', ms: m.timeToDetectMs, unverified: null },
    { id: 'tta', ms: m.timeToAcknowledgeMs, unverified: passed('acknowledge') ? `acknowledge gate passed early (${passed('acknowledge')!.reason})` : null },
    { id: 'ttm', ms: m.timeToMitigateMs, unverified: m.timeToMitigateMs === null ? null : ttmDoubt },
    { id: 'ttr', ms: m.timeToResolveMs, unverified: m.timeToResolveMs === null ? null : ttrEarly ? `resolve gate passed early (${ttrEarly.reason})` : null },
  ];
}

export interface TierClaim {
  /** The tier the known figures support, or null when none can be stated. */
  tier: string | null;
  /** Why: the figures behind the tier, or what is missing. */
  why: string;
}

function tierFor(minutes: number, key: 'mttdMinutes' | 'mttrMinutes'): string {
  return MATURITY_TIERS.find((t) => minutes <= t[key])?.tier ?? 'below Ad-hoc';
}

/**
 * Seed 002's maturity tier, stated only when both figures behind it are known and trustworthy:
 * TTD (needs the start of impact) and TTR (needs a resolve gate that was met, not passed early, and a
 * verified mitigation). The tier is the lower of the two figures' tiers.
 */
export function maturityTier(inc: Rec): TierClaim {
  const hm = metricHonesty(inc);
  const ttd = hm.find((x) => x.id === 'ttd')!;
  const ttr = hm.find((x) => x.id === 'ttr')!;
  const ttm = hm.find((x) => x.id === 'ttm')!;
  const missing: string[] = [];
  if (ttd.ms === null) missing.push(inc.startedAt ? 'TTD unknown' : 'TTD unknown (start of impact not set)');
  if (ttr.ms === null) missing.push('TTR unknown (not resolved yet)');
  else if (ttr.unverified) missing.push(`TTR unverified: ${ttr.unverified}`);
  if (ttm.unverified) missing.push(`TTM unverified: ${ttm.unverified}`);
  if (missing.length) return { tier: null, why: `not stated — ${missing.join('; ')}` };
  const d = ttd.ms! / 60_000;
  const r = ttr.ms! / 60_000;
  const order = [...MATURITY_TIERS.map((t) => t.tier as string), 'below Ad-hoc'];
  const td = tierFor(d, 'mttdMinutes');
  const tr = tierFor(r, 'mttrMinutes');
  const tier = order.indexOf(td) >= order.indexOf(tr) ? td : tr;
  return { tier, why: `TTD ${formatDuration(ttd.ms)} (${td}), TTR ${formatDuration(ttr.ms)} (${tr})` };
}

/** A short flag for lists and headers: "mitigation not verified", "2 gates passed early", or null. */
export function honestyFlag(inc: Rec): string | null {
  const mit = mitigationHonesty(inc);
  const early = earlyPasses(inc);
  if (mit.left && mit.state !== 'verified') return mit.state === 'none' ? 'no mitigation recorded' : 'mitigation not verified';
  if (early.length) return `${early.length} gate${early.length === 1 ? '' : 's'} passed early`;
  return null;
}
