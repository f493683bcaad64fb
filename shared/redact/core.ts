// Masking: collect the spans of every detector, merge them, replace them. Pure TypeScript.
import { LINE_HINT, assignmentSpans, valueSpan } from './assignments';
import { fingerprint } from './hash';
import { isSecretName } from './names';
import { SECRETLINT_PREFILTER, secretlintHits } from './secretlint';
import { SHAPE_RULES, shapeSpans, type Span } from './shapes';

/** What replaces a secret. */
export const MASK = '••••';
/** What follows the visible prefix of a masked token ("AKIA…[masked]"). */
export const MASKED_SUFFIX = '…[masked]';

export interface RedactOptions {
  /**
   * Append a short keyed fingerprint to each mask ("••••[fp:1a2b3c4d]") so two texts that differ only
   * in a secret still differ after masking (used for text diffs).
   */
  fingerprints?: boolean;
  /** The file name, for rules that depend on it (.npmrc). */
  fileName?: string;
}

export interface MaskedValue {
  /** 1-based line of the masked value. */
  line: number;
  /** The rule that found it (shape id, "secret-name", "kubernetes-secret", "secretlint/…"). */
  rule: string;
}

export interface Redaction {
  text: string;
  masked: MaskedValue[];
  /** The masked substrings in order (for fingerprints of "what changed"); never leave this process. */
  secrets: string[];
}

