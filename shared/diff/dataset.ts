// Dataset samples (CSV/TSV, Parquet, schema JSON): parsing, profiling, schema diff and drift (issue 3).
// Pure TypeScript: no node built-ins, no DOM — runs in Node, worker threads and the browser.
//
// CSV strategy: a hand-written byte-level RFC 4180 tokenizer (quoted fields, "" escapes, embedded
// newlines, CRLF/LF/CR) that writes straight into typed columns — Float64Array for numeric columns
// (numbers parsed from the bytes with an exact fast path), dictionary-encoded Int32Array for the rest
// (a byte-keyed hash table, so a repeated category never becomes a JS string again). Papaparse builds
// a string per field and an array per row, which is several times slower and heavier at 1M × 20
// (see test/bench/dataset.bench.mjs), and its type package pulls Node's types into shared/; it is
// used in the tests as an oracle instead.
// Parquet: hyparquet's synchronous building blocks (metadata, per-column-chunk decoding) on bytes in
// memory, so the whole module stays synchronous.
// Drift: Evidently's defaults (DESIGN §6), statistics in ./stats.

import { readColumn } from 'hyparquet/src/column.js';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { parquetMetadata, parquetSchema } from 'hyparquet/src/metadata.js';
import type { Change, ChangeSeverity, DiffResult, ParseProblem } from './types';
import { jsonProblem } from './detect';
import {
  chiSquareGoodnessOfFit,
  distinctSorted,
  jensenShannon,
  ks2samp,
  ksStatisticSorted,
  lowerBound,
  meanStd,
  psiBand,
  psiFromCounts,
  quantileBinEdges,
  binCountsSorted,
  quantileSorted,
  sortFloat64InPlace,
  upperBound,
  wassersteinSorted,
  zTestProportions,
} from './stats';

// ---------------------------------------------------------------------------------------------
// Public types

export type DatasetKind = 'csv' | 'parquet' | 'schema';
export type ColumnDtype = 'int' | 'float' | 'bool' | 'datetime' | 'string';

export interface DatasetInput {
  name: string;
  bytes: Uint8Array;
}

export interface DatasetOptions {
  /** Called now and then while parsing (bytes or rows done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Return true to abandon the work; the call then throws an Error whose name is 'AbortError'. */
  shouldCancel?: () => boolean;
}

/** Numeric storage: one value per row, NaN = null. Datetimes are epoch milliseconds (UTC). */
export interface NumericData {
  kind: 'numeric';
  values: Float64Array;
  /** Summary path only: `values` holds just the non-null values (row order lost) and this many were null. */
  nullCount?: number;
  /** Summary path only: true when no value is ±Infinity (so no value needs filtering). */
  allFinite?: boolean;
}
/** Categorical storage: one dictionary code per row, −1 = null. */
export interface CategoricalData {
  kind: 'categorical';
  codes: Int32Array;
  dict: string[];
}

/** Summary path only: category counts instead of per-row codes; counts[0] = nulls, counts[k + 1] = dict[k]. */
export interface CountsData {
  kind: 'counts';
  counts: Int32Array;
  dict: string[];
}

export interface ParsedColumn {
  name: string;
  dtype: ColumnDtype;
  /** Type as written by the source (parquet physical/logical type, schema dtype string). */
  sourceType?: string;
  /** Schema only: whether the schema allows nulls (undefined when it does not say). */
  nullable?: boolean;
  /** Schema only: 1-based line of the column's declaration. */
  line?: number;
  data?: NumericData | CategoricalData | CountsData;
}

export interface ParsedDataset {
  format: 'csv' | 'tsv' | 'parquet' | 'schema';
  delimiter?: string;
  /** null for a schema (no rows). */
  rowCount: number | null;
  columns: ParsedColumn[];
  problems: ParseProblem[];
  /** 1-based line of the header (CSV). */
  headerLine?: number;
}

export interface Quantiles {
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
}

export interface ColumnProfile {
  name: string;
  /** 0-based position. */
  position: number;
  dtype: ColumnDtype;
  sourceType?: string;
  nullable?: boolean;
  /** Total rows. */
  rows: number;
  /** Non-null values (pandas' describe "count"). */
  count: number;
  nullCount: number;
  nullRate: number;
  distinct: number;
  /** Numeric and datetime (epoch ms): finite values only. */
  min?: number;
  max?: number;
  /** Numeric only; std is the sample standard deviation (ddof 1, like pandas). */
  mean?: number;
  std?: number;
  quantiles?: Quantiles;
  /** Datetime only: ISO 8601 of min/max. */
  minIso?: string;
  maxIso?: string;
  /** Categorical columns, and numeric columns with ≤ 20 distinct values: most frequent first (≤ 10). */
  topCategories?: { value: string; count: number }[];
  /** Heuristic: unique values in a column named like an id (skipped by drift and range checks). */
  identifier?: boolean;
  /** Heuristic: string column where most values are unique (free text); skipped by category/drift checks. */
  highCardinality?: boolean;
}

export interface DatasetProfile {
  format: ParsedDataset['format'];
  delimiter?: string;
  rowCount: number | null;
  columns: ColumnProfile[];
  problems: ParseProblem[];
}

/** Baseline of one column, for generated tests (expected dtype, null-rate ceiling, range, categories). */
export interface ColumnBaseline {
  name: string;
  position: number;
  dtype: ColumnDtype;
  nullable: boolean;
  /** Observed null rate in the last-known-good sample. */
  nullRate: number | null;
  /** Suggested ceiling: observed + max(0.02, 3·√(p(1−p)/n)), rounded up to 0.01, at most 1. */
  nullRateCeiling: number | null;
  min?: number;
  max?: number;
  quantiles?: Quantiles;
  /** Full category set of a categorical column (≤ 100 distinct in change params; ≤ 10 from datasetBaseline(profile)). */
  categories?: string[];
}

export interface DatasetBaseline {
  columns: string[];
  dtypes: Record<string, ColumnDtype>;
  rowCount: number | null;
  perColumn: Record<string, ColumnBaseline>;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const NULL_TOKENS = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]); // pandas' default na_values

const BOOL_TOKENS: Record<string, string> = {
  true: 'true',
  True: 'true',
  TRUE: 'true',
  false: 'false',
  False: 'false',
  FALSE: 'false',
};

type Decoder = { decode(input?: Uint8Array): string };
type DecoderCtor = new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }) => Decoder;
const TD = (globalThis as unknown as { TextDecoder: DecoderCtor }).TextDecoder;
const strictDecoder = new TD('utf-8', { fatal: true, ignoreBOM: true });
const looseDecoder = new TD('utf-8', { ignoreBOM: true });

class Problems {
  list: ParseProblem[] = [];
  private counts = new Map<string, number>();
  private extra = new Map<string, number>();
  constructor(private readonly cap = 20) {}
  add(group: string, message: string, line?: number, column?: number): void {
    const c = this.counts.get(group) ?? 0;
    this.counts.set(group, c + 1);
    if (c < this.cap) {
      const p: ParseProblem = { message };
      if (line !== undefined) p.line = line;
      if (column !== undefined) p.column = column;
      this.list.push(p);
    } else this.extra.set(group, (this.extra.get(group) ?? 0) + 1);
  }
  has(group: string): boolean {
    return this.counts.has(group);
  }
  finish(): ParseProblem[] {
    for (const [group, n] of this.extra) this.list.push({ message: `… and ${n} more ${group} problem${n === 1 ? '' : 's'}` });
    return this.list;
  }
}

function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer)
    return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

/** True when the bytes look like a Parquet file (PAR1 magic at both ends). */
export function isParquet(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return (
    n >= 12 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x41 &&
    bytes[2] === 0x52 &&
    bytes[3] === 0x31 &&
    bytes[n - 4] === 0x50 &&
    bytes[n - 3] === 0x41 &&
    bytes[n - 2] === 0x52 &&
    bytes[n - 1] === 0x31
  );
}

// ---------------------------------------------------------------------------------------------
// Number and datetime parsing from bytes

const POW10: number[] = [];
for (let i = 0; i <= 22; i++) POW10.push(Number(`1e${i}`));

const PN_OK = 0;
const PN_NULL = 1;
const PN_FAIL = 2;
let pnStatus = PN_OK;
let pnFrac = false;

const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INF_RE = /^[+-]?(inf|Inf|INF|infinity|Infinity|INFINITY)$/;

// Window of the input decoded 1:1 (windows-1252: one UTF-16 unit per byte), for the rare numbers that
// need the exact slow path (more than 15 significant digits): slicing it is much cheaper than building
// a string byte by byte.
const byteDecoder = new TD('latin1');
let winBuf: Uint8Array | null = null;
let winStart = 0;
let winEnd = 0;
let winText = '';

