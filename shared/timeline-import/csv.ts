// CSV (time, author, text, kind) → events. Header names are matched loosely (timestamp/date, user/who,
// message/body, type); an optional `id` column becomes the source key, else the key is a hash of the
// row's time, author and text (so the same row imported again is recognised).
import Papa from 'papaparse';
import { IMPORT_KINDS, kindOfText } from './classify';
import { toUtcIso } from './time';
import type { ImportKind, ImportOptions, ImportProblem, ImportedEvent, ParsedImport } from './types';

const ALIASES: Record<string, string[]> = {
  time: ['time', 'timestamp', 'date', 'datetime', 'occurred_at', 'when', 'at'],
  author: ['author', 'user', 'who', 'name', 'person', 'by'],
  text: ['text', 'message', 'body', 'description', 'event', 'note', 'summary'],
  kind: ['kind', 'type', 'category'],
  id: ['id', 'source_id', 'event_id'],
};

/** Words other tools use for the same kinds. */
const KIND_SYNONYMS: Record<string, ImportKind> = {
  message: 'note', chat: 'note', comment: 'note', observation: 'note', info: 'note',
  alert: 'evidence', page: 'evidence', metric: 'evidence', finding: 'evidence', log: 'evidence',
  mitigation: 'action', rollback: 'action', fix: 'action', deploy: 'action', task: 'action',
  update: 'comms', status: 'comms', announcement: 'comms', communication: 'comms',
  decided: 'decision',
};

/** FNV-1a 64-bit as hex (stable, no crypto needed). */
function hash(s: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

export function parseCsv(text: string, opts: ImportOptions = {}): ParsedImport {
  const file = opts.fileName ?? 'CSV';
  const zone = opts.timeZone ?? 'UTC';
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const rows = parsed.data;
  if (!rows.length) throw new Error(`${file} is empty: expected a header row (time, author, text, kind)`);
  const header = rows[0].map((h) => h.trim().toLowerCase().replace(/\s+/g, '_'));
  const col: Record<string, number> = {};
  for (const [field, names] of Object.entries(ALIASES)) {
    const i = header.findIndex((h) => names.includes(h));
    if (i !== -1) col[field] = i;
  }
  const missing = ['time', 'text'].filter((f) => col[f] === undefined);
  if (missing.length) throw new Error(`${file} line 1: no ${missing.join(' or ')} column in the header (${rows[0].join(', ')}); expected time, author, text, kind`);
  const events: ImportedEvent[] = [];
  const problems: ImportProblem[] = parsed.errors.slice(0, 20).map((e) => ({ at: `line ${(e.row ?? 0) + 1}`, field: '(row)', message: e.message }));
  const skipped: Record<string, number> = {};
  const seen = new Set<string>();
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const at = `line ${r + 1}`;
    const get = (f: string) => (col[f] === undefined ? '' : (row[col[f]] ?? '').trim());
    const rawTime = get('time');
    const occurredAt = toUtcIso(rawTime, zone);
    if (!occurredAt) {
      problems.push({ at, field: 'time', message: `not a time: ${JSON.stringify(rawTime)} (ISO 8601, "YYYY-MM-DD HH:MM[:SS]" or epoch seconds)` });
      continue;
    }
    const body = get('text');
    if (!body) {
      problems.push({ at, field: 'text', message: 'empty' });
      continue;
    }
    const author = get('author');
    const rawKind = get('kind').toLowerCase();
    let kind: ImportKind;
    if (!rawKind) kind = kindOfText(body);
    else if ((IMPORT_KINDS as readonly string[]).includes(rawKind)) kind = rawKind as ImportKind;
    else if (KIND_SYNONYMS[rawKind]) kind = KIND_SYNONYMS[rawKind];
    else {
      problems.push({ at, field: 'kind', message: `"${rawKind}" is not one of ${IMPORT_KINDS.join(', ')}` });
      continue;
    }
    const id = get('id');
    const key = id ? `csv:${id}` : `csv:${hash(`${occurredAt}\u0000${author}\u0000${body}`)}`;
    if (seen.has(key)) {
      skipped['duplicate rows'] = (skipped['duplicate rows'] ?? 0) + 1;
      continue;
    }
    seen.add(key);
    events.push({ sourceKey: key, occurredAt, sourceTime: rawTime, kind, author, body: author ? `${author}: ${body}` : body });
  }
  events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.sourceKey.localeCompare(b.sourceKey));
  return { format: 'csv', events, skipped, problems };
}
