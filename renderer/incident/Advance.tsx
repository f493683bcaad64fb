// Advance to the next phase — from the sticky header (incident page) or the gate panel (drills). Unmet
// exit criteria ask for a reason (the early-pass dialog); closing the incident always confirms, since
// a closed record is read-only until someone reopens it with a reason.
import { useState, type ReactNode } from 'react';
import { ApiError, fieldError } from '../../shared/api/errors';
import { PHASE_DEFS, gateStatus, type GateCriterion } from '../../shared/phases';
import { Dialog } from '../components/Dialog';
import { Field, Kbd } from '../components/ui';
import { useDraft } from '../lib/draft';
import { modKey } from '../lib/keys';
import { useToast } from '../lib/toast';
import type { IncidentCtx } from './ctx';

export function AdvanceButton({ ctx, compact }: { ctx: IncidentCtx; compact?: boolean }) {
  const { inc, mutate } = ctx;
  const toast = useToast();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (inc.phase === 'closed') return null;
  const phase = inc.phase;
  const gate = gateStatus(phase, inc);
  const nextLabel = gate.next ? PHASE_DEFS[gate.next].label : null;
  const unmet = gate.criteria.filter((c) => !c.met);
  const closing = !gate.next;

  async function advance(reason?: string) {
    setBusy(true);
    try {
      const next = await mutate('incident:advance', reason ? { reason } : {});
      setAsking(false);
      toast({
        message:
          next.phase === 'closed'
            ? `${next.key} closed — the record is read-only now (Reopen… to change it).`
            : `Now in ${PHASE_DEFS[next.phase].label} — budget ${PHASE_DEFS[next.phase].budgetLabel}`,
        tone: 'success',
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button
        type="button"
        className={`btn ${gate.allMet ? 'btn-primary' : 'btn-caution'} ${compact ? 'btn-advance' : ''}`}
        disabled={busy || ctx.readOnly}
        data-testid="advance-button"
        title={gate.allMet ? undefined : `${unmet.length} exit criteria open: ${unmet.map((c) => c.label).join('; ')}`}
        onClick={() => (gate.allMet && !closing ? void advance().catch(() => setAsking(true)) : setAsking(true))}
      >
        {nextLabel ? `Advance to ${nextLabel} →` : 'Close incident…'}
      </button>
      {asking && (
        <EarlyPassDialog
          draftKey={`${inc.key}.advance.${phase}`}
          unmet={unmet}
          target={nextLabel ?? 'closed'}
          incidentKey={inc.key}
          onCancel={() => setAsking(false)}
          onConfirm={(reason) => advance(reason)}
        />
      )}
    </>
  );
}

function EarlyPassDialog({
  unmet,
  target,
  incidentKey,
  draftKey,
  onCancel,
  onConfirm,
}: {
  unmet: GateCriterion[];
  target: string;
  incidentKey: string;
  draftKey: string;
  onCancel: () => void;
  onConfirm: (reason: string) => Promise<void>;
}) {
  const closing = target === 'closed';
  const title = closing ? (unmet.length ? `Close ${incidentKey} with open criteria?` : `Close ${incidentKey}?`) : `Pass the gate early — to ${target}?`;
  return (
    <ReasonDialog
      title={title}
      draftKey={draftKey}
      required={unmet.length > 0}
      confirm={closing ? (unmet.length ? 'Close with this reason' : 'Close incident') : unmet.length ? 'Pass gate with this reason' : 'Advance'}
      caution={unmet.length > 0}
      ids={{ dialog: 'early-pass-dialog', field: 'early-reason', input: 'early-reason-input', confirm: 'early-confirm' }}
      onCancel={onCancel}
      onConfirm={onConfirm}
    >
      {closing && (
        <p data-testid="close-warning">
          Closing ends the flow: the record becomes <strong>read-only</strong> — no edits, notes or artifacts — until someone reopens it with a reason.
        </p>
      )}
      {unmet.length === 0 ? (
        <p className="gate-now-met">All exit criteria are met{closing ? '' : ' now'} — no reason needed, but you can add a note for the timeline.</p>
      ) : (
        <>
          <p>These exit criteria are not met:</p>
          <ul className="unmet-list">
            {unmet.map((c) => (
              <li key={c.id}>○ {c.label}</li>
            ))}
          </ul>
          <p className="muted">
            Bypassing a gate is how unverified changes ship. Say why it is right here; the reason is recorded on the timeline and shown wherever the record
            is reported.
          </p>
        </>
      )}
    </ReasonDialog>
  );
}

/** A closed incident back to review, with the reason on the timeline. */
export function ReopenButton({ ctx }: { ctx: IncidentCtx }) {
  const [open, setOpen] = useState(false);
  const toast = useToast();
  if (ctx.inc.phase !== 'closed') return null;
  return (
    <>
      <button type="button" className="btn btn-primary" onClick={() => setOpen(true)} data-testid="reopen-button">
        Reopen…
      </button>
      {open && (
        <ReasonDialog
          title={`Reopen ${ctx.inc.key}?`}
          draftKey={`${ctx.inc.key}.reopen`}
          required
          confirm="Reopen"
          ids={{ dialog: 'reopen-dialog', field: 'reopen-reason', input: 'reopen-reason-input', confirm: 'reopen-confirm' }}
          onCancel={() => setOpen(false)}
          onConfirm={async (reason) => {
            await ctx.mutate('incident:reopen', { reason });
            setOpen(false);
            toast({ message: `${ctx.inc.key} reopened — back in Review`, tone: 'success' });
          }}
        >
          <p>It goes back to Review and becomes editable again. The reason goes on the timeline.</p>
        </ReasonDialog>
      )}
    </>
  );
}

function ReasonDialog({
  title,
  children,
  draftKey,
  required,
  confirm,
  caution,
  ids,
  onCancel,
  onConfirm,
}: {
  title: string;
  children: ReactNode;
  draftKey: string;
  required: boolean;
  confirm: string;
  caution?: boolean;
  ids: { dialog: string; field: string; input: string; confirm: string };
  onCancel: () => void;
  onConfirm: (reason: string) => Promise<void>;
}) {
  const [reason, setReason, clearReason] = useDraft(draftKey, '');
  const [err, setErr] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit() {
    setBusy(true);
    setErr(null);
    try {
      await onConfirm(reason);
      clearReason();
    } catch (e) {
      setErr(ApiError.from(e));
      setBusy(false);
    }
  }
  return (
    <Dialog title={title} onClose={onCancel} testid={ids.dialog} initialFocus="textarea">
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {children}
        <Field label={required ? 'Reason (required)' : 'Note (optional)'} error={fieldError(err, 'reason') ?? (err && !fieldError(err, 'reason') ? err.message : undefined)} testid={ids.field}>
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              rows={3}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              aria-required={required}
              data-testid={ids.input}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (modKey(e) || !e.shiftKey)) {
                  e.preventDefault();
                  void submit();
                }
              }}
            />
          )}
        </Field>
        <div className="form-actions">
          <span className="muted">
            <Kbd>Enter</Kbd> confirm · <Kbd>Esc</Kbd> cancel
          </span>
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className={`btn ${caution ? 'btn-caution' : 'btn-primary'}`} disabled={busy} data-testid={ids.confirm}>
            {confirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
