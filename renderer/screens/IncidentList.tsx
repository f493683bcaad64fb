// Incident list: sort, filter (phase / severity / class / text), drill badge, live phase timer, empty state.
// Virtualised (@tanstack/react-virtual) and paged: the next page is fetched as the scroll nears the end
// of what is loaded; counts per filter value come with the first page (issue 12).
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Input } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import {
  FAILURE_CLASSES, FAILURE_CLASS_LABELS, PHASES, SEVERITIES,
} from '../../shared/domain';
import type { IncidentListItem } from '../../shared/incidentList';
import { PHASE_DEFS } from '../../shared/phases';
import { hasWebToken } from '../api/client';
import { useIncidentPages } from '../data/hooks';
import { useCommand } from '../lib/commands';
import { MOD } from '../lib/keys';
import { href, navigate } from '../lib/router';
import { ago, clock, full } from '../lib/time';
import { useNow } from '../lib/clock';
import { ClassBadge, DrillBadge, Kbd, PhaseLabel, PhaseTimer, SeverityBadge } from '../components/ui';
import { ImportBundleButton } from '../postmortem/bundle';
import '../insights/insights.css';

type ListInput = NonNullable<Input<'incident:list'>>;
type PhaseFilter = NonNullable<ListInput['phase']> | 'all';
type Sort = NonNullable<ListInput['sort']>;

interface Filters {
  phase: PhaseFilter;
  severity: ListInput['severity'] | '';
  failureClass: ListInput['failureClass'] | '';
  query: string;
  sort: Sort;
  includeDrills: boolean;
}

const DEFAULTS: Filters = { phase: 'all', severity: '', failureClass: '', query: '', sort: 'updated', includeDrills: false };
const KEY = 'pmw.listFilters';

function loadFilters(): Filters {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? { ...DEFAULTS, ...JSON.parse(raw) } : DEFAULTS;
  } catch {
    return DEFAULTS;
  }
}

const isDefault = (f: Filters) =>
  f.phase === DEFAULTS.phase && !f.severity && !f.failureClass && !f.query.trim() && f.includeDrills === DEFAULTS.includeDrills;

function listInput(f: Filters): ListInput {
  const input: ListInput = { sort: f.sort, includeDrills: f.includeDrills };
  if (f.phase !== 'all') input.phase = f.phase;
  if (f.severity) input.severity = f.severity;
  if (f.failureClass) input.failureClass = f.failureClass;
  if (f.query.trim()) input.query = f.query.trim();
  return input;
}

