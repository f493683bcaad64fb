// Typed Parquet column decoding (issue 14): the pages of a flat column chunk are decoded straight into
// the column's typed storage — numbers into a Float64Array (NaN = null), strings and booleans into
// Int32Array dictionary codes (−1 = null) — with no JS object per value. Nulls come from the
// definition levels; dictionary pages become a small per-chunk table (converted numbers, or global
// codes) and data pages are read as integer indices into it.
//
// hyparquet still does the framing: footer metadata, page headers (thrift) and snappy. What is done
// here is what hyparquet's readColumn would turn into per-value JS objects (Dates, BigInts, strings,
// boxed arrays of levels). The conversions are the ones of hyparquet's convert() + parquet.ts's
// parquetColumn(), value for value (test/unit/dataset-parquet-typed.test.ts is the oracle): a column
// type or encoding this module does not know throws Unsupported, and the caller decodes that column
// the old way.
import { parquetHeader } from 'hyparquet/src/column.js';
import { snappyUncompress } from 'hyparquet/src/snappy.js';
import { TD } from './common';
import type { ColumnDtype } from './types';

export class Unsupported extends Error {}

interface Element {
  name: string;
  type?: string;
  type_length?: number;
  converted_type?: string;
  logical_type?: { type: string; unit?: string; bitWidth?: number; isSigned?: boolean };
  scale?: number;
  repetition_type?: string;
}

/** How one value of a numeric physical type becomes the number the old path stored. */
type NumConv = 'raw' | 'u32' | 'i64' | 'u64' | 'date' | 'ms' | 'us' | 'ns' | 'dec';

export interface TypedPlan {
  storage: 'numeric' | 'categorical';
  dtype: ColumnDtype;
  conv: NumConv;
  /** 10 ** −scale for decimals (multiplied, as hyparquet does). */
  factor: number;
  physical: string;
  maxDef: number;
}

/** The typed plan for a flat column, or null when its type needs the per-value path. */
export function typedPlan(el: Element): TypedPlan | null {
  const t = el.type;
  const ct = el.converted_type;
  const lt = el.logical_type?.type;
  const maxDef = el.repetition_type === 'REQUIRED' ? 0 : 1;
  const base = { factor: 1, physical: t ?? '', maxDef };
  if (t === 'BYTE_ARRAY') {
    if ((ct === undefined || ct === 'UTF8' || ct === 'ENUM') && (lt === undefined || lt === 'STRING' || lt === 'ENUM'))
      return { ...base, storage: 'categorical', dtype: 'string', conv: 'raw' };
    return null;
  }
  if (t === 'BOOLEAN') return ct === undefined && lt === undefined ? { ...base, storage: 'categorical', dtype: 'bool', conv: 'raw' } : null;
  if (t === 'FLOAT' || t === 'DOUBLE') {
    if (ct !== undefined || (lt !== undefined && lt !== 'FLOAT16')) return null;
    if (lt === 'FLOAT16') return null;
    return { ...base, storage: 'numeric', dtype: legacyDtype(el, false), conv: 'raw' };
  }
  if (t !== 'INT32' && t !== 'INT64') return null;
  const int64 = t === 'INT64';
  const lg = el.logical_type;
  let conv: NumConv;
  let dtype: ColumnDtype = 'int';
  if (ct === 'DECIMAL') {
    const scale = el.scale || 0;
    return { ...base, storage: 'numeric', dtype: legacyDtype(el, false), conv: 'dec', factor: 10 ** -scale };
  }
  if (ct === 'DATE') {
    if (int64) return null;
    conv = 'date';
    dtype = 'datetime';
  } else if (ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS') {
    if (!int64) return null;
    conv = ct === 'TIMESTAMP_MILLIS' ? 'ms' : 'us';
    dtype = 'datetime';
  } else if (ct === 'UINT_64' || (lt === 'INTEGER' && lg!.bitWidth === 64 && !lg!.isSigned)) {
    if (!int64) return null;
    conv = 'u64';
  } else if (ct === 'UINT_32' || (lt === 'INTEGER' && lg!.bitWidth === 32 && !lg!.isSigned)) {
    if (int64) return null;
    conv = 'u32';
  } else if (lt === 'TIMESTAMP') {
    if (!int64) return null;
    const unit = lg!.unit;
    conv = unit === 'MICROS' ? 'us' : unit === 'NANOS' ? 'ns' : 'ms';
    dtype = 'datetime';
  } else if (ct === undefined || ct.startsWith('INT_') || ct === 'UINT_8' || ct === 'UINT_16') {
    if (lt !== undefined && lt !== 'INTEGER') return null;
    conv = int64 ? 'i64' : 'raw';
  } else return null;
  return { ...base, storage: 'numeric', dtype: legacyDtype(el, dtype === 'datetime'), conv };
}

