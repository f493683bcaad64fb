// Evidence cards. The responder asks for a card (solo: revealed at once, its reveal cost charged to the
// phase clock; game-master mode: a request the game master releases). Released cards show their content:
// logs in monospace, metric snapshots and notes as tables/text, artifact pairs as the two files the
// drill put on its incident — opened in the colleague's diff view (semantic summary + Monaco diff).
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../shared/api/errors';
import type { Artifact } from '../../shared/artifacts';
import type { DrillCardView, DrillMode, DrillState } from '../../shared/drills/types';
import { api } from '../data/api';
import { DiffPanel } from '../artifacts/DiffView';
import { Markdown } from '../postmortem/markdown';
import { useToast } from '../lib/toast';
import { clock, full } from '../lib/time';
import { KIND_LABELS } from './format';

/** The content of one card (responder: released cards; game master: every card). */
export function CardContent({ card, compactPair }: { card: DrillCardView; compactPair?: boolean }) {
  if (card.body === undefined) return null;
  return (
    <div className="drill-card-content" data-testid="card-content">
      {card.kind === 'log' ? (
        <pre className="drill-log" tabIndex={0} aria-label={`Log: ${card.title}`}>
          {card.body}
        </pre>
      ) : (
        <Markdown source={card.body} className="drill-md" />
      )}
      {card.kind === 'artifact-pair' && card.before && card.after && (
        <div className="drill-pair-files">
          <span className="pair-side">
            <span className="pair-role">last known good</span> <span className="mono">{card.before.name}</span>
          </span>
          <span aria-hidden="true" className="pair-arrow">
            →
          </span>
          <span className="visually-hidden"> to </span>
          <span className="pair-side">
            <span className="pair-role">failing</span> <span className="mono">{card.after.name}</span>
          </span>
        </div>
      )}
      {compactPair && card.kind === 'artifact-pair' && card.before && card.after && (
        <details className="drill-raw-pair">
          <summary>Both files</summary>
          <div className="drill-raw-cols">
            <pre className="drill-log">{card.before.content}</pre>
            <pre className="drill-log">{card.after.content}</pre>
          </div>
        </details>
      )}
    </div>
  );
}

export function KindChip({ kind }: { kind: DrillCardView['kind'] }) {
  return <span className={`drill-kind drill-kind-${kind}`}>{KIND_LABELS[kind]}</span>;
}

