// Drift tests as Evidently runs them by default (DESIGN §6): KS / Wasserstein (normed) for numeric
// columns, chi-square / z-test / Jensen–Shannon for categorical ones, PSI alongside. Statistics in ../stats.
import {
  binCountsSorted,
  chiSquareGoodnessOfFit,
  jensenShannon,
  ks2samp,
  psiFromCounts,
  quantileBinEdges,
  quantileSorted,
  upperBound,
  wassersteinSorted,
  zTestProportions,
} from '../stats';
import { fmtNum, fmtP, fmtStat } from './format';
import { valueRuns } from './profile';
import { moments, nonNullOf } from './summary';
import type { ColumnSummary } from './types';

/** Evidently's default drift thresholds (DESIGN §6). */
export const DRIFT_DEFAULTS = {
  smallSampleMaxRows: 1000,
  pValue: 0.05,
  wassersteinNormed: 0.1,
  jensenShannon: 0.1,
  psiModerate: 0.1,
  psiSignificant: 0.2,
  psiBins: 10,
} as const;

export interface DriftTest {
  test: 'ks' | 'chi-square' | 'z-test' | 'wasserstein-normed' | 'jensen-shannon';
  label: string;
  statistic: number;
  pValue?: number;
  threshold: number;
  drift: boolean;
  rule: string;
}

interface CategoricalCounts {
  keys: string[];
  ref: number[];
  cur: number[];
}

export function categoricalCounts(a: ColumnSummary, b: ColumnSummary): CategoricalCounts {
  const keys: string[] = [];
  const idx = new Map<string, number>();
  const ref: number[] = [];
  const cur: number[] = [];
  const add = (vals: string[], counts: number[], target: 'ref' | 'cur') => {
    vals.forEach((v, i) => {
      let k = idx.get(v);
      if (k === undefined) {
        k = keys.length;
        idx.set(v, k);
        keys.push(v);
        ref.push(0);
        cur.push(0);
      }
      (target === 'ref' ? ref : cur)[k] += counts[i];
    });
  };
  const asCat = (c: ColumnSummary): [string[], number[]] => {
    if (c.values && c.counts) return [c.values, c.counts];
    const runs = valueRuns(c.sorted ?? new Float64Array(0));
    return [runs.map((r) => fmtNum(r.value)), runs.map((r) => r.count)];
  };
  const [av, ac] = asCat(a);
  const [bv, bc] = asCat(b);
  add(av, ac, 'ref');
  add(bv, bc, 'cur');
  return { keys, ref, cur };
}

function distinctUnionAtMost(a: Float64Array, b: Float64Array, limit: number): number {
  const seen = new Set<number>();
  for (const s of [a, b]) {
    let i = 0;
    while (i < s.length) {
      const v = s[i];
      seen.add(v);
      if (seen.size > limit) return seen.size;
      // skip the run
      i = upperBound(s, v);
    }
  }
  return seen.size;
}

