// Comparison of two summaries (last-known-good vs failing): schema (removed, added, likely renamed,
// dtype, order), row count, null rates, ranges, categories and distribution drift → typed changes.
import type { Change, ChangeSeverity, DiffResult, ParseProblem } from '../types';
import { jensenShannon, ksStatisticSorted, lowerBound, psiBand, upperBound, zTestProportions } from '../stats';
import { DRIFT_DEFAULTS, categoricalCounts, driftReference, driftTest, psiWithNulls, targetShift, testPhrase } from './drift';
import { fmtP, fmtPct, fmtPctPair, fmtStat, fmtValue, listNames } from './format';
import { isTargetName, leakageOf } from './leakage';
import { baselineFromSummary, profileColumn } from './profile';
import { isNumericDtype, nonNullOf, summarizeDataset } from './summary';
import type { ColumnDtype, ColumnSummary, DatasetInput, DatasetKind, DatasetOptions, DatasetSummary } from './types';

function levenshtein(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[n];
}

function nameSimilarity(a: string, b: string): number {
  const na = a.toLowerCase().replace(/[^a-z0-9]/g, '');
  const nb = b.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (!na || !nb) return 0;
  if (na === nb) return 1;
  if (na.startsWith(nb) || nb.startsWith(na) || na.endsWith(nb) || nb.endsWith(na)) return 0.8;
  return 1 - levenshtein(na, nb) / Math.max(na.length, nb.length);
}

/** 1 = same distribution; uses KS for numeric, 1 − JS (base 2) for categorical; null when not comparable. */
function distributionSimilarity(a: ColumnSummary, b: ColumnSummary): number | null {
  if (a.sorted && b.sorted && a.sorted.length && b.sorted.length) return 1 - ksStatisticSorted(a.sorted, b.sorted);
  if (a.values && b.values && a.values.length && b.values.length) {
    const cc = categoricalCounts(a, b);
    return 1 - jensenShannon(cc.ref, cc.cur, 2);
  }
  return null;
}

function dtypeCompatible(a: ColumnDtype, b: ColumnDtype): boolean {
  return a === b || (isNumericDtype(a) && isNumericDtype(b));
}

interface ChangeCtx {
  before: DatasetSummary;
  after: DatasetSummary;
  hasRows: boolean;
  changes: Change[];
}

function push(ctx: ChangeCtx, change: Change): void {
  ctx.changes.push(change);
}

function headerLines(ctx: ChangeCtx, b?: ColumnSummary, a?: ColumnSummary): { lineBefore?: number; lineAfter?: number } {
  const out: { lineBefore?: number; lineAfter?: number } = {};
  const lb = b ? (b.line ?? ctx.before.headerLine) : undefined;
  const la = a ? (a.line ?? ctx.after.headerLine) : undefined;
  if (lb !== undefined) out.lineBefore = lb;
  if (la !== undefined) out.lineAfter = la;
  return out;
}

function dtypeChangeSeverity(a: ColumnDtype, b: ColumnDtype): ChangeSeverity {
  if (isNumericDtype(a) && isNumericDtype(b)) return 'warning';
  if ((a === 'bool' && isNumericDtype(b)) || (b === 'bool' && isNumericDtype(a))) return 'warning';
  return 'critical';
}

