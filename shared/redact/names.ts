// Which key / variable / header / flag names hold secrets. Pure TypeScript.
//
// A name is split into lower-case words (snake_case, kebab-case, dotted, camelCase: "AWS_SECRET_ACCESS_KEY",
// "apiKey", "x-api-key", "spring.datasource.password", "AccountKey"). It is secret-bearing when
//   - a word contains a strong word (password, passwd, passphrase, secret, token, credential, apikey, …),
//     or is pass / pwd / creds / authorization / bearer / jwt, or two adjacent words form one (api key,
//     access key, private key, client secret, session id, …);
//   - or its LAST word is a weak word (auth, session, cookie, dsn, sig, signature, sas): "basic_auth",
//     "SENTRY_DSN", "Cookie", but not "auth_enabled" or "session_timeout";
// unless its last word names metadata about a secret rather than the secret itself (…_FILE, …_URL,
// …_TIMEOUT, …_TTL, …_ID, …Ref, …_NAME, …_TYPE, …: "PASSWORD_FILE", "secretKeyRef", "AUTH_URL",
// "AWS_ACCESS_KEY_ID" — an access key id is caught by its shape, AKIA…, instead).

const STRONG_IN_WORD = /password|passwd|passphrase|passcode|secret|credential|apikey|accesskey|privatekey|secretkey|authtoken|accesstoken|refreshtoken|bearertoken|token(?!iz|is|s$|s?count)/;
const STRONG_WORDS = new Set(['pass', 'pwd', 'pw', 'creds', 'authorization', 'bearer', 'jwt', 'otp', 'totp', 'mfa', 'pat']);
const WEAK_LAST = new Set(['auth', 'oauth', 'session', 'sessionid', 'cookie', 'cookies', 'dsn', 'sig', 'signature', 'sas', 'hmac']);
const KEY_QUALIFIERS = new Set([
  'api', 'access', 'private', 'secret', 'signing', 'encryption', 'encrypt', 'decrypt', 'master', 'client', 'account', 'subscription',
  'service', 'webhook', 'app', 'auth', 'shared', 'storage', 'consumer', 'license', 'deploy', 'ssh', 'gpg', 'pgp', 'hmac', 'session', 'crypto',
]);
const PAIRS = new Set(['session id', 'session key', 'client secret', 'app secret', 'auth key', 'sas key']);
/** Last words that make the name about a secret (where it is, how long it lives), not the secret. */
const METADATA_LAST = new Set([
  'id', 'ids', 'name', 'names', 'file', 'files', 'path', 'paths', 'dir', 'url', 'uri', 'urls', 'endpoint', 'host', 'hostname', 'port',
  'type', 'types', 'kind', 'mode', 'method', 'methods', 'enabled', 'disabled', 'enable', 'disable', 'required', 'optional', 'count',
  'length', 'len', 'size', 'limit', 'max', 'min', 'timeout', 'ttl', 'expiry', 'expires', 'expiration', 'lifetime', 'provider', 'providers',
  'version', 'format', 'algorithm', 'alg', 'scope', 'scopes', 'policy', 'level', 'ref', 'refs', 'from', 'arn', 'region', 'location',
  'rotation', 'created', 'updated', 'backend', 'store', 'manager', 'mount', 'prefix', 'suffix', 'pattern', 'regex', 'field', 'column',
  'domain', 'secure', 'samesite', 'httponly', 'strategy', 'flow', 'issuer', 'audience', 'realm', 'server', 'service', 'plugin', 'class',
]);
/** First words that make the name a switch or an action about secrets ("--include-secrets", "enable_auth", "mask_tokens"). */
const ACTION_FIRST = new Set([
  'allow', 'include', 'exclude', 'skip', 'no', 'disable', 'enable', 'show', 'hide', 'mask', 'unmask', 'redact', 'check', 'scan', 'rotate',
  'generate', 'list', 'with', 'without', 'use', 'require', 'requires', 'has', 'is', 'print', 'validate', 'verify', 'delete', 'remove',
  'reset', 'clear', 'forbid', 'ignore', 'keep', 'strip', 'log', 'dump',
]);
const NEVER_SECRET = new Set(['pwd', 'oldpwd', 'keymap', 'keytimeout', 'tokenizers_parallelism', 'secretkeyref', 'secretref', 'secretname']);