export function IncidentList({ onNew }: { onNew: () => void }) {
  const [filters, setFilters] = useState<Filters>(loadFilters);
  // What is asked for: the filters, with typing in the search box settled for 150 ms.
  const [asked, setAsked] = useState<Filters>(filters);
  const searchRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  useCommand('find', () => {
    searchRef.current?.focus();
    searchRef.current?.select();
  });

  useEffect(() => {
    try {
      sessionStorage.setItem(KEY, JSON.stringify(filters));
    } catch {
      /* ignore */
    }
    const t = setTimeout(() => setAsked(filters), filters.query ? 150 : 0);
    return () => clearTimeout(t);
  }, [filters]);

  const q = useIncidentPages(listInput(asked));
  const error = q.error ? ApiError.from(q.error).message : null;
  // Server order, page after page (the cursor pages by the sort; rows never move while you scroll).
  const first = q.data?.pages[0];
  const total = first?.total ?? 0;
  const counts = first?.counts;
  const rows = useMemo<IncidentListItem[] | null>(() => (q.data ? q.data.pages.flatMap((p) => p.items) : null), [q.data]);
  const virt = useVirtualizer({
    count: rows?.length ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 58,
    overscan: 12,
    getItemKey: (i) => rows?.[i]?.key ?? i,
  });
  const vItems = virt.getVirtualItems();
  const lastIndex = vItems.length ? vItems[vItems.length - 1].index : -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = q;
  useEffect(() => {
    if (rows && hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - 30) void fetchNextPage();
  }, [lastIndex, rows, hasNextPage, isFetchingNextPage, fetchNextPage]);
  const n = (x: number | undefined) => (x === undefined ? '' : ` (${x})`);

  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v }));

  function moveFocus(e: React.KeyboardEvent) {
    const links = [...(tableRef.current?.querySelectorAll<HTMLAnchorElement>('a.row-link') ?? [])];
    const i = links.indexOf(document.activeElement as HTMLAnchorElement);
    const down = e.key === 'ArrowDown' || e.key === 'j';
    const up = e.key === 'ArrowUp' || e.key === 'k';
    if (!down && !up) return;
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) {
      if (!down || e.key === 'j' || e.target instanceof HTMLSelectElement) return;
    }
    e.preventDefault();
    const next = down ? Math.min(links.length - 1, i + 1) : Math.max(0, i - 1);
    links[next]?.focus();
  }

  if (!hasWebToken()) return null; // the shell's banner explains how to open the app with its token

  const empty = rows !== null && rows.length === 0;
  const trulyEmpty = empty && isDefault(filters);

  return (
    <div className="page list-page" onKeyDown={moveFocus}>
      <div className="page-head">
        <h1 className="page-title">Incidents</h1>
        {rows && rows.length > 0 && (
          <span className="muted count" data-testid="incident-count">
            {total}{first?.totalAtLeast ? '+' : ''} incident{total === 1 ? '' : 's'}{rows.length < total ? ` · ${rows.length} loaded` : ''}
            {counts && ` · ${counts.open} open`}
            {counts && counts.overdueActions > 0 && (
              <>
                {' · '}
                <a href="#/backlog" className="overdue-text" data-testid="list-overdue">{counts.overdueActions} follow-up{counts.overdueActions === 1 ? '' : 's'} overdue</a>
              </>
            )}
          </span>
        )}
        <ImportBundleButton />
      </div>

      {!trulyEmpty && (
        <div className="filters" role="search" aria-label="Filter incidents">
          <div className="filter filter-search">
            <label htmlFor="f-query">Search</label>
            <input
              id="f-query"
              ref={searchRef}
              type="search"
              placeholder="Title, key, service…  ( / )"
              value={filters.query}
              onChange={(e) => set('query', e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape' && filters.query) {
                  e.stopPropagation();
                  set('query', '');
                }
              }}
              data-testid="filter-query"
            />
          </div>
          <div className="filter">
            <label htmlFor="f-phase">Phase</label>
            <select id="f-phase" value={filters.phase} onChange={(e) => set('phase', e.target.value as PhaseFilter)} data-testid="filter-phase">
              <option value="all">All</option>
              <option value="open">Open (not closed){n(counts?.open)}</option>
              {PHASES.map((p) => (
                <option key={p} value={p}>
                  {PHASE_DEFS[p].label}
                  {n(counts?.phase[p])}
                </option>
              ))}
              <option value="closed">Closed{n(counts?.phase.closed)}</option>
            </select>
          </div>
          <div className="filter">
            <label htmlFor="f-sev">Severity</label>
            <select id="f-sev" value={filters.severity} onChange={(e) => set('severity', e.target.value as Filters['severity'])} data-testid="filter-severity">
              <option value="">Any</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                  {n(counts?.severity[s])}
                </option>
              ))}
            </select>
          </div>
          <div className="filter">
            <label htmlFor="f-class">Failure class</label>
            <select
              id="f-class"
              value={filters.failureClass}
              onChange={(e) => set('failureClass', e.target.value as Filters['failureClass'])}
              data-testid="filter-class"
            >
              <option value="">Any</option>
              {FAILURE_CLASSES.map((c) => (
                <option key={c} value={c}>
                  {FAILURE_CLASS_LABELS[c]}
                  {n(counts?.failureClass[c])}
                </option>
              ))}
            </select>
          </div>
          <div className="filter">
            <label htmlFor="f-sort">Sort by</label>
            <select id="f-sort" value={filters.sort} onChange={(e) => set('sort', e.target.value as Sort)} data-testid="filter-sort">
              <option value="updated">Last updated</option>
              <option value="created">Newest first</option>
              <option value="severity">Severity</option>
              <option value="key">Key</option>
            </select>
          </div>
          <label className="filter filter-check">
            <input type="checkbox" checked={filters.includeDrills} onChange={(e) => set('includeDrills', e.target.checked)} /> Show drills
          </label>
          {!isDefault(filters) && (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setFilters({ ...DEFAULTS, sort: filters.sort })}>
              Clear filters
            </button>
          )}
        </div>
      )}

      {error && (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      )}

      {rows === null && !error && <div className="muted loading">Loading incidents…</div>}

      {trulyEmpty && <EmptyState onNew={onNew} />}

      {empty && !trulyEmpty && (
        <div className="empty-small" data-testid="no-match">
          <p>No incidents match these filters.</p>
          <button type="button" className="btn" onClick={() => setFilters({ ...DEFAULTS, sort: filters.sort })}>
            Clear filters
          </button>
        </div>
      )}

      {rows && rows.length > 0 && (
        <div className="list-scroller" ref={scrollRef} data-testid="list-scroller">
        <table className="incident-table" data-testid="incident-table" aria-rowcount={total + 1}>
          <thead>
            <tr>
              <th scope="col" className="col-key">Key</th>
              <th scope="col">Incident</th>
              <th scope="col" className="col-sev">Sev</th>
              <th scope="col" className="col-class">Class</th>
              <th scope="col" className="col-phase">Phase · time in phase</th>
              <th scope="col" className="col-time">Detected</th>
              <th scope="col" className="col-time">Updated</th>
            </tr>
          </thead>
          <tbody ref={tableRef}>
            {vItems.length > 0 && vItems[0].start > 0 && <tr aria-hidden="true" className="virtual-pad" style={{ height: vItems[0].start }} />}
            {vItems.map((vi) => (
              <Row key={vi.key} r={rows[vi.index]} index={vi.index} measure={virt.measureElement} />
            ))}
            {vItems.length > 0 && virt.getTotalSize() - vItems[vItems.length - 1].end > 0 && (
              <tr aria-hidden="true" className="virtual-pad" style={{ height: virt.getTotalSize() - vItems[vItems.length - 1].end }} />
            )}
          </tbody>
        </table>
        {(isFetchingNextPage || hasNextPage) && (
          <div className="list-more muted small" data-testid="list-more" aria-live="polite">
            {isFetchingNextPage ? 'Loading more…' : `${rows.length} of ${total} loaded — scroll for more`}
          </div>
        )}
        </div>
      )}
    </div>
  );
}

