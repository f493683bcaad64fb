// Team sync over git (issue 15): real SQLite databases, a real bare repository, the user's git.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../main/app';
import { gitEnv } from '../../main/git';
import { ApiError } from '../../shared/api/errors';
import { makeCorpus } from './secrets-corpus';

const SECRET_PW = 'hunter2-Sup3rS3cret-value';
// Credential shapes built at run time (secrets-corpus): no literal key is committed.
const corpus = makeCorpus();
const SECRET_AWS = corpus.awsKeyId;
const SECRET_AWS_KEY = corpus.awsSecret;

let root: string;
const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pmw-team-'));
  const cfg = join(root, 'gitconfig');
  writeFileSync(cfg, '[user]\n\tname = Team Tester\n\temail = tester@example.com\n[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n');
  for (const [k, v] of Object.entries({ GIT_CONFIG_GLOBAL: cfg, GIT_CONFIG_NOSYSTEM: '1' })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(root, { recursive: true, force: true });
});

const open: App[] = [];
afterEach(() => {
  for (const a of open.splice(0)) {
    try {
      a.close();
    } catch {
      /* closed */
    }
  }
});

function g(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}
let n = 0;
function bare(): string {
  const dir = join(root, `remote-${++n}.git`);
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', dir], { env: gitEnv() });
  return dir;
}
function db(name: string): { app: App; path: string } {
  const path = join(root, `${name}-${++n}`, 'workbench.db');
  const app = createApp({ dbPath: path, host: 'cli' });
  open.push(app);
  return { app, path };
}
const team = (a: App) => a.services.team;
const dump = (a: App) => JSON.stringify({ incidents: team(a).dump(), scenarios: team(a).dumpScenarios() });

async function newIncident(a: App, title: string) {
  return a.call('incident:create', { title, severity: 'SEV2', failureClass: 'data' });
}