/** parquet.ts's dtype rule for a numeric column (values that are Dates make it a datetime). */
function legacyDtype(el: Element, isDate: boolean): ColumnDtype {
  const logical = el.logical_type?.type;
  if (isDate || logical === 'DATE' || logical === 'TIMESTAMP' || el.converted_type === 'DATE' || el.converted_type?.startsWith('TIMESTAMP')) return 'datetime';
  if ((el.type === 'INT32' || el.type === 'INT64') && !(el.scale && el.scale > 0) && logical !== 'DECIMAL') return 'int';
  return 'float';
}

/** Typed storage of one column over the whole file, filled chunk by chunk. */
export class TypedColumn {
  values: Float64Array | null = null;
  codes: Int32Array | null = null;
  dict: string[] = [];
  private index = new Map<string, number>();
  constructor(
    readonly plan: TypedPlan,
    rowCount: number,
  ) {
    // every row is written by decodeChunk (nulls as NaN / −1), or the column falls back
    if (plan.storage === 'numeric') this.values = new Float64Array(rowCount);
    else this.codes = new Int32Array(rowCount);
  }
  codeOf(s: string): number {
    let c = this.index.get(s);
    if (c === undefined) {
      c = this.dict.length;
      this.dict.push(s);
      this.index.set(s, c);
    }
    return c;
  }
}

// hyparquet decodes strings with a default TextDecoder (replacement characters, a leading BOM dropped)
const utf8 = new TD('utf-8');

// scratch buffers, grown as needed (one decode at a time: the module is synchronous)
let scratchI32 = new Int32Array(1 << 16);
let scratchF64 = new Float64Array(1 << 16);
let scratchDef = new Uint8Array(1 << 16);
let scratchPage = new Uint8Array(1 << 16);
function i32(n: number): Int32Array {
  if (scratchI32.length < n) scratchI32 = new Int32Array(Math.max(n, scratchI32.length * 2));
  return scratchI32;
}
function f64(n: number): Float64Array {
  if (scratchF64.length < n) scratchF64 = new Float64Array(Math.max(n, scratchF64.length * 2));
  return scratchF64;
}
function defs(n: number): Uint8Array {
  if (scratchDef.length < n) scratchDef = new Uint8Array(Math.max(n, scratchDef.length * 2));
  return scratchDef;
}

/**
 * RLE / bit-packed hybrid run of `count` values of `width` bits from b[pos, end) into out[0, count).
 * Returns the position after the last run read.
 */
