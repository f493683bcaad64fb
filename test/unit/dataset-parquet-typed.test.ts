// Oracle for the typed Parquet decoder (issue 14): every column decoded page by page into typed arrays
// (shared/diff/dataset/parquet-typed.ts) must hold exactly what hyparquet's per-value readColumn gave
// before (parseParquetValues), and the profiles and findings built on them must be the same. Inputs:
// the real NannyML CSVs (test/fixtures/real/NOTICE.md) converted to Parquet here with DuckDB in
// several layouts (small row groups, several pages per chunk, data page v2, no compression, dictionary
// and plain strings, booleans, int32/int64/unsigned, decimals, dates and timestamps in three units,
// nulls, a list column), and the real pyarrow-written employment_MA files. DuckDB is a dev dependency;
// without it the conversions are skipped with the reason printed (the employment_MA part still runs).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetHeader } from 'hyparquet/src/column.js';
import { parquetMetadata, parquetSchema } from 'hyparquet/src/metadata.js';
import {
  diffDataset,
  diffDatasetSummaries,
  parseParquet,
  profileDataset,
  profileParsed,
  type DatasetInput,
  type ParsedDataset,
} from '../../shared/diff/dataset';
import { parseParquetValues } from '../../shared/diff/dataset/parquet';
import { TypedColumn, decodeChunk, typedPlan } from '../../shared/diff/dataset/parquet-typed';
import { withRowFacts } from '../../shared/diff/dataset/parse';
import { summarize } from '../../shared/diff/dataset/summary';

const DATA = join(__dirname, '..', 'fixtures', 'real', 'data');
const read = (path: string): DatasetInput => ({ name: path, bytes: new Uint8Array(readFileSync(path)) });

/** Per-row values of a parsed column (numbers with NaN → null, or category text). */
function rowsOf(ds: ParsedDataset): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of ds.columns) {
    const d = c.data;
    if (!d || d.kind === 'counts') throw new Error('row-aligned columns expected');
    out[c.name] = {
      dtype: c.dtype,
      sourceType: c.sourceType,
      kind: d.kind,
      values: d.kind === 'numeric' ? Array.from(d.values, (v) => (Number.isNaN(v) ? null : Object.is(v, -0) ? '-0' : v)) : Array.from(d.codes, (k) => (k < 0 ? null : d.dict[k])),
    };
  }
  return out;
}

/** Typed path vs the per-value path on one file: same columns, values, problems, profile and row facts. */
function expectSameAsValuesPath(file: DatasetInput): { typed: ParsedDataset; values: ParsedDataset } {
  const typed = parseParquet(file.bytes);
  const values = parseParquetValues(file.bytes);
  expect(typed.rowCount).toBe(values.rowCount);
  expect(typed.problems).toEqual(values.problems);
  expect(typed.columns.map((c) => c.name)).toEqual(values.columns.map((c) => c.name));
  expect(rowsOf(typed)).toEqual(rowsOf(values));
  const pt = profileParsed(withRowFacts(typed));
  const pv = profileParsed(withRowFacts(values));
  expect(pt).toEqual(pv);
  expect(profileDataset(file, 'parquet')).toEqual(pv);
  return { typed, values };
}

/** Columns whose every chunk the typed decoder reads itself (no fallback), by name. */
function typedColumns(bytes: Uint8Array): string[] {
  const ab = bytes.slice().buffer;
  const meta = parquetMetadata(ab);
  const tree = parquetSchema(meta) as unknown as { children: { element: Parameters<typeof typedPlan>[0]; children: unknown[] }[] };
  const out: string[] = [];
  for (const node of tree.children) {
    if (node.children.length) continue;
    const plan = typedPlan(node.element);
    if (!plan) continue;
    const col = new TypedColumn(plan, Number(meta.num_rows));
    let start = 0;
    let ok = true;
    for (const rg of meta.row_groups) {
      const cc = rg.columns.find((c) => c.meta_data?.path_in_schema[0] === node.element.name)!;
      try {
        decodeChunk(ab, cc.meta_data as unknown as Parameters<typeof decodeChunk>[1], col, start, Number(rg.num_rows));
      } catch {
        ok = false;
      }
      start += Number(rg.num_rows);
    }
    if (ok) out.push(node.element.name);
  }
  return out;
}

