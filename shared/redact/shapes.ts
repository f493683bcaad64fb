// Credential shapes recognised whatever the key, with the exact part to mask so the non-secret part
// stays visible (a provider prefix, a URL's scheme, user and host, an auth scheme, PEM markers).
// Formats follow the providers' documentation and the patterns of secretlint's rules and gitleaks'
// default config (both MIT); secretlint itself also runs over the result (./secretlint.ts). Pure.

/** A part of a text to mask. `keep` leading characters stay visible ("AKIA…[masked]"). */
export interface Span {
  start: number;
  end: number;
  rule: string;
  keep?: number;
  /** Spans of one secret split around structure (a PEM body across JSON strings): counted once. */
  group?: number;
}

export interface ShapeRule {
  id: string;
  /** What it finds, for docs and the scan report. */
  what: string;
  re: RegExp;
  /** Spans for one match (default: the whole match, keeping `keep` characters). */
  spans?(m: RegExpExecArray): Span[];
  keep?: (m: RegExpExecArray) => number;
  /** A cheap substring test: the rule cannot match a text without one of these. */
  hints: string[];
}

const group = (m: RegExpExecArray, name: string, rule: string): Span[] => {
  const g = m.indices?.groups?.[name];
  return g ? [{ start: g[0], end: g[1], rule }] : [];
};

/** Credential-looking: long enough and not one plain word (a digit, a symbol, or an inner capital). */
export function credentialLike(v: string, min = 6): boolean {
  if (v.length < min) return false;
  return /\d|[^A-Za-z]/.test(v) || /^.+[A-Z]/.test(v);
}

