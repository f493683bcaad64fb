// The game master's view (#/drills/<id>/gm): pending requests on top with "Release", every card with its
// content, relevance and note (release any card unasked), the expected answers in a collapsible panel,
// and the responder's live progress. Polls drill:get (view gm) like the responder's page.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../shared/api/errors';
import { FAILURE_CLASS_LABELS, PHASES } from '../../shared/domain';
import type { DrillCardView, DrillState } from '../../shared/drills/types';
import { PHASE_DEFS } from '../../shared/phases';
import { api } from '../data/api';
import { Section } from '../components/ui';
import { PhaseStepper } from '../incident/PhaseStepper';
import { ago, clock, full } from '../lib/time';
import { useNow } from '../lib/clock';
import { useToast } from '../lib/toast';
import { CardContent, KindChip } from './Evidence';
import { STATUS_LABELS } from './format';
import { drillHref } from './route';
import { DrillHeader, DrillLoadError, OpenViewLink } from './Runner';
import { useDrillIncident, useLiveDrill } from './useDrill';
import { useDocumentTitle } from '../lib/useDocumentTitle';

export function GameMaster({ drillId }: { drillId: number }) {
  const { state, error, accept, pollNow } = useLiveDrill(drillId, 'gm');
  const ctx = useDrillIncident(state?.key ?? null, state?.revision ?? null, true, pollNow);
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  const seenPending = useRef<Set<string> | null>(null);
  const [announce, setAnnounce] = useState('');

  useDocumentTitle(state ? `Game master: ${state.scenario.title}` : null);

  // Announce new requests.
  const pendingKey = state?.pending.map((p) => p.cardId).join(',') ?? '';
  useEffect(() => {
    if (!state) return;
    const ids = new Set(state.pending.map((p) => p.cardId));
    if (seenPending.current) {
      const added = state.pending.filter((p) => !seenPending.current!.has(p.cardId));
      if (added.length) setAnnounce(`The responder requests: ${added.map((p) => p.title).join('; ')}`);
    }
    seenPending.current = ids;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pendingKey]);

  if (error && !state) return <DrillLoadError drillId={drillId} error={error} />;
  if (!state) return <div className="page muted loading">Loading drill #{drillId}…</div>;

  const finished = !!state.finishedAt;

  async function release(card: { id: string; title: string }) {
    setBusy(card.id);
    try {
      const next = await api.call('drill:releaseCard', { drillId, cardId: card.id, view: 'gm' });
      accept(next);
      toast({ message: `Released "${card.title}"`, tone: 'success' });
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    } finally {
      setBusy(null);
    }
  }

  const requested = new Set(state.pending.map((p) => p.cardId));
  return (
    <div className="page drill-page drill-gm" data-testid="drill-gm" data-revision={state.revision} data-mode={state.mode}>
      <DrillHeader state={state} view="gm" />
      <div className="drill-gm-links">
        {finished ? (
          <a className="btn btn-primary btn-small" href={drillHref({ name: 'drill-debrief', id: drillId })} data-testid="gm-debrief-link">
            The drill is finished — see the debrief →
          </a>
        ) : (
          <OpenViewLink id={drillId} view="responder" testid="open-responder-view">
            Open responder view
          </OpenViewLink>
        )}
        {state.mode === 'solo' && <span className="muted small">Solo drill: cards are released when the responder asks; you are watching.</span>}
      </div>

      <section className={`card drill-requests ${state.pending.length ? 'has-pending' : ''}`} aria-labelledby="gm-pending-title" data-testid="gm-pending">
        <header className="card-head">
          <h2 className="card-title" id="gm-pending-title">
            Requests <span className="card-count">{state.pending.length}</span>
          </h2>
          <span className="muted small">updates every second</span>
        </header>
        <div className="card-body">
          {state.pending.length === 0 ? (
            <p className="muted" data-testid="gm-no-pending">
              {finished ? 'The drill is finished.' : 'No request waiting. When the responder asks for a card it appears here.'}
            </p>
          ) : (
            <ul className="drill-pending-list">
              {state.pending.map((p) => {
                const card = state.cards.find((c) => c.id === p.cardId);
                return (
                  <li key={p.cardId} className="drill-pending-item" data-testid={`gm-pending-${p.cardId}`}>
                    {card && <KindChip kind={card.kind} />}
                    <span className="drill-pending-title">{p.title}</span>
                    <span className="muted small" title={full(p.requestedAt)}>
                      requested <RelTime iso={p.requestedAt} />
                    </span>
                    {card && <RelevanceBadge card={card} />}
                    <span className="spacer" />
                    <button type="button" className="btn btn-primary btn-small" disabled={busy !== null || finished} onClick={() => void release({ id: p.cardId, title: p.title })} data-testid="gm-release">
                      {busy === p.cardId ? 'Releasing…' : 'Release'}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          <div className="visually-hidden" aria-live="assertive" data-testid="gm-announce">
            {announce}
          </div>
        </div>
      </section>

      {ctx && <PhaseStepper inc={ctx.inc} />}

      <div className="drill-grid">
        <div className="col-main">
          <Section title={<>Evidence cards <span className="card-count">{state.cards.filter((c) => c.status === 'released').length} of {state.cards.length} released</span></>} testid="gm-cards" className="drill-gm-cards">
            <ul className="drill-cards">
              {state.cards.map((c) => (
                <GmCard key={c.id} card={c} requested={requested.has(c.id)} busy={busy} canRelease={state.mode === 'gm' && !finished} onRelease={() => void release(c)} />
              ))}
            </ul>
          </Section>
        </div>
        <aside className="col-side" aria-label="Responder progress and answers">
          <Progress state={state} verifiedAt={ctx?.inc.mitigationVerifiedAt ?? null} />
          <Answers state={state} />
        </aside>
      </div>
    </div>
  );
}

function RelTime({ iso }: { iso: string }) {
  const now = useNow();
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return <>{s < 60 ? `${s} s ago` : ago(iso, now)}</>;
}

function RelevanceBadge({ card }: { card: DrillCardView }) {
  if (card.relevant === undefined) return null;
  return card.relevant ? (
    <span className="badge drill-relevant" title="Bears on the diagnosis">
      Relevant
    </span>
  ) : (
    <span className="badge drill-herring" title="A red herring: asking for it costs points">
      Red herring
    </span>
  );
}

function GmCard({ card, requested, busy, canRelease, onRelease }: { card: DrillCardView; requested: boolean; busy: string | null; canRelease: boolean; onRelease: () => void }) {
  const [open, setOpen] = useState(true);
  return (
    <li className={`drill-ecard gm-card is-${card.status} ${requested ? 'is-requested' : ''}`} data-testid={`gm-card-${card.id}`} data-status={card.status}>
      <div className="drill-ecard-head">
        <KindChip kind={card.kind} />
        <h3 className="drill-ecard-title">{card.title}</h3>
        <RelevanceBadge card={card} />
        <span className="spacer" />
        <span className={`drill-status drill-status-${card.status}`}>
          {card.status === 'released'
            ? card.releasedBy === 'start'
              ? 'With the briefing'
              : `Released ${clock(card.releasedAt)}${card.releasedBy === 'gm' ? (card.requestedAt ? '' : ' (unasked)') : ' (solo)'}`
            : card.status === 'requested'
              ? `Requested ${clock(card.requestedAt)}`
              : STATUS_LABELS[card.status]}
        </span>
        {card.status !== 'released' && canRelease && (
          <button
            type="button"
            className={`btn btn-small ${requested ? 'btn-primary' : ''}`}
            disabled={busy !== null}
            onClick={onRelease}
            data-testid="gm-card-release"
            aria-label={`Release ${card.title}${requested ? '' : ' (not requested)'}`}
          >
            {requested ? 'Release' : 'Release unasked'}
          </button>
        )}
      </div>
      {card.gmNote && (
        <p className="drill-gm-note" data-testid="gm-note">
          <span className="drill-gm-note-label">Note</span> {card.gmNote}
        </p>
      )}
      <div className="drill-gm-card-meta muted small">
        Reveal cost {card.revealCost} s{card.initiallyVisible ? ' · shown with the briefing' : ''}
      </div>
      <button type="button" className="link small" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="gm-card-toggle">
        {open ? 'Hide content' : 'Show content'}
      </button>
      {open && <CardContent card={card} compactPair />}
    </li>
  );
}

function Progress({ state, verifiedAt }: { state: DrillState; verifiedAt: string | null }) {
  const a = state.answers;
  const byCheck = new Map(state.checks.map((c) => [c.id, c]));
  const byAction = new Map(state.actions.map((x) => [x.id, x]));
  const c = state.classification;
  const released = state.cards.filter((x) => x.status === 'released');
  return (
    <Section title="Responder’s progress" testid="gm-progress" className="drill-progress">
      <dl className="drill-dl">
        <dt>Phase</dt>
        <dd data-testid="gm-phase">
          {state.phase === 'closed' ? 'Closed' : PHASE_DEFS[state.phase].label}
          {state.phase !== 'closed' && !state.finishedAt && (
            <>
              {' · '}
              <ElapsedSince iso={state.phaseEnteredAt} budget={a?.phaseBudgetsMinutes[state.phase] ?? null} />
            </>
          )}
        </dd>
        <dt>Classification</dt>
        <dd data-testid="gm-classification">
          {c ? (
            <>
              {FAILURE_CLASS_LABELS[c.failureClass]} {a && <Mark ok={c.failureClass === a.expected.failureClass} partial={(a.expected.acceptableClasses ?? []).includes(c.failureClass)} />} · origin{' '}
              {c.rootCauseOrigin ?? '—'} {a && c.rootCauseOrigin && <Mark ok={c.rootCauseOrigin === a.expected.rootCauseOrigin} partial={(a.expected.acceptableOrigins ?? []).includes(c.rootCauseOrigin)} />}
            </>
          ) : (
            <span className="muted">not yet</span>
          )}
        </dd>
        <dt>Evidence seen</dt>
        <dd>
          {released.length} of {state.cards.length}
        </dd>
        <dt>Mitigation</dt>
        <dd data-testid="gm-mitigation">{state.mitigation ? <>{state.mitigation}{verifiedAt ? <span className="drill-ok"> · verified</span> : <span className="muted"> · not verified</span>}</> : <span className="muted">not yet</span>}</dd>
      </dl>
      <h3 className="sub-title">Their order of checks</h3>
      {state.checkOrder ? (
        <ol className="drill-order-ro" data-testid="gm-check-order">
          {state.checkOrder.map((id, i) => {
            const ideal = a?.idealCheckOrder.indexOf(id) ?? -1;
            return (
              <li key={id}>
                {byCheck.get(id)?.title ?? id}{' '}
                {ideal >= 0 && (ideal === i ? <span className="drill-ok" title="Same position as the ideal order">✓</span> : <span className="muted small">(ideal #{ideal + 1})</span>)}
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="muted">not ordered yet</p>
      )}
      <h3 className="sub-title">Actions taken</h3>
      {state.actionsTaken.length ? (
        <ul className="drill-taken-list" data-testid="gm-actions">
          {state.actionsTaken.map((t) => {
            const full_ = byAction.get(t.actionId);
            return (
              <li key={t.actionId} className={full_?.tempting ? 'is-tempting' : full_?.correct ? 'is-correct' : ''}>
                {full_?.tempting && <span className="badge drill-tempting">Tempting</span>}
                {full_?.correct && <span className="badge drill-correct">Correct</span>}
                {!full_?.tempting && !full_?.correct && <span className="badge drill-wrong">Wrong</span>} {t.title} <span className="muted small">{clock(t.takenAt)} · {PHASE_DEFS[t.phase].label}</span>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="muted">none yet</p>
      )}
    </Section>
  );
}

function ElapsedSince({ iso, budget }: { iso: string; budget: number | null }) {
  const now = useNow();
  const ms = Math.max(0, now - Date.parse(iso));
  const m = Math.floor(ms / 60000);
  const s = String(Math.floor((ms % 60000) / 1000)).padStart(2, '0');
  const over = budget !== null && ms > budget * 60000;
  return (
    <span className={`mono ${over ? 'drill-over' : ''}`}>
      {m}:{s}
      {budget !== null ? ` of ${budget} min` : ''}
    </span>
  );
}

function Mark({ ok, partial }: { ok: boolean; partial?: boolean }) {
  if (ok) return <span className="drill-ok" title="As expected">✓</span>;
  if (partial) return <span className="drill-partial" title="Acceptable (half credit)">½</span>;
  return <span className="drill-bad" title="Not the expected answer">✗</span>;
}

function Answers({ state }: { state: DrillState }) {
  const a = state.answers;
  if (!a) return null;
  const byCheck = new Map(state.checks.map((c) => [c.id, c]));
  return (
    <section className="card drill-answers" data-testid="gm-answers">
      <details>
        <summary className="card-head drill-answers-summary">
          <h2 className="card-title">Expected answers</h2>
          <span className="muted small">keep it closed while the responder can see your screen</span>
        </summary>
        <div className="card-body">
          <dl className="drill-dl">
            <dt>Failure class</dt>
            <dd data-testid="gm-expected-class">
              <strong>{FAILURE_CLASS_LABELS[a.expected.failureClass]}</strong>
              {a.expected.acceptableClasses?.length ? <span className="muted"> (also acceptable: {a.expected.acceptableClasses.map((x) => FAILURE_CLASS_LABELS[x]).join(', ')})</span> : null}
            </dd>
            <dt>Origin</dt>
            <dd>
              <strong>{a.expected.rootCauseOrigin}</strong>
              {a.expected.acceptableOrigins?.length ? <span className="muted"> (also acceptable: {a.expected.acceptableOrigins.join(', ')})</span> : null}
            </dd>
            <dt>Root cause</dt>
            <dd>{a.expected.rootCause}</dd>
          </dl>
          <h3 className="sub-title">Ideal order of checks</h3>
          <ol className="drill-order-ro">
            {a.idealCheckOrder.map((id) => {
              const c = byCheck.get(id);
              return (
                <li key={id}>
                  {c?.title ?? id}
                  {c?.reveals?.length ? <span className="muted small"> — reveals {c.reveals.join(', ')}</span> : null}
                </li>
              );
            })}
          </ol>
          <h3 className="sub-title">Actions</h3>
          <ul className="drill-answer-actions">
            {state.actions.map((x) => (
              <li key={x.id}>
                {x.correct ? <span className="badge drill-correct">Correct</span> : x.tempting ? <span className="badge drill-tempting">Tempting</span> : <span className="badge drill-wrong">Wrong</span>} {x.title}
                <div className="muted small">{x.correct ? x.why : x.whyWrong}</div>
              </li>
            ))}
          </ul>
          <h3 className="sub-title">Correct mitigation</h3>
          <p>{a.correctMitigation.text}</p>
          <div className="drill-two">
            <div>
              <h4 className="drill-h4">Roll back further when</h4>
              <ul>
                {a.correctMitigation.rollbackCriteria.map((x, i) => (
                  <li key={i}>{x}</li>
                ))}
              </ul>
            </div>
            <div>
              <h4 className="drill-h4">Verify by</h4>
              <ul>
                {a.correctMitigation.verification.map((x, i) => (
                  <li key={i}>{x}</li>
                ))}
              </ul>
            </div>
          </div>
          <h3 className="sub-title">Debrief points</h3>
          <ul>
            {a.debriefPoints.map((x, i) => (
              <li key={i}>{x}</li>
            ))}
          </ul>
          <h3 className="sub-title">Time budgets (scoring)</h3>
          <p className="small">
            {PHASES.filter((p) => a.phaseBudgetsMinutes[p] !== undefined)
              .map((p) => `${PHASE_DEFS[p].label} ${a.phaseBudgetsMinutes[p]} min`)
              .join(' · ')}
          </p>
        </div>
      </details>
    </section>
  );
}
