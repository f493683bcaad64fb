// Drill runner service on a real temp SQLite database (main/services/drills.ts through app.call).
import { afterEach, describe, expect, it } from 'vitest';
import { clockedApp, rejects, type ManualClock } from './helpers';
import type { App } from '../../main/app';
import { ApiError } from '../../shared/api/errors';
import { parseScenario, scenarioSchema } from '../../shared/scenarios/schema';
import type { DrillState } from '../../shared/drills/types';

const CANARY = 'canary-contamination-non-stratified';
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const setup = () => clockedApp(cleanups);
const MIN = 60_000;


async function get(app: App, drillId: number, view: 'responder' | 'gm' = 'responder'): Promise<DrillState> {
  const s = await app.call('drill:get', { drillId, view });
  if (s.unchanged) throw new Error('unexpected unchanged');
  return s;
}

/** Walk the canary drill perfectly (solo), with phase times inside every budget. */
async function perfectCanary(app: App, clock: ManualClock, participant = 'alice') {
  const st = await app.call('drill:start', { scenarioId: CANARY, mode: 'solo', participant });
  const key = st.key;
  clock.advance(1 * MIN);
  await app.call('incident:update', { key, patch: { impact: 'Android and international CTR down' } });
  await app.call('incident:advance', { key });
  clock.advance(1 * MIN);
  await app.call('drill:classify', { drillId: st.drillId, failureClass: 'validation', rootCauseOrigin: 'config' });
  await app.call('incident:advance', { key });
  for (const card of ['segment-dashboard', 'routing-pair', 'cohort-sample', 'offline-eval']) {
    clock.advance(1 * MIN);
    await app.call('drill:requestCard', { drillId: st.drillId, cardId: card });
  }
  await app.call('drill:orderChecks', { drillId: st.drillId, checkIds: ['val-deployed-is-validated', 'canary-routing-config', 'cohort-composition', 'val-per-segment'] });
  await app.call('incident:update', { key, patch: { hypothesis: 'Canary routing r12 was not stratified' } });
  await app.call('incident:advance', { key });
  clock.advance(5 * MIN);
  await app.call('drill:takeAction', { drillId: st.drillId, actionId: 'rollback-v6' });
  await app.call('drill:takeAction', { drillId: st.drillId, actionId: 'stratified-canary' });
  await app.call('drill:mitigate', { drillId: st.drillId, text: 'Rolled back to v6 by digest; per-slice CTR recovering', verified: true });
  clock.advance(5 * MIN);
  await app.call('incident:advance', { key });
  clock.advance(1 * MIN);
  const fin = await app.call('drill:finish', { drillId: st.drillId });
  return { start: st, fin, key };
}

describe('drill:scenarios', () => {
  it('lists the library with the fields the CLI and UI need', async () => {
    const { app } = setup();
    const list = await app.call('drill:scenarios', {});
    expect(list.length).toBeGreaterThanOrEqual(16);
    const canary = list.find((s) => s.id === CANARY)!;
    expect(canary).toMatchObject({ failureClass: 'validation', difficulty: 'advanced', evidenceCards: 6, expectedDurationMinutes: 40, custom: false });
  });
});