/** Picks and runs the default drift test as Evidently does. */
export function driftTest(ref: ColumnSummary, cur: ColumnSummary, numeric: boolean): { test: DriftTest; psi: number; extra: Record<string, number> } | null {
  const nRef = numeric ? (ref.sorted as Float64Array).length : nonNullOf(ref);
  const nCur = numeric ? (cur.sorted as Float64Array).length : nonNullOf(cur);
  if (nRef === 0 || nCur === 0) return null;
  const small = nRef <= DRIFT_DEFAULTS.smallSampleMaxRows;
  let treatAsCategorical = !numeric;
  if (numeric) treatAsCategorical = distinctUnionAtMost(ref.sorted as Float64Array, cur.sorted as Float64Array, 5) <= 5;
  const extra: Record<string, number> = {};
  if (!treatAsCategorical) {
    const a = ref.sorted as Float64Array;
    const b = cur.sorted as Float64Array;
    const edges = quantileBinEdges(a, DRIFT_DEFAULTS.psiBins);
    const psi = psiFromCounts(binCountsSorted(a, edges), binCountsSorted(b, edges));
    const refStd = moments(ref).sd0;
    const w = wassersteinSorted(a, b);
    const wn = w / Math.max(refStd, 0.001);
    extra.wasserstein = w;
    extra.wassersteinNormed = wn;
    let test: DriftTest;
    if (small) {
      const ks = ks2samp(a, b, { sorted: true });
      extra.ksStatistic = ks.statistic;
      extra.ksPValue = ks.pValue;
      test = {
        test: 'ks',
        label: 'KS test p-value',
        statistic: ks.statistic,
        pValue: ks.pValue,
        threshold: DRIFT_DEFAULTS.pValue,
        drift: ks.pValue < DRIFT_DEFAULTS.pValue,
        rule: 'reference ≤ 1000 rows',
      };
    } else {
      test = {
        test: 'wasserstein-normed',
        label: 'Wasserstein distance (normed)',
        statistic: wn,
        threshold: DRIFT_DEFAULTS.wassersteinNormed,
        drift: wn >= DRIFT_DEFAULTS.wassersteinNormed,
        rule: 'reference > 1000 rows',
      };
    }
    return { test, psi, extra };
  }
  const cc = categoricalCounts(ref, cur);
  const psi = psiFromCounts(cc.ref, cc.cur);
  const js = jensenShannon(cc.ref, cc.cur);
  extra.jensenShannon = js;
  let test: DriftTest;
  if (small) {
    if (cc.keys.length > 2) {
      const k = nCur / nRef;
      const chi = chiSquareGoodnessOfFit(
        cc.cur,
        cc.ref.map((x) => x * k),
      );
      extra.chiSquare = chi.statistic;
      test = {
        test: 'chi-square',
        label: 'chi-square p-value',
        statistic: chi.statistic,
        pValue: chi.pValue,
        threshold: DRIFT_DEFAULTS.pValue,
        drift: chi.pValue < DRIFT_DEFAULTS.pValue,
        rule: 'reference ≤ 1000 rows',
      };
    } else {
      const first = cc.keys.map((k, i) => ({ k, i })).sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0))[0];
      const z =
        cc.keys.length <= 1 ? { statistic: 0, pValue: 1 } : zTestProportions(cc.ref[first.i], nRef, cc.cur[first.i], nCur);
      extra.z = z.statistic;
      test = {
        test: 'z-test',
        label: 'z-test p-value',
        statistic: z.statistic,
        pValue: z.pValue,
        threshold: DRIFT_DEFAULTS.pValue,
        drift: z.pValue < DRIFT_DEFAULTS.pValue,
        rule: 'reference ≤ 1000 rows, binary',
      };
    }
  } else {
    test = {
      test: 'jensen-shannon',
      label: 'Jensen–Shannon distance',
      statistic: js,
      threshold: DRIFT_DEFAULTS.jensenShannon,
      drift: js >= DRIFT_DEFAULTS.jensenShannon,
      rule: 'reference > 1000 rows',
    };
  }
  return { test, psi, extra };
}

export function testPhrase(t: DriftTest): string {
  if (t.pValue !== undefined) return `${t.label} ${fmtP(t.pValue)} ${t.drift ? '<' : '≥'} ${t.threshold}`;
  return `${t.label} ${fmtStat(t.statistic)} ${t.drift ? '≥' : '<'} ${t.threshold}`;
}

/** PSI including a "missing" bucket (used for null-rate changes). */
export function psiWithNulls(a: ColumnSummary, b: ColumnSummary): number {
  const numericBoth = a.sorted && b.sorted;
  let ref: number[];
  let cur: number[];
  if (numericBoth) {
    const edges = quantileBinEdges(a.sorted as Float64Array, DRIFT_DEFAULTS.psiBins);
    ref = binCountsSorted(a.sorted as Float64Array, edges);
    cur = binCountsSorted(b.sorted as Float64Array, edges);
    ref.push(a.infCount);
    cur.push(b.infCount);
  } else if (a.values && b.values) {
    const cc = categoricalCounts(a, b);
    ref = cc.ref;
    cur = cc.cur;
  } else {
    ref = [nonNullOf(a)];
    cur = [nonNullOf(b)];
  }
  ref.push(a.nullCount);
  cur.push(b.nullCount);
  return psiFromCounts(ref, cur, a.rows, b.rows);
}

