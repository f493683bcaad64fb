// #/search: full-text search over every incident's texts, with filters (class, severity, service,
// phase, detected between two dates). Answers as you type; ↑/↓ move between hits, Enter opens one.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Input } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import { FAILURE_CLASSES, FAILURE_CLASS_LABELS, PHASES, SEVERITIES } from '../../shared/domain';
import { PHASE_DEFS } from '../../shared/phases';
import { ClassBadge, PhaseLabel, SeverityBadge } from '../components/ui';
import { href } from '../lib/router';
import { clock, full } from '../lib/time';
import { useSearch } from './hooks';
import { insightsHref } from './route';
import { Snippet } from './Snippet';
import './insights.css';

type SearchInput = Input<'search:query'>;
interface Filters {
  failureClass: NonNullable<SearchInput['failureClass']> | '';
  severity: NonNullable<SearchInput['severity']> | '';
  service: string;
  phase: NonNullable<SearchInput['phase']> | '';
  since: string;
  until: string;
  includeDrills: boolean;
}
const NONE: Filters = { failureClass: '', severity: '', service: '', phase: '', since: '', until: '', includeDrills: false };

function toInput(q: string, f: Filters): SearchInput {
  const input: SearchInput = { query: q.trim(), limit: 50 };
  if (f.failureClass) input.failureClass = f.failureClass;
  if (f.severity) input.severity = f.severity;
  if (f.service.trim()) input.service = f.service.trim();
  if (f.phase) input.phase = f.phase;
  if (f.since) input.since = f.since;
  if (f.until) input.until = f.until;
  if (f.includeDrills) input.includeDrills = true;
  return input;
}

