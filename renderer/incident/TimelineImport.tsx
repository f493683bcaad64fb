// Timeline import (issue 13): pick an export (Slack zip or day file, PagerDuty log entries, Alertmanager
// or Grafana payloads, CSV), see what would be added — new vs. already there, what is skipped and why,
// bad records by line and field — then import. Importing the same file again adds nothing.
import { useEffect, useState } from 'react';
import { ApiError } from '../../shared/api/errors';
import type { Input } from '../../shared/api/contract';
import { TIMELINE_IMPORT_FORMATS, type TimelineImportFormat } from '../../shared/timeline-import/types';
import type { TimelineImportResult } from '../../shared/timeline-import/result';
import { api } from '../data/api';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/ui';
import { full } from '../lib/time';

const SHORT = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
import { useToast } from '../lib/toast';

const FORMAT_LABELS: Record<TimelineImportFormat, string> = {
  slack: 'Slack channel export (zip or day file)',
  pagerduty: 'PagerDuty incident log entries (JSON)',
  alertmanager: 'Alertmanager / Grafana webhook payloads (JSON)',
  csv: 'CSV (time, author, text, kind)',
};

function guessFormat(name: string, head: string): TimelineImportFormat | null {
  if (/\.csv$/i.test(name)) return 'csv';
  if (/\.zip$/i.test(name) || head.startsWith('PK')) return 'slack';
  if (/log_entries|_log_entry"/.test(head)) return 'pagerduty';
  if (/"alerts"\s*:|"ruleId"|"evalMatches"/.test(head)) return 'alertmanager';
  if (/"ts"\s*:\s*"\d{9,}/.test(head)) return 'slack';
  return null;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function TimelineImportDialog({ incidentKey, revision, onClose }: { incidentKey: string; revision: number; onClose: () => void }) {
  const toast = useToast();
  const [file, setFile] = useState<File | null>(null);
  const [payload, setPayload] = useState<{ text?: string; base64?: string } | null>(null);
  const [format, setFormat] = useState<TimelineImportFormat>('slack');
  const [timeZone, setTimeZone] = useState('');
  const [preview, setPreview] = useState<TimelineImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function pick(f: File | null) {
    setFile(f);
    setPreview(null);
    setError(null);
    if (!f) return setPayload(null);
    const bytes = new Uint8Array(await f.arrayBuffer());
    const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
    const text = zip ? null : new TextDecoder().decode(bytes);
    setPayload(zip ? { base64: toBase64(bytes) } : { text: text! });
    const g = guessFormat(f.name, zip ? 'PK' : text!.slice(0, 4000));
    if (g) setFormat(g);
  }

  const input = (dryRun: boolean): Input<'timeline:import'> | null =>
    payload && file ? { key: incidentKey, format, fileName: file.name, ...payload, ...(timeZone.trim() ? { timeZone: timeZone.trim() } : {}), dryRun, ...(dryRun ? {} : { baseRevision: preview?.revision ?? revision }) } : null;

  // The preview follows the file, format and zone.
  useEffect(() => {
    const i = input(true);
    if (!i) return;
    let cancelled = false;
    setBusy(true);
    api
      .call('timeline:import', i)
      .then((r) => !cancelled && (setPreview(r), setError(null)))
      .catch((e) => !cancelled && (setPreview(null), setError(ApiError.from(e).message)))
      .finally(() => !cancelled && setBusy(false));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [payload, format, timeZone, incidentKey]);

  async function run() {
    const i = input(false);
    if (!i) return;
    setBusy(true);
    try {
      const r = await api.call('timeline:import', i);
      toast({ message: r.added ? `Imported ${r.added} event${r.added === 1 ? '' : 's'} from ${file!.name}${r.existing ? ` (${r.existing} were already there)` : ''}.` : `Nothing new in ${file!.name}: all ${r.existing} events are already on the timeline.`, tone: 'success' });
      onClose();
    } catch (e) {
      setError(ApiError.from(e).message);
    } finally {
      setBusy(false);
    }
  }

  const skipped = preview ? Object.entries(preview.skipped) : [];
  return (
    <Dialog title="Import a timeline" onClose={onClose} testid="timeline-import" wide>
      <div className="tli">
        <div className="tli-controls">
          <Field label="Export file" hint="Slack: the export zip or one channel day file. Nothing is imported until you press Import.">
            {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} type="file" accept=".json,.zip,.csv,.ndjson,.jsonl,.txt" data-testid="tli-file" onChange={(e) => void pick(e.target.files?.[0] ?? null)} />}
          </Field>
          <Field label="Format">
            {({ id }) => (
              <select id={id} value={format} onChange={(e) => setFormat(e.target.value as TimelineImportFormat)} data-testid="tli-format">
                {TIMELINE_IMPORT_FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {FORMAT_LABELS[f]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Time zone of times without one" hint="CSV only: an IANA name (Europe/Berlin) or +02:00. Default UTC.">
            {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} value={timeZone} placeholder="UTC" onChange={(e) => setTimeZone(e.target.value)} data-testid="tli-tz" />}
          </Field>
        </div>
        {!file && <p className="muted" data-testid="tli-empty">Choose an export to see what it would add. Events keep their own times; importing the same file again adds nothing.</p>}
        {error && (
          <div className="banner banner-error" role="alert" data-testid="tli-error">
            {error}
          </div>
        )}
        {preview && (
          <>
            <p className="tli-summary" role="status" data-testid="tli-summary">
              <strong>{preview.added} new</strong> of {preview.total} event{preview.total === 1 ? '' : 's'}
              {preview.existing ? ` · ${preview.existing} already on the timeline` : ''}
              {skipped.length ? ` · skipped: ${skipped.map(([why, n]) => `${n} ${why}`).join(', ')}` : ''}
            </p>
            {preview.problems.length > 0 && (
              <ul className="tli-problems" data-testid="tli-problems">
                {preview.problems.slice(0, 20).map((p, i) => (
                  <li key={i}>
                    <span className="mono">{p.at}</span> · {p.field}: {p.message}
                  </li>
                ))}
              </ul>
            )}
            <ol className="tli-events" data-testid="tli-events">
              {preview.events.map((e) => (
                <li key={e.sourceKey} className={`tli-event tli-${e.status}`} data-status={e.status}>
                  <time dateTime={e.occurredAt} title={`${full(e.occurredAt)} · as the source wrote it: ${e.sourceTime}`}>
                    {SHORT.format(new Date(e.occurredAt))}
                  </time>
                  <span className={`badge kind-badge tl-kind-${e.kind}`}>{e.kind}</span>
                  <span className="tli-body">{e.body}</span>
                  {e.status === 'exists' && <span className="muted small">already there</span>}
                </li>
              ))}
            </ol>
          </>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void run()} disabled={busy || !preview || preview.added === 0 || preview.problems.length > 0} data-testid="tli-import">
            {busy ? 'Working…' : preview && preview.added > 0 ? `Import ${preview.added} event${preview.added === 1 ? '' : 's'}` : 'Import'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
