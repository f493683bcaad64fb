// Small building blocks: field wrapper, badges, keycaps, live phase timer, copy button.
import { useId, useState, type ReactNode } from 'react';
import type { FailureClass, IncidentStatus, Phase, Severity } from '../../shared/domain';
import { FAILURE_CLASS_LABELS, SEVERITY_LABELS } from '../../shared/domain';
import { PHASE_DEFS, budgetState, formatDuration } from '../../shared/phases';
import { useNow } from '../lib/clock';
import { copyText } from '../lib/clipboard';
import { useToast } from '../lib/toast';

/** API messages start lower-case ("a title is required"); beside a field they read as a sentence. */
export function sentence(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}

/** Label + control + hint + error, with the error announced and linked by aria-describedby. */
export function Field({
  label,
  hint,
  error,
  children,
  className,
  htmlFor,
  testid,
  hideLabel,
}: {
  label: ReactNode;
  hideLabel?: boolean;
  hint?: ReactNode;
  error?: string;
  /** Render function receives the ids to wire up: control id and describedby. */
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
  className?: string;
  htmlFor?: string;
  testid?: string;
}) {
  const auto = useId();
  const id = htmlFor ?? `f${auto}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-err` : undefined;
  const describedBy = [errId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${error ? 'field-invalid' : ''} ${className ?? ''}`} data-testid={testid}>
      <label className={hideLabel ? 'visually-hidden' : 'field-label'} htmlFor={id}>
        {label}
      </label>
      {children({ id, describedBy, invalid: !!error })}
      {error && (
        <div className="field-error" id={errId} role="alert" data-testid={testid ? `${testid}-error` : undefined}>
          {sentence(error)}
        </div>
      )}
      {hint && !error && (
        <div className="field-hint" id={hintId}>
          {hint}
        </div>
      )}
    </div>
  );
}

export function SeverityBadge({ severity, long }: { severity: Severity; long?: boolean }) {
  return (
    <span className={`badge sev sev-${severity.toLowerCase()}`} title={SEVERITY_LABELS[severity]} data-testid="severity-badge">
      {severity}
      {long && <span className="badge-extra">{'\u00a0·\u00a0'}{SEVERITY_LABELS[severity].split(' — ')[0]}</span>}
    </span>
  );
}

export function ClassBadge({ cls }: { cls: FailureClass }) {
  return (
    <span className={`badge cls cls-${cls}`} data-testid="class-badge">
      {FAILURE_CLASS_LABELS[cls]}
    </span>
  );
}

export function DrillBadge() {
  return (
    <span className="badge drill" title="Drill: practice incident, kept out of real analytics" data-testid="drill-badge">
      Drill
    </span>
  );
}

export function PhaseLabel({ phase }: { phase: IncidentStatus }) {
  if (phase === 'closed') return <span className="phase-label phase-closed">Closed</span>;
  return <span className={`phase-label phase-${phase}`}>{PHASE_DEFS[phase].label}</span>;
}

/** Time spent in the current phase against its budget: amber from 80 %, red past it. */
export function PhaseTimer({
  phase,
  enteredAt,
  size = 'small',
  testid,
}: {
  phase: Phase;
  enteredAt: string;
  size?: 'small' | 'large';
  testid?: string;
}) {
  const now = useNow();
  const elapsed = Math.max(0, now - Date.parse(enteredAt));
  const state = budgetState(phase, elapsed);
  const def = PHASE_DEFS[phase];
  const budget = def.budgetMinutes;
  const pct = budget ? Math.min(100, (elapsed / (budget * 60_000)) * 100) : 0;
  const stateText =
    state === 'over' ? 'over budget' : state === 'warn' ? 'near budget' : state === 'none' ? def.budgetLabel : 'within budget';
  return (
    <span
      className={`timer timer-${size} budget-${state}`}
      data-testid={testid}
      data-budget={state}
      title={`${def.label}: ${formatDuration(elapsed)} of ${def.budgetLabel} (${stateText})`}
    >
      <span className="timer-value">{formatDuration(elapsed)}</span>
      <span className="timer-budget">{budget ? `/ ${def.budgetLabel}` : `· ${def.budgetLabel}`}</span>
      {budget !== null && size === 'large' && (
        <span className="timer-bar" aria-hidden="true">
          <span className="timer-fill" style={{ width: `${pct}%` }} />
        </span>
      )}
      {state !== 'ok' && state !== 'none' && <span className="visually-hidden"> ({stateText})</span>}
    </span>
  );
}

export function CopyButton({ text, label = 'Copy', what, testid }: { text: string; label?: string; what?: string; testid?: string }) {
  const toast = useToast();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-small"
      data-testid={testid}
      aria-label={what ? `${label} ${what}` : label}
      onClick={async () => {
        const ok = await copyText(text);
        if (ok) {
          setDone(true);
          setTimeout(() => setDone(false), 1500);
          toast({ message: what ? `Copied ${what}` : 'Copied', tone: 'success', timeout: 2000 });
        } else {
          toast({ message: 'Could not copy — select the text and press Ctrl+C', tone: 'error' });
        }
      }}
    >
      {done ? 'Copied ✓' : label}
    </button>
  );
}

export function Section({
  title,
  actions,
  children,
  className,
  testid,
  id,
}: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testid?: string;
  id?: string;
}) {
  const hid = useId();
  return (
    <section className={`card ${className ?? ''}`} aria-labelledby={hid} data-testid={testid} id={id}>
      <header className="card-head">
        <h2 className="card-title" id={hid}>
          {title}
        </h2>
        {actions && <div className="card-actions">{actions}</div>}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}
