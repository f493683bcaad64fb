import { describe, expect, it } from 'vitest';
import {
  FAILURE_CLASSES,
  FAILURE_CLASS_LABELS,
  PHASES,
  ROOT_CAUSE_ORIGINS,
  type FailureClass,
  type Incident,
} from '../../shared/domain';
import {
  CHECK_STAGES,
  GENERAL_ANTI_PATTERNS,
  PLAYBOOK,
  PLAYBOOK_VERSION,
  TROUBLESHOOTING_ORDER,
  allPlaybookProblems,
  checklistFor,
  firstChecksByStage,
  playbookFor,
  playbookProblems,
  type ClassPlaybook,
} from '../../shared/playbook';
import {
  formatUtcMinute,
  initialIncidentReport,
  investigatorHandles,
  resolutionUpdate,
  statusUpdate,
  updateCadence,
} from '../../shared/reports';

const ID = /^[a-z0-9][a-z0-9_.-]{0,80}$/;

describe('playbook content', () => {
  it('has a version and covers exactly the seven failure classes', () => {
    expect(PLAYBOOK_VERSION).toBe(1);
    expect(Object.keys(PLAYBOOK).sort()).toEqual([...FAILURE_CLASSES].sort());
  });

  it('reports no structural problems', () => {
    expect(allPlaybookProblems()).toEqual([]);
  });

  it('troubleshooting order is artifact → gates → endpoint → quality', () => {
    expect(TROUBLESHOOTING_ORDER.map((s) => s.stage)).toEqual(['artifact', 'gates', 'endpoint', 'quality']);
    expect([...CHECK_STAGES]).toEqual(TROUBLESHOOTING_ORDER.map((s) => s.stage));
    for (const s of TROUBLESHOOTING_ORDER) {
      expect(s.label.trim()).not.toBe('');
      expect(s.question.trim()).not.toBe('');
    }
  });

  it('general anti-patterns include the seed 000 ones', () => {
    const ids = GENERAL_ANTI_PATTERNS.map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining(['multiple-changes-at-once', 'retrain-first', 'bypass-gates']));
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of GENERAL_ANTI_PATTERNS) {
      expect(a.title && a.whyWrong && a.instead).toBeTruthy();
    }
  });

  describe.each(FAILURE_CLASSES.map((c) => [c] as [FailureClass]))('%s', (cls) => {
    const pb: ClassPlaybook = playbookFor(cls);

    it('is keyed correctly and labelled like the domain', () => {
      expect(pb.failureClass).toBe(cls);
      expect(pb.label).toBe(FAILURE_CLASS_LABELS[cls]);
      expect(PLAYBOOK[cls]).toBe(pb);
    });

    it('has every part, non-empty', () => {
      expect(pb.description.trim().length).toBeGreaterThan(20);
      for (const list of [
        pb.symptoms,
        pb.evidenceSources,
        pb.firstChecks,
        pb.usualRootCauses,
        pb.rollbackCriteria,
        pb.rollbackVerification,
        pb.prevention,
        pb.examples,
      ]) {
        expect(list.length).toBeGreaterThan(0);
      }
      for (const s of [...pb.symptoms, ...pb.evidenceSources, ...pb.rollbackCriteria, ...pb.rollbackVerification, ...pb.prevention]) {
        expect(s.trim()).not.toBe('');
      }
      expect(pb.temptingWrongAction.action.trim()).not.toBe('');
      expect(pb.temptingWrongAction.whyWrong.trim()).not.toBe('');
      expect(pb.temptingWrongAction.instead.trim()).not.toBe('');
      expect(pb.escalation.trim()).not.toBe('');
      expect(playbookProblems(pb)).toEqual([]);
    });

    it('first checks cover the four stages in lifecycle order, with unique valid ids', () => {
      const stages = pb.firstChecks.map((c) => c.stage);
      const idx = stages.map((s) => CHECK_STAGES.indexOf(s));
      expect(idx.every((i) => i >= 0)).toBe(true);
      expect(idx).toEqual([...idx].sort((a, b) => a - b));
      expect(new Set(stages)).toEqual(new Set(CHECK_STAGES));
      expect(stages[0]).toBe('artifact');
      expect(stages[stages.length - 1]).toBe('quality');
      const ids = pb.firstChecks.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const c of pb.firstChecks) {
        expect(c.id).toMatch(ID);
        expect(c.title.trim()).not.toBe('');
        expect(c.detail.trim()).not.toBe('');
        for (const cmd of c.commands ?? []) expect(cmd.trim()).not.toBe('');
      }
      // At least one runnable command per class, for the runbook's Diagnosis section.
      expect(pb.firstChecks.some((c) => (c.commands ?? []).length > 0)).toBe(true);
      const grouped = firstChecksByStage(cls);
      expect(grouped.map((g) => g.stage.stage)).toEqual([...CHECK_STAGES]);
      expect(grouped.flatMap((g) => g.checks)).toEqual(pb.firstChecks);
    });

    it('root-cause origins are valid', () => {
      for (const rc of pb.usualRootCauses) {
        expect(ROOT_CAUSE_ORIGINS).toContain(rc.origin);
        expect(rc.text.trim()).not.toBe('');
      }
    });

    it.each(PHASES.map((p) => [p]))('checklist for %s: 3–7 items, unique valid ids', (phase) => {
      const items = checklistFor(cls, phase);
      expect(items).toBe(pb.checklists[phase]);
      expect(items.length).toBeGreaterThanOrEqual(3);
      expect(items.length).toBeLessThanOrEqual(7);
      const ids = items.map((i) => i.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const it of items) {
        expect(it.id).toMatch(ID);
        expect(it.text.trim()).not.toBe('');
      }
    });
  });

  it('deployment mitigation includes rollback, its verification and stale caches', () => {
    const texts = checklistFor('deployment', 'mitigate').map((i) => i.text.toLowerCase());
    expect(texts.some((t) => t.includes('roll back') && t.includes('digest'))).toBe(true);
    expect(texts.some((t) => t.includes('verify rollback'))).toBe(true);
    expect(texts.some((t) => t.includes('cache'))).toBe(true);
  });

  it('tempting wrong actions are class-specific', () => {
    expect(playbookFor('live_behaviour').temptingWrongAction.action.toLowerCase()).toContain('retrain');
    expect(playbookFor('validation').temptingWrongAction.action.toLowerCase()).toContain('bypass');
    expect(playbookFor('serving').temptingWrongAction.action.toLowerCase()).toContain('scale up');
    const actions = FAILURE_CLASSES.map((c) => playbookFor(c).temptingWrongAction.action);
    expect(new Set(actions).size).toBe(actions.length);
  });

  it('playbookProblems catches broken content', () => {
    const pb = playbookFor('data');
    const broken: ClassPlaybook = {
      ...pb,
      symptoms: [],
      firstChecks: [...pb.firstChecks].reverse(),
      usualRootCauses: [{ text: 'x', origin: 'weather' as never }],
      checklists: { ...pb.checklists, mitigate: [{ id: 'A b', text: 'x' }, { id: 'a', text: 'y' }] },
    };
    const problems = playbookProblems(broken).join('\n');
    expect(problems).toContain('symptoms is empty');
    expect(problems).toContain('out of lifecycle order');
    expect(problems).toContain('unknown origin "weather"');
    expect(problems).toContain('checklist for mitigate must have 3–7 items');
  });
});