describe('team sync', () => {
  it('offline work on three machines converges to identical incidents whatever the sync order', async () => {
    const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for (const order of orders) {
      const remote = bare();
      const m = [db('a'), db('b'), db('c')].map((x) => x.app);
      const shared = await newIncident(m[0], 'Feature store lag');
      await team(m[0]).join(remote);
      await team(m[0]).sync();
      await team(m[1]).join(remote);
      await team(m[2]).join(remote);
      const key = team(m[0]).dump()[Object.keys(team(m[0]).dump())[0]].incident.key as string;
      expect(key).not.toBe(shared.key); // re-keyed at join: never synced before
      expect(m[1].services.incidents.get(key).title).toBe('Feature store lag');
      // Offline, on all sides:
      await m[0].call('timeline:add', { key, kind: 'note', body: 'scribe: lag started at 02:10' });
      await m[0].call('finding:create', { key, title: 'Upstream schema change', failureClass: 'data' });
      await m[1].call('incident:update', { key, patch: { rootCauseOrigin: 'data', hypothesis: 'a column was renamed upstream' } });
      await m[1].call('action:create', { key, title: 'Contract test on the feed', type: 'preventative' });
      await m[2].call('timeline:add', { key, kind: 'evidence', body: 'dashboard shows 40 min lag' });
      await newIncident(m[2], 'Second incident, made offline');
      for (const i of order) await team(m[i]).sync();
      for (const i of order) await team(m[i]).sync();
      const d = m.map(dump);
      expect(d[1]).toBe(d[0]);
      expect(d[2]).toBe(d[0]);
      const inc = m[0].services.incidents.get(key);
      expect(inc.rootCauseOrigin).toBe('data');
      expect(inc.hypothesis).toBe('a column was renamed upstream');
      expect(inc.timeline.map((e) => e.body)).toEqual(expect.arrayContaining(['scribe: lag started at 02:10', 'dashboard shows 40 min lag']));
      expect(await m[2].call('finding:list', { key })).toHaveLength(1);
      expect(await m[0].call('action:list', { key })).toHaveLength(1);
      for (const a of m) expect((await team(a).status()).conflicts).toEqual([]);
      for (const a of m) a.close();
      open.length = 0;
    }
  }, 120_000);

  it('reports a same-field conflict on both sides, keeps both values, and resolves it', async () => {
    const remote = bare();
    const [a, b] = [db('a').app, db('b').app];
    await team(a).join(remote);
    const inc = await newIncident(a, 'Serving errors');
    await team(a).sync();
    await team(b).join(remote);
    await a.call('incident:update', { key: inc.key, patch: { impact: 'a: 5% of requests failed' } });
    await b.call('incident:update', { key: inc.key, patch: { impact: 'b: checkout down for EU' } });
    await team(a).sync();
    const rb = await team(b).sync();
    expect(rb.conflicts).toEqual([expect.objectContaining({ key: inc.key, field: 'incident.impact', mine: 'b: checkout down for EU', theirs: 'a: 5% of requests failed' })]);
    await team(a).sync();
    const sa = await team(a).status();
    expect(sa.conflicts).toEqual([expect.objectContaining({ field: 'incident.impact', mine: 'a: 5% of requests failed', theirs: 'b: checkout down for EU' })]);
    expect(dump(a)).toBe(dump(b));
    // B takes its own value; after the syncs both have it and no conflict is left.
    expect(() => team(b).resolve(inc.key, 'incident.nope', 'mine')).toThrow(/no conflict on incident\.nope; open: incident\.impact/);
    expect(team(b).resolve(inc.key, 'incident.impact', 'mine')).toEqual([]);
    await team(b).sync();
    await team(a).sync();
    expect(a.services.incidents.get(inc.key).impact).toBe('b: checkout down for EU');
    expect((await team(a).status()).conflicts).toEqual([]);
    expect(dump(a)).toBe(dump(b));
  }, 60_000);

  it('syncs drill scenarios made from incidents: masked, merged by id, both-changed reported', async () => {
    const remote = bare();
    const [a, b] = [db('a').app, db('b').app];
    await team(a).join(remote);
    await team(b).join(remote);
    const { key } = await a.call('incident:create', { title: 'Churn model scores collapse after feature pipeline release', severity: 'SEV2', failureClass: 'data', service: 'churn-scoring' });
    await a.call('timeline:add', { key, kind: 'evidence', body: `scorer WARN mean(score)=0.01; env had password=${SECRET_PW}` });
    await a.call('timeline:add', { key, kind: 'note', body: 'Feature pipeline v3.2 released at 02:40' });
    await a.call('incident:update', { key, patch: { hypothesis: 'numpy 2 changed dtype handling', mitigation: 'Roll back the feature pipeline image to v3.1', mitigationVerified: true, resolution: 'Pinned numpy<2', summary: 'numpy 2 upgrade', lessons: '- Pin numeric libraries' } });
    for (let i = 0; i < 5; i++) await a.call('incident:advance', { key, reason: 'test' });
    const expected = { failureClass: 'packaging' as const, rootCauseOrigin: 'dependency' as const, rootCause: 'The image resolved numpy 2.0 from a loose pin.' };
    await a.call('scenario:fromIncident', { key, id: 'churn-numpy-2', expected });
    // The builder masks what it copies; a value written another way (an older app, by hand) is masked by sync.
    a.db.prepare("UPDATE custom_scenarios SET json = json_set(json, '$.title', json_extract(json, '$.title') || ?)").run(` (token AWS_SECRET_ACCESS_KEY=${SECRET_AWS_KEY})`);
    expect((a.db.prepare('SELECT json FROM custom_scenarios').get() as { json: string }).json).toContain(SECRET_AWS_KEY);
    await team(a).sync();
    const rb = await team(b).sync();
    expect(rb.pulled).toContain('scenario churn-numpy-2');
    const onB = (await b.call('drill:scenarios', {})).find((s) => s.id === 'churn-numpy-2');
    expect(onB).toBeTruthy();
    expect(dump(b)).toBe(dump(a));
    expect(Object.keys(team(b).dumpScenarios())).toHaveLength(1);
    // The source incident travels by its uid and maps to B's own row.
    const srcB = (b.db.prepare("SELECT i.key FROM custom_scenarios s JOIN incidents i ON i.id = s.source_incident_id WHERE s.id = 'churn-numpy-2'").get() as { key: string }).key;
    expect(srcB).toBe(key);
    const files = g(remote, 'ls-tree', '-r', '--name-only', 'main').split('\n');
    const scFile = files.find((f) => f.startsWith('scenarios/'))!;
    expect(scFile).toMatch(/^scenarios\/[0-9A-HJKMNP-TV-Z]{26}\.json$/);
    const text = g(remote, 'show', `main:${scFile}`);
    expect(text).toContain('churn-numpy-2');
    expect(text).not.toContain(SECRET_AWS_KEY);
    expect(g(remote, 'log', '--all', '-p')).not.toContain(SECRET_AWS_KEY);
    // One side changed: the other takes it.
    await b.call('scenario:fromIncident', { key, id: 'churn-numpy-2', expected, difficulty: 'intro', overwrite: true });
    await team(b).sync();
    await team(a).sync();
    expect(dump(a)).toBe(dump(b));
    expect(JSON.stringify(team(a).dumpScenarios())).toContain('"intro"');
    // Both changed: reported, the repository's value kept in the database, the other beside it in the file.
    await a.call('scenario:fromIncident', { key, id: 'churn-numpy-2', expected, difficulty: 'advanced', overwrite: true });
    await b.call('scenario:fromIncident', { key, id: 'churn-numpy-2', expected, difficulty: 'intro', overwrite: true, cards: [] });
    await team(a).sync();
    const r2 = await team(b).sync();
    expect(r2.conflicts).toEqual([expect.objectContaining({ key: 'churn-numpy-2', field: expect.stringMatching(/^scenario\./) })]);
    await team(a).sync();
    expect(dump(a)).toBe(dump(b));
    expect(g(remote, 'show', `main:${scFile}`)).toContain('"conflict"');
    // Listed on both machines, each from its own side; B settles it with its own version.
    const onBSide = team(b).conflicts().find((c) => c.key === 'churn-numpy-2')!;
    expect(onBSide.field).toMatch(/^scenario\./);
    expect(JSON.stringify(onBSide.mine)).toContain('"intro"');
    expect(JSON.stringify(onBSide.theirs)).toContain('"advanced"');
    expect(JSON.stringify(team(a).conflicts().find((c) => c.key === 'churn-numpy-2')!.mine)).toContain('"advanced"');
    await expect(b.call('team:resolve', { key: 'churn-numpy-2', field: 'scenario.nope', take: 'mine' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await b.call('team:resolve', { key: 'churn-numpy-2', field: onBSide.field, take: 'mine' })).toEqual([]);
    await team(b).sync();
    await team(a).sync();
    expect(dump(a)).toBe(dump(b));
    expect(JSON.stringify(team(a).dumpScenarios())).toContain('"intro"');
    expect(g(remote, 'show', `main:${scFile}`)).not.toContain('"conflict"');
    expect(team(a).conflicts()).toEqual([]);
    expect((await team(a).sync()).pushed).toEqual([]); // settled: nothing flaps
    // Through the CLI too, keeping the other side: a new conflict, settled with --take theirs.
    await a.call('scenario:fromIncident', { key, id: 'churn-numpy-2', expected, difficulty: 'advanced', overwrite: true });
    await b.call('scenario:fromIncident', { key, id: 'churn-numpy-2', expected, difficulty: 'intro', overwrite: true, cards: [], title: 'Churn drill (B)' });
    await team(a).sync();
    await team(b).sync();
    await team(a).sync();
    const c2 = team(a).conflicts().find((c) => c.key === 'churn-numpy-2')!;
    expect(c2).toBeDefined();
    let out = '';
    const io = { out: (x: string) => void (out += x), err: (x: string) => void (out += x) };
    const { main } = await import('../../main/cli/index');
    const aPath = (a.db as unknown as { name: string }).name;
    expect(await main(['team', 'resolve', 'churn-numpy-2', c2.field, '--take', 'theirs', '--db', aPath], io)).toBe(0);
    await team(a).sync();
    await team(b).sync();
    expect(dump(a)).toBe(dump(b));
    expect(team(b).conflicts()).toEqual([]);
    expect(g(remote, 'show', `main:${scFile}`)).not.toContain('"conflict"');
  }, 90_000);

  it('translates artifact and event ids in finding evidence between machines (by uid)', async () => {
    const remote = bare();
    const [a, b] = [db('a').app, db('b').app];
    // B has rows of its own first, so the same artifact gets another local id there.
    const own = await newIncident(b, 'B local');
    for (let i = 0; i < 3; i++) await b.call('artifact:addText', { key: own.key, role: 'other', name: `b${i}.log`, text: `b ${i}\n` });
    await team(a).join(remote);
    const inc = await newIncident(a, 'Dependency drift');
    const before = await a.call('artifact:addText', { key: inc.key, role: 'last-known-good', name: 'requirements.txt', text: 'numpy==1.26.4\n' });
    const after = await a.call('artifact:addText', { key: inc.key, role: 'failing', name: 'requirements.txt', text: 'numpy==2.0.2\n' });
    const ev = await a.call('timeline:add', { key: inc.key, kind: 'evidence', body: 'scores collapsed' });
    await a.call('finding:create', { key: inc.key, title: 'numpy major upgrade', failureClass: 'packaging', evidence: { artifactIds: [before.id, after.id], timelineEventIds: [ev.id] } });
    await team(a).sync();
    await team(b).join(remote);
    const uidOf = (app: App, table: string, id: number) => (app.db.prepare(`SELECT uid FROM ${table} WHERE id = ?`).get(id) as { uid: string }).uid;
    const [fb] = await b.call('finding:list', { key: inc.key });
    const ids = fb.evidence.artifactIds ?? [];
    expect(ids).toHaveLength(2);
    expect(ids).not.toEqual([before.id, after.id]);
    expect(ids.map((id) => uidOf(b, 'artifacts', id))).toEqual([uidOf(a, 'artifacts', before.id), uidOf(a, 'artifacts', after.id)]);
    expect((fb.evidence.timelineEventIds ?? []).map((id) => uidOf(b, 'timeline_events', id))).toEqual([uidOf(a, 'timeline_events', ev.id)]);
    const inRepo = g(remote, 'show', `main:incidents/${inc.key}/findings.jsonl`);
    expect(inRepo).toContain(uidOf(a, 'artifacts', before.id));
    expect(inRepo).not.toContain('artifactIds');
    await team(b).sync();
    await team(a).sync();
    expect(dump(a)).toBe(dump(b));
    expect((await team(b).sync()).pushed).toEqual([]); // nothing flaps
  }, 60_000);

  it('maps a drill card\'s released artifact pair to the other machine\'s artifacts (by uid)', async () => {
    const remote = bare();
    const [a, b] = [db('a').app, db('b').app];
    // B holds artifacts of its own first, so the same artifact gets another local id there.
    const own = await newIncident(b, 'B local');
    for (let i = 0; i < 4; i++) await b.call('artifact:addText', { key: own.key, role: 'other', name: `b${i}.log`, text: `b ${i}\n` });
    await team(a).join(remote);
    const st = await a.call('drill:start', { scenarioId: 'canary-contamination-non-stratified', mode: 'solo', participant: 'alice' });
    await a.call('drill:requestCard', { drillId: st.drillId, cardId: 'routing-pair' });
    const cardOf = (app: App, key: string) =>
      app.db.prepare('SELECT c.before_artifact_id AS before, c.after_artifact_id AS after FROM drill_cards c JOIN drills d ON d.id = c.drill_id JOIN incidents i ON i.id = d.incident_id WHERE i.key = ? AND c.card_id = ?').get(key, 'routing-pair') as { before: number | null; after: number | null } | undefined;
    const uidOf = (app: App, id: number | null) => (id === null ? null : (app.db.prepare('SELECT uid FROM artifacts WHERE id = ?').get(id) as { uid: string } | undefined)?.uid);
    const onA = cardOf(a, st.key)!;
    expect(onA.before).not.toBeNull();
    await team(a).sync();
    await team(b).join(remote);
    const onB = cardOf(b, st.key);
    expect(onB, 'the released card reached B').toBeDefined();
    expect([onB!.before, onB!.after]).not.toEqual([onA.before, onA.after]);
    expect([uidOf(b, onB!.before), uidOf(b, onB!.after)]).toEqual([uidOf(a, onA.before), uidOf(a, onA.after)]);
    // The artifacts on B are the pair the card released on A, content and all.
    const text = async (app: App, key: string, id: number) => (await app.call('artifact:list', { key })).find((x) => x.id === id)?.name;
    expect(await text(b, st.key, onB!.before!)).toBe(await text(a, st.key, onA.before!));
    await team(b).sync();
    await team(a).sync();
    expect(dump(a)).toBe(dump(b));
  }, 60_000);

  it('gives incidents made offline on two machines keys that never collide, and keeps synced keys', async () => {
    const remote = bare();
    const [a, b] = [db('a').app, db('b').app];
    await newIncident(a, 'before join a');
    await newIncident(b, 'before join b');
    await team(a).join(remote);
    await team(b).join(remote);
    const ka = [(await newIncident(a, 'a1')).key, (await newIncident(a, 'a2')).key];
    const kb = [(await newIncident(b, 'b1')).key, (await newIncident(b, 'b2')).key];
    expect(ka.filter((k) => kb.includes(k))).toEqual([]);
    expect(ka[0]).toMatch(/^INC-001\d{4}$/);
    expect(kb[0]).toMatch(/^INC-002\d{4}$/);
    await team(a).sync();
    await team(b).sync();
    await team(a).sync();
    const keysA = Object.keys(team(a).dump());
    expect(keysA).toHaveLength(6);
    expect(Object.keys(team(b).dump())).toEqual(keysA);
    expect(dump(a)).toBe(dump(b));
  }, 60_000);

  it('never lets a secret value reach any object of the repository', async () => {
    const remote = bare();
    const a = db('a').app;
    const b = db('b').app;
    await team(a).join(remote);
    const inc = await newIncident(a, 'Leaked credentials in a config');
    await a.call('timeline:add', { key: inc.key, kind: 'note', body: `found password=${SECRET_PW} in the job log` });
    await a.call('incident:update', { key: inc.key, patch: { hypothesis: `the key ${SECRET_AWS} was rotated` } });
    await a.call('artifact:addText', { key: inc.key, role: 'failing', name: 'settings.env', text: `DB_HOST=db\nDB_PASSWORD=${SECRET_PW}\nAWS_ACCESS_KEY_ID=${SECRET_AWS}\nAWS_SECRET_ACCESS_KEY=${SECRET_AWS_KEY}\n` });
    await a.call('finding:create', { key: inc.key, title: 'Secret in env', description: `token: ${SECRET_PW}`, failureClass: 'deployment' });
    const r = await team(a).sync();
    expect(r.pushed).toEqual([inc.key]);
    const log = g(remote, 'log', '--all', '-p');
    const blobs = execFileSync('git', ['cat-file', '--batch-all-objects', '--batch'], { cwd: remote, env: gitEnv(), maxBuffer: 256 * 1024 * 1024 }).toString('latin1');
    for (const s of [SECRET_PW, SECRET_AWS, SECRET_AWS_KEY]) {
      expect(log).not.toContain(s);
      expect(blobs).not.toContain(s);
    }
    expect(log).toContain('found password=');
    // The masked artifact travels, content-addressed, and arrives on the other machine.
    await team(b).join(remote);
    const arts = await b.call('artifact:list', { key: inc.key });
    expect(arts.map((x) => x.name)).toEqual(['settings.env']);
    expect(g(remote, 'ls-tree', '-r', '--name-only', 'main')).toMatch(/artifacts\/[0-9a-f]{2}\/[0-9a-f]{64}/);
    // Locally the clear text stays; the dumps agree (both masked).
    expect(a.services.incidents.get(inc.key).timeline.some((e) => e.body.includes(SECRET_PW))).toBe(true);
    expect(dump(a)).toBe(dump(b));
  }, 60_000);

  it('sends only a reference and hash for an artifact over the size limit', async () => {
    const remote = bare();
    const a = db('a').app;
    const b = db('b').app;
    process.env.PMW_TEAM_MAX_ARTIFACT_MB = '0.001';
    try {
      await team(a).join(remote);
      const inc = await newIncident(a, 'Big artifact');
      await a.call('artifact:addText', { key: inc.key, role: 'failing', name: 'big.log', text: 'line of log\n'.repeat(200) });
      await team(a).sync();
      await team(b).join(remote);
      expect(g(remote, 'ls-tree', '-r', '--name-only', 'main')).not.toMatch(/^artifacts\//m);
      const d = team(b).dump()[inc.key];
      const art = Object.values(d.artifacts)[0];
      expect(art).toMatchObject({ stored: 'reference', holder: '001', name: 'big.log' });
      expect(dump(a)).toBe(dump(b));
    } finally {
      delete process.env.PMW_TEAM_MAX_ARTIFACT_MB;
    }
  }, 60_000);

  it('says so when offline, keeps the changes queued, and pushes them once the remote is back', async () => {
    const remote = bare();
    const a = db('a').app;
    await team(a).join(remote);
    const inc = await newIncident(a, 'On a plane');
    renameSync(remote, `${remote}.away`);
    const r = await team(a).sync();
    expect(r.offline).toBe(true);
    expect(r.message, r.message).toMatch(/Offline.*1 incident queued/s);
    expect((await team(a).status()).queued).toBe(1);
    renameSync(`${remote}.away`, remote);
    const r2 = await team(a).sync();
    expect(r2.offline).toBe(false);
    expect(r2.pushed).toEqual([inc.key]);
    expect((await team(a).status()).queued).toBe(0);
  }, 60_000);

  it('explains a push the remote refuses (a pre-receive hook) and keeps the change queued', async () => {
    const remote = bare();
    const a = db('a').app;
    await team(a).join(remote);
    const hook = join(remote, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "GL-HOOK-ERR: main is protected; open a merge request" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const inc = await newIncident(a, 'Protected branch');
    const e = await team(a).sync().then(() => null, (x) => ApiError.from(x));
    expect(e?.code).toBe('CONFLICT');
    expect(e?.message).toMatch(/refused the push.*main is protected.*stay queued/s);
    expect((await team(a).status()).queued).toBe(1);
    rmSync(hook);
    expect((await team(a).sync()).pushed).toEqual([inc.key]);
  }, 60_000);

  it('refuses a repository of a newer format without touching it', async () => {
    const remote = bare();
    const w = join(root, `w-${++n}`);
    g(root, 'clone', '-q', remote, w);
    writeFileSync(join(w, 'pmw-team.json'), '{"format": 99}\n');
    g(w, 'add', '.');
    g(w, 'commit', '-qm', 'future');
    g(w, 'push', '-q', 'origin', 'HEAD:main');
    const before = g(remote, 'rev-parse', 'main');
    const a = db('a').app;
    const e = await team(a).join(remote).then(() => null, (x) => ApiError.from(x));
    expect(e?.message).toMatch(/format 99.*Update the app.*not changed/);
    expect(g(remote, 'rev-parse', 'main')).toBe(before);
    expect(team(a).state()).toBeNull();
  }, 60_000);

  it('leaves unrelated files in the repository alone', async () => {
    const remote = bare();
    const w = join(root, `w-${++n}`);
    g(root, 'clone', '-q', remote, w);
    writeFileSync(join(w, 'README.md'), '# our incidents\n');
    g(w, 'add', '.');
    g(w, 'commit', '-qm', 'readme');
    g(w, 'push', '-q', 'origin', 'HEAD:main');
    const a = db('a').app;
    await team(a).join(remote);
    await newIncident(a, 'x');
    await team(a).sync();
    const files = g(remote, 'ls-tree', '-r', '--name-only', 'main');
    expect(files).toMatch(/^README\.md$/m);
    expect(files).toMatch(/^pmw-team\.json$/m);
    expect(files).toMatch(/^members\/001\.json$/m);
    expect(files).toMatch(/^incidents\/INC-0010001\/incident\.json$/m);
    expect(files).toMatch(/^incidents\/INC-0010001\/timeline\.jsonl$/m);
  }, 60_000);

  it('resumes after the CLI is killed (kill -9) at any point of a sync', async () => {
    const bin = join(__dirname, '..', '..', 'bin', 'pmw.cjs');
    const remote = bare();
    const a = db('a');
    const b = db('b');
    await team(b.app).join(remote);
    await team(a.app).join(remote);
    for (let i = 0; i < 150; i++) {
      const inc = await newIncident(a.app, `incident ${i}`);
      await a.app.call('timeline:add', { key: inc.key, kind: 'note', body: `note ${i}` });
    }
    await newIncident(b.app, 'from b');
    await team(b.app).sync();
    a.app.close();
    const env = { ...process.env, PMW_DB: a.path };
    // Build the bundle once so the kill lands in the sync, not the build.
    execFileSync(process.execPath, [bin, '--version'], { env });
    let killedMidway = 0;
    for (const delay of [150, 300, 450, 600, 800, 1100]) {
      const child = spawn(process.execPath, [bin, 'team', 'sync', '--db', a.path], { env, stdio: 'ignore' });
      const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
      await new Promise((r) => setTimeout(r, delay));
      if (child.kill('SIGKILL')) killedMidway++;
      await exited;
      if (existsSync(`${a.path}-team.lock`)) expect(true).toBe(true); // a stale lock is taken over below
    }
    expect(killedMidway).toBeGreaterThan(0);
    const again = createApp({ dbPath: a.path, host: 'cli' });
    open.push(again);
    const r = await team(again).sync();
    expect(r.offline).toBe(false);
    expect((await team(again).status()).queued).toBe(0);
    await team(b.app).sync();
    expect(Object.keys(team(b.app).dump())).toHaveLength(151);
    expect(dump(again)).toBe(dump(b.app));
    expect(g(join(`${a.path}-team`), 'status', '--porcelain')).toBe('');
  }, 120_000);
});