function latin1(b: Uint8Array, s: number, e: number): string {
  if (b !== winBuf || s < winStart || e > winEnd) {
    winBuf = b;
    winStart = s;
    winEnd = Math.min(b.length, Math.max(e, s + (1 << 20)));
    winText = byteDecoder.decode(b.subarray(winStart, winEnd));
  }
  return winText.slice(s - winStart, e - winStart);
}

/** Drops the decoded window (so a large input is not kept alive). */
function releaseWindow(): void {
  winBuf = null;
  winText = '';
  winStart = winEnd = 0;
}

// Exact conversion of a 16–19 digit decimal M·10^e (M = hi·10^k + lo, |e| ≤ 22) with double-double
// arithmetic (Dekker/Veltkamp products, error-free sums): the result is the correctly rounded double
// unless the value lies within ~2^-40 ulp of a rounding boundary, in which case NaN asks the caller to
// use parseFloat. Saves the string round trip for full-precision floats (pandas writes 17 digits).
const SPLITTER = 134217729; // 2^27 + 1
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian: high word is [1]
const POW2_ULP: number[] = [];
for (let ex = 0; ex < 2048; ex++) POW2_ULP.push(2 ** (Math.max(ex, 1) - 1075));

function wideToDouble(hi: number, k: number, lo: number, exp10: number): number {
  // M = hi·10^k + lo as a double-double (mh, ml)
  const P = POW10[k];
  const s = hi * P;
  let c = SPLITTER * hi;
  const hh = c - (c - hi);
  const hl = hi - hh;
  c = SPLITTER * P;
  const ph = c - (c - P);
  const pl = P - ph;
  const e1 = hh * ph - s + hh * pl + hl * ph + hl * pl;
  const t = s + lo;
  const bv = t - s;
  const e2 = s - (t - bv) + (lo - bv);
  let mh = t;
  let ml = e1 + e2;
  const u = mh + ml;
  ml = ml - (u - mh);
  mh = u;
  let q1: number;
  let q2: number;
  if (exp10 < 0) {
    const D = POW10[-exp10];
    q1 = mh / D;
    const p = q1 * D;
    c = SPLITTER * q1;
    const qh = c - (c - q1);
    const ql = q1 - qh;
    c = SPLITTER * D;
    const dh = c - (c - D);
    const dl = D - dh;
    const pe = qh * dh - p + qh * dl + ql * dh + ql * dl;
    const r = mh - p - pe + ml;
    q2 = r / D;
  } else {
    const D = POW10[exp10];
    q1 = mh * D;
    c = SPLITTER * mh;
    const ah = c - (c - mh);
    const al = mh - ah;
    c = SPLITTER * D;
    const dh = c - (c - D);
    const dl = D - dh;
    const pe = ah * dh - q1 + ah * dl + al * dh + al * dl;
    q2 = pe + ml * D;
  }
  const v = q1 + q2;
  const bb = v - q1;
  const err = q1 - (v - bb) + (q2 - bb);
  f64[0] = v;
  const w = u32[HI_WORD];
  const ex = (w >>> 20) & 0x7ff;
  if (ex === 0 || ex === 0x7ff) return NaN;
  if ((w & 0xfffff) === 0 && u32[1 - HI_WORD] === 0) return NaN; // power of two: asymmetric spacing
  const half = POW2_ULP[ex] / 2;
  if (Math.abs(Math.abs(err) - half) <= half * 1.8e-12) return NaN; // too close to a tie (2^-39)
  return v;
}

/** Parses a decimal number from bytes [s, e). Sets pnStatus (ok/null/fail) and pnFrac (has '.' or exponent). */
function parseNumBytes(b: Uint8Array, s: number, e: number): number {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  if (s === e) {
    pnStatus = PN_NULL;
    return NaN;
  }
  let i = s;
  let neg = false;
  let c = b[i];
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  let mant = 0; // first 15 significant digits
  let lo = 0; // significant digits 16–19
  let k = 0; // how many digits are in lo
  let sig = 0;
  let digits = 0;
  let exp10 = 0;
  let slow = false;
  let frac = false;
  while (i < e) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) break;
    digits++;
    if (sig > 0 || d !== 0) {
      if (sig < 15) mant = mant * 10 + d;
      else if (sig < 19) {
        lo = lo * 10 + d;
        k++;
      } else {
        slow = true;
        exp10++;
      }
      sig++;
    }
    i++;
  }
  if (i < e && b[i] === 46) {
    frac = true;
    i++;
    while (i < e) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      digits++;
      if (sig > 0 || d !== 0) {
        if (sig < 15) {
          mant = mant * 10 + d;
          exp10--;
        } else if (sig < 19) {
          lo = lo * 10 + d;
          k++;
          exp10--;
        } else slow = true;
        sig++;
      } else exp10--;
      i++;
    }
  }
  if (digits === 0) return parseNumSlow(b, s, e);
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    frac = true;
    i++;
    let eneg = false;
    if (i < e && (b[i] === 45 || b[i] === 43)) {
      eneg = b[i] === 45;
      i++;
    }
    let ex = 0;
    let ed = 0;
    while (i < e) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      if (ex < 100000) ex = ex * 10 + d;
      ed++;
      i++;
    }
    if (ed === 0) return parseNumSlow(b, s, e);
    exp10 += eneg ? -ex : ex;
  }
  if (i !== e) return parseNumSlow(b, s, e);
  pnStatus = PN_OK;
  pnFrac = frac;
  let v: number;
  if (slow || exp10 > 22 || exp10 < -22) v = Math.abs(parseFloat(latin1(b, s, e))); // grammar already checked
  else if (k === 0) v = exp10 >= 0 ? mant * POW10[exp10] : mant / POW10[-exp10];
  else {
    v = wideToDouble(mant, k, lo, exp10);
    if (v !== v) v = Math.abs(parseFloat(latin1(b, s, e)));
  }
  return neg ? -v : v;
}

function parseNumSlow(b: Uint8Array, s: number, e: number): number {
  if (e - s > 40) {
    pnStatus = PN_FAIL;
    return NaN;
  }
  const str = latin1(b, s, e);
  return parseNumString(str);
}

/** Parses a trimmed decimal string; sets pnStatus and pnFrac like parseNumBytes. */
function parseNumString(raw: string): number {
  const str = raw.trim();
  if (NULL_TOKENS.has(str)) {
    pnStatus = PN_NULL;
    return NaN;
  }
  if (NUM_RE.test(str)) {
    pnStatus = PN_OK;
    pnFrac = /[.eE]/.test(str);
    return Number(str);
  }
  if (INF_RE.test(str)) {
    pnStatus = PN_OK;
    pnFrac = true;
    return str[0] === '-' ? -Infinity : Infinity;
  }
  pnStatus = PN_FAIL;
  return NaN;
}