describe('solo drill, end to end', () => {
  it('runs start → cards (timed on the timeline) → classify → order → actions → mitigate → phases → finish → debrief', async () => {
    const { app, clock } = setup();
    const st = await app.call('drill:start', { scenarioId: CANARY, mode: 'solo', participant: 'alice' });
    expect(st).toMatchObject({ drillId: 1, key: 'INC-0001', mode: 'solo', view: 'responder', participant: 'alice', phase: 'acknowledge', classification: null, checkOrder: null, score: null });
    const inc = await app.call('incident:get', { key: st.key });
    expect(inc).toMatchObject({ isDrill: true, title: expect.stringMatching(/^Drill: Canary contamination/), severity: 'SEV2', service: 'feed-ranking' });
    expect(inc.roles.incident_commander).toBe('alice');
    // Only the initially visible card has content; answers are not in the responder view.
    expect(st.cards.filter((c) => c.status === 'released').map((c) => c.id)).toEqual(['promotion-log']);
    for (const c of st.cards.filter((c) => c.status !== 'released')) expect(c.body).toBeUndefined();
    expect(st.answers).toBeUndefined();

    // The perfect path, on a second drill (the helper is shared with the history test).
    const { fin, key } = await perfectCanary(app, clock, 'alice');
    expect(fin.finishedAt).not.toBeNull();
    expect(fin.score!.total).toBe(100);

    const drillId = fin.drillId;
    // Requests are on the timeline with their times.
    const timeline = (await app.call('incident:get', { key })).timeline;
    const routing = timeline.find((e) => e.kind === 'evidence' && e.body.includes('[routing-pair]'))!;
    expect(routing.body).toContain('requested and released');
    expect(routing.occurredAt).toBe(fin.cards.find((c) => c.id === 'routing-pair')!.requestedAt);
    const rollback = fin.actionsTaken.find((a) => a.actionId === 'rollback-v6')!;
    expect(timeline.find((e) => e.body === `Action: ${rollback.title}`)).toMatchObject({ kind: 'action', occurredAt: rollback.takenAt, phase: 'mitigate' });

    // The artifact pair became two artifacts on the drill incident that the real diff engine diffs.
    const pair = fin.cards.find((c) => c.id === 'routing-pair')!;
    expect(pair.artifacts).toBeDefined();
    const arts = await app.call('artifact:list', { key });
    expect(arts.filter((a) => a.label === 'routing-pair').map((a) => a.role).sort()).toEqual(['failing', 'last-known-good']);
    const pairs = await app.call('artifact:pairs', { key });
    expect(pairs.some((p) => p.before.id === pair.artifacts!.beforeId && p.after.id === pair.artifacts!.afterId)).toBe(true);

    const deb = await app.call('drill:debrief', { drillId });
    expect(deb.score.total).toBe(100);
    expect(deb.classification).toMatchObject({ classVerdict: 'exact', originVerdict: 'exact', given: { failureClass: 'validation', rootCauseOrigin: 'config' } });
    expect(deb.checks.ideal.map((c) => c.id)).toEqual(deb.checks.theirs!.map((c) => c.id));
    expect(deb.checks.tau).toBe(1);
    expect(deb.actions.correct.every((a) => a.taken)).toBe(true);
    expect(deb.actions.temptingTaken).toEqual([]);
    expect(deb.actions.temptingAvoided.map((a) => a.id).sort()).toEqual(['patch-thresholds', 'retrain-android', 'trust-canary']);
    expect(deb.cards.find((c) => c.id === 'android-release')).toMatchObject({ relevant: false, status: 'hidden' });
    const investigate = deb.phases.find((p) => p.phase === 'investigate')!;
    expect(investigate).toMatchObject({ reached: true, budgetMinutes: 15, revealCostSeconds: 100, factor: 1 });
    expect(investigate.elapsedMs).toBe(4 * MIN + 100_000);
    expect(deb.debriefPoints.length).toBeGreaterThan(0);
    expect(deb.mitigation.theirs).toContain('Rolled back to v6');

    const rep = await app.call('drill:report', { drillId: key as never });
    expect(rep.fileName).toBe(`drill-${drillId}-${CANARY}.md`);
    expect(rep.content).toContain('# Drill report: Canary contamination');
    expect(rep.content).toContain('**100/100**');
    expect(rep.content).toContain("Kendall's τ = 1.00");
    expect(rep.content).toContain('## Debrief points');

    // Finished: no more changes.
    await rejects(app.call('drill:takeAction', { drillId, actionId: 'trust-canary' }), 'CONFLICT');
    // The first drill (never finished) has no debrief yet.
    await rejects(app.call('drill:debrief', { drillId: st.drillId }), 'CONFLICT');
  });

  it('records tempting actions without warning and scores them in the debrief', async () => {
    const { app } = setup();
    const st = await app.call('drill:start', { scenarioId: CANARY, mode: 'solo', participant: 'bob' });
    const after = await app.call('drill:takeAction', { drillId: st.drillId, actionId: 'trust-canary' });
    expect(after.actionsTaken.map((a) => a.actionId)).toEqual(['trust-canary']);
    expect(JSON.stringify(after)).not.toContain('whyWrong');
    expect(after.actions.every((a) => Object.keys(a).sort().join() === 'id,title')).toBe(true);
    await app.call('drill:orderChecks', { drillId: st.drillId, checkIds: ['val-per-segment', 'cohort-composition', 'canary-routing-config', 'val-deployed-is-validated'] });
    await app.call('drill:finish', { drillId: st.drillId });
    const deb = await app.call('drill:debrief', { drillId: st.drillId });
    expect(deb.actions.temptingTaken).toEqual([expect.objectContaining({ id: 'trust-canary', whyWrong: expect.stringContaining('canary') })]);
    expect(deb.checks.tau).toBe(-1);
    expect(deb.score.parts.find((p) => p.id === 'checkOrder')!.points).toBe(0);
    expect(deb.score.total).toBeLessThan(40);
  });

  it('validates cards, check orders and actions', async () => {
    const { app } = setup();
    const st = await app.call('drill:start', { scenarioId: CANARY, participant: 'carol' });
    expect(st.mode).toBe('solo');
    await rejects(app.call('drill:requestCard', { drillId: st.drillId, cardId: 'nope' }), 'VALIDATION');
    const e = await rejects(app.call('drill:orderChecks', { drillId: st.drillId, checkIds: ['canary-routing-config', 'canary-routing-config', 'bogus'] }), 'VALIDATION');
    expect(e.details?.issues?.map((i) => i.message)).toEqual([
      'check "canary-routing-config" listed twice',
      'unknown check "bogus"',
      'missing checks: val-deployed-is-validated, cohort-composition, val-per-segment',
    ]);
    await rejects(app.call('drill:takeAction', { drillId: st.drillId, actionId: 'nope' }), 'VALIDATION');
    await rejects(app.call('drill:releaseCard', { drillId: st.drillId, cardId: 'routing-pair' }), 'CONFLICT');
    await rejects(app.call('drill:get', { drillId: 99 }), 'NOT_FOUND');
    await rejects(app.call('drill:start', { scenarioId: 'no-such-scenario', participant: 'x' }), 'NOT_FOUND');
    await rejects(app.call('drill:start', { scenarioId: CANARY, participant: '  ' }), 'VALIDATION');
  });
});