export function readHybrid(b: Uint8Array, pos: number, end: number, width: number, out: Int32Array | Uint8Array, count: number): number {
  let seen = 0;
  const mask = width >= 32 ? -1 : (1 << width) - 1;
  const bytesPer = (width + 7) >> 3;
  while (seen < count) {
    if (pos >= end) throw new Error('parquet RLE/bit-packed run past the end of the page');
    // varint header
    let header = 0;
    let shift = 0;
    for (;;) {
      const byte = b[pos++];
      header |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
      shift += 7;
    }
    if (header & 1) {
      const groups = header >>> 1;
      const n = groups * 8;
      const bytes = groups * width;
      const stop = Math.min(count, seen + n);
      if (width === 0) {
        out.fill(0, seen, stop);
      } else if (width === 1) {
        let i = seen;
        let k = pos;
        for (; i + 8 <= stop; i += 8) {
          const v = b[k++];
          out[i] = v & 1;
          out[i + 1] = (v >> 1) & 1;
          out[i + 2] = (v >> 2) & 1;
          out[i + 3] = (v >> 3) & 1;
          out[i + 4] = (v >> 4) & 1;
          out[i + 5] = (v >> 5) & 1;
          out[i + 6] = (v >> 6) & 1;
          out[i + 7] = (v >> 7) & 1;
        }
        for (let bit = 0; i < stop; i++, bit++) out[i] = (b[k] >> bit) & 1;
      } else if (width <= 8 && pos + bytes + 3 < b.length) {
        // whole groups of 8 values are `width` bytes: read them as two 32-bit words when possible
        for (let i = seen, bit = 0; i < stop; i++, bit += width) {
          const k = pos + (bit >> 3);
          out[i] = ((b[k] | (b[k + 1] << 8)) >>> (bit & 7)) & mask;
        }
      } else if (width <= 24) {
        for (let i = seen, bit = 0; i < stop; i++, bit += width) {
          const k = pos + (bit >> 3);
          const w = b[k] | (b[k + 1] << 8) | (b[k + 2] << 16) | (b[k + 3] << 24);
          out[i] = (w >>> (bit & 7)) & mask;
        }
      } else {
        for (let i = seen, bit = 0; i < stop; i++, bit += width) {
          let v = 0;
          for (let j = 0; j < width; j++) {
            const bb = bit + j;
            v += ((b[pos + (bb >> 3)] >> (bb & 7)) & 1) * 2 ** j;
          }
          out[i] = v | 0;
        }
      }
      pos += bytes; // reads past the last byte give 0 (a page's last group may be cut short)
      seen = stop;
    } else {
      const run = header >>> 1;
      let v = 0;
      for (let i = 0; i < bytesPer; i++) v |= b[pos++] << (i << 3);
      out.fill(v, seen, Math.min(count, seen + run));
      seen += run;
    }
  }
  return pos;
}

/** True when 1-bit definition levels at b[pos] start with one RLE run of 1s covering all `count` values. */
function allDefined(b: Uint8Array, pos: number, count: number): boolean {
  let header = 0;
  let shift = 0;
  for (;;) {
    const byte = b[pos++];
    header |= (byte & 0x7f) << shift;
    if (!(byte & 0x80) || shift > 28) break;
    shift += 7;
  }
  return (header & 1) === 0 && header >>> 1 >= count && b[pos] === 1;
}

function decompress(codec: string, src: Uint8Array, size: number): Uint8Array {
  if (codec === 'UNCOMPRESSED') {
    if (src.length !== size) throw new Unsupported('page size');
    return src;
  }
  if (codec !== 'SNAPPY') throw new Unsupported(codec);
  // one reused buffer: everything read from a page is copied out of it (numbers, codes, strings)
  if (scratchPage.length < size) scratchPage = new Uint8Array(Math.max(size, scratchPage.length * 2));
  const out = scratchPage.subarray(0, size);
  snappyUncompress(src, out);
  return out;
}

const POW32 = 4294967296;

/** An INT64 (lo, hi words) as the number the old path stored for this conversion. */
function int64Value(lo: number, hi: number, conv: NumConv, factor: number): number {
  switch (conv) {
    case 'u64':
      return (hi >>> 0) * POW32 + (lo >>> 0);
    case 'dec':
      return (hi * POW32 + (lo >>> 0)) * factor;
    case 'ms':
      return clipTime(hi * POW32 + (lo >>> 0));
    case 'us':
      return clipTime(divTrunc(lo, hi, 1000));
    case 'ns':
      return clipTime(divTrunc(lo, hi, 1000000));
    default:
      return hi * POW32 + (lo >>> 0); // Number(bigint): correctly rounded, as is this one addition
  }
}

