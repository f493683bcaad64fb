// shared/redact: the six credential kinds of issue 8 (and more) in every artifact kind are masked with
// the non-secret part visible; false positives stay; the scan finds what the masking hides.
import { describe, expect, it } from 'vitest';
import { pbkdf2Sync } from 'node:crypto';
import {
  MASK, SHAPE_RULES, fingerprint, hasSecret, mayHoldSecrets, isSecretName, maskValue, newFingerprintKey, redactDeep, redactDetailed, redactText, saltedHash, scanText, withFingerprintKey,
} from '../../shared/redact/index';
import { secretlintHits, SECRETLINT_RULE_IDS } from '../../shared/redact/secretlint';
import { corpusArtifacts, makeCorpus, notSecrets, rnd } from './secrets-corpus';

const c = makeCorpus();
const arts = corpusArtifacts(c);

describe('redactText over every artifact kind', () => {
  for (const [kind, text] of Object.entries(arts)) {
    it(`${kind}: no secret value survives, line count is kept, the result scans clean`, () => {
      const r = redactDetailed(text);
      for (const v of c.values) expect(r.text, `${kind} leaks ${v.slice(0, 6)}…`).not.toContain(v);
      expect(r.text.split('\n')).toHaveLength(text.split('\n').length);
      expect(r.masked.length).toBeGreaterThan(0);
      expect(scanText(r.text)).toEqual([]);
      // Idempotent: masking masked text changes nothing.
      expect(redactText(r.text)).toBe(r.text);
    });
  }

  it('redacting JSON output (the CLI --json) keeps it valid JSON, raw or already masked', () => {
    for (const [kind, text] of Object.entries(arts)) {
      for (const doc of [{ content: text, n: 1 }, { content: redactText(text), n: 2 }, { nested: [{ body: text.split('\n') }] }]) {
        const out = redactText(JSON.stringify(doc, null, 2));
        expect(() => JSON.parse(out), kind).not.toThrow();
        for (const v of c.values) expect(out, kind).not.toContain(v);
      }
    }
  });

  it('a PEM marker cut short (a clipped message) never masks up to another text’s END marker', () => {
    const clipped = redactText(`key changed: ${c.pem}`).slice(0, 80) + '…';
    const doc = JSON.stringify({ title: clipped, params: { name: 'TLS_KEY', highlighted: false }, after: redactText(c.pem) }, null, 2);
    const out = redactText(doc);
    expect(out).toBe(doc);
    expect(JSON.parse(out).params).toEqual({ name: 'TLS_KEY', highlighted: false });
  });

  it('keeps the non-secret part visible: provider prefix, URL scheme, user, host, port and path', () => {
    const env = redactText(arts.env);
    expect(env).toContain('AWS_ACCESS_KEY_ID=AKIA…[masked]');
    expect(env).toContain('FEATURE_STORE_URL=postgres://svc:••••@db.internal:5432/features');
    expect(env).toContain('HTTP_HEADERS=Authorization: Bearer ••••');
    expect(env).toContain('GOOGLE_MAPS=AIza…[masked]');
    expect(env).toContain('CI_JOB=glpat-…[masked]');
    expect(env).toContain('AccountName=feat;AccountKey=••••;EndpointSuffix=core.windows.net');
    expect(env).toContain('OMP_NUM_THREADS=8');
    const log = redactText(arts.log);
    expect(log).toContain('ERROR push failed for token ghp_…[masked]');
    expect(log).toContain('WARN slack notify xoxb-…[masked] rate limited');
    expect(log).toContain('"password":"••••","user":"svc"');
    const yaml = redactText(arts.yaml);
    expect(yaml).toContain('  password: ••••\n');
    expect(yaml).toContain('threshold: 0.42');
  });

  it('masks a PEM private key body line by line and keeps its markers', () => {
    const r = redactText(arts.text).split('\n');
    const begin = r.findIndex((l) => /^-{5}BEGIN RSA PRIVATE KEY-{5}$/.test(l));
    expect(begin).toBeGreaterThan(0);
    for (let i = 1; i <= c.pemBody.length; i++) expect(r[begin + i]).toBe(MASK);
    expect(r[begin + c.pemBody.length + 1]).toMatch(/^-{5}END RSA PRIVATE KEY-{5}$/);
  });

  it('masks every value of a Kubernetes Secret (data and stringData), whatever the key', () => {
    const r = redactText(arts['k8s-secret']);
    expect(r).toContain('  DB_URL: ••••\n');
    expect(r).toContain('  aws-key-id: ••••\n');
    expect(r).toContain('  name: ranker-credentials\n');
    expect(r).toContain('type: Opaque\n');
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, data: { token: 'dG9r', plain: 'cGxhaW4=' } });
    expect(redactText(json)).toBe(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, data: { token: MASK, plain: MASK } }));
  });

  it('masks Kubernetes env values by the name of the variable on the line above', () => {
    const r = redactText(arts['k8s-manifest']);
    expect(r).toContain('        - name: AWS_SECRET_ACCESS_KEY\n          value: ••••\n');
    expect(r).toContain('value: postgres://svc:••••@db.internal:5432/features');
    expect(r).toContain('image: registry.internal/ranker:1.4.2');
  });

  it('adds keyed fingerprints on request, so two texts differing in a secret still differ', () => {
    const a = redactText('password=alpha-1234', { fingerprints: true });
    const b = redactText('password=bravo-5678', { fingerprints: true });
    expect(a).toMatch(/^password=••••\[fp:[0-9a-f]{8}\]$/);
    expect(a).not.toBe(b);
    expect(redactText('password=alpha-1234', { fingerprints: true })).toBe(a);
  });
});