describe('game-master drill', () => {
  it('hides unreleased cards and answers from the responder, shows requests to the GM, and bumps the revision', async () => {
    const { app, clock } = setup();
    const gmStart = await app.call('drill:start', { scenarioId: CANARY, mode: 'gm', participant: 'dana' });
    expect(gmStart.view).toBe('gm');
    expect(gmStart.answers?.expected.failureClass).toBe('validation');
    expect(gmStart.answers?.phaseBudgetsMinutes).toMatchObject({ acknowledge: 2, assess: 5, investigate: 15, mitigate: 30 });
    expect(gmStart.cards.find((c) => c.id === 'android-release')).toMatchObject({ status: 'hidden', relevant: false, gmNote: expect.stringContaining('Red herring') });
    expect(gmStart.checks.find((c) => c.id === 'canary-routing-config')!.reveals).toEqual(['routing-pair']);
    const drillId = gmStart.drillId;

    const r0 = await get(app, drillId);
    expect(r0.answers).toBeUndefined();
    const hidden = r0.cards.find((c) => c.id === 'routing-pair')!;
    expect(hidden).toEqual({ id: 'routing-pair', kind: 'artifact-pair', title: hidden.title, revealCost: 30, status: 'hidden', initiallyVisible: false, requestedAt: null, releasedAt: null, releasedBy: null });
    const text = JSON.stringify(r0);
    expect(text).not.toContain('gmNote');
    expect(text).not.toContain('"relevant"');
    expect(text).not.toContain('rootCause');
    expect(text).not.toContain('reveals');
    expect(text).not.toContain('"tempting"');

    // Nothing changed: a poll with the current revision is cheap.
    expect(await app.call('drill:get', { drillId, sinceRevision: r0.revision })).toEqual({ unchanged: true, drillId, revision: r0.revision });

    clock.advance(MIN);
    const r1 = await app.call('drill:requestCard', { drillId, cardId: 'routing-pair' });
    expect(r1.revision).toBeGreaterThan(r0.revision);
    expect(r1.cards.find((c) => c.id === 'routing-pair')).toMatchObject({ status: 'requested', requestedAt: '2026-11-22T03:01:00.000Z' });
    expect(r1.cards.find((c) => c.id === 'routing-pair')!.body).toBeUndefined();
    const gm1 = await get(app, drillId, 'gm');
    expect(gm1.pending).toEqual([{ cardId: 'routing-pair', title: hidden.title, requestedAt: '2026-11-22T03:01:00.000Z' }]);
    const polled = await app.call('drill:get', { drillId, sinceRevision: r0.revision });
    expect(polled.unchanged).toBeFalsy();

    clock.advance(MIN);
    const g2 = await app.call('drill:releaseCard', { drillId, cardId: 'routing-pair' });
    expect(g2.view).toBe('gm');
    expect(g2.pending).toEqual([]);
    const r2 = await get(app, drillId);
    expect(r2.revision).toBeGreaterThan(r1.revision);
    const released = r2.cards.find((c) => c.id === 'routing-pair')!;
    expect(released).toMatchObject({ status: 'released', releasedBy: 'gm', releasedAt: '2026-11-22T03:02:00.000Z' });
    expect(released.before?.content).toContain('stratify_by');
    expect(released.artifacts).toBeDefined();
    expect(released.relevant).toBeUndefined();

    // The GM may release a card nobody asked for.
    await app.call('drill:releaseCard', { drillId, cardId: 'offline-eval' });
    expect((await get(app, drillId)).cards.find((c) => c.id === 'offline-eval')).toMatchObject({ status: 'released', requestedAt: null });

    // A change made through the incident calls (another service) bumps the revision too.
    const before = (await get(app, drillId)).revision;
    await app.call('incident:update', { key: r2.key, patch: { impact: 'CTR down on Android' } });
    expect((await get(app, drillId)).revision).toBeGreaterThan(before);

    const timeline = (await app.call('incident:get', { key: r2.key })).timeline.map((e) => e.body);
    expect(timeline.some((b) => b.startsWith('Requested evidence card') && b.includes('[routing-pair]'))).toBe(true);
    expect(timeline.some((b) => b.startsWith('The game master released') && b.includes('[offline-eval] (not requested)'))).toBe(true);
  });
});

