// The responder's view of a drill (#/drills/<id>): briefing and symptoms, the drill incident's six-phase
// flow (the incident page's stepper, gate and timeline on state.key), evidence cards, classification,
// diagnosis steps, actions and mitigation; Finish → debrief. Polls so the game master's releases appear.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../shared/api/errors';
import { FAILURE_CLASS_LABELS, type FailureClass, type RootCauseOrigin } from '../../shared/domain';
import type { DrillState } from '../../shared/drills/types';
import { PHASE_DEFS } from '../../shared/phases';
import { transport } from '../api/client';
import { api } from '../data/api';
import { Dialog } from '../components/Dialog';
import { DrillBadge, PhaseTimer, Section, SeverityBadge } from '../components/ui';
import { GatePanel } from '../incident/GatePanel';
import type { IncidentCtx } from '../incident/ctx';
import { PhaseStepper } from '../incident/PhaseStepper';
import { Timeline } from '../incident/Timeline';
import { Markdown } from '../postmortem/markdown';
import { clock, full } from '../lib/time';
import { useToast } from '../lib/toast';
import { CheckOrder } from './CheckOrder';
import { EvidencePanel } from './Evidence';
import { MODE_LABELS, difficultyLabel } from './format';
import { drillHref, goDrill, newTabUrl } from './route';
import { useDrillIncident, useLiveDrill } from './useDrill';
import { FailureClassOptions, OriginOptions } from '../components/options';
import { useDocumentTitle } from '../lib/useDocumentTitle';

export function DrillRunner({ drillId }: { drillId: number }) {
  const live = useLiveDrill(drillId, 'responder');
  const { state, error, accept, pollNow } = live;
  const ctx = useDrillIncident(state?.key ?? null, state?.revision ?? null, !!state?.finishedAt, pollNow);

  useDocumentTitle(state ? `Drill: ${state.scenario.title}` : null);

  if (error && !state) return <DrillLoadError drillId={drillId} error={error} />;
  if (!state || !ctx) return <div className="page muted loading">Loading drill #{drillId}…</div>;

  const finished = !!state.finishedAt;
  const phase = ctx.inc.phase;
  const current = phase === 'closed' ? null : phase;

  return (
    <div className="page drill-page drill-runner" data-testid="drill-runner" data-phase={phase} data-mode={state.mode} data-revision={state.revision}>
      <DrillHeader state={state} view="responder" />
      {finished && (
        <div className="banner banner-closed" data-testid="drill-finished-banner">
          <strong>Finished</strong> at {clock(state.finishedAt)} — score {state.score?.total ?? '—'}/100.{' '}
          <a href={drillHref({ name: 'drill-debrief', id: drillId })}>See the debrief →</a>
        </div>
      )}
      {state.mode === 'gm' && !finished && (
        <div className="banner drill-gm-banner" data-testid="gm-banner">
          <span>
            <strong>Game-master mode.</strong> Cards you request wait for the game master. They run the game-master view in{' '}
            {transport === 'electron' ? 'this window or another one' : 'another tab or window'}.
          </span>
          <OpenViewLink id={drillId} view="gm" testid="open-gm-view">
            Open game-master view
          </OpenViewLink>
        </div>
      )}
      <Briefing state={state} />
      <PhaseStepper inc={ctx.inc} />
      <div className="drill-grid">
        <div className="col-main drill-flow">
          {current ? (
            <GatePanel ctx={ctx} phase={current} drill />
          ) : (
            <div className="card drill-closed-note" data-testid="drill-incident-closed">
              <div className="card-body">
                The drill incident is closed: every phase is done. <strong>Finish the drill</strong> to see the debrief.
              </div>
            </div>
          )}
          {current === 'assess' && <Classify state={state} onState={accept} locked={finished} emphasised />}
          {current === 'mitigate' && <Mitigation state={state} ctx={ctx} onState={accept} locked={finished} emphasised />}
          <EvidencePanel state={state} onState={accept} onTimelineAdded={ctx.refresh} locked={finished} />
          <Timeline ctx={ctx} />
        </div>
        <aside className="col-side drill-side" aria-label="Your answers">
          <CheckOrder state={state} onState={accept} locked={finished} />
          <Actions state={state} onState={accept} locked={finished} />
          {current !== 'assess' && <Classify state={state} onState={accept} locked={finished} />}
          {current !== 'mitigate' && <Mitigation state={state} ctx={ctx} onState={accept} locked={finished} />}
          <FinishCard state={state} ctx={ctx} onState={accept} />
        </aside>
      </div>
    </div>
  );
}

