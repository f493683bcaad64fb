// Issue 11, server side: a closed incident is read-only until reopened (with a reason on the timeline),
// saving the same diff change twice gives one record, the list says which gates were passed early, a
// drill's Assess gate waits for the responder's classification, and an early pass earns no time credit.
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../main/app';
import { changeSourceKey } from '../../shared/artifacts';
import { clockedApp, rejects, type ManualClock } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const setup = () => clockedApp(cleanups);
const MIN = 60_000;
const fraud = { title: 'Fraud model accuracy dropped', severity: 'SEV2', failureClass: 'data', service: 'fraud-api', impact: 'recall down' } as const;


/** Create and walk an incident to closed, every gate passed early. */
async function closedIncident(app: App): Promise<string> {
  const inc = await app.call('incident:create', fraud);
  for (let i = 0; i < 6; i++) await app.call('incident:advance', { key: inc.key, reason: `moving on ${i}` });
  return inc.key;
}

describe('closed incidents', () => {
  it('refuse every write until reopened with a reason, which goes on the timeline', async () => {
    const { app, clock } = setup();
    const key = await closedIncident(app);
    const before = await app.call('incident:get', { key });
    expect(before.phase).toBe('closed');
    const writes: [string, unknown][] = [
      ['incident:update', { key, patch: { impact: 'x' } }],
      ['incident:setRole', { key, role: 'scribe', person: 'bob' }],
      ['incident:check', { key, phase: 'review', itemId: 'owners-dates', checked: true }],
      ['timeline:add', { key, kind: 'note', body: 'late note' }],
      ['artifact:addText', { key, role: 'other', name: 'a.txt', text: 'hello' }],
      ['finding:create', { key, title: 'f', failureClass: 'data' }],
      ['action:create', { key, title: 'a', type: 'detective' }],
      ['doc:save', { key, kind: 'postmortem', content: '# x' }],
      ['incident:advance', { key, reason: 'again' }],
    ];
    for (const [channel, input] of writes) {
      const r = await app.dispatch(channel, input);
      expect(r.ok, channel).toBe(false);
      if (!r.ok) {
        expect(r.error.code, channel).toBe('CONFLICT');
        expect(r.error.message, channel).toMatch(/closed/);
      }
    }
    expect(await app.call('incident:get', { key })).toEqual(before);
    // Reading and exporting stay possible.
    expect((await app.dispatch('bundle:export', { key })).ok).toBe(true);
    expect(app.validateUpload({ key, role: 'other', name: 'x.txt' })?.code).toBe('CONFLICT');

    // A reason is required; then it is back in review and writable, and the timeline says why.
    await rejects(app.call('incident:reopen', { key, reason: ' ' }), 'VALIDATION');
    clock.advance(5 * MIN);
    const back = await app.call('incident:reopen', { key, reason: 'customer reports the issue is back' });
    expect(back.phase).toBe('review');
    expect(back.closedAt).toBeNull();
    expect(back.phases.find((p) => p.phase === 'review')).toMatchObject({ exitedAt: null, earlyReason: null, enteredAt: clock.now().toISOString() });
    expect(back.timeline.at(-1)).toMatchObject({ kind: 'phase_change', body: 'Incident reopened (back to Review). Reason: customer reports the issue is back' });
    await app.call('timeline:add', { key, kind: 'note', body: 'late note' });
    // Only a closed incident can be reopened.
    await rejects(app.call('incident:reopen', { key, reason: 'again' }), 'CONFLICT');
  });
});

describe('idempotent saves from a diff change', () => {
  it('gives the first finding and the first timeline entry back for the same source key', async () => {
    const { app } = setup();
    const inc = await app.call('incident:create', fraud);
    const key = inc.key;
    const sourceKey = 'diff:1-2:column.removed:Fare';
    const f1 = await app.call('finding:create', { key, title: 'Fare removed', failureClass: 'data', sourceKey });
    const f2 = await app.call('finding:create', { key, title: 'Fare removed', failureClass: 'data', sourceKey });
    expect(f2.id).toBe(f1.id);
    expect(f1.sourceKey).toBe(sourceKey);
    expect(await app.call('finding:list', { key })).toHaveLength(1);
    // A different change is a different finding.
    await app.call('finding:create', { key, title: 'Age nulls', failureClass: 'data', sourceKey: 'diff:1-2:nulls.rate:Age' });
    expect(await app.call('finding:list', { key })).toHaveLength(2);

    const e1 = await app.call('timeline:add', { key, kind: 'evidence', body: 'Fare removed', sourceKey });
    const e2 = await app.call('timeline:add', { key, kind: 'evidence', body: 'Fare removed', sourceKey });
    expect(e2.id).toBe(e1.id);
    const evidence = (await app.call('incident:get', { key })).timeline.filter((e) => e.kind === 'evidence');
    expect(evidence).toHaveLength(1);
    expect(evidence[0].sourceKey).toBe(sourceKey);

    // Deleted, then sent again: a new live entry; restoring the deleted one does not make a second.
    await app.call('timeline:delete', { key, id: e1.id });
    const e3 = await app.call('timeline:add', { key, kind: 'evidence', body: 'Fare removed', sourceKey });
    expect(e3.id).not.toBe(e1.id);
    const restored = await app.call('timeline:restore', { key, id: e1.id });
    expect(restored.id).toBe(e3.id);
    expect((await app.call('incident:get', { key })).timeline.filter((e) => e.sourceKey === sourceKey)).toHaveLength(1);
  });
});

