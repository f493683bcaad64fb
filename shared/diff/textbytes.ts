// Plain-text diff straight from the bytes of two UTF-8 files: lines are found and interned on the
// bytes (4 bytes at a time, no decoded copy of either file), the line sequences go through the same
// Myers pass as diffText, and only the lines the changes show are decoded. The result is identical
// to diffText(decodeText(a).text, decodeText(b).text) plus dispatch's byte-order-mark note; inputs
// where it could differ (UTF-16, invalid UTF-8, CR-only line endings) return null and take that
// path instead. Pure TypeScript.
import type { FailureClass } from '../domain';
import { firstInvalidUtf8 } from './detect';
import { diffSequences, formattingChanges, hunkPositions, hunkViewsToChanges, onlyFormatting, sameIds, type EolStyle, type HunkView } from './text';
import type { Change, DiffResult } from './types';

interface Utf8Decoder {
  decode(input?: Uint8Array): string;
}
const TD = (globalThis as unknown as { TextDecoder: new (label?: string) => Utf8Decoder }).TextDecoder;
let utf8: Utf8Decoder | null = null;

/** Lines of a byte buffer as offsets (the same lines, EOL style and final newline as indexLines). */
export interface ByteLines {
  bytes: Uint8Array;
  starts: Int32Array;
  /** End offsets, excluding the terminator (and the "\r" of CRLF). */
  ends: Int32Array;
  count: number;
  eol: EolStyle;
  finalNewline: boolean;
  /** No byte ≥ 0x80. */
  ascii: boolean;
}

/**
 * Index the LF-terminated lines of `bytes`. Words of 4 bytes are tested for a "\n" byte at once
 * (SWAR); null when the text has no "\n" but a "\r" (CR-only endings, left to indexLines).
 */