describe('drills and real-incident metrics', () => {
  it('keeps drills out of incident:list unless asked for', async () => {
    const { app } = setup();
    await app.call('incident:create', { title: 'Real one', severity: 'SEV2', failureClass: 'data' });
    await app.call('drill:start', { scenarioId: CANARY, participant: 'erin' });
    expect((await app.call('incident:list', {})).items.map((i) => i.title)).toEqual(['Real one']);
    expect((await app.call('incident:list', { phase: 'open' })).items.map((i) => i.isDrill)).toEqual([false]);
    const all = await app.call('incident:list', { includeDrills: true });
    expect(all.items.map((i) => i.isDrill).sort()).toEqual([false, true]);
  });
});

describe('drill:history', () => {
  it('lists a participant’s drills with scores and a trend', async () => {
    const { app, clock } = setup();
    // 1: finish at once (low); 2: classify and order; 3: the perfect run.
    const d1 = await app.call('drill:start', { scenarioId: CANARY, participant: 'Alice' });
    clock.advance(10 * MIN);
    await app.call('drill:finish', { drillId: d1.drillId });
    const d2 = await app.call('drill:start', { scenarioId: CANARY, participant: 'alice' });
    await app.call('drill:classify', { drillId: d2.drillId, failureClass: 'deployment', rootCauseOrigin: 'config' });
    await app.call('drill:orderChecks', { drillId: d2.drillId, checkIds: ['canary-routing-config', 'val-deployed-is-validated', 'cohort-composition', 'val-per-segment'] });
    clock.advance(10 * MIN);
    await app.call('drill:finish', { drillId: d2.drillId });
    clock.advance(MIN);
    await perfectCanary(app, clock, 'alice');
    await app.call('drill:start', { scenarioId: CANARY, participant: 'bob' });

    const h = await app.call('drill:history', { participant: 'ALICE' });
    expect(h.drills).toHaveLength(3);
    expect(h.drills.map((d) => d.drillId)).toEqual([3, 2, 1]);
    const scores = h.drills.map((d) => d.score!).reverse();
    expect(scores[0]).toBeLessThan(scores[1]);
    expect(scores[2]).toBe(100);
    expect(h.trend).toMatchObject({ drills: 3, direction: 'improving' });
    expect(h.trend.slope!).toBeGreaterThan(1);
    expect(h.drills[0]).toMatchObject({ scenarioId: CANARY, scenarioTitle: expect.stringContaining('Canary'), key: expect.stringMatching(/^INC-/) });
    expect(h.drills[0].parts!.map((p) => p.id)).toEqual(['classification', 'checkOrder', 'actions', 'time', 'evidence']);
    expect(h.participants.map((p) => p.toLowerCase())).toEqual(['alice', 'bob']);
    const everyone = await app.call('drill:history', {});
    expect(everyone.drills).toHaveLength(4);
    expect(everyone.drills[0]).toMatchObject({ participant: 'bob', score: null, finishedAt: null });
  });
});