describe('suggest from diffs and save from the diff name changes alike', () => {
  it('a change suggested and accepted is the finding "Save as finding" gives back', async () => {
    const { app } = setup();
    const { key } = await app.call('incident:create', fraud);
    const b = await app.call('artifact:addText', { key, role: 'last-known-good', name: 'requirements-good.txt', text: 'numpy==1.24.4\npandas==1.5.3\n' });
    const a = await app.call('artifact:addText', { key, role: 'failing', name: 'requirements-bad.txt', text: 'numpy==2.0.2\npandas==2.2.3\n' });
    const accepted = await app.call('finding:suggest', { key, accept: true });
    expect(accepted.length).toBeGreaterThanOrEqual(2);
    const view = await app.call('artifact:diff', { key, beforeId: b.id, afterId: a.id });
    const numpy = view.changes.find((c) => c.subject === 'numpy')!;
    const again = await app.call('finding:create', { key, title: numpy.message, failureClass: 'packaging', sourceKey: changeSourceKey(b.id, a.id, numpy) });
    expect(accepted.map((f) => f.id)).toContain(again.id);
    expect(await app.call('finding:list', { key })).toHaveLength(accepted.length);
    // And suggesting again offers nothing new.
    expect(await app.call('finding:suggest', { key })).toEqual([]);
  });
});

describe('honest state in the list', () => {
  it('names the gates passed early and an unverified mitigation', async () => {
    const { app } = setup();
    const inc = await app.call('incident:create', fraud);
    await app.call('incident:setRole', { key: inc.key, role: 'incident_commander', person: 'alice' });
    await app.call('incident:advance', { key: inc.key }); // acknowledge: met
    await app.call('incident:advance', { key: inc.key }); // assess: met
    await app.call('incident:advance', { key: inc.key, reason: 'no time' }); // investigate: early
    let [row] = (await app.call('incident:list', {})).items;
    expect(row.earlyPhases).toEqual(['investigate']);
    expect(row.mitigationUnverified).toBe(false);
    await app.call('incident:advance', { key: inc.key, reason: 'rollback not possible' }); // mitigate: early
    [row] = (await app.call('incident:list', {})).items;
    expect(row.earlyPhases).toEqual(['investigate', 'mitigate']);
    expect(row.mitigationUnverified).toBe(true);
    const got = await app.call('incident:get', { key: inc.key });
    expect(got.earlyPhases).toEqual(['investigate', 'mitigate']);
  });
});

describe('drills', () => {
  it('Assess waits for the responder to classify; early passes earn no time credit', async () => {
    const { app, clock } = setup();
    const st = await app.call('drill:start', { scenarioId: 'canary-contamination-non-stratified', mode: 'solo', participant: 'alice' });
    const key = st.key;
    await app.call('incident:advance', { key, reason: 'drill: moving on' }); // acknowledge
    let inc = await app.call('incident:get', { key });
    expect(inc.phase).toBe('assess');
    expect(inc.classUnconfirmed).toBe(true);
    await rejects(app.call('incident:advance', { key }), 'GATE');
    await app.call('drill:classify', { drillId: st.drillId, failureClass: 'deployment', rootCauseOrigin: 'config' });
    inc = await app.call('incident:get', { key });
    expect(inc.classUnconfirmed).toBe(false);
    await app.call('incident:advance', { key }); // assess: met now
    clock.advance(MIN);
    await app.call('incident:advance', { key, reason: 'drill: moving on' }); // investigate early
    await app.call('incident:advance', { key, reason: 'drill: moving on' }); // mitigate early
    const done = await app.call('drill:finish', { drillId: st.drillId });
    const time = done.score!.parts.find((p) => p.id === 'time')!;
    // Acknowledge, investigate and mitigate were passed early (0 each); assess was met in budget (1): 15 × 1/4.
    expect(time.points).toBe(3.8);
    expect(time.explanation).toContain('acknowledge gate passed early without its evidence ("drill: moving on", no credit)');
    expect(time.explanation).toMatch(/^Within budget with the gate met in 1 of 4 timed phases/);
  });
});