export function indexByteLines(bytes: Uint8Array): ByteLines | null {
  const n = bytes.length;
  // Line ends ("\n" offsets) first, 4 bytes at a time; then starts/ends and the EOL counts.
  let nls: Int32Array = new Int32Array((n >>> 5) + 16);
  let count = 0;
  let high = 0;
  const head = Math.min(n, (4 - (bytes.byteOffset & 3)) & 3);
  const words = (n - head) >>> 2;
  const w32 = words > 0 ? new Int32Array(bytes.buffer, bytes.byteOffset + head, words) : new Int32Array(0);
  for (let i = 0; i < head; i++) {
    high |= bytes[i];
    if (bytes[i] === 10) nls[count++] = i;
  }
  for (let k = 0; k < words; k++) {
    const w = w32[k];
    high |= w;
    const x = w ^ 0x0a0a0a0a;
    if ((((x - 0x01010101) | 0) & ~x & 0x80808080) !== 0) {
      if (count + 4 > nls.length) nls = grow(nls);
      const p = head + (k << 2);
      if (bytes[p] === 10) nls[count++] = p;
      if (bytes[p + 1] === 10) nls[count++] = p + 1;
      if (bytes[p + 2] === 10) nls[count++] = p + 2;
      if (bytes[p + 3] === 10) nls[count++] = p + 3;
    }
  }
  for (let i = head + (words << 2); i < n; i++) {
    high |= bytes[i];
    if (bytes[i] === 10) {
      if (count === nls.length) nls = grow(nls);
      nls[count++] = i;
    }
  }
  if (count === 0 && n > 0 && bytes.indexOf(13) >= 0) return null;
  const finalNewline = n > 0 && bytes[n - 1] === 10;
  const terminated = count;
  if (n > 0 && !finalNewline) count++;
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  let crlf = 0;
  let pos = 0;
  for (let k = 0; k < count; k++) {
    let end = k < terminated ? nls[k] : n;
    starts[k] = pos;
    pos = end + 1;
    if (end > starts[k] && bytes[end - 1] === 13) {
      end--;
      if (k < terminated) crlf++;
    }
    ends[k] = end;
  }
  const lf = terminated - crlf;
  const eol: EolStyle = crlf === 0 && lf === 0 ? 'none' : crlf === 0 ? 'LF' : lf === 0 ? 'CRLF' : 'mixed';
  return { bytes, starts, ends, count, eol, finalNewline, ascii: (high & 0x80808080) === 0 };
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function dataView(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Hash of bytes [s, e): 4 bytes per step, then a final mix. */
function hashRange(dv: DataView, bytes: Uint8Array, s: number, e: number): number {
  let h = (e - s) | 0;
  let p = s;
  for (; p + 4 <= e; p += 4) h = Math.imul(((h << 5) | (h >>> 27)) ^ dv.getInt32(p, true), 0x9e3779b1);
  if (p < e) {
    let w = bytes[p];
    if (p + 1 < e) w |= bytes[p + 1] << 8;
    if (p + 2 < e) w |= bytes[p + 2] << 16;
    h = Math.imul(((h << 5) | (h >>> 27)) ^ w, 0x9e3779b1);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

function sameRange(x: DataView, xs: number, y: DataView, ys: number, len: number): boolean {
  let i = 0;
  for (; i + 4 <= len; i += 4) if (x.getInt32(xs + i, true) !== y.getInt32(ys + i, true)) return false;
  for (; i < len; i++) if (x.getUint8(xs + i) !== y.getUint8(ys + i)) return false;
  return true;
}

/** Interning state shared by both sides: open addressing, [id + 1, hash] per slot. */
interface Interner {
  table: Int32Array;
  mask: number;
  ids: number;
  /** Where each id was first seen: side (0 = a, 1 = b) and line. */
  idSide: Uint8Array;
  idLine: Int32Array;
  sides: [ByteLines, ByteLines];
  views: [DataView, DataView];
}

/** The id of line k of `side` (a new id when its bytes were not seen before). */
function idOf(st: Interner, side: number, k: number): number {
  const ix = st.sides[side];
  const dv = st.views[side];
  const s = ix.starts[k];
  const len = ix.ends[k] - s;
  const h = hashRange(dv, ix.bytes, s, s + len);
  const table = st.table;
  let slot = h & st.mask;
  for (;;) {
    const id1 = table[slot << 1];
    if (id1 === 0) {
      const id = st.ids++;
      table[slot << 1] = id + 1;
      table[(slot << 1) + 1] = h;
      st.idSide[id] = side;
      st.idLine[id] = k;
      return id;
    }
    if (table[(slot << 1) + 1] === h) {
      const id = id1 - 1;
      const rs = st.idSide[id];
      const rx = st.sides[rs];
      const rl = st.idLine[id];
      if (rx.ends[rl] - rx.starts[rl] === len && sameRange(st.views[rs], rx.starts[rl], dv, s, len)) return id;
    }
    slot = (slot + 1) & st.mask;
  }
}

/**
 * Intern the lines of two byte-indexed texts into ids shared by both sides (equal ids ⟺ equal
 * bytes), in order of first appearance, a's lines first. A line of b is first compared with the
 * line of a after the last one it matched (most lines of a changed file are where they were), and
 * only hashed and looked up when that differs.
 */
export function internByteLines(a: ByteLines, b: ByteLines): [Int32Array, Int32Array] {
  const r = intern(a, b);
  return [r.A, r.B];
}

function intern(a: ByteLines, b: ByteLines): { A: Int32Array; B: Int32Array; symbols: number } {
  const total = a.count + b.count;
  let cap = 16;
  while (cap < total * 2) cap <<= 1;
  const st: Interner = {
    table: new Int32Array(cap * 2),
    mask: cap - 1,
    ids: 0,
    idSide: new Uint8Array(total),
    idLine: new Int32Array(total),
    sides: [a, b],
    views: [dataView(a.bytes), dataView(b.bytes)],
  };
  const A = new Int32Array(a.count);
  const B = new Int32Array(b.count);
  for (let k = 0; k < a.count; k++) A[k] = idOf(st, 0, k);
  internB(st, a, b, A, B);
  return { A, B, symbols: st.ids };
}

/** b's ids: each line is compared with the line of a after the last one matched, looked up only when that differs. */
function internB(st: Interner, a: ByteLines, b: ByteLines, A: Int32Array, B: Int32Array): void {
  const [dva, dvb] = st.views;
  const aS = a.starts;
  const aE = a.ends;
  const bS = b.starts;
  const bE = b.ends;
  let next = 0;
  for (let k = 0; k < b.count; k++) {
    const s = bS[k];
    const len = bE[k] - s;
    if (next < a.count && aE[next] - aS[next] === len && sameRange(dva, aS[next], dvb, s, len)) {
      B[k] = A[next++];
      continue;
    }
    const id = idOf(st, 1, k);
    B[k] = id;
    if (st.idSide[id] === 0) next = st.idLine[id] + 1;
  }
}

/** Equal contents, compared a word at a time where both buffers allow it. */
export function sameBytes(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  const n = x.length;
  let i = 0;
  if (((x.byteOffset | y.byteOffset) & 3) === 0) {
    const words = n >>> 2;
    const wx = new Int32Array(x.buffer, x.byteOffset, words);
    const wy = new Int32Array(y.buffer, y.byteOffset, words);
    for (let k = 0; k < words; k++) if (wx[k] !== wy[k]) return false;
    i = words << 2;
  }
  for (; i < n; i++) if (x[i] !== y[i]) return false;
  return true;
}

type Bom = 'utf-8' | 'utf-16le' | 'utf-16be' | undefined;

/** The byte-order mark at the start of `bytes` (the ones decodeText recognises). */
export function bomOf(bytes: Uint8Array): Bom {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  return undefined;
}

/** The change for a byte-order mark added or removed (null when both sides have the same). */
export function bomChange(before: Bom, after: Bom): Change | null {
  if (before === after) return null;
  return {
    kind: 'text.bom',
    severity: 'info',
    failureClass: 'deployment',
    subject: 'byte-order mark',
    before: before ?? null,
    after: after ?? null,
    message: after ? `byte-order mark (${after}) added` : `byte-order mark (${before}) removed`,
  };
}

/** The lines of hunk positions, decoded on demand and kept once decoded. */
function lineReader(ix: ByteLines): (k: number) => string {
  utf8 ??= new TD('utf-8');
  const dec = utf8;
  const cache = new Map<number, string>();
  return (k) => {
    let s = cache.get(k);
    if (s === undefined) {
      s = dec.decode(ix.bytes.subarray(ix.starts[k], ix.ends[k]));
      cache.set(k, s);
    }
    return s;
  };
}

/**
 * Plain-text diff of two UTF-8 files from their bytes: the same DiffResult as diffText on the decoded
 * texts, with a 'text.bom' change first when a UTF-8 byte-order mark was added or removed. Returns null
 * for UTF-16, invalid UTF-8 or CR-only input (decode and use diffText for those).
 */
export function diffTextBytes(before: Uint8Array, after: Uint8Array, opts: { failureClass?: FailureClass; maxChanges?: number } = {}): DiffResult | null {
  const bb = bomOf(before);
  const ba = bomOf(after);
  if (bb === 'utf-16le' || bb === 'utf-16be' || ba === 'utf-16le' || ba === 'utf-16be') return null;
  const xa = bb ? before.subarray(3) : before;
  const xb = ba ? after.subarray(3) : after;
  const ia = indexByteLines(xa);
  const ib = indexByteLines(xb);
  if (!ia || !ib) return null;
  if ((!ia.ascii && firstInvalidUtf8(xa) >= 0) || (!ib.ascii && firstInvalidUtf8(xb) >= 0)) return null;
  const failureClass = opts.failureClass ?? 'deployment';
  const bom = bomChange(bb, ba);
  const result = (changes: Change[], noSemanticChange: boolean): DiffResult => ({
    kind: 'text',
    changes: bom ? [bom, ...changes] : changes,
    problems: [],
    noSemanticChange,
  });
  if (sameBytes(xa, xb)) return result([], true);
  const fmt = formattingChanges(ia, ib, failureClass);
  const { A, B, symbols } = intern(ia, ib);
  if (sameIds(A, B)) return result(fmt, true);
  const matchA = diffSequences(A, B, { symbols });
  const hunks = hunkPositions(matchA, ia.count, ib.count);
  const lineA = lineReader(ia);
  const lineB = lineReader(ib);
  const total = hunks.length >> 2;
  const changes = [
    ...fmt,
    ...hunkViewsToChanges(
      total,
      (i): HunkView => {
        const q = i << 2;
        const i0 = hunks[q];
        const j0 = hunks[q + 2];
        return {
          beforeStart: i0 + 1,
          beforeCount: hunks[q + 1],
          afterStart: j0 + 1,
          afterCount: hunks[q + 3],
          removed: (k) => lineA(i0 + k),
          added: (k) => lineB(j0 + k),
        };
      },
      failureClass,
      opts.maxChanges,
    ),
  ];
  return result(changes, onlyFormatting(changes));
}

