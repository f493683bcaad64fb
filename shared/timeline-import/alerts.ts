// Alertmanager webhook payloads and Grafana alert notifications → events. Accepts one payload, an array
// of payloads, or JSON lines (one payload per line, as a webhook receiver logs them). Each alert gives a
// "firing" event at startsAt and, once resolved, a "resolved" event at endsAt; the same alert sent again
// (group_interval repeats) gives the same source keys. Grafana's unified alerting sends Alertmanager's
// shape plus title/state/valueString; its legacy webhook ({ruleId, state, evalMatches}) carries no time,
// so each one needs a time field and is refused without one.
import { toUtcIso } from './time';
import type { ImportOptions, ImportProblem, ImportedEvent, ParsedImport } from './types';

const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);
const ZERO_TIME = /^0001-01-01/;

function payloads(text: string, file: string): unknown[] {
  const t = text.trim();
  try {
    const doc = JSON.parse(t);
    return Array.isArray(doc) ? doc : [doc];
  } catch (e) {
    const lines = t.split('\n').filter((l) => l.trim());
    if (lines.length < 2) throw new Error(`${file} is not JSON: ${(e as Error).message}`);
    return lines.map((l, i) => {
      try {
        return JSON.parse(l);
      } catch (err) {
        throw new Error(`${file}: line ${i + 1} is not JSON: ${(err as Error).message}`);
      }
    });
  }
}

function alertName(a: Record<string, any>): string {
  return String(a.labels?.alertname ?? a.labels?.__alert_rule_title__ ?? 'alert');
}

function labelText(labels: Record<string, unknown> | undefined): string {
  if (!labels) return '';
  const keep = Object.entries(labels).filter(([k]) => !['alertname', '__alert_rule_uid__', '__alert_rule_title__', 'grafana_folder'].includes(k));
  return keep.length ? ` {${keep.map(([k, v]) => `${k}=${String(v)}`).join(', ')}}` : '';
}

export function parseAlerts(text: string, opts: ImportOptions = {}): ParsedImport {
  const file = opts.fileName ?? 'alert payloads';
  const list = payloads(text, file);
  const events: ImportedEvent[] = [];
  const problems: ImportProblem[] = [];
  const skipped: Record<string, number> = {};
  const seen = new Set<string>();
  const push = (e: ImportedEvent) => {
    if (seen.has(e.sourceKey)) {
      skipped['repeated notifications'] = (skipped['repeated notifications'] ?? 0) + 1;
      return;
    }
    seen.add(e.sourceKey);
    events.push(e);
  };
  list.forEach((p0, i) => {
    const at = list.length > 1 ? `payload[${i}]` : 'payload';
    if (!isObj(p0)) return void problems.push({ at, field: '(payload)', message: 'not an object' });
    let p: Record<string, any> = p0;
    const grafana = 'orgId' in p || 'title' in p || ('state' in p && !('alerts' in p));
    const source = grafana ? 'Grafana' : 'Alertmanager';
    // Alertmanager's API (/api/v2/alerts, amtool -o json) lists alerts without a webhook envelope.
    if (!Array.isArray(p.alerts) && isObj(p.labels) && typeof p.startsAt === 'string') {
      const st = isObj(p.status) ? (p.status.state === 'active' || p.status.state === 'suppressed' ? 'firing' : String(p.status.state)) : String(p.status ?? 'firing');
      p = { alerts: [{ ...p, status: st }] };
    }
    if (!Array.isArray((p as Record<string, any>).alerts)) {
      // Grafana legacy notification.
      if (grafana && (p.ruleId !== undefined || p.ruleName)) {
        const when = toUtcIso(p.time ?? p.timestamp ?? p.firedAt ?? p.date);
        if (!when) return void problems.push({ at, field: 'time', message: 'a legacy Grafana notification carries no time: add a "time" field (ISO 8601)' });
        const state = String(p.state ?? 'alerting');
        const matches = Array.isArray(p.evalMatches) ? p.evalMatches.map((m: any) => `${m.metric}=${m.value}`).join(', ') : '';
        push({
          sourceKey: `grafana:${p.ruleId ?? p.ruleName}:${state}:${when}`,
          occurredAt: when,
          sourceTime: String(p.time ?? p.timestamp ?? p.firedAt ?? p.date),
          kind: 'evidence',
          author: 'Grafana',
          body: `Alert ${state === 'ok' ? 'resolved' : state} (Grafana): ${p.ruleName ?? p.title ?? 'rule'}${p.message ? ` — ${p.message}` : ''}${matches ? ` [${matches}]` : ''}`,
        });
        return;
      }
      return void problems.push({ at, field: 'alerts', message: 'missing: not an Alertmanager or Grafana webhook payload' });
    }
    p.alerts.forEach((a: unknown, j: number) => {
      const aat = `${at}.alerts[${j}]`;
      if (!isObj(a)) return void problems.push({ at: aat, field: '(alert)', message: 'not an object' });
      const name = alertName(a);
      const id = String(a.fingerprint ?? `${name}${labelText(a.labels)}`);
      const starts = toUtcIso(a.startsAt);
      if (!starts) return void problems.push({ at: aat, field: 'startsAt', message: `missing or not a time: ${JSON.stringify(a.startsAt ?? null)}` });
      const summary = String(a.annotations?.summary ?? a.annotations?.description ?? a.annotations?.message ?? '');
      const value = a.valueString ? ` (${a.valueString})` : '';
      const sev = a.labels?.severity ? ` [${a.labels.severity}]` : '';
      push({
        sourceKey: `${source.toLowerCase()}:${id}:${starts}:firing`,
        occurredAt: starts,
        sourceTime: String(a.startsAt),
        kind: 'evidence',
        author: source,
        body: `Alert firing (${source}): ${name}${sev}${summary ? ` — ${summary}` : ''}${value}${labelText(a.labels)}`,
      });
      const status = String(a.status ?? p.status ?? '');
      const endsRaw = typeof a.endsAt === 'string' && !ZERO_TIME.test(a.endsAt) ? a.endsAt : null;
      if (status === 'resolved') {
        const ends = toUtcIso(endsRaw);
        if (!ends) return void problems.push({ at: aat, field: 'endsAt', message: 'a resolved alert needs endsAt' });
        push({
          sourceKey: `${source.toLowerCase()}:${id}:${starts}:resolved`,
          occurredAt: ends,
          sourceTime: String(endsRaw),
          kind: 'evidence',
          author: source,
          body: `Alert resolved (${source}): ${name}${sev}${summary ? ` — ${summary}` : ''}`,
        });
      }
    });
  });
  events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.sourceKey.localeCompare(b.sourceKey));
  return { format: 'alertmanager', events, skipped, problems };
}