describe('false positives', () => {
  for (const [what, text] of Object.entries(notSecrets())) {
    it(`${what} is not a secret`, () => {
      expect(redactText(text)).toBe(text);
      expect(scanText(text)).toEqual([]);
    });
  }

  it('placeholders and version constraints stay visible', () => {
    for (const t of ['password: ""', 'password: null', 'DB_PASSWORD=${DB_PASSWORD}', 'token: "{{ .Values.token }}"', 'api_key: <redacted>', 'google-auth = ">=2.14.1,<3.0.dev0"', '"jsonwebtoken": "^9.0.0"', 'secret: true'])
      expect(redactText(t)).toBe(t);
  });
});

describe('shape hints', () => {
  it('every match of a shape rule holds one of its hints (a text without one skips the rule)', () => {
    // Each rule's own shapes, every prefix spelled out, plus the corpus: a hint the rule can match
    // without would let that secret through unmasked.
    const body = rnd(40);
    const samples = [
      ...Object.values(arts),
      ...['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'].map((x) => `t=${x}${body}`),
      `github_pat_${rnd(30)}`,
      ...['glpat', 'gldt', 'glrt', 'glptt', 'glsoat', 'glcbt', 'glimt', 'glagent', 'gloas'].map((x) => `token ${x}-${rnd(24)}`),
    ];
    let matched = 0;
    for (const r of SHAPE_RULES) {
      for (const t of samples) {
        const re = new RegExp(r.re.source, r.re.flags.includes('g') ? r.re.flags : r.re.flags + 'g');
        for (const m of t.matchAll(re)) {
          matched++;
          expect(r.hints.some((h) => m[0].toLowerCase().includes(h.toLowerCase())), `${r.id}: ${m[0].slice(0, 12)}…`).toBe(true);
        }
      }
    }
    expect(matched).toBeGreaterThan(30);
  });
  it('a caseless rule fires whatever the case of its hint (AccountKey=, SharedAccessKey=)', () => {
    const k = rnd(86, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') + '==';
    for (const name of ['AccountKey', 'SharedAccessKey', 'ACCOUNTKEY'])
      expect(redactDetailed(`Endpoint=sb://x.servicebus.windows.net/;${name}=${k}`).masked.map((m) => m.rule)).toContain('azure-connection-string');
  });
  it('words with "gh" or "gl" in them do not send a text through every rule', () => {
    const words = ['the highlight of the night', 'glibc 2.36 and gloo backend', 'English thoughts'];
    expect(mayHoldSecrets(words)).toEqual([false, false, false]);
    for (const t of words) expect(redactDetailed(t)).toEqual({ text: t, masked: [], secrets: [] });
    expect(redactText(`x=${['gh', 'p_'].join('')}${rnd(36)}`)).toContain('[masked]');
    expect(redactText(`x ${['gl', 'pat-'].join('')}${rnd(24)}`)).toContain('[masked]');
  });
});

describe('names', () => {
  it('classifies keys, variables, headers and flags', () => {
    const yes = ['password', 'DB_PASSWORD', 'PGPASSWORD', 'passwd', 'db_pass', 'secret', 'client_secret', 'AWS_SECRET_ACCESS_KEY', 'api_key', 'apiKey', 'x-api-key', 'access_key', 'private_key',
      'privateKey', 'credentials', 'auth', 'basic_auth', 'Authorization', 'Cookie', 'set-cookie', 'session', 'session_id', 'SENTRY_DSN', 'GITHUB_TOKEN', 'HF_TOKEN', 'token', 'AccountKey', '--password'];
    const no = ['PWD', 'OLDPWD', 'TOKENIZERS_PARALLELISM', 'max_tokens', 'token_count', 'PASSWORD_FILE', 'secretKeyRef', 'AUTH_URL', 'auth_enabled', 'session_timeout', 'AWS_ACCESS_KEY_ID', 'key',
      'primary_key', 'sort_key', 'KEYMAP', 'name', 'bypass', 'compass', '--include-secrets', 'enable_auth', 'spark.sql.session.timeZone'];
    for (const n of yes) expect(isSecretName(n), n).toBe(true);
    for (const n of no) expect(isSecretName(n), n).toBe(false);
  });

  it('maskValue masks a value whole under a secret name, keeping a URL host and an auth scheme', () => {
    expect(maskValue('hunter2', 'DB_PASSWORD')).toBe(MASK);
    expect(maskValue('"q" # p4ss', 'DB_PASSWORD')).toBe(MASK); // a known value is masked whole, quotes and " #" included
    expect(maskValue('https://abc123@o1.ingest.example.io/5', 'SENTRY_DSN')).toBe('https://••••@o1.ingest.example.io/5');
    expect(maskValue('Bearer abc.def.ghi1234', 'Authorization')).toBe('Bearer ••••');
    expect(maskValue(c.dbUrl, 'FEATURE_STORE_URL')).toBe('postgres://svc:••••@db.internal:5432/features');
    expect(maskValue('/var/run/x', 'HOME')).toBe('/var/run/x');
    expect(hasSecret(c.githubToken)).toBe(true);
    expect(hasSecret('0.42', 'threshold')).toBe(false);
  });

  it('redactDeep masks strings and numbers under secret keys and every string elsewhere, keeping the shape', () => {
    const v = { name: 'svc', password: 'x9', pin: 1234, token: 5, nested: [{ api_key: 'k-1234', url: c.dbUrl, enabled: true }], n: 3 };
    const stats = { masked: 0 };
    expect(redactDeep(v, {}, stats)).toEqual({ name: 'svc', password: MASK, pin: 1234, token: MASK, nested: [{ api_key: MASK, url: 'postgres://svc:••••@db.internal:5432/features', enabled: true }], n: 3 });
    expect(stats.masked).toBe(4);
  });
});

describe('hashes', () => {
  it('fingerprints are 8 hex digits, stable for a value, different for another, and depend on the key', () => {
    const k1 = newFingerprintKey();
    const k2 = newFingerprintKey();
    const a = withFingerprintKey(k1, () => fingerprint('hunter2'));
    expect(a).toMatch(/^[0-9a-f]{8}$/);
    expect(withFingerprintKey(k1, () => fingerprint('hunter2'))).toBe(a);
    expect(withFingerprintKey(k1, () => fingerprint('hunter3'))).not.toBe(a);
    expect(withFingerprintKey(k2, () => fingerprint('hunter2'))).not.toBe(a);
  });

  it('saltedHash is PBKDF2-HMAC-SHA256 as node (and Python hashlib) compute it, with a fresh salt each time', () => {
    const h = saltedHash('s3cr3t-value', { iterations: 20_000 });
    expect(h.hash).toBe(pbkdf2Sync('s3cr3t-value', Buffer.from(h.salt, 'hex'), 20_000, 32, 'sha256').toString('hex'));
    expect(h.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(saltedHash('s3cr3t-value', { iterations: 20_000 }).salt).not.toBe(h.salt);
  });
});

describe('scan', () => {
  it('reports line and rule of every unmasked secret, and nothing for masked output', () => {
    const text = ['ok line', `key id ${c.awsKeyId}`, 'fine', `url ${c.dbUrl}`, `password=${rnd(12)}`].join('\n');
    expect(scanText(text)).toEqual([
      { line: 2, rule: 'aws-access-key-id' },
      { line: 4, rule: 'url-credentials' },
      { line: 5, rule: 'secret-name' },
    ]);
    expect(scanText(redactText(text))).toEqual([]);
  });

  it("runs secretlint's rules synchronously and they agree on the corpus", () => {
    expect(SECRETLINT_RULE_IDS.length).toBeGreaterThanOrEqual(8);
    const hits = secretlintHits(arts.env);
    const rules = new Set(hits.map((h) => h.rule));
    for (const r of ['secretlint/aws', 'secretlint/github', 'secretlint/slack', 'secretlint/privatekey', 'secretlint/database-connection-string']) expect(rules.has(r), r).toBe(true);
    expect(secretlintHits(redactText(arts.env))).toEqual([]);
  });
});
