// The gate of the current phase: exit criteria with met/unmet marks, the fields that satisfy them
// (edited inline), and "Advance to <next>" — with a required reason when criteria are unmet.
import { useState } from 'react';
import type { Input } from '../../shared/api/contract';
import { ApiError, fieldError } from '../../shared/api/errors';
import { FAILURE_CLASS_LABELS, SEVERITIES, SEVERITY_LABELS, type FailureClass, type Phase, type RootCauseOrigin, type Severity } from '../../shared/domain';
import { PHASE_DEFS, gateStatus, type GateCriterion } from '../../shared/phases';
import { AdvanceButton } from './Advance';
import { InlineField } from '../components/InlineField';
import { emit } from '../lib/commands';
import { clock } from '../lib/time';
import { useToast } from '../lib/toast';
import type { IncidentCtx } from './ctx';
import { FailureClassOptions, OriginOptions } from '../components/options';

type Patch = Input<'incident:update'>['patch'];

export function GatePanel({ ctx, phase, showAdvance = true, drill = false }: { ctx: IncidentCtx; phase: Phase; showAdvance?: boolean; /** A drill: the class criterion is the responder's own classification. */ drill?: boolean }) {
  const { inc } = ctx;
  const gate = gateStatus(phase, inc);
  const def = PHASE_DEFS[phase];
  const unmet = gate.criteria.filter((c) => !c.met);

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
                <CriterionField ctx={ctx} c={c} drill={drill} />
              </div>
            </li>
          ))}
        </ul>
        {showAdvance && (
          <div className="gate-actions">
            <AdvanceButton ctx={ctx} />
            {!gate.allMet && <span className="muted">Criteria open — you can pass early with a reason; it goes on the timeline.</span>}
          </div>
        )}
      </div>
    </section>
  );
}

function CriterionField({ ctx, c, drill }: { ctx: IncidentCtx; c: GateCriterion; drill: boolean }) {
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
          draftKey={`${inc.key}.gate.commander`}
          readOnly={ctx.readOnly}
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
          draftKey={`${inc.key}.gate.impact`}
          readOnly={ctx.readOnly}
          hideLabel
        />
      );
    case 'severity':
      return <SeveritySelect ctx={ctx} />;
    case 'class':
      // A drill scores the responder's own classification: the gate waits for it, and shows it.
      if (drill) {
        return (
          <div className="criterion-hint" data-testid="gate-class-drill">
            {inc.classUnconfirmed ? (
              <>
                <span className="muted">Classify the failure in “Classify the failure” — that is the class this gate waits for.</span>{' '}
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => {
                    const el = document.querySelector<HTMLElement>('[data-testid="drill-class-select"]');
                    el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
                    el?.focus();
                  }}
                >
                  Classify
                </button>
              </>
            ) : (
              <span className="muted">{FAILURE_CLASS_LABELS[inc.failureClass]} — your classification.</span>
            )}
          </div>
        );
      }
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
          draftKey={`${inc.key}.gate.service`}
          readOnly={ctx.readOnly}
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
          draftKey={`${inc.key}.gate.hypothesis`}
          readOnly={ctx.readOnly}
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
          draftKey={`${inc.key}.gate.mitigation`}
          readOnly={ctx.readOnly}
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
          draftKey={`${inc.key}.gate.resolution`}
          readOnly={ctx.readOnly}
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
          draftKey={`${inc.key}.gate.summary`}
          readOnly={ctx.readOnly}
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
            draftKey={`${inc.key}.gate.lessons`}
            readOnly={ctx.readOnly}
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
