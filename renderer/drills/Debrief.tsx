// The debrief of a finished drill (#/drills/<id>/debrief): score with its breakdown, the ideal path beside
// what was done (checks, actions, classification, mitigation), evidence used, time per phase against its
// budget, the scenario's debrief points, and the Markdown report as a download.
import { useEffect, useState } from 'react';
import { ApiError } from '../../shared/api/errors';
import { FAILURE_CLASS_LABELS, type FailureClass } from '../../shared/domain';
import type { DrillDebrief, ScorePart, Verdict } from '../../shared/drills/types';
import { PHASE_DEFS } from '../../shared/phases';
import { api } from '../data/api';
import { DrillBadge, Section } from '../components/ui';
import { downloadText } from '../postmortem/download';
import { clock, full } from '../lib/time';
import { useToast } from '../lib/toast';
import { KindChip } from './Evidence';
import { MODE_LABELS, STAGE_LABELS, VERDICT_LABELS, difficultyLabel, mmss, pts } from './format';
import { drillHref } from './route';
import { useDocumentTitle } from '../lib/useDocumentTitle';

export function DrillDebriefPage({ drillId }: { drillId: number }) {
  const [d, setD] = useState<DrillDebrief | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let alive = true;
    api.call('drill:debrief', { drillId }).then(
      (x) => alive && setD(x),
      (e) => alive && setError(ApiError.from(e)),
    );
    return () => {
      alive = false;
    };
  }, [drillId]);

  useDocumentTitle(d ? `Debrief: ${d.scenario.title}` : null);

  if (error) {
    return (
      <div className="page">
        <div className="empty-small" data-testid="debrief-error">
          <h1 className="page-title">{error.code === 'CONFLICT' ? `Drill #${drillId} is still running` : error.code === 'NOT_FOUND' ? `Drill #${drillId} not found` : 'Could not load the debrief'}</h1>
          <p>{error.message}</p>
          {error.code === 'CONFLICT' ? (
            <a className="btn btn-primary" href={drillHref({ name: 'drill', id: drillId })}>
              Back to the drill
            </a>
          ) : (
            <a className="btn" href="#/drills">
              ← Drill library
            </a>
          )}
        </div>
      </div>
    );
  }
  if (!d) return <div className="page muted loading">Loading the debrief…</div>;

  return (
    <div className="page drill-page drill-debrief" data-testid="drill-debrief">
      <DebriefHeader d={d} />
      <div className="drill-debrief-top">
        <ScoreCard d={d} />
        <PhaseTimes d={d} />
      </div>
      <h2 className="drill-section-title">The ideal path beside what was done</h2>
      <ChecksCompare d={d} />
      <ActionsCompare d={d} />
      <ClassificationCompare d={d} />
      <MitigationCompare d={d} />
      <CardsUsed d={d} />
      <Section title="Debrief points" testid="debrief-points" className="drill-points">
        <ol className="drill-points-list">
          {d.debriefPoints.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ol>
      </Section>
    </div>
  );
}

function DebriefHeader({ d }: { d: DrillDebrief }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  async function download() {
    setBusy(true);
    try {
      const r = await api.call('drill:report', { drillId: d.drillId });
      downloadText(r.fileName, r.content, 'text/markdown;charset=utf-8');
      toast({ message: `Saved ${r.fileName}`, tone: 'success' });
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    } finally {
      setBusy(false);
    }
  }
  const took = Date.parse(d.finishedAt) - Date.parse(d.startedAt);
  return (
    <header className="incident-header drill-header" data-testid="debrief-header">
      <div className="incident-header-main">
        <nav className="crumbs" aria-label="Breadcrumb">
          <a href="#/drills">Drills</a> <span aria-hidden="true">/</span> <span className="mono">Drill #{d.drillId}</span> <span aria-hidden="true">/</span> Debrief
        </nav>
        <h1 className="incident-title">Debrief: {d.scenario.title}</h1>
        <div className="incident-meta">
          <DrillBadge />
          <span className="badge drill-mode">{MODE_LABELS[d.mode]}</span>
          {d.scenario.custom && <span className="badge drill-custom">From a past incident</span>}
          <span className="meta-item">
            <span className="meta-label">Responder</span> <strong>{d.participant}</strong>
          </span>
          <span className="meta-item">
            <span className="meta-label">Difficulty</span> {difficultyLabel(d.scenario.difficulty)}
          </span>
          <span className="meta-item" title={`${full(d.startedAt)} → ${full(d.finishedAt)}`}>
            <span className="meta-label">Took</span> {mmss(took)} <span className="muted">(expected ~{d.scenario.expectedDurationMinutes} min)</span>
          </span>
          <a className="meta-item" href={`#/incidents/${d.key}`}>
            {d.key}
          </a>
        </div>
      </div>
      <div className="drill-debrief-actions">
        <button type="button" className="btn btn-primary" onClick={() => void download()} disabled={busy} data-testid="debrief-download">
          Download report (.md)
        </button>
        <a className="btn" href={drillHref({ name: 'drill-history' })} data-testid="debrief-history">
          History of {d.participant}
        </a>
        <a className="btn btn-ghost" href="#/drills">
          Another drill
        </a>
      </div>
    </header>
  );
}