function compareSummaries(before: DatasetSummary, after: DatasetSummary): Change[] {
  const hasRows = before.rowCount !== null && after.rowCount !== null;
  const ctx: ChangeCtx = { before, after, hasRows, changes: [] };
  const bNames = new Map(before.columns.map((c) => [c.name, c]));
  const aNames = new Map(after.columns.map((c) => [c.name, c]));
  const expectedColumns = before.columns.map((c) => c.name);
  const expectedDtypes = Object.fromEntries(before.columns.map((c) => [c.name, c.dtype]));

  if (before.columns.length === 0 || after.columns.length === 0) {
    if (before.columns.length === 0 && after.columns.length === 0) return [];
    const afterEmpty = after.columns.length === 0;
    push(ctx, {
      kind: 'dataset.empty',
      severity: afterEmpty ? 'critical' : 'warning',
      failureClass: 'data',
      subject: afterEmpty ? 'failing dataset' : 'last-known-good dataset',
      before: before.columns.length,
      after: after.columns.length,
      message: afterEmpty
        ? `dataset is empty or unreadable (had ${before.columns.length} columns${before.rowCount !== null ? `, ${before.rowCount} rows` : ''})`
        : `last-known-good dataset was empty or unreadable; now ${after.columns.length} columns`,
      params: { expectedColumns, expectedDtypes },
    });
    return ctx.changes;
  }

  // --- columns removed / added / renamed
  const removed = before.columns.filter((c) => !aNames.has(c.name));
  const added = after.columns.filter((c) => !bNames.has(c.name));
  const renames: { from: ColumnSummary; to: ColumnSummary; nameSim: number; distSim: number | null }[] = [];
  if (removed.length && added.length) {
    const pairs: { from: ColumnSummary; to: ColumnSummary; score: number; nameSim: number; distSim: number | null }[] = [];
    for (const r of removed)
      for (const a of added) {
        const nameSim = nameSimilarity(r.name, a.name);
        const compatible = dtypeCompatible(r.dtype, a.dtype);
        const distSim = compatible && hasRows ? distributionSimilarity(r, a) : null;
        const nullClose = !hasRows || Math.abs(r.nullCount / Math.max(r.rows, 1) - a.nullCount / Math.max(a.rows, 1)) < 0.05;
        const onlyPair = removed.length === 1 && added.length === 1;
        const likely =
          nameSim >= 0.8 ||
          (nameSim >= 0.6 && compatible) ||
          (compatible && distSim !== null && nullClose && distSim >= 0.95 && (nameSim >= 0.3 || onlyPair));
        if (likely) pairs.push({ from: r, to: a, score: nameSim + (distSim ?? 0.5) + (r.dtype === a.dtype ? 0.5 : 0), nameSim, distSim });
      }
    pairs.sort((x, y) => y.score - x.score);
    const usedFrom = new Set<string>();
    const usedTo = new Set<string>();
    for (const p of pairs) {
      if (usedFrom.has(p.from.name) || usedTo.has(p.to.name)) continue;
      usedFrom.add(p.from.name);
      usedTo.add(p.to.name);
      renames.push(p);
    }
  }
  const renamedFrom = new Set(renames.map((r) => r.from.name));
  const renamedTo = new Set(renames.map((r) => r.to.name));

  for (const r of removed) {
    if (renamedFrom.has(r.name)) continue;
    push(ctx, {
      kind: 'column.removed',
      severity: 'critical',
      failureClass: 'data',
      subject: r.name,
      before: r.name,
      after: null,
      message: `column ${r.name} removed`,
      ...headerLines(ctx, r, undefined),
      params: { column: r.name, position: r.position, dtype: r.dtype, baseline: baselineFromSummary(r, hasRows), expectedColumns, expectedDtypes },
    });
  }
  for (const rn of renames) {
    const why: string[] = [];
    if (rn.from.dtype === rn.to.dtype) why.push('same dtype');
    else why.push(`dtype ${rn.from.dtype} → ${rn.to.dtype}`);
    if (rn.distSim !== null && rn.distSim >= 0.9) why.push('similar distribution');
    push(ctx, {
      kind: 'column.renamed',
      severity: 'critical',
      failureClass: 'data',
      subject: rn.from.name,
      before: rn.from.name,
      after: rn.to.name,
      message: `column ${rn.from.name} likely renamed to ${rn.to.name} (${why.join(', ')})`,
      ...headerLines(ctx, rn.from, rn.to),
      params: {
        column: rn.from.name,
        renamedTo: rn.to.name,
        dtypeBefore: rn.from.dtype,
        dtypeAfter: rn.to.dtype,
        nameSimilarity: rn.nameSim,
        distributionSimilarity: rn.distSim,
        baseline: baselineFromSummary(rn.from, hasRows),
        expectedColumns,
      },
    });
  }
  const afterCount = after.columns.length;
  for (const a of added) {
    if (renamedTo.has(a.name)) continue;
    const atEnd = a.position >= afterCount - added.length;
    push(ctx, {
      kind: 'column.added',
      severity: atEnd ? 'info' : 'warning',
      failureClass: 'data',
      subject: a.name,
      before: null,
      after: a.name,
      message: atEnd
        ? `column ${a.name} added (${a.dtype})`
        : `column ${a.name} added at position ${a.position + 1} (${a.dtype}) — later columns shift`,
      ...headerLines(ctx, undefined, a),
      params: { column: a.name, position: a.position, dtype: a.dtype, expectedColumns, expectedDtypes },
    });
    if (hasRows) leakageChange(ctx, a, after.columns);
  }

  // --- column order (relative order of the columns present in both, renames matched)
  const toAfterName = (n: string) => renames.find((r) => r.from.name === n)?.to.name ?? n;
  const commonBefore = before.columns.map((c) => toAfterName(c.name)).filter((n) => aNames.has(n));
  const commonSet = new Set(commonBefore);
  const commonAfter = after.columns.map((c) => c.name).filter((n) => commonSet.has(n));
  const moved = movedColumns(commonBefore, commonAfter);
  if (moved.length) {
    const pos = (list: ColumnSummary[], n: string) => list.findIndex((c) => c.name === n) + 1;
    const details = moved.slice(0, 4).map((n) => {
      const orig = renames.find((r) => r.to.name === n)?.from.name ?? n;
      return `${n} ${pos(before.columns, orig)}→${pos(after.columns, n)}`;
    });
    push(ctx, {
      kind: 'column.order',
      severity: 'warning',
      failureClass: 'data',
      subject: 'columns',
      before: expectedColumns.join(','),
      after: after.columns.map((c) => c.name).join(','),
      message: `column order changed: ${moved.length} column${moved.length === 1 ? '' : 's'} moved (${details.join(', ')}${moved.length > 4 ? ', …' : ''})`,
      ...headerLines(ctx, before.columns[0], after.columns[0]),
      params: { expectedColumns, actualColumns: after.columns.map((c) => c.name), moved },
    });
  }

  // --- row count: beyond a factor of ROW_COUNT_FACTOR either way it is a warning
  if (hasRows && before.rowCount !== after.rowCount) {
    const b = before.rowCount as number;
    const a = after.rowCount as number;
    const pct = b > 0 ? ` (${a >= b ? '+' : '−'}${fmtPct(Math.abs(a - b) / b)})` : '';
    const beyond = b > 0 && (a * ROW_COUNT_FACTOR < b || a > b * ROW_COUNT_FACTOR);
    push(ctx, {
      kind: 'rows.count',
      severity: a === 0 ? 'critical' : beyond ? 'warning' : 'info',
      failureClass: 'data',
      subject: 'rows',
      before: b,
      after: a,
      message: a === 0 ? `no rows (had ${b})` : `row count ${b} → ${a}${pct}${beyond ? ` — beyond ×${ROW_COUNT_FACTOR} of the last-known-good` : ''}`,
      params: { expectedRowCount: b, rowCount: a, factor: ROW_COUNT_FACTOR, expectedColumns },
    });
  }

  // --- duplicate rows and keys that stopped being unique
  if (hasRows) duplicatesChange(ctx, aNames);

  // --- per column
  for (const bc of before.columns) {
    const ac = aNames.get(toAfterName(bc.name));
    if (!ac) continue;
    compareColumn(ctx, bc, ac, ac.name !== bc.name);
  }
  return ctx.changes;
}