export function DrillLoadError({ drillId, error }: { drillId: number; error: ApiError }) {
  return (
    <div className="page">
      <div className="empty-small" data-testid="drill-error">
        <h1 className="page-title">{error.code === 'NOT_FOUND' ? `Drill #${drillId} not found` : 'Could not load the drill'}</h1>
        <p>{error.message}</p>
        <a className="btn" href="#/drills">
          ← Drill library
        </a>
      </div>
    </div>
  );
}

/** Link to the other view of the same drill: a new tab in the web host, the same window in Electron. */
export function OpenViewLink({ id, view, children, testid }: { id: number; view: 'gm' | 'responder'; children: React.ReactNode; testid?: string }) {
  const hash = drillHref(view === 'gm' ? { name: 'drill-gm', id } : { name: 'drill', id });
  if (transport === 'electron') {
    return (
      <a className="btn btn-small" href={hash} data-testid={testid}>
        {children}
      </a>
    );
  }
  const open = (e: React.MouseEvent) => {
    // Carry this tab's access token to the new tab (see route.ts).
    e.preventDefault();
    window.open(newTabUrl(hash), '_blank', 'noopener');
  };
  return (
    <a
      className="btn btn-small"
      href={hash}
      target="_blank"
      rel="noopener"
      onClick={open}
      onAuxClick={(e) => e.button === 1 && open(e)}
      data-testid={testid}
    >
      {children} <span aria-hidden="true">↗</span>
      <span className="visually-hidden"> (opens a new tab)</span>
    </a>
  );
}

export function DrillHeader({ state, view }: { state: DrillState; view: 'responder' | 'gm' }) {
  const s = state.scenario;
  return (
    <header className="incident-header drill-header" data-testid="drill-header">
      <div className="incident-header-main">
        <nav className="crumbs" aria-label="Breadcrumb">
          <a href="#/drills">Drills</a> <span aria-hidden="true">/</span> <span className="mono">Drill #{state.drillId}</span>
          {view === 'gm' && (
            <>
              {' '}
              <span aria-hidden="true">/</span> <span>Game master</span>
            </>
          )}
        </nav>
        <h1 className="incident-title" data-testid="drill-title">
          {view === 'gm' && <span className="drill-gm-mark">Game master · </span>}
          {s.title}
        </h1>
        <div className="incident-meta">
          <DrillBadge />
          <SeverityBadge severity={s.severity} long />
          <span className="badge drill-mode" data-testid="drill-mode">
            {MODE_LABELS[state.mode]}
          </span>
          {s.custom && <span className="badge drill-custom">From a past incident</span>}
          <span className="meta-item">
            <span className="meta-label">Service</span> <strong>{s.service}</strong>
          </span>
          <span className="meta-item">
            <span className="meta-label">Responder</span> <strong data-testid="drill-participant">{state.participant}</strong>
          </span>
          <span className="meta-item">
            <span className="meta-label">Difficulty</span> {difficultyLabel(s.difficulty)} · ~{s.expectedDurationMinutes} min
          </span>
          <span className="meta-item" title={full(state.startedAt)}>
            <span className="meta-label">Started</span> {clock(state.startedAt)}
          </span>
          <a className="meta-item" href={`#/incidents/${state.key}`} title="The drill incident (kept out of real-incident metrics)">
            {state.key}
          </a>
        </div>
      </div>
      <div className="incident-header-phase" data-testid="current-phase">
        {state.finishedAt ? (
          <>
            <div className="current-phase-label">Drill</div>
            <div className="current-phase-name closed-mark">Finished</div>
            <div className="muted">{clock(state.finishedAt)}</div>
          </>
        ) : state.phase === 'closed' ? (
          <>
            <div className="current-phase-label">Incident</div>
            <div className="current-phase-name closed-mark">Closed</div>
          </>
        ) : (
          <>
            <div className="current-phase-label">Current phase</div>
            <div className="current-phase-name" data-testid="current-phase-name">
              {PHASE_DEFS[state.phase].label}
            </div>
            <PhaseTimer phase={state.phase} enteredAt={state.phaseEnteredAt} size="large" testid="phase-timer" />
          </>
        )}
      </div>
    </header>
  );
}