/** Exact trunc(int64 / d) (BigInt division), as a number. */
function divTrunc(lo: number, hi: number, d: number): number {
  const v = hi * POW32 + (lo >>> 0);
  if (v > -9007199254740992 && v < 9007199254740992) {
    let q = Math.trunc(v / d);
    const r = v - q * d;
    if (v >= 0 ? r < 0 : r > 0) q += v >= 0 ? -1 : 1;
    else if (v >= 0 ? r >= d : r <= -d) q += v >= 0 ? 1 : -1;
    return q;
  }
  const big = (BigInt(hi) << 32n) | BigInt(lo >>> 0);
  return Number(big / BigInt(d));
}

/** new Date(ms).getTime(): NaN beyond ±8.64e15, −0 → 0, truncated to an integer. */
function clipTime(ms: number): number {
  if (!(Math.abs(ms) <= 8.64e15)) return NaN;
  return Math.trunc(ms) + 0;
}

function int32Value(v: number, conv: NumConv, factor: number): number {
  switch (conv) {
    case 'u32':
      return v >>> 0;
    case 'dec':
      return v * factor;
    case 'date':
      return clipTime(v * 86400000);
    default:
      return v;
  }
}

/** Reads `n` PLAIN numeric values from page bytes at `pos` into out[0, n); returns the end position. */
function plainNumbers(page: Uint8Array, pos: number, n: number, plan: TypedPlan, out: Float64Array): number {
  const dv = new DataView(page.buffer, page.byteOffset, page.byteLength);
  const t = plan.physical;
  if (t === 'DOUBLE') {
    if (pos + n * 8 > page.length) throw new Error('parquet page too short for its values');
    if ((page.byteOffset + pos) % 8 === 0) out.set(new Float64Array(page.buffer, page.byteOffset + pos, n));
    else for (let i = 0; i < n; i++) out[i] = dv.getFloat64(pos + 8 * i, true);
    return pos + 8 * n;
  }
  if (t === 'FLOAT') {
    if (pos + n * 4 > page.length) throw new Error('parquet page too short for its values');
    for (let i = 0; i < n; i++) out[i] = dv.getFloat32(pos + 4 * i, true);
    return pos + 4 * n;
  }
  if (t === 'INT32') {
    if (pos + n * 4 > page.length) throw new Error('parquet page too short for its values');
    const { conv, factor } = plan;
    if (conv === 'raw') for (let i = 0; i < n; i++) out[i] = dv.getInt32(pos + 4 * i, true);
    else for (let i = 0; i < n; i++) out[i] = int32Value(dv.getInt32(pos + 4 * i, true), conv, factor);
    return pos + 4 * n;
  }
  // INT64
  if (pos + n * 8 > page.length) throw new Error('parquet page too short for its values');
  const { conv, factor } = plan;
  if (conv === 'i64')
    for (let i = 0, p = pos; i < n; i++, p += 8) out[i] = dv.getInt32(p + 4, true) * POW32 + dv.getUint32(p, true);
  else for (let i = 0, p = pos; i < n; i++, p += 8) out[i] = int64Value(dv.getInt32(p, true), dv.getInt32(p + 4, true), conv, factor);
  return pos + 8 * n;
}

/** PLAIN byte arrays → global codes (one string per value: plain pages are the high-cardinality case). */
function plainStrings(page: Uint8Array, pos: number, n: number, col: TypedColumn, out: Int32Array): number {
  for (let i = 0; i < n; i++) {
    if (pos + 4 > page.length) throw new Error('parquet page too short for its values');
    const len = (page[pos] | (page[pos + 1] << 8) | (page[pos + 2] << 16) | (page[pos + 3] << 24)) >>> 0;
    pos += 4;
    if (pos + len > page.length) throw new Error('parquet page too short for its values');
    out[i] = col.codeOf(utf8.decode(page.subarray(pos, pos + len)));
    pos += len;
  }
  return pos;
}

function plainBooleans(page: Uint8Array, pos: number, n: number, col: TypedColumn, out: Int32Array): number {
  if (pos + ((n + 7) >> 3) > page.length) throw new Error('parquet page too short for its values');
  let codeT = -1;
  let codeF = -1;
  for (let i = 0; i < n; i++) {
    const bit = (page[pos + (i >> 3)] >> (i & 7)) & 1;
    if (bit) out[i] = codeT >= 0 ? codeT : (codeT = col.codeOf('true'));
    else out[i] = codeF >= 0 ? codeF : (codeF = col.codeOf('false'));
  }
  return pos + ((n + 7) >> 3);
}

