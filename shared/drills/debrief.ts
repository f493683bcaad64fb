// Debrief of a finished drill: the ideal path beside what was done (issue 5 §3). Pure.
import type { FailureClass, PhaseEntry, RootCauseOrigin } from '../domain';
import type { Scenario } from '../scenarios/schema';
import { classVerdict, kendallTau, originVerdict, phaseTimes } from './scoring';
import type { DrillCardRecord, DrillDebrief, DrillMode, DrillScore, DrillTakenAction } from './types';

export interface DebriefInput {
  drillId: number;
  key: string;
  participant: string;
  mode: DrillMode;
  startedAt: string;
  finishedAt: string;
  scenario: Scenario;
  custom: boolean;
  classification: { failureClass: FailureClass; rootCauseOrigin: RootCauseOrigin | null } | null;
  checkOrder: string[] | null;
  actionsTaken: DrillTakenAction[];
  cards: DrillCardRecord[];
  phases: PhaseEntry[];
  mitigation: string;
  score: DrillScore;
}

export function buildDebrief(d: DebriefInput): DrillDebrief {
  const s = d.scenario;
  const checkById = new Map(s.checks.map((c) => [c.id, c]));
  const actionById = new Map(s.actions.map((a) => [a.id, a]));
  const takenIds = new Set(d.actionsTaken.map((a) => a.actionId));
  const rec = new Map(d.cards.map((c) => [c.cardId, c]));
  const k = d.checkOrder ? kendallTau(d.checkOrder, s.idealCheckOrder) : null;
  return {
    drillId: d.drillId,
    key: d.key,
    participant: d.participant,
    mode: d.mode,
    startedAt: d.startedAt,
    finishedAt: d.finishedAt,
    scenario: { id: s.id, version: s.version, title: s.title, custom: d.custom, difficulty: s.difficulty, expectedDurationMinutes: s.expectedDurationMinutes },
    score: d.score,
    classification: {
      expected: s.expected,
      given: d.classification ? { failureClass: d.classification.failureClass, rootCauseOrigin: d.classification.rootCauseOrigin } : null,
      classVerdict: classVerdict(s, d.classification?.failureClass),
      originVerdict: originVerdict(s, d.classification?.rootCauseOrigin),
    },
    checks: {
      ideal: s.idealCheckOrder.map((id) => ({ id, title: checkById.get(id)?.title ?? id, stage: checkById.get(id)!.stage })),
      theirs: d.checkOrder ? d.checkOrder.map((id) => ({ id, title: checkById.get(id)?.title ?? id, idealPosition: s.idealCheckOrder.indexOf(id) + 1 })) : null,
      tau: k?.tau ?? null,
      concordantPairs: k?.concordant ?? 0,
      totalPairs: k?.pairs ?? (s.idealCheckOrder.length * (s.idealCheckOrder.length - 1)) / 2,
    },
    actions: {
      taken: d.actionsTaken.map((t) => {
        const a = actionById.get(t.actionId);
        return {
          ...t,
          verdict: a?.correct ? 'correct' : a?.tempting ? 'tempting' : 'wrong',
          ...(a?.why ? { why: a.why } : {}),
          ...(a?.whyWrong ? { whyWrong: a.whyWrong } : {}),
          ...(a?.antiPattern ? { antiPattern: a.antiPattern } : {}),
        };
      }),
      correct: s.actions.filter((a) => a.correct).map((a) => ({ id: a.id, title: a.title, why: a.why ?? '', taken: takenIds.has(a.id) })),
      temptingTaken: s.actions
        .filter((a) => a.tempting && takenIds.has(a.id))
        .map((a) => ({ id: a.id, title: a.title, whyWrong: a.whyWrong ?? '', ...(a.antiPattern ? { antiPattern: a.antiPattern } : {}) })),
      temptingAvoided: s.actions.filter((a) => a.tempting && !takenIds.has(a.id)).map((a) => ({ id: a.id, title: a.title, whyWrong: a.whyWrong ?? '' })),
    },
    cards: s.evidence.map((c) => {
      const r = rec.get(c.id);
      return {
        id: c.id,
        title: c.title,
        kind: c.kind,
        relevant: c.relevant,
        revealCost: c.revealCost,
        initiallyVisible: !!c.initiallyVisible,
        status: r?.releasedAt ? 'released' : r?.requestedAt ? 'requested' : 'hidden',
        requestedAt: r?.requestedAt ?? null,
        releasedAt: r?.releasedAt ?? null,
        releasedBy: r?.releasedBy ?? null,
        ...(c.gmNote ? { gmNote: c.gmNote } : {}),
      };
    }),
    phases: phaseTimes(s, d.phases, d.finishedAt, d.cards),
    mitigation: { theirs: d.mitigation, correct: s.correctMitigation },
    debriefPoints: s.debriefPoints,
  };
}