const DATE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO-like date/datetime → epoch ms (UTC unless an offset is given); NaN when it does not match. */
export function parseIsoDate(str: string): number {
  const m = DATE_RE.exec(str.trim());
  if (!m) return NaN;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return NaN;
  const hh = m[4] ? +m[4] : 0;
  const mi = m[5] ? +m[5] : 0;
  const ss = m[6] ? +m[6] : 0;
  if (hh > 23 || mi > 59 || ss > 60) return NaN;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  let t = Date.UTC(y, mo - 1, d, hh, mi, ss, ms);
  const tz = m[8];
  if (tz && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    t -= sign * (+digits.slice(0, 2) * 60 + +digits.slice(2, 4)) * 60000;
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Byte-keyed dictionary for categorical columns

class ByteDict {
  private table: Int32Array;
  private mask: number;
  private hashes: Int32Array;
  private offs: Int32Array;
  private lens: Int32Array;
  private entryCode: Int32Array;
  private k1s: Int32Array;
  private k2s: Int32Array;
  private arena: Uint8Array;
  private arenaLen = 0;
  size = 0;
  strings: string[] = [];
  invalidUtf8 = false;

  constructor(initial = 64) {
    let cap = 16;
    while (cap < initial * 2) cap <<= 1;
    this.table = new Int32Array(cap);
    this.mask = cap - 1;
    this.hashes = new Int32Array(initial);
    this.offs = new Int32Array(initial);
    this.lens = new Int32Array(initial);
    this.entryCode = new Int32Array(initial);
    this.k1s = new Int32Array(initial);
    this.k2s = new Int32Array(initial);
    this.arena = new Uint8Array(Math.max(256, initial * 8));
  }

  /** Code of the value in b[s, e): −1 for a null token. */
  lookup(b: Uint8Array, s: number, e: number): number {
    const len = e - s;
    if (len <= 8) return this.lookupShort(b, s, len);
    return this.lookupLong(b, s, e);
  }

  /** Values of at most 8 bytes: the bytes themselves (two int32) are the key, no byte comparison. */
  private lookupShort(b: Uint8Array, s: number, len: number): number {
    let k1 = 0;
    let k2 = 0;
    if (len >= 4) {
      k1 = b[s] | (b[s + 1] << 8) | (b[s + 2] << 16) | (b[s + 3] << 24);
      for (let k = 4; k < len; k++) k2 |= b[s + k] << ((k - 4) << 3);
    } else for (let k = 0; k < len; k++) k1 |= b[s + k] << (k << 3);
    return this.lookupKey(k1, k2, len, b, s);
  }

  /** Short value whose key (bytes 0–3 little-endian in k1, 4–7 in k2) is already computed. */
  lookupKey(k1: number, k2: number, len: number, b: Uint8Array, s: number): number {
    let h = Math.imul(k1 ^ Math.imul(k2 ^ len, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    let slot = h & this.mask;
    const table = this.table;
    for (;;) {
      const ent = table[slot];
      if (ent === 0) break;
      const idx = ent - 1;
      if (this.lens[idx] === len && this.k1s[idx] === k1 && this.k2s[idx] === k2) return this.entryCode[idx];
      slot = (slot + 1) & this.mask;
    }
    const idx = this.size;
    const code = this.insert(b, s, s + len, h, slot);
    this.k1s[idx] = k1;
    this.k2s[idx] = k2;
    return code;
  }

  lookupLong(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let k = s; k < e; k++) h = Math.imul(h ^ b[k], 0x01000193);
    const len = e - s;
    let slot = h & this.mask;
    const table = this.table;
    for (;;) {
      const ent = table[slot];
      if (ent === 0) break;
      const idx = ent - 1;
      if (this.hashes[idx] === h && this.lens[idx] === len) {
        const o = this.offs[idx];
        const arena = this.arena;
        let k = 0;
        while (k < len && arena[o + k] === b[s + k]) k++;
        if (k === len) return this.entryCode[idx];
      }
      slot = (slot + 1) & this.mask;
    }
    return this.insert(b, s, e, h, slot);
  }

  private insert(b: Uint8Array, s: number, e: number, h: number, slot: number): number {
    const len = e - s;
    const idx = this.size;
    if (idx >= this.hashes.length) {
      const cap = this.hashes.length * 2;
      const grow = (a: Int32Array) => {
        const n = new Int32Array(cap);
        n.set(a);
        return n;
      };
      this.hashes = grow(this.hashes);
      this.offs = grow(this.offs);
      this.lens = grow(this.lens);
      this.entryCode = grow(this.entryCode);
      this.k1s = grow(this.k1s);
      this.k2s = grow(this.k2s);
    }
    if (this.arenaLen + len > this.arena.length) {
      let cap = this.arena.length * 2;
      while (cap < this.arenaLen + len) cap *= 2;
      const n = new Uint8Array(cap);
      n.set(this.arena.subarray(0, this.arenaLen));
      this.arena = n;
    }
    this.arena.set(b.subarray(s, e), this.arenaLen);
    this.hashes[idx] = h;
    this.offs[idx] = this.arenaLen;
    this.lens[idx] = len;
    this.arenaLen += len;
    let str: string;
    try {
      str = strictDecoder.decode(b.subarray(s, e));
    } catch {
      str = looseDecoder.decode(b.subarray(s, e));
      this.invalidUtf8 = true;
    }
    let code: number;
    if (NULL_TOKENS.has(str)) code = -1;
    else {
      code = this.strings.length;
      this.strings.push(str);
    }
    this.entryCode[idx] = code;
    this.table[slot] = idx + 1;
    this.size++;
    if (this.size * 2 > this.table.length) this.rehash();
    return code;
  }

  private rehash(): void {
    const cap = this.table.length * 2;
    const table = new Int32Array(cap);
    const mask = cap - 1;
    for (let idx = 0; idx < this.size; idx++) {
      let slot = this.hashes[idx] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = idx + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

// ---------------------------------------------------------------------------------------------
// CSV tokenizer

interface Sink {
  field(col: number, s: number, e: number, q: number): void;
  /** End of a record; return false to stop. */
  row(nFields: number, line: number): boolean;
}

const Q = 34;
const LF = 10;
const CR = 13;

/**
 * Tokenises records from `pos`. Field flags q: 0 unquoted, 1 quoted, 2 quoted with "" escapes.
 * Blank lines are skipped (as pandas does). Returns the position and line after the last record.
 */
function tokenize(b: Uint8Array, pos: number, delim: number, sink: Sink, line: number, problems: Problems): { pos: number; line: number } {
  const n = b.length;
  const cls = new Uint8Array(256);
  cls[delim] = 1;
  cls[LF] = 1;
  cls[CR] = 1;
  let i = pos;
  outer: while (i < n) {
    let c = b[i];
    if (c === LF) {
      i++;
      line++;
      continue;
    }
    if (c === CR) {
      i++;
      if (i < n && b[i] === LF) i++;
      line++;
      continue;
    }
    const rowLine = line;
    let col = 0;
    for (;;) {
      if (i < n && b[i] === Q) {
        let j = i + 1;
        let esc = 0;
        let closed = false;
        while (j < n) {
          const x = b[j];
          if (x === Q) {
            if (j + 1 < n && b[j + 1] === Q) {
              esc = 1;
              j += 2;
              continue;
            }
            closed = true;
            break;
          }
          if (x === LF) line++;
          else if (x === CR && !(j + 1 < n && b[j + 1] === LF)) line++;
          j++;
        }
        if (!closed) problems.add('quoting', `line ${rowLine}: quoted field never closed`, rowLine, col + 1);
        sink.field(col, i + 1, j, esc ? 2 : 1);
        i = j + 1;
        if (i < n && cls[b[i]] === 0) {
          problems.add('quoting', `line ${line}: unexpected text after a closing quote`, line, col + 1);
          while (i < n && cls[b[i]] === 0) i++;
        }
      } else {
        let j = i;
        while (j < n && cls[b[j]] === 0) j++;
        sink.field(col, i, j, 0);
        i = j;
      }
      col++;
      if (i >= n) {
        sink.row(col, rowLine);
        break outer;
      }
      c = b[i];
      if (c === delim) {
        i++;
        if (i >= n) {
          sink.field(col, i, i, 0);
          sink.row(col + 1, rowLine);
          break outer;
        }
        continue;
      }
      i++;
      if (c === CR && i < n && b[i] === LF) i++;
      line++;
      if (!sink.row(col, rowLine)) return { pos: i, line };
      break;
    }
  }
  return { pos: i, line };
}

/**
 * The hot path: one pass over the bytes that tokenises AND converts. Numeric fields are parsed while
 * they are scanned (digits accumulate as they are found, no second look at the bytes); categorical
 * fields build their short key (≤ 8 bytes packed into two int32) while scanning. Anything unusual — a
 * quoted field, spaces, a number with more than 19 digits, text in a numeric column — goes through
 * the generic ColumnsSink.field(), so results are identical to tokenize() + ColumnsSink.
 */
function mainPass(b: Uint8Array, pos: number, delim: number, sink: ColumnsSink, line: number, problems: Problems): void {
  const n = b.length;
  const modes = sink.modes;
  const nc = modes.length;
  const cls = new Uint8Array(256);
  cls[delim] = 1;
  cls[LF] = 1;
  cls[CR] = 1;
  const nums = sink.num;
  const codesArr = sink.codes;
  const dicts = sink.dicts;
  const fracs = sink.frac;
  const compact = sink.compact;
  const numLen = sink.numLen;
  const nullCounts = sink.nullCounts;
  const catCounts = sink.catCounts;
  let i = pos;
  outer: while (i < n) {
    let c = b[i];
    if (c === LF) {
      i++;
      line++;
      continue;
    }
    if (c === CR) {
      i++;
      if (i < n && b[i] === LF) i++;
      line++;
      continue;
    }
    const rowLine = line;
    const row = sink.rowIndex;
    let col = 0;
    for (;;) {
      const mode = col < nc ? modes[col] : MODE_SKIP;
      if (i < n && b[i] === Q) {
        // quoted field: generic path
        let j = i + 1;
        let esc = 0;
        let closed = false;
        while (j < n) {
          const x = b[j];
          if (x === Q) {
            if (j + 1 < n && b[j + 1] === Q) {
              esc = 1;
              j += 2;
              continue;
            }
            closed = true;
            break;
          }
          if (x === LF) line++;
          else if (x === CR && !(j + 1 < n && b[j + 1] === LF)) line++;
          j++;
        }
        if (!closed) problems.add('quoting', `line ${rowLine}: quoted field never closed`, rowLine, col + 1);
        if (col < nc) sink.field(col, i + 1, j, esc ? 2 : 1);
        i = j + 1;
        if (i < n && cls[b[i]] === 0) {
          problems.add('quoting', `line ${line}: unexpected text after a closing quote`, line, col + 1);
          while (i < n && cls[b[i]] === 0) i++;
        }
      } else if (mode === MODE_NUM) {
        const s0 = i;
        let neg = false;
        if (i < n) {
          c = b[i];
          if (c === 45) {
            neg = true;
            i++;
          } else if (c === 43) i++;
        }
        let mant = 0;
        let lo = 0;
        let k = 0;
        let exp10 = 0;
        let frac = false;
        let ok = true;
        // integer part: leading zeros, then up to 15 significant digits into mant, 4 more into lo
        const d0 = i;
        while (i < n && b[i] === 48) i++;
        const s1 = i;
        let lim = i + 15 < n ? i + 15 : n;
        while (i < lim) {
          const d = (b[i] - 48) >>> 0;
          if (d > 9) break;
          mant = mant * 10 + d;
          i++;
        }
        let sig = i - s1;
        if (sig === 15) {
          while (i < n) {
            const d = (b[i] - 48) >>> 0;
            if (d > 9) break;
            if (k < 4) {
              lo = lo * 10 + d;
              k++;
            } else ok = false;
            i++;
          }
        }
        let digits = i - d0;
        if (i < n && b[i] === 46) {
          frac = true;
          i++;
          const f0 = i;
          if (sig === 0) while (i < n && b[i] === 48) i++;
          if (sig < 15) {
            lim = i + (15 - sig);
            if (lim > n) lim = n;
            const s2 = i;
            while (i < lim) {
              const d = (b[i] - 48) >>> 0;
              if (d > 9) break;
              mant = mant * 10 + d;
              i++;
            }
            sig += i - s2;
          }
          if (sig >= 15) {
            while (i < n) {
              const d = (b[i] - 48) >>> 0;
              if (d > 9) break;
              if (k < 4) {
                lo = lo * 10 + d;
                k++;
              } else ok = false;
              i++;
            }
          }
          digits += i - f0;
          exp10 = f0 - i; // every fractional digit is either a leading zero or part of M
        }
        if (i < n && (b[i] === 101 || b[i] === 69)) {
          // exponent: leave it to the generic parser
          ok = false;
        }
        if (ok && digits > 0 && (i >= n || cls[b[i]] !== 0) && exp10 >= -22) {
          let v: number;
          if (k === 0) v = exp10 === 0 ? mant : mant / POW10[-exp10];
          else {
            v = wideToDouble(mant, k, lo, exp10);
            if (v !== v) v = Math.abs(parseFloat(latin1(b, s0, i)));
          }
          if (compact) (nums[col] as Float64Array)[numLen[col]++] = neg ? -v : v;
          else (nums[col] as Float64Array)[row] = neg ? -v : v;
          if (frac) fracs[col] = true;
        } else if (i === s0 && (i >= n || cls[b[i]] !== 0)) {
          // empty field
          if (compact) nullCounts[col]++;
          else (nums[col] as Float64Array)[row] = NaN;
        } else {
          let j = i;
          while (j < n && cls[b[j]] === 0) j++;
          sink.field(col, s0, j, 0);
          i = j;
        }
      } else if (mode === MODE_CAT) {
        const s0 = i;
        let k1 = 0;
        let k2 = 0;
        let x = 0;
        // first 8 bytes straight into the key, then scan the rest
        if (i < n && cls[(x = b[i])] === 0) {
          k1 = x;
          if (++i < n && cls[(x = b[i])] === 0) {
            k1 |= x << 8;
            if (++i < n && cls[(x = b[i])] === 0) {
              k1 |= x << 16;
              if (++i < n && cls[(x = b[i])] === 0) {
                k1 |= x << 24;
                if (++i < n && cls[(x = b[i])] === 0) {
                  k2 = x;
                  if (++i < n && cls[(x = b[i])] === 0) {
                    k2 |= x << 8;
                    if (++i < n && cls[(x = b[i])] === 0) {
                      k2 |= x << 16;
                      if (++i < n && cls[(x = b[i])] === 0) {
                        k2 |= x << 24;
                        i++;
                        while (i < n && cls[b[i]] === 0) i++;
                      }
                    }
                  }
                }
              }
            }
          }
        }
        const len = i - s0;
        const dict = dicts[col] as ByteDict;
        const code = len <= 8 ? dict.lookupKey(k1, k2, len, b, s0) : dict.lookupLong(b, s0, i);
        if (compact) {
          const cnt = catCounts[col] as Int32Array;
          if (code + 1 < cnt.length) cnt[code + 1]++;
          else sink.countCat(col, code);
        } else (codesArr[col] as Int32Array)[row] = code;
      } else {
        while (i < n && cls[b[i]] === 0) i++;
      }
      col++;
      if (i >= n) {
        sink.row(col, rowLine);
        break outer;
      }
      c = b[i];
      if (c === delim) {
        i++;
        if (i >= n) {
          if (col < nc) sink.field(col, i, i, 0);
          sink.row(col + 1, rowLine);
          break outer;
        }
        continue;
      }
      i++;
      if (c === CR && i < n && b[i] === LF) i++;
      line++;
      sink.row(col, rowLine);
      break;
    }
  }
}

function unescapeQuotes(b: Uint8Array, s: number, e: number, out: Uint8Array): number {
  let k = 0;
  for (let i = s; i < e; i++) {
    out[k++] = b[i];
    if (b[i] === Q && i + 1 < e && b[i + 1] === Q) i++;
  }
  return k;
}

function fieldString(b: Uint8Array, s: number, e: number, q: number, bad: { invalid: boolean }): string {
  let bytes = b.subarray(s, e);
  if (q === 2) {
    const tmp = new Uint8Array(e - s);
    bytes = tmp.subarray(0, unescapeQuotes(b, s, e, tmp));
  }
  try {
    return strictDecoder.decode(bytes);
  } catch {
    bad.invalid = true;
    return looseDecoder.decode(bytes);
  }
}

class StringRowsSink implements Sink {
  rows: { fields: string[]; line: number }[] = [];
  private cur: string[] = [];
  readonly bad = { invalid: false };
  constructor(
    private readonly b: Uint8Array,
    private readonly maxRows: number,
  ) {}
  field(_col: number, s: number, e: number, q: number): void {
    this.cur.push(fieldString(this.b, s, e, q, this.bad));
  }
  row(_n: number, line: number): boolean {
    this.rows.push({ fields: this.cur, line });
    this.cur = [];
    return this.rows.length < this.maxRows;
  }
}

const MODE_SKIP = 0;
const MODE_NUM = 1;
const MODE_CAT = 2;

class ColumnsSink implements Sink {
  rowIndex = 0;
  readonly num: (Float64Array | null)[];
  readonly frac: boolean[];
  readonly codes: (Int32Array | null)[];
  readonly dicts: (ByteDict | null)[];
  readonly demoted: boolean[];
  /** compact (summary) mode: numeric values packed without nulls, categories only counted */
  readonly numLen: Int32Array;
  readonly nullCounts: Int32Array;
  readonly sawInf: boolean[];
  readonly catCounts: (Int32Array | null)[];
  private scratch = new Uint8Array(256);
  private nextCheck = 65536;
  private capacity: number;

  constructor(
    private readonly b: Uint8Array,
    readonly modes: number[],
    capacity: number,
    private readonly problems: Problems,
    private readonly opts: DatasetOptions,
    readonly compact = false,
  ) {
    const nc = modes.length;
    this.capacity = Math.max(1, capacity);
    capacity = this.capacity;
    this.num = modes.map((m) => (m === MODE_NUM ? new Float64Array(capacity) : null));
    this.codes = modes.map((m) => (m === MODE_CAT && !compact ? new Int32Array(capacity) : null));
    this.catCounts = modes.map((m) => (m === MODE_CAT && compact ? new Int32Array(64) : null));
    this.dicts = modes.map((m) => (m === MODE_CAT ? new ByteDict() : null));
    this.frac = new Array<boolean>(nc).fill(false);
    this.demoted = new Array<boolean>(nc).fill(false);
    this.numLen = new Int32Array(nc);
    this.nullCounts = new Int32Array(nc);
    this.sawInf = new Array<boolean>(nc).fill(false);
  }

  /** Counts a category (compact mode), growing the counts array when the dictionary has grown. */
  countCat(col: number, code: number): void {
    let cnt = this.catCounts[col] as Int32Array;
    if (code + 1 >= cnt.length) {
      const n = new Int32Array(Math.max(cnt.length * 2, code + 2));
      n.set(cnt);
      this.catCounts[col] = cnt = n;
    }
    cnt[code + 1]++;
  }

  field(col: number, s: number, e: number, q: number): void {
    const mode = this.modes[col];
    if (mode === MODE_NUM) {
      const v = parseNumBytes(this.b, s, e);
      if (pnStatus === PN_OK) {
        if (this.compact) (this.num[col] as Float64Array)[this.numLen[col]++] = v;
        else (this.num[col] as Float64Array)[this.rowIndex] = v;
        if (pnFrac) this.frac[col] = true;
        if (v === Infinity || v === -Infinity) this.sawInf[col] = true;
      } else if (pnStatus === PN_NULL) {
        if (this.compact) this.nullCounts[col]++;
        else (this.num[col] as Float64Array)[this.rowIndex] = NaN;
      } else {
        // not a number after all: re-read this column as categorical in a second pass
        this.modes[col] = MODE_SKIP;
        this.demoted[col] = true;
        this.num[col] = null;
      }
    } else if (mode === MODE_CAT) {
      const dict = this.dicts[col] as ByteDict;
      let code: number;
      if (q === 2) {
        if (this.scratch.length < e - s) this.scratch = new Uint8Array((e - s) * 2);
        code = dict.lookup(this.scratch, 0, unescapeQuotes(this.b, s, e, this.scratch));
      } else code = dict.lookup(this.b, s, e);
      if (this.compact) this.countCat(col, code);
      else (this.codes[col] as Int32Array)[this.rowIndex] = code;
    }
    // MODE_SKIP and columns beyond the header: ignored
  }

  private grow(): void {
    const cap = Math.ceil(this.capacity * 1.5) + 1024;
    for (let c = 0; c < this.modes.length; c++) {
      const num = this.num[c];
      if (num) {
        const n = new Float64Array(cap);
        n.set(num);
        this.num[c] = n;
      }
      const codes = this.codes[c];
      if (codes) {
        const n = new Int32Array(cap);
        n.set(codes);
        this.codes[c] = n;
      }
    }
    this.capacity = cap;
  }

  row(nFields: number, line: number): boolean {
    const nc = this.modes.length;
    if (nFields !== nc) {
      this.problems.add(
        'ragged row',
        `line ${line}: expected ${nc} field${nc === 1 ? '' : 's'}, found ${nFields}`,
        line,
      );
      for (let c = nFields; c < nc; c++) {
        const m = this.modes[c];
        if (this.compact) {
          if (m === MODE_NUM) this.nullCounts[c]++;
          else if (m === MODE_CAT) this.countCat(c, -1);
        } else if (m === MODE_NUM) (this.num[c] as Float64Array)[this.rowIndex] = NaN;
        else if (m === MODE_CAT) (this.codes[c] as Int32Array)[this.rowIndex] = -1;
      }
    }
    this.rowIndex++;
    if (this.rowIndex >= this.capacity) this.grow();
    if (this.rowIndex >= this.nextCheck) {
      this.nextCheck += 65536;
      if (this.opts.shouldCancel?.()) throw abortError();
      this.opts.onProgress?.(line, -1);
    }
    return true;
  }
}

function sniffDelimiter(b: Uint8Array, start: number, name: string): number {
  const candidates = [44, 9, 59, 124]; // , \t ; |
  const end = Math.min(b.length, start + 65536);
  // count per line outside quotes, for up to 30 lines
  const perLine: number[][] = candidates.map(() => []);
  const counts = candidates.map(() => 0);
  let inQ = false;
  let lines = 0;
  for (let i = start; i < end && lines < 30; i++) {
    const c = b[i];
    if (c === Q) inQ = !inQ;
    else if (!inQ && (c === LF || c === CR)) {
      if (c === CR && b[i + 1] === LF) i++;
      candidates.forEach((_, k) => perLine[k].push(counts[k]));
      counts.fill(0);
      lines++;
    } else if (!inQ) {
      const k = candidates.indexOf(c);
      if (k >= 0) counts[k]++;
    }
  }
  if (lines < 30) candidates.forEach((_, k) => perLine[k].push(counts[k]));
  let best = -1;
  let bestScore = 0;
  candidates.forEach((_, k) => {
    const xs = perLine[k].filter((_, i, a) => !(i === a.length - 1 && a.length > 1 && a[i] === 0));
    if (xs.length === 0 || xs[0] === 0) return;
    const first = xs[0];
    const consistent = xs.filter((x) => x === first).length / xs.length;
    const score = consistent * 1000 + Math.min(first, 999);
    if (score > bestScore) {
      bestScore = score;
      best = k;
    }
  });
  const lower = name.toLowerCase();
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) {
    if (perLine[1].length && perLine[1][0] > 0) return 9;
  }
  return best >= 0 ? candidates[best] : 44;
}

function dedupeNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    let name = raw === '' ? `Unnamed: ${i}` : raw;
    const c = seen.get(name);
    if (c !== undefined) {
      seen.set(name, c + 1);
      name = `${name}.${c + 1}`;
    }
    seen.set(name, seen.get(name) ?? 0);
    return name;
  });
}

/** Parses CSV/TSV bytes into typed columns (delimiter sniffed, header row, dtypes inferred). */
export function parseCsv(bytes: Uint8Array, name = '', opts: DatasetOptions = {}): ParsedDataset {
  return parseCsvImpl(bytes, name, opts, false);
}

/** compact: summary path (numeric values without nulls, category counts instead of row codes). */
function parseCsvImpl(bytes: Uint8Array, name: string, opts: DatasetOptions, compact: boolean): ParsedDataset {
  const problems = new Problems();
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  let onlySpace = true;
  for (let i = start; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== 32 && c !== 9 && c !== LF && c !== CR) {
      onlySpace = false;
      break;
    }
  }
  const delimCode = onlySpace ? 44 : sniffDelimiter(bytes, start, name);
  const format = delimCode === 9 ? 'tsv' : 'csv';
  const delimiter = String.fromCharCode(delimCode);
  if (onlySpace) {
    problems.add('empty', bytes.length === 0 ? 'empty file' : 'file contains only whitespace');
    return { format, delimiter, rowCount: 0, columns: [], problems: problems.finish() };
  }

  // header
  const headerSink = new StringRowsSink(bytes, 1);
  const afterHeader = tokenize(bytes, start, delimCode, headerSink, 1, problems);
  const header = headerSink.rows[0];
  const names = dedupeNames(header.fields.map((f) => f.trim()));

  // dtype sniffing on the first 1000 records
  const sampleSink = new StringRowsSink(bytes, 1000);
  const afterSample = tokenize(bytes, afterHeader.pos, delimCode, sampleSink, afterHeader.line, new Problems());
  const modes = names.map((_, c) => {
    let numeric = 0;
    for (const r of sampleSink.rows) {
      const v = r.fields[c];
      if (v === undefined) continue;
      parseNumString(v);
      if (pnStatus === PN_FAIL) return MODE_CAT;
      if (pnStatus === PN_OK) numeric++;
    }
    return numeric > 0 ? MODE_NUM : MODE_CAT;
  });

  // main pass
  // capacity from the sample's bytes per row (+10%); the sink grows if the estimate is short
  const sampled = sampleSink.rows.length;
  const capacity =
    afterSample.pos >= bytes.length || sampled === 0
      ? sampled + 1
      : Math.ceil(((bytes.length - afterHeader.pos) / (afterSample.pos - afterHeader.pos)) * sampled * 1.1) + 1024;
  const sink = new ColumnsSink(bytes, modes.slice(), capacity, problems, opts, compact);
  mainPass(bytes, afterHeader.pos, delimCode, sink, afterHeader.line, problems);
  const rowCount = sink.rowIndex;

  // second pass for columns that turned out not to be numeric
  const demoted = sink.demoted.map((d, c) => (d ? c : -1)).filter((c) => c >= 0);
  let sink2: ColumnsSink | null = null;
  if (demoted.length) {
    const modes2 = modes.map((_, c) => (sink.demoted[c] ? MODE_CAT : MODE_SKIP));
    sink2 = new ColumnsSink(bytes, modes2, capacity, new Problems(), opts, compact);
    tokenize(bytes, afterHeader.pos, delimCode, sink2, afterHeader.line, new Problems());
  }

  let invalidUtf8 = headerSink.bad.invalid;
  const columns: ParsedColumn[] = names.map((colName, c) => {
    const s = sink.demoted[c] ? (sink2 as ColumnsSink) : sink;
    const num = s.num[c];
    if (num) {
      const len = compact ? s.numLen[c] : rowCount;
      const values = num.length === len ? num : num.subarray(0, len);
      const data: NumericData = { kind: 'numeric', values };
      if (compact) {
        data.nullCount = s.nullCounts[c];
        data.allFinite = !s.sawInf[c]; // the inline fast path never yields ±Infinity
      }
      return { name: colName, dtype: numericDtype(values, s.frac[c]), data };
    }
    const dict = s.dicts[c] as ByteDict;
    if (dict.invalidUtf8) invalidUtf8 = true;
    if (compact) {
      const cnt = s.catCounts[c] as Int32Array;
      const counts = new Int32Array(dict.strings.length + 1);
      counts.set(cnt.subarray(0, Math.min(cnt.length, counts.length)));
      return refineCounts(colName, counts, dict.strings);
    }
    const codesAll = s.codes[c] as Int32Array;
    const codes = codesAll.length === rowCount ? codesAll : codesAll.subarray(0, rowCount);
    return refineCategorical(colName, codes, dict.strings);
  });
  if (invalidUtf8) problems.add('encoding', 'invalid UTF-8: some values are shown with replacement characters (�)');
  releaseWindow();
  opts.onProgress?.(bytes.length, bytes.length);
  return { format, delimiter, rowCount, columns, problems: problems.finish(), headerLine: header.line };
}

function numericDtype(values: Float64Array, frac: boolean): ColumnDtype {
  if (frac) return 'float';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v && (!Number.isInteger(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER)) return 'float';
  }
  return 'int';
}