function Row({ r, index, measure }: { r: IncidentListItem; index: number; measure: (el: Element | null) => void }) {
  const closed = r.phase === 'closed';
  return (
    <tr
      ref={measure}
      data-index={index}
      aria-rowindex={index + 2}
      className={`incident-row ${closed ? 'row-closed' : ''}`}
      data-testid="incident-row"
      data-key={r.key}
      onClick={(e) => {
        if ((e.target as HTMLElement).closest('a')) return;
        navigate({ name: 'incident', key: r.key });
      }}
    >
      <td className="col-key mono">{r.key}</td>
      <td className="col-title">
        <a className="row-link" href={href({ name: 'incident', key: r.key })}>
          {r.title}
        </a>
        <div className="row-sub">
          {r.service ? <span>{r.service}</span> : <span className="muted">no service set</span>}
          {r.isDrill && <DrillBadge />}
          {r.overdueActions > 0 && (
            <a className="badge row-overdue-badge" href="#/backlog" data-testid="row-overdue" title={`${r.overdueActions} of ${r.openActions} open action items are past their due date`}>
              {r.overdueActions} follow-up{r.overdueActions === 1 ? '' : 's'} overdue
            </a>
          )}
          {r.mitigationUnverified && (
            <span className="badge honesty-flag" data-testid="row-unverified" title="The flow left Mitigate without a verified mitigation">
              ⚑ mitigation not verified
            </span>
          )}
          {!!r.earlyPhases?.length && (
            <span className="badge honesty-early" data-testid="row-early" title="Gates passed with exit criteria unmet (a reason was recorded)">
              passed early: {r.earlyPhases.map((p) => PHASE_DEFS[p].label).join(', ')}
            </span>
          )}
        </div>
      </td>
      <td className="col-sev">
        <SeverityBadge severity={r.severity} />
      </td>
      <td className="col-class">
        <ClassBadge cls={r.failureClass} />
      </td>
      <td className="col-phase">
        <div className="phase-cell">
          <PhaseLabel phase={r.phase} />
          {!closed && r.phase !== 'closed' && <PhaseTimer phase={r.phase} enteredAt={r.phaseEnteredAt} testid="row-timer" />}
        </div>
      </td>
      <td className="col-time" title={full(r.detectedAt)}>
        {clock(r.detectedAt)}
      </td>
      <td className="col-time">
        <Ago iso={r.updatedAt} />
      </td>
    </tr>
  );
}

function Ago({ iso }: { iso: string }) {
  const now = useNow();
  return <span title={full(iso)}>{ago(iso, now)}</span>;
}

function EmptyState({ onNew }: { onNew: () => void }) {
  return (
    <div className="empty" data-testid="empty-state">
      <h2>No incidents yet</h2>
      <p className="empty-lead">
        When something breaks, open an incident and the workbench walks you through six phases, each with a time budget, a
        checklist for the failure class, and the first checks in pipeline order.
      </p>
      <ol className="empty-phases">
        {PHASES.map((p, i) => (
          <li key={p}>
            <span className="empty-phase-num">{i + 1}</span>
            <span className="empty-phase-name">{PHASE_DEFS[p].label}</span>
            <span className="empty-phase-budget">{PHASE_DEFS[p].budgetLabel}</span>
            <span className="empty-phase-goal">{PHASE_DEFS[p].goal}</span>
          </li>
        ))}
      </ol>
      <div className="empty-actions">
        <button type="button" className="btn btn-primary btn-large" onClick={onNew} data-testid="empty-new-incident">
          New incident
        </button>
        <span className="muted">
          or press <Kbd>N</Kbd> · <Kbd>{MOD}+N</Kbd> anywhere · <Kbd>?</Kbd> for all shortcuts
        </span>
      </div>
      <p className="muted empty-foot">Everything stays on this machine, in a local SQLite file.</p>
    </div>
  );
}
