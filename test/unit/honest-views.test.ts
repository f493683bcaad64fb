// Pure pieces behind issue 11's screens: checklist items the record answers, the maturity tier only
// from known figures, quiet diff changes (calendar versions, ID-like columns), idempotent change keys,
// and the command palette's matching.
import { describe, expect, it } from 'vitest';
import type { Change } from '../../shared/diff/types';
import type { Incident } from '../../shared/domain';
import { maturityTier, metricHonesty, mitigationHonesty, honestyFlag } from '../../shared/honesty';
import { autoChecked } from '../../shared/playbook/auto';
import { diffDependencyTexts } from '../../shared/diff/deps';
import { changeSourceKey, isIdLikeColumn, quietReason, shownSeverity } from '../../renderer/artifacts/quiet';
import { matchItems } from '../../renderer/lib/palette';
import { makeIncident } from './generators-helpers';

const lock = (v: string) => JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app' }, 'node_modules/caniuse-db': { version: v } } });
const chg = (over: Partial<Change>): Change => ({ kind: 'dependency.major', severity: 'critical', failureClass: 'packaging', subject: 'numpy', before: '1.24.4', after: '2.0.2', message: 'm', params: { level: 'major' }, ...over });

describe('checklist items the record answers', () => {
  const base = makeIncident({ phase: 'acknowledge', failureClass: 'data', roles: { incident_commander: '', scribe: '', comms_lead: '', ops_lead: '' }, impact: '' });
  it('ticks "name the commander" once one is named, and says who', () => {
    expect(autoChecked(base, 'acknowledge')).toEqual({});
    const named = autoChecked({ ...base, roles: { ...base.roles, incident_commander: 'alice, bob' }, impact: 'recall down' }, 'acknowledge');
    expect(named).toEqual({ 'own-page': 'commander: alice', 'impact-line': 'impact written down' });
  });
  it('uses artifacts, comms entries, verification and action items', () => {
    const inc: Incident = { ...base, mitigationVerifiedAt: '2026-11-22T03:40:00Z', timeline: [...base.timeline, { id: 99, kind: 'comms', body: 'sent', occurredAt: base.detectedAt, capturedAt: base.detectedAt, editedAt: null, phase: 'assess' }] };
    expect(autoChecked(inc, 'assess')['post-initial-report']).toMatch(/comms/);
    expect(autoChecked(inc, 'investigate', { artifacts: [{ role: 'last-known-good', name: 'a' }] })['capture-samples']).toBeUndefined();
    expect(autoChecked(inc, 'investigate', { artifacts: [{ role: 'last-known-good', name: 'a' }, { role: 'failing', name: 'b' }] })['capture-samples']).toBe('1 last-known-good and 1 failing artifact captured');
    expect(autoChecked(inc, 'mitigate')['verify-mitigation']).toBe('mitigation marked verified');
    expect(autoChecked(inc, 'review', { actions: [{ owner: 'dana', dueDate: '2026-12-01' }, { owner: '', dueDate: null }] })['owners-dates']).toBeUndefined();
    expect(autoChecked(inc, 'review', { actions: [{ owner: 'dana', dueDate: '2026-12-01' }] })['owners-dates']).toBe('all 1 action item owned and dated');
  });
});

describe('honest metrics', () => {
  it('marks TTM unverified after an early mitigate pass and states no tier', () => {
    const inc = makeIncident({ mitigationVerifiedAt: null, phases: makeIncident().phases.map((p) => (p.phase === 'mitigate' ? { ...p, earlyReason: 'skip' } : p)) });
    expect(mitigationHonesty(inc)).toMatchObject({ state: 'unverified', left: true, phrase: 'mitigation not verified' });
    expect(metricHonesty(inc).find((m) => m.id === 'ttm')?.unverified).toBe('mitigate gate passed early (skip); mitigation not verified');
    expect(maturityTier(inc).tier).toBeNull();
    expect(honestyFlag(inc)).toBe('mitigation not verified');
  });
  it('states the lower of the two tiers when both figures are known and verified', () => {
    const inc = makeIncident({ metrics: { timeToDetectMs: 3 * 60_000, timeToAcknowledgeMs: 60_000, timeToMitigateMs: 10 * 60_000, timeToResolveMs: 25 * 60_000 } });
    expect(maturityTier(inc)).toEqual({ tier: 'World-class', why: 'TTD 3:00 (World-class), TTR 25:00 (World-class)' });
    expect(maturityTier({ ...inc, metrics: { ...inc.metrics, timeToResolveMs: 50 * 60_000 } }).tier).toBe('Mature');
  });
});

