// Slack channel export → timeline events. Accepts the export zip (users.json, channels.json,
// <channel>/<YYYY-MM-DD>.json), one day file (a JSON array of messages), or {users?, channel?, messages}.
// Joins, leaves, topic/purpose/name changes, pins, bot messages, deletions and edit shadows are dropped;
// an edited message keeps its latest text; thread replies say so. The source key is
// "slack:<user>:<ts>" (ts is Slack's per-message id), so the same message gives the same key from the
// zip or from a day file.
import { strFromU8, unzipSync } from 'fflate';
import { kindOfText } from './classify';
import type { ImportOptions, ImportProblem, ImportedEvent, ParsedImport } from './types';

/** Subtypes that are not something a person said. */
const DROPPED: Record<string, string> = {
  channel_join: 'joins and leaves', channel_leave: 'joins and leaves', group_join: 'joins and leaves', group_leave: 'joins and leaves',
  channel_topic: 'channel settings', channel_purpose: 'channel settings', channel_name: 'channel settings', channel_archive: 'channel settings',
  channel_unarchive: 'channel settings', group_topic: 'channel settings', group_purpose: 'channel settings', group_name: 'channel settings',
  pinned_item: 'pins and reminders', unpinned_item: 'pins and reminders', reminder_add: 'pins and reminders', reminder_delete: 'pins and reminders',
  bot_message: 'bot messages', bot_add: 'bot messages', bot_remove: 'bot messages', bot_enable: 'bot messages', bot_disable: 'bot messages',
  message_changed: 'edit records (the message keeps its latest text)', message_deleted: 'deleted messages', tombstone: 'deleted messages',
  message_replied: 'edit records (the message keeps its latest text)', ekm_access_denied: 'deleted messages',
};
/** Subtypes kept as messages. */
const KEPT = new Set(['thread_broadcast', 'file_share', 'me_message', 'file_comment', 'huddle_thread']);

interface SlackUser {
  id?: string;
  name?: string;
  real_name?: string;
  profile?: { real_name?: string; display_name?: string };
  is_bot?: boolean;
}
type Msg = Record<string, unknown>;

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function userName(u: SlackUser | undefined): string | undefined {
  if (!u) return undefined;
  return u.profile?.display_name || u.profile?.real_name || u.real_name || u.name || undefined;
}

function unescapeSlack(text: string, users: Map<string, string>): string {
  return text
    .replace(/<@([A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, label?: string) => `@${label || users.get(id) || id}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, label?: string) => `#${label || id}`)
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_, label?: string) => label || '@group')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

interface Day {
  channel: string | null;
  file: string;
  messages: unknown;
}

function fromZip(bytes: Uint8Array): { users: SlackUser[]; days: Day[]; problems: ImportProblem[] } {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => f.name.endsWith('.json') && f.originalSize < 64 * 1024 * 1024 });
  } catch (e) {
    throw new Error(`not a readable zip file: ${(e as Error).message}`);
  }
  const problems: ImportProblem[] = [];
  const json = (name: string): unknown => {
    try {
      return JSON.parse(strFromU8(files[name]));
    } catch (e) {
      problems.push({ at: name, field: '(file)', message: `not JSON: ${(e as Error).message}` });
      return null;
    }
  };
  const usersFile = Object.keys(files).find((n) => /(^|\/)users\.json$/.test(n));
  const users = usersFile ? (json(usersFile) as SlackUser[] | null) ?? [] : [];
  const days: Day[] = [];
  for (const name of Object.keys(files).sort()) {
    const m = /(?:^|\/)([^/]+)\/(\d{4}-\d{2}-\d{2})\.json$/.exec(name);
    if (m) days.push({ channel: m[1], file: name, messages: json(name) });
  }
  if (!days.length) throw new Error('the zip holds no channel day files (<channel>/<YYYY-MM-DD>.json): is it a Slack export?');
  return { users: Array.isArray(users) ? users : [], days, problems };
}

