import type { Incident } from '../../shared/domain';
import { PHASE_DEFS } from '../../shared/phases';
import { ClassBadge, DrillBadge, PhaseTimer, SeverityBadge } from '../components/ui';
import { clock, full } from '../lib/time';

export function IncidentHeader({ inc }: { inc: Incident }) {
  const phase = inc.phase;
  return (
    <header className="incident-header" data-testid="incident-header">
      <div className="incident-header-main">
        <nav className="crumbs" aria-label="Breadcrumb">
          <a href="#/">Incidents</a> <span aria-hidden="true">/</span>{' '}
          <span className="mono" data-testid="incident-key">
            {inc.key}
          </span>
        </nav>
        <h1 className="incident-title" data-testid="incident-title">
          {inc.title}
        </h1>
        <div className="incident-meta">
          <SeverityBadge severity={inc.severity} long />
          <ClassBadge cls={inc.failureClass} />
          {inc.isDrill && <DrillBadge />}
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
      <div className="incident-header-phase" data-testid="current-phase">
        {phase === 'closed' ? (
          <>
            <div className="current-phase-label">Status</div>
            <div className="current-phase-name closed-mark">Closed</div>
            <div className="muted">{inc.closedAt ? clock(inc.closedAt) : ''}</div>
          </>
        ) : (
          <>
            <div className="current-phase-label">Current phase</div>
            <div className="current-phase-name" data-testid="current-phase-name">
              {PHASE_DEFS[phase].label}
            </div>
            <PhaseTimer phase={phase} enteredAt={inc.phaseEnteredAt} size="large" testid="phase-timer" />
          </>
        )}
      </div>
    </header>
  );
}
