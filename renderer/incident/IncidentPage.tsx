// The incident page as a command centre (issue 11): a sticky header (title, severity, phase, live timer,
// Advance), then three panes that keep their place in every phase — the timeline with its quick-add,
// "now" (the current gate, checklist, warning and first checks) and the work tabs (artifacts, findings
// and documents, comms, roles and details). Each pane scrolls on its own and keeps its offset across reloads.
import { useCallback, useEffect, useRef } from 'react';
import type { Input } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import type { Incident } from '../../shared/domain';
import { api, refreshIncident } from '../data/api';
import { useIncidentQuery } from '../data/hooks';
import { useApiCall } from '../lib/useApiCall';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { sessionGet, sessionSet } from '../lib/draft';
import { reveal } from '../lib/reveal';
import { clock } from '../lib/time';
import { InlineField } from '../components/InlineField';
import { Section } from '../components/ui';
import { IncidentHeader } from './Header';
import { GatePanel } from './GatePanel';
import { Checklist } from './Checklist';
import { FirstChecks, WrongActionCard } from './Guidance';
import { SeenBefore } from '../insights/SeenBefore';
import { Timeline } from './Timeline';
import { ClassOffer } from './ClassOffer';
import { useCadence, useCadenceReminder } from './Comms';
import { WorkPane } from './WorkPane';
import { useIncidentPalette } from './palette';
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

  return <CommandCentre ctx={{ inc, readOnly: inc.phase === 'closed', mutate, refresh, call }} />;
}

/** Pane scroll offsets per incident, kept for the tab session (restored after a reload). */
function useScrollMemory(key: string, name: string, ready: boolean) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !ready) return;
    const store = `pmw.scroll.${key}.${name}`;
    const want = sessionGet<number>(store);
    // Content (artifact lists, a diff) arrives after the first paint: keep trying briefly.
    let tries = 0;
    const restore = () => {
      if (want && el.scrollTop < want && tries++ < 20) {
        el.scrollTop = want;
        if (el.scrollTop < want - 2) timer = setTimeout(restore, 100);
      }
    };
    let timer = setTimeout(restore, 0);
    let pending: ReturnType<typeof setTimeout> | undefined;
    const onScroll = () => {
      clearTimeout(pending);
      pending = setTimeout(() => sessionSet(store, Math.round(el.scrollTop)), 120);
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      clearTimeout(timer);
      clearTimeout(pending);
      el.removeEventListener('scroll', onScroll);
    };
  }, [key, name, ready]);
  return ref;
}

function CommandCentre({ ctx }: { ctx: IncidentCtx }) {
  const { inc, readOnly } = ctx;
  const cadence = useCadence(inc);
  const openComms = useCallback(() => reveal({ kind: 'tab', tab: 'comms' }), []);
  useCadenceReminder(inc, cadence, openComms);
  useIncidentPalette(ctx);
  const timelineRef = useScrollMemory(inc.key, 'timeline', true);
  const nowRef = useScrollMemory(inc.key, 'now', true);
  const guideRef = useScrollMemory(inc.key, 'guide', true);
  const workRef = useScrollMemory(inc.key, 'work', true);
  const current = inc.phase === 'closed' ? null : inc.phase;

  return (
    <div className={`page incident-page cc ${readOnly ? 'is-closed' : ''}`} data-testid="incident-page" data-phase={inc.phase}>
      <IncidentHeader ctx={ctx} cadence={cadence} onCadence={openComms} />
      {readOnly && (
        <div className="banner banner-closed" data-testid="closed-banner">
          <strong>Closed</strong>
          {inc.closedAt ? ` at ${clock(inc.closedAt)}` : ''}. The record is read-only: nothing can be added or changed until it is reopened (Reopen… above,
          with a reason for the timeline).
        </div>
      )}
      <div className="cc-grid">
        <section className="cc-pane cc-timeline" aria-label="Timeline">
          <div className="cc-scroll" ref={timelineRef} data-scroll="timeline">
            <Timeline ctx={ctx} />
          </div>
        </section>
        <section className="cc-pane cc-now" aria-label="Current phase">
          <div className="cc-scroll cc-now-gate" ref={nowRef} data-scroll="now">
            {current ? <GatePanel ctx={ctx} phase={current} showAdvance={false} /> : <ClosedRecord ctx={ctx} />}
            <ClassOffer ctx={ctx} />
            <Checklist ctx={ctx} />
          </div>
          <div className="cc-scroll cc-now-guide" ref={guideRef} data-scroll="guide" aria-label="Guidance for this failure class">
            {current === 'investigate' && <SeenBefore incidentKey={inc.key} />}
            <WrongActionCard cls={inc.failureClass} />
            <FirstChecks cls={inc.failureClass} />
          </div>
        </section>
        <WorkPane ctx={ctx} cadence={cadence} scrollRef={workRef} />
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