/** Lower-case words of a name: "AWS_SECRET_ACCESS_KEY" → aws, secret, access, key; "apiKey" → api, key. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const memo = new Map<string, boolean>();

/** True when a value stored under this key / variable / header / flag name is a secret. */
export function isSecretName(name: string | null | undefined): boolean {
  if (!name) return false;
  let r = memo.get(name);
  if (r === undefined) {
    r = classify(name);
    if (memo.size > 20_000) memo.clear();
    memo.set(name, r);
  }
  return r;
}

function classify(name: string): boolean {
  const bare = name.replace(/^-+/, '').trim();
  if (!bare || bare.length > 200) return false;
  if (NEVER_SECRET.has(bare.toLowerCase())) return false;
  const w = nameWords(bare);
  if (!w.length) return false;
  const last = w[w.length - 1];
  if (w.length > 1 && ACTION_FIRST.has(w[0])) return false;
  if (METADATA_LAST.has(last) && !(w.length >= 2 && PAIRS.has(`${w[w.length - 2]} ${last}`))) return false;
  if (WEAK_LAST.has(last)) return true;
  for (let i = 0; i < w.length; i++) {
    const x = w[i];
    if (STRONG_WORDS.has(x) || STRONG_IN_WORD.test(x)) return true;
    if (x === 'key' && i > 0 && KEY_QUALIFIERS.has(w[i - 1])) return true;
    if (i > 0 && PAIRS.has(`${w[i - 1]} ${x}`)) return true;
  }
  return false;
}

const VERSION_CLAUSE = /^(?:===|==|>=|<=|!=|~=|\^|~|>|<|=)?[ \t]*v?\d+(?:\.(?:\d+|[x*]))*(?:[-.+_]?[A-Za-z][A-Za-z0-9.+-]*)?$/;

/**
 * A version or version constraint (">=1.2", "^4.17.21", "1.24.4", "2.14.1,<3.0.dev0", "*"): what a
 * package name maps to in lockfiles and manifests ("google-auth", "jsonwebtoken", "express-session").
 * Never a secret: at least one clause has an operator or a dot, so a numeric PIN is not one.
 */
export function isVersionSpec(v: string): boolean {
  const t = v.trim().replace(/^(["'])(.*)\1$/s, '$2').trim();
  if (t === '*' || t === 'latest') return true;
  if (!t || t.length > 200) return false;
  const clauses = t.split(/\s*(?:,|\|\||\s)\s*/).filter(Boolean);
  return clauses.every((c) => VERSION_CLAUSE.test(c)) && clauses.some((c) => /[=<>~^!]|\./.test(c));
}

/**
 * Values that say nothing about a secret and stay visible: empty, null/none, true/false, template
 * references (${VAR}, $VAR, {{ .Values.x }}, %VAR%, <placeholder>), and already-masked text.
 */
export function isPlaceholderValue(v: string): boolean {
  const t = v.trim().replace(/^(["'])(.*)\1$/s, '$2').trim();
  if (!t) return true;
  if (/^(null|none|nil|undefined|~|true|false|yes|no|on|off|redacted|\[redacted\]|masked|\[masked\]|<redacted>|<masked>|hidden|\*+|x+|•+|\.+|-+)$/i.test(t)) return true;
  if (/^\$\{[^}]{1,200}\}$|^\$[A-Za-z_][A-Za-z0-9_]{0,100}$|^\{\{[^}]{1,200}\}\}$|^%[A-Za-z_][A-Za-z0-9_]{0,100}%$|^<[^<>]{1,100}>$/.test(t)) return true;
  if (t.includes('••••') || t.includes('…[masked')) return true;
  if (isVersionSpec(t)) return true;
  return false;
}