/** refineCategorical for counted categories (summary path): values come out unordered, without nulls. */
function refineCounts(name: string, counts: Int32Array, dict: string[]): ParsedColumn {
  if (dict.length === 0) return { name, dtype: 'string', data: { kind: 'counts', counts, dict } };
  if (dict.every((x) => x in BOOL_TOKENS)) {
    let f = 0;
    let t = 0;
    dict.forEach((x, k) => {
      if (BOOL_TOKENS[x] === 'true') t += counts[k + 1];
      else f += counts[k + 1];
    });
    const keys: string[] = [];
    const cs: number[] = [counts[0]];
    if (f > 0) {
      keys.push('false');
      cs.push(f);
    }
    if (t > 0) {
      keys.push('true');
      cs.push(t);
    }
    return { name, dtype: 'bool', data: { kind: 'counts', counts: Int32Array.from(cs), dict: keys } };
  }
  const nums = new Float64Array(dict.length);
  let kind: 'num' | 'date' | null = 'num';
  let frac = false;
  for (let k = 0; k < dict.length; k++) {
    const v = parseNumString(dict[k]);
    if (pnStatus !== PN_OK) {
      kind = null;
      break;
    }
    if (pnFrac) frac = true;
    nums[k] = v;
  }
  if (!kind) {
    kind = 'date';
    for (let k = 0; k < dict.length; k++) {
      const v = parseIsoDate(dict[k]);
      if (v !== v) {
        kind = null;
        break;
      }
      nums[k] = v;
    }
  }
  if (!kind) return { name, dtype: 'string', data: { kind: 'counts', counts, dict } };
  let total = 0;
  for (let k = 1; k < counts.length; k++) total += counts[k];
  const values = new Float64Array(total);
  let p = 0;
  for (let k = 0; k < dict.length; k++) values.fill(nums[k], p, (p += counts[k + 1]));
  const dtype = kind === 'date' ? 'datetime' : numericDtype(values, frac);
  return { name, dtype, data: { kind: 'numeric', values, nullCount: counts[0], allFinite: !nums.some((x) => x === Infinity || x === -Infinity) } };
}

