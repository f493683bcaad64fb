// Dataset diff on real files (NannyML sample datasets, see test/fixtures/real/NOTICE.md) and on
// perturbations of them made here: dropped column, injected nulls, dtype change, shuffled column order,
// shifted distribution, renamed column, identical files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  datasetBaseline,
  diffDataset,
  diffDatasetSummaries,
  profileDataset,
  summarizeDataset,
  summaryTransferables,
  type DatasetInput,
} from '../../shared/diff/dataset';
import type { Change, DiffResult } from '../../shared/diff/types';

const DATA = join(__dirname, '..', 'fixtures', 'real', 'data');
const real = (f: string): DatasetInput => ({ name: f, bytes: new Uint8Array(readFileSync(join(DATA, f))) });
const enc = new TextEncoder();
const csv = (name: string, text: string): DatasetInput => ({ name, bytes: enc.encode(text) });

type Table = { header: string[]; rows: string[][] };
function readTable(f: string): Table {
  const parsed = Papa.parse<string[]>(readFileSync(join(DATA, f), 'utf8'), { header: false, skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  return { header, rows };
}
function writeTable(t: Table, name = 'failing.csv'): DatasetInput {
  return csv(name, Papa.unparse([t.header, ...t.rows], { newline: '\n' }) + '\n');
}
function col(t: Table, name: string): number {
  const i = t.header.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return i;
}
const byKind = (r: DiffResult, kind: string, subject?: string): Change[] =>
  r.changes.filter((c) => c.kind === kind && (subject === undefined || c.subject === subject));

describe('real datasets (NannyML)', () => {
  it('titanic reference vs analysis: "column Survived removed", critical, data', () => {
    const r = diffDataset(real('titanic_reference.csv'), real('titanic_analysis.csv'), 'csv');
    expect(r.problems).toEqual([]);
    const removed = byKind(r, 'column.removed');
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatchObject({
      subject: 'Survived',
      severity: 'critical',
      failureClass: 'data',
      message: 'column Survived removed',
      before: 'Survived',
      after: null,
      lineBefore: 1,
    });
    const baseline = (removed[0].params as { baseline: { dtype: string; min: number; max: number } }).baseline;
    expect(baseline).toMatchObject({ dtype: 'int', min: 0, max: 1 });
    // critical first
    expect(r.changes[0].severity).toBe('critical');
    // less than half the rows: beyond the row-count tolerance (×2 either way)
    expect(byKind(r, 'rows.count')[0]).toMatchObject({ before: 891, after: 418, severity: 'warning' });
    expect(byKind(r, 'rows.count')[0].message).toBe('row count 891 → 418 (−53%) — beyond ×2 of the last-known-good');
    // identifiers and free-text columns are not drift-tested
    expect(r.changes.some((c) => ['PassengerId', 'Name', 'Ticket'].includes(c.subject))).toBe(false);
  });

  it('california housing reference vs analysis: drift found with the statistic and threshold named', () => {
    const r = diffDataset(real('california_housing_reference.csv'), real('california_housing_analysis.csv'), 'csv');
    expect(r.problems).toEqual([]);
    expect(byKind(r, 'column.removed').map((c) => c.subject)).toEqual(['clf_target']);
    const drift = byKind(r, 'drift.numeric');
    expect(drift.length).toBeGreaterThan(0);
    const lat = drift.find((c) => c.subject === 'Latitude');
    expect(lat).toBeDefined();
    // 5832 reference rows > 1000 → Evidently's default is the normed Wasserstein distance, threshold 0.1
    expect(lat!.message).toMatch(/^distribution drift in Latitude: Wasserstein distance \(normed\) [\d.]+ ≥ 0\.1 .*PSI [\d.]+/);
    expect(lat!.params).toMatchObject({ test: 'wasserstein-normed', threshold: 0.1, drift: true, referenceRows: 5832 });
    expect((lat!.params as { statistic: number }).statistic).toBeGreaterThan(0.1);
    // the timestamp moves forward: reported as a range change, info
    expect(byKind(r, 'range.changed', 'timestamp')[0]?.severity).toBe('info');
    // y_pred has 2 values → treated as categorical: Jensen–Shannon
    expect(drift.find((c) => c.subject === 'y_pred')?.message).toMatch(/Jensen–Shannon distance/);
  });

  it('employment_MA parquet pair parses and profiles (real Parquet files)', () => {
    const ref = profileDataset(real('employment_MA_reference.pq'), 'parquet');
    const ana = profileDataset(real('employment_MA_analysis.pq'), 'parquet');
    expect(ref.problems).toEqual([]);
    expect(ref.rowCount).toBe(68785);
    expect(ana.rowCount).toBe(208892);
    expect(ref.columns).toHaveLength(21);
    expect(ana.columns).toHaveLength(20);
    const agep = ref.columns.find((c) => c.name === 'AGEP')!;
    expect(agep).toMatchObject({ dtype: 'float', sourceType: 'DOUBLE', nullCount: 0, count: 68785, min: 0, max: 94 });
    expect(agep.quantiles!.p50).toBeGreaterThan(20);
    const sex = ref.columns.find((c) => c.name === 'SEX')!;
    expect(sex).toMatchObject({ dtype: 'string', distinct: 2 });
    expect(sex.topCategories!.map((t) => t.value).sort()).toEqual(['1', '2']);
    expect(ref.columns.find((c) => c.name === 'id')).toMatchObject({ dtype: 'int', identifier: true });
    const r = diffDataset(real('employment_MA_reference.pq'), real('employment_MA_analysis.pq'), 'parquet');
    expect(r.kind).toBe('parquet');
    expect(byKind(r, 'column.removed').map((c) => c.subject)).toEqual(['employed']);
    expect(byKind(r, 'drift.numeric', 'year')[0]?.message).toMatch(/Jensen–Shannon distance/);
  }, 60_000);

  it('summaries are plain data: cloned (as postMessage does) they compare the same as diffDataset', () => {
    const a = real('titanic_reference.csv');
    const b = real('titanic_analysis.csv');
    const sa = structuredClone(summarizeDataset(a, 'csv'));
    const sb = structuredClone(summarizeDataset(b, 'csv'));
    expect(summaryTransferables(sa).length).toBeGreaterThan(0);
    expect(diffDatasetSummaries(sa, sb, 'csv')).toEqual(diffDataset(a, b, 'csv'));
  });

  it('profiles the titanic reference like pandas describe()', () => {
    const p = profileDataset(real('titanic_reference.csv'), 'csv');
    expect(p.rowCount).toBe(891);
    expect(p.delimiter).toBe(',');
    const age = p.columns.find((c) => c.name === 'Age')!;
    // pandas: count 714, mean 29.699118, std 14.526497, min 0.42, 25% 20.125, 50% 28, 75% 38, max 80
    expect(age).toMatchObject({ dtype: 'float', count: 714, nullCount: 177, min: 0.42, max: 80 });
    expect(age.mean).toBeCloseTo(29.699118, 6);
    expect(age.std).toBeCloseTo(14.526497, 6);
    expect(age.quantiles).toMatchObject({ p25: 20.125, p50: 28, p75: 38 });
    expect(age.nullRate).toBeCloseTo(177 / 891, 12);
    expect(p.columns.find((c) => c.name === 'Sex')!.topCategories).toEqual([
      { value: 'male', count: 577 },
      { value: 'female', count: 314 },
    ]);
    expect(p.columns.find((c) => c.name === 'Pclass')).toMatchObject({ dtype: 'int', distinct: 3 });
    expect(p.columns.find((c) => c.name === 'Name')).toMatchObject({ dtype: 'string', distinct: 891, highCardinality: true });
    expect(p.columns.find((c) => c.name === 'Embarked')).toMatchObject({ nullCount: 2, distinct: 3 });
  });
});

describe('perturbations of the real titanic file', () => {
  const ref = readTable('titanic_reference.csv');
  const refInput = real('titanic_reference.csv');

  it('identical files → no changes', () => {
    const r = diffDataset(refInput, real('titanic_reference.csv'), 'csv');
    expect(r).toMatchObject({ kind: 'csv', changes: [], problems: [], noSemanticChange: true });
  });

  it('same rows in another order (re-serialised) → no semantic change', () => {
    const rows = ref.rows.slice().reverse();
    const r = diffDataset(refInput, writeTable({ header: ref.header, rows }), 'csv');
    expect(r.changes).toEqual([]);
    expect(r.noSemanticChange).toBe(true);
  });

  it('a dropped column is the only change', () => {
    const c = col(ref, 'Cabin');
    const t = { header: ref.header.filter((_, i) => i !== c), rows: ref.rows.map((r) => r.filter((_, i) => i !== c)) };
    const r = diffDataset(refInput, writeTable(t), 'csv');
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'column.removed', subject: 'Cabin', message: 'column Cabin removed', severity: 'critical' });
    expect((r.changes[0].params as { expectedColumns: string[] }).expectedColumns).toEqual(ref.header);
  });

  it('injected nulls in Age: "null rate of Age 20% → 45% (z-test p-value … < 0.01; PSI …, drift)"', () => {
    const a = col(ref, 'Age');
    let nonNullSeen = 0;
    let injected = 0;
    const rows = ref.rows.map((r) => {
      if (r[a] === '') return r;
      nonNullSeen++;
      // blank every other non-null value until 224 more are missing: 177 + 224 = 401 of 891 = 45%
      if (nonNullSeen % 2 === 0 && injected < 224) {
        injected++;
        return r.map((v, i) => (i === a ? '' : v));
      }
      return r;
    });
    const r = diffDataset(refInput, writeTable({ header: ref.header, rows }), 'csv');
    const nulls = byKind(r, 'nulls.rate', 'Age');
    expect(nulls).toHaveLength(1);
    expect(nulls[0].message).toMatch(/^null rate of Age 20% → 45% \(z-test p-value [\d.e-]+ < 0\.01; PSI 0\.\d+, drift\)$/);
    expect(nulls[0]).toMatchObject({ severity: 'critical', failureClass: 'data' });
    const params = nulls[0].params as { psi: number; nullRateBefore: number; nullRateAfter: number; baseline: { nullRateCeiling: number } };
    expect(params.psi).toBeGreaterThan(0.2);
    expect(params.nullRateAfter).toBeCloseTo(401 / 891, 12);
    expect(params.baseline.nullRateCeiling).toBeGreaterThan(params.nullRateBefore);
    expect(params.baseline.nullRateCeiling).toBeLessThan(params.nullRateAfter);
    expect(r.changes[0].kind).toBe('nulls.rate'); // the most severe change comes first
  });

  it('a dtype change: Fare written as "$7.25" → float → string, critical', () => {
    const f = col(ref, 'Fare');
    const rows = ref.rows.map((r) => r.map((v, i) => (i === f && v !== '' ? `$${v}` : v)));
    const r = diffDataset(refInput, writeTable({ header: ref.header, rows }), 'csv');
    const d = byKind(r, 'column.dtype', 'Fare');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ before: 'float', after: 'string', severity: 'critical', lineAfter: 1 });
    expect(d[0].message).toBe('dtype of Fare changed float → string (non-numeric values present)');
    // not drift-tested across incompatible types
    expect(byKind(r, 'drift.numeric', 'Fare')).toEqual([]);
  });

  it('int → float when a column gains decimals (warning)', () => {
    const s = col(ref, 'SibSp');
    const rows = ref.rows.map((r) => r.map((v, i) => (i === s ? `${v}.0` : v)));
    const r = diffDataset(refInput, writeTable({ header: ref.header, rows }), 'csv');
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'column.dtype', subject: 'SibSp', before: 'int', after: 'float', severity: 'warning' });
  });

  it('shuffled column order → column.order only', () => {
    // move Age to the front and Sex to the end
    const order = ['Age', ...ref.header.filter((h) => h !== 'Age' && h !== 'Sex'), 'Sex'].map((h) => col(ref, h));
    const t = { header: order.map((i) => ref.header[i]), rows: ref.rows.map((r) => order.map((i) => r[i])) };
    const r = diffDataset(refInput, writeTable(t), 'csv');
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'column.order', severity: 'warning', failureClass: 'data' });
    expect(r.changes[0].message).toMatch(/^column order changed: \d+ columns moved \(/);
    expect(r.changes[0].message).toBe('column order changed: 2 columns moved (Sex 4→15, Age 5→1)');
    expect((r.changes[0].params as { moved: string[] }).moved).toEqual(['Sex', 'Age']);
    expect((r.changes[0].params as { expectedColumns: string[]; actualColumns: string[] }).actualColumns[0]).toBe('Age');
  });

  it('shifted distribution (Age + 30) → drift with the KS test named (reference ≤ 1000 rows) and a range change', () => {
    const a = col(ref, 'Age');
    const rows = ref.rows.map((r) => r.map((v, i) => (i === a && v !== '' ? String(Number(v) + 30) : v)));
    const r = diffDataset(refInput, writeTable({ header: ref.header, rows }), 'csv');
    const drift = byKind(r, 'drift.numeric', 'Age');
    expect(drift).toHaveLength(1);
    expect(drift[0].message).toMatch(/^distribution drift in Age: KS test p-value .+ < 0\.05 \(Evidently default, reference ≤ 1000 rows\); PSI [\d.]+ \(significant\)$/);
    expect(drift[0].params).toMatchObject({ test: 'ks', threshold: 0.05, drift: true, psiBand: 'significant', referenceRows: 714 });
    expect((drift[0].params as { ksStatistic: number }).ksStatistic).toBeGreaterThan(0.5);
    expect(drift[0].severity).toBe('critical');
    const range = byKind(r, 'range.changed', 'Age');
    expect(range).toHaveLength(1);
    expect(range[0].message).toMatch(/^Age outside the reference range 0\.42 … 80: now 30\.42 … 110/);
    expect((range[0].params as { baseline: { min: number; max: number } }).baseline).toMatchObject({ min: 0.42, max: 80 });
  });

  it('shifted distribution on > 1000 rows (california MedInc × 1.5) → Wasserstein (normed) named', () => {
    const cal = readTable('california_housing_reference.csv');
    const m = col(cal, 'MedInc');
    const rows = cal.rows.map((r) => r.map((v, i) => (i === m ? String(Number(v) * 1.5) : v)));
    const r = diffDataset(real('california_housing_reference.csv'), writeTable({ header: cal.header, rows }), 'csv');
    const drift = byKind(r, 'drift.numeric');
    expect(drift.map((c) => c.subject)).toEqual(['MedInc']);
    expect(drift[0].message).toMatch(/Wasserstein distance \(normed\) [\d.]+ ≥ 0\.1 \(Evidently default, reference > 1000 rows\)/);
  });

  it('re-weighted category → chi-square named (reference ≤ 1000 rows)', () => {
    const e = col(ref, 'Embarked');
    // half of the S passengers now embark at Q
    let n = 0;
    const rows = ref.rows.map((r) => (r[e] === 'S' && n++ % 2 === 0 ? r.map((v, i) => (i === e ? 'Q' : v)) : r));
    const r = diffDataset(refInput, writeTable({ header: ref.header, rows }), 'csv');
    const drift = byKind(r, 'drift.categorical', 'Embarked');
    expect(drift).toHaveLength(1);
    expect(drift[0].message).toMatch(/^distribution drift in Embarked: chi-square p-value .+ < 0\.05/);
  });

  it('new and vanished categories', () => {
    const s = col(ref, 'Sex');
    let n = 0;
    const rows = ref.rows.map((r) => r.map((v, i) => (i === s ? (v === 'female' ? 'F' : n++ % 10 === 0 ? 'unknown' : v) : v)));
    const r = diffDataset(refInput, writeTable({ header: ref.header, rows }), 'csv');
    const added = byKind(r, 'category.new', 'Sex');
    expect(added).toHaveLength(1);
    expect(added[0].message).toMatch(/^new categories in Sex: "F", "unknown" \(\d+% of values\)$/);
    expect(added[0].severity).toBe('critical');
    expect((added[0].params as { baseline: { categories: string[] } }).baseline.categories).toEqual(['male', 'female']);
    expect(byKind(r, 'category.vanished', 'Sex')[0].message).toMatch(/"female"/);
  });

  it('a renamed column with the same values → likely renamed, not removed + added', () => {
    const f = col(ref, 'Fare');
    const header = ref.header.map((h, i) => (i === f ? 'fare_usd' : h));
    const r = diffDataset(refInput, writeTable({ header, rows: ref.rows }), 'csv');
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'column.renamed', before: 'Fare', after: 'fare_usd', severity: 'critical' });
    expect(r.changes[0].message).toBe('column Fare likely renamed to fare_usd (same dtype, similar distribution)');
  });
});

describe('baseline for generated tests', () => {
  it('datasetBaseline(profile) gives columns, order, dtypes, null ceilings, ranges and category sets', () => {
    const b = datasetBaseline(profileDataset(real('titanic_reference.csv'), 'csv'));
    expect(b.columns[0]).toBe('PassengerId');
    expect(b.columns).toHaveLength(15);
    expect(b.rowCount).toBe(891);
    expect(b.dtypes).toMatchObject({ Age: 'float', Sex: 'string', Survived: 'int', Name: 'string' });
    expect(b.perColumn.Age).toMatchObject({ dtype: 'float', nullable: true, min: 0.42, max: 80, position: 4 });
    expect(b.perColumn.Age.nullRateCeiling).toBeGreaterThan(0.2);
    expect(b.perColumn.Age.nullRateCeiling).toBeLessThanOrEqual(0.25);
    expect(b.perColumn.Sex.categories).toEqual(['male', 'female']);
    expect(b.perColumn.Sex.nullable).toBe(false);
    expect(b.perColumn.Name.categories).toBeUndefined();
  });
});
