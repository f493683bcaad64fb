// Stakeholder comms: the initial report, a mid-incident status update and the resolution update, filled
// from the record (shared/reports.ts); the update cadence with a live countdown and a reminder when an
// update is due. Copying a template logs a comms entry on the timeline, which restarts the countdown.
import { useEffect, useRef, useState } from 'react';
import type { Incident } from '../../shared/domain';
import { initialIncidentReport, resolutionUpdate, statusUpdate, updateCadence, type UpdateCadence } from '../../shared/reports';
import { formatDuration } from '../../shared/phases';
import { api } from '../data/api';
import { copyText } from '../lib/clipboard';
import { useNow } from '../lib/clock';
import { clock, full } from '../lib/time';
import { useToast } from '../lib/toast';
import type { IncidentCtx } from './ctx';

type TemplateId = 'initial' | 'status' | 'resolution';

const TEMPLATES: { id: TemplateId; title: string; what: string; make: (inc: Incident, now: Date) => string }[] = [
  { id: 'initial', title: 'Initial incident report', what: 'initial incident report', make: initialIncidentReport },
  { id: 'status', title: 'Status update', what: 'status update', make: statusUpdate },
  { id: 'resolution', title: 'Resolution update', what: 'resolution update', make: (inc) => resolutionUpdate(inc) },
];

/** Which template fits the moment: the initial report until one is sent, then updates, then the resolution. */
function suggested(inc: Incident): TemplateId {
  if (inc.phase === 'review' || inc.phase === 'closed') return 'resolution';
  return inc.timeline.some((e) => e.kind === 'comms') ? 'status' : 'initial';
}

export interface CadenceState {
  cadence: UpdateCadence;
  /** ms until due (negative: overdue). */
  leftMs: number;
  due: boolean;
}

export function useCadence(inc: Incident): CadenceState | null {
  const now = useNow();
  const cadence = updateCadence(inc);
  if (!cadence) return null;
  const leftMs = Date.parse(cadence.dueAt) - now;
  return { cadence, leftMs, due: leftMs <= 0 };
}

/** "next update in 12:04" / "update overdue 3:10" — for the header chip and the comms tab. */
export function CadenceChip({ state, onClick }: { state: CadenceState | null; onClick?: () => void }) {
  if (!state) return null;
  const text = state.due ? `Update overdue ${formatDuration(-state.leftMs)}` : `Next update in ${formatDuration(state.leftMs)}`;
  return (
    <button
      type="button"
      className={`cadence-chip ${state.due ? 'is-due' : state.leftMs < 2 * 60_000 ? 'is-soon' : ''}`}
      onClick={onClick}
      title={`Stakeholder updates every ${state.cadence.minutes} min; next due ${clock(state.cadence.dueAt)} (${full(state.cadence.dueAt)})`}
      data-testid="cadence-chip"
      data-due={state.due}
    >
      <span aria-hidden="true">{state.due ? '⏰' : '✉'}</span> {text}
    </button>
  );
}

/** One reminder toast when an update falls due (and again each cadence while none is sent). */
export function useCadenceReminder(inc: Incident, state: CadenceState | null, openComms: () => void) {
  const toast = useToast();
  const told = useRef<string | null>(null);
  const dueAt = state?.cadence.dueAt ?? null;
  const due = !!state?.due;
  useEffect(() => {
    if (!due || !dueAt || told.current === dueAt || inc.phase === 'closed') return;
    told.current = dueAt;
    toast({
      message: `${inc.key}: a stakeholder update is due (every ${state!.cadence.minutes} min).`,
      tone: 'info',
      action: { label: 'Open comms', run: openComms },
      timeout: 15_000,
    });
  }, [due, dueAt, inc.key, inc.phase, openComms, state, toast]);
}

export function Comms({ ctx, cadence }: { ctx: IncidentCtx; cadence: CadenceState | null }) {
  const { inc, readOnly } = ctx;
  const toast = useToast();
  const [open, setOpen] = useState<TemplateId>(() => suggested(inc));
  const [copied, setCopied] = useState<TemplateId | null>(null);
  const now = new Date(useNow());

  async function copy(t: (typeof TEMPLATES)[number], text: string) {
    const ok = await copyText(text);
    if (!ok) {
      toast({ message: 'Could not copy — select the text and press Ctrl+C', tone: 'error' });
      return;
    }
    setCopied(t.id);
    setTimeout(() => setCopied((c) => (c === t.id ? null : c)), 1500);
    if (readOnly) {
      toast({ message: `Copied the ${t.what} (the incident is closed, so nothing is logged)`, tone: 'success' });
      return;
    }
    try {
      await api.call('timeline:add', { key: inc.key, kind: 'comms', body: `Sent the ${t.what}:\n${text}` });
      toast({ message: `Copied the ${t.what} — logged on the timeline${cadence ? `; next update due in ${cadence.cadence.minutes} min` : ''}`, tone: 'success' });
    } catch {
      /* the data layer toasts the error */
    }
  }

  const sent = inc.timeline.filter((e) => e.kind === 'comms');
  const last = sent.length ? sent.reduce((a, b) => (Date.parse(b.occurredAt) > Date.parse(a.occurredAt) ? b : a)) : null;
  return (
    <div className="comms" data-testid="templates">
      <div className={`cadence ${cadence?.due ? 'is-due' : ''}`} data-testid="cadence" role={cadence?.due ? 'alert' : undefined}>
        {cadence ? (
          <>
            <strong>{cadence.due ? `Update overdue by ${formatDuration(-cadence.leftMs)}` : `Next update in ${formatDuration(cadence.leftMs)}`}</strong>
            <span className="muted">
              {' '}
              · every {cadence.cadence.minutes} min for {inc.severity} · due {clock(cadence.cadence.dueAt)} ·{' '}
              {last ? `last sent ${clock(last.occurredAt)}` : 'none sent yet'}
            </span>
          </>
        ) : (
          <span className="muted">{inc.phase === 'closed' ? 'Closed: no more updates.' : 'In review: send the resolution update; no cadence from here.'}</span>
        )}
      </div>
      <div className="seg comms-tabs" role="tablist" aria-label="Template">
        {TEMPLATES.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={open === t.id}
            className={`seg-btn ${open === t.id ? 'on' : ''}`}
            onClick={() => setOpen(t.id)}
            data-testid={`template-tab-${t.id}`}
          >
            {t.title}
            {suggested(inc) === t.id && <span className="seg-count" title="The one that fits now">now</span>}
          </button>
        ))}
      </div>
      {TEMPLATES.filter((t) => t.id === open).map((t) => {
        const text = t.make(inc, now);
        return (
          <div className="template" data-testid={`template-${t.id}`} key={t.id} role="tabpanel" aria-label={t.title}>
            <div className="template-head">
              <h3>{t.title}</h3>
              <button type="button" className="btn btn-small btn-primary" onClick={() => void copy(t, text)} data-testid={`copy-${t.id}`} aria-label={`Copy the ${t.what}${readOnly ? '' : ' and log it on the timeline'}`}>
                {copied === t.id ? 'Copied ✓' : readOnly ? 'Copy' : 'Copy & log'}
              </button>
            </div>
            <pre className="template-body">{text}</pre>
          </div>
        );
      })}
    </div>
  );
}
