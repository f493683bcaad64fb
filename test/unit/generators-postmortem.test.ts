import { describe, expect, it } from 'vitest';
import { ACTION_ITEM_STATUSES, ACTION_ITEM_TYPES, actionItemInput, type ActionItem } from '../../shared/generators/types';
import { generatePostmortem, POSTMORTEM_SECTIONS, postmortemFileName } from '../../shared/generators/postmortem';
import { mergeRunbook } from '../../shared/generators/runbook';
import { change, makeFinding, makeIncident } from './generators-helpers';

const incident = makeIncident();
const findings = [
  makeFinding({
    id: 1,
    title: 'Column Fare removed',
    description: 'The upstream export job dropped Fare.',
    role: 'root_cause',
    genKind: 'dataset.columns',
    params: { columns: ['a'], checkOrder: true },
    evidence: { changes: [change({})], timelineEventIds: [3], artifactIds: [11, 12] },
  }),
  makeFinding({ id: 2, title: 'Upstream release 4.2 shipped without notice', role: 'trigger', genKind: null, params: {} }),
  makeFinding({ id: 3, title: 'Feature defaulting hid the gap', role: 'contributing', genKind: null, params: {} }),
  makeFinding({ id: 4, title: 'No null-rate alert on Age', role: 'detection_gap', genKind: null, params: {} }),
  makeFinding({ id: 5, title: 'Rejected: it was the GPU', role: 'root_cause', status: 'rejected', genKind: null, params: {} }),
];
const items: ActionItem[] = [
  { id: 1, title: 'Schema check | at ingestion', owner: 'dana', dueDate: '2026-12-01', type: 'preventative', status: 'open' },
  { id: 2, title: 'Null-rate alert on Age', owner: '', dueDate: null, type: 'detective', status: 'in_progress' },
  { id: 3, title: 'Backfill affected scores', owner: 'erin', dueDate: '2026-11-25', type: 'corrective', status: 'done' },
];

function headings(md: string, prefix = '## '): string[] {
  return md.split('\n').filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
}

function section(md: string, name: string): string {
  const start = md.indexOf(`\n## ${name}\n`);
  expect(start).toBeGreaterThan(0);
  const next = md.indexOf('\n## ', start + 4);
  return md.slice(start + 1, next < 0 ? undefined : next);
}

const artifacts = [
  { id: 11, name: 'train-2026-11-21.csv', label: 'nightly export', role: 'last-known-good' as const },
  { id: 12, name: 'train-2026-11-22.csv', label: 'nightly export', role: 'failing' as const },
];