export function parseSlack(input: { text?: string; bytes?: Uint8Array }, opts: ImportOptions = {}): ParsedImport {
  const problems: ImportProblem[] = [];
  let users: SlackUser[] = [];
  let days: Day[];
  const file = opts.fileName ?? 'slack export';
  if (input.bytes && input.bytes[0] === 0x50 && input.bytes[1] === 0x4b) {
    const z = fromZip(input.bytes);
    users = z.users;
    days = z.days;
    problems.push(...z.problems);
  } else {
    const text = input.text ?? (input.bytes ? new TextDecoder().decode(input.bytes) : '');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new Error(`${file} is not JSON: ${(e as Error).message}`);
    }
    if (Array.isArray(doc)) days = [{ channel: null, file, messages: doc }];
    else if (isObj(doc) && Array.isArray(doc.messages)) {
      users = Array.isArray(doc.users) ? (doc.users as SlackUser[]) : [];
      days = [{ channel: typeof doc.channel === 'string' ? doc.channel : null, file, messages: doc.messages }];
    } else throw new Error(`${file} is not a Slack export: expected a JSON array of messages, or {messages: [...]}`);
  }
  const names = new Map<string, string>();
  const bots = new Set<string>();
  for (const u of users) {
    if (u?.id) {
      const n = userName(u);
      if (n) names.set(u.id, n);
      if (u.is_bot) bots.add(u.id);
    }
  }
  const events: ImportedEvent[] = [];
  const skipped: Record<string, number> = {};
  const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);
  const seen = new Set<string>();
  for (const day of days) {
    if (!Array.isArray(day.messages)) {
      if (day.messages !== null) problems.push({ at: day.file, field: '(file)', message: 'expected a JSON array of messages' });
      continue;
    }
    day.messages.forEach((raw, i) => {
      const at = `${day.file}[${i}]`;
      if (!isObj(raw)) {
        problems.push({ at, field: '(message)', message: 'not an object' });
        return;
      }
      const m = raw as Msg;
      if (m.type !== undefined && m.type !== 'message') return void skip('not messages');
      const subtype = typeof m.subtype === 'string' ? m.subtype : '';
      if (subtype && DROPPED[subtype]) return void skip(DROPPED[subtype]);
      if (subtype && !KEPT.has(subtype)) return void skip(`other system messages (${subtype})`);
      const user = typeof m.user === 'string' ? m.user : '';
      if (m.bot_id || (user && bots.has(user)) || (!user && m.username)) return void skip('bot messages');
      const ts = typeof m.ts === 'string' || typeof m.ts === 'number' ? String(m.ts) : '';
      if (!/^\d{9,11}(\.\d+)?$/.test(ts)) {
        problems.push({ at, field: 'ts', message: `missing or not a Slack timestamp: ${JSON.stringify(m.ts ?? null)}` });
        return;
      }
      // Slack ts is seconds.microseconds as text: read it as text, so no float rounding moves a message.
      const [sec, frac = ''] = ts.split('.');
      const occurredAt = new Date(Number(sec) * 1000 + Number(frac.padEnd(3, '0').slice(0, 3))).toISOString();
      const profile = isObj(m.user_profile) ? (m.user_profile as SlackUser['profile'] & { real_name?: string }) : undefined;
      const author = names.get(user) || profile?.display_name || profile?.real_name || user || 'unknown';
      let text = unescapeSlack(typeof m.text === 'string' ? m.text : '', names).trim();
      const files = Array.isArray(m.files) ? (m.files as Msg[]).map((f) => String(f?.name ?? f?.title ?? 'file')).filter(Boolean) : [];
      if (files.length) text = `${text}${text ? ' ' : ''}[files: ${files.join(', ')}]`;
      if (!text) return void skip('empty messages');
      const key = `slack:${user || author}:${ts}`;
      if (seen.has(key)) return void skip('duplicates in the file');
      seen.add(key);
      const threadTs = typeof m.thread_ts === 'string' ? m.thread_ts : '';
      const reply = threadTs && threadTs !== ts && subtype !== 'thread_broadcast';
      const where = day.channel ? ` #${day.channel}` : '';
      const edited = isObj(m.edited) ? ' (edited)' : '';
      events.push({
        sourceKey: key,
        occurredAt,
        sourceTime: ts,
        kind: kindOfText(text),
        author,
        body: `${author} (Slack${where}${reply ? ', in thread' : ''}): ${text}${edited}`,
      });
    });
  }
  events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.sourceKey.localeCompare(b.sourceKey));
  return { format: 'slack', events, skipped, problems };
}
