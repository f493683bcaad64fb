// Issue 8 end to end: credentials of every kind, captured in every artifact kind as last-known-good
// and failing, go through capture → diff → a finding from every change → stubs → postmortem → bundle →
// export to a real git repository, through the CLI and the API. No secret value may appear anywhere:
// not in a diff, finding, generated file, document, bundle, CLI output, nor `git log -p` of the export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type App } from '../../main/app';
import { main } from '../../main/cli/index';
import { gitEnv } from '../../main/git';
import { findPython } from '../../main/python';
import { ApiError } from '../../shared/api/errors';
import type { IncidentBundle } from '../../shared/api/contract';
import { SECRET_GEN_KIND } from '../../shared/generators/secretTests';
import { tempDir } from './helpers';
import { corpusArtifacts, makeCorpus, type Corpus } from './secrets-corpus';

const EXT: Record<string, string> = { env: 'env', yaml: 'yaml', json: 'json', 'k8s-secret': 'yaml', 'k8s-manifest': 'yaml', log: 'log', text: 'txt' };
const KEY = 'INC-0001';

function g(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function pmw(db: string, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main([...argv, '--db', db], { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

/** Every form a secret of this corpus could leak in: the value, and the base64 a Kubernetes Secret holds. */
function forms(c: Corpus): string[] {
  return [...c.values, Buffer.from(c.dbUrl).toString('base64'), Buffer.from(c.githubToken).toString('base64')];
}

const t = tempDir('pmw-secrets-flow-');
const dir = realpathSync(t.dir);
const db = join(dir, 'workbench.db');
const lkg = makeCorpus();
const bad = makeCorpus();
const files: { kind: string; lkg: string; bad: string }[] = [];
const seen: { what: string; text: string }[] = [];
let app: App;
let repo: string;

function see(what: string, text: string) {
  seen.push({ what, text });
}

beforeAll(() => {
  const a = corpusArtifacts(lkg);
  const b = corpusArtifacts(bad);
  mkdirSync(join(dir, 'artifacts'));
  for (const k of Object.keys(a) as (keyof typeof a)[]) {
    const f = { kind: k, lkg: join(dir, 'artifacts', `ranker-${k}-lkg.${EXT[k]}`), bad: join(dir, 'artifacts', `ranker-${k}-failing.${EXT[k]}`) };
    writeFileSync(f.lkg, a[k]);
    // The failing log has one more error (a new signature), whose line holds a secret.
    writeFileSync(f.bad, k === 'log' ? `${b[k]}2026-03-02T10:00:09Z ERROR login rejected password=${bad.dbPassword} token=${bad.githubToken}\n` : b[k]);
    files.push(f);
  }
  // A YAML config whose failing side does not parse: the fallback text diff must be redacted too.
  const broken = { kind: 'broken-yaml', lkg: join(dir, 'artifacts', 'ranker-broken-lkg.yaml'), bad: join(dir, 'artifacts', 'ranker-broken-failing.yaml') };
  writeFileSync(broken.lkg, a.yaml);
  writeFileSync(broken.bad, b.yaml.replace('database:\n', 'database: [unclosed\n'));
  files.push(broken);
  repo = join(dir, 'team-repo');
  mkdirSync(repo);
  g(repo, 'init', '-q', '-b', 'main');
  g(repo, 'config', 'user.email', 'responder@example.com');
  g(repo, 'config', 'user.name', 'Test Responder');
  g(repo, 'config', 'commit.gpgsign', 'false');
  writeFileSync(join(repo, 'README.md'), '# ranker\n');
  g(repo, 'add', 'README.md');
  g(repo, 'commit', '-q', '-m', 'init');
});

afterAll(() => {
  try {
    app?.close();
  } catch {
    /* closed */
  }
  t.cleanup();
});

describe('no secret leaves the machine unmasked (issue 8)', () => {
  it('capture (CLI) → diff → finding from every change → suggest → stubs → postmortem → bundle → export', async () => {
    const created = await pmw(db, 'incident', 'new', '--title', 'Ranker credentials rotated', '--severity', 'SEV2', '--class', 'deployment', '--service', 'ranker');
    expect(created.code).toBe(0);
    for (const f of files) {
      for (const [role, path] of [['last-known-good', f.lkg], ['failing', f.bad]] as const) {
        const r = await pmw(db, 'artifact', 'add', KEY, '--role', role, path, '--json');
        expect(r.code, r.err).toBe(0);
        see(`artifact add ${path}`, r.out + r.err);
      }
    }

    app = createApp({ dbPath: db, host: 'cli' });
    const pairs = await app.call('artifact:pairs', { key: KEY });
    expect(pairs).toHaveLength(files.length);
    let changes = 0;
    for (const p of pairs) {
      const view = await app.call('artifact:diff', { key: KEY, beforeId: p.before.id, afterId: p.after.id });
      see(`diff ${p.before.name}`, JSON.stringify(view));
      expect(view.changes.length, p.before.name).toBeGreaterThan(0);
      if (p.before.name.includes('broken')) expect(view.parseError, 'a YAML that does not parse is a parse error').toBeTruthy();
      for (const c of [await app.call('artifact:content', { key: KEY, id: p.before.id }), await app.call('artifact:content', { key: KEY, id: p.after.id })]) {
        expect(c.revealed).toBe(false);
        expect(c.masked).toBeGreaterThan(0);
        see(`content ${c.id}`, JSON.stringify(c));
      }
      // A finding from every change, as the diff view's "Save as finding" makes it.
      for (const c of view.changes) {
        const f = await app.call('finding:create', {
          key: KEY,
          title: c.message.slice(0, 300),
          failureClass: c.failureClass,
          genKind: c.kind.slice(0, 80),
          params: c.params ?? {},
          evidence: { artifactIds: [p.before.id, p.after.id], changes: [c as unknown as Record<string, unknown>] },
        });
        see(`finding ${f.id}`, JSON.stringify(f));
        changes++;
      }
    }
    expect(changes).toBeGreaterThan(30);
    const env = pairs.find((p) => p.before.name.endsWith('-env-lkg.env'))!;
    const envDiff = await app.call('artifact:diff', { key: KEY, beforeId: env.before.id, afterId: env.after.id });
    const pw = envDiff.changes.find((c) => c.subject === 'AWS_SECRET_ACCESS_KEY')!;
    expect(pw.message).toMatch(/^env var AWS_SECRET_ACCESS_KEY changed \(secret masked; fingerprint [0-9a-f]{8} → [0-9a-f]{8}\)$/);
    const url = envDiff.changes.find((c) => c.subject === 'FEATURE_STORE_URL')!;
    expect(url.before).toBe('postgres://svc:••••@db.internal:5432/features');

    const suggested = await pmw(db, 'finding', 'suggest', KEY, '--accept', '--json');
    expect(suggested.code, suggested.err).toBe(0);
    see('finding suggest', suggested.out);
    const listed = await pmw(db, 'finding', 'list', KEY, '--json');
    see('finding list', listed.out);
    const findings = await app.call('finding:list', { key: KEY });
    const secretTests = findings.filter((f) => f.genKind === SECRET_GEN_KIND);
    expect(secretTests.length, 'findings on changed secrets pin them by a salted hash').toBeGreaterThan(3);
    for (const f of secretTests) expect(f.params).toMatchObject({ algorithm: 'pbkdf2-sha256', iterations: 100_000 });

    const stubs = join(dir, 'stubs');
    const st = await pmw(db, 'stubs', KEY, '--out', stubs);
    expect(st.code, st.err).toBe(0);
    const stubFiles = readdirSync(stubs, { recursive: true }).map(String).filter((p) => statSync(join(stubs, p)).isFile());
    expect(stubFiles.some((p) => p.endsWith('test_inc_0001_secrets.py'))).toBe(true);
    for (const p of stubFiles) see(`stub ${p}`, readFileSync(join(stubs, p), 'utf8'));
    const pm = await pmw(db, 'postmortem', KEY);
    expect(pm.code).toBe(0);
    see('postmortem', pm.out);
    see('runbook', (await app.call('doc:get', { key: KEY, kind: 'runbook' })).content);

    const bundle = await pmw(db, 'bundle', 'export', KEY);
    expect(bundle.code).toBe(0);
    expect(bundle.err).toMatch(/secret values? masked in the bundle/);
    see('bundle', bundle.out);
    const parsed = JSON.parse(bundle.out) as IncidentBundle;
    for (const a of parsed.artifacts) see(`bundle artifact ${a.name}`, Buffer.from(a.contentBase64, 'base64').toString('utf8'));
    expect(parsed.redaction?.masked).toBe(true);
    expect(parsed.redaction!.artifacts.length).toBe(files.length * 2);

    const exp = await pmw(db, 'export', KEY, '--repo', repo, '--json');
    expect(exp.code, exp.err).toBe(0);
    see('export', exp.out);
    see('git log -p', g(repo, 'log', '-p', '--all'));
    see('timeline', JSON.stringify(await app.call('incident:get', { key: KEY })));

    const cliDiff = await pmw(db, 'diff', files[0].lkg, files[0].bad, '--json');
    expect(cliDiff.code).toBe(0);
    see('pmw diff --json', cliDiff.out + cliDiff.err);
    const cliText = await pmw(db, 'diff', files[6].lkg, files[6].bad);
    see('pmw diff', cliText.out + cliText.err);

    const leaks: string[] = [];
    for (const v of [...forms(lkg), ...forms(bad)]) for (const s of seen) if (s.text.includes(v)) leaks.push(`${s.what}: …${v.slice(0, 6)}…`);
    expect(leaks).toEqual([]);
    expect(seen.length).toBeGreaterThan(60);
  }, 240_000);

  const python = findPython();
  const itPy = python ? it : it.skip;
  itPy(`the secret regression test passes on the last-known-good value and fails on the rotated one (real pytest)${python ? '' : ' [skipped: no Python with pytest]'}`, () => {
    const module = readdirSync(join(dir, 'stubs'), { recursive: true }).map(String).find((p) => p.endsWith('test_inc_0001_secrets.py'))!;
    const path = join(dir, 'stubs', module);
    const src = readFileSync(path, 'utf8');
    const envTest = /def (test_f\d+_secret_unchanged)\(\):\n {4}_check_secret\((F\d+)_SECRET\)/g;
    const envIds = [...src.matchAll(envTest)].filter((m) => new RegExp(`^${m[2]}_SECRET = \\{'source': 'env'`, 'm').test(src)).map((m) => m[1]);
    expect(envIds.length).toBeGreaterThan(0);
    const run = (envFile: string) =>
      spawnSync(python!, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-k', envIds.join(' or '), path], { env: { ...process.env, PMW_ENV_FILE: envFile }, encoding: 'utf8' });
    const envPair = files.find((f) => f.kind === 'env')!;
    const ok = run(envPair.lkg);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    const rotated = run(envPair.bad);
    expect(rotated.status).toBe(1);
    expect(rotated.stdout).toMatch(/to be the same secret as in the last-known-good artifacts \(pbkdf2-sha256 hash\), found a different value/);
    for (const v of [...forms(lkg), ...forms(bad)]) expect(rotated.stdout + rotated.stderr).not.toContain(v);
  }, 60_000);

  it('the web host and the CLI refuse to reveal; the desktop host reveals and logs it', async () => {
    const [a] = await app.call('artifact:list', { key: KEY });
    await expect(app.call('artifact:reveal', { key: KEY, id: a.id })).rejects.toThrow(/only in the desktop app/);
    const web = createApp({ dbPath: db, host: 'web', refuse: ['artifact:addPath'] });
    try {
      const env = await web.dispatch('artifact:reveal', { key: KEY, id: a.id });
      expect(env.ok).toBe(false);
    } finally {
      web.close();
    }
    const desk = createApp({ dbPath: db, host: 'electron' });
    try {
      const c = await desk.call('artifact:reveal', { key: KEY, id: a.id, reason: 'compare with the vault' });
      expect(c.revealed).toBe(true);
      expect(c.text).toContain(lkg.awsKeyId);
      const inc = await desk.call('incident:get', { key: KEY });
      const last = inc.timeline[inc.timeline.length - 1];
      expect(last.kind).toBe('action');
      expect(last.body).toMatch(new RegExp(`^Revealed the unmasked text of artifact #${a.id} ${a.name} \\(\\d+ secret values\\) in the desktop app\\. Reason: compare with the vault$`));
    } finally {
      desk.close();
    }
  });

  it('a secret typed into the postmortem refuses the export (file, line, rule; nothing written) unless overridden with a reason', async () => {
    const doc = await app.call('doc:get', { key: KEY, kind: 'postmortem' });
    const lines = doc.content.split('\n');
    lines.splice(3, 0, `Fixture key for the replay test: ${bad.awsKeyId}`);
    await app.call('doc:save', { key: KEY, kind: 'postmortem', content: lines.join('\n') });
    const branch = 'postmortem/INC-0001-again';
    const before = g(repo, 'for-each-ref');
    const preview = await app.call('export:preview', { key: KEY, repo, branch });
    const hit = preview.secrets.find((h) => h.rule === 'aws-access-key-id')!;
    expect(hit).toMatchObject({ line: 4, allowed: false });
    expect(hit.file).toMatch(/^postmortems\/.+\.md$/);
    expect(preview.refusals.map((r) => r.code)).toContain('SECRET_DETECTED');
    const err = await app.call('export:run', { key: KEY, repo, branch }).catch((e) => ApiError.from(e));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('SECRET_DETECTED');
    expect((err as ApiError).details?.secrets).toEqual([{ file: hit.file, line: 4, rule: 'aws-access-key-id' }]);
    expect(g(repo, 'for-each-ref')).toBe(before);

    const rec = await app.call('export:run', { key: KEY, repo, branch, allowSecrets: [{ file: hit.file, line: 4, rule: 'aws-access-key-id', reason: 'known replay fixture' }] });
    expect(rec.branch).toBe(branch);
    const inc = await app.call('incident:get', { key: KEY });
    const note = inc.timeline.find((e) => e.body.startsWith('Secret scan overridden'))!;
    expect(note.kind).toBe('decision');
    expect(note.body).toContain(`${hit.file}:4 (aws-access-key-id) — known replay fixture`);
  }, 60_000);

  it('importing a masked bundle works and says which values were masked; --include-secrets keeps them', async () => {
    const masked = await app.call('bundle:export', { key: KEY });
    const imported = await app.call('bundle:import', { bundle: masked });
    expect(imported.key).not.toBe(KEY);
    expect(imported.bundleMasked?.masked).toBe(true);
    const note = imported.timeline.find((e) => e.body.startsWith('Imported from a bundle with secrets masked'))!;
    expect(note.body).toMatch(/ranker-env-lkg\.env: \d+ values \(lines 1, 2, 3, 4, 5, 6/);
    const clear = await app.call('bundle:export', { key: KEY, includeSecrets: true });
    expect(clear.redaction?.masked).toBe(false);
    const env = clear.artifacts.find((a) => a.name === 'ranker-env-lkg.env')!;
    expect(Buffer.from(env.contentBase64, 'base64').toString('utf8')).toContain(lkg.githubToken);
    const cli = await pmw(db, 'bundle', 'export', KEY, '--include-secrets');
    expect(cli.err).toMatch(/warning: --include-secrets/);
    const cliEnv = (JSON.parse(cli.out) as IncidentBundle).artifacts.find((a) => a.name === 'ranker-env-lkg.env')!;
    expect(Buffer.from(cliEnv.contentBase64, 'base64').toString('utf8')).toContain(lkg.githubToken);
  });

  it('pmw diff exits 2 with FILE:LINE when a file does not parse as its kind, and prints only redacted text', async () => {
    const broken = files.find((f) => f.kind === 'broken-yaml')!;
    const r = await pmw(db, 'diff', broken.lkg, broken.bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`pmw: cannot parse ${broken.bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+(:\\d+)? as yaml: YAML: `));
    for (const v of [...forms(lkg), ...forms(bad)]) expect(r.out + r.err).not.toContain(v);
  });
});