function incident(over: Partial<Incident> = {}): Incident {
  return {
    key: 'INC-0042',
    revision: 1,
    title: 'Model Performance Degradation',
    service: 'fraud-scoring',
    severity: 'SEV2',
    failureClass: 'data',
    phase: 'investigate',
    isDrill: false,
    createdAt: '2023-12-02T14:35:00.000Z',
    updatedAt: '2023-12-02T14:50:00.000Z',
    detectedAt: '2023-12-02T14:35:10.000Z',
    phaseEnteredAt: '2023-12-02T14:42:00.000Z',
    rootCauseOrigin: null,
    summary: '',
    impact: '30% increase in prediction errors',
    hypothesis: '',
    mitigation: '',
    mitigationVerifiedAt: null,
    resolution: '',
    lessons: '',
    startedAt: '2023-12-02T14:30:45.000Z',
    closedAt: null,
    roles: { incident_commander: 'alice', scribe: '', comms_lead: '', ops_lead: 'bob' },
    phases: [],
    checklist: {},
    timeline: [],
    metrics: { timeToDetectMs: null, timeToAcknowledgeMs: null, timeToMitigateMs: null, timeToResolveMs: null },
    ...over,
  };
}

describe('initialIncidentReport', () => {
  it('fills the seed 001 layout', () => {
    const text = initialIncidentReport(incident(), new Date('2023-12-02T14:50:00Z'));
    expect(text.split('\n')).toEqual([
      '🚨 INCIDENT: Model Performance Degradation',
      'SEVERITY: High',
      'START TIME: 2023-12-02 14:30 UTC',
      'IMPACT: 30% increase in prediction errors',
      'INVESTIGATING: @alice @bob',
      'STATUS: Root cause analysis in progress',
      'NEXT UPDATE: 15 minutes (by 15:05 UTC)',
    ]);
  });

  it('maps severities and cadences', () => {
    const now = new Date('2023-12-02T14:50:00Z');
    const line = (sev: Incident['severity'], prefix: string) =>
      initialIncidentReport(incident({ severity: sev }), now).split('\n').find((l) => l.startsWith(prefix));
    expect(line('SEV1', 'SEVERITY:')).toBe('SEVERITY: Critical');
    expect(line('SEV3', 'SEVERITY:')).toBe('SEVERITY: Medium');
    expect(line('SEV4', 'SEVERITY:')).toBe('SEVERITY: Low');
    expect(line('SEV1', 'NEXT UPDATE:')).toMatch(/^NEXT UPDATE: 15 minutes/);
    expect(line('SEV3', 'NEXT UPDATE:')).toMatch(/^NEXT UPDATE: 30 minutes/);
    expect(line('SEV4', 'NEXT UPDATE:')).toMatch(/^NEXT UPDATE: 60 minutes/);
  });

  it('uses placeholders, detection time and drill marker when fields are empty', () => {
    const text = initialIncidentReport(
      incident({
        impact: '  ',
        startedAt: null,
        isDrill: true,
        phase: 'acknowledge',
        roles: { incident_commander: '', scribe: '', comms_lead: '', ops_lead: '' },
      }),
    );
    expect(text).toContain('🚨 INCIDENT: [DRILL] Model Performance Degradation');
    expect(text).toContain('START TIME: 2023-12-02 14:35 UTC');
    expect(text).toContain('IMPACT: (not yet known)');
    expect(text).toContain('INVESTIGATING: (unassigned)');
    expect(text).toContain('STATUS: Acknowledged');
  });

  it('status follows the phase', () => {
    const status = (over: Partial<Incident>) =>
      initialIncidentReport(incident(over)).split('\n').find((l) => l.startsWith('STATUS:'));
    expect(status({ hypothesis: 'upstream schema change' })).toBe(
      'STATUS: Root cause analysis in progress (working hypothesis: upstream schema change)',
    );
    expect(status({ phase: 'mitigate' })).toBe('STATUS: Mitigation in progress');
    expect(status({ phase: 'mitigate', mitigation: 'rolled back to v41' })).toContain('verifying');
    expect(status({ phase: 'mitigate', mitigation: 'rolled back to v41', mitigationVerifiedAt: '2023-12-02T15:10:00Z' })).toBe(
      'STATUS: Mitigated and verified: rolled back to v41',
    );
    expect(status({ phase: 'closed', mitigation: 'rolled back to v41', mitigationVerifiedAt: '2023-12-02T15:10:00Z', resolution: 'schema mapping fixed' })).toBe(
      'STATUS: Resolved and closed',
    );
    // Honest: a closed incident without a permanent fix or a verified mitigation says so.
    expect(status({ phase: 'closed' })).toBe('STATUS: Permanent fix not confirmed; no mitigation recorded; closed');
    const mitigateEarly = [{ phase: 'mitigate' as const, enteredAt: '2023-12-02T15:00:00Z', exitedAt: '2023-12-02T15:05:00Z', earlyReason: 'no rollback possible' }];
    expect(status({ phase: 'resolve', phases: mitigateEarly })).toBe(
      'STATUS: Not mitigated: no mitigation recorded — mitigate gate passed early: no rollback possible; permanent fix in progress',
    );
    expect(status({ phase: 'resolve', mitigation: 'rolled back to v41' })).toBe('STATUS: Mitigation applied (rolled back to v41) but not verified; permanent fix in progress');
    expect(status({ phase: 'resolve', mitigation: 'rolled back', phases: mitigateEarly })).not.toMatch(/^STATUS: Mitigated/);
  });

  it('lists who investigates: the commander and the ops lead, not the scribe or the comms lead', () => {
    const text = initialIncidentReport(incident({ roles: { incident_commander: 'alice', scribe: 'sam', comms_lead: 'carol', ops_lead: 'dave' } }));
    expect(text).toContain('INVESTIGATING: @alice @dave');
    expect(text).not.toMatch(/@sam|@carol/);
  });

  it('handles commander names with @, spaces and lists', () => {
    expect(
      investigatorHandles({ incident_commander: '@alice', ops_lead: 'Bob Smith, carol', scribe: 'alice', comms_lead: '' }),
    ).toEqual(['@alice', '@Bob-Smith', '@carol']);
  });
});

