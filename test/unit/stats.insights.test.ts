// Analytics against hand-computed figures, the follow-up backlog, and the paged incident list.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, tempApp } from './helpers';
import type { App } from '../../main/app';
import { main } from '../../main/cli/index';
import { figure, quantile } from '../../shared/analytics';
import { IncidentListService } from '../../main/services/incidentList';

let env: ReturnType<typeof tempApp>;
afterEach(() => env?.cleanup());
const MIN = 60_000;

interface Spec {
  title: string;
  severity: 'SEV1' | 'SEV2' | 'SEV3';
  failureClass: 'data' | 'serving' | 'training';
  service: string;
  origin: 'data' | 'config' | null;
  detectedAt: string;
  /** Minutes of impact before detection (null: unknown). */
  ttd: number | null;
  /** Minutes after detection at which acknowledge, mitigate and resolve were left (null: not yet). */
  tta: number;
  ttm: number | null;
  ttr: number | null;
  /** false: the mitigate gate is passed early, the mitigation never verified. */
  verified?: boolean;
}

/** Walk one incident through the real phase machine at the given minutes. */
async function run(app: App, clock: ManualClock, s: Spec): Promise<string> {
  const t0 = Date.parse(s.detectedAt);
  clock.t = t0;
  const at = (m: number) => (clock.t = t0 + m * MIN);
  const inc = await app.call('incident:create', {
    title: s.title, severity: s.severity, failureClass: s.failureClass, service: s.service, detectedAt: s.detectedAt,
    ...(s.ttd !== null ? { startedAt: new Date(t0 - s.ttd * MIN).toISOString() } : {}),
  });
  const k = inc.key;
  await app.call('incident:setRole', { key: k, role: 'incident_commander', person: 'ana' });
  await app.call('incident:update', { key: k, patch: { impact: 'scores wrong', ...(s.origin ? { rootCauseOrigin: s.origin } : {}) } });
  at(s.tta);
  await app.call('incident:advance', { key: k }); // → assess
  await app.call('incident:advance', { key: k }); // → investigate
  if (s.ttm === null) return k;
  await app.call('incident:update', { key: k, patch: { hypothesis: 'upstream change' } });
  await app.call('timeline:add', { key: k, kind: 'evidence', body: 'diff attached' });
  await app.call('incident:advance', { key: k }); // → mitigate
  await app.call('incident:update', { key: k, patch: { mitigation: 'rolled back', ...(s.verified === false ? {} : { mitigationVerified: true }) } });
  at(s.ttm);
  await app.call('incident:advance', { key: k, ...(s.verified === false ? { reason: 'pager storm, verify later' } : {}) }); // → resolve
  if (s.ttr === null) return k;
  await app.call('incident:update', { key: k, patch: { resolution: 'pinned' } });
  at(s.ttr);
  await app.call('incident:advance', { key: k }); // → review
  return k;
}

const FIXTURE: Spec[] = [
  { title: 'A', severity: 'SEV1', failureClass: 'data', service: 'scoring', origin: 'data', detectedAt: '2026-01-05T10:00:00.000Z', ttd: 10, tta: 3, ttm: 40, ttr: 100 },
  { title: 'B', severity: 'SEV2', failureClass: 'data', service: 'scoring', origin: 'data', detectedAt: '2026-01-20T00:00:00.000Z', ttd: 12, tta: 5, ttm: 20, ttr: 50 },
  { title: 'C', severity: 'SEV2', failureClass: 'serving', service: 'ranking', origin: 'config', detectedAt: '2026-02-03T08:00:00.000Z', ttd: null, tta: 1, ttm: 10, ttr: 25, verified: false },
  { title: 'D', severity: 'SEV3', failureClass: 'training', service: 'ranking', origin: null, detectedAt: '2026-02-10T12:00:00.000Z', ttd: 14, tta: 8, ttm: null, ttr: null },
];

