// Small helpers shared by the dataset parsers: null and boolean tokens (pandas' defaults), UTF-8
// decoders, a capped problem list, cancellation.
import type { ParseProblem } from '../types';

export const NULL_TOKENS = new Set([
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

export const BOOL_TOKENS: Record<string, string> = {
  true: 'true',
  True: 'true',
  TRUE: 'true',
  false: 'false',
  False: 'false',
  FALSE: 'false',
};

type Decoder = { decode(input?: Uint8Array): string };
type DecoderCtor = new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }) => Decoder;
export const TD = (globalThis as unknown as { TextDecoder: DecoderCtor }).TextDecoder;
export const strictDecoder = new TD('utf-8', { fatal: true, ignoreBOM: true });
export const looseDecoder = new TD('utf-8', { ignoreBOM: true });

export class Problems {
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

export function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer)
    return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

// ---------------------------------------------------------------------------------------------
// Row keys (duplicate rows) and row samples (associations between columns)

/** Rows kept per side for row-aligned checks between columns (copies of a column, leakage). */
export const ROW_SAMPLE_SIZE = 2048;

/** A 53-bit key of bytes [s, e): two 32-bit multiplicative hashes over 4-byte words, then the tail. */
export function bytesKey(b: Uint8Array, s: number, e: number): number {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x2545f491 | 0;
  let k = s;
  const e4 = e - 3;
  for (; k < e4; k += 4) {
    const w = b[k] | (b[k + 1] << 8) | (b[k + 2] << 16) | (b[k + 3] << 24);
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(h2 ^ w, 0x5bd1e995) ^ (h2 >>> 13);
  }
  let w = 0;
  for (let sh = 0; k < e; k++, sh += 8) w |= b[k] << sh;
  h1 = Math.imul(h1 ^ w ^ (e - s), 0x01000193);
  h2 = Math.imul(h2 ^ w, 0x5bd1e995);
  h1 ^= h1 >>> 16;
  h2 ^= h2 >>> 15;
  return (h1 >>> 0) * 2097152 + ((Math.imul(h2, 0x2c1b3c6d) >>> 11) & 0x1fffff);
}

const keyF64 = new Float64Array(1);
const keyU32 = new Uint32Array(keyF64.buffer);

/** Mixes a numeric value (NaN = null) into a running pair of 32-bit row hashes. */
export function mixNumber(h: Int32Array, row: number, v: number): void {
  keyF64[0] = v !== v ? NaN : v === 0 ? 0 : v;
  mixInts(h, row, keyU32[0], keyU32[1]);
}

/** Mixes two 32-bit words into row `row` of a row-hash pair array (h[2·row], h[2·row + 1]). */
export function mixInts(h: Int32Array, row: number, a: number, b: number): void {
  const i = row << 1;
  h[i] = Math.imul(h[i] ^ a, 0x01000193) ^ Math.imul(b, 0x85ebca6b);
  h[i + 1] = (Math.imul(h[i + 1], 31) + (a ^ Math.imul(b, 0x9e3779b1))) | 0;
}

/** 53-bit keys from row-hash pairs. */
export function keysOfHashes(h: Int32Array, rows: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = (h[2 * r] >>> 0) * 2097152 + ((Math.imul(h[2 * r + 1] ^ (h[2 * r + 1] >>> 15), 0x2c1b3c6d) >>> 11) & 0x1fffff);
  return out;
}

/** Rows whose key equals an earlier row's key (sorts `keys` in place). */
export function duplicateCount(keys: Float64Array, sort: (a: Float64Array) => Float64Array): number {
  if (keys.length < 2) return 0;
  const s = sort(keys);
  let d = 0;
  for (let i = 1; i < s.length; i++) if (s[i] === s[i - 1]) d++;
  return d;
}
