// Timeline import (issue 13): Slack, PagerDuty, Alertmanager/Grafana, CSV → events with source keys.
// Pure: the service (main/services/timelineImport.ts) writes them; the UI previews the same parse.
import { parseAlerts } from './alerts';
import { parseCsv } from './csv';
import { parsePagerDuty } from './pagerduty';
import { parseSlack } from './slack';
import { checkTimeZone } from './time';
import type { ImportOptions, ParsedImport, TimelineImportFormat } from './types';

export * from './types';
export { toUtcIso, checkTimeZone } from './time';

/** Parse an export. Throws (Error with a message naming the file) when the file is not of the format at all. */
export function parseTimelineExport(format: TimelineImportFormat, input: { text?: string; bytes?: Uint8Array }, opts: ImportOptions = {}): ParsedImport {
  if (opts.timeZone) checkTimeZone(opts.timeZone);
  if (format === 'slack') return parseSlack(input, opts);
  const text = input.text ?? new TextDecoder().decode(input.bytes ?? new Uint8Array());
  if (format === 'pagerduty') return parsePagerDuty(text, opts);
  if (format === 'alertmanager') return parseAlerts(text, opts);
  return parseCsv(text, opts);
}
