// Issue 13: timeline import from Slack, PagerDuty, Alertmanager/Grafana and CSV; re-import adds nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zipSync } from 'fflate';
import { main } from '../../main/cli/index';
import { parseTimelineExport, toUtcIso } from '../../shared/timeline-import/index';
import { clockedApp, rejects, tempDir } from './helpers';
import { makeCorpus } from './secrets-corpus';

const FIX = join(__dirname, '..', 'fixtures', 'timeline');
const read = (f: string) => readFileSync(join(FIX, f), 'utf8');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function slackZip(): Uint8Array {
  const root = join(FIX, 'slack-export');
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else files[`slack-export/${relative(root, p)}`] = readFileSync(p);
    }
  };
  walk(root);
  return zipSync(files);
}

async function incident(app: ReturnType<typeof clockedApp>['app']) {
  return app.call('incident:create', { title: 'Fraud model accuracy dropped', severity: 'SEV2', failureClass: 'deployment', detectedAt: '2025-11-22T02:55:00Z' });
}

describe('timeline import parsers', () => {
  it('reads a real-shaped Slack export: users, threads, edits; joins, topic, bots and edit records dropped', () => {
    const r = parseTimelineExport('slack', { bytes: slackZip() }, { fileName: 'export.zip' });
    expect(r.problems).toEqual([]);
    expect(r.events.map((e) => e.author)).toEqual(['alice.m', 'Bob Okafor', 'carol', 'alice.m', 'Bob Okafor']);
    expect(r.skipped).toMatchObject({ 'joins and leaves': 3, 'channel settings': 1, 'bot messages': 1, 'edit records (the message keeps its latest text)': 1 });
    const [ic, reply, confirm, decision, rollback] = r.events;
    expect(ic.occurredAt).toBe('2025-11-22T03:02:00.000Z');
    expect(ic.body).toBe("alice.m (Slack #inc-2231-fraud-model): I'm IC. Accuracy on the fraud model dropped from 95% to 78% since 02:40 UTC @here");
    expect(reply.body).toBe('Bob Okafor (Slack #inc-2231-fraud-model, in thread): Deploy run 8812 (https://ci.example.com/runs/8812) went out at 02:35 & bumped numpy (edited)');
    expect(confirm.body).toContain('@Bob Okafor good catch');
    expect(decision.kind).toBe('decision');
    expect(rollback.kind).toBe('action');
    expect(rollback.body).toContain('[files: accuracy.png]');
    expect(ic.sourceKey).toBe('slack:U02ALICE1:1763780520.000400');
    // One day file alone gives the same keys (users then come from user_profile or the id).
    const day = parseTimelineExport('slack', { text: read('slack-export/inc-2231-fraud-model/2025-11-22.json') });
    expect(day.events.map((e) => e.sourceKey)).toEqual(r.events.map((e) => e.sourceKey));
  });

  it('maps PagerDuty log entries to kinds, drops notifications, converts offsets to UTC', () => {
    const r = parseTimelineExport('pagerduty', { text: read('pagerduty-log-entries.json') });
    expect(r.skipped).toEqual({ 'notification deliveries': 2 });
    expect(r.events.map((e) => [e.occurredAt, e.kind])).toEqual([
      ['2025-11-22T02:54:30.000Z', 'evidence'],
      ['2025-11-22T02:55:10.000Z', 'action'],
      ['2025-11-22T03:02:00.000Z', 'note'],
      ['2025-11-22T03:05:00.000Z', 'comms'],
      ['2025-11-22T03:40:00.000Z', 'action'],
    ]);
    expect(r.events[1].sourceTime).toBe('2025-11-22T03:55:10+01:00');
    expect(r.events[2].body).toBe('Note (PagerDuty, Bob Okafor): numpy upgraded in deploy 8812');
    expect(r.events[0].body).toContain('fraud-model accuracy below 80%');
  });

  it('Alertmanager: one firing and one resolved event per alert, repeats folded; Grafana payloads too', () => {
    const r = parseTimelineExport('alertmanager', { text: read('alertmanager-webhooks.json') });
    expect(r.events.map((e) => [e.occurredAt, e.body.slice(0, 40)])).toEqual([
      ['2025-11-22T02:50:00.000Z', 'Alert firing (Alertmanager): FraudModelA'],
      ['2025-11-22T03:35:00.000Z', 'Alert resolved (Alertmanager): FraudMode'],
    ]);
    expect(r.skipped).toEqual({ 'repeated notifications': 2 });
    const g = parseTimelineExport('alertmanager', { text: read('grafana-alert.json') });
    expect(g.events).toHaveLength(1);
    expect(g.events[0]).toMatchObject({ occurredAt: '2025-11-22T01:47:00.000Z', author: 'Grafana', kind: 'evidence' });
    expect(g.events[0].body).toContain('FeatureNullRate');
    expect(g.events[0].body).toContain('value=0.31');
  });

  it('CSV: times without a zone in the zone given (DST-aware), kinds checked, bad rows named by line and field', () => {
    const r = parseTimelineExport('csv', { text: read('notes.csv') }, { timeZone: 'Europe/Paris' });
    expect(r.problems).toEqual([]);
    expect(r.events.map((e) => [e.occurredAt, e.kind])).toEqual([
      ['2025-11-22T02:50:00.000Z', 'action'],
      ['2025-11-22T02:58:00.000Z', 'evidence'],
      ['2025-11-22T03:20:30.000Z', 'comms'],
      ['2025-11-22T03:30:00.000Z', 'note'],
    ]);
    expect(r.events[1].body).toBe('bob: Deploy 8812 bumped numpy, "suspect"');
    expect(toUtcIso('2026-07-01 12:00', 'Europe/Paris')).toBe('2026-07-01T10:00:00.000Z');
    expect(toUtcIso('2026-07-01 12:00', '-05:00')).toBe('2026-07-01T17:00:00.000Z');
    const bad = parseTimelineExport('csv', { text: read('bad.csv') }, { fileName: 'bad.csv' });
    expect(bad.problems).toEqual([
      { at: 'line 3', field: 'time', message: expect.stringContaining('"yesterday"') },
      { at: 'line 4', field: 'kind', message: expect.stringContaining('"banana"') },
    ]);
    expect(() => parseTimelineExport('csv', { text: 'who,what\na,b\n' }, { fileName: 'x.csv' })).toThrow(/x\.csv line 1: no time or text column/);
    expect(() => parseTimelineExport('csv', { text: read('notes.csv') }, { timeZone: 'Mars/Olympus' })).toThrow(/unknown time zone/);
  });
});

