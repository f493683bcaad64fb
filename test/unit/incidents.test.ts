import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, tempApp } from './helpers';
import { gateStatus, budgetState, formatDuration } from '../../shared/phases';
import type { App } from '../../main/app';

let env: ReturnType<typeof tempApp>;
let clock: ManualClock;
afterEach(() => env?.cleanup());
function setup(): App {
  clock = new ManualClock();
  env = tempApp(clock);
  return env.app;
}
const MIN = 60_000;
const fraud = { title: 'Fraud model accuracy dropped from 95% to 78%', severity: 'SEV2', failureClass: 'data' } as const;

describe('incidents and the phase machine', () => {
  it('numbers incidents INC-0001, INC-0002 and starts in acknowledge with an opening timeline event', async () => {
    const app = setup();
    const a = await app.call('incident:create', fraud);
    const b = await app.call('incident:create', { ...fraud, title: 'OOMKilled serving pods', failureClass: 'serving', severity: 'SEV1' });
    expect([a.key, b.key]).toEqual(['INC-0001', 'INC-0002']);
    expect(a.phase).toBe('acknowledge');
    expect(a.phases).toEqual([{ phase: 'acknowledge', enteredAt: '2026-11-22T03:00:00.000Z', exitedAt: null, earlyReason: null }]);
    expect(a.timeline[0]).toMatchObject({ kind: 'phase_change', phase: 'acknowledge' });
  });

  it('refuses to pass a gate with unmet criteria without a reason, and leaves the incident unchanged', async () => {
    const app = setup();
    await app.call('incident:create', fraud);
    const before = await app.call('incident:get', { key: 'INC-0001' });
    const r = await app.dispatch('incident:advance', { key: 'INC-0001' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('GATE');
      expect(r.error.message).toMatch(/incident commander owns it/);
      expect(r.error.details?.issues?.[0].field).toBe('reason');
    }
    expect(await app.call('incident:get', { key: 'INC-0001' })).toEqual(before);
  });

  it('passes a gate early with a reason and records the reason on the timeline and the phase entry', async () => {
    const app = setup();
    await app.call('incident:create', fraud);
    clock.advance(MIN);
    const inc = await app.call('incident:advance', { key: 'INC-0001', reason: 'Pager owner is driving; impact known from alert' });
    expect(inc.phase).toBe('assess');
    expect(inc.phases[0].earlyReason).toBe('Pager owner is driving; impact known from alert');
    const last = inc.timeline[inc.timeline.length - 1];
    expect(last.kind).toBe('phase_change');
    expect(last.body).toMatch(/Gate passed early .*Reason: Pager owner is driving/);
  });

  it('walks all six phases when the exit criteria are met, then closes; metrics come from the phase times', async () => {
    const app = setup();
    const key = (await app.call('incident:create', { ...fraud, startedAt: '2026-11-22T02:45:00Z' })).key;
    await app.call('incident:setRole', { key, role: 'incident_commander', person: 'alice' });
    await app.call('incident:update', { key, patch: { impact: 'Fraud losses up; 30% more chargebacks' } });
    clock.advance(1 * MIN);
    expect((await app.call('incident:advance', { key })).phase).toBe('assess');
    await app.call('incident:update', { key, patch: { service: 'fraud-scoring' } });
    clock.advance(4 * MIN);
    expect((await app.call('incident:advance', { key })).phase).toBe('investigate');
    await app.call('incident:update', { key, patch: { hypothesis: 'Upstream schema change dropped merchant_category' } });
    let inc = await app.call('incident:get', { key });
    expect(gateStatus('investigate', inc).allMet).toBe(false); // no evidence yet
    await app.call('timeline:add', { key, kind: 'evidence', body: 'merchant_category null rate 0% → 97% since 02:40' });
    clock.advance(10 * MIN);
    expect((await app.call('incident:advance', { key })).phase).toBe('mitigate');
    await app.call('incident:update', { key, patch: { mitigation: 'Rolled back feature pipeline to v41' } });
    inc = await app.call('incident:get', { key });
    expect(gateStatus('mitigate', inc).criteria.find((c) => c.id === 'verified')?.met).toBe(false);
    await app.call('incident:update', { key, patch: { mitigationVerified: true } });
    clock.advance(20 * MIN);
    expect((await app.call('incident:advance', { key })).phase).toBe('resolve');
    await app.call('incident:update', { key, patch: { resolution: 'Schema contract test added upstream' } });
    clock.advance(60 * MIN);
    expect((await app.call('incident:advance', { key })).phase).toBe('review');
    await app.call('incident:update', { key, patch: { summary: 'Schema drift', lessons: 'Contract tests' } });
    inc = await app.call('incident:advance', { key });
    expect(inc.phase).toBe('closed');
    expect(inc.closedAt).not.toBeNull();
    expect(inc.phases.map((p) => p.phase)).toEqual(['acknowledge', 'assess', 'investigate', 'mitigate', 'resolve', 'review']);
    expect(inc.phases.every((p) => p.earlyReason === null)).toBe(true);
    expect(inc.metrics).toEqual({
      timeToDetectMs: 15 * MIN,
      timeToAcknowledgeMs: 1 * MIN,
      timeToMitigateMs: 35 * MIN,
      timeToResolveMs: 95 * MIN,
    });
    const r = await app.dispatch('incident:advance', { key });
    expect(r.ok ? null : r.error.code).toBe('CONFLICT');
  });

  it('records severity and class changes as decisions on the timeline', async () => {
    const app = setup();
    await app.call('incident:create', fraud);
    const inc = await app.call('incident:update', { key: 'INC-0001', patch: { severity: 'SEV1', failureClass: 'deployment' } });
    expect(inc.timeline.at(-1)).toMatchObject({ kind: 'decision', body: 'Changed severity SEV2 → SEV1; failure class data → deployment.' });
  });

  it('back-fills an event time while keeping the capture time; deletes with undo', async () => {
    const app = setup();
    await app.call('incident:create', fraud);
    const ev = await app.call('timeline:add', { key: 'INC-0001', kind: 'action', body: 'Paused the 6 AM retrain' });
    clock.advance(5 * MIN);
    const edited = await app.call('timeline:update', { key: 'INC-0001', id: ev.id, occurredAt: '2026-11-22T02:50:00Z' });
    expect(edited.occurredAt).toBe('2026-11-22T02:50:00.000Z');
    expect(edited.capturedAt).toBe(ev.capturedAt);
    expect(edited.editedAt).toBe('2026-11-22T03:05:00.000Z');
    let inc = await app.call('incident:get', { key: 'INC-0001' });
    expect(inc.timeline[0].id).toBe(ev.id); // ordered by occurrence: the back-filled event comes first
    await app.call('timeline:delete', { key: 'INC-0001', id: ev.id });
    inc = await app.call('incident:get', { key: 'INC-0001' });
    expect(inc.timeline.some((e) => e.id === ev.id)).toBe(false);
    await app.call('timeline:restore', { key: 'INC-0001', id: ev.id });
    inc = await app.call('incident:get', { key: 'INC-0001' });
    expect(inc.timeline.find((e) => e.id === ev.id)?.body).toBe('Paused the 6 AM retrain');
  });

  it('keeps phase changes immutable: their text cannot be edited or deleted', async () => {
    const app = setup();
    const inc = await app.call('incident:create', fraud);
    const id = inc.timeline[0].id;
    expect((await app.dispatch('timeline:delete', { key: 'INC-0001', id })).ok).toBe(false);
    expect((await app.dispatch('timeline:update', { key: 'INC-0001', id, body: 'rewritten' })).ok).toBe(false);
  });

  it('checklist items toggle per phase and roles can be cleared', async () => {
    const app = setup();
    await app.call('incident:create', fraud);
    await app.call('incident:check', { key: 'INC-0001', phase: 'acknowledge', itemId: 'own-page', checked: true });
    let inc = await app.call('incident:check', { key: 'INC-0001', phase: 'acknowledge', itemId: 'impact-line', checked: true });
    expect(inc.checklist.acknowledge).toEqual(['own-page', 'impact-line']);
    inc = await app.call('incident:check', { key: 'INC-0001', phase: 'acknowledge', itemId: 'own-page', checked: false });
    expect(inc.checklist.acknowledge).toEqual(['impact-line']);
    const bogus = await app.dispatch('incident:check', { key: 'INC-0001', phase: 'acknowledge', itemId: 'not-an-item', checked: true });
    expect(bogus.ok ? null : bogus.error.details?.issues?.[0].field).toBe('itemId');
    await app.call('incident:setRole', { key: 'INC-0001', role: 'scribe', person: 'bob' });
    inc = await app.call('incident:setRole', { key: 'INC-0001', role: 'scribe', person: '  ' });
    expect(inc.roles.scribe).toBe('');
  });

  it('lists with filters, search and sort; drills are kept out unless asked for', async () => {
    const app = setup();
    await app.call('incident:create', fraud);
    clock.advance(1000);
    await app.call('incident:create', { title: 'Latency 50ms → 2000ms', severity: 'SEV1', failureClass: 'serving', service: 'ranker' });
    clock.advance(1000);
    await app.call('incident:create', { title: 'Drill: canary', severity: 'SEV3', failureClass: 'deployment', isDrill: true });
    expect((await app.call('incident:list', {})).items.map((i) => i.key)).toEqual(['INC-0002', 'INC-0001']);
    expect((await app.call('incident:list', { includeDrills: true })).items.length).toBe(3);
    expect((await app.call('incident:list', { severity: 'SEV2' })).items.map((i) => i.key)).toEqual(['INC-0001']);
    expect((await app.call('incident:list', { failureClass: 'serving' })).items.map((i) => i.key)).toEqual(['INC-0002']);
    expect((await app.call('incident:list', { query: 'rank' })).items.map((i) => i.key)).toEqual(['INC-0002']);
    expect((await app.call('incident:list', { query: '95%' })).items.map((i) => i.key)).toEqual(['INC-0001']);
    expect((await app.call('incident:list', { query: '%' })).items.length).toBe(1); // LIKE wildcards are escaped
    expect((await app.call('incident:list', { sort: 'severity' })).items.map((i) => i.severity)).toEqual(['SEV1', 'SEV2']);
  });
});

describe('budgets', () => {
  it('is amber from 80% of the budget and red past it; variable phases have none', () => {
    expect(budgetState('acknowledge', 95_000)).toBe('ok');
    expect(budgetState('acknowledge', 96_000)).toBe('warn');
    expect(budgetState('acknowledge', 121_000)).toBe('over');
    expect(budgetState('investigate', 14 * MIN)).toBe('warn');
    expect(budgetState('resolve', 999 * MIN)).toBe('none');
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('—');
  });
});