function ScoreCard({ d }: { d: DrillDebrief }) {
  const total = d.score.total;
  const tone = total >= 80 ? 'good' : total >= 50 ? 'mid' : 'low';
  return (
    <section className="card drill-score" aria-labelledby="score-title" data-testid="debrief-score">
      <header className="card-head">
        <h2 className="card-title" id="score-title">
          Score
        </h2>
      </header>
      <div className="card-body drill-score-body">
        <div className={`drill-score-total tone-${tone}`} data-testid="debrief-total">
          <span className="drill-score-num">{total}</span>
          <span className="drill-score-max">/ {d.score.max}</span>
        </div>
        <ul className="drill-parts">
          {d.score.parts.map((p) => (
            <PartRow key={p.id} p={p} />
          ))}
        </ul>
      </div>
    </section>
  );
}

function PartRow({ p }: { p: ScorePart }) {
  const pct = p.max ? Math.round((p.points / p.max) * 100) : 0;
  return (
    <li className="drill-part" data-testid={`score-part-${p.id}`}>
      <div className="drill-part-head">
        <span className="drill-part-label">{p.label}</span>
        <span className="mono drill-part-pts">
          {pts(p.points)}/{p.max}
        </span>
      </div>
      <span className="drill-bar" aria-hidden="true">
        <span className={`drill-bar-fill ${pct >= 80 ? 'tone-good' : pct >= 50 ? 'tone-mid' : 'tone-low'}`} style={{ width: `${pct}%` }} />
      </span>
      <div className="drill-part-why">{p.explanation}</div>
    </li>
  );
}