export const SHAPE_RULES: ShapeRule[] = [
  {
    id: 'private-key',
    what: 'PEM private key block',
    // The markers stay, the body is masked (line by line, so line numbers stay).
    re: /-{5}BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-{5}/g,
    spans: (m) => pemBody(m.input, m.index + m[0].length),
    hints: ['PRIVATE KEY'],
  },
  {
    id: 'aws-access-key-id',
    what: 'AWS access key id (AKIA…, ASIA…)',
    re: /\b(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
    keep: () => 4,
    hints: ['A3T', 'AKIA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'ASIA', 'ABIA', 'ACCA'],
  },
  {
    id: 'gcp-api-key',
    what: 'Google Cloud API key (AIza…)',
    re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
    keep: () => 4,
    hints: ['AIza'],
  },
  {
    id: 'github-token',
    what: 'GitHub token (gh + p/o/u/s/r + underscore, github_pat)',
    re: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9_]{30,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/g,
    keep: (m) => (m[0].startsWith('github_pat_') ? 11 : 4),
    hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  },
  {
    id: 'gitlab-token',
    what: 'GitLab token (glpat, gldt, glrt, glptt, glsoat)',
    re: /(?<![A-Za-z0-9_-])(?:glpat|gldt|glrt|glptt|glsoat|glcbt|glimt|glagent|gloas)-[A-Za-z0-9_-]{20,255}(?![A-Za-z0-9_-])/g,
    keep: (m) => m[0].indexOf('-') + 1,
    hints: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glsoat-', 'glcbt-', 'glimt-', 'glagent-', 'gloas-'],
  },
  {
    id: 'slack-token',
    what: 'Slack token (xox + b/p/a/r/e, xapp)',
    re: /(?<![A-Za-z0-9])(?:xox[abposre]|xapp)-(?:\d-)?[A-Za-z0-9-]{8,255}(?![A-Za-z0-9-])/g,
    keep: (m) => m[0].indexOf('-') + 1,
    hints: ['xox', 'xapp-'],
  },
  {
    id: 'slack-webhook',
    what: 'Slack incoming-webhook URL',
    re: /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/(?<path>[A-Za-z0-9_/-]{8,200})/dgi,
    spans: (m) => group(m, 'path', 'slack-webhook'),
    hints: ['hooks.slack.com'],
  },
  {
    id: 'stripe-key',
    what: 'Stripe-style live/test key (sk/rk/pk + _live_ or _test_, whsec)',
    re: /(?<![A-Za-z0-9_])(?:(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,255}|whsec_[A-Za-z0-9]{20,255})(?![A-Za-z0-9_])/g,
    keep: (m) => (m[0].startsWith('whsec_') ? 6 : m[0].indexOf('_', 3) + 1),
    hints: ['_live_', '_test_', 'whsec_'],
  },
  {
    id: 'openai-key',
    what: 'OpenAI / Anthropic API key (sk-…, sk-proj-…, sk-ant-…)',
    re: /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_-]{20,255}(?![A-Za-z0-9_-])/g,
    keep: (m) => (/^sk-(proj|svcacct|admin)-/.test(m[0]) ? m[0].indexOf('-', 3) + 1 : m[0].startsWith('sk-ant-') ? 7 : 3),
    hints: ['sk-'],
  },
  {
    id: 'huggingface-token',
    what: 'Hugging Face token (hf_…)',
    re: /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,64}(?![A-Za-z0-9_])/g,
    keep: () => 3,
    hints: ['hf_'],
  },
  {
    id: 'npm-token',
    what: 'npm access token (npm_…)',
    re: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
    keep: () => 4,
    hints: ['npm_'],
  },
  {
    id: 'sendgrid-key',
    what: 'SendGrid API key (SG.…)',
    re: /(?<![A-Za-z0-9_])SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}(?![A-Za-z0-9_-])/g,
    keep: () => 3,
    hints: ['SG.'],
  },
  {
    id: 'jwt',
    what: 'JSON Web Token (eyJ….eyJ….…)',
    re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{8,4096}(?![A-Za-z0-9_-])/g,
    keep: () => 3,
    hints: ['eyJ'],
  },
  {
    id: 'azure-connection-string',
    what: 'Azure connection-string key (AccountKey=, SharedAccessKey=, SharedAccessSignature=)',
    re: /(?<![A-Za-z0-9])(?:AccountKey|SharedAccessKey|SharedAccessSignature|sig)=(?<v>[A-Za-z0-9+/=%_.-]{8,1024})/dgi,
    spans: (m) => group(m, 'v', 'azure-connection-string'),
    hints: ['ccountkey=', 'haredaccess', 'sig='],
  },
  {
    id: 'url-credentials',
    what: 'password in a URL (scheme://user:password@host)',
    re: /\b[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/(?<user>[^\s:@/?#"'<>`\\]{0,256}):(?<pw>[^\s@/?#"'<>`\\]{1,256})@(?=[^\s@/?#"'<>`\\])/dg,
    spans: (m) => group(m, 'pw', 'url-credentials'),
    hints: ['://'],
  },
  {
    id: 'auth-header',
    what: 'Bearer / Basic / Token credential of an Authorization header',
    re: /\b(?:Bearer|Basic|Token|Digest|Negotiate|ApiKey|Api-Key)[ \t]+(?<v>[A-Za-z0-9._~+/=-]{8,4096})/dg,
    spans: (m) => {
      const v = m.groups?.v ?? '';
      const authorizationContext = /authori[sz]ation|-H\s*["']?$|auth/i.test(m.input.slice(Math.max(0, m.index - 40), m.index));
      if (!authorizationContext && !credentialLike(v, 12)) return [];
      return group(m, 'v', 'auth-header');
    },
    hints: ['Bearer', 'Basic', 'Token', 'Digest', 'Negotiate', 'ApiKey', 'Api-Key'],
  },
];

const PEM_END = /-{5}END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-{5}/g;
const BASE64_RUN = /(?:\r?\n|\\r\\n|\\n|[ \t"'])*[A-Za-z0-9+/=]{8,}/y;

/**
 * The body of a PEM private key after its BEGIN marker: up to the END marker (within 20,000
 * characters), or — in a truncated text — the base64 runs that follow it, and nothing further.
 */
let pemGroups = 0;
function pemBody(text: string, start: number): Span[] {
  PEM_END.lastIndex = start;
  const e = PEM_END.exec(text);
  let end = start;
  // The END marker counts only when nothing but key material lies before it (base64, line breaks, the
  // quotes and commas of a JSON list of lines, PEM header lines) — not another text's END further on.
  if (e && e.index - start <= 20_000 && /^[A-Za-z0-9+/=\s"',\\:-]*$/.test(text.slice(start, e.index))) end = e.index;
  else {
    BASE64_RUN.lastIndex = start;
    for (let m = BASE64_RUN.exec(text); m && end - start < 20_000; m = BASE64_RUN.exec(text)) end = BASE64_RUN.lastIndex;
  }
  // Only the base64 itself: line breaks, escapes (\n in a JSON string) and any structure around the
  // lines (quotes and commas of a JSON list) stay, so the text keeps its lines and its syntax.
  const group = ++pemGroups;
  const out: Span[] = [];
  const run = /(?:\\[nrtu"\\/]|[^A-Za-z0-9+/=])+/g;
  let pos = start;
  const body = text.slice(start, end);
  for (let m = run.exec(body); ; m = run.exec(body)) {
    const sepStart = m ? start + m.index : end;
    if (sepStart > pos) out.push({ start: pos, end: sepStart, rule: 'private-key', group });
    if (!m) break;
    pos = start + m.index + m[0].length;
    if (m[0].length === 0) run.lastIndex++;
  }
  return out;
}

/** A standalone 40-character AWS secret access key: mixed case and digits, not part of a longer token. */
const AWS_SECRET_RE = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

/**
 * An AWS secret access key has no shape of its own (40 base64 characters); next to an access key id
 * (the same line or the two around it, as in credential CSVs, notes and logs) it is one.
 */
function awsSecretNear(text: string, ids: Span[]): Span[] {
  const out: Span[] = [];
  for (const id of ids) {
    let from = id.start;
    let to = id.end;
    for (let k = 0; k < 3 && from > 0; k++) from = text.lastIndexOf('\n', from - 2) + 1;
    for (let k = 0; k < 3 && to >= 0 && to < text.length; k++) to = text.indexOf('\n', to + 1);
    if (to < 0) to = text.length;
    const window = text.slice(from, to);
    AWS_SECRET_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = AWS_SECRET_RE.exec(window))) {
      const v = m[0];
      if (/[a-z]/.test(v) && /[A-Z]/.test(v) && /\d/.test(v)) out.push({ start: from + m.index, end: from + m.index + v.length, rule: 'aws-secret-access-key' });
    }
  }
  return out;
}

// Hints are found regardless of case (some rules are caseless: AccountKey= and accountkey= alike).
const HINTS = [...new Set(SHAPE_RULES.flatMap((r) => r.hints.map((h) => h.toLowerCase())))];
const HINTS_RE = new RegExp(HINTS.map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
const RULE_HINTS = new Map(SHAPE_RULES.map((r) => [r, r.hints.map((h) => h.toLowerCase())]));

/** Which hints occur in the text (lower-cased): one pass, instead of one substring search per hint. */
function presentHints(text: string): Set<string> {
  const seen = new Set<string>();
  HINTS_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HINTS_RE.exec(text)) && seen.size < HINTS.length) seen.add(m[0].toLowerCase());
  return seen;
}

/** Spans of every credential shape in `text`. */
export function shapeSpans(text: string): Span[] {
  const out: Span[] = [];
  const present = presentHints(text);
  if (!present.size) return out;
  for (const r of SHAPE_RULES) {
    if (!RULE_HINTS.get(r)!.some((h) => present.has(h))) continue;
    r.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    let guard = 0;
    while ((m = r.re.exec(text)) && guard++ < 100_000) {
      if (m[0].length === 0) {
        r.re.lastIndex++;
        continue;
      }
      if (r.spans) out.push(...r.spans(m));
      else out.push({ start: m.index, end: m.index + m[0].length, rule: r.id, keep: r.keep?.(m) ?? 0 });
    }
  }
  const ids = out.filter((s) => s.rule === 'aws-access-key-id');
  if (ids.length) out.push(...awsSecretNear(text, ids.slice(0, 1000)));
  return out;
}