describe('quiet diff changes', () => {
  it('does not shout at a calendar-versioned package (the dependency engine decides which), and says why', () => {
    const reqs = diffDependencyTexts('requirements', 'numpy==1.24.4\ncertifi==2023.7.22\npip==23.1\nattrs==23.2.0\nvirtualenv==20.1\n', 'numpy==2.0.2\ncertifi==2024.2.2\npip==24.0\nattrs==24.1.0\nvirtualenv==21.0\n');
    const by = (name: string) => reqs.changes.find((c) => c.subject === name)!;
    for (const name of ['certifi', 'pip', 'attrs']) {
      expect(by(name).kind, name).toBe('dependency.calendar');
      expect(quietReason(by(name)), name).toMatch(/^calendar version/);
      expect(shownSeverity(by(name)), name).toBe('info');
    }
    for (const name of ['numpy', 'virtualenv']) expect(quietReason(by(name)), name).toBeNull();
    expect(shownSeverity(by('numpy'))).toBe('critical');
    // An npm package versioned by year is one too.
    const npm = diffDependencyTexts('package-lock', lock('2023.1.0'), lock('2024.3.1')).changes;
    expect(npm.map((c) => [c.kind, quietReason(c) !== null])).toEqual([['dependency.calendar', true]]);
  });
  it('does not shout at ID-like columns, but a removed ID column still counts', () => {
    for (const n of ['id', 'PassengerId', 'user_id', 'order-no', 'Ticket', 'uuid']) expect(isIdLikeColumn(n), n).toBe(true);
    for (const n of ['Fare', 'Survived', 'idle_time', 'video']) expect(isIdLikeColumn(n), n).toBe(false);
    expect(quietReason(chg({ kind: 'range.changed', subject: 'user_id', failureClass: 'data' }))).toMatch(/ID-like/);
    expect(quietReason(chg({ kind: 'column.removed', subject: 'user_id', failureClass: 'data' }))).toBeNull();
  });
  it('names a change the same way every time, and two changes differently', () => {
    const a = changeSourceKey(1, 2, chg({}));
    expect(changeSourceKey(1, 2, chg({}))).toBe(a);
    expect(changeSourceKey(1, 3, chg({}))).not.toBe(a);
    expect(changeSourceKey(1, 2, chg({ after: '2.1.0' }))).not.toBe(a);
    expect(changeSourceKey(1, 2, chg({ subject: 'x'.repeat(1000) })).length).toBeLessThanOrEqual(300);
  });
});

describe('command palette matching', () => {
  const items = ['Go to incidents', 'New incident…', 'INC-0002 · Serving pods OOMKilled', 'Phase: Assess'].map((label, i) => ({ id: String(i), label, keywords: i === 2 ? 'serving SEV1' : '', run: () => undefined }));
  it('keeps items every word matches, label prefixes first', () => {
    expect(matchItems(items, 'inc').map((x) => x.label)).toEqual(['INC-0002 · Serving pods OOMKilled', 'Go to incidents', 'New incident…']);
    expect(matchItems(items, 'oom pods').map((x) => x.id)).toEqual(['2']);
    expect(matchItems(items, 'sev1').map((x) => x.id)).toEqual(['2']);
    expect(matchItems(items, '')).toHaveLength(4);
    expect(matchItems(items, 'zzz')).toEqual([]);
  });
});
