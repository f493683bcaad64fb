// The gate of the current phase: exit criteria with met/unmet marks, the fields that satisfy them
// (edited inline), and "Advance to <next>" — with a required reason when criteria are unmet.
import { useState } from 'react';
import type { Input } from '../../shared/api/contract';
import { ApiError, fieldError } from '../../shared/api/errors';
import { SEVERITIES, SEVERITY_LABELS, type FailureClass, type Phase, type RootCauseOrigin, type Severity } from '../../shared/domain';
import { PHASE_DEFS, gateStatus, type GateCriterion } from '../../shared/phases';
import { Dialog } from '../components/Dialog';
import { InlineField } from '../components/InlineField';
import { Field, Kbd } from '../components/ui';
import { emit } from '../lib/commands';
import { modKey } from '../lib/keys';
import { clock } from '../lib/time';
import { useToast } from '../lib/toast';
import type { IncidentCtx } from './ctx';
import { FailureClassOptions, OriginOptions } from '../components/options';

type Patch = Input<'incident:update'>['patch'];

export function GatePanel({ ctx, phase }: { ctx: IncidentCtx; phase: Phase }) {
  const { inc, mutate } = ctx;
  const toast = useToast();
  const gate = gateStatus(phase, inc);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const def = PHASE_DEFS[phase];
  const nextLabel = gate.next ? PHASE_DEFS[gate.next].label : null;
  const unmet = gate.criteria.filter((c) => !c.met);

  async function advance(reason?: string) {
    setBusy(true);
    try {
      const next = await mutate('incident:advance', reason ? { reason } : {});
      setAsking(false);
      toast({
        message:
          next.phase === 'closed'
            ? `${next.key} closed. Thank you.`
            : `Now in ${PHASE_DEFS[next.phase].label} — budget ${PHASE_DEFS[next.phase].budgetLabel}`,
        tone: 'success',
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card gate" aria-labelledby="gate-title" data-testid="gate-panel" data-phase={phase}>
      <header className="card-head">
        <div>
          <h2 className="card-title" id="gate-title">
            {def.label}: {def.goal}
          </h2>
          <p className="card-sub">Leave when: {def.leavesWhen}</p>
        </div>
        <span className={`gate-state ${gate.allMet ? 'met' : 'unmet'}`} data-testid="gate-state">
          {gate.allMet ? 'Exit criteria met' : `${unmet.length} of ${gate.criteria.length} criteria open`}
        </span>
      </header>
      <div className="card-body">
        <ul className="criteria">
          {gate.criteria.map((c) => (
            <li key={c.id} className={`criterion ${c.met ? 'met' : 'unmet'}`} data-testid={`criterion-${c.id}`} data-met={c.met}>
              <div className="criterion-head">
                <span className="criterion-mark" aria-hidden="true">
                  {c.met ? '✓' : '○'}
                </span>
                <span className="criterion-label">{c.label}</span>
                <span className="visually-hidden">{c.met ? ' (met)' : ' (not met yet)'}</span>
              </div>
              <div className="criterion-field">
                <CriterionField ctx={ctx} c={c} />
              </div>
            </li>
          ))}
        </ul>
        <div className="gate-actions">
          <button
            type="button"
            className={`btn ${gate.allMet ? 'btn-primary' : 'btn-caution'}`}
            disabled={busy}
            data-testid="advance-button"
            onClick={() => (gate.allMet ? void advance().catch(() => setAsking(true)) : setAsking(true))}
          >
            {nextLabel ? `Advance to ${nextLabel} →` : 'Close incident'}
          </button>
          {!gate.allMet && <span className="muted">Criteria open — you can pass early with a reason; it goes on the timeline.</span>}
        </div>
      </div>
      {asking && (
        <EarlyPassDialog
          unmet={unmet}
          target={nextLabel ?? 'closed'}
          onCancel={() => setAsking(false)}
          onConfirm={(reason) => advance(reason)}
        />
      )}
    </section>
  );
}

function EarlyPassDialog({
  unmet,
  target,
  onCancel,
  onConfirm,
}: {
  unmet: GateCriterion[];
  target: string;
  onCancel: () => void;
  onConfirm: (reason: string) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [err, setErr] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit() {
    setBusy(true);
    setErr(null);
    try {
      await onConfirm(reason);
    } catch (e) {
      setErr(ApiError.from(e));
      setBusy(false);
    }
  }
  return (
    <Dialog title={target === 'closed' ? 'Close with open criteria?' : `Pass the gate early — to ${target}?`} onClose={onCancel} testid="early-pass-dialog" initialFocus="textarea">
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {unmet.length === 0 ? (
          <p className="gate-now-met">All exit criteria are met now — no reason needed, but you can add a note for the timeline.</p>
        ) : (
          <>
            <p>These exit criteria are not met:</p>
            <ul className="unmet-list">
              {unmet.map((c) => (
                <li key={c.id}>○ {c.label}</li>
              ))}
            </ul>
            <p className="muted">
              Bypassing a gate is how unverified changes ship. Say why it is right here; the reason is recorded on the timeline.
            </p>
          </>
        )}
        <Field label={unmet.length === 0 ? 'Note (optional)' : 'Reason (required)'} error={fieldError(err, 'reason') ?? (err && !fieldError(err, 'reason') ? err.message : undefined)} testid="early-reason">
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              rows={3}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              aria-required={unmet.length > 0}
              data-testid="early-reason-input"
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
          <button type="submit" className={`btn ${unmet.length ? 'btn-caution' : 'btn-primary'}`} disabled={busy} data-testid="early-confirm">
            {unmet.length ? 'Pass gate with this reason' : 'Advance'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function CriterionField({ ctx, c }: { ctx: IncidentCtx; c: GateCriterion }) {
  const { inc, mutate } = ctx;
  const update = (patch: Patch) => mutate('incident:update', { patch });
  switch (c.id) {
    case 'owner':
      return (
        <InlineField
          label="Incident commander"
          field="person"
          value={inc.roles.incident_commander ?? ''}
          placeholder="Who owns this incident? e.g. @alice"
          onSave={(v) => mutate('incident:setRole', { role: 'incident_commander', person: v })}
          testid="gate-commander"
          hideLabel
        />
      );
    case 'impact':
      return (
        <InlineField
          label="Impact"
          field="impact"
          multiline
          rows={2}
          value={inc.impact}
          placeholder="Who/what is affected and how badly — e.g. 17-point accuracy drop; fraud slipping through"
          onSave={(v) => update({ impact: v })}
          testid="gate-impact"
          hideLabel
        />
      );
    case 'severity':
      return <SeveritySelect ctx={ctx} />;
    case 'class':
      return <ClassSelect ctx={ctx} />;
    case 'systems':
      return (
        <InlineField
          label="Affected service / systems"
          field="service"
          value={inc.service}
          placeholder="e.g. fraud-scoring-api, feature-pipeline"
          onSave={(v) => update({ service: v })}
          testid="gate-service"
          hideLabel
        />
      );
    case 'hypothesis':
      return (
        <InlineField
          label="Root-cause hypothesis"
          field="hypothesis"
          multiline
          rows={2}
          value={inc.hypothesis}
          placeholder='What do you think broke, and why? Write "unknown" if you honestly cannot tell yet.'
          onSave={(v) => update({ hypothesis: v })}
          testid="gate-hypothesis"
          hideLabel
        />
      );
    case 'evidence':
      return (
        <div className="criterion-hint">
          {c.met ? (
            <span className="muted">{evidenceCount(inc.timeline)}</span>
          ) : (
            <>
              <span className="muted">Log what supports the hypothesis (a metric, a diff, a log line) as an evidence entry.</span>{' '}
              <button type="button" className="btn btn-small" onClick={() => emit('quick-evidence')} data-testid="add-evidence">
                Add evidence
              </button>
            </>
          )}
        </div>
      );
    case 'mitigation':
      return (
        <InlineField
          label="Temporary fix or rollback"
          field="mitigation"
          multiline
          rows={2}
          value={inc.mitigation}
          placeholder="e.g. Rolled back fraud-model to v41 (last known good)"
          onSave={(v) => update({ mitigation: v })}
          testid="gate-mitigation"
          hideLabel
        />
      );
    case 'verified':
      return <VerifiedToggle ctx={ctx} />;
    case 'resolution':
      return (
        <InlineField
          label="Permanent fix"
          field="resolution"
          multiline
          rows={2}
          value={inc.resolution}
          placeholder="e.g. Fixed the upstream schema change; added a schema validation test"
          onSave={(v) => update({ resolution: v })}
          testid="gate-resolution"
          hideLabel
        />
      );
    case 'summary':
      return (
        <InlineField
          label="Postmortem summary"
          field="summary"
          multiline
          rows={3}
          value={inc.summary}
          placeholder="What happened, impact, root cause, trigger, how it was resolved."
          onSave={(v) => update({ summary: v })}
          testid="gate-summary"
          hideLabel
        />
      );
    case 'lessons':
      return (
        <>
          <InlineField
            label="Lessons learned"
            field="lessons"
            multiline
            rows={3}
            value={inc.lessons}
            placeholder="Went well / went wrong / got lucky; action items with owners."
            onSave={(v) => update({ lessons: v })}
            testid="gate-lessons"
          hideLabel
          />
          <OriginSelect ctx={ctx} />
        </>
      );
    default:
      return null;
  }
}

function evidenceCount(timeline: { kind: string }[]) {
  const n = timeline.filter((e) => e.kind === 'evidence').length;
  if (n === 0) return 'Hypothesis is "unknown" — no evidence needed yet.';
  return `${n} evidence ${n === 1 ? 'entry' : 'entries'} on the timeline.`;
}

function useSelectSave(ctx: IncidentCtx) {
  const toast = useToast();
  return async (patch: Patch) => {
    try {
      await ctx.mutate('incident:update', { patch });
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    }
  };
}

export function SeveritySelect({ ctx, id = 'gate-severity' }: { ctx: IncidentCtx; id?: string }) {
  const save = useSelectSave(ctx);
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        Severity
      </label>
      <select
        id={id}
        value={ctx.inc.severity}
        disabled={ctx.readOnly}
        onChange={(e) => void save({ severity: e.target.value as Severity })}
        data-testid={id}
      >
        {SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {s} — {SEVERITY_LABELS[s]}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ClassSelect({ ctx, id = 'gate-class' }: { ctx: IncidentCtx; id?: string }) {
  const save = useSelectSave(ctx);
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        Failure class
      </label>
      <select
        id={id}
        value={ctx.inc.failureClass}
        disabled={ctx.readOnly}
        onChange={(e) => void save({ failureClass: e.target.value as FailureClass })}
        data-testid={id}
      >
        <FailureClassOptions />
      </select>
      <div className="field-hint">Changing the class changes the checklist, first checks and warning.</div>
    </div>
  );
}

export function OriginSelect({ ctx, id = 'gate-origin' }: { ctx: IncidentCtx; id?: string }) {
  const save = useSelectSave(ctx);
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        Root-cause origin
      </label>
      <select
        id={id}
        value={ctx.inc.rootCauseOrigin ?? ''}
        disabled={ctx.readOnly}
        onChange={(e) => void save({ rootCauseOrigin: (e.target.value || null) as RootCauseOrigin | null })}
        data-testid={id}
      >
        <option value="">not known yet</option>
        <OriginOptions />
      </select>
    </div>
  );
}

function VerifiedToggle({ ctx }: { ctx: IncidentCtx }) {
  const save = useSelectSave(ctx);
  const at = ctx.inc.mitigationVerifiedAt;
  // Optimistic: the box flips at once; the server's answer replaces it.
  const [pending, setPending] = useState<boolean | null>(null);
  const on = pending ?? !!at;
  return (
    <label className={`toggle ${on ? 'on' : ''}`} data-testid="verified-toggle">
      <input
        type="checkbox"
        checked={on}
        disabled={ctx.readOnly}
        onChange={async (e) => {
          setPending(e.target.checked);
          await save({ mitigationVerified: e.target.checked });
          setPending(null);
        }}
        data-testid="verified-checkbox"
      />
      <span>
        Verified — the previous stable version is actually serving traffic and behaving correctly
        {at && <span className="muted"> (at {clock(at)})</span>}
      </span>
    </label>
  );
}
