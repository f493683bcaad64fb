// New scenario from a past incident (#/drills/from-incident): pick a resolved incident (review or
// closed), mark the expected answers, preview (scenario:fromIncident dryRun: the evidence cards its
// timeline and artifacts become, and any schema issue with its field path), adjust the cards, save —
// it joins the library — and export it as drills/<id>.json to commit next to the runbooks.
import { useEffect, useState } from 'react';
import type { Input } from '../../shared/api/contract';
import { ApiError, fieldError } from '../../shared/api/errors';
import type { FailureClass, IncidentSummary, RootCauseOrigin } from '../../shared/domain';
import type { ScenarioFromIncidentResult } from '../../shared/drills/types';
import { api } from '../data/api';
import { Field, PhaseLabel, Section } from '../components/ui';
import { ago } from '../lib/time';
import { useToast } from '../lib/toast';
import { baseName, downloadText } from '../postmortem/download';
import { KindChip } from './Evidence';
import { BUCKET_LABELS, DIFFICULTY_BUCKETS, type DifficultyBucket } from './format';
import { drillHref } from './route';
import { FailureClassOptions, OriginOptions } from '../components/options';

const JUST_SAVED = 'pmw.drill.justSaved';

/** The id of the scenario saved last (the library highlights it once). */
export function takeJustSaved(): string | null {
  try {
    const v = sessionStorage.getItem(JUST_SAVED);
    sessionStorage.removeItem(JUST_SAVED);
    return v;
  } catch {
    return null;
  }
}

interface CardChoice {
  relevant?: boolean;
  exclude?: boolean;
  initiallyVisible?: boolean;
}

type Req = Input<'scenario:fromIncident'>;