/** A dictionary-encoded column whose values all turn out to be booleans, numbers or datetimes is converted. */
function refineCategorical(name: string, codes: Int32Array, dict: string[]): ParsedColumn {
  if (dict.length === 0) return { name, dtype: 'string', data: { kind: 'categorical', codes, dict } };
  if (dict.every((s) => s in BOOL_TOKENS)) {
    const canon = ['false', 'true'];
    const map = dict.map((s) => (BOOL_TOKENS[s] === 'true' ? 1 : 0));
    const used = [false, false];
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (c >= 0) {
        codes[i] = map[c];
        used[map[c]] = true;
      }
    }
    // keep only the values that occur, in canonical order
    if (!used[0] || !used[1]) {
      const only = used[0] ? 0 : 1;
      for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] = 0;
      return { name, dtype: 'bool', data: { kind: 'categorical', codes, dict: [canon[only]] } };
    }
    return { name, dtype: 'bool', data: { kind: 'categorical', codes, dict: canon } };
  }
  const nums = new Float64Array(dict.length);
  let allNum = true;
  let frac = false;
  for (let k = 0; k < dict.length; k++) {
    const v = parseNumString(dict[k]);
    if (pnStatus !== PN_OK) {
      allNum = false;
      break;
    }
    if (pnFrac) frac = true;
    nums[k] = v;
  }
  if (allNum) {
    const values = new Float64Array(codes.length);
    for (let i = 0; i < codes.length; i++) values[i] = codes[i] < 0 ? NaN : nums[codes[i]];
    return { name, dtype: numericDtype(values, frac), data: { kind: 'numeric', values } };
  }
  let allDate = true;
  for (let k = 0; k < dict.length; k++) {
    const t = parseIsoDate(dict[k]);
    if (t !== t) {
      allDate = false;
      break;
    }
    nums[k] = t;
  }
  if (allDate) {
    const values = new Float64Array(codes.length);
    for (let i = 0; i < codes.length; i++) values[i] = codes[i] < 0 ? NaN : nums[codes[i]];
    return { name, dtype: 'datetime', data: { kind: 'numeric', values } };
  }
  return { name, dtype: 'string', data: { kind: 'categorical', codes, dict } };
}

