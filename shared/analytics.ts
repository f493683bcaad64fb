// Response analytics (issue 12): MTTA / MTTD / MTTM / MTTR median and p90 by month, severity, class
// and service, judged against seed 002's maturity tiers; class and origin mix; drill results over time;
// CSV of the figures. Pure TypeScript: main/services/stats.ts feeds it rows from the store.
import { FAILURE_CLASSES, ROOT_CAUSE_ORIGINS, SEVERITIES } from './domain';
import { MATURITY_TIERS } from './phases';

export const STAT_METRICS = ['mtta', 'mttd', 'mttm', 'mttr'] as const;
export type StatMetric = (typeof STAT_METRICS)[number];

export const STAT_METRIC_LABELS: Record<StatMetric, { short: string; long: string; from: string }> = {
  mtta: { short: 'MTTA', long: 'time to acknowledge', from: 'detection → acknowledge phase complete' },
  mttd: { short: 'MTTD', long: 'time to detect', from: 'start of impact → detection (incidents with a known start)' },
  mttm: { short: 'MTTM', long: 'time to mitigate', from: 'detection → mitigate phase complete' },
  mttr: { short: 'MTTR', long: 'time to resolve', from: 'detection → resolve phase complete' },
};

/**
 * Real incidents as columns (one index per incident): response times in ms, NaN where not reached.
 * Columns, not row objects, so 100k incidents summarise in tens of milliseconds.
 */
export interface StatsColumns {
  n: number;
  month: string[];
  severity: string[];
  failureClass: string[];
  service: string[];
  origin: (string | null)[];
  tta: Float64Array;
  ttd: Float64Array;
  ttm: Float64Array;
  ttr: Float64Array;
  /** 1: mitigation marked verified and the mitigate gate not passed early. */
  verified: Uint8Array;
}

export interface DrillStatsRow {
  startedAt: string;
  finishedAt: string | null;
  score: number | null;
}