describe('stats:summary', () => {
  it('matches hand-computed medians and p90s, keeps drills and unverified mitigations out of the claims', async () => {
    const clock = new ManualClock();
    env = tempApp(clock);
    const app = env.app;
    for (const s of FIXTURE) await run(app, clock, s);
    // A drill acknowledged in 30 s and finished: it must not move MTTA, and shows up as a drill result.
    clock.t = Date.parse('2026-01-07T09:00:00.000Z');
    const drill = await app.call('drill:start', { scenarioId: 'canary-contamination-non-stratified', participant: 'ana' });
    await app.call('incident:setRole', { key: drill.key, role: 'incident_commander', person: 'ana' });
    clock.t += 30_000;
    await app.call('incident:advance', { key: drill.key, reason: 'drill' });
    await app.call('drill:finish', { drillId: drill.drillId });

    // The list's counts follow the phase machine (kept by triggers): A, B, C in review, D investigating.
    const counts = (await app.call('incident:list', { counts: true })).counts!;
    expect(counts.phase).toMatchObject({ acknowledge: 0, investigate: 1, review: 3 });
    expect([counts.open, counts.drills]).toEqual([4, 1]);

    const s = await app.call('stats:summary', {});
    expect(s.incidents).toBe(4);
    expect(s.drillsExcluded).toBe(1);
    const m = (x: number) => Math.round(x * MIN);
    // MTTA over A3 B5 C1 D8 → [1,3,5,8]: median (3+5)/2 = 4, p90 = 5 + 0.7·3 = 7.1.
    expect(s.overall.mtta).toEqual({ n: 4, medianMs: m(4), p90Ms: m(7.1) });
    // MTTD over A10 B12 D14 (C has no start of impact): median 12, p90 = 12 + 0.8·2 = 13.6.
    expect(s.overall.mttd).toEqual({ n: 3, medianMs: m(12), p90Ms: m(13.6) });
    // MTTM / MTTR over the verified A and B only: [20,40] → 30, 38; [50,100] → 75, 95.
    expect(s.overall.mttm).toEqual({ n: 2, medianMs: m(30), p90Ms: m(38) });
    expect(s.overall.mttr).toEqual({ n: 2, medianMs: m(75), p90Ms: m(95) });
    expect(s.overall.unverified).toEqual({ n: 1, mttm: { n: 1, medianMs: m(10), p90Ms: m(10) }, mttr: { n: 1, medianMs: m(25), p90Ms: m(25) } });
    // Seed 002: MTTD 12 min is Mature (< 15), MTTR 75 min only Basic (< 240): Basic. With C's unverified
    // 25 min counted, MTTR would be 50 min — Mature — which is exactly the claim it must not make.
    expect(s.overall.tier).toEqual({ mttd: 'Mature', mttr: 'Basic', overall: 'Basic' });

    expect(s.byMonth.map((g) => [g.group, g.incidents, g.mtta.medianMs])).toEqual([['2026-01', 2, m(4)], ['2026-02', 2, m(4.5)]]);
    expect(s.bySeverity.map((g) => [g.group, g.incidents])).toEqual([['SEV1', 1], ['SEV2', 2], ['SEV3', 1]]);
    expect(s.byService.map((g) => [g.group, g.mttr.n, g.unverified.n])).toEqual([['ranking', 0, 1], ['scoring', 2, 0]]);
    expect(s.byClass.find((g) => g.group === 'data')!.mttm.medianMs).toBe(m(30));
    expect(s.classMix).toEqual([{ group: 'data', n: 2, share: 0.5 }, { group: 'training', n: 1, share: 0.25 }, { group: 'serving', n: 1, share: 0.25 }]);
    expect(s.originMix).toEqual([{ group: 'data', n: 2, share: 0.5 }, { group: 'config', n: 1, share: 0.25 }, { group: 'unclassified', n: 1, share: 0.25 }]);
    expect(s.drills.byMonth).toEqual([{ month: '2026-01', drills: 1, finished: 1, averageScore: expect.any(Number), medianScore: expect.any(Number) }]);

    const feb = await app.call('stats:summary', { since: '2026-02-01T00:00:00Z' });
    expect([feb.incidents, feb.overall.mtta.medianMs]).toEqual([2, m(4.5)]);

    const csv = await app.call('stats:csv', {});
    expect(csv.filename).toMatch(/^pmw-stats-all_to_\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = csv.content.trim().split('\n');
    expect(lines[0]).toBe('section,group,metric,n,median,p90,unit,note');
    expect(lines).toContain('overall,all,MTTR,2,75,95,minutes,verified mitigations only');
    expect(lines).toContain('overall,all,MTTR (unverified),1,25,25,minutes,not in tier claims');
    expect(lines).toContain('overall,all,tier,,,,tier,Basic');

    // pmw stats --json and --csv print the same figures.
    let out = '';
    const io = { out: (x: string) => void (out += x), err: () => {} };
    expect(await main(['stats', '--json', '--db', env.dbPath], io)).toBe(0);
    expect(JSON.parse(out).overall.mttr).toEqual(s.overall.mttr);
    out = '';
    expect(await main(['stats', '--csv', '--db', env.dbPath], io)).toBe(0);
    expect(out).toBe(csv.content);
  });
});

describe('figure', () => {
  it('gives the same median and p90 as sorting, with many equal durations', () => {
    let x = 7;
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const v = Array.from({ length: n }, () => ((x = (x * 48271) % 2147483647) % 40) * 60_000);
      const sorted = [...v].sort((a, b) => a - b);
      expect(figure(v)).toEqual({ n, medianMs: Math.round(quantile(sorted, 0.5)!), p90Ms: Math.round(quantile(sorted, 0.9)!) });
    }
  });
});

