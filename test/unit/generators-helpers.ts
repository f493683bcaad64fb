// Shared fixtures for the generator tests (not a test file itself).
import type { Finding } from '../../shared/artifacts';
import type { Incident } from '../../shared/domain';
import type { Change } from '../../shared/diff/types';

export function makeIncident(over: Partial<Incident> = {}): Incident {
  const base: Incident = {
    key: 'INC-0007',
    revision: 1,
    title: 'Fraud model accuracy dropped',
    service: 'fraud-scoring',
    severity: 'SEV2',
    failureClass: 'data',
    phase: 'review',
    isDrill: false,
    createdAt: '2026-11-22T03:00:00.000Z',
    updatedAt: '2026-11-22T05:00:00.000Z',
    detectedAt: '2026-11-22T03:00:00.000Z',
    phaseEnteredAt: '2026-11-22T04:30:00.000Z',
    rootCauseOrigin: 'data',
    summary: 'The nightly feature export dropped the Fare column and doubled Age nulls; fraud recall fell for 90 minutes.',
    impact: 'About 12% of card transactions scored with a defaulted feature; 340 false declines.',
    hypothesis: 'Upstream schema change removed Fare',
    mitigation: 'Rolled the feature view back to the 2026-11-21 snapshot',
    mitigationVerifiedAt: '2026-11-22T03:40:00.000Z',
    resolution: 'Upstream export fixed; schema check added at ingestion',
    lessons: 'What went well: the diff showed the dropped column in seconds\nWhat went wrong: no null-rate alert on Age\nWhere we got lucky: it happened on a low-traffic night',
    startedAt: '2026-11-22T02:48:00.000Z',
    closedAt: null,
    roles: { incident_commander: 'alice', scribe: 'bob', comms_lead: '', ops_lead: 'carol' },
    phases: [
      { phase: 'acknowledge', enteredAt: '2026-11-22T03:00:00.000Z', exitedAt: '2026-11-22T03:01:00.000Z', earlyReason: null },
      { phase: 'assess', enteredAt: '2026-11-22T03:01:00.000Z', exitedAt: '2026-11-22T03:05:00.000Z', earlyReason: null },
      { phase: 'investigate', enteredAt: '2026-11-22T03:05:00.000Z', exitedAt: '2026-11-22T03:30:00.000Z', earlyReason: 'paging upstream team, evidence still being collected' },
      { phase: 'mitigate', enteredAt: '2026-11-22T03:30:00.000Z', exitedAt: '2026-11-22T03:45:00.000Z', earlyReason: null },
      { phase: 'resolve', enteredAt: '2026-11-22T03:45:00.000Z', exitedAt: '2026-11-22T04:30:00.000Z', earlyReason: null },
      { phase: 'review', enteredAt: '2026-11-22T04:30:00.000Z', exitedAt: null, earlyReason: null },
    ],
    checklist: {},
    timeline: [
      { id: 1, kind: 'phase_change', body: 'Incident opened: SEV2, data. Phase: Acknowledge.', occurredAt: '2026-11-22T03:00:00.000Z', capturedAt: '2026-11-22T03:00:00.000Z', editedAt: null, phase: 'acknowledge' },
      { id: 2, kind: 'note', body: 'Recall alert fired on fraud-scoring dashboard', occurredAt: '2026-11-22T02:59:30.000Z', capturedAt: '2026-11-22T03:00:10.000Z', editedAt: null, phase: 'acknowledge' },
      { id: 3, kind: 'evidence', body: 'Diff: column Fare removed | null rate of Age 20% → 45%', occurredAt: '2026-11-22T03:20:00.000Z', capturedAt: '2026-11-22T03:20:00.000Z', editedAt: null, phase: 'investigate' },
      { id: 4, kind: 'phase_change', body: 'Investigate gate passed early (unmet: evidence). Reason: paging upstream team, evidence still being collected', occurredAt: '2026-11-22T03:30:00.000Z', capturedAt: '2026-11-22T03:30:00.000Z', editedAt: null, phase: 'mitigate' },
      { id: 5, kind: 'action', body: 'Rolled back feature view', occurredAt: '2026-11-22T03:35:00.000Z', capturedAt: '2026-11-22T03:35:00.000Z', editedAt: null, phase: 'mitigate' },
    ],
    metrics: { timeToDetectMs: 12 * 60_000, timeToAcknowledgeMs: 60_000, timeToMitigateMs: 45 * 60_000, timeToResolveMs: 90 * 60_000 },
  };
  return { ...base, ...over };
}

let nextId = 1;
export function makeFinding(over: Partial<Finding> & Pick<Finding, 'genKind' | 'params'>): Finding {
  const id = over.id ?? nextId++;
  return {
    id,
    title: `Finding ${id}`,
    description: '',
    failureClass: 'data',
    rootCauseOrigin: 'data',
    role: 'contributing',
    status: 'accepted',
    evidence: {},
    createdAt: '2026-11-22T03:20:00.000Z',
    updatedAt: '2026-11-22T03:20:00.000Z',
    ...over,
  };
}

export function change(over: Partial<Change>): Change {
  return {
    kind: 'column.removed',
    severity: 'critical',
    failureClass: 'data',
    subject: 'Fare',
    before: 'Fare',
    after: null,
    message: 'column Fare removed',
    ...over,
  };
}