describe('generatePostmortem', () => {
  const md = generatePostmortem(incident, findings, items, artifacts);

  it('follows the SRE-book shape', () => {
    expect(md.split('\n')[0]).toBe('# Postmortem: Fraud model accuracy dropped (INC-0007)');
    expect(headings(md)).toEqual([...POSTMORTEM_SECTIONS]);
    expect(headings(section(md, 'Lessons learned'), '### ')).toEqual(['What went well', 'What went wrong', 'Where we got lucky']);
    expect(md).toContain('- **Authors:** alice (incident commander), bob (scribe), carol (ops lead)');
    expect(md).toContain('- **Status:** Draft — in review; 2 of 3 action items open');
    expect(postmortemFileName(incident)).toBe('INC-0007-fraud-model-accuracy-dropped.md');
  });

  it('fills summary, impact, root causes (with evidence), trigger, resolution', () => {
    expect(section(md, 'Summary')).toContain('dropped the Fare column');
    expect(section(md, 'Impact')).toContain('340 false declines');
    expect(section(md, 'Impact')).toContain('Impact lasted about 52 min, from 2026-11-22 02:48:00 UTC until the mitigation was verified (2026-11-22 03:40:00 UTC).');
    const rc = section(md, 'Root causes');
    expect(rc).toContain('### Column Fare removed');
    expect(rc).toContain('The upstream export job dropped Fare.');
    expect(rc).toContain('- column Fare removed (`Fare` → `∅`) — column.removed, critical');
    expect(rc).toContain('- Timeline 2026-11-22 03:20:00 UTC: Diff: column Fare removed');
    // Artifacts by file and label, never by internal id.
    expect(rc).toContain('- Artifacts: `train-2026-11-21.csv` (label: nightly export, last known good) → `train-2026-11-22.csv` (label: nightly export, failing)');
    expect(md).not.toMatch(/#1[12]\b/);
    expect(section(generatePostmortem(incident, findings, items), 'Root causes')).toContain('- Artifacts: a removed artifact → a removed artifact');
    expect(rc).toContain('### Contributing factors');
    expect(rc).toContain('Feature defaulting hid the gap');
    expect(rc).not.toContain('GPU');
    expect(section(md, 'Trigger')).toContain('### Upstream release 4.2 shipped without notice');
    const res = section(md, 'Resolution');
    expect(res).toContain('**Mitigation:** Rolled the feature view back to the 2026-11-21 snapshot');
    expect(res).toContain('Verified 2026-11-22 03:40:00 UTC.');
    expect(res).toContain('**Permanent fix:** Upstream export fixed; schema check added at ingestion');
  });

  it('states detection: TTD, how, and detection gaps', () => {
    const d = section(md, 'Detection');
    expect(d).toContain('- **Detected:** 2026-11-22 03:00:00 UTC — time to detect (TTD) 12 min');
    expect(d).toContain('- **How:** first recorded signal: Recall alert fired on fraud-scoring dashboard');
    expect(d).toContain('acknowledge 1 min, mitigate 45 min, resolve 1 h 30 min');
    expect(d).toContain('### Detection gaps');
    expect(d).toContain('- No null-rate alert on Age');
    // TTD 12 min is Mature, TTR 1:30 is Basic: the tier is the lower one, with the figures behind it.
    expect(d).toContain('- **Maturity tier (seed 002: world-class MTTD < 5 min, MTTR < 30 min):** Basic — TTD 12:00 (Mature), TTR 1:30:00 (Basic)');
  });

  it('states a maturity tier only when the figures behind it are known, and calls an unverified mitigation unverified', () => {
    const noStart = section(generatePostmortem(makeIncident({ startedAt: null, metrics: { ...incident.metrics, timeToDetectMs: null } }), [], []), 'Detection');
    expect(noStart).toContain('not stated — TTD unknown (start of impact not set)');
    expect(noStart).not.toMatch(/World-class|Mature|Basic|Ad-hoc/);
    const bypassed = makeIncident({
      mitigation: '',
      mitigationVerifiedAt: null,
      phases: incident.phases.map((p) => (p.phase === 'mitigate' ? { ...p, earlyReason: 'no rollback available yet' } : p)),
    });
    const doc = generatePostmortem(bypassed, [], []);
    expect(section(doc, 'Resolution')).toContain('**The mitigate gate was passed early** (no mitigation recorded). Reason given: no rollback available yet');
    const det = section(doc, 'Detection');
    expect(det).toContain('mitigate 45 min (unverified: mitigation not verified');
    expect(det).toContain('not stated — TTM unverified: mitigate gate passed early (no rollback available yet)');
    expect(det).not.toMatch(/World-class|Mature|Basic/);
  });

  it('renders action items as a table with type, owner, due date and status', () => {
    const a = section(md, 'Action items');
    expect(a).toContain('| Action item | Type | Owner | Due | Status |');
    expect(a).toContain('| Schema check \\| at ingestion | Preventative | dana | 2026-12-01 | Open |');
    expect(a).toContain('| Null-rate alert on Age | Detective | **unowned** | — | In progress |');
    expect(a).toContain('| Backfill affected scores | Corrective | erin | 2026-11-25 | Done |');
    expect(a).not.toContain('Candidates');
    const empty = section(generatePostmortem(incident, findings, []), 'Action items');
    expect(empty).toContain('_(no action items yet)_');
    expect(empty).toContain('Run `tests/regression/test_inc_0007_regressions.py` in CI (preventative)');
  });

  it('splits lessons into went well / went wrong / got lucky and adds what the record shows', () => {
    const l = section(md, 'Lessons learned');
    const well = l.slice(l.indexOf('### What went well'), l.indexOf('### What went wrong'));
    const wrong = l.slice(l.indexOf('### What went wrong'), l.indexOf('### Where we got lucky'));
    const lucky = l.slice(l.indexOf('### Where we got lucky'));
    expect(well).toContain('- the diff showed the dropped column in seconds');
    expect(well).toContain('The mitigation was verified');
    expect(wrong).toContain('- no null-rate alert on Age');
    expect(wrong).toContain('Investigate took 25 min, over its 15 min budget.');
    expect(wrong).toContain('Investigate gate passed early: paging upstream team, evidence still being collected');
    expect(lucky).toContain('- it happened on a low-traffic night');
    const plain = generatePostmortem(makeIncident({ lessons: 'Alerts need owners.' }), [], []);
    expect(section(plain, 'Lessons learned')).toContain('- Alerts need owners.');
    expect(section(plain, 'Lessons learned')).toContain('_(what could have made this much worse and did not happen)_');
  });

  it('has a UTC timeline in time order with phase changes and early-gate reasons', () => {
    const t = section(md, 'Timeline');
    const rows = t.split('\n').filter((l) => /^\| \d{4}-/.test(l));
    const times = rows.map((r) => r.slice(2, 21));
    expect([...times].sort()).toEqual(times);
    expect(rows[0]).toBe('| 2026-11-22 02:48:00 | — | impact | Impact began |');
    expect(t).toContain('| 2026-11-22 02:59:30 | Acknowledge | note | Recall alert fired on fraud-scoring dashboard |');
    expect(t).toContain('Investigate gate passed early (unmet: evidence). Reason: paging upstream team');
    expect(t).toContain('Diff: column Fare removed \\| null rate of Age 20% → 45%');
    // Without phase_change events on the timeline, phase entries and early reasons are synthesised.
    const bare = generatePostmortem(makeIncident({ timeline: [] }), [], []);
    const bt = section(bare, 'Timeline');
    expect(bt).toContain('| 2026-11-22 03:00:00 | Acknowledge | phase change | Entered Acknowledge |');
    expect(bt).toContain('| 2026-11-22 03:30:00 | Investigate | phase change | Investigate gate passed early. Reason: paging upstream team, evidence still being collected |');
  });

  it('lists supporting information with evidence and the regression tests', () => {
    const s = section(md, 'Supporting information');
    expect(s).toContain('- **Root cause:** Column Fare removed — generator `dataset.columns`');
    expect(s).toContain('  - column Fare removed');
    expect(s).toContain('Regression tests: `tests/regression/test_inc_0007_regressions.py` (1 finding covered).');
  });

  it('drafts placeholders for an empty incident and survives hostile text', () => {
    const bare = makeIncident({
      title: 'x | y\n## z',
      summary: '',
      impact: '',
      hypothesis: '',
      mitigation: '',
      mitigationVerifiedAt: null,
      resolution: '',
      lessons: '',
      startedAt: null,
      roles: { incident_commander: '', scribe: '', comms_lead: '', ops_lead: '' },
      phase: 'investigate',
      phases: [],
      timeline: [],
      metrics: { timeToDetectMs: null, timeToAcknowledgeMs: null, timeToMitigateMs: null, timeToResolveMs: null },
    });
    const doc = generatePostmortem(bare, [], []);
    expect(headings(doc)).toEqual([...POSTMORTEM_SECTIONS]);
    expect(doc).toContain('**Authors:** _(add authors)_');
    expect(doc).toContain('**Status:** Draft — incident ongoing (phase: Investigate)');
    expect(doc).toContain('**Not verified**');
    expect(doc).toContain('_(no root cause recorded yet');
  });

  it('can be merged with the same per-section three-way merge as runbooks', () => {
    const v2 = generatePostmortem(incident, findings, [...items, { id: 4, title: 'Data contract', owner: 'fay', dueDate: '2027-01-15', type: 'preventative', status: 'open' }]);
    const user = md.replace('The nightly feature export', 'EDITED: The nightly feature export');
    const r = mergeRunbook(md, user, v2);
    expect(r.conflicts).toEqual([]);
    expect(r.merged).toContain('EDITED: The nightly feature export');
    expect(r.merged).toContain('| Data contract | Preventative | fay | 2027-01-15 | Open |');
  });
});

describe('action item types', () => {
  it('exports the three SRE types and validates input', () => {
    expect(ACTION_ITEM_TYPES).toEqual(['detective', 'preventative', 'corrective']);
    expect(ACTION_ITEM_STATUSES).toEqual(['open', 'in_progress', 'done']);
    expect(actionItemInput.parse({ title: ' Add alert ', type: 'detective' })).toEqual({ title: 'Add alert', owner: '', dueDate: null, type: 'detective', status: 'open' });
    expect(actionItemInput.safeParse({ title: 'x', type: 'mitigative' }).success).toBe(false);
    expect(actionItemInput.safeParse({ title: 'x', type: 'detective', dueDate: '2026-13-45' }).success).toBe(false);
  });
});