describe('scenario from a past incident', () => {
  async function resolvedIncident(app: App, clock: ManualClock) {
    const inc = await app.call('incident:create', { title: 'Churn model scores collapse after feature pipeline release', severity: 'SEV2', failureClass: 'data', service: 'churn-scoring' });
    const key = inc.key;
    await app.call('incident:setRole', { key, role: 'incident_commander', person: 'sam' });
    await app.call('incident:update', { key, patch: { impact: 'Churn scores near 0 for all users\nRetention campaign targeting nobody' } });
    clock.advance(MIN);
    await app.call('timeline:add', { key, kind: 'evidence', body: '2026-11-22T03:01:00Z scorer WARN mean(score)=0.01 (baseline 0.18)' });
    await app.call('timeline:add', { key, kind: 'note', body: 'Feature pipeline v3.2 released at 02:40' });
    await app.call('timeline:add', { key, kind: 'action', body: 'Rolled back the feature pipeline to v3.1' });
    await app.call('artifact:addText', { key, role: 'last-known-good', name: 'requirements.txt', text: 'numpy==1.26.4\npandas==2.1.4\nscikit-learn==1.3.2\n' });
    await app.call('artifact:addText', { key, role: 'failing', name: 'requirements.txt', text: 'numpy==2.0.2\npandas==2.2.3\nscikit-learn==1.3.2\n' });
    await app.call('artifact:addText', { key, role: 'other', name: 'scorer.log', kind: 'log', text: '2026-11-22T03:01:00Z WARN score mean collapsed\n' });
    await app.call('incident:update', { key, patch: { hypothesis: 'numpy 2 changed dtype handling', mitigation: 'Roll back the feature pipeline image to v3.1 by digest', mitigationVerified: true, resolution: 'Pinned numpy<2', summary: 'numpy 2 upgrade', lessons: '- Pin numeric libraries\n- Check prediction mean after each release' } });
    for (let i = 0; i < 5; i++) await app.call('incident:advance', { key, reason: 'test' });
    expect((await app.call('incident:get', { key })).phase).toBe('review');
    return key;
  }

  it('builds, validates, stores, lists, exports and runs a scenario from a resolved incident', async () => {
    const { app, clock } = setup();
    const key = await resolvedIncident(app, clock);
    const expected = { failureClass: 'packaging' as const, rootCauseOrigin: 'dependency' as const, rootCause: 'The feature pipeline image resolved numpy 2.0 from a loose pin.' };

    const dry = await app.call('scenario:fromIncident', { key, expected, dryRun: true });
    expect(dry).toMatchObject({ saved: false, valid: true, issues: [], path: `drills/${dry.scenarioId}.json` });
    expect(dry.scenarioId).toBe('churn-model-scores-collapse-after-feature-inc-0001');
    expect(dry.cardSources.map((c) => c.from)).toEqual(['timeline', 'timeline', 'artifact-pair', 'artifact']);
    const pairCard = dry.scenario.evidence.find((c) => c.kind === 'artifact-pair')!;
    expect(pairCard.kind === 'artifact-pair' && pairCard.after.content).toContain('numpy==2.0.2');
    // Actions and decisions are answers, not evidence.
    expect(dry.content).not.toContain('Rolled back the feature pipeline to v3.1');
    expect(dry.scenario.evidence[0].initiallyVisible).toBe(true);
    expect(dry.scenario.actions.find((a) => a.correct)!.title).toContain('Roll back the feature pipeline image');
    expect(dry.scenario.debriefPoints).toEqual(['Pin numeric libraries', 'Check prediction mean after each release']);
    expect((await app.call('drill:scenarios', {})).some((s) => s.id === dry.scenarioId)).toBe(false);

    const saved = await app.call('scenario:fromIncident', {
      key,
      id: 'churn-numpy-2',
      expected: { ...expected, acceptableClasses: ['data'] },
      difficulty: 'intro',
      cards: [{ id: dry.cardSources[1].cardId, relevant: false, gmNote: 'Timing coincidence only' }],
    });
    expect(saved).toMatchObject({ saved: true, valid: true, scenarioId: 'churn-numpy-2', path: 'drills/churn-numpy-2.json' });
    // The content file round-trips through the scenario schema (id = file name).
    const parsed = parseScenario(saved.content, 'churn-numpy-2.json');
    expect(parsed).toEqual(scenarioSchema.parse(JSON.parse(saved.content)));
    expect(parsed.evidence.find((c) => c.id === dry.cardSources[1].cardId)).toMatchObject({ relevant: false, gmNote: 'Timing coincidence only' });

    const list = await app.call('drill:scenarios', {});
    expect(list.find((s) => s.id === 'churn-numpy-2')).toMatchObject({ custom: true, failureClass: 'packaging', difficulty: 'intro', evidenceCards: 4 });
    expect(await app.call('scenario:export', { scenarioId: 'churn-numpy-2' })).toEqual({ scenarioId: 'churn-numpy-2', path: 'drills/churn-numpy-2.json', content: saved.content });
    expect((await app.call('scenario:export', { scenarioId: CANARY })).path).toBe(`drills/${CANARY}.json`);

    // A drill runs on it.
    const st = await app.call('drill:start', { scenarioId: 'churn-numpy-2', participant: 'sam' });
    expect(st.scenario).toMatchObject({ id: 'churn-numpy-2', custom: true });
    expect(st.cards.filter((c) => c.status === 'released')).toHaveLength(1);

    // Saving the same id again needs overwrite, and bumps the version.
    await rejects(app.call('scenario:fromIncident', { key, id: 'churn-numpy-2', expected }), 'VALIDATION');
    const again = await app.call('scenario:fromIncident', { key, id: 'churn-numpy-2', expected, overwrite: true });
    expect(again.scenario.version).toBe(2);
    // Library ids are taken.
    const dup = await app.call('scenario:fromIncident', { key, id: CANARY, expected, dryRun: true });
    expect(dup.valid).toBe(false);
    expect(dup.issues[0]).toMatchObject({ path: 'id' });
  });

  it('refuses unresolved incidents and drills, and reports schema problems with field paths', async () => {
    const { app, clock } = setup();
    const open = await app.call('incident:create', { title: 'Still burning', severity: 'SEV1', failureClass: 'serving' });
    const expected = { failureClass: 'serving' as const, rootCauseOrigin: 'infrastructure' as const, rootCause: 'x' };
    await rejects(app.call('scenario:fromIncident', { key: open.key, expected }), 'CONFLICT');
    const drill = await app.call('drill:start', { scenarioId: CANARY, participant: 'x' });
    await rejects(app.call('scenario:fromIncident', { key: drill.key, expected }), 'CONFLICT');

    const key = await resolvedIncident(app, clock);
    const bad = await app.call('scenario:fromIncident', { key, expected, idealCheckOrder: ['a', 'b'], cards: [{ id: 'nope', relevant: false }], dryRun: true });
    expect(bad.valid).toBe(false);
    expect(bad.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['cards[0].id', 'idealCheckOrder[0]']));
    const e = await rejects(app.call('scenario:fromIncident', { key, expected, idealCheckOrder: ['a', 'b'] }), 'VALIDATION');
    expect(e.details?.issues?.[0].field).toBe('idealCheckOrder[0]');
  });
});

describe('responder view does not leak the ideal order', () => {
  it('lists checks sorted by title, not in the scenario file (ideal) order', async () => {
    const { tempApp } = await import('./helpers');
    const env = tempApp();
    try {
      const st = await env.app.call('drill:start', { scenarioId: 'canary-contamination-non-stratified', mode: 'solo', participant: 'ana' });
      const titles = st.checks.map((c) => c.title);
      expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b)));
      const { scenarioById } = await import('../../shared/scenarios');
      const ideal = scenarioById('canary-contamination-non-stratified')!.idealCheckOrder;
      expect(st.checks.map((c) => c.id)).not.toEqual(ideal);
    } finally {
      env.cleanup();
    }
  });
});
