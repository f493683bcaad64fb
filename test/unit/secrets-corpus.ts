// A corpus of credential shapes, generated at run time from random characters: never a real key, and
// never a literal key in this repository (every prefix is built from parts, so no committed line looks
// like a credential). Used by the redaction, scan and end-to-end tests.
import { randomBytes } from 'node:crypto';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const B64 = ALNUM + '+/';

export function rnd(n: number, alphabet = ALNUM): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[bytes[i] % alphabet.length];
  return s;
}

/** Joins parts so no source line holds a credential prefix next to its body. */
const p = (...parts: string[]) => parts.join('');

export interface Corpus {
  awsKeyId: string;
  awsSecret: string;
  githubToken: string;
  slackToken: string;
  dbPassword: string;
  dbUrl: string;
  bearer: string;
  pemBody: string[];
  pem: string;
  gcpKey: string;
  stripeKey: string;
  jwt: string;
  gitlabToken: string;
  azureKey: string;
  /** Every secret value that must never appear anywhere (the PEM body lines included). */
  values: string[];
}

export function makeCorpus(): Corpus {
  const awsKeyId = p('AK', 'IA') + rnd(16, UPPER + DIGITS);
  const awsSecret = rnd(40, B64);
  const githubToken = p('gh', 'p_') + rnd(36);
  const slackToken = p('xo', 'xb-') + rnd(11, DIGITS) + '-' + rnd(12, DIGITS) + '-' + rnd(24);
  const dbPassword = rnd(6, LOWER) + rnd(4, DIGITS) + rnd(4, UPPER);
  const dbUrl = `postgres://svc:${dbPassword}@db.internal:5432/features`;
  const bearer = rnd(8, ALNUM) + '.' + rnd(32, ALNUM);
  // A PKCS#8-looking body ("MII…"), 64 columns, as real keys are.
  const body = p('MI', 'IE') + rnd(60 * 12, B64);
  const pemBody = body.match(/.{1,64}/g)!;
  const pem = [p('-----BEGIN ', 'RSA PRIV', 'ATE KEY-----'), ...pemBody, p('-----END ', 'RSA PRIV', 'ATE KEY-----')].join('\n');
  const gcpKey = p('AI', 'za') + rnd(35, ALNUM + '-_');
  const stripeKey = p('sk', '_live_') + rnd(24);
  const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const jwt = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: rnd(10), iat: 1700000000 + Number(rnd(5, DIGITS)) })}.${rnd(43, ALNUM + '-_')}`;
  const gitlabToken = p('gl', 'pat-') + rnd(20);
  const azureKey = rnd(86, B64) + '==';
  const values = [awsKeyId, awsSecret, githubToken, slackToken, dbPassword, bearer, gcpKey, stripeKey, jwt, gitlabToken, azureKey, ...pemBody];
  return { awsKeyId, awsSecret, githubToken, slackToken, dbPassword, dbUrl, bearer, pemBody, pem, gcpKey, stripeKey, jwt, gitlabToken, azureKey, values };
}

/** The six kinds of the issue, plus the rest, in each artifact kind. Keys: artifact kinds. */
export function corpusArtifacts(c: Corpus): Record<'env' | 'yaml' | 'json' | 'k8s-secret' | 'k8s-manifest' | 'log' | 'text', string> {
  const pemJson = JSON.stringify(c.pem);
  return {
    env: [
      `AWS_ACCESS_KEY_ID=${c.awsKeyId}`,
      `AWS_SECRET_ACCESS_KEY=${c.awsSecret}`,
      `export GITHUB_TOKEN=${c.githubToken}`,
      `SLACK_BOT_TOKEN="${c.slackToken}"`,
      `FEATURE_STORE_URL=${c.dbUrl}`,
      `HTTP_HEADERS=Authorization: Bearer ${c.bearer}`,
      `GOOGLE_MAPS=${c.gcpKey}`,
      `PAYMENTS=${c.stripeKey}`,
      `SESSION_JWT=${c.jwt}`,
      `CI_JOB=${c.gitlabToken}`,
      `AZURE_STORAGE=DefaultEndpointsProtocol=https;AccountName=feat;AccountKey=${c.azureKey};EndpointSuffix=core.windows.net`,
      `TLS_KEY="${c.pem}"`,
      'OMP_NUM_THREADS=8',
      '',
    ].join('\n'),
    yaml: [
      'service: ranker',
      'aws:',
      `  access_key_id: ${c.awsKeyId}`,
      `  secret_access_key: ${c.awsSecret}`,
      'github:',
      `  token: "${c.githubToken}"`,
      `slack: {bot: ${c.slackToken}}`,
      'database:',
      `  url: ${c.dbUrl}`,
      `  password: ${c.dbPassword}`,
      'http:',
      `  headers: ["Authorization: Bearer ${c.bearer}"]`,
      'tls:',
      '  key: |',
      ...c.pem.split('\n').map((l) => `    ${l}`),
      'threshold: 0.42',
      '',
    ].join('\n'),
    json: JSON.stringify(
      {
        aws: { accessKeyId: c.awsKeyId, secretAccessKey: c.awsSecret },
        github: { token: c.githubToken },
        slack: { webhookBot: c.slackToken },
        featureStore: { url: c.dbUrl, password: c.dbPassword },
        headers: { Authorization: `Bearer ${c.bearer}` },
        private_key: c.pem,
        threshold: 0.42,
      },
      null,
      2,
    ),
    'k8s-secret': [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: ranker-credentials',
      'type: Opaque',
      'data:',
      `  DB_URL: ${Buffer.from(c.dbUrl).toString('base64')}`,
      `  GH: ${Buffer.from(c.githubToken).toString('base64')}`,
      'stringData:',
      `  aws-key-id: ${c.awsKeyId}`,
      `  aws-secret: ${c.awsSecret}`,
      `  slack: ${c.slackToken}`,
      '  tls.key: |',
      ...c.pem.split('\n').map((l) => `    ${l}`),
      '',
    ].join('\n'),
    'k8s-manifest': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: ranker',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: ranker',
      '        image: registry.internal/ranker:1.4.2',
      '        args: ["--db", "' + c.dbUrl + '", "--token", "' + c.githubToken + '"]',
      '        env:',
      '        - name: AWS_SECRET_ACCESS_KEY',
      `          value: ${c.awsSecret}`,
      '        - name: AWS_ACCESS_KEY_ID',
      `          value: ${c.awsKeyId}`,
      '        - name: SLACK',
      `          value: ${c.slackToken}`,
      '        - name: FEATURE_STORE_URL',
      `          value: ${c.dbUrl}`,
      '        - name: AUTH_HEADER',
      `          value: "Bearer ${c.bearer}"`,
      '        - name: TLS_KEY',
      `          value: ${pemJson}`,
      '',
    ].join('\n'),
    log: [
      `2026-03-02T10:00:01Z INFO connecting to ${c.dbUrl}`,
      `2026-03-02T10:00:02Z DEBUG aws key=${c.awsKeyId} secret=${c.awsSecret}`,
      `2026-03-02T10:00:03Z DEBUG curl -H "Authorization: Bearer ${c.bearer}" https://api.internal/v1`,
      `2026-03-02T10:00:04Z ERROR push failed for token ${c.githubToken}`,
      `2026-03-02T10:00:05Z WARN slack notify ${c.slackToken} rate limited`,
      `2026-03-02T10:00:06Z ERROR {"event":"auth","password":"${c.dbPassword}","user":"svc"}`,
      `2026-03-02T10:00:07Z ERROR loading key: ${pemJson}`,
      '',
    ].join('\n'),
    text: [
      'Notes from the on-call:',
      `The job used ${c.awsKeyId} / ${c.awsSecret} for the bucket (aws_secret_access_key = ${c.awsSecret}).`,
      `GitHub token ${c.githubToken} and Slack ${c.slackToken} were in the runner env.`,
      `The DSN was ${c.dbUrl}; password=${c.dbPassword}.`,
      `Header sent: Authorization: Bearer ${c.bearer}`,
      c.pem,
      '',
    ].join('\n'),
  };
}

/** Things that look random but are not secrets: they must survive redaction unchanged. */
export function notSecrets(): Record<string, string> {
  const hex = (n: number) => rnd(n, '0123456789abcdef');
  const floats = Array.from({ length: 64 }, () => Math.random());
  const vec = Buffer.from(new Float32Array(floats).buffer).toString('base64');
  return {
    imageDigest: `image: registry.internal/ranker@sha256:${hex(64)}`,
    uuid: `request_id=${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
    modelHash: `model_sha256: ${hex(64)}`,
    gitSha: `commit ${hex(40)}`,
    featureVector: `embedding_b64: ${vec}`,
    md5: `checksum md5=${hex(32)}`,
    maxTokens: 'max_tokens: 4096',
    tokenizer: 'TOKENIZERS_PARALLELISM=false',
    secretRef: '      secretKeyRef:\n        name: hf-secret\n        key: hf_token',
    passwordFile: 'DB_PASSWORD_FILE=/run/secrets/db',
    authUrl: 'AUTH_URL=https://login.internal/oauth2',
    prose: 'The token expired at 03:10 and the session was reset.',
    url: 'url: https://feature-store.internal:5432/features?limit=10',
  };
}
