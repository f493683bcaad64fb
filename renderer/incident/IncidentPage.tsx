// The incident page: header, phase stepper, gate panel, checklist, guidance, roles, timeline,
// metrics and communication templates.
import { useCallback, useEffect, useState } from 'react';
import type { Channel, Input } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import type { Incident, Phase } from '../../shared/domain';
import { api, CONFLICT_EVENT } from '../api/client';
import { useToast } from '../lib/toast';
import { useApiCall } from '../lib/useApiCall';
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

export type IncidentChannel = 'incident:update' | 'incident:advance' | 'incident:setRole' | 'incident:check';

export interface IncidentCtx {
  inc: Incident;
  readOnly: boolean;
  /** Call an API that returns the updated incident and take it as the new state. Throws ApiError. */
  mutate: <C extends IncidentChannel>(channel: C, input: Omit<Input<C>, 'key'>) => Promise<Incident>;
  /** Re-read the incident (after timeline calls, which return an event). */
  refresh: () => Promise<void>;
  /** Run any call; errors without a field go to a toast. */
  call: <C extends Channel>(channel: C, input: Input<C>) => Promise<unknown>;
}

export function IncidentPage({ incidentKey }: { incidentKey: string }) {
  const toast = useToast();
  const [inc, setInc] = useState<Incident | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const refresh = useCallback(async () => {
    try {
      setInc(await api.call('incident:get', { key: incidentKey }));
      setError(null);
    } catch (e) {
      setError(ApiError.from(e));
    }
  }, [incidentKey]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Someone else changed this incident (another tab, window or pmw): show the latest and say so.
  useEffect(() => {
    const on = (e: Event) => {
      if ((e as CustomEvent<{ key: string }>).detail?.key !== incidentKey) return;
      void refresh();
      toast({ message: `${incidentKey} was changed elsewhere meanwhile, so your change was not saved. The page now shows the latest version; make the change again if it still applies.`, tone: 'error' });
    };
    window.addEventListener(CONFLICT_EVENT, on);
    return () => window.removeEventListener(CONFLICT_EVENT, on);
  }, [incidentKey, refresh, toast]);

  useEffect(() => {
    const on = () => document.visibilityState === 'visible' && void refresh();
    window.addEventListener('focus', on);
    document.addEventListener('visibilitychange', on);
    return () => {
      window.removeEventListener('focus', on);
      document.removeEventListener('visibilitychange', on);
    };
  }, [refresh]);

  const mutate = useCallback(
    async <C extends IncidentChannel>(channel: C, input: Omit<Input<C>, 'key'>) => {
      const next = (await api.call(channel, { ...input, key: incidentKey } as Input<C>)) as Incident;
      setInc(next);
      return next;
    },
    [incidentKey],
  );

  const call = useApiCall();

  useEffect(() => {
    if (inc) document.title = `${inc.key} · ${inc.title} — Postmortem Workbench`;
    return () => {
      document.title = 'Postmortem Workbench';
    };
  }, [inc?.key, inc?.title]);

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