export interface Figure {
  n: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface TierClaim {
  /** Tier reached by the median MTTD / MTTR (verified mitigations only), or null without data. */
  mttd: string | null;
  mttr: string | null;
  /** Both must hold. */
  overall: string | null;
}

export interface StatsGroup {
  group: string;
  incidents: number;
  mtta: Figure;
  mttd: Figure;
  /** Verified mitigations only. */
  mttm: Figure;
  /** Incidents whose mitigation was verified only. */
  mttr: Figure;
  /** Mitigations not verified or whose gate was passed early: shown apart, never in a tier claim. */
  unverified: { n: number; mttm: Figure; mttr: Figure };
  tier: TierClaim;
}

export interface MixEntry {
  group: string;
  n: number;
  share: number;
}

export interface DrillMonth {
  month: string;
  drills: number;
  finished: number;
  averageScore: number | null;
  medianScore: number | null;
}

export interface StatsSummary {
  generatedAt: string;
  since: string | null;
  until: string | null;
  /** Real incidents in the period; drills never count here. */
  incidents: number;
  drillsExcluded: number;
  overall: StatsGroup;
  byMonth: StatsGroup[];
  bySeverity: StatsGroup[];
  byClass: StatsGroup[];
  byService: StatsGroup[];
  classMix: MixEntry[];
  originMix: MixEntry[];
  drills: { total: number; finished: number; byMonth: DrillMonth[] };
  tiers: readonly { tier: string; mttdMinutes: number; mttrMinutes: number }[];
  /** How the figures were computed, for the dashboard's footnotes. */
  method: { percentile: string; tierBasis: string; unverified: string; definitions: Record<StatMetric, string> };
}

/** Linear-interpolated quantile of sorted values (NumPy's default, "type 7"). */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Rearrange a[lo..hi] (inclusive) so a[k] is its k-th smallest, smaller before, larger after; returns a[k]. */
function select(a: Float64Array, lo: number, hi: number, k: number): number {
  while (hi > lo) {
    const x = a[lo];
    const y = a[(lo + hi) >>> 1];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    // Three-way partition: equal durations (common) never degrade it.
    let lt = lo;
    let i = lo;
    let gt = hi;
    while (i <= gt) {
      const v = a[i];
      if (v < pivot) {
        a[i++] = a[lt];
        a[lt++] = v;
      } else if (v > pivot) {
        a[i] = a[gt];
        a[gt--] = v;
      } else i++;
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return pivot;
  }
  return a[lo];
}

/** min of a[from..to) */
function minOf(a: Float64Array, from: number, to: number): number {
  let y = Infinity;
  for (let i = from; i < to; i++) if (a[i] < y) y = a[i];
  return y;
}

/**
 * Median and p90 (type 7) of a[lo..hi) without sorting it: quickselect the median, then the p90 within
 * the part above it, then the next values above each (the range is reordered).
 */
function figureOf(a: Float64Array, lo: number, hi: number): Figure {
  const n = hi - lo;
  if (n <= 0) return { n: 0, medianMs: null, p90Ms: null };
  const h50 = (n - 1) * 0.5;
  const h90 = (n - 1) * 0.9;
  const k50 = lo + Math.floor(h50);
  const k90 = lo + Math.floor(h90);
  const x50 = select(a, lo, hi - 1, k50);
  const x90 = k90 === k50 ? x50 : select(a, k50 + 1, hi - 1, k90);
  // Everything after k90 is ≥ x90 ≥ a[k50+1..k90]: the value after the median is among the latter.
  const next90 = h90 === Math.floor(h90) ? x90 : minOf(a, k90 + 1, hi);
  const next50 = h50 === Math.floor(h50) ? x50 : k90 > k50 ? minOf(a, k50 + 1, k90 + 1) : next90;
  const q = (x: number, next: number, h: number) => x + (h - Math.floor(h)) * (next - x);
  return { n, medianMs: Math.round(q(x50, next50, h50)), p90Ms: Math.round(q(x90, next90, h90)) };
}

export function figure(values: number[]): Figure {
  return figureOf(Float64Array.from(values), 0, values.length);
}

/** One figure per group: the values of rows in the group (not NaN, and with mask[i] === want when a mask is given). */
function groupFigures(groupOf: Int32Array, groups: number, values: Float64Array, mask: Uint8Array | null, want: number): Figure[] {
  const n = values.length;
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < n; i++) if (values[i] === values[i] && (!mask || mask[i] === want)) start[groupOf[i] + 1]++;
  for (let g = 0; g < groups; g++) start[g + 1] += start[g];
  const buf = new Float64Array(start[groups]);
  const pos = start.slice(0, groups);
  for (let i = 0; i < n; i++) if (values[i] === values[i] && (!mask || mask[i] === want)) buf[pos[groupOf[i]]++] = values[i];
  return Array.from({ length: groups }, (_, g) => figureOf(buf, start[g], start[g + 1]));
}

export const BELOW_TIERS = 'Below ad-hoc';

/** The best seed-002 tier whose threshold the value is under (strictly), BELOW_TIERS past the last. */
export function tierOf(ms: number | null, key: 'mttdMinutes' | 'mttrMinutes'): string | null {
  if (ms === null) return null;
  const t = MATURITY_TIERS.find((x) => ms < x[key] * 60_000);
  return t ? t.tier : BELOW_TIERS;
}

const TIER_ORDER: string[] = [...MATURITY_TIERS.map((t) => t.tier), BELOW_TIERS];
const worse = (a: string | null, b: string | null) => (a === null || b === null ? null : TIER_ORDER[Math.max(TIER_ORDER.indexOf(a), TIER_ORDER.indexOf(b))]);

/** Every group of one dimension (e.g. by month), in `order` or sorted by name. */
function dimension(c: StatsColumns, key: (i: number) => string, order?: readonly string[]): StatsGroup[] {
  const ids = new Map<string, number>();
  const groupOf = new Int32Array(c.n);
  for (let i = 0; i < c.n; i++) {
    const k = key(i);
    let g = ids.get(k);
    if (g === undefined) ids.set(k, (g = ids.size));
    groupOf[i] = g;
  }
  const G = ids.size;
  const sizes = new Int32Array(G);
  for (let i = 0; i < c.n; i++) sizes[groupOf[i]]++;
  const f = (v: Float64Array, mask: Uint8Array | null = null, want = 1) => groupFigures(groupOf, G, v, mask, want);
  const [mtta, mttd, mttm, mttr, uMttm, uMttr] = [f(c.tta), f(c.ttd), f(c.ttm, c.verified, 1), f(c.ttr, c.verified, 1), f(c.ttm, c.verified, 0), f(c.ttr, c.verified, 0)];
  const names = [...ids.keys()].sort((a, b) => (order ? order.indexOf(a) - order.indexOf(b) : a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => {
    const g = ids.get(name)!;
    const td = tierOf(mttd[g].medianMs, 'mttdMinutes');
    const tr = tierOf(mttr[g].medianMs, 'mttrMinutes');
    return {
      group: name,
      incidents: sizes[g],
      mtta: mtta[g],
      mttd: mttd[g],
      mttm: mttm[g],
      mttr: mttr[g],
      unverified: { n: uMttm[g].n, mttm: uMttm[g], mttr: uMttr[g] },
      tier: { mttd: td, mttr: tr, overall: worse(td, tr) },
    };
  });
}

function mix(c: StatsColumns, key: (i: number) => string, order: readonly string[]): MixEntry[] {
  const m = new Map<string, number>();
  for (let i = 0; i < c.n; i++) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  const total = c.n || 1;
  return order.filter((k) => m.has(k)).map((k) => ({ group: k, n: m.get(k)!, share: Math.round((m.get(k)! / total) * 1000) / 1000 }));
}

export const monthOf = (iso: string) => new Date(iso).toISOString().slice(0, 7);
export const NO_SERVICE = '(no service)';
export const UNCLASSIFIED = 'unclassified';

export function summarise(
  c: StatsColumns,
  drills: DrillStatsRow[],
  opts: { generatedAt: string; since: string | null; until: string | null; drillsExcluded: number },
): StatsSummary {
  const byDrillMonth = new Map<string, DrillStatsRow[]>();
  for (const d of drills) {
    const k = monthOf(d.startedAt);
    let list = byDrillMonth.get(k);
    if (!list) byDrillMonth.set(k, (list = []));
    list.push(d);
  }
  const drillMonths: DrillMonth[] = [...byDrillMonth.keys()].sort().map((month) => {
    const list = byDrillMonth.get(month)!;
    const scores = list.filter((d) => d.finishedAt && d.score !== null).map((d) => d.score as number).sort((a, b) => a - b);
    return {
      month,
      drills: list.length,
      finished: list.filter((d) => d.finishedAt).length,
      averageScore: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10 : null,
      medianScore: quantile(scores, 0.5),
    };
  });
  return {
    generatedAt: opts.generatedAt,
    since: opts.since,
    until: opts.until,
    incidents: c.n,
    drillsExcluded: opts.drillsExcluded,
    overall: dimension(c, () => 'all')[0] ?? EMPTY_GROUP,
    byMonth: dimension(c, (i) => c.month[i]),
    bySeverity: dimension(c, (i) => c.severity[i], SEVERITIES),
    byClass: dimension(c, (i) => c.failureClass[i], FAILURE_CLASSES),
    byService: dimension(c, (i) => c.service[i] || NO_SERVICE),
    classMix: mix(c, (i) => c.failureClass[i], FAILURE_CLASSES),
    originMix: mix(c, (i) => c.origin[i] ?? UNCLASSIFIED, [...ROOT_CAUSE_ORIGINS, UNCLASSIFIED]),
    drills: { total: drills.length, finished: drills.filter((d) => d.finishedAt).length, byMonth: drillMonths },
    tiers: MATURITY_TIERS,
    method: {
      percentile: 'median and p90 by linear interpolation between the nearest ranks (NumPy default)',
      tierBasis: 'tier reached by the median: MTTD and MTTR must both be under the tier’s thresholds (seed 002)',
      unverified:
        'incidents whose mitigation was not verified, or whose mitigate gate was passed early, are counted apart (unverified) and never in MTTM, MTTR or a tier claim',
      definitions: Object.fromEntries(STAT_METRICS.map((m) => [m, STAT_METRIC_LABELS[m].from])) as Record<StatMetric, string>,
    },
  };
}

const NONE: Figure = { n: 0, medianMs: null, p90Ms: null };
const EMPTY_GROUP: StatsGroup = {
  group: 'all', incidents: 0, mtta: NONE, mttd: NONE, mttm: NONE, mttr: NONE,
  unverified: { n: 0, mttm: NONE, mttr: NONE }, tier: { mttd: null, mttr: null, overall: null },
};

// ── CSV ───────────────────────────────────────────────────────────────────────────────────────────
/** One CSV field: quoted when needed; a leading = + - @ is defused so a spreadsheet never runs it. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const minutes = (ms: number | null) => (ms === null ? null : Math.round((ms / 60_000) * 100) / 100);

/** The figures as CSV: section,group,metric,n,median,p90,unit,note (durations in minutes). */
export function statsCsv(s: StatsSummary): string {
  const lines: string[] = [['section', 'group', 'metric', 'n', 'median', 'p90', 'unit', 'note'].join(',')];
  const row = (...f: (string | number | null)[]) => lines.push(f.map(csvField).join(','));
  const groups: [string, StatsGroup[]][] = [
    ['overall', [s.overall]],
    ['month', s.byMonth],
    ['severity', s.bySeverity],
    ['class', s.byClass],
    ['service', s.byService],
  ];
  for (const [section, list] of groups) {
    for (const g of list) {
      row(section, g.group, 'incidents', g.incidents, null, null, 'count', null);
      for (const m of STAT_METRICS) {
        const f = g[m];
        const note = m === 'mttm' || m === 'mttr' ? 'verified mitigations only' : null;
        row(section, g.group, STAT_METRIC_LABELS[m].short, f.n, minutes(f.medianMs), minutes(f.p90Ms), 'minutes', note);
      }
      row(section, g.group, 'MTTM (unverified)', g.unverified.mttm.n, minutes(g.unverified.mttm.medianMs), minutes(g.unverified.mttm.p90Ms), 'minutes', 'not in tier claims');
      row(section, g.group, 'MTTR (unverified)', g.unverified.mttr.n, minutes(g.unverified.mttr.medianMs), minutes(g.unverified.mttr.p90Ms), 'minutes', 'not in tier claims');
      row(section, g.group, 'tier', null, null, null, 'tier', g.tier.overall ?? 'no data');
    }
  }
  for (const e of s.classMix) row('class mix', e.group, 'incidents', e.n, null, null, 'count', `share ${e.share}`);
  for (const e of s.originMix) row('origin mix', e.group, 'incidents', e.n, null, null, 'count', `share ${e.share}`);
  for (const d of s.drills.byMonth) row('drills', d.month, 'score', d.finished, d.medianScore, null, 'points', `${d.drills} drills; average ${d.averageScore ?? '—'}`);
  return lines.join('\n') + '\n';
}