describe('resolutionUpdate', () => {
  it('fills the seed 001 layout', () => {
    const text = resolutionUpdate(
      incident({
        phase: 'review',
        hypothesis: 'Data pipeline schema change',
        rootCauseOrigin: 'data',
        resolution: 'Updated feature transformation logic',
        lessons: 'Added schema validation tests',
      }),
    );
    expect(text.split('\n')).toEqual([
      '✅ RESOLVED: Model Performance Degradation',
      'ROOT CAUSE: Data pipeline schema change (origin: data)',
      'SOLUTION: Updated feature transformation logic',
      'PREVENTION: Added schema validation tests',
      'POST-MORTEM: In progress — owner @alice (incident commander)',
    ]);
  });

  it('uses placeholders and the mitigation while the fix is pending', () => {
    const text = resolutionUpdate(incident({ phase: 'resolve', mitigation: 'Rolled back to model v41' }));
    expect(text).toContain('ROOT CAUSE: (not yet known)');
    expect(text).toContain('SOLUTION: Rolled back to model v41 (temporary mitigation; permanent fix pending)');
    expect(text).toContain('PREVENTION: (to be decided in the post-mortem)');
    expect(text).toContain('POST-MORTEM: To be scheduled');
    expect(resolutionUpdate(incident({ hypothesis: 'unknown' }))).toContain('ROOT CAUSE: Unknown');
  });

  it('reports a closed post-mortem with its date', () => {
    const text = resolutionUpdate(incident({ phase: 'closed', closedAt: '2023-12-04T09:00:00Z' }));
    expect(text).toContain('POST-MORTEM: Completed (closed 2023-12-04 09:00 UTC)');
  });

  it('formatUtcMinute rejects invalid dates', () => {
    expect(formatUtcMinute('not a date')).toBeNull();
    expect(formatUtcMinute(null)).toBeNull();
    expect(formatUtcMinute('2023-12-02T23:59:59+01:00')).toBe('2023-12-02 22:59 UTC');
  });
});

