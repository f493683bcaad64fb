// Drill scoring (issue 5 §3). Pure functions; every number is explained in one line.
//
// Total 0–100 = classification 25 + order of checks 20 + actions 25 + time 15 + evidence 15:
//  - classification: failure class 15 (exact) / 7.5 (an acceptable class) / 0; origin 10 / 5 / 0.
//  - order of checks: Kendall's τ between their order and the ideal one, mapped to 0..1 as (τ+1)/2 —
//    which is exactly the share of check pairs in the ideal relative order: 20 × concordant / pairs.
//  - actions: 15 × (1 − tempting taken / tempting) + 10 × (correct taken / correct) − 2.5 per other wrong
//    action, floored at 0.
//  - time: per timed phase (budget from scenario.phaseBudgetsMinutes, else PHASE_DEFS), the time spent plus
//    the reveal cost of the cards requested in it; factor 1 within budget, 1 − overrun/budget past it (0 at
//    twice the budget), 0 for a timed phase never reached, and 0 for one whose gate was passed early
//    (criteria unmet, e.g. "drill: moving on"): leaving a phase without its evidence is not speed. 15 × mean factor.
//  - evidence: 15 × share of the relevant requestable cards seen, − max(1, revealCost/10) per irrelevant card
//    the responder asked for, floored at 0. (Every request also costs its revealCost on the phase clock, so
//    asking for too many cards costs twice.)
import type { FailureClass, Phase, PhaseEntry, RootCauseOrigin } from '../domain';
import { PHASES } from '../domain';
import { formatDuration, PHASE_DEFS } from '../phases';
import type { Scenario } from '../scenarios/schema';
import type { DrillCardRecord, DrillScore, DrillTrend, PhaseTime, ScorePart, Verdict } from './types';

export const SCORE_WEIGHTS = { classification: 25, checkOrder: 20, actions: 25, time: 15, evidence: 15 } as const;
const CLASS_POINTS = 15;
const ORIGIN_POINTS = 10;
const TEMPTING_POINTS = 15;
const CORRECT_POINTS = 10;
const OTHER_WRONG_COST = 2.5;

export interface ScoreInput {
  scenario: Scenario;
  classification: { failureClass: FailureClass; rootCauseOrigin: RootCauseOrigin | null } | null;
  checkOrder: string[] | null;
  /** Action ids taken (each at most once). */
  actionsTaken: string[];
  /** Cards that were requested or released (others are hidden). */
  cards: DrillCardRecord[];
  /** The drill incident's phase entries. */
  phases: PhaseEntry[];
  /** When the drill was finished (the open phase runs until then). */
  finishedAt: string;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const fmt = (x: number) => String(round1(x));

export function classVerdict(s: Scenario, given: FailureClass | null | undefined): Verdict {
  if (!given) return 'missing';
  if (given === s.expected.failureClass) return 'exact';
  return (s.expected.acceptableClasses ?? []).includes(given) ? 'acceptable' : 'wrong';
}

export function originVerdict(s: Scenario, given: RootCauseOrigin | null | undefined): Verdict {
  if (!given) return 'missing';
  if (given === s.expected.rootCauseOrigin) return 'exact';
  return (s.expected.acceptableOrigins ?? []).includes(given) ? 'acceptable' : 'wrong';
}

const VERDICT_SHARE: Record<Verdict, number> = { exact: 1, acceptable: 0.5, wrong: 0, missing: 0 };

export interface KendallResult {
  /** −1 (reversed) .. 1 (identical); null when fewer than 2 common items. */
  tau: number | null;
  concordant: number;
  discordant: number;
  pairs: number;
}

/**
 * Kendall's τ between two orderings of the same items (no ties): τ = (concordant − discordant) / pairs.
 * Items missing from either list are ignored.
 */
export function kendallTau(order: readonly string[], ideal: readonly string[]): KendallResult {
  const rank = new Map(ideal.map((id, i) => [id, i]));
  const seq = order.filter((id) => rank.has(id)).map((id) => rank.get(id)!);
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < seq.length; i++) {
    for (let j = i + 1; j < seq.length; j++) {
      if (seq[i] < seq[j]) concordant++;
      else if (seq[i] > seq[j]) discordant++;
    }
  }
  const pairs = (seq.length * (seq.length - 1)) / 2;
  return { tau: pairs ? (concordant - discordant) / pairs : null, concordant, discordant, pairs };
}

/** The scoring budget of a phase in minutes (scenario override, else the flow's budget); null = not timed. */
export function phaseBudgetMinutes(s: Scenario, phase: Phase): number | null {
  return s.phaseBudgetsMinutes?.[phase] ?? PHASE_DEFS[phase].budgetMinutes;
}