interface ChunkMeta {
  type: string;
  codec: string;
  num_values: bigint | number;
  total_compressed_size: bigint | number;
  data_page_offset: bigint | number;
  dictionary_page_offset?: bigint | number;
}

/**
 * Decodes one column chunk into `col` at rows [rowStart, rowStart + groupRows). Throws Unsupported for
 * a feature the per-value path has to handle, or an Error for a broken chunk.
 */
export function decodeChunk(ab: ArrayBuffer, meta: ChunkMeta, col: TypedColumn, rowStart: number, groupRows: number): void {
  const plan = col.plan;
  if (meta.type !== plan.physical) throw new Unsupported('type');
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const end = start + Number(meta.total_compressed_size);
  if (end > ab.byteLength) throw new Error('column chunk beyond the end of the file');
  const reader = { view: new DataView(ab, start, end - start), offset: 0 };
  const bytes = new Uint8Array(ab, start, end - start);
  let numDict: Float64Array | null = null;
  let codeDict: Int32Array | null = null;
  let row = 0;
  while (row < groupRows) {
    if (reader.offset >= bytes.length - 1) throw new Error(`column chunk ends after ${row} of ${groupRows} rows`);
    const header = parquetHeader(reader);
    const size = header.compressed_page_size;
    const raw = bytes.subarray(reader.offset, reader.offset + size);
    if (raw.length !== size) throw new Error('page beyond the end of its column chunk');
    reader.offset += size;
    if (header.type === 'DICTIONARY_PAGE') {
      const dh = header.dictionary_page_header;
      if (!dh) throw new Error('parquet dictionary page header is undefined');
      const page = decompress(meta.codec, raw, Number(header.uncompressed_page_size));
      const n = dh.num_values;
      if (plan.storage === 'numeric') {
        numDict = new Float64Array(n);
        plainNumbers(page, 0, n, plan, numDict);
      } else {
        codeDict = new Int32Array(n);
        if (plan.physical === 'BOOLEAN') plainBooleans(page, 0, n, col, codeDict);
        else plainStrings(page, 0, n, col, codeDict);
      }
      continue;
    }
    let numValues: number;
    let encoding: string;
    let page: Uint8Array;
    let pos = 0;
    let def: Uint8Array | null = null;
    let nonNull: number;
    if (header.type === 'DATA_PAGE') {
      const dh = header.data_page_header;
      if (!dh) throw new Error('parquet data page header is undefined');
      numValues = dh.num_values;
      encoding = dh.encoding;
      page = decompress(meta.codec, raw, Number(header.uncompressed_page_size));
      nonNull = numValues;
      if (plan.maxDef > 0) {
        if (dh.definition_level_encoding !== 'RLE') throw new Unsupported('definition level encoding');
        const len = (page[0] | (page[1] << 8) | (page[2] << 16) | (page[3] << 24)) >>> 0;
        pos = 4 + len;
        if (!allDefined(page, 4, numValues)) {
          def = defs(numValues);
          readHybrid(page, 4, 4 + len, 1, def, numValues);
          nonNull = 0;
          for (let i = 0; i < numValues; i++) nonNull += def[i];
        }
      }
    } else if (header.type === 'DATA_PAGE_V2') {
      const dh = header.data_page_header_v2;
      if (!dh) throw new Error('parquet data page header v2 is undefined');
      if (dh.repetition_levels_byte_length) throw new Unsupported('repetition levels');
      numValues = dh.num_values;
      encoding = dh.encoding;
      const dlen = dh.definition_levels_byte_length;
      nonNull = numValues;
      if (plan.maxDef > 0) {
        if (!allDefined(raw, 0, numValues)) {
          def = defs(numValues);
          readHybrid(raw, 0, dlen, 1, def, numValues);
          nonNull = 0;
          for (let i = 0; i < numValues; i++) nonNull += def[i];
        }
      }
      const body = raw.subarray(dlen);
      const usize = Number(header.uncompressed_page_size) - dlen;
      page = dh.is_compressed === false ? body : decompress(meta.codec, body, usize);
    } else throw new Unsupported(`page type ${header.type}`);
    if (nonNull === numValues) def = null; // levels written but no nulls in this page: no scatter
    if (row + numValues > groupRows) throw new Error(`column chunk holds more values than its ${groupRows} rows`);
    // values of the page's non-null rows → scratch, then scattered by the definition levels
    const dst = rowStart + row;
    if (plan.storage === 'numeric') {
      const values = col.values!;
      if (encoding === 'RLE_DICTIONARY' || encoding === 'PLAIN_DICTIONARY') {
        if (!numDict) throw new Error('dictionary-encoded page without a dictionary');
        const idx = i32(nonNull);
        dictIndices(page, pos, idx, nonNull);
        const d = numDict;
        const nd = d.length;
        let bad = false;
        if (!def)
          for (let i = 0; i < nonNull; i++) {
            const k = idx[i];
            bad ||= k >>> 0 >= nd;
            values[dst + i] = d[k];
          }
        else
          for (let i = 0, j = 0; i < numValues; i++)
            if (def[i]) {
              const k = idx[j++];
              bad ||= k >>> 0 >= nd;
              values[dst + i] = d[k];
            } else values[dst + i] = NaN;
        if (bad) throw new Error('dictionary index out of range');
      } else if (encoding === 'PLAIN') {
        if (!def) plainNumbers(page, pos, nonNull, plan, values.subarray(dst, dst + nonNull));
        else {
          const tmp = f64(nonNull);
          plainNumbers(page, pos, nonNull, plan, tmp);
          for (let i = 0, j = 0; i < numValues; i++) values[dst + i] = def[i] ? tmp[j++] : NaN;
        }
      } else throw new Unsupported(encoding);
    } else {
      const idx = i32(nonNull);
      if (encoding === 'RLE_DICTIONARY' || encoding === 'PLAIN_DICTIONARY') {
        if (!codeDict) throw new Error('dictionary-encoded page without a dictionary');
        dictIndices(page, pos, idx, nonNull);
        const d = codeDict;
        const nd = d.length;
        let bad = false;
        if (!def) {
          const codes = col.codes!;
          for (let i = 0; i < nonNull; i++) {
            const k = idx[i];
            bad ||= k >>> 0 >= nd;
            codes[dst + i] = d[k];
          }
          if (bad) throw new Error('dictionary index out of range');
          row += numValues;
          continue;
        }
        for (let i = 0; i < nonNull; i++) {
          const k = idx[i];
          bad ||= k >>> 0 >= nd;
          idx[i] = d[k];
        }
        if (bad) throw new Error('dictionary index out of range');
      } else if (encoding === 'PLAIN') {
        if (plan.physical === 'BOOLEAN') plainBooleans(page, pos, nonNull, col, idx);
        else plainStrings(page, pos, nonNull, col, idx);
      } else if (encoding === 'RLE' && plan.physical === 'BOOLEAN') {
        const len = (page[pos] | (page[pos + 1] << 8) | (page[pos + 2] << 16) | (page[pos + 3] << 24)) >>> 0;
        readHybrid(page, pos + 4, pos + 4 + len, 1, idx, nonNull);
        let codeT = -1;
        let codeF = -1;
        for (let i = 0; i < nonNull; i++)
          idx[i] = idx[i] ? (codeT >= 0 ? codeT : (codeT = col.codeOf('true'))) : codeF >= 0 ? codeF : (codeF = col.codeOf('false'));
      } else throw new Unsupported(encoding);
      const codes = col.codes!;
      if (!def) codes.set(idx.subarray(0, nonNull), dst);
      else for (let i = 0, j = 0; i < numValues; i++) codes[dst + i] = def[i] ? idx[j++] : -1;
    }
    row += numValues;
  }
}

function dictIndices(page: Uint8Array, pos: number, out: Int32Array, n: number): void {
  if (n === 0) return;
  const width = page[pos];
  if (width === 0) out.fill(0, 0, n);
  else readHybrid(page, pos + 1, page.length, width, out, n);
}