function Briefing({ state }: { state: DrillState }) {
  const [open, setOpen] = useState(true);
  return (
    <section className="card drill-briefing" aria-labelledby="drill-briefing-title" data-testid="drill-briefing">
      <header className="card-head">
        <h2 className="card-title" id="drill-briefing-title">
          Briefing
        </h2>
        <button type="button" className="btn btn-small btn-ghost" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide' : 'Show'}
        </button>
      </header>
      {open && (
        <div className="card-body drill-briefing-body">
          <Markdown source={state.scenario.briefing} className="drill-md" />
          <div className="drill-symptoms">
            <h3 className="sub-title">Symptoms</h3>
            <ul data-testid="drill-symptoms">
              {state.scenario.symptoms.map((s, i) => (
                <li key={i}>{s}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}

function Classify({ state, onState, locked, emphasised }: { state: DrillState; onState: (s: DrillState) => void; locked: boolean; emphasised?: boolean }) {
  const toast = useToast();
  const given = state.classification;
  const [cls, setCls] = useState<FailureClass | ''>(given?.failureClass ?? '');
  const [origin, setOrigin] = useState<RootCauseOrigin | ''>(given?.rootCauseOrigin ?? '');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);

  // Follow a classification made elsewhere (the other tab) unless the user is editing.
  const key = `${given?.failureClass ?? ''}/${given?.rootCauseOrigin ?? ''}`;
  useEffect(() => {
    setCls(given?.failureClass ?? '');
    setOrigin(given?.rootCauseOrigin ?? '');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const dirty = cls !== (given?.failureClass ?? '') || origin !== (given?.rootCauseOrigin ?? '');

  async function save() {
    if (!cls) {
      setErr('Pick a failure class');
      return;
    }
    setBusy(true);
    setErr(null);
    try {
      const next = await api.call('drill:classify', { drillId: state.drillId, failureClass: cls, rootCauseOrigin: origin || null, view: 'responder' });
      onState(next);
      toast({ message: `Classified as ${FAILURE_CLASS_LABELS[cls]}${origin ? ` · origin ${origin}` : ''}`, tone: 'success' });
    } catch (e) {
      setErr(ApiError.from(e).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section
      title="Classify the failure"
      testid="drill-classify"
      className={`drill-classify ${emphasised ? 'is-emphasised' : ''}`}
      actions={given ? <span className="drill-done-chip">✓ {FAILURE_CLASS_LABELS[given.failureClass]}{given.rootCauseOrigin ? ` · ${given.rootCauseOrigin}` : ''}</span> : <span className="drill-todo-chip">not yet</span>}
    >
      {emphasised && <p className="card-sub drill-lead">Where in the lifecycle did it break, and where did the cause come from? (This is what the drill scores — the drill incident starts as “Live behaviour” for everyone.)</p>}
      <form
        className="drill-classify-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="field">
          <label className="field-label" htmlFor="drill-class">
            Failure class
          </label>
          <select id="drill-class" value={cls} disabled={locked} onChange={(e) => setCls(e.target.value as FailureClass)} data-testid="drill-class-select">
            <option value="">Choose…</option>
            <FailureClassOptions />
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="drill-origin">
            Root-cause origin
          </label>
          <select id="drill-origin" value={origin} disabled={locked} onChange={(e) => setOrigin(e.target.value as RootCauseOrigin | '')} data-testid="drill-origin-select">
            <option value="">Not sure yet</option>
            <OriginOptions />
          </select>
        </div>
        <button type="submit" className={`btn ${dirty ? 'btn-primary' : ''}`} disabled={busy || locked || (!dirty && !!given)} data-testid="drill-classify-save">
          {given ? (dirty ? 'Change classification' : 'Classified') : 'Classify'}
        </button>
      </form>
      {given && (
        <p className="muted small" title={full(given.classifiedAt)}>
          Recorded {clock(given.classifiedAt)}; you can change it until you finish.
        </p>
      )}
      {err && (
        <p className="field-error" role="alert">
          {err}
        </p>
      )}
    </Section>
  );
}

function Actions({ state, onState, locked }: { state: DrillState; onState: (s: DrillState) => void; locked: boolean }) {
  const toast = useToast();
  const [confirm, setConfirm] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const taken = new Map(state.actionsTaken.map((a) => [a.actionId, a]));

  async function take(id: string, title: string) {
    setBusy(true);
    try {
      const next = await api.call('drill:takeAction', { drillId: state.drillId, actionId: id, view: 'responder' });
      onState(next);
      setConfirm(null);
      toast({ message: `Action logged: ${title}`, tone: 'success' });
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title={<>Actions <span className="card-count">{state.actionsTaken.length} taken</span></>} testid="drill-actions" className="drill-actions">
      <p className="muted small">What would you do? Taking an action logs it on the timeline with the time; it cannot be undone.</p>
      <ul className="drill-action-list">
        {state.actions.map((a) => {
          const t = taken.get(a.id);
          return (
            <li key={a.id} className={`drill-action ${t ? 'is-taken' : ''}`} data-testid={`action-${a.id}`} data-taken={!!t}>
              <span className="drill-action-title">{a.title}</span>
              {t ? (
                <span className="drill-taken" title={full(t.takenAt)}>
                  ✓ Taken {clock(t.takenAt)} · {PHASE_DEFS[t.phase].label}
                </span>
              ) : confirm === a.id ? (
                <span className="drill-confirm">
                  <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void take(a.id, a.title)} data-testid="action-confirm" autoFocus>
                    Take it
                  </button>
                  <button type="button" className="btn btn-small" onClick={() => setConfirm(null)}>
                    Cancel
                  </button>
                </span>
              ) : (
                <button type="button" className="btn btn-small" disabled={locked || busy} onClick={() => setConfirm(a.id)} data-testid="action-take" aria-label={`Take: ${a.title}`}>
                  Take
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

function Mitigation({
  state,
  ctx,
  onState,
  locked,
  emphasised,
}: {
  state: DrillState;
  ctx: IncidentCtx;
  onState: (s: DrillState) => void;
  locked: boolean;
  emphasised?: boolean;
}) {
  const toast = useToast();
  const [text, setText] = useState(state.mitigation);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const verifiedAt = ctx.inc.mitigationVerifiedAt;
  const [verified, setVerified] = useState<boolean | null>(null);
  const on = verified ?? !!verifiedAt;

  useEffect(() => {
    setText((t) => (t.trim() === '' || t === state.mitigation ? state.mitigation : t));
  }, [state.mitigation]);

  async function save(v: boolean | undefined, body = text) {
    if (!body.trim()) {
      setErr('Write the mitigation first: what you roll back or switch off, and how you know it worked.');
      return false;
    }
    setBusy(true);
    setErr(null);
    try {
      const next = await api.call('drill:mitigate', { drillId: state.drillId, text: body, ...(v !== undefined ? { verified: v } : {}), view: 'responder' });
      onState(next);
      await ctx.refresh();
      toast({ message: v === undefined ? 'Mitigation recorded' : v ? 'Mitigation marked verified' : 'Mitigation no longer marked verified', tone: 'success' });
      return true;
    } catch (e) {
      setErr(ApiError.from(e).message);
      return false;
    } finally {
      setBusy(false);
    }
  }

  const dirty = text.trim() !== state.mitigation.trim();
  return (
    <Section
      title="Mitigation"
      testid="drill-mitigation"
      className={`drill-mitigation ${emphasised ? 'is-emphasised' : ''}`}
      actions={state.mitigation ? <span className="drill-done-chip">✓ recorded{verifiedAt ? ' · verified' : ''}</span> : <span className="drill-todo-chip">not yet</span>}
    >
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save(undefined);
        }}
      >
        <div className="field">
          <label className="field-label" htmlFor="drill-mitigation-text">
            Temporary fix or rollback
          </label>
          <textarea
            id="drill-mitigation-text"
            rows={3}
            value={text}
            disabled={locked}
            placeholder="e.g. Roll back to the last known good version by digest; verify per-slice metrics"
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void save(undefined);
              }
            }}
            data-testid="drill-mitigation-input"
          />
        </div>
        <label className={`toggle ${on ? 'on' : ''}`}>
          <input
            type="checkbox"
            checked={on}
            disabled={locked || busy}
            onChange={async (e) => {
              const v = e.target.checked;
              setVerified(v);
              await save(v, text.trim() ? text : state.mitigation);
              setVerified(null);
            }}
            data-testid="drill-verified"
          />
          <span>
            Verified — the previous stable version is serving and healthy
            {verifiedAt && <span className="muted"> (at {clock(verifiedAt)})</span>}
          </span>
        </label>
        <div className="form-actions">
          <span className="muted small">Ctrl+Enter saves</span>
          <button type="submit" className={`btn btn-small ${dirty ? 'btn-primary' : ''}`} disabled={busy || locked || !dirty} data-testid="drill-mitigation-save">
            {state.mitigation ? 'Update mitigation' : 'Record mitigation'}
          </button>
        </div>
        {err && (
          <p className="field-error" role="alert">
            {err}
          </p>
        )}
      </form>
    </Section>
  );
}

function FinishCard({ state, ctx, onState }: { state: DrillState; ctx: IncidentCtx; onState: (s: DrillState) => void }) {
  const [asking, setAsking] = useState(false);
  if (state.finishedAt) {
    return (
      <Section title="Finished" testid="drill-finish">
        <a className="btn btn-primary" href={drillHref({ name: 'drill-debrief', id: state.drillId })} data-testid="drill-see-debrief">
          See the debrief →
        </a>
      </Section>
    );
  }
  return (
    <Section title="Finish" testid="drill-finish" className="drill-finish">
      <p className="muted small">Finishing scores the drill and opens the debrief. Phases with a budget that you never reached score no time points.</p>
      <button type="button" className="btn btn-caution" onClick={() => setAsking(true)} data-testid="drill-finish-button">
        Finish drill…
      </button>
      {asking && <FinishDialog state={state} ctx={ctx} onState={onState} onClose={() => setAsking(false)} />}
    </Section>
  );
}

function FinishDialog({ state, ctx, onState, onClose }: { state: DrillState; ctx: IncidentCtx; onState: (s: DrillState) => void; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const seen = state.cards.filter((c) => c.status === 'released').length;
  const items: [string, boolean, string][] = [
    ['Classification', !!state.classification, state.classification ? FAILURE_CLASS_LABELS[state.classification.failureClass] : 'not given'],
    ['Diagnosis steps ordered', !!state.checkOrder, state.checkOrder ? 'saved' : 'not saved'],
    ['Actions taken', state.actionsTaken.length > 0, String(state.actionsTaken.length)],
    ['Mitigation', !!state.mitigation, state.mitigation ? (ctx.inc.mitigationVerifiedAt ? 'recorded, verified' : 'recorded, not verified') : 'not recorded'],
    ['Evidence seen', seen > 0, `${seen} of ${state.cards.length} cards`],
    ['Phase', ctx.inc.phase === 'closed' || ctx.inc.phase === 'review' || ctx.inc.phase === 'resolve', ctx.inc.phase === 'closed' ? 'all done' : PHASE_DEFS[ctx.inc.phase].label],
  ];
  const finish = useCallback(async () => {
    setBusy(true);
    setErr(null);
    try {
      const next = await api.call('drill:finish', { drillId: state.drillId, view: 'responder' });
      onState(next);
      goDrill({ name: 'drill-debrief', id: state.drillId });
    } catch (e) {
      setErr(ApiError.from(e).message);
      setBusy(false);
    }
  }, [state.drillId, onState]);
  return (
    <Dialog title="Finish the drill?" onClose={onClose} testid="drill-finish-dialog" initialFocus="[data-testid='drill-finish-confirm']">
      <ul className="drill-finish-list">
        {items.map(([label, ok, value]) => (
          <li key={label} className={ok ? 'ok' : 'todo'}>
            <span aria-hidden="true">{ok ? '✓' : '○'}</span> <span>{label}</span>: <strong>{value}</strong>
          </li>
        ))}
      </ul>
      <p className="muted small">The score is final once you finish; the drill cannot be resumed.</p>
      {err && (
        <p className="field-error" role="alert">
          {err}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>
          Keep going
        </button>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void finish()} data-testid="drill-finish-confirm">
          Finish and see the debrief
        </button>
      </div>
    </Dialog>
  );
}