/** Phase entries as they stood at `at` (the finish): later entries dropped, later exits reopened. */
export function phasesAsOf(phases: PhaseEntry[], at: string): PhaseEntry[] {
  const t = Date.parse(at);
  return phases
    .filter((p) => Date.parse(p.enteredAt) <= t)
    .map((p) => (p.exitedAt && Date.parse(p.exitedAt) > t ? { ...p, exitedAt: null, earlyReason: null } : p));
}

/** Time per phase: phase entries + reveal costs of the cards requested in each phase. */
export function phaseTimes(s: Scenario, phases: PhaseEntry[], finishedAt: string, cards: DrillCardRecord[]): PhaseTime[] {
  const costByPhase = new Map<Phase, number>();
  const byId = new Map(s.evidence.map((c) => [c.id, c]));
  for (const c of cards) {
    if (!c.requestedAt || !c.requestedPhase) continue;
    const card = byId.get(c.cardId);
    if (!card) continue;
    costByPhase.set(c.requestedPhase, (costByPhase.get(c.requestedPhase) ?? 0) + card.revealCost);
  }
  const end = Date.parse(finishedAt);
  const asOf = phasesAsOf(phases, finishedAt);
  return PHASES.map<PhaseTime>((phase) => {
    const entry = asOf.find((p) => p.phase === phase);
    const budgetMinutes = phaseBudgetMinutes(s, phase);
    const revealCostSeconds = costByPhase.get(phase) ?? 0;
    if (!entry) return { phase, label: PHASE_DEFS[phase].label, budgetMinutes, reached: false, elapsedMs: null, revealCostSeconds, factor: budgetMinutes === null ? null : 0 };
    const exit = entry.exitedAt ? Date.parse(entry.exitedAt) : end;
    const elapsedMs = Math.max(0, exit - Date.parse(entry.enteredAt)) + revealCostSeconds * 1000;
    let factor: number | null = null;
    const passedEarly = entry.exitedAt && entry.earlyReason ? entry.earlyReason : null;
    if (budgetMinutes !== null) {
      const budgetMs = budgetMinutes * 60_000;
      factor = passedEarly ? 0 : elapsedMs <= budgetMs ? 1 : clamp(1 - (elapsedMs - budgetMs) / budgetMs, 0, 1);
    }
    return { phase, label: PHASE_DEFS[phase].label, budgetMinutes, reached: true, elapsedMs, revealCostSeconds, factor, passedEarly };
  });
}

function classificationPart(inp: ScoreInput): ScorePart {
  const s = inp.scenario;
  const cv = classVerdict(s, inp.classification?.failureClass);
  const ov = originVerdict(s, inp.classification?.rootCauseOrigin);
  const cp = CLASS_POINTS * VERDICT_SHARE[cv];
  const op = ORIGIN_POINTS * VERDICT_SHARE[ov];
  const explanation = !inp.classification
    ? 'Never classified (0).'
    : `Class ${inp.classification.failureClass}: ${cv} (${fmt(cp)}/${CLASS_POINTS}); ` +
      `origin ${inp.classification.rootCauseOrigin ?? '—'}: ${ov} (${fmt(op)}/${ORIGIN_POINTS}).`;
  return { id: 'classification', label: 'Classification', points: round1(cp + op), max: SCORE_WEIGHTS.classification, explanation };
}

function checkOrderPart(inp: ScoreInput): ScorePart {
  const max = SCORE_WEIGHTS.checkOrder;
  if (!inp.checkOrder || !inp.checkOrder.length) {
    return { id: 'checkOrder', label: 'Order of checks', points: 0, max, explanation: 'Checks never ordered (0).' };
  }
  const k = kendallTau(inp.checkOrder, inp.scenario.idealCheckOrder);
  const share = k.pairs ? k.concordant / k.pairs : 0;
  return {
    id: 'checkOrder',
    label: 'Order of checks',
    points: round1(max * share),
    max,
    explanation: `Kendall's τ = ${k.tau === null ? '—' : k.tau.toFixed(2)}: ${k.concordant} of ${k.pairs} pairs of checks in the ideal relative order.`,
  };
}

function actionsPart(inp: ScoreInput): ScorePart {
  const acts = inp.scenario.actions;
  const taken = new Set(inp.actionsTaken);
  const tempting = acts.filter((a) => a.tempting);
  const correct = acts.filter((a) => a.correct);
  const other = acts.filter((a) => !a.tempting && !a.correct);
  const tTaken = tempting.filter((a) => taken.has(a.id)).length;
  const cTaken = correct.filter((a) => taken.has(a.id)).length;
  const oTaken = other.filter((a) => taken.has(a.id)).length;
  const tp = tempting.length ? TEMPTING_POINTS * (1 - tTaken / tempting.length) : TEMPTING_POINTS;
  const cp = correct.length ? CORRECT_POINTS * (cTaken / correct.length) : CORRECT_POINTS;
  const op = OTHER_WRONG_COST * oTaken;
  const points = clamp(tp + cp - op, 0, SCORE_WEIGHTS.actions);
  const explanation =
    `Avoided ${tempting.length - tTaken} of ${tempting.length} tempting actions (${fmt(tp)}/${TEMPTING_POINTS}); ` +
    `took ${cTaken} of ${correct.length} correct actions (${fmt(cp)}/${CORRECT_POINTS})` +
    (oTaken ? `; ${oTaken} other wrong action${oTaken === 1 ? '' : 's'} (−${fmt(op)}).` : '.');
  return { id: 'actions', label: 'Actions (tempting ones avoided)', points: round1(points), max: SCORE_WEIGHTS.actions, explanation };
}

