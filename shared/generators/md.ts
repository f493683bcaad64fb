// Small Markdown / YAML writing helpers for the generators. Pure TypeScript.
import { toWellFormed } from './pylit';

/** One line of text: whitespace runs (newlines included) collapsed, control characters dropped. */
export function oneLine(s: string | null | undefined): string {
  return toWellFormed(String(s ?? ''))
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Multi-line text with normalised line endings and no trailing blanks. */
export function block(s: string | null | undefined): string {
  return toWellFormed(String(s ?? ''))
    .replace(/\r\n?/g, '\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/** A link destination after the decoding a Markdown renderer does (entities, escapes, whitespace). */
function decodedDestination(d: string): string {
  return d
    .replace(/&#(x?)([0-9a-f]{1,6});?/gi, (_, x: string, n: string) => {
      const cp = parseInt(n, x ? 16 : 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    })
    .replace(/&(colon|tab|newline);?/gi, (_, n: string) => (n.toLowerCase() === 'colon' ? ':' : ''))
    .replace(/\\/g, '')
    .replace(/[\s\x00-\x1f\x7f]+/g, '')
    .replace(/^<|>$/g, '');
}

/** True when a link to `dest` would run code or load something (javascript:, vbscript:, data:, file:…). */
export function unsafeLinkDestination(dest: string): boolean {
  const d = decodedDestination(dest);
  return /^[a-z][a-z0-9+.-]*:/i.test(d) && !/^(https?|mailto):/i.test(d);
}

/**
 * Inert user text (issue 8 §7): no raw HTML (every "<" is escaped, so no tag, comment, <script>,
 * <iframe> or autolink survives) and no link to a javascript:/data:/vbscript:/file: destination (its
 * link syntax is escaped); http(s) and mailto links and everything inside `code spans` stay as they are.
 */
export function mdInert(s: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const tick = s.indexOf('`', i);
    const end = tick < 0 ? s.length : tick;
    out.push(inertPart(s.slice(i, end)));
    if (tick < 0) break;
    const run = /^`+/.exec(s.slice(tick))![0];
    const close = s.indexOf(run, tick + run.length);
    if (close < 0) {
      out.push(run);
      i = tick + run.length;
      continue;
    }
    out.push(s.slice(tick, close + run.length)); // a code span: shown literally by every renderer
    i = close + run.length;
  }
  return out.join('');
}

const PUNCT = /[!-/:-@[-`{-~]/;

function inertPart(s: string): string {
  // "<" → "\<" unless already escaped (a backslash escape of ASCII punctuation is kept as one unit).
  let t = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length && PUNCT.test(s[i + 1])) {
      t += c + s[i + 1];
      i++;
    } else t += c === '<' ? '\\<' : c;
  }
  return t
    .replace(/\]\(([^)]*)/g, (m, dest: string) => (unsafeLinkDestination(dest) ? m.replace('](', ']\\(') : m))
    .replace(/^(\s{0,3})\[([^\]\n]{1,999})\]:[ \t]*(\S+)/gm, (m, sp: string, label: string, dest: string) => (unsafeLinkDestination(dest) ? `${sp}\\[${label}]: ${dest}` : m));
}

/**
 * Free text placed in a Markdown body so it cannot break the document structure: lines that would
 * start a heading of our level or above ("#", "##"), a front-matter fence ("---" at the top) or a
 * code fence are indented / escaped; raw HTML and dangerous links are made inert (mdInert). Other
 * Markdown (lists, emphasis, http links) is kept.
 */
export function mdText(s: string | null | undefined): string {
  let fence = false;
  // Line by line: a fence is escaped first, so no code block (whose content renderers would not
  // escape) spans lines, and each line is then made inert on its own.
  return block(s)
    .split('\n')
    .map((l) => {
      if (/^\s{0,3}(```|~~~)/.test(l)) {
        fence = !fence;
        return l.replace(/^(\s{0,3})(`|~)/, '$1\\$2');
      }
      if (/^\s{0,3}#{1,2}(\s|$)/.test(l)) return l.replace(/^(\s{0,3})#/, '$1\\#');
      return l;
    })
    .map(mdInert)
    .join('\n');
}

/** Inline text (one line) for a Markdown paragraph, list item or heading (inert: mdInert). */
export function mdInline(s: string | null | undefined): string {
  return mdInert(oneLine(s)).replace(/^(#+)(\s)/, '\\$1$2');
}

/** Text for a Markdown table cell (inert: mdInert). */
export function mdCell(s: string | null | undefined): string {
  return mdInert(oneLine(s).replace(/\\/g, '\\\\')).replace(/\|/g, '\\|') || ' ';
}

/** `code` span that survives backticks inside. */
export function mdCode(s: string): string {
  const t = oneLine(s);
  const runs = t.match(/`+/g) ?? [];
  const n = runs.reduce((m, r) => Math.max(m, r.length), 0) + 1;
  const tick = '`'.repeat(n);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${tick}${pad}${t}${pad}${tick}`;
}

/** A fenced code block whose fence is longer than any backtick run inside. */
export function mdFence(info: string, body: string): string {
  const text = block(body);
  const runs = text.match(/^\s*`{3,}/gm) ?? [];
  const n = Math.max(3, ...runs.map((r) => r.trim().length + 1));
  const fence = '`'.repeat(n);
  return `${fence}${info}\n${text}\n${fence}`;
}

const YAML_PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_ .\/@()+-]*$/;
const YAML_SPECIAL = /^(true|false|yes|no|on|off|y|n|null|~|-?\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+|\.inf|\.nan|\d{4}-\d\d-\d\d.*)$/i;

/** A YAML scalar: plain when unambiguous, else a double-quoted (JSON-compatible) string. */
export function yamlScalar(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = oneLine(v);
  if (s && YAML_PLAIN.test(s) && !YAML_SPECIAL.test(s) && !/\s$/.test(s) && !/ #/.test(s)) return s;
  // "<" as \u003c: the same string to a YAML reader, inert text to a Markdown renderer that shows front matter raw.
  return JSON.stringify(s).replace(/</g, '\\u003c');
}

/** `key: value` or a block list. */
export function yamlEntry(key: string, value: string | number | boolean | null | string[]): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return `${key}: []`;
    return `${key}:\n${value.map((v) => `  - ${yamlScalar(v)}`).join('\n')}`;
  }
  return `${key}: ${yamlScalar(value)}`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** "2026-11-22 03:10:00" (UTC) or null. */
export function utcSeconds(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (!Number.isFinite(d.getTime())) return null;
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** "YYYY-MM-DD" (UTC) of an ISO time, or null. */
export function utcDate(iso: string | null | undefined): string | null {
  return utcSeconds(iso)?.slice(0, 10) ?? null;
}

/** Human duration: "45 s", "12 min", "2 h 05 min", "3 d 4 h". */
export function humanDuration(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return null;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${pad2(m % 60)} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
