// Profiles (pandas-describe-like per column statistics) and baselines for generated tests.
import { distinctSorted, quantileSorted } from '../stats';
import { fmtNum } from './format';
import { moments, nonNullOf, summarize, summarizeDataset } from './summary';
import type { ColumnBaseline, ColumnDtype, ColumnProfile, ColumnSummary, DatasetBaseline, DatasetInput, DatasetKind, DatasetOptions, DatasetProfile, DatasetSummary, ParsedDataset } from './types';

const profileCache = new WeakMap<ColumnSummary, ColumnProfile>();

/** Profile of one column (memoised per summary: diffs ask for the same column several times). */
export function profileColumn(c: ColumnSummary, hasData: boolean): ColumnProfile {
  const cached = profileCache.get(c);
  if (cached && cached.count === (hasData ? nonNullOf(c) : 0)) return cached;
  const p = computeColumnProfile(c, hasData);
  profileCache.set(c, p);
  return p;
}

function computeColumnProfile(c: ColumnSummary, hasData: boolean): ColumnProfile {
  const p: ColumnProfile = {
    name: c.name,
    position: c.position,
    dtype: c.dtype,
    rows: c.rows,
    count: hasData ? nonNullOf(c) : 0,
    nullCount: c.nullCount,
    nullRate: c.rows > 0 ? c.nullCount / c.rows : 0,
    distinct: 0,
  };
  if (c.sourceType) p.sourceType = c.sourceType;
  if (c.nullable !== undefined) p.nullable = c.nullable;
  if (c.sorted) {
    const s = c.sorted;
    p.distinct = (c.distinct ?? distinctSorted(s)) + (c.infCount > 0 ? 1 : 0);
    if (s.length) {
      p.min = s[0];
      p.max = s[s.length - 1];
      if (c.dtype === 'datetime') {
        p.minIso = new Date(p.min).toISOString();
        p.maxIso = new Date(p.max).toISOString();
      } else {
        const { mean, sd1 } = moments(c);
        p.mean = mean;
        if (sd1 === sd1) p.std = sd1;
      }
      p.quantiles = {
        p5: quantileSorted(s, 0.05),
        p25: quantileSorted(s, 0.25),
        p50: quantileSorted(s, 0.5),
        p75: quantileSorted(s, 0.75),
        p95: quantileSorted(s, 0.95),
      };
      if (c.dtype !== 'datetime' && p.distinct <= 20) {
        const runs = valueRuns(s);
        runs.sort((a, b) => b.count - a.count || a.value - b.value);
        p.topCategories = runs.slice(0, 10).map((r) => ({ value: fmtNum(r.value), count: r.count }));
      }
    }
  } else if (c.values && c.counts) {
    p.distinct = c.values.length;
    p.topCategories = c.values.slice(0, 10).map((value, i) => ({ value, count: (c.counts as number[])[i] }));
  }
  if (c.identifier) p.identifier = true;
  if (c.highCardinality) p.highCardinality = true;
  return p;
}

export function valueRuns(sorted: Float64Array): { value: number; count: number }[] {
  const out: { value: number; count: number }[] = [];
  let i = 0;
  while (i < sorted.length) {
    const v = sorted[i];
    let j = i + 1;
    while (j < sorted.length && sorted[j] === v) j++;
    out.push({ value: v, count: j - i });
    i = j;
  }
  return out;
}

function profileFromSummary(s: DatasetSummary): DatasetProfile {
  const hasData = s.rowCount !== null;
  const out: DatasetProfile = {
    format: s.format,
    rowCount: s.rowCount,
    columns: s.columns.map((c) => profileColumn(c, hasData)),
    problems: s.problems,
  };
  if (s.delimiter !== undefined) out.delimiter = s.delimiter;
  return out;
}

/** Parses and profiles a dataset sample: per column count, nulls, distinct, min/max/mean/std/quantiles, top categories. */
export function profileDataset(input: DatasetInput, kind: DatasetKind, opts: DatasetOptions = {}): DatasetProfile {
  return profileFromSummary(summarizeDataset(input, kind, opts));
}

/** Profile of an already parsed dataset. */
export function profileParsed(ds: ParsedDataset): DatasetProfile {
  return profileFromSummary(summarize(ds));
}

function columnBaseline(p: ColumnProfile, hasRows: boolean): ColumnBaseline {
  const b: ColumnBaseline = {
    name: p.name,
    position: p.position,
    dtype: p.dtype,
    nullable: hasRows ? p.nullCount > 0 : p.nullable !== false,
    nullRate: hasRows ? p.nullRate : null,
    nullRateCeiling: null,
  };
  if (hasRows && p.rows > 0) {
    const r = p.nullRate;
    const margin = Math.max(0.02, 3 * Math.sqrt((r * (1 - r)) / p.rows));
    b.nullRateCeiling = Math.min(1, Math.ceil((r + margin) * 100 - 1e-9) / 100);
  }
  if (p.min !== undefined) b.min = p.min;
  if (p.max !== undefined) b.max = p.max;
  if (p.quantiles) b.quantiles = p.quantiles;
  if (
    (p.dtype === 'string' || p.dtype === 'bool') &&
    p.topCategories &&
    p.topCategories.length === p.distinct && // complete: the profile keeps only the top 10
    !p.highCardinality &&
    !p.identifier
  ) {
    b.categories = p.topCategories.map((t) => t.value);
  }
  return b;
}

/** Baseline values for generated tests: expected columns and order, dtypes, null-rate ceilings, ranges, category sets. */
export function datasetBaseline(profile: DatasetProfile): DatasetBaseline {
  const hasRows = profile.rowCount !== null;
  const perColumn: Record<string, ColumnBaseline> = {};
  const dtypes: Record<string, ColumnDtype> = {};
  for (const c of profile.columns) {
    perColumn[c.name] = columnBaseline(c, hasRows);
    dtypes[c.name] = c.dtype;
  }
  return { columns: profile.columns.map((c) => c.name), dtypes, rowCount: profile.rowCount, perColumn };
}

export function baselineFromSummary(c: ColumnSummary, hasRows: boolean): ColumnBaseline {
  const b = columnBaseline(profileColumn(c, hasRows), hasRows);
  // the summary has every category: give the full set up to 100
  if ((c.dtype === 'string' || c.dtype === 'bool') && c.values && c.values.length <= 100 && !c.highCardinality && !c.identifier)
    b.categories = c.values.slice();
  return b;
}

/** Profile of a summary (same as profileDataset on the input it came from). */
export function profileSummary(s: DatasetSummary): DatasetProfile {
  return profileFromSummary(s);
}