// ---------------------------------------------------------------------------------------------
// Parquet (synchronous, flat columns)

interface PqSchemaNode {
  children: PqSchemaNode[];
  element: {
    name: string;
    type?: string;
    converted_type?: string;
    logical_type?: { type: string };
    scale?: number;
    repetition_type?: string;
  };
  path: string[];
}

/** Parses Parquet bytes (flat top-level columns; nested columns are skipped with a problem). */
export function parseParquet(bytes: Uint8Array, opts: DatasetOptions = {}): ParsedDataset {
  const problems = new Problems();
  if (bytes.length === 0) {
    problems.add('empty', 'empty file');
    return { format: 'parquet', rowCount: 0, columns: [], problems: problems.finish() };
  }
  if (!isParquet(bytes)) {
    problems.add('parquet', 'not a Parquet file (PAR1 magic bytes missing)');
    return { format: 'parquet', rowCount: 0, columns: [], problems: problems.finish() };
  }
  let metadata: ReturnType<typeof parquetMetadata>;
  const ab = toArrayBuffer(bytes);
  try {
    metadata = parquetMetadata(ab);
  } catch (e) {
    problems.add('parquet', `Parquet footer could not be read: ${(e as Error).message}`);
    return { format: 'parquet', rowCount: 0, columns: [], problems: problems.finish() };
  }
  const rowCount = Number(metadata.num_rows);
  const tree = parquetSchema(metadata) as unknown as PqSchemaNode;
  const flat = tree.children.filter((ch) => {
    if (ch.children.length > 0 || ch.element.repetition_type === 'REPEATED') {
      problems.add('parquet', `nested column ${ch.element.name} skipped`);
      return false;
    }
    return true;
  });
  const chunks = new Map<string, unknown[][]>();
  for (const ch of flat) chunks.set(ch.element.name, []);
  let groupStart = 0;
  for (const rg of metadata.row_groups) {
    const groupRows = Number(rg.num_rows);
    for (const cc of rg.columns) {
      const meta = cc.meta_data;
      if (!meta) continue;
      const colName = meta.path_in_schema[0];
      const list = chunks.get(colName);
      if (!list || meta.path_in_schema.length !== 1) continue;
      const node = flat.find((f) => f.element.name === colName) as PqSchemaNode;
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      try {
        const decoder = {
          pathInSchema: meta.path_in_schema,
          element: node.element,
          schemaPath: [tree, node],
          type: meta.type,
          codec: meta.codec,
          parsers: DEFAULT_PARSERS,
        };
        const reader = { view: new DataView(ab, start, end - start), offset: 0 };
        const { data } = readColumn(
          reader,
          { groupStart, selectStart: 0, selectEnd: groupRows, groupRows },
          decoder as unknown as Parameters<typeof readColumn>[2],
        );
        for (const d of data) list.push(d as unknown as unknown[]);
      } catch (e) {
        problems.add('parquet', `column ${colName} could not be decoded: ${(e as Error).message}`);
        chunks.delete(colName);
      }
    }
    groupStart += groupRows;
    if (opts.shouldCancel?.()) throw abortError();
    opts.onProgress?.(groupStart, rowCount);
  }
  const columns: ParsedColumn[] = [];
  for (const node of flat) {
    const list = chunks.get(node.element.name);
    if (!list) continue;
    columns.push(parquetColumn(node, list, rowCount));
  }
  return { format: 'parquet', rowCount, columns, problems: problems.finish() };
}