/** The responder's evidence: what they have (with content) and what they can ask for. */
export function EvidencePanel({
  state,
  onState,
  onTimelineAdded,
  locked,
}: {
  state: DrillState;
  onState: (s: DrillState) => void;
  onTimelineAdded: () => void | Promise<void>;
  locked: boolean;
}) {
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  const [diffFor, setDiffFor] = useState<string | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [announce, setAnnounce] = useState('');
  const known = useRef<Set<string> | null>(null);

  const have = state.cards.filter((c) => c.status === 'released');
  const ask = state.cards.filter((c) => c.status !== 'released');

  // Cards released since the last look (by the game master): highlight and announce them.
  useEffect(() => {
    const now = new Set(have.map((c) => c.id));
    if (known.current) {
      const added = have.filter((c) => !known.current!.has(c.id));
      if (added.length && state.mode === 'gm') {
        const gmAdded = added.filter((c) => c.releasedBy === 'gm');
        if (gmAdded.length) {
          const msg = `The game master released: ${gmAdded.map((c) => c.title).join('; ')}`;
          setAnnounce(msg);
          toast({ message: msg, tone: 'success' });
        }
      }
      if (added.length) {
        setFresh((s) => new Set([...s, ...added.map((c) => c.id)]));
        const ids = added.map((c) => c.id);
        setTimeout(() => setFresh((s) => new Set([...s].filter((x) => !ids.includes(x)))), 4000);
      }
    }
    known.current = now;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [have.map((c) => c.id).join(',')]);

  async function request(card: DrillCardView) {
    setBusy(card.id);
    try {
      const next = await api.call('drill:requestCard', { drillId: state.drillId, cardId: card.id, view: 'responder' });
      onState(next);
      if (state.mode === 'solo') {
        setAnnounce(`Revealed: ${card.title}${card.revealCost ? ` (+${card.revealCost} s on the phase clock)` : ''}`);
      } else {
        setAnnounce(`Requested ${card.title} — waiting for the game master`);
        toast({ message: `Requested "${card.title}" — the game master will release it`, tone: 'info' });
      }
      void onTimelineAdded();
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="card drill-evidence" aria-labelledby="drill-evidence-title" data-testid="drill-evidence">
      <header className="card-head">
        <div>
          <h2 className="card-title" id="drill-evidence-title">
            Evidence <span className="card-count">{have.length} of {state.cards.length}</span>
          </h2>
          <p className="card-sub">
            {state.mode === 'solo'
              ? 'Ask for a card to see it. Each card adds its reveal cost to the current phase’s clock, and cards that do not bear on the cause cost points.'
              : 'Request a card; the game master releases it (or hands you one you did not ask for).'}
          </p>
        </div>
      </header>
      <div className="card-body">
        {have.length > 0 && (
          <ul className="drill-cards" aria-label="Evidence you have">
            {have.map((c) => (
              <li
                key={c.id}
                className={`drill-ecard is-released ${fresh.has(c.id) ? 'is-fresh' : ''}`}
                data-testid={`evidence-card-${c.id}`}
                data-status={c.status}
                data-kind={c.kind}
              >
                <div className="drill-ecard-head">
                  <KindChip kind={c.kind} />
                  <h3 className="drill-ecard-title">{c.title}</h3>
                  <span className="spacer" />
                  <span className="muted small" title={c.releasedAt ? full(c.releasedAt) : undefined}>
                    {c.releasedBy === 'start' ? 'with the briefing' : c.releasedBy === 'gm' ? `released by the game master ${clock(c.releasedAt)}` : `revealed ${clock(c.releasedAt)}`}
                  </span>
                </div>
                <CardContent card={c} />
                {c.kind === 'artifact-pair' && (
                  <PairDiff
                    drillKey={state.key}
                    card={c}
                    open={diffFor === c.id}
                    onToggle={() => setDiffFor((x) => (x === c.id ? null : c.id))}
                    onTimelineAdded={onTimelineAdded}
                  />
                )}
              </li>
            ))}
          </ul>
        )}
        {ask.length > 0 && (
          <>
            <h3 className="sub-title drill-ask-title">{have.length ? 'You can also ask for' : 'You can ask for'}</h3>
            <ul className="drill-ask-list" aria-label="Evidence you can ask for">
              {ask.map((c) => (
                <li key={c.id} className={`drill-ask is-${c.status}`} data-testid={`evidence-card-${c.id}`} data-status={c.status} data-kind={c.kind}>
                  <KindChip kind={c.kind} />
                  <span className="drill-ask-title-text">{c.title}</span>
                  <span className="drill-cost" title="Added to the current phase's clock when you ask">
                    {c.revealCost ? `+${c.revealCost} s` : 'free'}
                  </span>
                  {c.status === 'requested' ? (
                    <span className="drill-pending" data-testid="card-pending" title={c.requestedAt ? full(c.requestedAt) : undefined}>
                      <span className="spinner" aria-hidden="true" /> Requested {clock(c.requestedAt)} — waiting for the game master
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={busy !== null || locked}
                      onClick={() => void request(c)}
                      data-testid="card-request"
                      aria-label={`${state.mode === 'solo' ? 'Ask for' : 'Request'} ${c.title}${c.revealCost ? ` (costs ${c.revealCost} seconds)` : ''}`}
                    >
                      {busy === c.id ? 'Asking…' : state.mode === 'solo' ? 'Ask for this card' : 'Request'}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
        <div className="visually-hidden" aria-live="polite" data-testid="evidence-announce">
          {announce}
        </div>
      </div>
    </section>
  );
}

/** "Open diff" for a released artifact pair: the diff view on the two artifacts of the drill incident. */
function PairDiff({
  drillKey,
  card,
  open,
  onToggle,
  onTimelineAdded,
}: {
  drillKey: string;
  card: DrillCardView;
  open: boolean;
  onToggle: () => void;
  onTimelineAdded: () => void | Promise<void>;
}) {
  const [artifacts, setArtifacts] = useState<Artifact[] | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const ids = card.artifacts;
  const hasIds = !!ids;

  useEffect(() => {
    if (!open || !hasIds) return;
    let alive = true;
    api.call('artifact:list', { key: drillKey }).then(
      (list) => alive && setArtifacts(list),
      (e) => alive && setErr(ApiError.from(e).message),
    );
    requestAnimationFrame(() => box.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }));
    return () => {
      alive = false;
    };
  }, [open, hasIds, drillKey]);

  if (!ids) {
    return <p className="muted small">The two files are not on the drill incident (released before the artifacts existed?).</p>;
  }
  return (
    <div className="drill-pair-diff" ref={box}>
      {!open && (
        <button type="button" className="btn btn-small btn-primary" onClick={onToggle} aria-expanded={false} data-testid="card-open-diff">
          Open diff
        </button>
      )}
      {open && err && (
        <p className="field-error" role="alert">
          {err}
        </p>
      )}
      {open && artifacts && (
        <DiffPanel
          key={`${ids.beforeId}-${ids.afterId}`}
          incidentKey={drillKey}
          req={{ beforeId: ids.beforeId, afterId: ids.afterId }}
          artifacts={artifacts}
          onClose={onToggle}
          onTimelineAdded={onTimelineAdded}
        />
      )}
    </div>
  );
}
