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

/** PagerDuty v3 webhook event types → the log entry types they correspond to. */
const V3_TYPES: Record<string, string> = {
  'incident.triggered': 'trigger_log_entry', 'incident.acknowledged': 'acknowledge_log_entry', 'incident.unacknowledged': 'unacknowledge_log_entry',
  'incident.resolved': 'resolve_log_entry', 'incident.reopened': 'reopen_log_entry', 'incident.annotated': 'annotate_log_entry',
  'incident.escalated': 'escalate_log_entry', 'incident.reassigned': 'assign_log_entry', 'incident.delegated': 'delegate_log_entry',
  'incident.priority_updated': 'priority_change_log_entry', 'incident.responder.added': 'responder_request_log_entry',
  'incident.status_update_published': 'status_update_log_entry',
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
  // Also accepted: v2 webhook bodies ({messages: [{log_entries: [...]}]}) and v3 webhook events
  // ({event: {id, event_type, occurred_at, agent, data}}, one or a list), mapped onto log entries.
  const v3 = (e: unknown): unknown => {
    if (!isObj(e) || !isObj(e.event) || typeof e.event.event_type !== 'string') return e;
    const ev = e.event;
    const type = V3_TYPES[ev.event_type] ?? `${String(ev.event_type).replace(/^incident\./, '')}_log_entry`;
    const data = isObj(ev.data) ? ev.data : {};
    const summary = String(data.title ?? data.summary ?? data.incident?.summary ?? data.content ?? ev.event_type);
    return { id: ev.id, type, created_at: ev.occurred_at, summary, agent: ev.agent, channel: type === 'annotate_log_entry' ? { summary: data.content ?? summary } : { summary }, incident: data.incident ?? (data.type === 'incident' ? { summary: data.title } : undefined) };
  };
  const list = Array.isArray(doc)
    ? doc.map(v3)
    : isObj(doc) && Array.isArray(doc.log_entries)
      ? doc.log_entries
      : isObj(doc) && Array.isArray(doc.messages)
        ? doc.messages.flatMap((m: any) => (isObj(m) && Array.isArray(m.log_entries) ? m.log_entries : []))
        : isObj(doc) && isObj(doc.event)
          ? [v3(doc)]
          : null;
  if (!list) throw new Error(`${file} is not a PagerDuty log: expected {log_entries: [...]}, an array of log entries, or webhook payloads`);
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
    const incident = isObj(e.incident) && e.incident.summary && e.incident.summary !== summary ? ` [${e.incident.summary}]` : '';
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