function timePart(inp: ScoreInput): ScorePart {
  const times = phaseTimes(inp.scenario, inp.phases, inp.finishedAt, inp.cards).filter((t) => t.factor !== null);
  const max = SCORE_WEIGHTS.time;
  if (!times.length) return { id: 'time', label: 'Time against budgets', points: max, max, explanation: 'No timed phases.' };
  const mean = times.reduce((a, t) => a + (t.factor ?? 0), 0) / times.length;
  const within = times.filter((t) => t.reached && t.factor === 1).length;
  const notes = times
    .filter((t) => t.factor !== 1)
    .map((t) =>
      !t.reached
        ? `${t.label.toLowerCase()} not reached`
        : t.passedEarly
          ? `${t.label.toLowerCase()} gate passed early without its evidence ("${t.passedEarly}", no credit)`
          : `${t.label.toLowerCase()} ${formatDuration(t.elapsedMs)} of ${t.budgetMinutes}:00 (+${Math.round(((t.elapsedMs ?? 0) / (t.budgetMinutes! * 60_000) - 1) * 100)}%)`,
    );
  return {
    id: 'time',
    label: 'Time against budgets',
    points: round1(max * mean),
    max,
    explanation: `Within budget with the gate met in ${within} of ${times.length} timed phases${notes.length ? `; ${notes.join(', ')}` : ''}.`,
  };
}

function evidencePart(inp: ScoreInput): ScorePart {
  const max = SCORE_WEIGHTS.evidence;
  const rec = new Map(inp.cards.map((c) => [c.cardId, c]));
  const requestable = inp.scenario.evidence.filter((c) => !c.initiallyVisible);
  const relevant = requestable.filter((c) => c.relevant);
  const seenRelevant = relevant.filter((c) => rec.get(c.id)?.releasedAt).length;
  const share = relevant.length ? seenRelevant / relevant.length : 1;
  const herrings = requestable.filter((c) => !c.relevant && rec.get(c.id)?.requestedAt);
  const cost = herrings.reduce((a, c) => a + Math.max(1, c.revealCost / 10), 0);
  const points = clamp(max * share - cost, 0, max);
  const explanation =
    `Saw ${seenRelevant} of ${relevant.length} relevant cards (${fmt(max * share)}/${max})` +
    (herrings.length ? `; asked for ${herrings.length} irrelevant card${herrings.length === 1 ? '' : 's'}: ${herrings.map((c) => c.id).join(', ')} (−${fmt(cost)}).` : '; no irrelevant card asked for.');
  return { id: 'evidence', label: 'Evidence used', points: round1(points), max, explanation };
}

/** Score a drill (see the header for the formula). */
export function scoreDrill(inp: ScoreInput): DrillScore {
  const parts = [classificationPart(inp), checkOrderPart(inp), actionsPart(inp), timePart(inp), evidencePart(inp)];
  // Round the sum of the one-decimal parts so the breakdown adds up to the total a reader sees.
  const total = clamp(Math.round(parts.reduce((a, p) => a + p.points, 0)), 0, 100);
  return { total, max: 100, parts };
}

/** Trend over finished drills' scores in chronological order (oldest first). */
export function trendOf(scores: readonly number[]): DrillTrend {
  const n = scores.length;
  const mean = (xs: readonly number[]) => (xs.length ? round1(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
  const lastAverage = mean(scores.slice(-3));
  const previousAverage = mean(scores.slice(Math.max(0, n - 6), Math.max(0, n - 3)));
  if (n < 2) return { drills: n, slope: null, lastAverage, previousAverage, direction: 'insufficient' };
  const xm = (n - 1) / 2;
  const ym = scores.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  scores.forEach((y, x) => {
    num += (x - xm) * (y - ym);
    den += (x - xm) ** 2;
  });
  const slope = round1(num / den);
  // One point per drill either way counts as a trend; less is noise.
  const direction = slope >= 1 ? 'improving' : slope <= -1 ? 'declining' : 'steady';
  return { drills: n, slope, lastAverage, previousAverage, direction };
}