export function FromIncidentPage() {
  const toast = useToast();
  const [incidents, setIncidents] = useState<IncidentSummary[] | null>(null);
  const [loadErr, setLoadErr] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const [cls, setCls] = useState<FailureClass | ''>('');
  const [origin, setOrigin] = useState<RootCauseOrigin | ''>('');
  const [rootCause, setRootCause] = useState('');
  const [title, setTitle] = useState('');
  const [difficulty, setDifficulty] = useState<DifficultyBucket | ''>('');
  const [minutes, setMinutes] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [cards, setCards] = useState<Record<string, CardChoice>>({});
  const [preview, setPreview] = useState<ScenarioFromIncidentResult | null>(null);
  const [saved, setSaved] = useState<ScenarioFromIncidentResult | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);

  useEffect(() => {
    let alive = true;
    Promise.all([api.call('incident:list', { phase: 'review' }), api.call('incident:list', { phase: 'closed' })]).then(
      ([a, b]) => {
        if (!alive) return;
        const all = [...a.items, ...b.items].filter((i) => !i.isDrill).sort((x, y) => y.updatedAt.localeCompare(x.updatedAt));
        setIncidents(all);
      },
      (e) => alive && setLoadErr(ApiError.from(e).message),
    );
    return () => {
      alive = false;
    };
  }, []);

  // A new incident starts a new draft.
  useEffect(() => {
    setPreview(null);
    setSaved(null);
    setCards({});
    setErr(null);
    const inc = incidents?.find((i) => i.key === key);
    if (inc && !cls) setCls(inc.failureClass);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  function request(dryRun: boolean): Req | null {
    if (!key || !cls || !origin) {
      setErr(
        new ApiError('VALIDATION', 'Pick an incident and the expected answers', {
          issues: [
            ...(!key ? [{ field: 'key', message: 'pick an incident' }] : []),
            ...(!cls ? [{ field: 'expected.failureClass', message: 'pick the failure class' }] : []),
            ...(!origin ? [{ field: 'expected.rootCauseOrigin', message: 'pick the root-cause origin' }] : []),
          ],
        }),
      );
      return null;
    }
    const overrides = Object.entries(cards)
      .filter(([, c]) => c.relevant !== undefined || c.exclude !== undefined || c.initiallyVisible !== undefined)
      .map(([id, c]) => ({ id, ...c }));
    const n = Number(minutes);
    return {
      key,
      expected: { failureClass: cls, rootCauseOrigin: origin, rootCause },
      ...(title.trim() ? { title: title.trim() } : {}),
      ...(difficulty ? { difficulty } : {}),
      ...(minutes.trim() && Number.isInteger(n) ? { expectedDurationMinutes: n } : {}),
      ...(overrides.length ? { cards: overrides } : {}),
      ...(overwrite ? { overwrite: true } : {}),
      ...(dryRun ? { dryRun: true } : {}),
    };
  }

  async function run(dryRun: boolean) {
    const req = request(dryRun);
    if (!req) return;
    setBusy(dryRun ? 'preview' : 'save');
    setErr(null);
    try {
      const r = await api.call('scenario:fromIncident', req);
      if (dryRun) setPreview(r);
      else {
        setSaved(r);
        setPreview(r);
        try {
          sessionStorage.setItem(JUST_SAVED, r.scenarioId);
        } catch {
          /* ignore */
        }
        toast({ message: `Scenario "${r.scenario.title}" saved to the library`, tone: 'success' });
      }
    } catch (e) {
      setErr(ApiError.from(e));
    } finally {
      setBusy(null);
    }
  }

  async function exportIt(id: string) {
    try {
      const f = await api.call('scenario:export', { scenarioId: id });
      downloadText(baseName(f.path), f.content, 'application/json;charset=utf-8');
      toast({ message: `Saved ${baseName(f.path)} — commit it as ${f.path}`, tone: 'success' });
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    }
  }

  const setCard = (id: string, patch: CardChoice) => {
    setCards((c) => ({ ...c, [id]: { ...c[id], ...patch } }));
    setSaved(null);
  };
  // Problems the form shows beside a field; anything else (an id clash, a card) shows as one message.
  const FORM_FIELDS = ['key', 'expected.failureClass', 'expected.rootCauseOrigin', 'expected.rootCause', 'rootCause', 'title', 'difficulty', 'expectedDurationMinutes'];
  const general = err && !(err.details?.issues ?? []).every((i) => FORM_FIELDS.includes(i.field)) ? err.message : err && !err.details?.issues?.length ? err.message : null;

  return (
    <div className="page drill-page drill-from-incident" data-testid="drill-from-incident">
      <div className="page-head">
        <h1 className="page-title">New scenario from a past incident</h1>
        <span className="spacer" />
        <a className="btn" href="#/drills">
          ← Drill library
        </a>
      </div>
      <p className="muted drill-lead">
        Its timeline notes and evidence, its last-known-good → failing artifact pairs and its other text artifacts become evidence cards; you mark the expected answers. Checks,
        actions and the mitigation default from the playbook and what the incident recorded.
      </p>
      {loadErr && (
        <div className="banner banner-error" role="alert">
          {loadErr}
        </div>
      )}

      <div className="drill-fi-grid">
        <Section title="1 · Incident and expected answers" testid="fi-form">
          <form
            className="form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void run(true);
            }}
          >
            <Field
              label="Incident (in review or closed)"
              error={fieldError(err, 'key')}
              hint={incidents && incidents.length === 0 ? 'No incident is in review or closed yet: a scenario is built from a resolved incident.' : undefined}
              testid="fi-incident"
            >
              {({ id, describedBy, invalid }) => (
                <select id={id} value={key} onChange={(e) => setKey(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="fi-incident-select">
                  <option value="">{incidents ? 'Choose an incident…' : 'Loading…'}</option>
                  {(incidents ?? []).map((i) => (
                    <option key={i.key} value={i.key}>
                      {i.key} · {i.title} ({i.phase === 'closed' ? 'closed' : 'in review'}, {ago(i.updatedAt)})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {key && incidents && (
              <p className="small muted">
                {(() => {
                  const i = incidents.find((x) => x.key === key);
                  return i ? (
                    <>
                      <a href={`#/incidents/${i.key}`}>{i.key}</a> · {i.service || 'no service'} · {i.severity} · <PhaseLabel phase={i.phase} />
                    </>
                  ) : null;
                })()}
              </p>
            )}
            <div className="form-row">
              <Field label="Expected failure class" error={fieldError(err, 'expected.failureClass')} testid="fi-class">
                {({ id, describedBy, invalid }) => (
                  <select id={id} value={cls} onChange={(e) => setCls(e.target.value as FailureClass)} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="fi-class-select">
                    <option value="">Choose…</option>
                    <FailureClassOptions />
                  </select>
                )}
              </Field>
              <Field label="Expected root-cause origin" error={fieldError(err, 'expected.rootCauseOrigin')} testid="fi-origin">
                {({ id, describedBy, invalid }) => (
                  <select id={id} value={origin} onChange={(e) => setOrigin(e.target.value as RootCauseOrigin)} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="fi-origin-select">
                    <option value="">Choose…</option>
                    <OriginOptions />
                  </select>
                )}
              </Field>
            </div>
            <Field label="Root cause (what the debrief reveals)" error={fieldError(err, 'expected.rootCause') ?? fieldError(err, 'rootCause')} testid="fi-root-cause">
              {({ id, describedBy, invalid }) => (
                <textarea id={id} rows={3} value={rootCause} onChange={(e) => setRootCause(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="fi-root-cause-input" />
              )}
            </Field>
            <Field label="Title (optional)" hint="Defaults to the incident's title." error={fieldError(err, 'title')} testid="fi-title">
              {({ id, describedBy, invalid }) => (
                <input id={id} type="text" value={title} onChange={(e) => setTitle(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="fi-title-input" />
              )}
            </Field>
            <div className="form-row">
              <Field label="Difficulty (optional)" error={fieldError(err, 'difficulty')}>
                {({ id, describedBy }) => (
                  <select id={id} value={difficulty} onChange={(e) => setDifficulty(e.target.value as DifficultyBucket | '')} aria-describedby={describedBy}>
                    <option value="">Default</option>
                    {DIFFICULTY_BUCKETS.map((b) => (
                      <option key={b} value={b}>
                        {BUCKET_LABELS[b]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Expected minutes (optional)" error={fieldError(err, 'expectedDurationMinutes')}>
                {({ id, describedBy, invalid }) => (
                  <input id={id} type="text" inputMode="numeric" value={minutes} placeholder="5–240" onChange={(e) => setMinutes(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
                )}
              </Field>
            </div>
            <label className="toggle">
              <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} data-testid="fi-overwrite" />
              <span>Replace a saved scenario built from this incident (its version goes up)</span>
            </label>
            {general && (
              <p className="field-error" role="alert">
                {general}
              </p>
            )}
            <div className="form-actions">
              <button type="submit" className="btn" disabled={busy !== null} data-testid="fi-preview">
                {busy === 'preview' ? 'Building…' : 'Preview'}
              </button>
              <button type="button" className="btn btn-primary" disabled={busy !== null} onClick={() => void run(false)} data-testid="fi-save">
                {busy === 'save' ? 'Saving…' : 'Save scenario'}
              </button>
            </div>
          </form>
        </Section>

        <Section title="2 · Preview" testid="fi-preview-panel" className="drill-fi-preview">
          {!preview ? (
            <p className="muted">Preview shows the evidence cards the incident becomes and any problem with its field path. Nothing is stored until you save.</p>
          ) : (
            <PreviewView result={preview} cards={cards} onCard={setCard} saved={!!saved} />
          )}
          {saved && (
            <div className="drill-fi-saved" role="status" data-testid="fi-saved">
              <p>
                <strong>Saved.</strong> “{saved.scenario.title}” is in the library. Export downloads it as a content file to commit to a repository as{' '}
                <span className="mono">{saved.path}</span>, next to the runbooks.
              </p>
              <div className="form-actions">
                <button type="button" className="btn" onClick={() => void exportIt(saved.scenarioId)} data-testid="fi-export">
                  Export .json
                </button>
                <a className="btn btn-primary" href={drillHref({ name: 'drills' })}>
                  Open the library
                </a>
              </div>
            </div>
          )}
        </Section>
      </div>
    </div>
  );
}

function PreviewView({
  result,
  cards,
  onCard,
  saved,
}: {
  result: ScenarioFromIncidentResult;
  cards: Record<string, CardChoice>;
  onCard: (id: string, c: CardChoice) => void;
  saved: boolean;
}) {
  const s = result.scenario;
  const source = new Map(result.cardSources.map((c) => [c.cardId, c]));
  // Cards left out by the author are not in the draft any more: keep them listed so they can come back.
  const excluded = Object.entries(cards).filter(([id, c]) => c.exclude && !s.evidence.some((e) => e.id === id));
  return (
    <div className="drill-fi-result" data-testid="fi-result" data-valid={result.valid}>
      <p>
        {result.valid ? (
          <span className="drill-ok" data-testid="fi-valid">
            ✓ Valid
          </span>
        ) : (
          <span className="drill-bad">✗ {result.issues.length} problem{result.issues.length === 1 ? '' : 's'}</span>
        )}{' '}
        · <span className="mono">{result.path}</span> · {s.evidence.length} cards · {s.checks.length} checks · {s.actions.length} actions{saved ? '' : ' · not saved yet'}
      </p>
      {result.issues.length > 0 && (
        <ul className="drill-issues" data-testid="fi-issues">
          {result.issues.map((i, n) => (
            <li key={n}>
              <code>{i.path}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
      <table className="drill-table drill-fi-cards" data-testid="fi-cards">
        <thead>
          <tr>
            <th scope="col">Card</th>
            <th scope="col">From</th>
            <th scope="col">Relevant</th>
            <th scope="col">With briefing</th>
            <th scope="col">Leave out</th>
          </tr>
        </thead>
        <tbody>
          {s.evidence.map((c) => {
            const src = source.get(c.id);
            return (
              <tr key={c.id} data-testid={`fi-card-${c.id}`}>
                <td>
                  <KindChip kind={c.kind} /> {c.title}
                  <div className="muted small mono">{c.id}</div>
                </td>
                <td className="small">{src ? src.ref : '—'}</td>
                <td>
                  <input type="checkbox" checked={cards[c.id]?.relevant ?? c.relevant} onChange={(e) => onCard(c.id, { relevant: e.target.checked })} aria-label={`Relevant: ${c.title}`} />
                </td>
                <td>
                  <input
                    type="checkbox"
                    checked={cards[c.id]?.initiallyVisible ?? !!c.initiallyVisible}
                    onChange={(e) => onCard(c.id, { initiallyVisible: e.target.checked })}
                    aria-label={`Shown with the briefing: ${c.title}`}
                  />
                </td>
                <td>
                  <input type="checkbox" checked={!!cards[c.id]?.exclude} onChange={(e) => onCard(c.id, { exclude: e.target.checked })} aria-label={`Leave out: ${c.title}`} />
                </td>
              </tr>
            );
          })}
          {excluded.map(([id]) => (
            <tr key={id} className="is-unseen">
              <td className="mono small">{id}</td>
              <td className="small muted">left out</td>
              <td />
              <td />
              <td>
                <input type="checkbox" checked onChange={() => onCard(id, { exclude: false })} aria-label={`Leave out: ${id}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {Object.keys(cards).length > 0 && !saved && <p className="muted small">Changed cards apply on the next Preview or Save.</p>}
      {result.skipped.length > 0 && (
        <details className="drill-skipped">
          <summary>{result.skipped.length} left out by the builder</summary>
          <ul>
            {result.skipped.map((x, i) => (
              <li key={i}>
                <span className="mono">{x.ref}</span>: {x.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