describe('typed Parquet decoding on the real pyarrow files (employment_MA)', () => {
  for (const f of ['employment_MA_reference.pq', 'employment_MA_analysis.pq']) {
    it(`${f}: same columns, values and profile as the per-value path`, () => {
      const file = read(join(DATA, f));
      const { typed } = expectSameAsValuesPath(file);
      // every column of these files is read by the typed decoder
      expect(typedColumns(file.bytes)).toEqual(typed.columns.map((c) => c.name));
    }, 60_000);
  }
  it('the diff of the pair is the same through either path', () => {
    const a = read(join(DATA, 'employment_MA_reference.pq'));
    const b = read(join(DATA, 'employment_MA_analysis.pq'));
    const before = diffDatasetSummaries(summarize(withRowFacts(parseParquetValues(a.bytes))), summarize(withRowFacts(parseParquetValues(b.bytes))), 'parquet');
    const r = diffDataset(a, b, 'parquet');
    expect(r).toEqual(before);
    expect(r.changes.length).toBeGreaterThan(0);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// DuckDB conversions of the real CSVs

type Conn = { run(sql: string): Promise<unknown>; runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }> };
let conn: Conn | null = null;
let skipReason = '';
let dir = '';
try {
  createRequire(__filename).resolve('@duckdb/node-api');
} catch (e) {
  skipReason = `@duckdb/node-api not installed (${(e as Error).message.split('\n')[0]})`;
}
if (skipReason) console.log(`dataset-parquet-typed: DuckDB conversions skipped: ${skipReason}`);

const CSV = (f: string) => `read_csv('${join(DATA, f)}')`;
// titanic with a column of every type the typed decoder reads, plus a list column (skipped either way)
const TITANIC_TYPED = `SELECT *,
  Survived::BOOLEAN AS survived_b,
  Pclass::INTEGER AS pclass_i32, Pclass::UTINYINT AS pclass_u8, (PassengerId * 3000000000)::UBIGINT AS big_u64,
  PassengerId::UINTEGER * 4000000 AS u32, Age::FLOAT AS age_f32, Fare::DECIMAL(10,2) AS fare_dec, Fare::DECIMAL(18,4) AS fare_dec64,
  TIMESTAMP '1912-04-10 12:00:00' + to_seconds(PassengerId * 3607) AS ts_us,
  (TIMESTAMP '1912-04-10 12:00:00' + to_seconds(PassengerId * 3607))::TIMESTAMP_MS AS ts_ms,
  (TIMESTAMP '1912-04-10 12:00:00' + to_microseconds(PassengerId * 1234567891))::TIMESTAMP_NS AS ts_ns,
  (TIMESTAMPTZ '1969-12-31 23:59:59+00' - to_microseconds(PassengerId * 7)) AS ts_tz_before_epoch,
  (DATE '1912-04-10' + (PassengerId % 40)::INTEGER) AS d,
  CASE WHEN PassengerId % 7 = 0 THEN NULL ELSE Embarked END AS embarked_more_nulls,
  NULL::DOUBLE AS all_null,
  CASE WHEN PassengerId % 5 = 0 THEN '' ELSE Sex END AS sex_with_empty,
  [Pclass, SibSp] AS list_col
FROM ${CSV('titanic_reference.csv')}`;

const files: Record<string, string> = {};
beforeAll(async () => {
  if (skipReason) return;
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  conn = (await db.connect()) as unknown as Conn;
  dir = mkdtempSync(join(tmpdir(), 'pmw-pq-oracle-'));
  const copy = async (name: string, query: string, options: string) => {
    files[name] = join(dir, `${name}.parquet`);
    await conn!.run(`COPY (${query}) TO '${files[name]}' (FORMAT parquet, ${options})`);
  };
  await copy('titanic-rg100', TITANIC_TYPED, 'COMPRESSION snappy, ROW_GROUP_SIZE 100');
  await copy('titanic-one-group', TITANIC_TYPED, 'COMPRESSION uncompressed');
  await copy('titanic-v2', TITANIC_TYPED, 'COMPRESSION snappy, ROW_GROUP_SIZE 300, PARQUET_VERSION V2');
  await copy('titanic-zstd', TITANIC_TYPED, 'COMPRESSION zstd');
  await copy('california-ref', `SELECT * FROM ${CSV('california_housing_reference.csv')}`, 'COMPRESSION snappy, ROW_GROUP_SIZE 2000');
  await copy('california-ana', `SELECT * FROM ${CSV('california_housing_analysis.csv')}`, 'COMPRESSION snappy');
  // the california rows repeated 20× (~117k rows) in two row groups, with a boolean and a dictionary string with nulls
  await copy(
    'california-pages',
    `SELECT c.*, (r.i % 3 = 0) AS flag, CASE WHEN (r.i + c.MedInc * 100)::BIGINT % 11 = 0 THEN NULL ELSE 'v' || ((r.i * 7 + c.HouseAge)::BIGINT % 50) END AS cat
     FROM ${CSV('california_housing_reference.csv')} c, range(20) r(i)`,
    'COMPRESSION snappy, ROW_GROUP_SIZE 65536',
  );
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!!skipReason)('typed Parquet decoding on the real CSVs converted by DuckDB', () => {
  it('the files really have the layouts under test (row groups, pages, encodings, codecs)', async () => {
    const rows = async (sql: string) => (await conn!.runAndReadAll(sql)).getRows();
    const groups = await rows(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${files['california-ref']}')`);
    expect(Number(groups[0][0])).toBeGreaterThan(1);
    const enc = await rows(`SELECT DISTINCT path_in_schema, encodings FROM parquet_metadata('${files['titanic-rg100']}') WHERE path_in_schema IN ('Name', 'Sex')`);
    expect(new Map(enc.map((r) => [r[0], r[1]]))).toEqual(new Map([['Name', 'PLAIN'], ['Sex', 'PLAIN_DICTIONARY']]));
    // several data pages in one chunk: the chunk's value count is more than one page's
    const file = read(files['california-pages']);
    const meta = parquetMetadata(file.bytes.slice().buffer);
    expect(meta.row_groups.length).toBeGreaterThan(1);
    // DuckDB writes one data page per chunk; pyarrow and hyparquet-writer write several
    expect(countPages(read(join(DATA, 'employment_MA_analysis.pq')).bytes, 'id')).toBe(2);
    expect(countPages(writerFile(), 'Name')).toBeGreaterThan(3);
  });

  for (const name of ['titanic-rg100', 'titanic-one-group', 'titanic-v2', 'titanic-zstd', 'california-ref', 'california-ana', 'california-pages']) {
    it(`${name}: same columns, values, problems and profile as the per-value path`, () => {
      const file = read(files[name]);
      const { typed } = expectSameAsValuesPath(file);
      const tc = typedColumns(file.bytes);
      if (name === 'titanic-zstd') expect(tc).toEqual([]); // zstd pages: every column falls back
      else if (name !== 'titanic-v2') expect(tc).toEqual(typed.columns.map((c) => c.name)); // all typed
      else expect(tc.length).toBeGreaterThan(0); // v2: delta-encoded columns fall back, the rest are typed
      if (name === 'titanic-zstd') expect(typed.problems.some((p) => /could not be decoded/.test(p.message))).toBe(true);
      else if (name.startsWith('titanic')) {
        expect(typed.problems).toEqual([{ message: 'nested column list_col skipped' }]);
        const col = (n: string) => typed.columns.find((c) => c.name === n)!;
        expect(col('survived_b')).toMatchObject({ dtype: 'bool', sourceType: 'BOOLEAN' });
        expect(col('ts_ns').dtype).toBe('datetime');
        expect(col('d')).toMatchObject({ dtype: 'datetime', sourceType: 'INT32/DATE' });
        expect(col('fare_dec')).toMatchObject({ dtype: 'float' });
        expect(col('big_u64')).toMatchObject({ dtype: 'int' });
      }
    }, 60_000);
  }

  it('titanic as Parquet profiles like pandas describe() of the CSV', () => {
    const p = profileDataset(read(files['titanic-rg100']), 'parquet');
    expect(p.rowCount).toBe(891);
    const age = p.columns.find((c) => c.name === 'Age')!;
    // pandas: count 714, mean 29.699118, std 14.526497, min 0.42, 25% 20.125, 50% 28, 75% 38, max 80
    expect(age).toMatchObject({ dtype: 'float', count: 714, nullCount: 177, min: 0.42, max: 80 });
    expect(age.mean).toBeCloseTo(29.699118, 6);
    expect(age.std).toBeCloseTo(14.526497, 6);
    expect(age.quantiles).toMatchObject({ p25: 20.125, p50: 28, p75: 38 });
    expect(p.columns.find((c) => c.name === 'Sex')!.topCategories).toEqual([
      { value: 'male', count: 577 },
      { value: 'female', count: 314 },
    ]);
    expect(p.columns.find((c) => c.name === 'Embarked')).toMatchObject({ nullCount: 2, distinct: 3 });
    expect(p.columns.find((c) => c.name === 'survived_b')).toMatchObject({ dtype: 'bool', distinct: 2, nullCount: 0 });
    expect(p.columns.find((c) => c.name === 'all_null')).toMatchObject({ nullCount: 891, count: 0 });
    // the same numbers as the CSV profile (whose figures are pandas')
    const fromCsv = profileDataset(read(join(DATA, 'titanic_reference.csv')), 'csv');
    for (const n of ['Age', 'Fare', 'SibSp', 'Parch', 'Pclass']) {
      const a = p.columns.find((c) => c.name === n)!;
      const b = fromCsv.columns.find((c) => c.name === n)!;
      expect({ ...a, sourceType: undefined, position: 0 }).toEqual({ ...b, sourceType: undefined, position: 0 });
    }
  });

  it('california reference vs analysis: the diff is the same through either path, and the same findings as the CSVs', () => {
    const a = read(files['california-ref']);
    const b = read(files['california-ana']);
    const before = diffDatasetSummaries(summarize(withRowFacts(parseParquetValues(a.bytes))), summarize(withRowFacts(parseParquetValues(b.bytes))), 'parquet');
    const r = diffDataset(a, b, 'parquet');
    expect(r).toEqual(before);
    const csv = diffDataset(read(join(DATA, 'california_housing_reference.csv')), read(join(DATA, 'california_housing_analysis.csv')), 'csv');
    const kinds = (x: typeof r) => x.changes.filter((c) => c.kind.startsWith('drift') || c.kind === 'column.removed').map((c) => `${c.kind} ${c.subject}`);
    expect(kinds(r)).toEqual(kinds(csv));
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// hyparquet-writer: data page v2, small pages (nulls across page boundaries), per-column encodings

let writerBytes: Uint8Array | null = null;
/** titanic written by hyparquet-writer in 250-row groups of 512-byte pages. */
function writerFile(): Uint8Array {
  if (writerBytes) return writerBytes;
  const { header, rows } = (() => {
    const parsed = Papa.parse<string[]>(readFileSync(join(DATA, 'titanic_reference.csv'), 'utf8'), { header: false, skipEmptyLines: true });
    const [h, ...r] = parsed.data;
    return { header: h, rows: r };
  })();
  const col = (n: string) => rows.map((r) => r[header.indexOf(n)]);
  const num = (n: string) => col(n).map((v) => (v === '' ? null : Number(v)));
  const str = (n: string) => col(n).map((v) => (v === '' ? null : v));
  const ab = parquetWriteBuffer({
    pageSize: 512,
    rowGroupSize: 250,
    columnData: [
      { name: 'PassengerId', data: Int32Array.from(num('PassengerId') as number[]), type: 'INT32', nullable: false },
      { name: 'Name', data: str('Name'), type: 'STRING', encoding: 'PLAIN' },
      { name: 'Sex', data: str('Sex'), type: 'STRING' },
      { name: 'Cabin', data: str('Cabin'), type: 'STRING' },
      { name: 'Age', data: num('Age'), type: 'DOUBLE' },
      { name: 'Fare', data: num('Fare'), type: 'DOUBLE', encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'SibSp', data: num('SibSp').map((v) => (v === null ? null : BigInt(v))), type: 'INT64' },
      { name: 'Parch', data: num('Parch'), type: 'INT32', encoding: 'DELTA_BINARY_PACKED' },
      { name: 'survived', data: num('Survived').map((v) => (v === null ? null : v === 1)), type: 'BOOLEAN' },
      { name: 'boarded', data: num('PassengerId').map((v) => (v! % 9 === 0 ? null : new Date(Date.UTC(1912, 3, 10) + v! * 61_000))), type: 'TIMESTAMP' },
      { name: 'meta', data: num('Pclass').map((v) => ({ pclass: v })), type: 'JSON' },
    ],
  });
  writerBytes = new Uint8Array(ab);
  return writerBytes;
}

describe('typed Parquet decoding of a hyparquet-writer file (v2 pages, many small pages)', () => {
  it('same columns, values, problems and profile as the per-value path; delta, byte-stream-split and JSON columns fall back', () => {
    const bytes = writerFile();
    const { typed } = expectSameAsValuesPath({ name: 'titanic-writer.parquet', bytes });
    expect(typedColumns(bytes).sort()).toEqual(['Age', 'Cabin', 'Name', 'PassengerId', 'Sex', 'SibSp', 'boarded', 'survived']);
    expect(typed.columns.find((c) => c.name === 'boarded')).toMatchObject({ dtype: 'datetime' });
    expect(typed.columns.find((c) => c.name === 'meta')).toMatchObject({ dtype: 'string' });
    expect(parquetMetadata(bytes.slice().buffer).row_groups.length).toBe(4);
  });
});

/** Data pages in the first chunk of a column (walks the page headers). */
function countPages(bytes: Uint8Array, column: string): number {
  const ab = bytes.slice().buffer;
  const meta = parquetMetadata(ab);
  const cc = meta.row_groups[0].columns.find((c) => c.meta_data?.path_in_schema[0] === column)!.meta_data!;
  let pages = 0;
  const start = Number(cc.dictionary_page_offset || cc.data_page_offset);
  const end = start + Number(cc.total_compressed_size);
  const reader = { view: new DataView(ab, start, end - start), offset: 0 };
  while (reader.offset < end - start - 1) {
    const h = parquetHeader(reader);
    reader.offset += h.compressed_page_size;
    if (h.type.startsWith('DATA_PAGE')) pages++;
  }
  return pages;
}