describe('action:backlog', () => {
  it('lists items across incidents with overdue ones first, by owner and type', async () => {
    const clock = new ManualClock(Date.parse('2026-03-10T09:00:00Z'));
    env = tempApp(clock);
    const app = env.app;
    const a = await app.call('incident:create', { title: 'Feature lag', severity: 'SEV2', failureClass: 'data' });
    const b = await app.call('incident:create', { title: 'OOM on serving', severity: 'SEV1', failureClass: 'serving' });
    await app.call('action:create', { key: a.key, title: 'Alert on freshness', type: 'detective', owner: 'Ana', dueDate: '2026-03-01' });
    await app.call('action:create', { key: b.key, title: 'Memory limits in chart', type: 'preventative', owner: 'ana', dueDate: '2026-03-20' });
    await app.call('action:create', { key: b.key, title: 'Postmortem review', type: 'corrective', owner: '', dueDate: '2026-02-01', status: 'done' });
    await app.call('action:create', { key: b.key, title: 'Load test', type: 'preventative', owner: 'raj', dueDate: '2026-03-09' });
    const drill = await app.call('incident:create', { title: 'rehearsal', severity: 'SEV3', failureClass: 'data', isDrill: true });
    await app.call('action:create', { key: drill.key, title: 'drill follow-up', type: 'detective', dueDate: '2026-01-01' });

    const all = await app.call('action:backlog', {});
    expect(all.today).toBe('2026-03-10');
    expect(all.items.map((i) => [i.title, i.overdue, i.daysOverdue])).toEqual([
      ['Alert on freshness', true, 9],
      ['Load test', true, 1],
      ['Memory limits in chart', false, 0],
      ['Postmortem review', false, 0],
    ]);
    expect(all.counts).toMatchObject({ open: 3, overdue: 2, unowned: 0 });
    expect(all.counts.byOwner).toEqual([{ owner: 'Ana', open: 2, overdue: 1 }, { owner: 'raj', open: 1, overdue: 1 }]);
    expect(all.counts.byType.preventative).toEqual({ open: 2, overdue: 1 });
    expect((await app.call('action:backlog', { overdue: true })).items.map((i) => i.key)).toEqual([a.key, b.key]);
    expect((await app.call('action:backlog', { open: true, owner: 'ANA' })).items.map((i) => i.title)).toEqual(['Alert on freshness', 'Memory limits in chart']);

    // The incident list shows the overdue count per incident and overall.
    const page = await app.call('incident:list', { counts: true });
    expect(page.items.map((i) => [i.key, i.overdueActions, i.openActions])).toEqual([[b.key, 1, 2], [a.key, 1, 1]]);
    expect(page.counts?.overdueActions).toBe(2);

    // The CLI judges overdue against the real date: a JSON array of the not-done items due before it.
    let out = '';
    expect(await main(['action', 'list', '--overdue', '--json', '--db', env.dbPath], { out: (x) => void (out += x), err: () => {} })).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const expected = all.items.filter((i) => i.status !== 'done' && i.dueDate! < today).map((i) => i.title);
    expect(JSON.parse(out).map((i: { title: string; overdue: boolean }) => [i.title, i.overdue])).toEqual(expected.map((t) => [t, true]));
  });
});

