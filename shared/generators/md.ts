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

/**
 * Free text placed in a Markdown body so it cannot break the document structure: lines that would
 * start a heading of our level or above ("#", "##"), a front-matter fence ("---" at the top) or a
 * code fence are indented / escaped. Other Markdown (lists, emphasis, links) is kept.
 */
export function mdText(s: string | null | undefined): string {
  let fence = false;
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
    .join('\n');
}

/** Inline text (one line) for a Markdown paragraph, list item or heading. */
export function mdInline(s: string | null | undefined): string {
  return oneLine(s).replace(/^(#+)(\s)/, '\\$1$2');
}

/** Text for a Markdown table cell. */
export function mdCell(s: string | null | undefined): string {
  return oneLine(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|') || ' ';
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
  return JSON.stringify(s);
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
