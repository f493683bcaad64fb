// Parsing edge cases for dataset samples: CSV dialects, malformed and empty input, dtype inference,
// exact numbers, schema JSON, Parquet errors, cancellation; papaparse as an oracle on a real file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  diffDataset,
  isParquet,
  normalizeDtype,
  parseCsv,
  parseDataset,
  parseIsoDate,
  parseSchema,
  profileDataset,
  profileParsed,
  type CategoricalData,
  type CountsData,
  type NumericData,
} from '../../shared/diff/dataset';

const DATA = join(__dirname, '..', 'fixtures', 'real', 'data');
const enc = new TextEncoder();
const input = (name: string, text: string) => ({ name, bytes: enc.encode(text) });
const valuesOf = (data: NumericData | CategoricalData | CountsData | undefined): (string | number | null)[] => {
  if (!data) return [];
  if (data.kind === 'counts') throw new Error('parseCsv returns row-aligned columns');
  if (data.kind === 'numeric') return Array.from(data.values, (v) => (Number.isNaN(v) ? null : v));
  return Array.from(data.codes, (c) => (c < 0 ? null : data.dict[c]));
};

describe('CSV parsing', () => {
  it('matches papaparse on the real titanic file, value by value', () => {
    const text = readFileSync(join(DATA, 'titanic_reference.csv'), 'utf8');
    const oracle = Papa.parse<string[]>(text, { header: false, skipEmptyLines: true }).data;
    const ours = parseCsv(enc.encode(text), 'titanic_reference.csv');
    expect(ours.problems).toEqual([]);
    expect(ours.columns.map((c) => c.name)).toEqual(oracle[0]);
    expect(ours.rowCount).toBe(oracle.length - 1);
    ours.columns.forEach((col, c) => {
      const got = valuesOf(col.data);
      oracle.slice(1).forEach((row, r) => {
        const raw = row[c];
        const want = raw === '' ? null : col.data?.kind === 'numeric' ? Number(raw) : raw;
        if (got[r] !== want) throw new Error(`${col.name} row ${r + 2}: ${JSON.stringify(got[r])} ≠ ${JSON.stringify(want)}`);
      });
    });
  });

  it('the summary path (packed values, counted categories) profiles exactly like the row-aligned parse', () => {
    const titanic = readFileSync(join(DATA, 'titanic_reference.csv'));
    const odd = enc.encode('a,b,c,d\n1,x,True,2024-01-01\n"2",,False,\n3,"y ""q""",,2024-01-03\nNA,x\n5,z,true,2024-01-05,extra\n');
    for (const bytes of [new Uint8Array(titanic), odd]) {
      const viaSummary = profileDataset({ name: 'x.csv', bytes }, 'csv');
      const viaRows = profileParsed(parseCsv(bytes, 'x.csv'));
      expect(viaSummary).toEqual(viaRows);
    }
  });

  it('reports ragged rows with their line numbers and keeps going', () => {
    const r = parseCsv(enc.encode('a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n'));
    expect(r.rowCount).toBe(4);
    expect(r.problems).toEqual([
      { message: 'line 3: expected 3 fields, found 2', line: 3 },
      { message: 'line 4: expected 3 fields, found 4', line: 4 },
    ]);
    expect(valuesOf(r.columns[2].data)).toEqual([3, null, 8, 12]);
    const d = diffDataset(input('a.csv', 'a,b,c\n1,2,3\n'), input('b.csv', 'a,b,c\n1,2,3\n4,5\n'), 'csv');
    expect(d.problems).toEqual([{ message: 'line 3: expected 3 fields, found 2', line: 3, side: 'after' }]);
  });

  it('caps repeated problems and summarises the rest', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i}`).join('\n');
    const r = parseCsv(enc.encode(`a,b\n${rows}\n`));
    expect(r.problems).toHaveLength(21);
    expect(r.problems[20].message).toBe('… and 10 more ragged row problems');
  });

  it('handles quoted fields, escaped quotes, embedded newlines and keeps line numbers right', () => {
    const text = 'id,text,n\n1,"hello, ""world""",1\n2,"two\nlines",2\n3,x\n';
    const r = parseCsv(enc.encode(text));
    expect(valuesOf(r.columns[1].data)).toEqual(['hello, "world"', 'two\nlines', 'x']);
    expect(r.problems).toEqual([{ message: 'line 5: expected 3 fields, found 2', line: 5 }]);
  });

  it('reports an unterminated quote with its line', () => {
    const r = parseCsv(enc.encode('a,b\n1,"open\n2,3\n'));
    expect(r.problems[0]).toMatchObject({ line: 2, message: 'line 2: quoted field never closed' });
  });

  it('sniffs tab, semicolon and pipe delimiters; .tsv name prefers tab', () => {
    const tsv = parseCsv(enc.encode('a\tb\n1\tx,y\n2\tz\n'), 'f.tsv');
    expect(tsv).toMatchObject({ format: 'tsv', delimiter: '\t' });
    expect(valuesOf(tsv.columns[1].data)).toEqual(['x,y', 'z']);
    expect(parseCsv(enc.encode('a;b;c\n1;2,5;3\n4;5,5;6\n')).delimiter).toBe(';');
    expect(parseCsv(enc.encode('a|b\n1|2\n')).delimiter).toBe('|');
    const titanic = readFileSync(join(DATA, 'titanic_reference.csv'), 'utf8');
    const rows = Papa.parse<string[]>(titanic, { skipEmptyLines: true }).data;
    const asTsv = rows.map((r) => r.join('\t')).join('\n');
    const p = profileDataset(input('titanic.tsv', asTsv), 'csv');
    expect(p.delimiter).toBe('\t');
    expect(p.columns.find((c) => c.name === 'Age')).toMatchObject({ count: 714, dtype: 'float' });
  });

  it('treats empty strings and NA/NaN/null/None as null; infers int, float, bool, datetime, string', () => {
    const text = [
      'i,f,b,d,s,allnull,late',
      '1,1.5,True,2024-01-01,x,,',
      '2,NA,False,2024-01-02 10:30:00,NaN,NA,',
      'NaN,2e3,true,,y,null,7',
      'None,-0.25,,2024-01-03T00:00:00Z,null,None,8',
    ].join('\r\n');
    const p = profileDataset(input('t.csv', text), 'csv');
    const get = (n: string) => p.columns.find((c) => c.name === n)!;
    expect(get('i')).toMatchObject({ dtype: 'int', count: 2, nullCount: 2, min: 1, max: 2 });
    expect(get('f')).toMatchObject({ dtype: 'float', count: 3, nullCount: 1, min: -0.25, max: 2000 });
    expect(get('b')).toMatchObject({ dtype: 'bool', count: 3, nullCount: 1 });
    expect(get('b').topCategories).toEqual([
      { value: 'true', count: 2 },
      { value: 'false', count: 1 },
    ]);
    expect(get('d')).toMatchObject({ dtype: 'datetime', count: 3, minIso: '2024-01-01T00:00:00.000Z', maxIso: '2024-01-03T00:00:00.000Z' });
    expect(get('s')).toMatchObject({ dtype: 'string', count: 2, nullCount: 2 });
    expect(get('allnull')).toMatchObject({ dtype: 'string', count: 0, nullRate: 1 });
    expect(get('late')).toMatchObject({ dtype: 'int', count: 2 });
  });

  it('parses numbers exactly (fast paths agree with Number() on 17–19 digit values)', () => {
    const vals = ['0.12121149704607134', '-13.490123456789012', '1.0148448043184886', '9007199254740993', '123456789012345678', '1e-7', '-2.5E+3', '0.30000000000000004', '.5', '5.'];
    const p = parseCsv(enc.encode(`x\n${vals.join('\n')}\n`));
    expect(valuesOf(p.columns[0].data)).toEqual(vals.map(Number));
  });

  it('number fuzz: the inline fast path, the double-double path and the fallback all agree with Number()', () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x80000000);
    const vals: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const x = (rnd() - 0.5) * 10 ** (Math.floor(rnd() * 24) - 10);
      const digits = Array.from({ length: 1 + Math.floor(rnd() * 21) }, () => Math.floor(rnd() * 10)).join('');
      const p = Math.floor(rnd() * (digits.length + 1));
      vals.push(String(x), x.toPrecision(17), x.toFixed(Math.floor(rnd() * 6)), `${digits.slice(0, p)}.${digits.slice(p)}`, digits, `-0.${'0'.repeat(i % 7)}${digits}`);
    }
    const p = parseCsv(enc.encode(`x\n${vals.join('\n')}\n`));
    const got = valuesOf(p.columns[0].data);
    const bad = vals.filter((v, i) => got[i] !== Number(v));
    expect(bad).toEqual([]);
  });

  it('a numeric-looking column that turns to text after the sampled rows becomes string (second pass)', () => {
    const rows = Array.from({ length: 1500 }, (_, i) => `${i},${i === 1400 ? 'n/a-ish' : i * 2}`);
    const p = parseCsv(enc.encode(`a,b\n${rows.join('\n')}\n`));
    expect(p.columns[0].dtype).toBe('int');
    expect(p.columns[1].dtype).toBe('string');
    const b = valuesOf(p.columns[1].data);
    expect(b[0]).toBe('0');
    expect(b[1400]).toBe('n/a-ish');
    expect(b[1499]).toBe('2998');
  });

  it('strips a UTF-8 BOM and flags invalid UTF-8', () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('a,b\n1,2\n')]);
    expect(parseCsv(withBom).columns.map((c) => c.name)).toEqual(['a', 'b']);
    const bad = new Uint8Array([...enc.encode('a,b\n1,caf'), 0xe9, ...enc.encode('\n')]);
    const p = parseCsv(bad);
    expect(p.problems.some((x) => /invalid UTF-8/.test(x.message))).toBe(true);
    expect(valuesOf(p.columns[1].data)).toEqual(['caf\ufffd']);
  });

  it('empty and whitespace-only files', () => {
    expect(parseCsv(new Uint8Array(0))).toMatchObject({ rowCount: 0, columns: [], problems: [{ message: 'empty file' }] });
    expect(parseCsv(enc.encode('\n\n  \n')).problems[0].message).toBe('file contains only whitespace');
    const titanic = { name: 't.csv', bytes: new Uint8Array(readFileSync(join(DATA, 'titanic_reference.csv'))) };
    const empty = { name: 'e.csv', bytes: new Uint8Array(0) };
    const a = diffDataset(titanic, empty, 'csv');
    expect(a.changes).toHaveLength(1);
    expect(a.changes[0]).toMatchObject({ kind: 'dataset.empty', severity: 'critical' });
    expect(a.problems).toEqual([{ message: 'empty file', side: 'after' }]);
    expect(diffDataset(empty, titanic, 'csv').changes[0]).toMatchObject({ kind: 'dataset.empty', severity: 'warning' });
    expect(diffDataset(empty, { ...empty }, 'csv')).toMatchObject({ changes: [], noSemanticChange: true });
  });

  it('header only → "no rows", critical', () => {
    const r = diffDataset(input('a.csv', 'a,b\n1,2\n3,4\n'), input('b.csv', 'a,b\n'), 'csv');
    expect(r.changes).toEqual([expect.objectContaining({ kind: 'rows.count', severity: 'critical', message: 'no rows (had 2)' })]);
  });

  it('CRLF vs LF with the same content → no semantic change', () => {
    const lf = 'a,b\n1,x\n2,y\n';
    const r = diffDataset(input('a.csv', lf), input('b.csv', lf.replace(/\n/g, '\r\n')), 'csv');
    expect(r).toMatchObject({ changes: [], noSemanticChange: true });
  });

  it('the seed-004 case: feature_x (string) replaced by feature_x_id (int) → likely renamed, dtype named', () => {
    const before = 'user_id,age,country,feature_x\n' + Array.from({ length: 50 }, (_, i) => `${i},${20 + (i % 30)},DE,v${i % 7}`).join('\n');
    const after = 'user_id,age,country,feature_x_id\n' + Array.from({ length: 50 }, (_, i) => `${i},${20 + (i % 30)},DE,${i % 7}`).join('\n');
    const r = diffDataset(input('a.csv', before), input('b.csv', after), 'csv');
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'column.renamed', before: 'feature_x', after: 'feature_x_id', severity: 'critical' });
    expect(r.changes[0].message).toBe('column feature_x likely renamed to feature_x_id (dtype string → int)');
  });

  it('a column inserted in the middle is a warning; appended at the end is info', () => {
    const r1 = diffDataset(input('a.csv', 'a,b\n1,2\n'), input('b.csv', 'a,x,b\n1,9,2\n'), 'csv');
    expect(r1.changes).toEqual([expect.objectContaining({ kind: 'column.added', subject: 'x', severity: 'warning' })]);
    const r2 = diffDataset(input('a.csv', 'a,b\n1,2\n'), input('b.csv', 'a,b,zzz_extra\n1,2,9\n'), 'csv');
    expect(r2.changes).toEqual([expect.objectContaining({ kind: 'column.added', severity: 'info', message: 'column zzz_extra added (int)' })]);
  });

  it('a column that becomes entirely null is critical', () => {
    const rows = (f: (i: number) => string) => Array.from({ length: 40 }, (_, i) => `${i},${f(i)}`).join('\n');
    const r = diffDataset(input('a.csv', `id,score\n${rows((i) => String(i / 10))}`), input('b.csv', `id,score\n${rows(() => '')}`), 'csv');
    const n = r.changes.find((c) => c.kind === 'nulls.rate')!;
    expect(n.severity).toBe('critical');
    expect(n.message).toMatch(/^null rate of score 0% → 100% \(z-test p-value [\d.e-]+ < 0\.01; PSI [\d.]+, drift\) — score is entirely null$/);
  });

  it('progress and cancellation', () => {
    const big = enc.encode('a,b\n' + Array.from({ length: 140_000 }, (_, i) => `${i},c${i % 5}`).join('\n'));
    const seen: number[] = [];
    parseDataset({ name: 'big.csv', bytes: big }, 'csv', { onProgress: (d) => seen.push(d) });
    expect(seen.length).toBeGreaterThan(1);
    expect(() => parseDataset({ name: 'big.csv', bytes: big }, 'csv', { shouldCancel: () => true })).toThrow(
      expect.objectContaining({ name: 'AbortError' }),
    );
  });
});

describe('Parquet errors', () => {
  it('recognises Parquet by its magic bytes and reports broken files without throwing', () => {
    const pq = new Uint8Array(readFileSync(join(DATA, 'employment_MA_reference.pq')));
    expect(isParquet(pq)).toBe(true);
    expect(isParquet(enc.encode('a,b\n'))).toBe(false);
    expect(parseDataset({ name: 'x.pq', bytes: enc.encode('a,b\n1,2\n') }, 'parquet').problems[0].message).toMatch(/not a Parquet file/);
    const truncated = new Uint8Array([...pq.subarray(0, 5000), ...pq.subarray(pq.length - 8)]);
    const r = parseDataset({ name: 't.pq', bytes: truncated }, 'parquet');
    expect(r.problems.length).toBeGreaterThan(0);
    expect(parseDataset({ name: 'e.pq', bytes: new Uint8Array(0) }, 'parquet').problems).toEqual([{ message: 'empty file' }]);
  });
});

describe('schema JSON', () => {
  const jsonSchema = JSON.stringify(
    {
      type: 'object',
      required: ['user_id', 'age'],
      properties: {
        user_id: { type: 'integer' },
        age: { type: 'integer' },
        country: { type: ['string', 'null'] },
        feature_x: { type: 'number' },
        signup: { type: 'string', format: 'date-time' },
      },
    },
    null,
    2,
  );

  it('reads JSON Schema properties, Table Schema fields and flat {column: dtype} maps', () => {
    const a = parseSchema(enc.encode(jsonSchema));
    expect(a.columns.map((c) => [c.name, c.dtype, c.nullable])).toEqual([
      ['user_id', 'int', false],
      ['age', 'int', false],
      ['country', 'string', true],
      ['feature_x', 'float', true],
      ['signup', 'datetime', true],
    ]);
    const lineOf = (needle: string) => jsonSchema.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(a.columns[2].line).toBe(lineOf('"country": {'));
    expect(a.columns[0].line).toBe(lineOf('"user_id": {')); // the key, not the entry in "required"
    const flat = parseSchema(enc.encode('{"user_id": "int64", "age": "Int64", "score": "float64", "flag": "bool", "ts": "datetime64[ns]", "c": "object"}'));
    expect(flat.columns.map((c) => c.dtype)).toEqual(['int', 'int', 'float', 'bool', 'datetime', 'string']);
    const table = parseSchema(enc.encode('{"schema": {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}]}}'));
    expect(table.columns.map((c) => `${c.name}:${c.dtype}`)).toEqual(['a:int', 'b:string']);
    expect(normalizeDtype('uint8')).toBe('int');
    expect(normalizeDtype('category')).toBe('string');
  });

  it('diffs two schemas: removed, renamed with dtype change, dtype, order, nullability — with lines', () => {
    const after = JSON.stringify(
      {
        type: 'object',
        required: ['user_id'],
        properties: {
          age: { type: 'number' },
          user_id: { type: 'integer' },
          country: { type: ['string', 'null'] },
          feature_x_id: { type: 'integer' },
        },
      },
      null,
      2,
    );
    const r = diffDataset({ name: 'a.json', bytes: enc.encode(jsonSchema) }, { name: 'b.json', bytes: enc.encode(after) }, 'schema');
    expect(r.kind).toBe('schema');
    const kinds = r.changes.map((c) => `${c.kind}:${c.subject}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['column.removed:signup', 'column.renamed:feature_x', 'column.dtype:age', 'column.order:columns', 'column.nullable:age']),
    );
    const removed = r.changes.find((c) => c.kind === 'column.removed')!;
    const lineIn = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(removed).toMatchObject({ message: 'column signup removed', lineBefore: lineIn(jsonSchema, '"signup": {') });
    expect(r.changes.find((c) => c.kind === 'column.dtype')).toMatchObject({
      before: 'int',
      after: 'float',
      severity: 'warning',
      lineAfter: lineIn(after, '"age": {'),
    });
    expect(r.changes.find((c) => c.kind === 'column.renamed')!.message).toBe('column feature_x likely renamed to feature_x_id (dtype float → int)');
  });

  it('invalid JSON gives a problem with line and column; empty schema is handled', () => {
    const r = parseSchema(enc.encode('{\n  "a": "int",\n  "b": \n}'));
    expect(r.columns).toEqual([]);
    expect(r.problems[0].message).toMatch(/^invalid JSON/);
    expect(r.problems[0].line).toBe(4);
    expect(parseSchema(new Uint8Array(0)).problems).toEqual([{ message: 'empty file' }]);
    expect(parseSchema(enc.encode('[1, 2]')).columns).toEqual([]);
  });

  it('ISO dates', () => {
    expect(parseIsoDate('2021-06-01 00:00:00')).toBe(Date.UTC(2021, 5, 1));
    expect(parseIsoDate('2021-06-01T02:00:00+02:00')).toBe(Date.UTC(2021, 5, 1));
    expect(parseIsoDate('2021-13-01')).toBeNaN();
    expect(parseIsoDate('June 1')).toBeNaN();
  });
});