describe('timeline import: the shapes real exports come in', () => {
  it('PagerDuty v3 webhook events and v2 webhook messages map onto log entries', () => {
    const v3 = [
      { event: { id: '01DEV3A', event_type: 'incident.triggered', resource_type: 'incident', occurred_at: '2025-11-22T02:54:30.000Z', agent: null, data: { id: 'Q1', type: 'incident', title: 'fraud-model accuracy below 80%' } } },
      { event: { id: '01DEV3B', event_type: 'incident.annotated', occurred_at: '2025-11-22T03:02:00.000Z', agent: { summary: 'Bob Okafor', type: 'user_reference' }, data: { incident: { summary: '[#2231] fraud' }, content: 'numpy upgraded in deploy 8812', type: 'incident_note' } } },
    ];
    const r = parseTimelineExport('pagerduty', { text: JSON.stringify(v3) });
    expect(r.events.map((e) => [e.kind, e.body])).toEqual([
      ['evidence', 'Triggered (PagerDuty, PagerDuty): fraud-model accuracy below 80%'],
      ['note', 'Note (PagerDuty, Bob Okafor): numpy upgraded in deploy 8812 [[#2231] fraud]'],
    ]);
    const v2 = parseTimelineExport('pagerduty', { text: JSON.stringify({ messages: [{ event: 'incident.trigger', log_entries: JSON.parse(read('pagerduty-log-entries.json')).log_entries.slice(0, 1) }] }) });
    expect(v2.events[0].sourceKey).toBe('pagerduty:R2XYZ0TRIG');
  });

  it("Alertmanager's API alert list (no webhook envelope) gives the same keys as its webhooks", () => {
    const api = [{ labels: { alertname: 'FraudModelAccuracyLow', severity: 'critical', service: 'fraud-model' }, annotations: { summary: 'accuracy 0.78 < 0.80 over 15m' }, startsAt: '2025-11-22T02:50:00.000Z', endsAt: '2025-11-22T04:00:00.000Z', fingerprint: 'a1b2c3d4e5f60718', status: { state: 'active', silencedBy: [], inhibitedBy: [] }, receivers: [{ name: 'ml-oncall' }] }];
    const r = parseTimelineExport('alertmanager', { text: JSON.stringify(api) });
    expect(r.problems).toEqual([]);
    expect(r.events.map((e) => e.sourceKey)).toEqual([parseTimelineExport('alertmanager', { text: read('alertmanager-webhooks.json') }).events[0].sourceKey]);
  });

  it('CSV kinds other tools use (alert, update, rollback) map to timeline kinds', () => {
    const r = parseTimelineExport('csv', { text: 'Timestamp;User;Message;Type\n2025-11-22T03:00:00Z;pd;Accuracy alert;Alert\n2025-11-22T03:10:00Z;bob;Rolled back;Rollback\n2025-11-22T03:20:00Z;carol;Posted;Update\n' });
    expect(r.problems).toEqual([]);
    expect(r.events.map((e) => e.kind)).toEqual(['evidence', 'action', 'comms']);
  });
});

