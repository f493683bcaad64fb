// The incident page: header, phase stepper, gate panel, checklist, guidance, roles, timeline,
// metrics and communication templates.
import { useCallback } from 'react';
import type { Input } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import type { Incident, Phase } from '../../shared/domain';
import { api, refreshIncident } from '../data/api';
import { useIncidentQuery } from '../data/hooks';
import { useApiCall } from '../lib/useApiCall';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { clock } from '../lib/time';
import { InlineField } from '../components/InlineField';
import { Section } from '../components/ui';
import { IncidentHeader } from './Header';
import { PhaseStepper } from './PhaseStepper';
import { GatePanel } from './GatePanel';
import { Checklist } from './Checklist';
import { FirstChecks, WrongActionCard } from './Guidance';
import { Roles } from './Roles';
import { Timeline } from './Timeline';
import { Metrics } from './Metrics';
import { Templates } from './Templates';
import { Details } from './Details';
import { ArtifactsPanel } from '../artifacts/ArtifactsPanel';
import { PostmortemSection } from '../postmortem/Section';
import type { IncidentChannel, IncidentCtx } from './ctx';

export function IncidentPage({ incidentKey }: { incidentKey: string }) {
  const q = useIncidentQuery(incidentKey);
  const inc = q.data ?? null;
  const error = q.error ? ApiError.from(q.error) : null;

  const refresh = useCallback(() => refreshIncident(incidentKey), [incidentKey]);

  const mutate = useCallback(
    // The data layer puts the returned incident in the cache; the page re-renders from it.
    async <C extends IncidentChannel>(channel: C, input: Omit<Input<C>, 'key'>) =>
      (await api.call(channel, { ...input, key: incidentKey } as Input<C>)) as Incident,
    [incidentKey],
  );

  const call = useApiCall();

  useDocumentTitle(inc ? `${inc.key} · ${inc.title}` : null);

  if (error && !inc) {
    return (
      <div className="page">
        <div className="empty-small" data-testid="incident-error">
          <h1 className="page-title">{error.code === 'NOT_FOUND' ? `${incidentKey} not found` : 'Could not load the incident'}</h1>
          <p>{error.message}</p>
          <a className="btn" href="#/">
            ← Back to incidents
          </a>
        </div>
      </div>
    );
  }
  if (!inc) return <div className="page muted loading">Loading {incidentKey}…</div>;

  const readOnly = inc.phase === 'closed';
  const ctx: IncidentCtx = { inc, readOnly, mutate, refresh, call };
  const current: Phase | null = inc.phase === 'closed' ? null : inc.phase;

  return (
    <div className={`page incident-page ${readOnly ? 'is-closed' : ''}`} data-testid="incident-page" data-phase={inc.phase}>
      <IncidentHeader inc={inc} />
      {readOnly && (
        <div className="banner banner-closed" data-testid="closed-banner">
          <strong>Closed</strong>
          {inc.closedAt ? ` at ${clock(inc.closedAt)}` : ''}. The flow is complete and the record is read-only; late notes can still go on the
          timeline.
        </div>
      )}
      <PhaseStepper inc={inc} />
      <div className="incident-grid">
        {/* Artifacts span the grid: on top while investigating (seed 004's method), after everything else otherwise. */}
        {inc.phase === 'investigate' && <ArtifactsPanel ctx={ctx} emphasised />}
        {/* Findings, tests, postmortem, export (renderer/postmortem/): CSS order puts it under the artifacts while investigating, on top in review, last otherwise. */}
        <PostmortemSection ctx={ctx} />
        <div className="col-main">
          {current ? <GatePanel ctx={ctx} phase={current} /> : <ClosedRecord ctx={ctx} />}
          {/* In one-column layouts the warning sits right under the gate (CSS picks one of the two). */}
          <WrongActionCard cls={inc.failureClass} placement="main" />
          <Checklist ctx={ctx} />
          <Timeline ctx={ctx} />
          <Templates inc={inc} />
        </div>
        <aside className="col-side" aria-label="Guidance and details">
          <WrongActionCard cls={inc.failureClass} />
          <Roles ctx={ctx} />
          <Metrics inc={inc} />
          <FirstChecks cls={inc.failureClass} />
          <Details ctx={ctx} />
        </aside>
        {inc.phase !== 'investigate' && <ArtifactsPanel ctx={ctx} emphasised={false} />}
      </div>
    </div>
  );
}

/** What a closed incident concluded, read-only. */
function ClosedRecord({ ctx }: { ctx: IncidentCtx }) {
  const { inc } = ctx;
  const rows: [string, string][] = [
    ['Summary', inc.summary],
    ['Impact', inc.impact],
    ['Root cause', inc.hypothesis + (inc.rootCauseOrigin ? ` (origin: ${inc.rootCauseOrigin})` : '')],
    ['Mitigation', inc.mitigation],
    ['Permanent fix', inc.resolution],
    ['Lessons learned', inc.lessons],
  ];
  return (
    <Section title="Record" testid="closed-record" className="closed-record">
      <div className="record-grid">
        {rows.map(([label, value]) => (
          <InlineField key={label} label={label} value={value} readOnly field={label} onSave={async () => undefined} />
        ))}
      </div>
    </Section>
  );
}
