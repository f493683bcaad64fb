// The drill library (#/drills): scenarios with difficulty, expected duration and evidence count (the
// failure class stays hidden — it is the answer), search and a difficulty filter, custom scenarios
// marked; the start dialog (participant remembered, Solo or Game master); drills in progress.
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, fieldError } from '../../shared/api/errors';
import type { DrillHistoryItem, DrillMode, DrillScenarioListItem } from '../../shared/drills/types';
import { api } from '../data/api';
import { Dialog } from '../components/Dialog';
import { Field, Kbd } from '../components/ui';
import { useCommand } from '../lib/commands';
import { ago } from '../lib/time';
import { useToast } from '../lib/toast';
import { downloadText, baseName } from '../postmortem/download';
import { BUCKET_LABELS, DIFFICULTY_BUCKETS, MODE_LABELS, bucketOf, difficultyLabel, rememberParticipant, rememberedParticipant, type DifficultyBucket } from './format';
import { drillHref, goDrill } from './route';
import { takeJustSaved } from './FromIncident';

const FILTER_KEY = 'pmw.drill.libraryFilter';

export function DrillLibrary() {
  const [list, setList] = useState<DrillScenarioListItem[] | null>(null);
  const [running, setRunning] = useState<DrillHistoryItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [bucket, setBucket] = useState<DifficultyBucket | 'all' | 'custom'>(() => {
    try {
      return (sessionStorage.getItem(FILTER_KEY) as DifficultyBucket | 'all' | 'custom' | null) ?? 'all';
    } catch {
      return 'all';
    }
  });
  const [starting, setStarting] = useState<DrillScenarioListItem | null>(null);
  const search = useRef<HTMLInputElement>(null);
  const highlight = useMemo(takeJustSaved, []);

  useCommand('find', () => {
    search.current?.focus();
    search.current?.select();
  });

  useEffect(() => {
    let alive = true;
    api.call('drill:scenarios', {}).then(
      (x) => alive && setList(x),
      (e) => alive && setError(ApiError.from(e).message),
    );
    api.call('drill:history', {}).then(
      (h) => alive && setRunning(h.drills.filter((d) => !d.finishedAt)),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, []);

  useEffect(() => {
    try {
      sessionStorage.setItem(FILTER_KEY, bucket);
    } catch {
      /* ignore */
    }
  }, [bucket]);

  const q = query.trim().toLowerCase();
  const shown = (list ?? []).filter(
    (s) =>
      (bucket === 'all' || (bucket === 'custom' ? s.custom : bucketOf(s.difficultyRank) === bucket)) &&
      (!q || s.title.toLowerCase().includes(q) || s.summary.toLowerCase().includes(q) || s.id.includes(q)),
  );
  const counts = useMemo(() => {
    const c: Record<string, number> = { all: list?.length ?? 0, custom: 0, intro: 0, intermediate: 0, advanced: 0 };
    for (const s of list ?? []) {
      c[bucketOf(s.difficultyRank)]++;
      if (s.custom) c.custom++;
    }
    return c;
  }, [list]);

  return (
    <div className="page drill-page drill-library" data-testid="drill-library">
      <div className="page-head">
        <h1 className="page-title">Drills</h1>
        <span className="muted">Practice incidents from a scenario library — solo, or with a game master who hands out the evidence.</span>
        <span className="spacer" />
        <a className="btn" href={drillHref({ name: 'drill-history' })} data-testid="drill-history-link">
          History
        </a>
        <a className="btn" href={drillHref({ name: 'drill-from-incident' })} data-testid="drill-from-incident-link">
          New scenario from incident…
        </a>
      </div>

      {running.length > 0 && (
        <section className="card drill-running-card" aria-labelledby="running-title" data-testid="drill-running">
          <header className="card-head">
            <h2 className="card-title" id="running-title">
              In progress <span className="card-count">{running.length}</span>
            </h2>
          </header>
          <ul className="drill-running-list">
            {running.map((d) => (
              <li key={d.drillId} className="drill-running-item">
                <span className="mono">#{d.drillId}</span>
                <span className="drill-running-title">{d.scenarioTitle}</span>
                <span className="muted small">
                  {d.participant} · {MODE_LABELS[d.mode]} · started {ago(d.startedAt)}
                </span>
                <span className="spacer" />
                <a className="btn btn-small" href={drillHref({ name: 'drill', id: d.drillId })}>
                  Responder view
                </a>
                {d.mode === 'gm' && (
                  <a className="btn btn-small" href={drillHref({ name: 'drill-gm', id: d.drillId })}>
                    Game-master view
                  </a>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <div className="filters drill-filters">
        <div className="filter filter-search">
          <label className="field-label" htmlFor="drill-search">
            Search <Kbd>/</Kbd>
          </label>
          <input
            id="drill-search"
            ref={search}
            type="search"
            value={query}
            placeholder="Title or summary — e.g. canary, latency, schema"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && (setQuery(''), e.currentTarget.blur())}
            data-testid="drill-search"
          />
        </div>
        <div className="filter">
          <span className="field-label" id="drill-diff-label">
            Difficulty
          </span>
          <div className="seg" role="group" aria-labelledby="drill-diff-label">
            {(['all', ...DIFFICULTY_BUCKETS, 'custom'] as const).map((b) => (
              <button
                key={b}
                type="button"
                className={`seg-btn ${bucket === b ? 'on' : ''}`}
                aria-pressed={bucket === b}
                onClick={() => setBucket(b)}
                data-testid={`drill-filter-${b}`}
              >
                {b === 'all' ? 'All' : b === 'custom' ? 'From incidents' : BUCKET_LABELS[b]} <span className="seg-count drill-seg-count">{counts[b]}</span>
              </button>
            ))}
          </div>
        </div>
        <span className="spacer" />
        <span className="muted small" aria-live="polite" data-testid="drill-count">
          {list ? `${shown.length} of ${list.length} scenarios` : ''}
        </span>
      </div>

      {error && (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      )}
      {!list ? (
        <p className="muted loading">Loading the library…</p>
      ) : shown.length === 0 ? (
        <div className="empty-small" data-testid="drill-none">
          <p>No scenario matches.</p>
          <button type="button" className="btn" onClick={() => (setQuery(''), setBucket('all'))}>
            Clear the filters
          </button>
        </div>
      ) : (
        <ul className="drill-scenarios" data-testid="drill-scenarios">
          {shown.map((s) => (
            <ScenarioCard key={s.id} s={s} fresh={highlight === s.id} onStart={() => setStarting(s)} />
          ))}
        </ul>
      )}

      {starting && <StartDialog scenario={starting} onClose={() => setStarting(null)} />}
    </div>
  );
}

function ScenarioCard({ s, fresh, onStart }: { s: DrillScenarioListItem; fresh: boolean; onStart: () => void }) {
  const toast = useToast();
  const b = bucketOf(s.difficultyRank);
  async function exportIt() {
    try {
      const f = await api.call('scenario:export', { scenarioId: s.id });
      downloadText(baseName(f.path), f.content, 'application/json;charset=utf-8');
      toast({ message: `Saved ${baseName(f.path)} — commit it as ${f.path}`, tone: 'success' });
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    }
  }
  return (
    <li className={`drill-scenario ${s.custom ? 'is-custom' : ''} ${fresh ? 'is-fresh' : ''}`} data-testid={`scenario-${s.id}`} data-difficulty={b}>
      <div className="drill-scenario-top">
        <span className={`drill-diff diff-${b}`} title={`Difficulty: ${difficultyLabel(s.difficulty)}`}>
          <span className="drill-diff-dots" aria-hidden="true">
            {[1, 2, 3, 4, 5].map((i) => (
              <span key={i} className={i <= s.difficultyRank ? 'on' : ''} />
            ))}
          </span>
          {difficultyLabel(s.difficulty)}
        </span>
        {s.custom && (
          <span className="badge drill-custom" title="Built from a past incident of this workbench">
            From an incident
          </span>
        )}
        <span className="spacer" />
        <span className="muted small">v{s.version}</span>
      </div>
      <h2 className="drill-scenario-title">{s.title}</h2>
      <p className="drill-scenario-summary">{s.summary}</p>
      <div className="drill-scenario-meta">
        <span title="Expected duration">~{s.expectedDurationMinutes} min</span>
        <span aria-hidden="true">·</span>
        <span>{s.evidenceCards} evidence cards</span>
      </div>
      <div className="drill-scenario-actions">
        <button type="button" className="btn btn-primary btn-small" onClick={onStart} data-testid="scenario-start" aria-label={`Start: ${s.title}`}>
          Start…
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => void exportIt()} data-testid="scenario-export" title={`Download drills/${s.id}.json to commit to a repository`} aria-label={`Export ${s.title} as drills/${s.id}.json`}>
          Export
        </button>
      </div>
    </li>
  );
}

function StartDialog({ scenario, onClose }: { scenario: DrillScenarioListItem; onClose: () => void }) {
  const [name, setName] = useState(rememberedParticipant);
  const [mode, setMode] = useState<DrillMode>('solo');
  const [err, setErr] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function start() {
    setBusy(true);
    setErr(null);
    try {
      const st = await api.call('drill:start', { scenarioId: scenario.id, mode, participant: name, view: 'responder' });
      rememberParticipant(name);
      goDrill({ name: 'drill', id: st.drillId });
    } catch (e) {
      setErr(ApiError.from(e));
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Start: ${scenario.title}`} onClose={onClose} testid="drill-start-dialog">
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <Field label="Participant (the responder)" error={fieldError(err, 'participant')} hint="Remembered on this computer; the history groups drills by this name." testid="drill-participant">
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              type="text"
              value={name}
              autoComplete="name"
              placeholder="e.g. alice"
              onChange={(e) => setName(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              data-testid="drill-participant-input"
            />
          )}
        </Field>
        <fieldset className="field">
          <legend className="field-label">Mode</legend>
          <div className="drill-modes" role="radiogroup" aria-label="Mode">
            <label className={`choice ${mode === 'solo' ? 'checked' : ''}`}>
              <input type="radio" name="drill-mode" value="solo" checked={mode === 'solo'} onChange={() => setMode('solo')} data-testid="drill-mode-solo" />
              <span className="choice-title">Solo</span>
              <span className="choice-desc">You ask for evidence cards and see them at once; each costs its reveal time.</span>
            </label>
            <label className={`choice ${mode === 'gm' ? 'checked' : ''}`}>
              <input type="radio" name="drill-mode" value="gm" checked={mode === 'gm'} onChange={() => setMode('gm')} data-testid="drill-mode-gm" />
              <span className="choice-title">Game master</span>
              <span className="choice-desc">A game master sees every card and the answers and releases cards as you ask (Wheel of Misfortune), from a second tab or window.</span>
            </label>
          </div>
        </fieldset>
        <p className="muted small">
          ~{scenario.expectedDurationMinutes} min · {scenario.evidenceCards} evidence cards · the six-phase flow runs with its timers. Drills never count in real-incident metrics.
        </p>
        {err && !fieldError(err, 'participant') && (
          <p className="field-error" role="alert">
            {err.message}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="drill-start-confirm">
            {busy ? 'Starting…' : 'Start drill'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
