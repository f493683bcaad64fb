import type { Incident, Phase } from '../../shared/domain';
import { PHASES } from '../../shared/domain';
import { PHASE_DEFS, budgetState, formatDuration } from '../../shared/phases';
import { PhaseTimer } from '../components/ui';
import { clock, full } from '../lib/time';

export function PhaseStepper({ inc, compact }: { inc: Incident; compact?: boolean }) {
  const idx = inc.phase === 'closed' ? PHASES.length : PHASES.indexOf(inc.phase);
  return (
    <ol className={`stepper ${compact ? 'stepper-compact' : ''}`} aria-label="Phases" data-testid="phase-stepper">
      {PHASES.map((p, i) => {
        const entry = inc.phases.find((e) => e.phase === p);
        const status = i < idx ? 'done' : i === idx ? 'current' : 'upcoming';
        return (
          <li
            key={p}
            className={`step step-${status}`}
            aria-current={status === 'current' ? 'step' : undefined}
            data-testid={`step-${p}`}
            data-status={status}
          >
            <div className="step-top">
              <span className="step-dot" aria-hidden="true">
                {status === 'done' ? '✓' : i + 1}
              </span>
              <span className="step-name">{PHASE_DEFS[p].label}</span>
              {!compact && <span className="step-budget">{PHASE_DEFS[p].budgetLabel}</span>}
            </div>
            <div className="step-bottom">
              {status === 'current' && entry ? (
                <PhaseTimer phase={p} enteredAt={entry.enteredAt} />
              ) : status === 'done' && entry ? (
                <Spent phase={p} enteredAt={entry.enteredAt} exitedAt={entry.exitedAt} />
              ) : (
                <span className="muted">—</span>
              )}
            </div>
            {entry && !compact && (
              <div className="step-entered" title={full(entry.enteredAt)}>
                entered {clock(entry.enteredAt)}
              </div>
            )}
            {entry?.earlyReason && (
              <div className="step-early" title={`Gate passed early: ${entry.earlyReason}`} data-testid={`early-${p}`}>
                {compact ? (
                  <>
                    <span aria-hidden="true">⚑{p === 'mitigate' && !inc.mitigationVerifiedAt ? ' unverified' : ' early'}</span>
                    <span className="visually-hidden">gate passed early{p === 'mitigate' && !inc.mitigationVerifiedAt ? ', mitigation not verified' : ''}</span>
                  </>
                ) : (
                  <>⚑ passed early{p === 'mitigate' && !inc.mitigationVerifiedAt ? ' · not verified' : ''}</>
                )}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}

function Spent({ phase, enteredAt, exitedAt }: { phase: Phase; enteredAt: string; exitedAt: string | null }) {
  if (!exitedAt) return <span className="muted">—</span>;
  const ms = Date.parse(exitedAt) - Date.parse(enteredAt);
  const st = budgetState(phase, ms);
  return (
    <span className={`timer timer-small budget-${st} timer-done`} title={`Took ${formatDuration(ms)} (budget ${PHASE_DEFS[phase].budgetLabel})`}>
      <span className="timer-value">{formatDuration(ms)}</span>
    </span>
  );
}