/** Row counts further apart than this factor (either way) are a warning. */
export const ROW_COUNT_FACTOR = 2;
/** Null-rate and duplicate-rate changes count when a two-proportion z-test gives p below this. */
export const PROPORTION_P_VALUE = 0.01;

function leakageChange(ctx: ChangeCtx, a: ColumnSummary, afterColumns: ColumnSummary[]): void {
  const hit = leakageOf(a, afterColumns);
  if (!hit) return;
  const what = hit.otherIsLabel ? `the label ${hit.other}` : hit.other;
  const how =
    hit.measure === 'agreement'
      ? `${hit.value === 1 ? 'a copy of' : 'near-identical to'} ${what} (same value in ${fmtPct(hit.value, 1)} of ${hit.rows} sampled rows)`
      : hit.measure === 'correlation'
        ? `a rescaled copy of ${what} (|Pearson r| ${fmtStat(hit.value)} over ${hit.rows} sampled rows)`
        : `predicts ${what} (${fmtPct(hit.value, 1)} accuracy from its values, ${fmtPct(hit.baseline ?? 0, 1)} by guessing the majority, ${hit.rows} sampled rows)`;
  push(ctx, {
    kind: 'column.leakage',
    severity: hit.otherIsLabel && hit.measure !== 'accuracy' ? 'critical' : 'warning',
    failureClass: 'data',
    subject: a.name,
    before: null,
    after: hit.other,
    message: `column ${a.name} added — ${how}: possible leakage`,
    ...headerLines(ctx, undefined, a),
    params: { column: a.name, other: hit.other, otherIsLabel: hit.otherIsLabel, measure: hit.measure, value: hit.value, threshold: hit.threshold, ...(hit.baseline !== undefined ? { baseline: hit.baseline } : {}), sampledRows: hit.rows },
  });
}