function parquetColumn(node: PqSchemaNode, chunks: unknown[][], rowCount: number): ParsedColumn {
  const el = node.element;
  const logical = el.logical_type?.type;
  const sourceType = [el.type, logical ?? el.converted_type].filter(Boolean).join('/');
  // find the first non-null value to choose the storage
  let sample: unknown = null;
  outer: for (const ch of chunks)
    for (let i = 0; i < ch.length; i++)
      if (ch[i] !== null && ch[i] !== undefined) {
        sample = ch[i];
        break outer;
      }
  const isNumber = typeof sample === 'number' || typeof sample === 'bigint';
  const isDate = sample instanceof Date;
  if (isNumber || isDate || (sample === null && el.type !== 'BYTE_ARRAY' && el.type !== 'BOOLEAN')) {
    const values = new Float64Array(rowCount).fill(NaN);
    let k = 0;
    for (const ch of chunks)
      for (let i = 0; i < ch.length && k < rowCount; i++, k++) {
        const v = ch[i];
        if (v === null || v === undefined) continue;
        values[k] = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.getTime() : Number(v);
      }
    let dtype: ColumnDtype;
    if (isDate || logical === 'DATE' || logical === 'TIMESTAMP' || el.converted_type === 'DATE' || el.converted_type?.startsWith('TIMESTAMP'))
      dtype = 'datetime';
    else if ((el.type === 'INT32' || el.type === 'INT64') && !(el.scale && el.scale > 0) && logical !== 'DECIMAL') dtype = 'int';
    else dtype = 'float';
    return { name: el.name, dtype, sourceType, data: { kind: 'numeric', values } };
  }
  const codes = new Int32Array(rowCount).fill(-1);
  const dict: string[] = [];
  const index = new Map<string, number>();
  let k = 0;
  for (const ch of chunks)
    for (let i = 0; i < ch.length && k < rowCount; i++, k++) {
      const v = ch[i];
      if (v === null || v === undefined) continue;
      const s =
        typeof v === 'string'
          ? v
          : typeof v === 'boolean'
            ? String(v)
            : v instanceof Uint8Array
              ? looseDecoder.decode(v)
              : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
      let c = index.get(s);
      if (c === undefined) {
        c = dict.length;
        dict.push(s);
        index.set(s, c);
      }
      codes[k] = c;
    }
  return { name: el.name, dtype: el.type === 'BOOLEAN' ? 'bool' : 'string', sourceType, data: { kind: 'categorical', codes, dict } };
}

// ---------------------------------------------------------------------------------------------
// Schema JSON

/** Normalises a dtype name from pandas / numpy / JSON Schema / Arrow / SQL to a ColumnDtype. */
export function normalizeDtype(raw: string, format?: string): ColumnDtype {
  const t = raw.toLowerCase().trim();
  if (format && /date|time/.test(format.toLowerCase())) return 'datetime';
  if (/^(bool|boolean)$/.test(t)) return 'bool';
  if (/^(u?int(8|16|32|64)?|integer|long|short|byte|bigint|smallint|tinyint)(\[.*\])?$/.test(t)) return 'int';
  if (/^(float(16|32|64)?|double|number|real|numeric|decimal.*|halffloat)$/.test(t)) return 'float';
  if (/date|time/.test(t)) return 'datetime';
  return 'string';
}

function lineAt(text: string, idx: number): number {
  let line = 1;
  for (let i = 0; i < idx; i++) if (text.charCodeAt(i) === LF) line++;
  return line;
}

/** 1-based line where a column is declared: as a key (`"name":`), else as a value (`"name": "col"`), else anywhere. */
function lineOfKey(text: string, key: string): number | undefined {
  const q = JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const asKey = new RegExp(`${q}\\s*:`).exec(text);
  if (asKey) return lineAt(text, asKey.index);
  const asValue = new RegExp(`:\\s*${q}`).exec(text);
  if (asValue) return lineAt(text, asValue.index + asValue[0].length - JSON.stringify(key).length);
  const idx = text.indexOf(JSON.stringify(key));
  return idx < 0 ? undefined : lineAt(text, idx);
}

/** Parses a schema: JSON Schema (`properties`), Table Schema (`fields`), `columns` list, or a flat {column: dtype} map. */
export function parseSchema(bytes: Uint8Array): ParsedDataset {
  const problems = new Problems();
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    text = looseDecoder.decode(bytes);
    problems.add('encoding', 'invalid UTF-8: shown with replacement characters (�)');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    problems.add('empty', 'empty file');
    return { format: 'schema', rowCount: null, columns: [], problems: problems.finish() };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // One JSON error locator for every engine (JSON.parse on Node 20 often gives no position).
    const p = jsonProblem(text, e);
    problems.add('json', `invalid JSON: ${(e as Error).message}`, p.line, p.column);
    return { format: 'schema', rowCount: null, columns: [], problems: problems.finish() };
  }
  const columns: ParsedColumn[] = [];
  const add = (name: string, rawType: unknown, extra: { format?: string; nullable?: boolean } = {}) => {
    let types = Array.isArray(rawType) ? rawType.map(String) : rawType === undefined || rawType === null ? [] : [String(rawType)];
    let nullable = extra.nullable;
    if (types.includes('null')) {
      nullable = true;
      types = types.filter((t) => t !== 'null');
    }
    const sourceType = types.join('|') || 'any';
    columns.push({ name, dtype: normalizeDtype(types[0] ?? 'string', extra.format), sourceType, nullable, line: lineOfKey(text, name) });
  };
  const obj = doc as Record<string, unknown>;
  const fieldList = (list: unknown[]) => {
    for (const f of list) {
      if (!f || typeof f !== 'object') continue;
      const r = f as Record<string, unknown>;
      const name = r.name ?? r.column ?? r.field;
      if (typeof name !== 'string') continue;
      const nullable =
        typeof r.nullable === 'boolean'
          ? r.nullable
          : r.constraints && typeof (r.constraints as Record<string, unknown>).required === 'boolean'
            ? !(r.constraints as Record<string, unknown>).required
            : undefined;
      add(name, r.type ?? r.dtype ?? r.data_type, { format: typeof r.format === 'string' ? r.format : undefined, nullable });
    }
  };
  if (Array.isArray(doc)) fieldList(doc);
  else if (obj && typeof obj === 'object') {
    const props = (obj.properties ??
      ((obj.items as Record<string, unknown> | undefined)?.properties as unknown)) as Record<string, unknown> | undefined;
    const schemaFields = (obj.schema as Record<string, unknown> | undefined)?.fields;
    if (props && typeof props === 'object') {
      const required = Array.isArray(obj.required) ? (obj.required as string[]) : undefined;
      for (const [name, spec] of Object.entries(props)) {
        const s = (spec ?? {}) as Record<string, unknown>;
        let type = s.type;
        if (type === undefined && Array.isArray(s.anyOf)) type = (s.anyOf as Record<string, unknown>[]).map((x) => x.type);
        add(name, type, {
          format: typeof s.format === 'string' ? s.format : undefined,
          nullable: required ? !required.includes(name) : undefined,
        });
      }
    } else if (Array.isArray(obj.fields)) fieldList(obj.fields);
    else if (Array.isArray(schemaFields)) fieldList(schemaFields);
    else if (Array.isArray(obj.columns)) fieldList(obj.columns);
    else if (Object.values(obj).every((v) => typeof v === 'string')) for (const [name, t] of Object.entries(obj)) add(name, t);
    else problems.add('schema', 'unrecognised schema: expected JSON Schema "properties", "fields", "columns" or a {column: dtype} map');
  }
  return { format: 'schema', rowCount: null, columns, problems: problems.finish() };
}

/** Parses a dataset sample of the given kind. Never throws on bad input (problems are returned). */
export function parseDataset(input: DatasetInput, kind: DatasetKind, opts: DatasetOptions = {}): ParsedDataset {
  return parseDatasetImpl(input, kind, opts, false);
}

