// Drill history per participant (#/drills/history): past drills with their scores, the trend
// (improving / declining / steady) and a small sparkline of the finished scores, oldest to newest.
import { useEffect, useState } from 'react';
import { ApiError } from '../../shared/api/errors';
import type { DrillHistory, DrillHistoryItem, DrillTrend } from '../../shared/drills/types';
import { api } from '../data/api';
import { clock, full } from '../lib/time';
import { MODE_LABELS, mmss, rememberedParticipant } from './format';
import { drillHref } from './route';

const ALL = '';

export function DrillHistoryPage() {
  const [who, setWho] = useState<string>(() => rememberedParticipant());
  const [h, setH] = useState<DrillHistory | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    api.call('drill:history', who ? { participant: who } : {}).then(
      (x) => {
        if (!alive) return;
        setH(x);
        setError(null);
      },
      (e) => alive && setError(ApiError.from(e).message),
    );
    return () => {
      alive = false;
    };
  }, [who]);

  const participants = h?.participants ?? [];
  const options = who && !participants.some((p) => p.toLowerCase() === who.toLowerCase()) ? [who, ...participants] : participants;

  return (
    <div className="page drill-page drill-history" data-testid="drill-history">
      <div className="page-head">
        <h1 className="page-title">Drill history</h1>
        <span className="spacer" />
        <a className="btn" href="#/drills">
          ← Drill library
        </a>
      </div>
      <div className="filters">
        <div className="filter">
          <label className="field-label" htmlFor="history-who">
            Participant
          </label>
          <select id="history-who" value={who} onChange={(e) => setWho(e.target.value)} data-testid="history-participant">
            <option value={ALL}>Everyone</option>
            {options.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        {h && <TrendSummary trend={h.trend} drills={h.drills} who={h.participant} />}
      </div>
      {error && (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      )}
      {!h ? (
        <p className="muted loading">Loading…</p>
      ) : h.drills.length === 0 ? (
        <div className="empty-small" data-testid="history-empty">
          <p>{who ? `${who} has not run a drill yet.` : 'No drill has been run yet.'}</p>
          <a className="btn btn-primary" href="#/drills">
            Pick a scenario
          </a>
        </div>
      ) : (
        <HistoryTable drills={h.drills} showWho={!h.participant} />
      )}
    </div>
  );
}

function TrendSummary({ trend, drills, who }: { trend: DrillTrend; drills: DrillHistoryItem[]; who: string | null }) {
  const scores = drills
    .filter((d) => d.finishedAt && d.score !== null)
    .sort((a, b) => a.finishedAt!.localeCompare(b.finishedAt!) || a.drillId - b.drillId)
    .map((d) => d.score as number);
  const label =
    trend.direction === 'improving' ? '↗ Improving' : trend.direction === 'declining' ? '↘ Declining' : trend.direction === 'steady' ? '→ Steady' : 'Not enough drills for a trend';
  return (
    <div className={`drill-trend trend-${trend.direction}`} data-testid="history-trend" data-direction={trend.direction}>
      <Sparkline scores={scores} label={`${who ?? 'Everyone'}: scores of ${scores.length} finished drills, oldest first`} />
      <div className="drill-trend-text">
        <strong>{label}</strong>
        <span className="muted small">
          {trend.slope !== null ? `${trend.slope > 0 ? '+' : ''}${trend.slope} points per drill` : `${trend.drills} finished`}
          {trend.lastAverage !== null ? ` · last 3: ${trend.lastAverage}` : ''}
          {trend.previousAverage !== null ? ` · 3 before: ${trend.previousAverage}` : ''}
        </span>
      </div>
    </div>
  );
}

/** Inline SVG sparkline of 0–100 scores. */
export function Sparkline({ scores, label, width = 140, height = 36 }: { scores: number[]; label: string; width?: number; height?: number }) {
  const pad = 4;
  if (scores.length === 0) {
    return (
      <svg className="sparkline" width={width} height={height} role="img" aria-label={`${label}: none yet`}>
        <line x1={pad} x2={width - pad} y1={height / 2} y2={height / 2} className="sparkline-empty" />
      </svg>
    );
  }
  const x = (i: number) => (scores.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (scores.length - 1));
  const y = (s: number) => pad + ((100 - Math.max(0, Math.min(100, s))) * (height - 2 * pad)) / 100;
  const pts = scores.map((s, i) => `${x(i).toFixed(1)},${y(s).toFixed(1)}`).join(' ');
  const last = scores.length - 1;
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${label}: ${scores.join(', ')}`} data-testid="sparkline">
      <line x1={pad} x2={width - pad} y1={y(50)} y2={y(50)} className="sparkline-mid" />
      {scores.length > 1 && <polyline points={pts} className="sparkline-line" fill="none" />}
      {scores.map((s, i) => (
        <circle key={i} cx={x(i)} cy={y(s)} r={i === last ? 3 : 1.8} className={i === last ? 'sparkline-last' : 'sparkline-dot'} />
      ))}
    </svg>
  );
}

function HistoryTable({ drills, showWho }: { drills: DrillHistoryItem[]; showWho: boolean }) {
  return (
    <table className="drill-table drill-history-table" data-testid="history-table">
      <thead>
        <tr>
          <th scope="col">Drill</th>
          <th scope="col">Scenario</th>
          {showWho && <th scope="col">Participant</th>}
          <th scope="col">Mode</th>
          <th scope="col">Started</th>
          <th scope="col">Took</th>
          <th scope="col" className="num">
            Score
          </th>
          <th scope="col">Breakdown</th>
        </tr>
      </thead>
      <tbody>
        {drills.map((d) => (
          <tr key={d.drillId} data-testid="history-row">
            <td className="mono">
              <a href={d.finishedAt ? drillHref({ name: 'drill-debrief', id: d.drillId }) : drillHref({ name: 'drill', id: d.drillId })}>#{d.drillId}</a>
            </td>
            <td>{d.scenarioTitle}</td>
            {showWho && <td>{d.participant}</td>}
            <td>{MODE_LABELS[d.mode]}</td>
            <td title={full(d.startedAt)}>{clock(d.startedAt)}</td>
            <td className="mono">{d.finishedAt ? mmss(Date.parse(d.finishedAt) - Date.parse(d.startedAt)) : <span className="drill-running">in progress</span>}</td>
            <td className="num">{d.score !== null ? <strong className="mono">{d.score}</strong> : <span className="muted">—</span>}</td>
            <td>
              {d.parts ? (
                <span className="drill-mini-parts" aria-label={d.parts.map((p) => `${p.id} ${p.points} of ${p.max}`).join(', ')}>
                  {d.parts.map((p) => (
                    <span key={p.id} className="drill-mini-part" title={`${p.id}: ${p.points}/${p.max}`} style={{ flexGrow: p.max }}>
                      <span style={{ width: `${p.max ? (p.points / p.max) * 100 : 0}%` }} />
                    </span>
                  ))}
                </span>
              ) : (
                <a href={drillHref({ name: 'drill', id: d.drillId })}>Resume →</a>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