function duplicateKeys(c: ColumnSummary): number {
  if (c.sorted) return c.sorted.length + c.infCount - (c.distinct ?? 0) - (c.infCount > 0 ? 1 : 0);
  return c.values ? nonNullOf(c) - c.values.length : 0;
}

function duplicatesChange(ctx: ChangeCtx, aNames: Map<string, ColumnSummary>): void {
  const { before, after } = ctx;
  const nb = before.rowCount as number;
  const na = after.rowCount as number;
  const db = before.duplicateRows;
  const da = after.duplicateRows;
  // key columns: unique, id-like columns of the last-known-good that now repeat values
  const keys = before.columns
    .filter((c) => c.identifier && aNames.has(c.name))
    .map((c) => ({ column: c.name, duplicatesAfter: duplicateKeys(aNames.get(c.name) as ColumnSummary) }));
  const brokenKeys = keys.filter((k) => k.duplicatesAfter > 0);
  let rowsUp = false;
  let z = { statistic: 0, pValue: 1 };
  if (db !== undefined && da !== undefined && nb > 0 && na > 0 && da / na > db / nb) {
    z = zTestProportions(da, na, db, nb);
    rowsUp = z.pValue < PROPORTION_P_VALUE;
  }
  if (!rowsUp && !brokenKeys.length) return;
  const share = na > 0 && da !== undefined ? da / na : 0;
  const parts: string[] = [];
  if (rowsUp)
    parts.push(`${da} duplicate row${da === 1 ? '' : 's'} (${fmtPct(share)} of ${na}; last-known-good ${db} of ${nb}, z-test p-value ${fmtP(z.pValue)} < ${PROPORTION_P_VALUE})`);
  for (const k of brokenKeys) parts.push(`key ${k.column} no longer unique (${k.duplicatesAfter} repeated value${k.duplicatesAfter === 1 ? '' : 's'})`);
  push(ctx, {
    kind: 'rows.duplicates',
    severity: share >= 0.1 ? 'critical' : 'warning',
    failureClass: 'data',
    subject: 'rows',
    before: db ?? null,
    after: da ?? null,
    message: parts.join('; '),
    params: {
      duplicateRowsBefore: db ?? null,
      duplicateRowsAfter: da ?? null,
      rowsBefore: nb,
      rowsAfter: na,
      zTestPValue: z.pValue,
      threshold: PROPORTION_P_VALUE,
      keys: keys.map((k) => k.column),
      brokenKeys: brokenKeys.map((k) => k.column),
    },
  });
}

/**
 * Columns that moved: those outside a longest run kept in the same relative order (the longest
 * increasing subsequence of before-positions read in after order), listed in before order.
 */
