// PagerDuty incident log entries (GET /incidents/{id}/log_entries, or an array of entries) → events.
// Notification deliveries are dropped (one per responder per channel: noise on a timeline).
import { toUtcIso } from './time';
import type { ImportKind, ImportOptions, ImportProblem, ImportedEvent, ParsedImport } from './types';

const KIND: Record<string, { kind: ImportKind; verb: string }> = {
  trigger_log_entry: { kind: 'evidence', verb: 'Triggered' },
  acknowledge_log_entry: { kind: 'action', verb: 'Acknowledged' },
  unacknowledge_log_entry: { kind: 'action', verb: 'Unacknowledged' },
  resolve_log_entry: { kind: 'action', verb: 'Resolved' },
  reopen_log_entry: { kind: 'action', verb: 'Reopened' },
  annotate_log_entry: { kind: 'note', verb: 'Note' },
  escalate_log_entry: { kind: 'comms', verb: 'Escalated' },
  assign_log_entry: { kind: 'comms', verb: 'Assigned' },
  reach_trigger_limit_log_entry: { kind: 'evidence', verb: 'Trigger limit reached' },
  snooze_log_entry: { kind: 'action', verb: 'Snoozed' },
  urgency_change_log_entry: { kind: 'decision', verb: 'Urgency changed' },
  priority_change_log_entry: { kind: 'decision', verb: 'Priority changed' },
  status_update_log_entry: { kind: 'comms', verb: 'Status update' },
  responder_request_log_entry: { kind: 'comms', verb: 'Responders requested' },
  merge_log_entry: { kind: 'note', verb: 'Merged' },
};
const DROPPED: Record<string, string> = {
  notify_log_entry: 'notification deliveries',
  delegate_log_entry: 'delegations',
  link_log_entry: 'links',
  exhaust_escalation_path_log_entry: 'escalation path exhausted records',
  repeat_escalation_path_log_entry: 'escalation repeats',
};

const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);

export function parsePagerDuty(text: string, opts: ImportOptions = {}): ParsedImport {
  const file = opts.fileName ?? 'PagerDuty log';
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(doc) ? doc : isObj(doc) && Array.isArray(doc.log_entries) ? doc.log_entries : null;
  if (!list) throw new Error(`${file} is not a PagerDuty log: expected {log_entries: [...]} or an array of log entries`);
  const events: ImportedEvent[] = [];
  const problems: ImportProblem[] = [];
  const skipped: Record<string, number> = {};
  const seen = new Set<string>();
  list.forEach((e: unknown, i: number) => {
    const at = `log_entries[${i}]`;
    if (!isObj(e)) return void problems.push({ at, field: '(entry)', message: 'not an object' });
    const type = String(e.type ?? '').replace(/_reference$/, '');
    if (DROPPED[type]) return void (skipped[DROPPED[type]] = (skipped[DROPPED[type]] ?? 0) + 1);
    const map = KIND[type];
    if (!map) return void (skipped[`other entries (${type || 'no type'})`] = (skipped[`other entries (${type || 'no type'})`] ?? 0) + 1);
    if (typeof e.id !== 'string' || !e.id) return void problems.push({ at, field: 'id', message: 'missing' });
    const occurredAt = toUtcIso(e.created_at);
    if (!occurredAt) return void problems.push({ at, field: 'created_at', message: `missing or not a time: ${JSON.stringify(e.created_at ?? null)}` });
    const key = `pagerduty:${e.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    const author = String(e.agent?.summary ?? (e.agent?.type ? e.agent.type.replace(/_reference$/, '') : 'PagerDuty'));
    const channel = isObj(e.channel) ? e.channel : {};
    const note = type === 'annotate_log_entry' ? String(channel.summary ?? channel.content ?? e.summary ?? '') : '';
    const summary = note || String(e.summary ?? '');
    const incident = isObj(e.incident) && e.incident.summary ? ` [${e.incident.summary}]` : '';
    const detail = type === 'trigger_log_entry' && channel.summary && channel.summary !== e.summary ? ` — ${channel.summary}` : '';
    events.push({
      sourceKey: key,
      occurredAt,
      sourceTime: String(e.created_at),
      kind: map.kind,
      author,
      body: `${map.verb} (PagerDuty, ${author}): ${summary}${detail}${incident}`.trim(),
    });
  });
  events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.sourceKey.localeCompare(b.sourceKey));
  return { format: 'pagerduty', events, skipped, problems };
}