export function SearchScreen({ initial }: { initial: string }) {
  const [text, setText] = useState(initial);
  const [filters, setFilters] = useState<Filters>(NONE);
  const [asked, setAsked] = useState(() => toInput(initial, NONE));
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLOListElement>(null);

  // After the shell has moved focus to the main region for the new route: the words field takes it.
  useEffect(() => {
    const t = setTimeout(() => inputRef.current?.focus(), 0);
    return () => clearTimeout(t);
  }, []);
  useEffect(() => {
    const t = setTimeout(() => {
      setAsked(toInput(text, filters));
      // Keep the words in the address, so Back returns to them.
      const h = insightsHref({ name: 'search', q: text.trim() });
      if (window.location.hash !== h) window.history.replaceState(null, '', h);
    }, 120);
    return () => clearTimeout(t);
  }, [text, filters]);

  const q = useSearch(asked);
  const error = q.error ? ApiError.from(q.error).message : null;
  const hits = asked.query ? (q.data?.hits ?? null) : null;
  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  const filtered = useMemo(() => JSON.stringify(filters) !== JSON.stringify(NONE), [filters]);

  function onKey(e: React.KeyboardEvent) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    if (e.target instanceof HTMLSelectElement) return;
    const links = [...(listRef.current?.querySelectorAll<HTMLAnchorElement>('a.search-hit-link') ?? [])];
    if (!links.length) return;
    e.preventDefault();
    const i = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next = e.key === 'ArrowDown' ? Math.min(links.length - 1, i + 1) : i <= 0 ? -1 : i - 1;
    if (next < 0) inputRef.current?.focus();
    else links[next].focus();
  }

  return (
    <div className="page insights-page" onKeyDown={onKey}>
      <div className="page-head">
        <h1 className="page-title">Search</h1>
        <span className="muted">titles, summaries, timeline notes, findings, postmortems, runbooks and artifact changes</span>
      </div>
      <div className="filters" role="search" aria-label="Search incidents">
        <div className="filter filter-search">
          <label htmlFor="s-query">Words</label>
          <input
            id="s-query"
            ref={inputRef}
            type="search"
            placeholder="e.g. numpy 2 scoring"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                const first = listRef.current?.querySelector<HTMLAnchorElement>('a.search-hit-link');
                if (first) {
                  e.preventDefault();
                  window.location.hash = first.getAttribute('href')!;
                }
              }
            }}
            data-testid="search-input"
          />
        </div>
        <div className="filter">
          <label htmlFor="s-class">Class</label>
          <select id="s-class" value={filters.failureClass} onChange={(e) => set('failureClass', e.target.value as Filters['failureClass'])} data-testid="search-class">
            <option value="">Any</option>
            {FAILURE_CLASSES.map((c) => (
              <option key={c} value={c}>{FAILURE_CLASS_LABELS[c]}</option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="s-sev">Severity</label>
          <select id="s-sev" value={filters.severity} onChange={(e) => set('severity', e.target.value as Filters['severity'])}>
            <option value="">Any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="s-svc">Service</label>
          <input id="s-svc" type="text" value={filters.service} onChange={(e) => set('service', e.target.value)} placeholder="exact name" size={14} />
        </div>
        <div className="filter">
          <label htmlFor="s-phase">Phase</label>
          <select id="s-phase" value={filters.phase} onChange={(e) => set('phase', e.target.value as Filters['phase'])}>
            <option value="">Any</option>
            <option value="open">Open (not closed)</option>
            {PHASES.map((p) => (
              <option key={p} value={p}>{PHASE_DEFS[p].label}</option>
            ))}
            <option value="closed">Closed</option>
          </select>
        </div>
        <div className="filter">
          <label htmlFor="s-since">Detected from</label>
          <input id="s-since" type="date" value={filters.since} onChange={(e) => set('since', e.target.value)} />
        </div>
        <div className="filter">
          <label htmlFor="s-until">before</label>
          <input id="s-until" type="date" value={filters.until} onChange={(e) => set('until', e.target.value)} />
        </div>
        <label className="filter filter-check">
          <input type="checkbox" checked={filters.includeDrills} onChange={(e) => set('includeDrills', e.target.checked)} /> Drills too
        </label>
        {filtered && (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setFilters(NONE)}>
            Clear filters
          </button>
        )}
      </div>

      {error && <div className="banner banner-error" role="alert">{error}</div>}
      {!asked.query && (
        <div className="empty-small" data-testid="search-empty">
          <p>Type a few words: a library, an error, a column, a runbook’s advice. The last word also matches as a prefix; “quotes” match a phrase.</p>
        </div>
      )}
      {hits && hits.length === 0 && (
        <div className="empty-small" data-testid="search-none">
          <p>Nothing found for “{asked.query}”{filtered ? ' with these filters' : ''}.</p>
        </div>
      )}
      {q.data?.window && asked.query && (
        <p className="muted small">Common words: only the {q.data.window.ranked} most recent matching texts were ranked. Add a word or a filter to narrow it.</p>
      )}
      {hits && hits.length > 0 && (
        <>
          <p className="muted small" aria-live="polite">{hits.length}{q.data?.more ? '+' : ''} hit{hits.length === 1 ? '' : 's'}</p>
          <ol className="search-hits" ref={listRef} data-testid="search-hits">
            {hits.map((h) => (
              <li key={`${h.key}:${h.source}:${h.ref ?? ''}`} className="search-hit" data-testid="search-hit">
                <div className="search-hit-head">
                  <a className="search-hit-link" href={href({ name: 'incident', key: h.key })}>
                    <span className="mono">{h.key}</span> {h.title}
                  </a>
                  <span className="muted small">{h.where}</span>
                </div>
                <Snippet parts={h.parts} />
                <div className="search-hit-meta">
                  <SeverityBadge severity={h.severity} />
                  <ClassBadge cls={h.failureClass} />
                  <PhaseLabel phase={h.phase} />
                  {h.service && <span className="muted small">{h.service}</span>}
                  <span className="muted small" title={full(h.detectedAt)}>detected {clock(h.detectedAt)}</span>
                  {h.isDrill && <span className="badge">drill</span>}
                </div>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
