// One entry point over the three parsers; bad input becomes problems, never an exception.
import { sortFloat64InPlace } from '../stats';
import { ROW_SAMPLE_SIZE, duplicateCount, keysOfHashes } from './common';
import { parseCsvImpl } from './csv';
import { parseParquet } from './parquet';
import { parseSchema } from './schema';
import type { DatasetInput, DatasetKind, DatasetOptions, ParsedDataset } from './types';

/** Parses a dataset sample of the given kind. Never throws on bad input (problems are returned). */
export function parseDataset(input: DatasetInput, kind: DatasetKind, opts: DatasetOptions = {}): ParsedDataset {
  return parseDatasetImpl(input, kind, opts, false);
}

export function parseDatasetImpl(input: DatasetInput, kind: DatasetKind, opts: DatasetOptions, compact: boolean): ParsedDataset {
  try {
    if (kind === 'parquet') return withRowFacts(parseParquet(input.bytes, opts), compact);
    if (kind === 'schema') return parseSchema(input.bytes);
    return parseCsvImpl(input.bytes, input.name, opts, compact);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    return {
      format: kind === 'csv' ? 'csv' : kind,
      rowCount: kind === 'schema' ? null : 0,
      columns: [],
      problems: [{ message: `could not parse ${kind}: ${(e as Error).message}` }],
    };
  }
}

/**
 * Duplicate rows and the row sample from fully decoded columns (Parquet: one value per row in every
 * column). The CSV parser finds both while it reads the bytes. With `compact` (the summary path), the
 * same pass leaves numeric columns as their non-null values (NumericData.nullCount) and categorical
 * ones as category counts, so summarize() does not read them again.
 */
export function withRowFacts(ds: ParsedDataset, compact = false): ParsedDataset {
  const rows = ds.rowCount ?? 0;
  if (rows === 0 || ds.columns.length === 0) return ds;
  const perRow = ds.columns.every((c) => c.data && c.data.kind !== 'counts' && (c.data.kind === 'numeric' ? c.data.values.length === rows : c.data.codes.length === rows));
  if (!perRow) return ds;
  const h = new Int32Array(rows * 2);
  const stride = Math.max(1, Math.ceil(rows / ROW_SAMPLE_SIZE));
  const picks: number[] = [];
  for (let r = 0; r < rows; r += stride) picks.push(r);
  for (const c of ds.columns) {
    const d = c.data!;
    if (d.kind === 'numeric') {
      const v = d.values;
      c.sample = Float64Array.from(picks, (r) => v[r]);
      // mixNumber(h, r, v[r]) inlined over the value's two 32-bit words (NaN canonical, −0 as 0)
      const u = new Uint32Array(v.buffer, v.byteOffset, rows * 2);
      let kept = 0; // compact: non-null values moved to the front (never ahead of the row read)
      let inf = 0;
      for (let r = 0, i = 0; r < rows; r++, i += 2) {
        const x = v[r];
        let a = u[i];
        let b = u[i + 1];
        if (x !== x) {
          a = 0;
          b = 0x7ff80000;
        } else {
          if (x === 0) {
            a = 0;
            b = 0;
          } else if (x === Infinity || x === -Infinity) inf++;
          if (compact) v[kept++] = x === 0 ? 0 : x;
        }
        h[i] = Math.imul(h[i] ^ a, 0x01000193) ^ Math.imul(b, 0x85ebca6b);
        h[i + 1] = (Math.imul(h[i + 1], 31) + (a ^ Math.imul(b, 0x9e3779b1))) | 0;
      }
      if (compact) c.data = { kind: 'numeric', values: v.subarray(0, kept), nullCount: rows - kept, allFinite: inf === 0 };
    } else if (d.kind === 'categorical') {
      const codes = d.codes;
      const counts = new Int32Array(d.dict.length + 1); // compact: counts[0] nulls, counts[k + 1] dict[k]
      for (let r = 0, i = 0; r < rows; r++, i += 2) {
        const a = codes[r]; // mixInts(h, r, codes[r], 0x5bd1) inlined
        h[i] = Math.imul(h[i] ^ a, 0x01000193) ^ Math.imul(0x5bd1, 0x85ebca6b);
        h[i + 1] = (Math.imul(h[i + 1], 31) + (a ^ Math.imul(0x5bd1, 0x9e3779b1))) | 0;
        counts[a + 1]++;
      }
      c.sample = picks.map((r) => (codes[r] < 0 ? null : d.dict[codes[r]]));
      if (compact) c.data = { kind: 'counts', counts, dict: d.dict };
    }
  }
  return { ...ds, duplicateRows: duplicateCount(keysOfHashes(h, rows), sortFloat64InPlace), sampleSize: picks.length };
}
