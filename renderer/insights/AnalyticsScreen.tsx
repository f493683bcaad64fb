// #/analytics: response analytics — MTTA / MTTD / MTTM / MTTR median and p90 per month, severity,
// class and service against seed 002's maturity tiers; class and origin mix; drill results over time.
// Drills never count in the incident figures; unverified mitigations are shown apart. CSV export.
import { useMemo, useState } from 'react';
import { ApiError } from '../../shared/api/errors';
import { STAT_METRICS, STAT_METRIC_LABELS, type Figure, type StatsGroup, type StatsSummary } from '../../shared/analytics';
import { FAILURE_CLASS_LABELS, type FailureClass } from '../../shared/domain';
import { api as host } from '../api/client';
import { downloadText } from '../postmortem/download';
import { useToast } from '../lib/toast';
import { Chart, type ChartSeries } from './Chart';
import { useStats } from './hooks';
import './insights.css';

/** The unit a set of durations reads best in: minutes up to 3 h, hours up to 3 days, else days. */
const UNITS = [
  { name: 'minutes', ms: 60_000 },
  { name: 'hours', ms: 3_600_000 },
  { name: 'days', ms: 86_400_000 },
] as const;
function unitFor(values: (number | null)[]): (typeof UNITS)[number] {
  const max = values.reduce<number>((a, v) => (v !== null && v > a ? v : a), 0);
  return max < 3 * 3_600_000 ? UNITS[0] : max < 3 * 86_400_000 ? UNITS[1] : UNITS[2];
}
const scaled = (ms: number | null, unit: { ms: number }) => (ms === null ? null : Math.round((ms / unit.ms) * 10) / 10);
export function dur(ms: number | null): string {
  if (ms === null) return '—';
  const m = ms / 60_000;
  if (m < 1) return `${Math.round(ms / 1000)} s`;
  if (m < 120) return `${Math.round(m)} min`;
  if (m < 48 * 60) return `${Math.round((m / 60) * 10) / 10} h`;
  return `${Math.round((m / 1440) * 10) / 10} d`;
}
const COLORS: Record<string, string> = { mtta: 'var(--sev4)', mttd: 'var(--accent)', mttm: 'var(--warn)', mttr: 'var(--ok)' };
const classLabel = (g: string) => FAILURE_CLASS_LABELS[g as FailureClass] ?? g;

type Dim = 'byMonth' | 'bySeverity' | 'byClass' | 'byService';
const DIMS: { id: Dim; label: string }[] = [
  { id: 'byMonth', label: 'Month' },
  { id: 'bySeverity', label: 'Severity' },
  { id: 'byClass', label: 'Failure class' },
  { id: 'byService', label: 'Service' },
];

export function AnalyticsScreen() {
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [dim, setDim] = useState<Dim>('byMonth');
  const input = useMemo(() => ({ ...(since ? { since } : {}), ...(until ? { until } : {}) }), [since, until]);
  const q = useStats(input);
  const toast = useToast();
  const s = q.data;
  const error = q.error ? ApiError.from(q.error).message : null;

  async function exportCsv() {
    try {
      const r = await host.call('stats:csv', input);
      downloadText(r.filename, r.content, 'text/csv;charset=utf-8');
      toast({ message: `Saved ${r.filename}`, tone: 'success' });
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    }
  }

  return (
    <div className="page insights-page analytics-page">
      <div className="page-head">
        <h1 className="page-title">Analytics</h1>
        {s && (
          <span className="muted count" data-testid="stats-counts">
            {s.incidents} real incident{s.incidents === 1 ? '' : 's'} · {s.drillsExcluded} drill{s.drillsExcluded === 1 ? '' : 's'} excluded
          </span>
        )}
        <button type="button" className="btn" onClick={() => void exportCsv()} data-testid="stats-csv" disabled={!s}>
          Export CSV
        </button>
      </div>
      <div className="filters" role="group" aria-label="Period">
        <div className="filter">
          <label htmlFor="a-since">Detected from</label>
          <input id="a-since" type="date" value={since} onChange={(e) => setSince(e.target.value)} />
        </div>
        <div className="filter">
          <label htmlFor="a-until">before</label>
          <input id="a-until" type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
        </div>
      </div>
      {error && <div className="banner banner-error" role="alert">{error}</div>}
      {!s && !error && <div className="muted loading">Computing figures…</div>}
      {s && s.incidents === 0 && s.drills.total === 0 && (
        <div className="empty" data-testid="stats-empty">
          <h2>No figures yet</h2>
          <p className="empty-lead">Response times appear here once incidents move through Acknowledge, Mitigate and Resolve. Drills are counted apart and never mixed into these figures.</p>
        </div>
      )}
      {s && (s.incidents > 0 || s.drills.total > 0) && <Dashboard s={s} dim={dim} setDim={setDim} />}
    </div>
  );
}