function parseDatasetImpl(input: DatasetInput, kind: DatasetKind, opts: DatasetOptions, compact: boolean): ParsedDataset {
  try {
    if (kind === 'parquet') return parseParquet(input.bytes, opts);
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

// ---------------------------------------------------------------------------------------------
// Summaries: per column, what profiling and drift need (sorted values or category counts)

/** What profiling and drift need of one column. Plain data (structured-cloneable, transferable buffers). */
export interface ColumnSummary {
  name: string;
  position: number;
  dtype: ColumnDtype;
  sourceType?: string;
  nullable?: boolean;
  line?: number;
  rows: number;
  nullCount: number;
  /** numeric/datetime: finite non-null values, ascending */
  sorted?: Float64Array;
  /** ±Infinity values (counted as non-null, excluded from `sorted`) */
  infCount: number;
  /** categorical: distinct values and their counts, most frequent first */
  values?: string[];
  counts?: number[];
  identifier: boolean;
  highCardinality: boolean;
  /** numeric: distinct finite values, mean and sum of squared deviations (computed once) */
  distinct?: number;
  mean?: number;
  sumSq?: number;
}

/** A parsed and summarised dataset sample; compute one per side (possibly in two workers), then compare. */
export interface DatasetSummary {
  format: ParsedDataset['format'];
  delimiter?: string;
  rowCount: number | null;
  headerLine?: number;
  columns: ColumnSummary[];
  problems: ParseProblem[];
}

const ID_NAME = /(^|[_\s.-])(id|uuid|guid|key|index)$|[a-z0-9](Id|ID)$|^(id|index|idx|uuid|guid|key|row_?id)$/i;

/** Per-column summaries. With `consume`, numeric value arrays are compacted and sorted in place. */
function summarize(ds: ParsedDataset, consume = false): DatasetSummary {
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
      base.identifier = (col.dtype === 'int' || col.dtype === 'string') && finite > 20 && distinct === finite && inf === 0 && ID_NAME.test(col.name);
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
      base.identifier = nonNull > 20 && distinct === nonNull && ID_NAME.test(col.name);
      base.highCardinality = col.dtype === 'string' && distinct > 50 && distinct > 0.5 * nonNull;
    }
    return base;
  });
  return { format: ds.format, delimiter: ds.delimiter, rowCount: ds.rowCount, headerLine: ds.headerLine, columns, problems: ds.problems };
}

/** Mean and population / sample standard deviation of a numeric summary. */
function moments(c: ColumnSummary): { mean: number; sd0: number; sd1: number } {
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

function nonNullOf(c: ColumnSummary): number {
  return c.rows - c.nullCount;
}

function isNumericDtype(d: ColumnDtype): boolean {
  return d === 'int' || d === 'float';
}

const profileCache = new WeakMap<ColumnSummary, ColumnProfile>();

/** Profile of one column (memoised per summary: diffs ask for the same column several times). */
function profileColumn(c: ColumnSummary, hasData: boolean): ColumnProfile {
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

function valueRuns(sorted: Float64Array): { value: number; count: number }[] {
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

function baselineFromSummary(c: ColumnSummary, hasRows: boolean): ColumnBaseline {
  const b = columnBaseline(profileColumn(c, hasRows), hasRows);
  // the summary has every category: give the full set up to 100
  if ((c.dtype === 'string' || c.dtype === 'bool') && c.values && c.values.length <= 100 && !c.highCardinality && !c.identifier)
    b.categories = c.values.slice();
  return b;
}

// ---------------------------------------------------------------------------------------------
// Formatting

function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toPrecision(3);
  if (a >= 100) return String(Math.round(x * 100) / 100);
  return String(Number(x.toPrecision(4)));
}

function fmtStat(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && Math.abs(x) < 0.001) return x.toExponential(1);
  return x.toFixed(Math.abs(x) >= 100 ? 1 : Math.abs(x) >= 10 ? 2 : 3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

function fmtP(p: number): string {
  if (p === 0) return '0';
  if (p < 0.001) return p.toExponential(1);
  return p.toFixed(3);
}

function fmtPct(r: number, digits?: number): string {
  const v = r * 100;
  let d = digits;
  if (d === undefined) d = v === 0 || v >= 10 ? 0 : v >= 1 ? 1 : 2;
  const out = Number(v.toFixed(d));
  if (out === 0 && v > 0) return `<${(10 ** -d).toFixed(d)}%`;
  return `${out}%`;
}

function fmtPctPair(a: number, b: number): [string, string] {
  let x = fmtPct(a);
  let y = fmtPct(b);
  if (x === y && a !== b) {
    x = fmtPct(a, 2);
    y = fmtPct(b, 2);
  }
  return [x, y];
}

function fmtValue(c: ColumnSummary, x: number): string {
  if (c.dtype === 'datetime') return new Date(x).toISOString().replace('T00:00:00.000Z', '').replace('.000Z', 'Z');
  return fmtNum(x);
}

function listNames(xs: string[], max = 5): string {
  const shown = xs.slice(0, max).map((x) => JSON.stringify(x));
  return shown.join(', ') + (xs.length > max ? ` and ${xs.length - max} more` : '');
}

// ---------------------------------------------------------------------------------------------
// Comparison

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

interface DriftTest {
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

function categoricalCounts(a: ColumnSummary, b: ColumnSummary): CategoricalCounts {
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
function driftTest(ref: ColumnSummary, cur: ColumnSummary, numeric: boolean): { test: DriftTest; psi: number; extra: Record<string, number> } | null {
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

function testPhrase(t: DriftTest): string {
  if (t.pValue !== undefined) return `${t.label} ${fmtP(t.pValue)} ${t.drift ? '<' : '≥'} ${t.threshold}`;
  return `${t.label} ${fmtStat(t.statistic)} ${t.drift ? '≥' : '<'} ${t.threshold}`;
}

/** PSI including a "missing" bucket (used for null-rate changes). */
function psiWithNulls(a: ColumnSummary, b: ColumnSummary): number {
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

  // --- row count
  if (hasRows && before.rowCount !== after.rowCount) {
    const b = before.rowCount as number;
    const a = after.rowCount as number;
    const pct = b > 0 ? ` (${a >= b ? '+' : '−'}${fmtPct(Math.abs(a - b) / b)})` : '';
    push(ctx, {
      kind: 'rows.count',
      severity: a === 0 ? 'critical' : 'info',
      failureClass: 'data',
      subject: 'rows',
      before: b,
      after: a,
      message: a === 0 ? `no rows (had ${b})` : `row count ${b} → ${a}${pct}`,
      params: { expectedRowCount: b, rowCount: a, expectedColumns },
    });
  }

  // --- per column
  for (const bc of before.columns) {
    const ac = aNames.get(toAfterName(bc.name));
    if (!ac) continue;
    compareColumn(ctx, bc, ac, ac.name !== bc.name);
  }
  return ctx.changes;
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
    const delta = ra - rb;
    const z = zTestProportions(a.nullCount, a.rows, b.nullCount, b.rows);
    const appeared = rb === 0 && ra > 0;
    const vanished = ra === 0 && rb > 0;
    const significant = Math.abs(delta) >= 0.05 || (Math.abs(delta) >= 0.01 && z.pValue < 0.01);
    if (appeared || vanished || significant) {
      const psiN = psiWithNulls(b, a);
      let severity: ChangeSeverity;
      if (ra === 1 || delta >= 0.2 || (delta > 0 && psiN >= DRIFT_DEFAULTS.psiSignificant)) severity = 'critical';
      else if (delta > 0) severity = 'warning';
      else severity = Math.abs(delta) >= 0.2 ? 'warning' : 'info';
      const band = psiBand(psiN);
      const [pb, pa] = fmtPctPair(rb, ra);
      const tail = band === 'significant' ? 'drift' : band === 'moderate' ? 'moderate drift' : 'no drift';
      const what = ra === 1 ? ` — ${subject} is entirely null` : appeared ? ' — nulls where there were none' : '';
      push(ctx, {
        kind: 'nulls.rate',
        severity,
        failureClass: 'data',
        subject,
        before: rb,
        after: ra,
        message: `null rate of ${subject} ${pb} → ${pa} (PSI ${fmtStat(psiN)}, ${tail})${what}`,
        params: {
          column: subject,
          nullRateBefore: rb,
          nullRateAfter: ra,
          nullCountBefore: b.nullCount,
          nullCountAfter: a.nullCount,
          psi: psiN,
          psiBand: band,
          psiThresholds: [DRIFT_DEFAULTS.psiModerate, DRIFT_DEFAULTS.psiSignificant],
          zTestPValue: z.pValue,
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
        params: { column: subject, vanishedCategories: gone.slice(0, 100), share, count: cnt, baseline },
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
  if (!r.test.drift && band !== 'significant') return;
  const severity: ChangeSeverity = r.test.drift ? (band === 'significant' ? 'critical' : 'warning') : 'info';
  const psiText = `PSI ${fmtStat(r.psi)}${band === 'none' ? '' : ` (${band})`}`;
  const message = r.test.drift
    ? `distribution drift in ${subject}: ${testPhrase(r.test)} (Evidently default, ${r.test.rule}); ${psiText}`
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
  'column.added',
  'column.order',
  'column.nullable',
  'nulls.rate',
  'category.new',
  'range.changed',
  'drift.numeric',
  'drift.categorical',
  'category.vanished',
  'rows.count',
];

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
  for (const c of s.columns) if (c.sorted && c.sorted.buffer instanceof ArrayBuffer) out.add(c.sorted.buffer);
  return [...out];
}

/** Profile of a summary (same as profileDataset on the input it came from). */
export function profileSummary(s: DatasetSummary): DatasetProfile {
  return profileFromSummary(s);
}

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