/** Quantiles kept of a large numeric reference (Wasserstein is computed against them in generated tests). */
export const REFERENCE_QUANTILES = 500;

/**
 * What a generated test needs to rerun `test` against the last-known-good without its data: every
 * value (KS, reference ≤ 1000 rows), evenly spaced quantiles and the normalising scale (Wasserstein),
 * or the category counts (chi-square, z-test, Jensen–Shannon; numeric values stay numbers).
 */
export function driftReference(ref: ColumnSummary, cur: ColumnSummary, test: DriftTest['test']): Record<string, unknown> {
  const rows = ref.sorted ? ref.sorted.length : nonNullOf(ref);
  const out: Record<string, unknown> = { rows };
  if (ref.sorted && ref.sorted.length) {
    const m = moments(ref);
    out.mean = m.mean;
    out.std = m.sd1 === m.sd1 ? m.sd1 : 0;
  }
  if (test === 'ks') {
    out.kind = 'values';
    out.values = Array.from(ref.sorted as Float64Array);
  } else if (test === 'wasserstein-normed') {
    const s = ref.sorted as Float64Array;
    out.kind = 'quantiles';
    out.values = Array.from({ length: REFERENCE_QUANTILES }, (_, i) => quantileSorted(s, (i + 0.5) / REFERENCE_QUANTILES));
    out.scale = Math.max(moments(ref).sd0, 0.001);
  } else {
    out.kind = 'counts';
    if (ref.values && ref.counts) {
      out.values = ref.values.slice();
      out.counts = ref.counts.slice();
    } else {
      const runs = valueRuns(ref.sorted ?? new Float64Array(0));
      out.values = runs.map((r) => r.value);
      out.counts = runs.map((r) => r.count);
    }
    if (test === 'z-test') {
      // the category the z-test compared: the first of both sides' categories in text order
      const cc = categoricalCounts(ref, cur);
      const first = cc.keys.slice().sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))[0];
      const numeric = !ref.values;
      const pick = numeric ? [...runsOf(ref), ...runsOf(cur)].find((v) => fmtNum(v) === first) : first;
      if (pick !== undefined) out.category = pick;
    }
  }
  return out;
}

function runsOf(c: ColumnSummary): number[] {
  return valueRuns(c.sorted ?? new Float64Array(0)).map((r) => r.value);
}

/**
 * Label and prediction columns: has the mean (numeric) or a category's share moved beyond 3σ of the
 * last-known-good at the current size? The generated test checks the same (checks/dataset_drift.py,
 * section "target"). Returns the phrase for the message, or null.
 */
export function targetShift(ref: ColumnSummary, cur: ColumnSummary, column: string): string | null {
  if (ref.sorted && cur.sorted) {
    const N = ref.sorted.length;
    const n = cur.sorted.length;
    if (!N || !n) return null;
    const mr = moments(ref);
    const mc = moments(cur);
    const sd = mr.sd1 === mr.sd1 ? mr.sd1 : 0;
    const tol = 3 * sd * Math.sqrt(1 / n + 1 / N);
    if (Math.abs(mc.mean - mr.mean) <= tol + 1e-12) return null;
    return `mean of ${column} ${fmtStat(mr.mean)} → ${fmtStat(mc.mean)}, beyond ± ${fmtStat(tol)} (3σ at ${n} values)`;
  }
  if (ref.values && ref.counts && cur.values && cur.counts) {
    const N = nonNullOf(ref);
    const n = nonNullOf(cur);
    if (!N || !n) return null;
    for (let k = 0; k < ref.values.length; k++) {
      const p = ref.counts[k] / N;
      const j = cur.values.indexOf(ref.values[k]);
      const q = j < 0 ? 0 : cur.counts[j] / n;
      const tol = 3 * Math.sqrt(Math.max(p * (1 - p), 1 / N) * (1 / n + 1 / N));
      if (Math.abs(q - p) > tol + 1e-12) return `proportion of ${JSON.stringify(ref.values[k])} in ${column} ${fmtStat(p)} → ${fmtStat(q)}, beyond ± ${fmtStat(tol)} (3σ at ${n} values)`;
    }
  }
  return null;
}