function Dashboard({ s, dim, setDim }: { s: StatsSummary; dim: Dim; setDim: (d: Dim) => void }) {
  const groups = s[dim];
  const cats = useMemo(() => groups.map((g) => (dim === 'byClass' ? classLabel(g.group) : g.group)), [groups, dim]);
  const medianUnit = unitFor(groups.flatMap((g) => STAT_METRICS.map((m) => g[m].medianMs)));
  const p90Unit = unitFor(groups.flatMap((g) => STAT_METRICS.map((m) => g[m].p90Ms)));
  const medianSeries = useMemo<ChartSeries[]>(
    () => STAT_METRICS.map((m) => ({ label: `${STAT_METRIC_LABELS[m].short} median`, color: COLORS[m], values: groups.map((g) => scaled(g[m].medianMs, medianUnit)), bars: dim !== 'byMonth' })),
    [groups, dim, medianUnit],
  );
  const p90Series = useMemo<ChartSeries[]>(
    () => STAT_METRICS.map((m) => ({ label: `${STAT_METRIC_LABELS[m].short} p90`, color: COLORS[m], values: groups.map((g) => scaled(g[m].p90Ms, p90Unit)), bars: dim !== 'byMonth', dash: true })),
    [groups, dim, p90Unit],
  );
  const classMix = useMemo(() => ({ cats: s.classMix.map((e) => classLabel(e.group)), series: [{ label: 'incidents', color: 'var(--accent)', values: s.classMix.map((e) => e.n), bars: true }] }), [s.classMix]);
  const originMix = useMemo(() => ({ cats: s.originMix.map((e) => e.group), series: [{ label: 'incidents', color: 'var(--sev2)', values: s.originMix.map((e) => e.n), bars: true }] }), [s.originMix]);
  const drills = useMemo(
    () => ({
      cats: s.drills.byMonth.map((d) => d.month),
      series: [
        { label: 'average score', color: 'var(--ok)', values: s.drills.byMonth.map((d) => d.averageScore) },
        { label: 'median score', color: 'var(--accent)', values: s.drills.byMonth.map((d) => d.medianScore), dash: true },
      ],
    }),
    [s.drills.byMonth],
  );
  const o = s.overall;

  return (
    <>
      <section className="stat-cards" aria-label="All real incidents in the period">
        {STAT_METRICS.map((m) => (
          <div key={m} className="stat-card" data-testid={`stat-${m}`}>
            <div className="stat-card-name" title={STAT_METRIC_LABELS[m].from}>
              {STAT_METRIC_LABELS[m].short} <span className="muted small">{STAT_METRIC_LABELS[m].long}</span>
            </div>
            <div className="stat-card-value">{dur(o[m].medianMs)}</div>
            <div className="muted small">median · p90 {dur(o[m].p90Ms)} · n {o[m].n}</div>
            {(m === 'mttm' || m === 'mttr') && <div className="muted small">verified mitigations only</div>}
          </div>
        ))}
        <div className="stat-card" data-testid="stat-tier">
          <div className="stat-card-name">Maturity tier</div>
          <div className="stat-card-value">{o.tier.overall ?? '—'}</div>
          <div className="muted small">MTTD {o.tier.mttd ?? '—'} · MTTR {o.tier.mttr ?? '—'}</div>
          {o.unverified.n > 0 && (
            <div className="small unverified-note" data-testid="unverified-count">
              ⚑ {o.unverified.n} unverified mitigation{o.unverified.n === 1 ? '' : 's'}: not in MTTM, MTTR or the tier
            </div>
          )}
        </div>
      </section>

      <div className="dim-tabs" role="tablist" aria-label="Group the figures by">
        {DIMS.map((d) => (
          <button
            key={d.id}
            type="button"
            role="tab"
            aria-selected={dim === d.id}
            tabIndex={dim === d.id ? 0 : -1}
            className={`dim-tab ${dim === d.id ? 'on' : ''}`}
            onClick={() => setDim(d.id)}
            onKeyDown={(e) => {
              const i = DIMS.findIndex((x) => x.id === dim);
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                e.preventDefault();
                const n = DIMS[(i + (e.key === 'ArrowRight' ? 1 : DIMS.length - 1)) % DIMS.length];
                setDim(n.id);
                (e.currentTarget.parentElement?.querySelector(`[data-dim="${n.id}"]`) as HTMLElement | null)?.focus();
              }
            }}
            data-dim={d.id}
          >
            By {d.label.toLowerCase()}
          </button>
        ))}
      </div>
      <div className="chart-grid" role="tabpanel" aria-label={`Figures by ${dim.slice(2).toLowerCase()}`}>
        <Chart label={`Median (${medianUnit.name}); MTTM and MTTR from verified mitigations only`} categories={cats} series={medianSeries} unit={medianUnit.name} testid="chart-median" />
        <Chart label={`p90 (${p90Unit.name})`} categories={cats} series={p90Series} unit={p90Unit.name} testid="chart-p90" />
      </div>
      <GroupTable groups={groups} label={(g) => (dim === 'byClass' ? classLabel(g) : g)} tiers={s.tiers} />

      <div className="chart-grid">
        <Chart label="Failure class mix" categories={classMix.cats} series={classMix.series} unit="incidents" testid="chart-class-mix" />
        <Chart label="Root-cause origin mix" categories={originMix.cats} series={originMix.series} unit="incidents" testid="chart-origin-mix" />
      </div>
      <div className="chart-grid">
        <Chart label={`Drill results over time (${s.drills.total} drills, ${s.drills.finished} finished; never in the figures above)`} categories={drills.cats} series={drills.series} unit="score" testid="chart-drills" />
        <section className="tiers-box" aria-labelledby="tiers-title">
          <h2 id="tiers-title" className="backlog-box-title">Maturity tiers (seed 002)</h2>
          <table className="mini-table">
            <thead>
              <tr><th scope="col">Tier</th><th scope="col">MTTD under</th><th scope="col">MTTR under</th></tr>
            </thead>
            <tbody>
              {s.tiers.map((t) => (
                <tr key={t.tier} className={o.tier.overall === t.tier ? 'tier-on' : ''}>
                  <td>{t.tier}{o.tier.overall === t.tier ? ' ← you' : ''}</td>
                  <td>{dur(t.mttdMinutes * 60_000)}</td>
                  <td>{dur(t.mttrMinutes * 60_000)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">{s.method.tierBasis}. {s.method.unverified}.</p>
        </section>
      </div>
    </>
  );
}

function Cell({ f }: { f: Figure }) {
  return (
    <td className="num" title={`n ${f.n}`}>
      {dur(f.medianMs)} <span className="muted">/ {dur(f.p90Ms)}</span>
    </td>
  );
}

function GroupTable({ groups, label, tiers }: { groups: StatsGroup[]; label: (g: string) => string; tiers: StatsSummary['tiers'] }) {
  if (!groups.length) return null;
  return (
    <div className="table-scroll">
      <table className="incident-table stats-table" data-testid="stats-table">
        <caption className="visually-hidden">Median / p90 per group, against {tiers.length} maturity tiers</caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col" className="num">Incidents</th>
            {STAT_METRICS.map((m) => (
              <th key={m} scope="col" className="num" title={STAT_METRIC_LABELS[m].from}>{STAT_METRIC_LABELS[m].short} median / p90</th>
            ))}
            <th scope="col">Unverified</th>
            <th scope="col">Tier</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.group}>
              <th scope="row">{label(g.group)}</th>
              <td className="num">{g.incidents}</td>
              {STAT_METRICS.map((m) => (
                <Cell key={m} f={g[m]} />
              ))}
              <td>{g.unverified.n ? <span className="unverified-note" title={`MTTR ${dur(g.unverified.mttr.medianMs)} median, not counted`}>⚑ {g.unverified.n} not verified</span> : <span className="muted">—</span>}</td>
              <td>{g.tier.overall ?? <span className="muted">no data</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