describe('incident:list paging', () => {
  it('pages with a cursor through every sort without gaps or repeats, with totals and counts', async () => {
    const clock = new ManualClock();
    env = tempApp(clock);
    const app = env.app;
    const sev = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
    const cls = ['data', 'serving', 'training'] as const;
    for (let i = 0; i < 23; i++) {
      clock.advance(MIN);
      await app.call('incident:create', { title: `Incident ${i}`, severity: sev[i % 4], failureClass: cls[i % 3], service: i % 2 ? 'scoring' : 'ranking' });
    }
    // Same updated_at for several rows: the seq tie-break must keep pages exact.
    clock.advance(MIN);
    for (const k of ['INC-0003', 'INC-0007', 'INC-0011']) await app.call('incident:update', { key: k, patch: { impact: 'touched' } });
    await app.call('incident:create', { title: 'Drill', severity: 'SEV1', failureClass: 'data', isDrill: true });

    const all = async (input: Record<string, unknown>) => {
      const keys: string[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < 20; n++) {
        const p = await app.call('incident:list', { ...input, limit: 5, cursor });
        expect(p.items.length).toBeLessThanOrEqual(5);
        keys.push(...p.items.map((i) => i.key));
        if (!p.nextCursor) return { keys, total: p.total };
        cursor = p.nextCursor;
      }
      throw new Error('no last page');
    };
    for (const sort of ['updated', 'created', 'severity', 'key'] as const) {
      const { keys, total } = await all({ sort });
      const unpaged = (await app.call('incident:list', { sort, limit: 500 })).items.map((i) => i.key);
      expect(keys, sort).toEqual(unpaged);
      expect(new Set(keys).size).toBe(23);
      expect(total).toBe(23);
    }
    const bySev = (await app.call('incident:list', { sort: 'severity', limit: 500 })).items;
    expect(bySev.map((i) => i.severity)).toEqual([...bySev.map((i) => i.severity)].sort());
    expect((await app.call('incident:list', { sort: 'updated', limit: 3 })).items.map((i) => i.key)).toEqual(['INC-0011', 'INC-0007', 'INC-0003']);

    // Default page: at most 100 rows.
    expect((await app.call('incident:list', {})).items).toHaveLength(23);
    const filtered = await all({ failureClass: 'data', service: 'scoring' });
    expect(filtered.keys.length).toBe(filtered.total);
    expect(filtered.total).toBe(4); // i ≡ 0 mod 3 and odd: 3, 9, 15, 21

    const c = (await app.call('incident:list', { severity: 'SEV1', counts: true })).counts!;
    expect(c.severity).toEqual({ SEV1: 6, SEV2: 6, SEV3: 6, SEV4: 5 }); // the severity facet ignores its own filter
    expect(c.failureClass).toEqual({ data: 2, serving: 2, training: 2, validation: 0, packaging: 0, deployment: 0, live_behaviour: 0 });
    expect(c.phase.acknowledge).toBe(6);
    expect(c.drills).toBe(1);
    const q = (await app.call('incident:list', { query: 'incident', service: 'ranking', counts: true })).counts!;
    expect(q.severity).toEqual({ SEV1: 6, SEV2: 0, SEV3: 6, SEV4: 0 });

    // A text matching more incidents than are looked up at once: checked per incident, same page.
    const small = new IncidentListService(app.db, () => '2026-11-22', 3);
    const common = small.list({ query: 'incident', sort: 'key', limit: 10, includeDrills: false } as never);
    expect(common.items.map((i) => i.key)).toEqual((await app.call('incident:list', { query: 'incident', sort: 'key', limit: 10 })).items.map((i) => i.key));
    expect([common.totalAtLeast, common.total]).toEqual([true, 3]);

    // A large matching set pages by walking the sort's index: the same pages, totals and counts.
    const walking = new IncidentListService(app.db, () => '2026-11-22', 8000, 0);
    for (const input of [{ query: 'incident' }, { query: 'incident', includeDrills: true }, { query: 'incident', sort: 'severity' }, { query: 'incid', service: 'ranking', counts: true }]) {
      const want = await app.call('incident:list', { ...input, limit: 4 } as never);
      const got = walking.list({ includeDrills: false, ...input, limit: 4 } as never);
      expect(got.items.map((i) => i.key), JSON.stringify(input)).toEqual(want.items.map((i) => i.key));
      expect([got.total, got.nextCursor, got.counts]).toEqual([want.total, want.nextCursor, want.counts]);
      expect(got.total).toBe(await app.call('incident:list', { ...input, limit: 500 } as never).then((p) => p.items.length));
    }

    const bad = await app.dispatch('incident:list', { sort: 'key', cursor: 'bm90IGEgY3Vyc29y' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.details?.issues?.[0].field).toBe('cursor');
  });
});
