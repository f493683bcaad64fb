import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock, tempApp, tempDir } from './helpers';
import { loadMigrations, openDb } from '../../main/store/db';
import { createApp, type App } from '../../main/app';
import { compileQuery } from '../../shared/search';
import { main } from '../../main/cli/index';
import { makeCorpus } from './secrets-corpus';

const root = join(__dirname, '..', '..');
const real = (p: string) => readFileSync(join(root, 'test', 'fixtures', 'real', p), 'utf8');
beforeAll(() => execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'main', '--if-needed']));

let env: ReturnType<typeof tempApp>;
afterEach(() => env?.cleanup());
function setup(): App {
  env = tempApp(new ManualClock());
  return env.app;
}
const find = async (app: App, query: string, more: Record<string, unknown> = {}) => (await app.call('search:query', { query, ...more })).hits;

describe('search', () => {
  it('finds each kind of text with a highlighted snippet and says where', async () => {
    const app = setup();
    const inc = await app.call('incident:create', { title: 'Scoring returns NaN after the quarterly refresh', severity: 'SEV2', failureClass: 'packaging', service: 'scoring-api', summary: 'Predictions became NaN for every tenant' });
    await app.call('incident:update', { key: inc.key, patch: { hypothesis: 'the vectoriser pickle was rebuilt against another interpreter' } });
    const note = await app.call('timeline:add', { key: inc.key, kind: 'note', body: 'Rolled back the canary in eu-west; latency flat' });
    await app.call('finding:create', {
      key: inc.key, title: 'Tokenizer swapped', failureClass: 'packaging', description: 'the wordpiece vocabulary changed',
      evidence: { changes: [{ kind: 'dependency.added', severity: 'info', failureClass: 'packaging', subject: 'sentencepiece', before: null, after: '0.2.0', message: 'sentencepiece 0.2.0 added' }] },
    });
    await app.call('doc:save', { key: inc.key, kind: 'postmortem', content: '# Postmortem\n\nThe refresh job skipped the smoke suite entirely.' });
    await app.call('doc:save', { key: inc.key, kind: 'runbook', content: '---\ntitle: Pin the tokenizer\n---\n# Runbook\n\nCheck the wheelhouse mirror first.' });
    const a = await app.call('artifact:addText', { key: inc.key, role: 'last-known-good', name: 'requirements.txt', text: real('deps/whisper-requirements-ad3250a8.txt') });
    const b = await app.call('artifact:addText', { key: inc.key, role: 'failing', name: 'requirements.txt', text: real('deps/whisper-requirements-839639a2.txt') });
    await app.call('artifact:diff', { key: inc.key, beforeId: a.id, afterId: b.id });

    const cases: [string, string, RegExp][] = [
      ['quarterly', 'title', /^title$/],
      ['tenant', 'summary', /^summary$/],
      ['vectoriser', 'hypothesis', /^hypothesis$/],
      ['canary', 'timeline', /^timeline note · acknowledge$/],
      ['wordpiece', 'finding', /^finding$/],
      ['sentencepiece', 'finding', /^finding$/], // a change message carried as evidence
      ['smoke suite', 'postmortem', /^postmortem$/],
      ['wheelhouse', 'runbook', /^runbook$/],
      ['transformers', 'change', /^artifact change · requirements\.txt → requirements\.txt$/], // from the cached diff
    ];
    for (const [q, source, where] of cases) {
      const hits = await find(app, q);
      const h = hits.find((x) => x.source === source);
      expect(h, `${q} → ${source}`).toBeDefined();
      expect(h!.key).toBe(inc.key);
      expect(h!.where).toMatch(where);
      expect(h!.parts.some((p) => p.hit && p.text.toLowerCase().startsWith(q.split(' ')[0]))).toBe(true);
      expect(h!.snippet).toBe(h!.parts.map((p) => p.text).join(''));
    }
    // As you type: a prefix answers; key and service are searchable; phrases with punctuation work.
    expect((await find(app, 'quarte')).map((h) => h.source)).toContain('title');
    expect((await find(app, inc.key)).map((h) => h.source)).toContain('title');
    expect((await find(app, 'scoring-api'))[0].key).toBe(inc.key);
    expect((await find(app, 'eu-west'))[0].ref).toBe(note.id);
    expect(await find(app, 'nothing-like-this-anywhere')).toEqual([]);
    expect(await find(app, '"')).toEqual([]); // no words: no query, no syntax error

    // pmw search QUERY --json: an array of hits; the text output marks the match.
    let out = '';
    const io = { out: (x: string) => void (out += x), err: () => {} };
    expect(await main(['search', 'wheelhouse', 'mirror', '--json', '--db', env.dbPath], io)).toBe(0);
    expect(JSON.parse(out)).toEqual([expect.objectContaining({ key: inc.key, title: inc.title, where: 'runbook', snippet: expect.stringContaining('wheelhouse mirror') })]);
    out = '';
    expect(await main(['search', 'wheelhouse', '--db', env.dbPath], io)).toBe(0);
    expect(out).toContain('runbook: …Runbook Check the **wheelhouse** mirror first.');
  });

  it('stays in sync after edit, delete and undelete of notes, fields, findings and documents', async () => {
    const app = setup();
    const inc = await app.call('incident:create', { title: 'Feature store lag', severity: 'SEV3', failureClass: 'data' });
    const ev = await app.call('timeline:add', { key: inc.key, kind: 'evidence', body: 'kafka consumer stuck on partition seven' });
    expect(await find(app, 'partition')).toHaveLength(1);

    await app.call('timeline:update', { key: inc.key, id: ev.id, body: 'kafka consumer stuck on offset commit' });
    expect(await find(app, 'partition')).toEqual([]);
    expect((await find(app, 'offset'))[0].ref).toBe(ev.id);

    await app.call('timeline:delete', { key: inc.key, id: ev.id });
    expect(await find(app, 'offset')).toEqual([]);
    await app.call('timeline:restore', { key: inc.key, id: ev.id });
    expect((await find(app, 'offset'))[0].ref).toBe(ev.id);

    await app.call('incident:update', { key: inc.key, patch: { title: 'Feature store freshness breach' } });
    expect(await find(app, 'lag')).toEqual([]);
    expect((await find(app, 'freshness'))[0].source).toBe('title');

    const f = await app.call('finding:create', { key: inc.key, title: 'Backfill job starved', failureClass: 'data' });
    expect(await find(app, 'starved')).toHaveLength(1);
    await app.call('finding:update', { key: inc.key, id: f.id, patch: { title: 'Backfill job throttled' } });
    expect(await find(app, 'starved')).toEqual([]);
    await app.call('finding:remove', { key: inc.key, id: f.id });
    expect(await find(app, 'throttled')).toEqual([]);

    await app.call('doc:save', { key: inc.key, kind: 'postmortem', content: 'first draft mentions zookeeper' });
    await app.call('doc:save', { key: inc.key, kind: 'postmortem', content: 'second draft mentions raft' });
    expect(await find(app, 'zookeeper')).toEqual([]);
    expect((await find(app, 'raft'))[0].source).toBe('postmortem');
  });

  it('filters by class, severity, service, phase and date, and leaves drills out unless asked', async () => {
    const clock = new ManualClock();
    env = tempApp(clock);
    const app = env.app;
    const a = await app.call('incident:create', { title: 'Drift alarm on scoring', severity: 'SEV2', failureClass: 'data', service: 'scoring', detectedAt: '2026-01-10T10:00:00Z' });
    const b = await app.call('incident:create', { title: 'Drift alarm on ranking', severity: 'SEV1', failureClass: 'serving', service: 'ranking', detectedAt: '2026-03-10T10:00:00Z' });
    await app.call('incident:create', { title: 'Drift alarm rehearsal', severity: 'SEV3', failureClass: 'data', isDrill: true });
    const keys = async (more: Record<string, unknown>) => (await find(app, 'drift', more)).map((h) => h.key).sort();
    expect(await keys({})).toEqual([a.key, b.key]);
    expect(await keys({ includeDrills: true })).toHaveLength(3);
    expect(await keys({ failureClass: 'serving' })).toEqual([b.key]);
    expect(await keys({ severity: 'SEV2' })).toEqual([a.key]);
    expect(await keys({ service: 'ranking' })).toEqual([b.key]);
    expect(await keys({ since: '2026-02-01T00:00:00Z' })).toEqual([b.key]);
    expect(await keys({ until: '2026-02-01T00:00:00Z' })).toEqual([a.key]);
    expect(await keys({ phase: 'closed' })).toEqual([]);
    expect(await keys({ phase: 'open' })).toEqual([a.key, b.key]);
  });

  it('filters a word with more matches than are scanned within its newest matches, for few incidents too', async () => {
    const app = setup();
    const open = await app.call('incident:create', { title: 'Pods restarting', severity: 'SEV2', failureClass: 'serving' });
    const early = (await app.call('timeline:add', { key: open.key, kind: 'note', body: 'first OOMKilled seen' })).id;
    // A closed incident with more matching notes than a filtered search reads (SCAN_CAP, 10,000).
    const db = app.db;
    const now = '2026-01-01T00:00:00.000Z';
    const closed = Number(db.prepare(`INSERT INTO incidents (seq, key, title, severity, failure_class, phase, detected_at, created_at, updated_at)
      VALUES (9000, 'INC-9000', 'Old pods', 'SEV3', 'serving', 'closed', ?, ?, ?)`).run(now, now, now).lastInsertRowid);
    const note = db.prepare("INSERT INTO timeline_events (incident_id, kind, body, phase, occurred_at, captured_at) VALUES (?, 'note', ?, 'mitigate', ?, ?)");
    db.transaction(() => { for (let i = 0; i < 10_100; i++) note.run(closed, `pod OOMKilled again ${i}`, now, now); })();
    const late = [(await app.call('timeline:add', { key: open.key, kind: 'note', body: 'OOMKilled twice' })).id, (await app.call('timeline:add', { key: open.key, kind: 'note', body: 'still OOMKilled' })).id];
    // Open incidents: the two recent notes; the first one is older than the scanned matches.
    const r = await app.call('search:query', { query: 'OOMKilled', phase: 'open', perIncident: 20 });
    expect(r.hits.map((h) => h.ref).sort()).toEqual(late.sort());
    expect(r.hits.map((h) => h.ref)).not.toContain(early);
    expect(r.window).toEqual({ ranked: 2 });
    const c = await app.call('search:query', { query: 'OOMKilled', phase: 'closed', perIncident: 5 });
    expect(c.hits.map((h) => h.key)).toEqual(Array(5).fill('INC-9000'));
    expect(c.hits.map((h) => h.snippet)).toEqual(expect.arrayContaining([expect.stringMatching(/^pod OOMKilled again \d+$/)]));
  });

  it('ranks a very common term within the most recent matches, and says so', async () => {
    const prev = process.env.PMW_SEARCH_WINDOW;
    process.env.PMW_SEARCH_WINDOW = '10';
    try {
      const app = setup();
      const inc = await app.call('incident:create', { title: 'Many notes', severity: 'SEV4', failureClass: 'data' });
      const ids: number[] = [];
      for (let i = 0; i < 40; i++) ids.push((await app.call('timeline:add', { key: inc.key, kind: 'note', body: `retry number ${i}` })).id);
      // 40 matches, a window of 10: the 10 most recent are ranked, and the answer says so.
      const r = await app.call('search:query', { query: 'retry', perIncident: 20 });
      expect(r.window).toEqual({ ranked: 10 });
      expect(r.hits.map((h) => h.ref).sort()).toEqual(ids.slice(30).sort());
      expect(r.more).toBe(true);
      const rare = await app.call('search:query', { query: 'retry 39' });
      expect(rare.window).toBeNull();
      expect(rare.hits.map((h) => h.ref)).toEqual([ids[39]]);
    } finally {
      if (prev === undefined) delete process.env.PMW_SEARCH_WINDOW;
      else process.env.PMW_SEARCH_WINDOW = prev;
    }
  });

  it('finds real incidents when drills hold the newest matches (more of them than a window)', async () => {
    const prev = process.env.PMW_SEARCH_WINDOW;
    process.env.PMW_SEARCH_WINDOW = '10';
    try {
      const app = setup();
      const real = await app.call('incident:create', { title: 'Canary rollout stalled', severity: 'SEV2', failureClass: 'deployment' });
      const drill = await app.call('incident:create', { title: 'Rehearsal', severity: 'SEV4', failureClass: 'deployment', isDrill: true });
      // A drill run after the incident: 35 newer notes that match, three and a half windows of them.
      for (let i = 0; i < 35; i++) await app.call('timeline:add', { key: drill.key, kind: 'note', body: `canary step ${i}` });
      const r = await app.call('search:query', { query: 'canary' });
      expect(r.hits.map((h) => h.key)).toEqual([real.key]);
      expect(r.window).toBeNull(); // every real match was ranked
      expect((await app.call('search:query', { query: 'canar' })).hits.map((h) => h.key)).toEqual([real.key]);
      expect((await app.call('search:query', { query: 'canary', includeDrills: true, perIncident: 20 })).hits.filter((h) => h.key === drill.key)).toHaveLength(10);
    } finally {
      if (prev === undefined) delete process.env.PMW_SEARCH_WINDOW;
      else process.env.PMW_SEARCH_WINDOW = prev;
    }
  });

  it('indexes what an existing database already holds when the migration runs', async () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'old.db');
      const older = loadMigrations().filter((m) => m.version < 8);
      const db = openDb(path, { migrations: older });
      const now = '2025-06-01T00:00:00.000Z';
      const id = Number(db.prepare(`INSERT INTO incidents (seq, key, title, severity, failure_class, phase, detected_at, created_at, updated_at, summary)
        VALUES (1, 'INC-0001', 'Legacy outage', 'SEV2', 'serving', 'closed', ?, ?, ?, 'gunicorn workers exhausted')`).run(now, now, now).lastInsertRowid);
      db.prepare("INSERT INTO timeline_events (incident_id, kind, body, phase, occurred_at, captured_at) VALUES (?, 'note', 'bumped the keepalive', 'mitigate', ?, ?)").run(id, now, now);
      db.prepare("INSERT INTO timeline_events (incident_id, kind, body, phase, occurred_at, captured_at, deleted_at) VALUES (?, 'note', 'a retracted remark', 'mitigate', ?, ?, ?)").run(id, now, now, now);
      db.close();
      const app = createApp({ dbPath: path, host: 'cli' });
      try {
        expect((await find(app, 'gunicorn'))[0]).toMatchObject({ key: 'INC-0001', source: 'summary' });
        expect((await find(app, 'keepalive'))[0]).toMatchObject({ source: 'timeline', where: 'timeline note · mitigate' });
        expect(await find(app, 'retracted')).toEqual([]);
        expect((await app.call('incident:list', { query: 'legacy' })).items.map((i) => i.key)).toEqual(['INC-0001']);
      } finally {
        app.close();
      }
    } finally {
      t.cleanup();
    }
  });

  it('keeps every text findable across the prefix-index migration (0013), and indexes what is written after it', async () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'v12.db');
      // The app of the previous version: its migrations only (PMW_MIGRATIONS_DIR), its services writing.
      const older = join(t.dir, 'migrations-v12');
      mkdirSync(older);
      for (const f of readdirSync(join(root, 'migrations'))) if (Number(f.slice(0, 4)) <= 12) copyFileSync(join(root, 'migrations', f), join(older, f));
      const prev = process.env.PMW_MIGRATIONS_DIR;
      process.env.PMW_MIGRATIONS_DIR = older;
      let before: App;
      try {
        before = createApp({ dbPath: path, host: 'cli' });
      } finally {
        if (prev === undefined) delete process.env.PMW_MIGRATIONS_DIR;
        else process.env.PMW_MIGRATIONS_DIR = prev;
      }
      let key = '';
      try {
        expect(before.db.pragma('user_version', { simple: true })).toBe(12);
        key = (await before.call('incident:create', { title: 'Scoring latency regression', severity: 'SEV2', failureClass: 'serving', summary: 'p99 doubled after the tokenizer bump' })).key;
        await before.call('timeline:add', { key, kind: 'note', body: 'rolled back the deployment in eu-west' });
        const drill = await before.call('incident:create', { title: 'Scoring drill', severity: 'SEV4', failureClass: 'serving', isDrill: true });
        await before.call('timeline:add', { key: drill.key, kind: 'note', body: 'rolled back during the rehearsal' });
      } finally {
        before.close();
      }
      const app = createApp({ dbPath: path, host: 'cli' });
      try {
        expect(app.db.pragma('user_version', { simple: true })).toBe(13);
        for (const q of ['scor', 'scori', 'scorin', 'tokeni', 'rolled back', 'eu-west', 'p99', key]) expect((await find(app, q)).map((h) => h.key), q).toContain(key);
        expect((await find(app, 'rehearsal'))).toEqual([]); // a drill's note: only with includeDrills
        expect((await find(app, 'rehearsal', { includeDrills: true }))).toHaveLength(1);
        await app.call('timeline:add', { key, kind: 'note', body: 'canary restored' });
        expect((await find(app, 'canar')).map((h) => h.source)).toEqual(['timeline']);
      } finally {
        app.close();
      }
    } finally {
      t.cleanup();
    }
  });

  it('turns typed text into a query that cannot be an FTS syntax error', () => {
    expect(compileQuery('numpy pand').match).toBe('"numpy" AND "pand"*');
    expect(compileQuery('INC-0042').match).toBe('"inc 0042"*');
    expect(compileQuery('"feature order" a').match).toBe('"feature order" AND "a"');
    expect(compileQuery('AND OR NOT ( ) * :').match).toBe('"and" AND "or" AND "not"*');
    expect(compileQuery('%%%').match).toBe('');
  });
  it('masks the secrets around a match in a long document, and one reaching across lines, whatever part of it is shown', async () => {
    const app = setup();
    const c = makeCorpus();
    const inc = await app.call('incident:create', { title: 'Leaked credentials in the runbook', severity: 'SEV2', failureClass: 'deployment' });
    const filler = (n: number, w: string) => Array.from({ length: n }, (_, i) => `step ${i}: check the ${w} dashboards and note what moved`);
    // No rule needs context here: the lines around each match are masked alone.
    const lines = [...filler(60, 'serving'), `use the deploy token ${c.githubToken} and`, `then rotate the scoring credentials at ${c.dbUrl}`, `slack ${c.slackToken} gets the scoring alert`, ...filler(60, 'training')];
    await app.call('doc:save', { key: inc.key, kind: 'runbook', content: `# Runbook\n\n${lines.join('\n')}\n` });
    // A PEM block: a rule that reaches across lines, so the whole document is masked.
    await app.call('doc:save', { key: inc.key, kind: 'postmortem', content: `# Postmortem\n\n${filler(40, 'ingest').join('\n')}\nThe signing key was committed:\n${c.pem}\nafter the tokenizer rebuild\n` });
    const shown = async (q: string) => {
      const hits = await find(app, q);
      for (const h of hits) for (const v of c.values) expect(h.snippet, `${q}: ${h.where}`).not.toContain(v);
      return hits;
    };
    expect((await shown('scoring')).map((h) => h.source)).toContain('runbook');
    // The window reaches the masked line before the match and the one after it.
    expect((await shown('rotate scoring')).find((h) => h.source === 'runbook')!.snippet).toMatch(/masked\] and then rotate the scoring credentials at postgres:\/\/svc:••••@/);
    expect((await shown('tokenizer rebuild')).map((h) => h.source)).toContain('postmortem');
    expect((await shown('signing key committed')).map((h) => h.source)).toContain('postmortem');
    // The secrets themselves find nothing (no hit may come from inside a masked value).
    expect(await shown(c.githubToken.slice(4))).toEqual([]);
    expect(await shown(c.pemBody[3])).toEqual([]);
    expect(await shown(c.dbPassword)).toEqual([]);
  });

  it('never shows a secret typed into a timeline note or a finding in a snippet, nor finds an incident by it', async () => {
    const app = setup();
    const token = 'ghp_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5';
    const pg = 'postgres://scorer:Hunter2Secret99@db.internal:5432/features';
    const inc = await app.call('incident:create', { title: 'Feature store writes rejected', severity: 'SEV2', failureClass: 'data', service: 'features' });
    await app.call('timeline:add', { key: inc.key, kind: 'note', body: `rotated the deploy token ${token} after the leak; connection ${pg} refused` });
    await app.call('finding:create', { key: inc.key, title: 'Credential in the job log', failureClass: 'data', description: `the job printed password=Tr0ub4dor-and-3 beside the rotated ${token}` });
    for (const q of ['rotated', 'refused', 'leak', 'printed', 'credential']) {
      const hits = await find(app, q);
      expect(hits.length, q).toBeGreaterThan(0);
      for (const h of hits) {
        for (const secret of [token, 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5', 'Hunter2Secret99', 'Tr0ub4dor-and-3']) {
          expect(h.snippet, q).not.toContain(secret);
          expect(h.parts.map((p) => p.text).join(''), q).not.toContain(secret);
        }
      }
    }
    expect((await find(app, 'rotated')).some((h) => h.snippet.includes('[masked]') || h.snippet.includes('••••'))).toBe(true);
    // The secret itself: the index holds the note as typed, but no hit may come from inside a masked value.
    expect(await find(app, 'Hunter2Secret99')).toEqual([]);
    expect(await find(app, 'Tr0ub4dor')).toEqual([]);
  });
});