const ALREADY_MASKED = /••••|…\[masked/;

interface Merged {
  start: number;
  end: number;
  rules: string[];
  keep: number;
  group?: number;
}

function merge(spans: Span[]): Merged[] {
  const s = spans.filter((x) => x.end > x.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Merged[] = [];
  for (const x of s) {
    const last = out[out.length - 1];
    if (last && x.start < last.end) {
      if (x.end > last.end) {
        last.end = x.end;
        last.keep = 0;
      }
      if (!last.rules.includes(x.rule)) last.rules.push(x.rule);
      if (x.start !== last.start || (x.keep ?? 0) !== last.keep) last.keep = Math.min(last.keep, x.keep ?? 0);
      continue;
    }
    out.push({ start: x.start, end: x.end, rules: [x.rule], keep: x.keep ?? 0, ...(x.group ? { group: x.group } : {}) });
  }
  return out;
}

/** The replacement of one secret: line breaks (real or JSON-escaped) are kept, so line numbers stay. */
function replacement(original: string, keep: number, fp: string | null): string {
  const tag = fp ? `[fp:${fp}]` : '';
  if (keep > 0 && keep < original.length && !/[\r\n]/.test(original)) return original.slice(0, keep) + (fp ? `…[masked fp:${fp}]` : MASKED_SUFFIX);
  const parts = original.split(/(\r?\n|\\r\\n|\\n)/);
  let done = false;
  for (let i = parts.length - 1; i >= 0; i--) {
    if (i % 2 === 1 || parts[i] === '') continue;
    const lead = /^[ \t]*/.exec(parts[i])![0];
    if (lead.length === parts[i].length) continue;
    parts[i] = lead + MASK + (done ? '' : tag);
    done = true;
  }
  return done ? parts.join('') : MASK + tag;
}

function apply(text: string, spans: Span[], opts: RedactOptions, acc: Redaction): string {
  const merged = merge(spans);
  if (!merged.length) return text;
  let out = '';
  let pos = 0;
  let line = 1;
  let counted = 0;
  let lastGroup: number | undefined;
  for (const m of merged) {
    const original = text.slice(m.start, m.end);
    if (ALREADY_MASKED.test(original) && original.replace(/••••(\[fp:[0-9a-f]{8}\])?|…\[masked( fp:[0-9a-f]{8})?\]|\s+|\\[nr]/g, '').length < 4) continue;
    for (let i = text.indexOf('\n', counted); i !== -1 && i < m.start; i = text.indexOf('\n', i + 1)) line++, (counted = i + 1);
    out += text.slice(pos, m.start) + replacement(original, m.keep, opts.fingerprints ? fingerprint(original) : null);
    pos = m.end;
    if (m.group === undefined || m.group !== lastGroup) acc.masked.push({ line, rule: m.rules[0] });
    lastGroup = m.group;
    acc.secrets.push(original);
  }
  return out + text.slice(pos);
}

/** Every detector needs one of these substrings to fire: a text without any is returned as is, fast. */
const ANY_HINT = new RegExp(
  [...new Set(SHAPE_RULES.flatMap((r) => r.hints))].map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|') + '|' + LINE_HINT.source + '|' + SECRETLINT_PREFILTER.source,
  'i',
);

const ANY_HINT_ALL = new RegExp(ANY_HINT.source, 'gi');

/**
 * For each text, whether redaction could change it: false means redactDetailed returns it as it is,
 * with nothing masked (every detector needs an ANY_HINT match). One scan over all texts joined by
 * "\n" instead of one per text (a text diff has thousands of short ones). Sound: a hint in one text is
 * a hint at the same place in the joined string (no anchors; the look-arounds see "\n" where a text
 * ends, as they see nothing), and after each hit the scan goes on at the start of the next text, so a
 * hit that runs over a text's end cannot hide one in the next. A hit that starts on a separator marks
 * both neighbours. Extra marks only cost a full redaction of that text.
 */
export function mayHoldSecrets(texts: readonly string[]): boolean[] {
  const out = new Array<boolean>(texts.length).fill(false);
  if (!texts.length) return out;
  const joined = texts.join('\n');
  const re = ANY_HINT_ALL;
  re.lastIndex = 0;
  let i = 0;
  let start = 0; // where texts[i] starts in joined
  for (let m = re.exec(joined); m; m = re.exec(joined)) {
    const q = m.index;
    while (i + 1 < texts.length && q > start + texts[i].length) start += texts[i++].length + 1;
    out[i] = true;
    const end = start + texts[i].length; // the separator after texts[i]
    if (q >= end && i + 1 < texts.length) out[i + 1] = true;
    re.lastIndex = Math.max(end + 1, q + 1);
  }
  re.lastIndex = 0;
  return out;
}

/** Redact a text and say what was masked where. */
export function redactDetailed(text: string, opts: RedactOptions = {}): Redaction {
  const acc: Redaction = { text, masked: [], secrets: [] };
  if (!text || !ANY_HINT.test(text)) return acc;
  let t = apply(text, [...shapeSpans(text), ...assignmentSpans(text)], opts, acc);
  // Safety net: what secretlint still finds in the masked text is masked whole.
  const rest = secretlintHits(t, opts.fileName).map((h) => ({ start: h.start, end: h.end, rule: h.rule }));
  if (rest.length) {
    const second: Redaction = { text: t, masked: [], secrets: [] };
    t = apply(t, rest, opts, second);
    acc.masked.push(...second.masked);
    acc.secrets.push(...second.secrets);
    acc.masked.sort((a, b) => a.line - b.line);
  }
  acc.text = t;
  return acc;
}

/** The text with every secret masked; the non-secret part stays (AKIA…[masked], postgres://svc:••••@db:5432/x). */
export function redactText(text: string, opts: RedactOptions = {}): string {
  return redactDetailed(text, opts).text;
}

/**
 * One value whose key is known (a variable, a config key, a header): under a secret-bearing key the
 * whole value is masked (of a URL only user:password, after "Bearer" only the credential); under any
 * other key only the secret shapes inside it are.
 */
export function maskValueDetailed(value: string, key?: string | null, opts: RedactOptions = {}): Redaction {
  if (key && isSecretName(key)) {
    const acc: Redaction = { text: value, masked: [], secrets: [] };
    // The value is known to be whole (quotes and " #" are part of it): all of it, or of a URL the user:password.
    const sp = valueSpan(value, 0, 'secret-name', { whole: true });
    if (!sp) return acc;
    const masked = apply(value, [sp, ...shapeSpans(value)], opts, acc);
    return { ...acc, text: masked };
  }
  return redactDetailed(value, opts);
}

export function maskValue(value: string, key?: string | null, opts: RedactOptions = {}): string {
  return maskValueDetailed(value, key, opts).text;
}

/** True when the value (under this key, if known) holds something maskValue masks. */
export function hasSecret(value: string, key?: string | null): boolean {
  return maskValueDetailed(value, key).secrets.length > 0;
}

/**
 * Substrings that every rule reaching across lines needs: a PEM block, an AWS secret beside its key id,
 * a YAML block scalar under a secret name, a Kubernetes env `- name:` with its `value:` below, a
 * Kubernetes Secret's data. A text without any of them redacts line by line exactly as a whole, so a
 * caller may redact only the lines it shows (the byte-level text diff does). All ASCII: a latin1 view
 * of UTF-8 bytes finds them too.
 */
const CONTEXT_HINT = /PRIVATE KEY|A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|ABIA|ACCA|name[ \t]*[:=]|Secret|:[ \t]*[|>]/;

/** True when redacting this text line by line could differ from redacting it whole. */
export function needsContext(text: string): boolean {
  return CONTEXT_HINT.test(text);
}

/**
 * needsContext with its YAML block-scalar hint narrowed to the lines that rule reads: a `key: |` or
 * `key: >` line (`:=` too), with optional chomping and indentation indicators and a comment, ending
 * the line. The ": >" of a version range ("changed: >=3.8,<3.12 → >=3.9", in every lockfile-change
 * message) does not count. One regex more than needsContext; for callers that mask excerpts of long
 * texts (search snippets).
 */
export function needsContextNarrow(text: string): boolean {
  return CONTEXT_HINT_NARROW.test(text);
}
const CONTEXT_HINT_NARROW = new RegExp(CONTEXT_HINT.source.replace(':[ \\t]*[|>]', ':=?[ \\t]*\\s*[|>][+-]?\\d?[ \\t]*(?:#[^\\n]*)?\\s*(?:\\n|$)'));