describe('statusUpdate and the update cadence', () => {
  const now = new Date('2023-12-02T15:00:00Z');
  const comms = (id: number, at: string) => ({ id, kind: 'comms' as const, body: 'sent', occurredAt: at, capturedAt: at, editedAt: null, phase: 'investigate' as const });

  it('numbers the update, mentions the commander, hands on and the comms lead, and is honest about early gates', () => {
    const inc = incident({
      phase: 'resolve',
      mitigation: 'Rolled back to v41',
      hypothesis: 'schema change upstream',
      roles: { incident_commander: 'alice', scribe: 'sam', comms_lead: 'carol', ops_lead: 'dave' },
      phases: [{ phase: 'mitigate', enteredAt: '2023-12-02T14:40:00Z', exitedAt: '2023-12-02T14:45:00Z', earlyReason: 'no time to verify' }],
      timeline: [comms(1, '2023-12-02T14:40:00Z')],
    });
    const lines = statusUpdate(inc, now).split('\n');
    expect(lines[0]).toBe('🔄 UPDATE #2: Model Performance Degradation');
    expect(lines).toContain('SEVERITY: High · PHASE: Resolve');
    expect(lines).toContain('STATUS: Mitigation applied (Rolled back to v41) but not verified — mitigate gate passed early: no time to verify; permanent fix in progress');
    expect(lines).toContain('ROOT CAUSE: working hypothesis: schema change upstream');
    expect(lines).toContain('GATES PASSED EARLY: Mitigate (no time to verify)');
    expect(lines).toContain('INCIDENT COMMANDER: @alice · HANDS ON: @dave');
    expect(lines).toContain('NEXT UPDATE: 15 minutes (by 15:15 UTC) from @carol (comms lead)');
    expect(lines.join('\n')).not.toContain('@sam');
  });

  it('is due one cadence after the last comms entry (or after detection), and stops in review', () => {
    const first = updateCadence(incident({ severity: 'SEV3' }))!;
    expect(first).toEqual({ minutes: 30, lastAt: null, dueAt: '2023-12-02T15:05:10.000Z', sent: 0 });
    const later = updateCadence(incident({ timeline: [comms(1, '2023-12-02T14:50:00Z'), comms(2, '2023-12-02T14:40:00Z')] }))!;
    expect(later.lastAt).toBe('2023-12-02T14:50:00Z');
    expect(later.dueAt).toBe('2023-12-02T15:05:00.000Z');
    expect(later.sent).toBe(2);
    expect(updateCadence(incident({ phase: 'review' }))).toBeNull();
  });
});
