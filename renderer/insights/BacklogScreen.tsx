// #/backlog: the follow-up backlog — every action item across real incidents, open and overdue,
// grouped counts by owner and by type, filters. Each item links to its incident.
import { useState } from 'react';
import type { Input } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import { ACTION_ITEM_STATUS_LABELS, ACTION_ITEM_TYPES, ACTION_ITEM_TYPE_LABELS, type ActionItemType } from '../../shared/generators/types';
import { SeverityBadge } from '../components/ui';
import { href } from '../lib/router';
import { useBacklog } from './hooks';
import './insights.css';

type Show = 'open' | 'overdue' | 'all';
interface Filters {
  show: Show;
  /** null: anyone; '': unowned. */
  owner: string | null;
  type: ActionItemType | '';
}

function toInput(f: Filters): NonNullable<Input<'action:backlog'>> {
  const input: NonNullable<Input<'action:backlog'>> = {};
  if (f.show === 'open') input.open = true;
  if (f.show === 'overdue') input.overdue = true;
  if (f.owner !== null) input.owner = f.owner;
  if (f.type) input.type = f.type;
  return input;
}

export function BacklogScreen() {
  const [f, setF] = useState<Filters>({ show: 'open', owner: null, type: '' });
  const q = useBacklog(toInput(f));
  const data = q.data;
  const error = q.error ? ApiError.from(q.error).message : null;
  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setF((x) => ({ ...x, [k]: v }));
  const nothingAtAll = data && data.counts.open === 0 && data.total === 0 && f.show !== 'all' && f.owner === null && !f.type;

  return (
    <div className="page insights-page">
      <div className="page-head">
        <h1 className="page-title">Follow-up backlog</h1>
        {data && (
          <span className="muted count" data-testid="backlog-counts">
            {data.counts.open} open · <span className={data.counts.overdue ? 'overdue-text' : ''}>{data.counts.overdue} overdue</span> · {data.counts.unowned} unowned · as of {data.today}
          </span>
        )}
      </div>
      {error && <div className="banner banner-error" role="alert">{error}</div>}
      {!data && !error && <div className="muted loading">Loading action items…</div>}
      {nothingAtAll && (
        <div className="empty" data-testid="backlog-empty">
          <h2>No open follow-ups</h2>
          <p className="empty-lead">Action items come from postmortems: each detective, preventative or corrective item, its owner and due date. Open items across all incidents show here, overdue first.</p>
        </div>
      )}
      {data && !nothingAtAll && (
        <>
          <div className="backlog-summary">
            <section className="backlog-box" aria-labelledby="bl-owners">
              <h2 id="bl-owners" className="backlog-box-title">By owner</h2>
              <ul className="chip-list">
                <li>
                  <button type="button" className={`chip ${f.owner === null ? 'on' : ''}`} aria-pressed={f.owner === null} onClick={() => set('owner', null)}>
                    Anyone
                  </button>
                </li>
                {data.counts.byOwner.map((o) => (
                  <li key={o.owner || '(unowned)'}>
                    <button type="button" className={`chip ${f.owner === o.owner ? 'on' : ''}`} aria-pressed={f.owner === o.owner} onClick={() => set('owner', o.owner)} data-testid="owner-chip">
                      {o.owner || 'Unowned'} <span className="chip-n">{o.open}</span>
                      {o.overdue > 0 && <span className="chip-over">{o.overdue} overdue</span>}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
            <section className="backlog-box" aria-labelledby="bl-types">
              <h2 id="bl-types" className="backlog-box-title">By type</h2>
              <ul className="chip-list">
                {ACTION_ITEM_TYPES.map((t) => (
                  <li key={t}>
                    <button type="button" className={`chip ${f.type === t ? 'on' : ''}`} aria-pressed={f.type === t} onClick={() => set('type', f.type === t ? '' : t)}>
                      {ACTION_ITEM_TYPE_LABELS[t]} <span className="chip-n">{data.counts.byType[t].open}</span>
                      {data.counts.byType[t].overdue > 0 && <span className="chip-over">{data.counts.byType[t].overdue} overdue</span>}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          </div>
          <div className="filters" role="group" aria-label="Filter action items">
            <div className="filter">
              <label htmlFor="bl-show">Show</label>
              <select id="bl-show" value={f.show} onChange={(e) => set('show', e.target.value as Show)} data-testid="backlog-show">
                <option value="open">Not done</option>
                <option value="overdue">Overdue only</option>
                <option value="all">All, done too</option>
              </select>
            </div>
            <div className="filter">
              <label htmlFor="bl-type">Type</label>
              <select id="bl-type" value={f.type} onChange={(e) => set('type', e.target.value as Filters['type'])}>
                <option value="">Any</option>
                {ACTION_ITEM_TYPES.map((t) => (
                  <option key={t} value={t}>{ACTION_ITEM_TYPE_LABELS[t]}</option>
                ))}
              </select>
            </div>
            <div className="filter">
              <label htmlFor="bl-owner">Owner</label>
              <select id="bl-owner" value={f.owner === null ? '\u0000' : f.owner} onChange={(e) => set('owner', e.target.value === '\u0000' ? null : e.target.value)}>
                <option value={'\u0000'}>Anyone</option>
                {data.counts.byOwner.map((o) => (
                  <option key={o.owner || '(unowned)'} value={o.owner}>{o.owner || 'Unowned'}</option>
                ))}
              </select>
            </div>
          </div>
          {data.items.length === 0 ? (
            <div className="empty-small" data-testid="backlog-none"><p>No action items match these filters.</p></div>
          ) : (
            <table className="incident-table backlog-table" data-testid="backlog-table">
              <caption className="visually-hidden">Action items{data.items.length < data.total ? ` (first ${data.items.length} of ${data.total})` : ''}</caption>
              <thead>
                <tr>
                  <th scope="col">Action item</th>
                  <th scope="col">Type</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Due</th>
                  <th scope="col">Status</th>
                  <th scope="col">Incident</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((a) => (
                  <tr key={a.id} className={a.overdue ? 'row-overdue' : ''} data-testid="backlog-row" data-overdue={a.overdue ? 'true' : undefined}>
                    <td>{a.title}</td>
                    <td>{ACTION_ITEM_TYPE_LABELS[a.type]}</td>
                    <td>{a.owner || <span className="muted">unowned</span>}</td>
                    <td className="mono">
                      {a.dueDate ?? <span className="muted">no date</span>}
                      {a.overdue && <span className="badge overdue-badge" data-testid="overdue-badge">{a.daysOverdue} day{a.daysOverdue === 1 ? '' : 's'} overdue</span>}
                    </td>
                    <td>{ACTION_ITEM_STATUS_LABELS[a.status]}</td>
                    <td>
                      <a href={href({ name: 'incident', key: a.key })}><span className="mono">{a.key}</span> {a.incidentTitle}</a> <SeverityBadge severity={a.severity} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {data.items.length < data.total && <p className="muted small">Showing the first {data.items.length} of {data.total}; narrow with a filter.</p>}
        </>
      )}
    </div>
  );
}
