// Drill scoring (shared/drills/scoring.ts): hand-computed cases on a small scenario, and every library
// scenario played perfectly scores 100.
import { describe, expect, it } from 'vitest';
import { kendallTau, phaseTimes, scoreDrill, trendOf, type ScoreInput } from '../../shared/drills/scoring';
import type { DrillCardRecord } from '../../shared/drills/types';
import type { Phase, PhaseEntry } from '../../shared/domain';
import { scenarioLibrary } from '../../shared/scenarios/index';
import { scenarioSchema, type Scenario } from '../../shared/scenarios/schema';

const T0 = Date.parse('2026-11-22T03:00:00.000Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();

const SCENARIO: Scenario = scenarioSchema.parse({
  id: 'tiny',
  version: 1,
  title: 'Tiny scenario',
  summary: 'For hand-computed scores.',
  difficulty: 'intro',
  expectedDurationMinutes: 30,
  sources: [{ seed: '000', section: 'test' }],
  service: 'svc',
  severity: 'SEV2',
  briefing: 'Something broke.',
  symptoms: ['it broke'],
  evidence: [
    { id: 'c0', kind: 'log', title: 'Alert', body: 'alert', revealCost: 0, relevant: true, initiallyVisible: true },
    { id: 'c1', kind: 'metric', title: 'Metric', body: 'm', revealCost: 20, relevant: true },
    { id: 'c2', kind: 'log', title: 'Log', body: 'l', revealCost: 30, relevant: true },
    { id: 'c3', kind: 'note', title: 'Red herring', body: 'r', revealCost: 10, relevant: false },
  ],
  expected: { failureClass: 'data', rootCauseOrigin: 'config', rootCause: 'x', acceptableClasses: ['training'], acceptableOrigins: ['process'] },
  checks: [
    { id: 'a', title: 'A', stage: 'artifact' },
    { id: 'b', title: 'B', stage: 'gates' },
    { id: 'c', title: 'C', stage: 'endpoint' },
    { id: 'd', title: 'D', stage: 'quality' },
  ],
  idealCheckOrder: ['a', 'b', 'c', 'd'],
  actions: [
    { id: 't1', title: 'T1', tempting: true, correct: false, whyWrong: 'no' },
    { id: 't2', title: 'T2', tempting: true, correct: false, whyWrong: 'no' },
    { id: 't3', title: 'T3', tempting: true, correct: false, whyWrong: 'no' },
    { id: 'ok1', title: 'OK1', tempting: false, correct: true, why: 'yes' },
    { id: 'ok2', title: 'OK2', tempting: false, correct: true, why: 'yes' },
    { id: 'w1', title: 'W1', tempting: false, correct: false, whyWrong: 'meh' },
  ],
  correctMitigation: { text: 'roll back', rollbackCriteria: ['x'], verification: ['y'] },
  debriefPoints: ['p'],
});

/** Phases entered back to back with the given minutes each; the last one stays open. */
function phases(minutes: Partial<Record<Phase, number>>, order: Phase[] = ['acknowledge', 'assess', 'investigate', 'mitigate', 'resolve']): { phases: PhaseEntry[]; end: number } {
  let t = 0;
  const out: PhaseEntry[] = [];
  order.forEach((p, i) => {
    const m = minutes[p] ?? 1;
    out.push({ phase: p, enteredAt: at(t), exitedAt: i === order.length - 1 ? null : at(t + m), earlyReason: null });
    t += m;
  });
  return { phases: out, end: t };
}

const requested = (id: string, phase: Phase, min = 5): DrillCardRecord => ({
  cardId: id, requestedAt: at(min), requestedPhase: phase, releasedAt: at(min), releasedBy: 'request', artifactIds: null,
});

function perfect(over: Partial<ScoreInput> = {}): ScoreInput {
  const p = phases({ acknowledge: 1, assess: 3, investigate: 10, mitigate: 20, resolve: 1 });
  return {
    scenario: SCENARIO,
    classification: { failureClass: 'data', rootCauseOrigin: 'config' },
    checkOrder: ['a', 'b', 'c', 'd'],
    actionsTaken: ['ok1', 'ok2'],
    cards: [requested('c1', 'investigate'), requested('c2', 'investigate')],
    phases: p.phases,
    finishedAt: at(p.end),
    ...over,
  };
}
const part = (s: ReturnType<typeof scoreDrill>, id: string) => s.parts.find((p) => p.id === id)!;

describe('Kendall tau', () => {
  it('is 1 for the ideal order, −1 reversed, (5−1)/6 with one adjacent swap of four', () => {
    expect(kendallTau(['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd'])).toEqual({ tau: 1, concordant: 6, discordant: 0, pairs: 6 });
    expect(kendallTau(['d', 'c', 'b', 'a'], ['a', 'b', 'c', 'd']).tau).toBe(-1);
    const k = kendallTau(['b', 'a', 'c', 'd'], ['a', 'b', 'c', 'd']);
    expect(k).toMatchObject({ concordant: 5, discordant: 1, pairs: 6 });
    expect(k.tau).toBeCloseTo(4 / 6, 10);
  });
});

describe('scoreDrill', () => {
  it('gives a perfect run 100, every part at its maximum', () => {
    const s = scoreDrill(perfect());
    expect(s.total).toBe(100);
    expect(s.parts.map((p) => [p.id, p.points, p.max])).toEqual([
      ['classification', 25, 25],
      ['checkOrder', 20, 20],
      ['actions', 25, 25],
      ['time', 15, 15],
      ['evidence', 15, 15],
    ]);
    for (const p of s.parts) expect(p.explanation.length).toBeGreaterThan(5);
  });

  it('costs 15/3 = 5 points per tempting action taken', () => {
    const one = scoreDrill(perfect({ actionsTaken: ['ok1', 'ok2', 't1'] }));
    expect(part(one, 'actions').points).toBe(20);
    expect(one.total).toBe(95);
    expect(part(one, 'actions').explanation).toContain('Avoided 2 of 3 tempting actions');
    const all = scoreDrill(perfect({ actionsTaken: ['t1', 't2', 't3'] }));
    expect(part(all, 'actions').points).toBe(0);
    expect(all.total).toBe(75);
  });

  it('gives half of the correct-action points for one of two, and costs 2.5 per other wrong action', () => {
    expect(part(scoreDrill(perfect({ actionsTaken: ['ok1'] })), 'actions').points).toBe(20);
    expect(part(scoreDrill(perfect({ actionsTaken: ['ok1', 'ok2', 'w1'] })), 'actions').points).toBe(22.5);
  });

  it('scores the check order by Kendall tau: reversed 0, one swap 20 × 5/6', () => {
    const rev = scoreDrill(perfect({ checkOrder: ['d', 'c', 'b', 'a'] }));
    expect(part(rev, 'checkOrder').points).toBe(0);
    expect(rev.total).toBe(80);
    const swap = scoreDrill(perfect({ checkOrder: ['b', 'a', 'c', 'd'] }));
    expect(part(swap, 'checkOrder').points).toBe(16.7);
    expect(swap.total).toBe(97);
    expect(part(swap, 'checkOrder').explanation).toContain('5 of 6 pairs');
    expect(part(scoreDrill(perfect({ checkOrder: null })), 'checkOrder').points).toBe(0);
  });

  it('scores classification: wrong class 0/15, acceptable class and origin half, nothing 0', () => {
    const wrong = scoreDrill(perfect({ classification: { failureClass: 'serving', rootCauseOrigin: 'config' } }));
    expect(part(wrong, 'classification').points).toBe(10);
    expect(wrong.total).toBe(85);
    const acceptable = scoreDrill(perfect({ classification: { failureClass: 'training', rootCauseOrigin: 'process' } }));
    expect(part(acceptable, 'classification').points).toBe(12.5);
    expect(acceptable.total).toBe(88); // 87.5 rounds up
    expect(part(scoreDrill(perfect({ classification: null })), 'classification').points).toBe(0);
    expect(part(scoreDrill(perfect({ classification: { failureClass: 'data', rootCauseOrigin: null } })), 'classification').points).toBe(15);
  });

  it('costs time proportionally past a budget and counts a timed phase never reached as 0', () => {
    // Mitigate 45 min of 30: factor 1 − 15/30 = 0.5 → 15 × (1+1+1+0.5)/4 = 13.125.
    const p = phases({ acknowledge: 1, assess: 3, investigate: 10, mitigate: 45 });
    const slow = scoreDrill(perfect({ phases: p.phases, finishedAt: at(p.end) }));
    expect(part(slow, 'time').points).toBe(13.1);
    expect(part(slow, 'time').explanation).toContain('mitigate 45:00 of 30:00 (+50%)');
    // Reveal costs count: investigate 14:30 + 50 s of cards = 15:20, 20 s over 15 min.
    const q = phases({ acknowledge: 1, assess: 3, investigate: 14.5, mitigate: 20 });
    const t = phaseTimes(SCENARIO, q.phases, at(q.end), perfect().cards).find((x) => x.phase === 'investigate')!;
    expect(t.elapsedMs).toBe(14.5 * 60_000 + 50_000);
    expect(t.factor).toBeCloseTo(1 - 20 / 900, 10);
    // Finished while investigating: mitigate not reached.
    const r = phases({ acknowledge: 1, assess: 3, investigate: 10 }, ['acknowledge', 'assess', 'investigate']);
    const early = scoreDrill(perfect({ phases: r.phases, finishedAt: at(r.end) }));
    expect(part(early, 'time').points).toBe(11.3); // 15 × 3/4 = 11.25
    expect(part(early, 'time').explanation).toContain('mitigate not reached');
  });

  it('scores evidence: share of relevant cards seen, an irrelevant request costs max(1, revealCost/10)', () => {
    const half = scoreDrill(perfect({ cards: [requested('c1', 'investigate')] }));
    expect(part(half, 'evidence').points).toBe(7.5);
    const herring = scoreDrill(perfect({ cards: [...perfect().cards, requested('c3', 'investigate')] }));
    expect(part(herring, 'evidence').points).toBe(14);
    expect(part(herring, 'evidence').explanation).toContain('c3');
    // A card the game master released without a request counts as seen and costs nothing.
    const gm: DrillCardRecord = { cardId: 'c3', requestedAt: null, requestedPhase: null, releasedAt: at(5), releasedBy: 'gm', artifactIds: null };
    expect(part(scoreDrill(perfect({ cards: [...perfect().cards, gm] })), 'evidence').points).toBe(15);
  });

  it('a do-nothing run scores low', () => {
    const p = phases({ acknowledge: 10 }, ['acknowledge']);
    const s = scoreDrill({ ...perfect(), classification: null, checkOrder: null, actionsTaken: [], cards: [], phases: p.phases, finishedAt: at(p.end) });
    expect(s.total).toBeLessThan(20);
  });

  it('scores every library scenario played perfectly at 100', () => {
    for (const sc of scenarioLibrary()) {
      const p = phases({ acknowledge: 1, assess: 3, investigate: 10, mitigate: 20 });
      const cards = sc.evidence.filter((c) => c.relevant && !c.initiallyVisible).map((c) => requested(c.id, 'investigate'));
      const s = scoreDrill({
        scenario: sc,
        classification: { failureClass: sc.expected.failureClass, rootCauseOrigin: sc.expected.rootCauseOrigin },
        checkOrder: sc.idealCheckOrder,
        actionsTaken: sc.actions.filter((a) => a.correct).map((a) => a.id),
        cards,
        phases: p.phases,
        finishedAt: at(p.end),
      });
      expect(s.total, sc.id).toBe(100);
    }
  });
});

describe('trendOf', () => {
  it('fits a least-squares slope and compares the last 3 with the 3 before', () => {
    expect(trendOf([50, 60, 70])).toMatchObject({ drills: 3, slope: 10, direction: 'improving', lastAverage: 60, previousAverage: null });
    expect(trendOf([70, 60, 50]).direction).toBe('declining');
    expect(trendOf([60, 60.5, 60]).direction).toBe('steady');
    expect(trendOf([60])).toMatchObject({ slope: null, direction: 'insufficient', lastAverage: 60 });
    expect(trendOf([])).toMatchObject({ drills: 0, direction: 'insufficient', lastAverage: null });
    expect(trendOf([10, 20, 30, 40, 50, 60])).toMatchObject({ lastAverage: 50, previousAverage: 20, slope: 10 });
  });
});