function PhaseTimes({ d }: { d: DrillDebrief }) {
  return (
    <Section title="Time per phase against its budget" testid="debrief-phases" className="drill-phase-times">
      <table className="drill-table">
        <thead>
          <tr>
            <th scope="col">Phase</th>
            <th scope="col" className="num">
              Time
            </th>
            <th scope="col" className="num">
              Budget
            </th>
            <th scope="col">Against budget</th>
          </tr>
        </thead>
        <tbody>
          {d.phases.map((p) => {
            const ratio = p.budgetMinutes && p.elapsedMs !== null ? p.elapsedMs / (p.budgetMinutes * 60000) : null;
            return (
              <tr key={p.phase} className={p.reached ? '' : 'is-unreached'}>
                <th scope="row">{p.label}</th>
                <td className="num mono">
                  {p.reached ? mmss(p.elapsedMs) : '—'}
                  {p.revealCostSeconds > 0 && <span className="muted small" title="Reveal cost of the cards asked for in this phase, included"> (+{p.revealCostSeconds} s cards)</span>}
                </td>
                <td className="num mono">{p.budgetMinutes !== null ? `${p.budgetMinutes}:00` : <span className="muted">—</span>}</td>
                <td>
                  {p.budgetMinutes === null ? (
                    <span className="muted small">not scored</span>
                  ) : !p.reached ? (
                    <span className="drill-bad small">not reached (0)</span>
                  ) : p.passedEarly ? (
                    <span className="drill-bad small" title={`Reason given: ${p.passedEarly}`} data-testid={`debrief-early-${p.phase}`}>
                      gate passed early without its evidence (0)
                    </span>
                  ) : (
                    <span className="drill-budget">
                      <span className="drill-bar" aria-hidden="true">
                        <span className={`drill-bar-fill ${ratio !== null && ratio > 1 ? 'tone-low' : ratio !== null && ratio > 0.8 ? 'tone-mid' : 'tone-good'}`} style={{ width: `${Math.min(100, (ratio ?? 0) * 100)}%` }} />
                      </span>
                      <span className="small mono">{ratio !== null ? `${Math.round(ratio * 100)}%` : ''}</span>
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Section>
  );
}

function ChecksCompare({ d }: { d: DrillDebrief }) {
  const c = d.checks;
  return (
    <Section
      title="Order of checks"
      testid="debrief-checks"
      actions={
        <span className="muted small">
          {c.tau === null ? 'not ordered' : `Kendall's τ = ${c.tau.toFixed(2)} · ${c.concordantPairs} of ${c.totalPairs} pairs in the ideal relative order`}
        </span>
      }
    >
      <div className="drill-compare">
        <div className="drill-compare-col" data-testid="debrief-ideal-checks">
          <h3 className="drill-col-title">Ideal</h3>
          <ol className="drill-compare-list">
            {c.ideal.map((x) => (
              <li key={x.id}>
                <span>{x.title}</span> <span className="drill-stage">{STAGE_LABELS[x.stage] ?? x.stage}</span>
              </li>
            ))}
          </ol>
        </div>
        <div className="drill-compare-col" data-testid="debrief-their-checks">
          <h3 className="drill-col-title">{d.participant}’s order</h3>
          {c.theirs ? (
            <ol className="drill-compare-list">
              {c.theirs.map((x, i) => {
                const match = x.idealPosition === i + 1;
                return (
                  <li key={x.id} className={match ? 'is-match' : 'is-off'} data-match={match}>
                    <span>{x.title}</span>{' '}
                    {match ? (
                      <span className="drill-ok" title="Same position as in the ideal order">
                        ✓ <span className="visually-hidden">same position as ideal</span>
                      </span>
                    ) : (
                      <span className="muted small">ideal #{x.idealPosition}</span>
                    )}
                  </li>
                );
              })}
            </ol>
          ) : (
            <p className="muted">The checks were never ordered.</p>
          )}
        </div>
      </div>
    </Section>
  );
}

function ActionsCompare({ d }: { d: DrillDebrief }) {
  const a = d.actions;
  return (
    <Section title="Actions" testid="debrief-actions">
      <div className="drill-compare">
        <div className="drill-compare-col" data-testid="debrief-correct-actions">
          <h3 className="drill-col-title">Correct</h3>
          <ul className="drill-compare-list plain">
            {a.correct.map((x) => (
              <li key={x.id}>
                <div>
                  <strong>{x.title}</strong> {x.taken ? <span className="drill-ok">✓ taken</span> : <span className="drill-bad">✗ not taken</span>}
                </div>
                <div className="muted small">{x.why}</div>
              </li>
            ))}
          </ul>
          {a.temptingAvoided.length > 0 && (
            <>
              <h4 className="drill-h4">Tempting actions avoided</h4>
              <ul className="drill-compare-list plain">
                {a.temptingAvoided.map((x) => (
                  <li key={x.id}>
                    <span className="drill-ok">✓</span> {x.title}
                    <div className="muted small">{x.whyWrong}</div>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
        <div className="drill-compare-col" data-testid="debrief-taken-actions">
          <h3 className="drill-col-title">Taken by {d.participant}</h3>
          {a.taken.length === 0 ? (
            <p className="muted">No action taken.</p>
          ) : (
            <ul className="drill-compare-list plain">
              {a.taken.map((x) => (
                <li key={x.actionId} className={`verdict-${x.verdict}`} data-verdict={x.verdict}>
                  <div>
                    <span className={`badge ${x.verdict === 'correct' ? 'drill-correct' : x.verdict === 'tempting' ? 'drill-tempting' : 'drill-wrong'}`}>
                      {x.verdict === 'correct' ? 'Correct' : x.verdict === 'tempting' ? 'Tempting — wrong' : 'Wrong'}
                    </span>{' '}
                    <strong>{x.title}</strong> <span className="muted small" title={full(x.takenAt)}>{clock(x.takenAt)} · {PHASE_DEFS[x.phase].label}</span>
                  </div>
                  {x.verdict !== 'correct' && x.whyWrong && <div className="drill-why-wrong">{x.whyWrong}</div>}
                  {x.verdict === 'correct' && x.why && <div className="muted small">{x.why}</div>}
                  {x.antiPattern && <div className="muted small">Anti-pattern: {x.antiPattern}</div>}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </Section>
  );
}

function VerdictChip({ v }: { v: Verdict }) {
  return <span className={`drill-verdict verdict-${v}`}>{VERDICT_LABELS[v]}</span>;
}

const clsLabel = (c: FailureClass) => FAILURE_CLASS_LABELS[c];

function ClassificationCompare({ d }: { d: DrillDebrief }) {
  const c = d.classification;
  return (
    <Section title="Classification" testid="debrief-classification">
      <table className="drill-table">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">Expected</th>
            <th scope="col">Given</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Failure class</th>
            <td>
              {clsLabel(c.expected.failureClass)}
              {c.expected.acceptableClasses?.length ? <span className="muted small"> (also: {c.expected.acceptableClasses.map(clsLabel).join(', ')})</span> : null}
            </td>
            <td>{c.given ? clsLabel(c.given.failureClass) : '—'}</td>
            <td>
              <VerdictChip v={c.classVerdict} />
            </td>
          </tr>
          <tr>
            <th scope="row">Root-cause origin</th>
            <td>
              {c.expected.rootCauseOrigin}
              {c.expected.acceptableOrigins?.length ? <span className="muted small"> (also: {c.expected.acceptableOrigins.join(', ')})</span> : null}
            </td>
            <td>{c.given?.rootCauseOrigin ?? '—'}</td>
            <td>
              <VerdictChip v={c.originVerdict} />
            </td>
          </tr>
        </tbody>
      </table>
      <p className="drill-root-cause">
        <strong>Root cause.</strong> {c.expected.rootCause}
      </p>
    </Section>
  );
}

function MitigationCompare({ d }: { d: DrillDebrief }) {
  const m = d.mitigation;
  return (
    <Section title="Mitigation" testid="debrief-mitigation">
      <div className="drill-compare">
        <div className="drill-compare-col">
          <h3 className="drill-col-title">Correct</h3>
          <p>{m.correct.text}</p>
          <h4 className="drill-h4">Rollback criteria</h4>
          <ul>
            {m.correct.rollbackCriteria.map((x, i) => (
              <li key={i}>{x}</li>
            ))}
          </ul>
          <h4 className="drill-h4">Verification</h4>
          <ul>
            {m.correct.verification.map((x, i) => (
              <li key={i}>{x}</li>
            ))}
          </ul>
        </div>
        <div className="drill-compare-col">
          <h3 className="drill-col-title">{d.participant}’s</h3>
          {m.theirs ? <p className="drill-theirs">{m.theirs}</p> : <p className="muted">No mitigation recorded.</p>}
        </div>
      </div>
    </Section>
  );
}

function CardsUsed({ d }: { d: DrillDebrief }) {
  return (
    <Section title="Evidence used" testid="debrief-cards">
      <table className="drill-table">
        <thead>
          <tr>
            <th scope="col">Card</th>
            <th scope="col">Relevance</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Reveal cost
            </th>
          </tr>
        </thead>
        <tbody>
          {d.cards.map((c) => (
            <tr key={c.id} className={c.status === 'hidden' ? 'is-unseen' : ''}>
              <td>
                <KindChip kind={c.kind} /> {c.title}
                {c.gmNote && <div className="muted small">{c.gmNote}</div>}
              </td>
              <td>{c.relevant ? <span className="badge drill-relevant">Relevant</span> : <span className="badge drill-herring">Red herring</span>}</td>
              <td className="small">
                {c.status === 'released'
                  ? c.releasedBy === 'start'
                    ? 'with the briefing'
                    : `${c.releasedBy === 'gm' ? 'released by the GM' : 'asked for'} at ${clock(c.releasedAt)}`
                  : c.status === 'requested'
                    ? `requested ${clock(c.requestedAt)}, never released`
                    : c.relevant
                      ? <span className="drill-bad">not seen</span>
                      : <span className="muted">not asked for</span>}
              </td>
              <td className="num mono">{c.initiallyVisible ? '—' : `${c.revealCost} s`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