describe('timeline:import', () => {
  it('previews, imports at source times, and a re-import adds nothing (also after deleting one)', async () => {
    const { app } = clockedApp(cleanups);
    const inc = await incident(app);
    const base64 = Buffer.from(slackZip()).toString('base64');
    const preview = await app.call('timeline:import', { key: inc.key, format: 'slack', base64, fileName: 'export.zip', dryRun: true });
    expect(preview).toMatchObject({ dryRun: true, total: 5, added: 5, existing: 0 });
    expect((await app.call('incident:get', { key: inc.key })).timeline).toHaveLength(1);
    const done = await app.call('timeline:import', { key: inc.key, format: 'slack', base64, fileName: 'export.zip' });
    expect(done).toMatchObject({ dryRun: false, added: 5, existing: 0 });
    const tl = (await app.call('incident:get', { key: inc.key })).timeline;
    expect(tl).toHaveLength(6);
    expect(tl.find((e) => e.sourceKey === 'slack:U02ALICE1:1763780520.000400')).toMatchObject({ occurredAt: '2025-11-22T03:02:00.000Z', kind: 'note' });
    await app.call('timeline:delete', { key: inc.key, id: tl.find((e) => e.kind === 'decision')!.id });
    const again = await app.call('timeline:import', { key: inc.key, format: 'slack', base64, fileName: 'export.zip' });
    expect(again).toMatchObject({ added: 0, existing: 5 });
    expect(again.events.every((e) => e.status === 'exists')).toBe(true);
    expect((await app.call('incident:get', { key: inc.key })).timeline).toHaveLength(5);
    // Overlapping export from another source adds only its own.
    const pd = await app.call('timeline:import', { key: inc.key, format: 'pagerduty', text: read('pagerduty-log-entries.json') });
    expect(pd.added).toBe(5);
  });

  it('refuses a file with bad records, naming line and field, and writes nothing', async () => {
    const { app } = clockedApp(cleanups);
    const inc = await incident(app);
    const err = await rejects(app.call('timeline:import', { key: inc.key, format: 'csv', text: read('bad.csv'), fileName: 'bad.csv' }), 'VALIDATION');
    expect(err.message).toMatch(/bad\.csv: 2 records cannot be imported — line 3, time/);
    expect(err.details?.issues?.map((i) => i.field)).toEqual(['line 3.time', 'line 4.kind']);
    expect((await app.call('incident:get', { key: inc.key })).timeline).toHaveLength(1);
    await rejects(app.call('timeline:import', { key: inc.key, format: 'pagerduty', text: '{"nope": 1}', fileName: 'pd.json' }), 'VALIDATION');
  });

  it('masks a token pasted into chat before it is stored', async () => {
    const { app } = clockedApp(cleanups);
    const inc = await incident(app);
    const token = makeCorpus().githubToken;
    const text = JSON.stringify([{ type: 'message', ts: '1763780520.000400', user: 'U1', text: `use token ${token} for now` }]);
    await app.call('timeline:import', { key: inc.key, format: 'slack', text });
    const body = (await app.call('incident:get', { key: inc.key })).timeline.find((e) => e.sourceKey)!.body;
    expect(body).not.toContain(token);
    expect(body).toContain('[masked]');
  });
});

describe('pmw timeline import', () => {
  it('imports a Slack export folder; --dry-run writes nothing; again adds nothing', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = join(t.dir, 'cli.db');
    const run = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await main([...argv, '--db', db], { out: (s) => (out += s), err: (s) => (err += s) });
      return { code, out, err };
    };
    await run('incident', 'new', '--title', 'Fraud', '--severity', 'SEV2', '--class', 'data');
    const dry = await run('timeline', 'import', 'INC-0001', join(FIX, 'slack-export'), '--format', 'slack', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/Dry run: would add 5 events to INC-0001; skipped 3 joins and leaves/);
    const real = await run('timeline', 'import', 'INC-0001', join(FIX, 'slack-export'), '--format', 'slack');
    expect(real.out).toMatch(/Added 5 events/);
    const again = await run('timeline', 'import', 'INC-0001', join(FIX, 'slack-export'), '--format', 'slack');
    expect(again.out).toMatch(/Added 0 events to INC-0001 \(5 already on the timeline\)/);
    const csv = await run('timeline', 'import', 'INC-0001', join(FIX, 'notes.csv'), '--format', 'csv', '--tz', 'Europe/Paris', '--json');
    expect(JSON.parse(csv.out).events[0].occurredAt).toBe('2025-11-22T02:50:00.000Z');
    const bad = await run('timeline', 'import', 'INC-0001', join(FIX, 'notes.csv'), '--format', 'teams');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--format must be one of slack, pagerduty, alertmanager, csv/);
  });
});
