// Summaries: per column what profiling and drift need (sorted finite values, or category counts),
// plus identifier / free-text heuristics. Summaries are plain data and can cross a worker boundary.
import { distinctSorted, meanStd, sortFloat64InPlace } from '../stats';
import { parseDatasetImpl } from './parse';
import type { ColumnDtype, ColumnSummary, DatasetInput, DatasetKind, DatasetOptions, DatasetSummary, ParsedDataset } from './types';

const ID_NAME = /(^|[_\s.-])(id|uuid|guid|key|index)$|[a-z0-9](Id|ID)$|^(id|index|idx|uuid|guid|key|row_?id)$/i;
const ID_TOKEN = /^(?=.*\d)[A-Za-z0-9_-]{8,}$/;

/** Per-column summaries. With `consume`, numeric value arrays are compacted and sorted in place. */
export function summarize(ds: ParsedDataset, consume = false): DatasetSummary {
  const rows = ds.rowCount ?? 0;
  const columns = ds.columns.map((col, position): ColumnSummary => {
    const base: ColumnSummary = {
      name: col.name,
      position,
      dtype: col.dtype,
      sourceType: col.sourceType,
      nullable: col.nullable,
      line: col.line,
      rows,
      nullCount: 0,
      infCount: 0,
      identifier: false,
      highCardinality: false,
    };
    const data = col.data;
    if (!data) return base;
    if (data.kind === 'numeric') {
      const v = data.values;
      const target = consume ? v : new Float64Array(v.length);
      let finite = 0;
      let nulls = 0;
      let inf = 0;
      if (consume && data.allFinite && data.nullCount !== undefined) finite = v.length; // nothing to filter
      else for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x !== x) nulls++;
        else if (x === Infinity || x === -Infinity) inf++;
        else target[finite++] = x === 0 ? 0 : x; // normalise -0
      }
      if (data.nullCount !== undefined) nulls += data.nullCount;
      const sorted = target.subarray(0, finite);
      if (consume) col.data = undefined;
      base.sorted = sortFloat64InPlace(sorted);
      base.nullCount = nulls;
      base.infCount = inf;
      const distinct = distinctSorted(base.sorted);
      const ms = meanStd(base.sorted, 0);
      base.distinct = distinct;
      base.mean = ms.mean;
      base.sumSq = ms.n > 0 ? ms.std * ms.std * ms.n : 0;
      const unique = finite > 20 && distinct === finite && inf === 0;
      // named like an id, or a row number (consecutive integers, one per row)
      const rowNumber = col.dtype === 'int' && nulls === 0 && unique && base.sorted[finite - 1] - base.sorted[0] + 1 === finite;
      base.identifier = ((col.dtype === 'int' || col.dtype === 'string') && unique && ID_NAME.test(col.name)) || rowNumber;
      if (col.sample instanceof Float64Array) base.sample = col.sample.map((x) => (x === 0 ? 0 : x));
    } else {
      const counts = new Float64Array(data.dict.length);
      let nulls = 0;
      if (data.kind === 'counts') {
        nulls = data.counts[0];
        for (let k = 0; k < counts.length; k++) counts[k] = data.counts[k + 1];
      } else {
        const codes = data.codes;
        for (let i = 0; i < codes.length; i++) {
          const c = codes[i];
          if (c < 0) nulls++;
          else counts[c]++;
        }
      }
      const order = Array.from(data.dict.keys()).filter((k) => counts[k] > 0);
      order.sort((a, b) => counts[b] - counts[a] || (data.dict[a] < data.dict[b] ? -1 : 1));
      if (consume) col.data = undefined;
      base.values = order.map((k) => data.dict[k]);
      base.counts = order.map((k) => counts[k]);
      base.nullCount = nulls;
      const nonNull = rows - nulls;
      const distinct = order.length;
      const unique = nonNull > 20 && distinct === nonNull;
      // named like an id, or one token-like value per row (uuids, hashes, keys)
      base.identifier = unique && (ID_NAME.test(col.name) || (nulls === 0 && base.values.every((v) => ID_TOKEN.test(v))));
      base.highCardinality = col.dtype === 'string' && distinct > 50 && distinct > 0.5 * nonNull;
      if (Array.isArray(col.sample)) {
        const codeOf = new Map(base.values.map((v, k) => [v, k]));
        base.sample = Int32Array.from(col.sample, (v) => (v === null ? -1 : (codeOf.get(v) ?? -1)));
      }
    }
    return base;
  });
  const out: DatasetSummary = { format: ds.format, delimiter: ds.delimiter, rowCount: ds.rowCount, headerLine: ds.headerLine, columns, problems: ds.problems };
  if (ds.duplicateRows !== undefined) out.duplicateRows = ds.duplicateRows;
  if (ds.sampleSize !== undefined) out.sampleSize = ds.sampleSize;
  return out;
}

/** Mean and population / sample standard deviation of a numeric summary. */
export function moments(c: ColumnSummary): { mean: number; sd0: number; sd1: number } {
  const s = c.sorted as Float64Array;
  let mean = c.mean;
  let sumSq = c.sumSq;
  if (mean === undefined || sumSq === undefined) {
    const ms = meanStd(s, 0);
    mean = ms.mean;
    sumSq = ms.n > 0 ? ms.std * ms.std * ms.n : 0;
  }
  const n = s.length;
  return { mean, sd0: n > 0 ? Math.sqrt(sumSq / n) : NaN, sd1: n > 1 ? Math.sqrt(sumSq / (n - 1)) : NaN };
}

export function nonNullOf(c: ColumnSummary): number {
  return c.rows - c.nullCount;
}

export function isNumericDtype(d: ColumnDtype): boolean {
  return d === 'int' || d === 'float';
}

/**
 * Parses and summarises one dataset sample: per column sorted values (numeric) or category counts.
 * The result is plain data — it can be posted from a worker (transfer `summaryTransferables(s)`),
 * so the two sides of a diff can be summarised in parallel and compared with diffDatasetSummaries().
 */
export function summarizeDataset(input: DatasetInput, kind: DatasetKind, opts: DatasetOptions = {}): DatasetSummary {
  return summarize(parseDatasetImpl(input, kind, opts, true), true);
}

/** ArrayBuffers of a summary, for postMessage(summary, transferables). */
export function summaryTransferables(s: DatasetSummary): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const c of s.columns) {
    if (c.sorted && c.sorted.buffer instanceof ArrayBuffer) out.add(c.sorted.buffer);
    if (c.sample && c.sample.buffer instanceof ArrayBuffer) out.add(c.sample.buffer);
  }
  return [...out];
}