function movedColumns(before: string[], after: string[]): string[] {
  const posBefore = new Map(before.map((n, i) => [n, i]));
  const seq = after.map((n) => posBefore.get(n) as number);
  // patience sorting LIS with back-pointers
  const tailsIdx: number[] = [];
  const prev = new Array<number>(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tailsIdx.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seq[tailsIdx[mid]] < seq[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tailsIdx[lo - 1];
    tailsIdx[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tailsIdx.length ? tailsIdx[tailsIdx.length - 1] : -1; i >= 0; i = prev[i]) keep.add(seq[i]);
  return before.filter((_, i) => !keep.has(i));
}

function compareColumn(ctx: ChangeCtx, b: ColumnSummary, a: ColumnSummary, renamed: boolean): void {
  const hasRows = ctx.hasRows;
  const baseline = baselineFromSummary(b, hasRows);
  const subject = a.name;
  // dtype (not when a side has no values to tell, nor for a rename: its message names the dtypes)
  const evidence = !hasRows || (nonNullOf(b) > 0 && nonNullOf(a) > 0);
  if (renamed || !evidence) {
    // nothing
  } else if (b.dtype !== a.dtype) {
    push(ctx, {
      kind: 'column.dtype',
      severity: dtypeChangeSeverity(b.dtype, a.dtype),
      failureClass: 'data',
      subject,
      before: b.dtype,
      after: a.dtype,
      message: `dtype of ${subject} changed ${b.dtype} → ${a.dtype}${isNumericDtype(b.dtype) && a.dtype === 'string' ? ' (non-numeric values present)' : ''}`,
      ...headerLines(ctx, b, a),
      params: { column: subject, baseline, sourceTypeBefore: b.sourceType, sourceTypeAfter: a.sourceType },
    });
  } else if (b.sourceType && a.sourceType && b.sourceType !== a.sourceType) {
    push(ctx, {
      kind: 'column.dtype',
      severity: 'info',
      failureClass: 'data',
      subject,
      before: b.sourceType,
      after: a.sourceType,
      message: `storage type of ${subject} changed ${b.sourceType} → ${a.sourceType}`,
      ...headerLines(ctx, b, a),
      params: { column: subject, baseline },
    });
  }
  if (!hasRows) {
    if (b.nullable !== undefined && a.nullable !== undefined && b.nullable !== a.nullable) {
      push(ctx, {
        kind: 'column.nullable',
        severity: a.nullable ? 'warning' : 'info',
        failureClass: 'data',
        subject,
        before: b.nullable,
        after: a.nullable,
        message: a.nullable ? `${subject} became nullable` : `${subject} is no longer nullable`,
        ...headerLines(ctx, b, a),
        params: { column: subject, baseline },
      });
    }
    return;
  }
  if (b.rows === 0 || a.rows === 0) return;

  // null rate
  const rb = b.nullCount / b.rows;
  const ra = a.nullCount / a.rows;
  if (rb !== ra) {
    // The decision is a two-proportion z-test (p < 0.01), the same one the generated test makes at the
    // size of the data it checks; PSI (with a missing bucket) only grades how far it moved.
    const delta = ra - rb;
    const z = zTestProportions(a.nullCount, a.rows, b.nullCount, b.rows);
    const appeared = rb === 0 && ra > 0;
    const vanished = ra === 0 && rb > 0;
    const significant = z.pValue < PROPORTION_P_VALUE;
    if (appeared || vanished || significant || Math.abs(delta) >= 0.05) {
      const psiN = psiWithNulls(b, a);
      let severity: ChangeSeverity;
      if (!significant) severity = 'info';
      else if (ra === 1 || delta >= 0.2 || (delta > 0 && psiN >= DRIFT_DEFAULTS.psiSignificant)) severity = 'critical';
      else if (delta > 0) severity = 'warning';
      else severity = Math.abs(delta) >= 0.2 ? 'warning' : 'info';
      const band = psiBand(psiN);
      const [pb, pa] = fmtPctPair(rb, ra);
      const tail = band === 'significant' ? 'drift' : band === 'moderate' ? 'moderate drift' : 'no drift';
      const what = ra === 1 ? ` — ${subject} is entirely null` : appeared ? ' — nulls where there were none' : '';
      const test = `z-test p-value ${fmtP(z.pValue)} ${significant ? '<' : '≥'} ${PROPORTION_P_VALUE}`;
      push(ctx, {
        kind: 'nulls.rate',
        severity,
        failureClass: 'data',
        subject,
        before: rb,
        after: ra,
        message: `null rate of ${subject} ${pb} → ${pa} (${test}; PSI ${fmtStat(psiN)}, ${tail})${what}`,
        params: {
          column: subject,
          nullRateBefore: rb,
          nullRateAfter: ra,
          nullCountBefore: b.nullCount,
          nullCountAfter: a.nullCount,
          rowsBefore: b.rows,
          rowsAfter: a.rows,
          psi: psiN,
          psiBand: band,
          psiThresholds: [DRIFT_DEFAULTS.psiModerate, DRIFT_DEFAULTS.psiSignificant],
          zTestPValue: z.pValue,
          threshold: PROPORTION_P_VALUE,
          baseline,
        },
      });
    }
  }

  const numericBoth = isNumericDtype(b.dtype) && isNumericDtype(a.dtype) && b.sorted && a.sorted;
  const skipStats = b.identifier || a.identifier;

  // range (numeric and datetime)
  if (!skipStats && b.sorted && a.sorted && b.sorted.length && a.sorted.length && (numericBoth || (b.dtype === 'datetime' && a.dtype === 'datetime'))) {
    const bs = b.sorted;
    const as = a.sorted;
    const min = bs[0];
    const max = bs[bs.length - 1];
    const below = lowerBound(as, min);
    const above = as.length - upperBound(as, max);
    if (below + above > 0) {
      const frac = (below + above) / as.length;
      const negatives = min >= 0 && as[0] < 0;
      let severity: ChangeSeverity = frac >= 0.1 ? 'critical' : frac >= 0.01 ? 'warning' : 'info';
      if (b.dtype === 'datetime') severity = 'info';
      else if (negatives && severity === 'info') severity = 'warning';
      const fmtR = (lo: number, hi: number) => `${fmtValue(b, lo)} … ${fmtValue(b, hi)}`;
      push(ctx, {
        kind: 'range.changed',
        severity,
        failureClass: 'data',
        subject,
        before: fmtR(min, max),
        after: fmtR(as[0], as[as.length - 1]),
        message: `${subject} outside the reference range ${fmtR(min, max)}: now ${fmtR(as[0], as[as.length - 1])} (${fmtPct(frac)} of values${negatives ? ', negative values appeared' : ''})`,
        params: { column: subject, min, max, newMin: as[0], newMax: as[as.length - 1], below, above, fractionOutside: frac, baseline },
      });
    }
  }

  // categories
  const categorical = (b.dtype === 'string' || b.dtype === 'bool') && (a.dtype === 'string' || a.dtype === 'bool');
  if (categorical && !skipStats && !b.highCardinality && !a.highCardinality && b.values && a.values && b.values.length && a.values.length) {
    const bSet = new Set(b.values);
    const aSet = new Set(a.values);
    const newOnes = a.values.filter((v) => !bSet.has(v));
    const gone = b.values.filter((v) => !aSet.has(v));
    const nA = nonNullOf(a);
    const nB = nonNullOf(b);
    if (newOnes.length) {
      const cnt = newOnes.reduce((s, v) => s + (a.counts as number[])[a.values!.indexOf(v)], 0);
      const share = cnt / nA;
      push(ctx, {
        kind: 'category.new',
        severity: share >= 0.05 ? 'critical' : 'warning',
        failureClass: 'data',
        subject,
        before: null,
        after: newOnes.slice(0, 20).join(', '),
        message: `new categor${newOnes.length === 1 ? 'y' : 'ies'} in ${subject}: ${listNames(newOnes)} (${fmtPct(share)} of values)`,
        params: { column: subject, newCategories: newOnes.slice(0, 100), share, count: cnt, baseline },
      });
    }
    if (gone.length) {
      const cnt = gone.reduce((s, v) => s + (b.counts as number[])[b.values!.indexOf(v)], 0);
      const share = cnt / nB;
      push(ctx, {
        kind: 'category.vanished',
        severity: share >= 0.05 ? 'warning' : 'info',
        failureClass: 'data',
        subject,
        before: gone.slice(0, 20).join(', '),
        after: null,
        message: `categor${gone.length === 1 ? 'y' : 'ies'} no longer seen in ${subject}: ${listNames(gone)} (${fmtPct(share)} of reference values)`,
        params: {
          column: subject,
          vanishedCategories: gone.slice(0, 100),
          vanishedShares: Object.fromEntries(gone.slice(0, 100).map((v) => [v, (b.counts as number[])[b.values!.indexOf(v)] / nB])),
          share,
          count: cnt,
          baseline,
        },
      });
    }
  }

  // drift
  if (skipStats) return;
  let kind: 'drift.numeric' | 'drift.categorical' | null = null;
  if (numericBoth) kind = 'drift.numeric';
  else if (categorical && !b.highCardinality && !a.highCardinality) kind = 'drift.categorical';
  if (!kind) return;
  const r = driftTest(b, a, kind === 'drift.numeric');
  if (!r) return;
  const band = psiBand(r.psi);
  // a label or prediction column whose mean / proportion moved is worth a finding even where the
  // default test (Jensen–Shannon on a balanced label, say) sees no drift
  const target = isTargetName(subject);
  const shift = target ? targetShift(b, a, subject) : null;
  if (!r.test.drift && band !== 'significant' && !shift) return;
  const severity: ChangeSeverity = r.test.drift ? (band === 'significant' ? 'critical' : 'warning') : shift ? 'warning' : 'info';
  const psiText = `PSI ${fmtStat(r.psi)}${band === 'none' ? '' : ` (${band})`}`;
  const message = r.test.drift
    ? `distribution drift in ${subject}: ${testPhrase(r.test)} (Evidently default, ${r.test.rule}); ${psiText}${shift ? `; ${shift}` : ''}`
    : shift
      ? `${shift} — a label / prediction column; no drift by the default test: ${testPhrase(r.test)} (${r.test.rule})`
      : `${psiText} in ${subject}, but no drift by the default test: ${testPhrase(r.test)} (${r.test.rule})`;
  const summaryB = profileColumn(b, true);
  const summaryA = profileColumn(a, true);
  push(ctx, {
    kind,
    severity,
    failureClass: 'data',
    subject,
    before: summaryB.mean !== undefined ? summaryB.mean : (summaryB.topCategories?.[0]?.value ?? null),
    after: summaryA.mean !== undefined ? summaryA.mean : (summaryA.topCategories?.[0]?.value ?? null),
    message,
    params: {
      column: subject,
      test: r.test.test,
      testLabel: r.test.label,
      statistic: r.test.statistic,
      pValue: r.test.pValue,
      threshold: r.test.threshold,
      drift: r.test.drift,
      rule: r.test.rule,
      referenceRows: kind === 'drift.numeric' ? b.sorted!.length : nonNullOf(b),
      currentRows: kind === 'drift.numeric' ? a.sorted!.length : nonNullOf(a),
      psi: r.psi,
      psiBand: band,
      psiThresholds: [DRIFT_DEFAULTS.psiModerate, DRIFT_DEFAULTS.psiSignificant],
      ...r.extra,
      reference: driftReference(b, a, r.test.test),
      ...(target ? { target: true } : {}),
      ...(shift ? { targetShift: shift } : {}),
      baseline,
    },
  });
}

const SEVERITY_ORDER: Record<ChangeSeverity, number> = { critical: 0, warning: 1, info: 2 };
const KIND_ORDER = [
  'dataset.empty',
  'column.removed',
  'column.renamed',
  'column.dtype',
  'column.leakage',
  'column.added',
  'column.order',
  'column.nullable',
  'nulls.rate',
  'category.new',
  'range.changed',
  'drift.numeric',
  'drift.categorical',
  'category.vanished',
  'rows.duplicates',
  'rows.count',
];


function resultKindOf(kind: DatasetKind): DiffResult['kind'] {
  return kind === 'parquet' ? 'parquet' : kind === 'schema' ? 'schema' : 'csv';
}

/** Compares two summaries (last-known-good `before`, failing `after`); see diffDataset. */
export function diffDatasetSummaries(before: DatasetSummary, after: DatasetSummary, kind: DatasetKind): DiffResult {
  const resultKind = resultKindOf(kind);
  const problems: ParseProblem[] = [
    ...before.problems.map((p) => ({ ...p, side: 'before' as const })),
    ...after.problems.map((p) => ({ ...p, side: 'after' as const })),
  ];
  let changes: Change[];
  try {
    changes = compareSummaries(before, after);
  } catch (e) {
    problems.push({ message: `dataset comparison failed: ${(e as Error).message}` });
    changes = [];
  }
  changes.sort(
    (x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind),
  );
  return { kind: resultKind, changes, problems, noSemanticChange: changes.length === 0 };
}

/**
 * Compares two dataset samples (last-known-good `before`, failing `after`): schema (columns removed,
 * added, likely renamed, dtype, order), row count, null rates, ranges, categories and distribution drift
 * with Evidently's default tests. Never throws on bad input; parse problems come back in `problems`.
 * Sides are summarised one after the other so only one side's raw columns are alive at a time.
 */
export function diffDataset(before: DatasetInput, after: DatasetInput, kind: DatasetKind, opts: DatasetOptions = {}): DiffResult {
  const sb = summarizeDataset(before, kind, opts);
  if (before.bytes.length === after.bytes.length && sameBytes(before.bytes, after.bytes)) {
    // identical inputs: nothing to compare, the same problems on both sides
    const problems: ParseProblem[] = (['before', 'after'] as const).flatMap((side) => sb.problems.map((p) => ({ ...p, side })));
    return { kind: resultKindOf(kind), changes: [], problems, noSemanticChange: true };
  }
  return diffDatasetSummaries(sb, summarizeDataset(after, kind, opts), kind);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  // compare 4 bytes at a time where aligned
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const n4 = a.length >> 2;
    const wa = new Int32Array(a.buffer, a.byteOffset, n4);
    const wb = new Int32Array(b.buffer, b.byteOffset, n4);
    for (let i = 0; i < n4; i++) if (wa[i] !== wb[i]) return false;
    for (let i = n4 << 2; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
