// Secrets found by their name: assignments to secret-bearing keys in any text (env dumps, YAML, JSON,
// INI/properties, HTTP headers, log lines, query strings, command-line flags), Kubernetes env
// `- name: X / value: …` pairs, and the data of Kubernetes Secret manifests. Pure TypeScript.
import { isPlaceholderValue, isSecretName } from './names';
import { credentialLike, type Span } from './shapes';

/**
 * A line can hold a secret-bearing name only if it contains one of these (names.ts decides): a bare
 * "key" or "path" does not count, so key=value logs without secrets are skipped fast.
 */
export const LINE_HINT =
  /pass|secret|token|cred|auth|cookie|session|bearer|hmac|(?<![a-z])(?:pwd?|otp|totp|mfa|pat|sig|sas|dsn|jwt)(?![a-z])|(?:api|access|private|signing|encrypt|decrypt|master|client|account|subscription|service|webhook|app|shared|storage|consumer|license|deploy|ssh|gpg|pgp|crypto|hmac)[\W_]?key/i;
const LINE_START =
  /^([ \t]*(?:-[ \t]+)?(?:(?:export|declare[ \t]+-x|set|readonly|local|ENV|ARG)[ \t]+)?)(?:(["'])([^"'\n]{1,200})\2|([A-Za-z_$@][\w.\-$@]{0,199}))([ \t]*(?:=>|:=|=|:)[ \t]*)(.*)$/;
// Keys may be quoted, also with escaped quotes (a JSON document inside a JSON string: \"password\": \"…\").
const MID = /(?<![\w.$@\-/])(?:(\\?["'])([A-Za-z_][\w.\- ]{0,99})\1|([A-Za-z_][\w.\-]{0,99}))[ \t]*(=>|=(?!=)|:(?![:/\d]|\\(?!["'])))[ \t]*/g;
const FLAG = /(?<![\w-])(--?[A-Za-z][\w-]{1,100})[ \t]+(?!-)(["']?)([^\s"']{1,4096})\2/g;
const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Digest|Negotiate|ApiKey|Api-Key)[ \t]+/i;
const URL_USERINFO = /^[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/([^\s@/?#]{1,512})@/;
const BLOCK_SCALAR = /^[|>][+-]?\d?[ \t]*(#.*)?$/;

interface Line {
  text: string;
  start: number;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const t = text.slice(start, end);
    out.push({ text: t.endsWith('\r') ? t.slice(0, -1) : t, start });
    if (nl < 0) return out;
    start = nl + 1;
  }
}

const indentOf = (s: string) => s.length - s.trimStart().length;

/**
 * The part of a value (at `offset` in the text) that is secret when its key is secret-bearing: the
 * inside of quotes, without a trailing comment; of a URL only the user:password; after an auth scheme
 * only the credential. Placeholders (empty, null, ${VAR}, <redacted>) yield nothing.
 */
export function valueSpan(raw: string, offset: number, rule: string, opts: { restOfLine?: boolean; whole?: boolean } = {}): Span | null {
  let v = raw;
  let s = 0;
  if (opts.whole) return urlOrSchemeSpan(v, offset, rule) ?? (isPlaceholderValue(v) ? null : { start: offset, end: offset + v.length, rule });
  // An inline table / flow map / list ({version = "1.2"}, [a, b]) is structure: its own keys decide.
  if (/^[{[]/.test(v)) return null;
  const q = v[0];
  const escapedQuote = /^\\["']/.exec(v);
  if (escapedQuote) {
    // Inside a JSON string: key=\"value\" — the value ends at the next escaped quote.
    const close = v.indexOf(escapedQuote[0], 2);
    v = v.slice(2, close < 0 ? v.length : close);
    s = 2;
  } else if (q === '"' || q === "'" || q === '`') {
    let i = 1;
    while (i < v.length && v[i] !== q) i += v[i] === '\\' && q !== "'" ? 2 : 1;
    v = v.slice(1, Math.min(i, v.length));
    s = 1;
  } else if (opts.restOfLine) {
    v = v.replace(/[ \t]+#.*$/, '').replace(/[ \t]*,?[ \t]*$/, '').replace(/[ \t]+$/, '');
  } else {
    if (/^(\$\{[^}\n]{1,200}\}|\{\{[^}\n]{1,200}\}\})/.test(v)) return null; // a template reference
    // A run up to a delimiter; a backslash ends it only where it starts an escape (\" \n …) of a JSON string.
    const m = /^(?:[^\s&;,'"<>)\]}|\\]|\\(?!["'nrtu\\])){1,4096}/.exec(v);
    v = m ? m[0] : '';
  }
  if (isPlaceholderValue(v)) return null;
  return urlOrSchemeSpan(v, offset + s, rule) ?? { start: offset + s, end: offset + s + v.length, rule };
}

/** Of a URL only the user:password, after an auth scheme only the credential; null for other values. */
function urlOrSchemeSpan(v: string, offset: number, rule: string): Span | null {
  const url = URL_USERINFO.exec(v);
  if (url) {
    const at = url[0].length - 1 - url[1].length;
    return { start: offset + at, end: offset + at + url[1].length, rule };
  }
  const scheme = AUTH_SCHEME.exec(v);
  if (scheme) {
    if (isPlaceholderValue(v.slice(scheme[0].length))) return null;
    return { start: offset + scheme[0].length, end: offset + v.length, rule };
  }
  return null;
}

/** Masks for values assigned to secret-bearing names, line by line. */
export function assignmentSpans(text: string): Span[] {
  if (!LINE_HINT.test(text)) return [];
  const out: Span[] = [];
  const ls = lines(text);
  for (let i = 0; i < ls.length; i++) {
    const { text: l, start } = ls[i];
    if (l.length > 100_000 || !LINE_HINT.test(l)) continue;
    // key = value / key: value at the start of a line (env, YAML, INI, headers, TOML).
    const m = LINE_START.exec(l);
    if (m) {
      const key = m[3] ?? m[4];
      if (isSecretName(key)) {
        const vOff = m[1].length + (m[3] !== undefined ? m[3].length + 2 : m[4].length) + m[5].length;
        const rest = m[6];
        if (BLOCK_SCALAR.test(rest.trim()) && m[5].includes(':')) {
          // YAML block scalar: every more-indented line below is the value.
          const base = indentOf(l);
          for (let j = i + 1; j < ls.length; j++) {
            const n = ls[j].text;
            if (n.trim() && indentOf(n) <= base) break;
            if (n.trim()) out.push({ start: ls[j].start + indentOf(n), end: ls[j].start + n.length, rule: 'secret-name' });
            i = j;
          }
          continue;
        }
        const sp = valueSpan(rest, start + vOff, 'secret-name', { restOfLine: true });
        if (sp) out.push(sp);
      }
      // Kubernetes env: - name: SECRET_NAME, then value: on a following line of the same item.
      if (m[4] === 'name' && /-/.test(m[1]) && isSecretName(bareValue(m[6]))) {
        const itemIndent = indentOf(l);
        for (let j = i + 1; j < ls.length; j++) {
          const n = ls[j].text;
          if (n.trim() && indentOf(n) <= itemIndent) break;
          const vm = /^([ \t]*value[ \t]*:[ \t]*)(.*)$/.exec(n);
          if (vm) {
            const sp = valueSpan(vm[2], ls[j].start + vm[1].length, 'secret-name', { restOfLine: true });
            if (sp) out.push(sp);
            break;
          }
        }
      }
    }
    // key=value, "key": value, key: value further on the line (logs, query strings, JSON, headers).
    MID.lastIndex = 0;
    let mm: RegExpExecArray | null;
    let guard = 0;
    while ((mm = MID.exec(l)) && guard++ < 10_000) {
      const key = mm[2] ?? mm[3];
      if (!isSecretName(key)) continue;
      const vStart = MID.lastIndex;
      const sp = valueSpan(l.slice(vStart), start + vStart, 'secret-name');
      if (!sp) continue;
      if (mm[4] === ':' && mm[3] !== undefined && !credentialLike(text.slice(sp.start, sp.end))) continue;
      out.push(sp);
    }
    // JSON / flow maps: {"name": "DB_PASSWORD", "value": "…"}
    const pair = /["']?name["']?[ \t]*:[ \t]*["']?([A-Za-z_][\w.\-]{0,99})["']?[ \t]*,[ \t]*["']?value["']?[ \t]*:[ \t]*/g;
    let pm: RegExpExecArray | null;
    while ((pm = pair.exec(l))) {
      if (!isSecretName(pm[1])) continue;
      const sp = valueSpan(l.slice(pair.lastIndex), start + pair.lastIndex, 'secret-name');
      if (sp) out.push(sp);
    }
    // --password value (command lines, container args)
    FLAG.lastIndex = 0;
    let fm: RegExpExecArray | null;
    while ((fm = FLAG.exec(l))) {
      if (!isSecretName(fm[1]) || isPlaceholderValue(fm[3])) continue;
      const vs = fm.index + fm[0].length - fm[3].length - fm[2].length;
      out.push({ start: start + vs, end: start + vs + fm[3].length, rule: 'secret-name' });
    }
  }
  out.push(...kubernetesSecretSpans(text, ls));
  return out;
}

function bareValue(v: string): string {
  return v.replace(/[ \t]+#.*$/, '').trim().replace(/^(["'])(.*)\1$/, '$2');
}

/** Every value under data: / stringData: of a Kubernetes Secret (YAML documents or JSON). */
function kubernetesSecretSpans(text: string, ls: Line[]): Span[] {
  const out: Span[] = [];
  if (/^kind:[ \t]*["']?Secret["']?[ \t]*$/m.test(text)) {
    // YAML: per document (--- separated), only documents of kind Secret.
    let docStart = 0;
    const flush = (end: number) => {
      const doc = ls.slice(docStart, end);
      if (!doc.some((x) => /^kind:[ \t]*["']?Secret["']?[ \t]*$/.test(x.text))) return;
      let inData = false;
      for (const x of doc) {
        if (/^(data|stringData):[ \t]*(#.*)?$/.test(x.text)) {
          inData = true;
          continue;
        }
        if (x.text.trim() === '' || /^\s*#/.test(x.text)) continue;
        if (indentOf(x.text) === 0) {
          inData = false;
          continue;
        }
        if (!inData) continue;
        const km = /^([ \t]+(?:["'][^"']*["']|[^:\s][^:]*?)[ \t]*:[ \t]*)(.*)$/.exec(x.text);
        const valueStart = km ? km[1].length : indentOf(x.text);
        const v = km ? km[2] : x.text.slice(valueStart);
        if (km && BLOCK_SCALAR.test(v.trim())) continue; // the lines below are deeper and masked one by one
        const sp = valueSpan(v, x.start + valueStart, 'kubernetes-secret', { restOfLine: true });
        if (sp) out.push(sp);
      }
    };
    for (let i = 0; i < ls.length; i++) {
      if (/^---/.test(ls[i].text)) {
        flush(i);
        docStart = i + 1;
      }
    }
    flush(ls.length);
  }
  if (/"kind"[ \t]*:[ \t]*"Secret"/.test(text)) {
    const block = /"(?:data|stringData)"[ \t]*:[ \t]*\{/g;
    let m: RegExpExecArray | null;
    while ((m = block.exec(text))) {
      const close = text.indexOf('}', block.lastIndex);
      const end = close < 0 ? text.length : close;
      const entry = /"(?:[^"\\]|\\.)*"[ \t\r\n]*:[ \t\r\n]*"((?:[^"\\]|\\.)*)"/g;
      entry.lastIndex = block.lastIndex;
      let e: RegExpExecArray | null;
      while ((e = entry.exec(text)) && e.index < end) {
        const vEnd = e.index + e[0].length - 1;
        if (!isPlaceholderValue(e[1])) out.push({ start: vEnd - e[1].length, end: vEnd, rule: 'kubernetes-secret' });
      }
    }
  }
  return out;
}
