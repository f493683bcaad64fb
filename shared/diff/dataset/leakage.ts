// Row-aligned associations between columns of one side, on its row sample (summary.sample): is an
// added column a copy of another column, or does it predict the label? Either is possible leakage
// (a feature that carries the answer). Three measures, also recomputed by the generated test
// (templates/checks/dataset_leakage.py) on the whole dataset:
//   agreement  share of rows where both columns hold the same value (both missing counts as equal);
//              only between two numeric or two text columns
//   correlation  |Pearson r| between two numeric columns (a rescaled copy)
//   accuracy   share of rows whose label is the most common label among rows with the same value of
//              the column (numeric columns with many values are cut into 20 quantile bins first);
//              only towards a label column, and only when it beats always guessing the majority label
import { upperBound, quantileSorted } from '../stats';
import type { ColumnSummary } from './types';

export const LEAKAGE_THRESHOLDS = { agreement: 0.98, correlation: 0.98, accuracy: 0.95, bins: 20, maxClasses: 50 } as const;

export type LeakageMeasure = 'agreement' | 'correlation' | 'accuracy';

export interface LeakageHit {
  /** The column it copies or predicts. */
  other: string;
  otherIsLabel: boolean;
  measure: LeakageMeasure;
  value: number;
  threshold: number;
  /** accuracy only: share of the most common label (what guessing alone achieves). */
  baseline?: number;
  rows: number;
}

const LABEL_NAME =
  /^(y|label|labels|target|class|outcome|survived|churn(ed)?|default(ed)?|fraud|is_fraud|employed|converted|clicked|y_true|ground_truth)$|(^|[_\s.-])(target|label|y_true|ground_truth)([_\s.-]|$)/i;
const PREDICTION_NAME = /(^|[_\s.-])(y_pred|pred|preds|prediction|predictions|predicted|proba|probability|prob|score|scores)([_\s.-]|$)|^y_pred/i;

/** A column named like a label (ground truth): Survived, target, clf_target, label, y_true… */
export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name) && !PREDICTION_NAME.test(name);
}

/** A column named like a label or a model output (y_pred_proba, prediction, score…). */
export function isTargetName(name: string): boolean {
  return LABEL_NAME.test(name) || PREDICTION_NAME.test(name);
}

/** Sample values as comparable keys: numbers (NaN = missing) or strings (null = missing). */
function keysOf(c: ColumnSummary): (number | string | null)[] | null {
  const s = c.sample;
  if (!s) return null;
  if (s instanceof Float64Array) return Array.from(s, (x) => (x !== x ? null : x));
  const values = c.values ?? [];
  return Array.from(s, (k) => (k < 0 ? null : values[k]));
}

function agreement(a: (number | string | null)[], b: (number | string | null)[]): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return a.length ? same / a.length : 0;
}

function correlation(a: (number | string | null)[], b: (number | string | null)[]): { r: number; n: number } {
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number' && typeof y === 'number') {
      n++;
      sa += x;
      sb += y;
    }
  }
  if (n < 3) return { r: 0, n };
  const ma = sa / n;
  const mb = sb / n;
  let cab = 0;
  let caa = 0;
  let cbb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number' && typeof y === 'number') {
      cab += (x - ma) * (y - mb);
      caa += (x - ma) ** 2;
      cbb += (y - mb) ** 2;
    }
  }
  return { r: caa > 0 && cbb > 0 ? cab / Math.sqrt(caa * cbb) : 0, n };
}

/** The column's values as classes: as they are when few, else numeric values cut at sample quantiles. */
function classes(a: (number | string | null)[], numeric: boolean): (number | string | null)[] | null {
  const distinct = new Set(a.filter((x) => x !== null));
  if (distinct.size <= LEAKAGE_THRESHOLDS.maxClasses) return a;
  if (!numeric) return null; // free text or ids: every value its own class would "predict" anything
  const sorted = Float64Array.from(a.filter((x): x is number => typeof x === 'number')).sort();
  const edges: number[] = [];
  for (let k = 1; k < LEAKAGE_THRESHOLDS.bins; k++) {
    const e = quantileSorted(sorted, k / LEAKAGE_THRESHOLDS.bins);
    if (!edges.length || e > edges[edges.length - 1]) edges.push(e);
  }
  return a.map((x) => (typeof x === 'number' ? upperBound(edges, x) : null));
}

/** Accuracy of predicting `label` by the majority label per class of `a`, and the majority share. */
function accuracy(a: (number | string | null)[], label: (number | string | null)[]): { acc: number; base: number; n: number } {
  const byClass = new Map<number | string, Map<number | string, number>>();
  const overall = new Map<number | string, number>();
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = label[i];
    if (x === null || y === null) continue;
    n++;
    let m = byClass.get(x);
    if (!m) byClass.set(x, (m = new Map()));
    m.set(y, (m.get(y) ?? 0) + 1);
    overall.set(y, (overall.get(y) ?? 0) + 1);
  }
  if (n === 0) return { acc: 0, base: 1, n };
  let hit = 0;
  for (const m of byClass.values()) hit += Math.max(...m.values());
  return { acc: hit / n, base: Math.max(...overall.values()) / n, n };
}

/**
 * The strongest sign that `added` copies or predicts another column of the same side, or null.
 * `others` are that side's other columns (the label among them is recognised by its name).
 */
export function leakageOf(added: ColumnSummary, others: ColumnSummary[]): LeakageHit | null {
  const a = keysOf(added);
  if (!a || a.length < 20 || added.identifier) return null;
  const aNumeric = added.sample instanceof Float64Array;
  const T = LEAKAGE_THRESHOLDS;
  let best: LeakageHit | null = null;
  const consider = (h: LeakageHit) => {
    const rank = (x: LeakageHit) => (x.otherIsLabel ? 2 : 0) + (x.measure === 'agreement' ? 1 : 0) + x.value / 10;
    if (!best || rank(h) > rank(best)) best = h;
  };
  for (const o of others) {
    if (o.name === added.name || o.identifier) continue;
    const b = keysOf(o);
    if (!b || b.length !== a.length) continue;
    const bNumeric = o.sample instanceof Float64Array;
    const label = isLabelName(o.name);
    if (aNumeric === bNumeric) {
      const ag = agreement(a, b);
      if (ag >= T.agreement) {
        consider({ other: o.name, otherIsLabel: label, measure: 'agreement', value: ag, threshold: T.agreement, rows: a.length });
        continue;
      }
    }
    if (aNumeric && bNumeric) {
      const { r, n } = correlation(a, b);
      if (Math.abs(r) >= T.correlation && n >= 20) {
        consider({ other: o.name, otherIsLabel: label, measure: 'correlation', value: Math.abs(r), threshold: T.correlation, rows: n });
        continue;
      }
    }
    if (label) {
      const labelClasses = new Set(b.filter((x) => x !== null));
      if (labelClasses.size < 2 || labelClasses.size > T.maxClasses) continue;
      const ca = classes(a, aNumeric);
      if (!ca) continue;
      const { acc, base, n } = accuracy(ca, b);
      if (n >= 20 && acc >= T.accuracy && acc >= base + (1 - base) / 2)
        consider({ other: o.name, otherIsLabel: true, measure: 'accuracy', value: acc, threshold: T.accuracy, baseline: base, rows: n });
    }
  }
  return best;
}
