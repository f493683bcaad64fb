// The incident page's sticky header: where you are (key, title, severity, class), what the record can
// honestly claim (gates passed early, an unverified mitigation), the phase with its live timer against
// the budget, when the next stakeholder update is due, and Advance (or Reopen when closed).
import type { Incident } from '../../shared/domain';
import { honestyFlag } from '../../shared/honesty';
import { PHASE_DEFS } from '../../shared/phases';
import { ClassBadge, DrillBadge, PhaseTimer, SeverityBadge } from '../components/ui';
import { clock, full } from '../lib/time';
import { AdvanceButton, ReopenButton } from './Advance';
import { CadenceChip, type CadenceState } from './Comms';
import type { IncidentCtx } from './ctx';
import { PhaseStepper } from './PhaseStepper';

export function HonestyChip({ inc }: { inc: Pick<Incident, 'phase' | 'phases' | 'mitigation' | 'mitigationVerifiedAt' | 'resolution' | 'startedAt' | 'metrics'> }) {
  const flag = honestyFlag(inc);
  if (!flag) return null;
  return (
    <span className="badge honesty-flag" data-testid="honesty-flag" title="What the record cannot claim: see the phase steps, metrics and comms">
      ⚑ {flag}
    </span>
  );
}

export function IncidentHeader({ ctx, cadence, onCadence }: { ctx: IncidentCtx; cadence: CadenceState | null; onCadence: () => void }) {
  const { inc } = ctx;
  const phase = inc.phase;
  return (
    <header className="incident-header cc-header" data-testid="incident-header">
      <div className="cc-header-row">
        <div className="incident-header-main">
          <nav className="crumbs" aria-label="Breadcrumb">
            <a href="#/">Incidents</a> <span aria-hidden="true">/</span>{' '}
            <span className="mono" data-testid="incident-key">
              {inc.key}
            </span>
          </nav>
          <h1 className="incident-title" data-testid="incident-title" title={inc.title}>
            {inc.title}
          </h1>
          <div className="incident-meta">
            <SeverityBadge severity={inc.severity} long />
            <ClassBadge cls={inc.failureClass} />
            {inc.isDrill && <DrillBadge />}
            <HonestyChip inc={inc} />
            <span className="meta-item" title="Affected service / system">
              <span className="meta-label">Service</span>{' '}
              {inc.service ? <strong data-testid="incident-service">{inc.service}</strong> : <span className="muted">not set</span>}
            </span>
            <span className="meta-item" title={full(inc.detectedAt)}>
              <span className="meta-label">Detected</span> {clock(inc.detectedAt)}
            </span>
            {inc.startedAt && (
              <span className="meta-item" title={full(inc.startedAt)}>
                <span className="meta-label">Impact since</span> {clock(inc.startedAt)}
              </span>
            )}
          </div>
        </div>
        <div className="incident-header-phase cc-phase" data-testid="current-phase">
          {phase === 'closed' ? (
            <>
              <span className="current-phase-name closed-mark">Closed</span>
              <span className="muted small">{inc.closedAt ? clock(inc.closedAt) : ''}</span>
            </>
          ) : (
            <>
              <span className="current-phase-label">Phase</span>
              <span className="current-phase-name" data-testid="current-phase-name">
                {PHASE_DEFS[phase].label}
              </span>
              <PhaseTimer phase={phase} enteredAt={inc.phaseEnteredAt} size="large" testid="phase-timer" />
            </>
          )}
        </div>
        <div className="cc-header-actions">
          <CadenceChip state={cadence} onClick={onCadence} />
          {phase === 'closed' ? <ReopenButton ctx={ctx} /> : <AdvanceButton ctx={ctx} compact />}
        </div>
      </div>
      <PhaseStepper inc={inc} compact />
    </header>
  );
}
