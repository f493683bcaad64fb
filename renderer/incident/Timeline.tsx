// Timeline: quick-add (T focuses, Ctrl/Cmd+Enter adds, Alt+N/A/E/D/C picks the kind), back-filled
// times (capture time stays visible), edit, delete with Undo.
import { useEffect, useRef, useState } from 'react';
import type { Input } from '../../shared/api/contract';
import { ApiError, fieldError } from '../../shared/api/errors';
import type { TimelineEvent, TimelineKind } from '../../shared/domain';
import { PHASE_DEFS } from '../../shared/phases';
import { api } from '../data/api';
import { useDraft } from '../lib/draft';
import { onReveal } from '../lib/reveal';
import { Field, Kbd } from '../components/ui';
import { useCommand } from '../lib/commands';
import { isMac, modKey, MOD } from '../lib/keys';
import { clock, full, fromLocalInput, toLocalInput } from '../lib/time';
import { useToast } from '../lib/toast';
import type { IncidentCtx } from './ctx';
import { TimelineImportDialog } from './TimelineImport';

type AddKind = Exclude<TimelineKind, 'phase_change'>;
const KINDS: { kind: AddKind; label: string; key: string; hint: string }[] = [
  { kind: 'note', label: 'Note', key: 'n', hint: 'Anything worth remembering' },
  { kind: 'action', label: 'Action', key: 'a', hint: 'Something someone did (rollback, restart, config change)' },
  { kind: 'evidence', label: 'Evidence', key: 'e', hint: 'A fact that supports or refutes a hypothesis' },
  { kind: 'decision', label: 'Decision', key: 'd', hint: 'A choice made, and why' },
  { kind: 'comms', label: 'Comms', key: 'c', hint: 'An update sent to stakeholders' },
];
const KIND_LABEL: Record<TimelineKind, string> = {
  note: 'Note', action: 'Action', evidence: 'Evidence', decision: 'Decision', comms: 'Comms', phase_change: 'Phase',
};
const ALT = isMac ? '⌥' : 'Alt';

export function Timeline({ ctx }: { ctx: IncidentCtx }) {
  const { inc } = ctx;
  const events = [...inc.timeline].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt) || b.id - a.id);
  const [flash, setFlash] = useState<number | null>(null);
  const [importing, setImporting] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  // "Show me" from elsewhere (a saved diff change): scroll to the entry and mark it for a moment.
  useEffect(
    () =>
      onReveal((r) => {
        if (r.kind !== 'event') return;
        setFlash(r.id);
        requestAnimationFrame(() => listRef.current?.querySelector(`[data-id="${r.id}"]`)?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
        setTimeout(() => setFlash((f) => (f === r.id ? null : f)), 2500);
      }),
    [],
  );
  return (
    <section className="card timeline" aria-labelledby="timeline-title" data-testid="timeline">
      <header className="card-head">
        <h2 className="card-title" id="timeline-title">
          Timeline <span className="card-count">{events.length}</span>
        </h2>
        <span className="muted small">newest first · local time</span>
        {!ctx.readOnly && (
          <button type="button" className="btn btn-small" onClick={() => setImporting(true)} data-testid="timeline-import-open" title="Add events from a Slack, PagerDuty, Alertmanager/Grafana or CSV export">
            Import…
          </button>
        )}
      </header>
      {importing && <TimelineImportDialog incidentKey={inc.key} revision={inc.revision} onClose={() => setImporting(false)} />}
      <div className="card-body">
        {ctx.readOnly ? (
          <p className="muted small timeline-closed" data-testid="quick-add-closed">
            Closed — the timeline is read-only until the incident is reopened.
          </p>
        ) : (
          <QuickAdd ctx={ctx} />
        )}
        {events.length === 0 ? (
          <p className="muted">Nothing logged yet. Press <Kbd>T</Kbd> and write what you see — one line is enough.</p>
        ) : (
          <ol className="events" data-testid="timeline-events" ref={listRef}>
            {events.map((ev) => (
              <EventItem key={ev.id} ev={ev} ctx={ctx} flash={flash === ev.id} />
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

function QuickAdd({ ctx }: { ctx: IncidentCtx }) {
  // The unsent entry survives a reload (kind, text and a back-filled time).
  const dk = `${ctx.inc.key}.quickadd`;
  const [kind, setKind] = useDraft<AddKind>(`${dk}.kind`, 'note');
  const [body, setBody] = useDraft(`${dk}.body`, '');
  const [at, setAt] = useDraft(`${dk}.at`, '');
  const [showAt, setShowAt] = useState(() => at !== '');
  const [err, setErr] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const ta = useRef<HTMLTextAreaElement>(null);
  const focus = () => {
    ta.current?.focus();
    ta.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  };

  useCommand('quick-note', () => {
    focus();
  });
  useCommand('quick-evidence', () => {
    setKind('evidence');
    focus();
  });

  async function submit() {
    if (busy) return;
    setBusy(true);
    setErr(null);
    const input: Input<'timeline:add'> = { key: ctx.inc.key, kind, body };
    const iso = showAt ? fromLocalInput(at) : null;
    if (iso) input.occurredAt = iso;
    try {
      await api.call('timeline:add', input);
      setBody('');
      setAt('');
      setShowAt(false);
      await ctx.refresh();
      ta.current?.focus();
    } catch (e) {
      setErr(ApiError.from(e));
    } finally {
      setBusy(false);
    }
  }

  function onKey(e: React.KeyboardEvent) {
    if (e.key === 'Enter' && modKey(e)) {
      e.preventDefault();
      void submit();
      return;
    }
    if (e.altKey && !e.ctrlKey && !e.metaKey) {
      const k = KINDS.find((x) => e.code === `Key${x.key.toUpperCase()}`);
      if (k) {
        e.preventDefault();
        setKind(k.kind);
      }
    }
    if (e.key === 'Escape' && !body) (e.target as HTMLElement).blur();
  }

  const current = KINDS.find((k) => k.kind === kind)!;
  return (
    <form
      className="quick-add"
      data-testid="quick-add"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div
        className="kind-picker"
        role="radiogroup"
        aria-label="Entry kind"
        onKeyDown={(e) => {
          const k = KINDS.find((x) => x.key === e.key.toLowerCase());
          if (k && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            setKind(k.kind);
            (e.currentTarget.querySelector(`[data-kind="${k.kind}"]`) as HTMLElement | null)?.focus();
          }
          if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
            e.preventDefault();
            const i = KINDS.findIndex((x) => x.kind === kind);
            const n = KINDS[(i + (e.key === 'ArrowRight' ? 1 : KINDS.length - 1)) % KINDS.length];
            setKind(n.kind);
            (e.currentTarget.querySelector(`[data-kind="${n.kind}"]`) as HTMLElement | null)?.focus();
          }
        }}
      >
        {KINDS.map((k) => (
          <button
            key={k.kind}
            type="button"
            role="radio"
            aria-checked={kind === k.kind}
            tabIndex={kind === k.kind ? 0 : -1}
            className={`kind-btn kind-${k.kind} ${kind === k.kind ? 'on' : ''}`}
            onClick={() => {
              setKind(k.kind);
              ta.current?.focus();
            }}
            title={`${k.hint} — ${ALT}+${k.key.toUpperCase()}`}
            data-kind={k.kind}
            data-testid={`kind-${k.kind}`}
          >
            <u>{k.label[0]}</u>
            {k.label.slice(1)}
          </button>
        ))}
      </div>
      <Field label={`Add ${current.label.toLowerCase()}`} error={fieldError(err, 'body') ?? fieldError(err, 'occurredAt') ?? (err && !err.details?.issues ? err.message : undefined)} testid="quick-add-field">
        {({ id, describedBy, invalid }) => (
          <textarea
            id={id}
            ref={ta}
            rows={2}
            value={body}
            placeholder={`${current.hint}…   (T to focus · ${MOD}+Enter to add · ${ALT}+N/A/E/D/C to switch kind)`}
            onChange={(e) => setBody(e.target.value)}
            onKeyDown={onKey}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            aria-keyshortcuts="T"
            data-testid="quick-add-input"
          />
        )}
      </Field>
      <div className="quick-add-row">
        {showAt ? (
          <label className="inline-label">
            Happened at{' '}
            <input
              type="datetime-local"
              step={1}
              value={at}
              onChange={(e) => setAt(e.target.value)}
              onKeyDown={onKey}
              data-testid="quick-add-time"
              aria-label="Happened at (local time)"
            />
            <button type="button" className="link" onClick={() => (setShowAt(false), setAt(''))}>
              now
            </button>
          </label>
        ) : (
          <button
            type="button"
            className="link"
            onClick={() => {
              setShowAt(true);
              setAt(toLocalInput(new Date().toISOString()));
            }}
            data-testid="quick-add-backfill"
          >
            Back-fill: set when it happened…
          </button>
        )}
        <span className="spacer" />
        <span className="muted small">
          <Kbd>{MOD}+Enter</Kbd>
        </span>
        <button type="submit" className="btn btn-primary btn-small" disabled={busy} data-testid="quick-add-submit">
          Add {current.label.toLowerCase()}
        </button>
      </div>
    </form>
  );
}

function EventItem({ ev, ctx, flash }: { ev: TimelineEvent; ctx: IncidentCtx; flash?: boolean }) {
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const backfilled = Math.abs(Date.parse(ev.occurredAt) - Date.parse(ev.capturedAt)) > 60_000;
  const editable = ev.kind !== 'phase_change' && !ctx.readOnly;

  async function remove() {
    try {
      await ctx.call('timeline:delete', { key: ctx.inc.key, id: ev.id });
      await ctx.refresh();
      toast({
        message: `${KIND_LABEL[ev.kind]} deleted`,
        action: {
          label: 'Undo',
          run: async () => {
            await ctx.call('timeline:restore', { key: ctx.inc.key, id: ev.id });
            await ctx.refresh();
          },
        },
      });
    } catch {
      /* toast shown by ctx.call */
    }
  }

  return (
    <li className={`event event-${ev.kind} ${flash ? 'is-flash' : ''}`} data-testid="timeline-event" data-kind={ev.kind} data-id={ev.id}>
      <div className="event-time" title={`Happened: ${full(ev.occurredAt)}\nCaptured: ${full(ev.capturedAt)}${ev.editedAt ? `\nEdited: ${full(ev.editedAt)}` : ''}`}>
        <span className="mono">{clock(ev.occurredAt, true)}</span>
        {(ev.editedAt || backfilled) && (
          <span className="event-captured" data-testid="event-captured">
            captured {clock(ev.capturedAt)}
            {ev.editedAt ? ', edited' : ''}
          </span>
        )}
      </div>
      <div className="event-main">
        <div className="event-meta">
          <span className={`kind-chip kind-${ev.kind}`}>{KIND_LABEL[ev.kind]}</span>
          <span className="event-phase">{PHASE_DEFS[ev.phase]?.label ?? ev.phase}</span>
          {ev.author && (
            <span className="event-author" data-testid="event-author" title="Written by this teammate (team sync)">
              {ev.author}
            </span>
          )}
        </div>
        {editing ? (
          <EventEditor ev={ev} ctx={ctx} onDone={() => setEditing(false)} />
        ) : (
          <div className="event-body" data-testid="event-body">
            {ev.body}
          </div>
        )}
      </div>
      {editable && !editing && (
        <div className="event-actions">
          <button type="button" className="btn-text" onClick={() => setEditing(true)} aria-label={`Edit ${KIND_LABEL[ev.kind].toLowerCase()} from ${clock(ev.occurredAt)}`} data-testid="event-edit">
            Edit
          </button>
          <button type="button" className="btn-text danger" onClick={() => void remove()} aria-label={`Delete ${KIND_LABEL[ev.kind].toLowerCase()} from ${clock(ev.occurredAt)}`} data-testid="event-delete">
            Delete
          </button>
        </div>
      )}
    </li>
  );
}

function EventEditor({ ev, ctx, onDone }: { ev: TimelineEvent; ctx: IncidentCtx; onDone: () => void }) {
  const [body, setBody] = useState(ev.body);
  const [at, setAt] = useState(toLocalInput(ev.occurredAt));
  const [err, setErr] = useState<ApiError | null>(null);
  async function save() {
    const input: Input<'timeline:update'> = { key: ctx.inc.key, id: ev.id };
    if (body !== ev.body) input.body = body;
    if (at !== toLocalInput(ev.occurredAt)) {
      const iso = fromLocalInput(at);
      if (iso) input.occurredAt = iso;
    }
    if (input.body === undefined && input.occurredAt === undefined) return onDone();
    try {
      await api.call('timeline:update', input);
      await ctx.refresh();
      onDone();
    } catch (e) {
      setErr(ApiError.from(e));
    }
  }
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onDone();
    } else if (e.key === 'Enter' && (modKey(e) || (e.target as HTMLElement).tagName === 'INPUT')) {
      e.preventDefault();
      void save();
    }
  };
  return (
    <div className="event-editor" onKeyDown={onKey} data-testid="event-editor">
      <Field label="Happened at (local time) — capture time is kept" error={fieldError(err, 'occurredAt')}>
        {({ id, describedBy, invalid }) => (
          <input id={id} type="datetime-local" step={1} value={at} onChange={(e) => setAt(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="event-edit-time" autoFocus />
        )}
      </Field>
      <Field label="Text" error={fieldError(err, 'body') ?? (err && !err.details?.issues ? err.message : undefined)}>
        {({ id, describedBy, invalid }) => (
          <textarea id={id} rows={2} value={body} onChange={(e) => setBody(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="event-edit-body" />
        )}
      </Field>
      <div className="form-actions">
        <span className="muted small">
          <Kbd>{MOD}+Enter</Kbd> save · <Kbd>Esc</Kbd> cancel
        </span>
        <button type="button" className="btn btn-small" onClick={onDone}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary btn-small" onClick={() => void save()} data-testid="event-edit-save">
          Save
        </button>
      </div>
    </div>
  );
}
