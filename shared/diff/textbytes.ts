// Plain-text diff straight from the bytes of two UTF-8 files. Lines are found, hashed and interned
// on the bytes by a small WebAssembly kernel (wasm/textdiff.ts, AssemblyScript: `pmw diff` runs once
// per process, and JavaScript loops would spend most of a large diff waiting for V8 to optimise
// them), which then runs the same Myers pass as diffText; only the lines the changes show are
// decoded. The result is identical to diffText(decodeText(a).text, decodeText(b).text) plus
// dispatch's byte-order-mark note. Inputs where it could differ (UTF-16, invalid UTF-8, CR-only line
// endings) — and runtimes without WebAssembly — return null and take that path instead. Pure TypeScript.
import type { FailureClass } from '../domain';
import { firstInvalidUtf8 } from './detect';
import { DEFAULT_DIFF_BUDGET, formattingChanges, hunkViewsToChanges, onlyFormatting, sameIds, type EolStyle, type HunkView } from './text';
import { TEXTDIFF_WASM } from './textwasm.generated';
import type { Change, DiffResult } from './types';

interface Utf8Decoder {
  decode(input?: Uint8Array): string;
}
const G = globalThis as unknown as {
  TextDecoder: new (label?: string) => Utf8Decoder;
  atob?: (s: string) => string;
  WebAssembly?: {
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object, imports: object) => { exports: KernelExports };
  };
};
let utf8: Utf8Decoder | null = null;

/** The kernel's exports (see wasm/textdiff.ts); pointers and counts are i32. */
interface KernelExports {
  memory: { buffer: ArrayBuffer };
  alloc(n: number): number;
  countLF(src: number, n: number): number;
  high(): number;
  indexLines(src: number, n: number, lf: number): number;
  starts(): number;
  ends(): number;
  crlf(): number;
  intern(a: number, as: number, ae: number, na: number, b: number, bs: number, be: number, nb: number, A: number, B: number): number;
  diffSequences(a: number, n: number, b: number, m: number, symbols: number, budget: number): number;
  hunks(matchA: number, n: number, m: number): number;
  hunkList(): number;
  countLFHint(src: number, n: number): number;
  hint(): number;
}

let wasmModule: object | null | undefined;
/** A fresh kernel instance (its memory goes with it), or null without WebAssembly. */
function kernel(): KernelExports | null {
  if (wasmModule === undefined) {
    try {
      const bin = G.atob!(TEXTDIFF_WASM);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      wasmModule = new G.WebAssembly!.Module(bytes);
    } catch {
      wasmModule = null; // no WebAssembly here (or a CSP without wasm-unsafe-eval)
    }
  }
  return wasmModule ? new G.WebAssembly!.Instance(wasmModule, {}).exports : null;
}

/** Past this combined size the kernel's 32-bit memory could run out; such inputs take the decoding path. */
const MAX_KERNEL_BYTES = 1 << 30;

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

/** One side inside a kernel: where its bytes and line arrays are. */
interface Side {
  ptr: number;
  n: number;
  count: number;
  starts: number;
  ends: number;
  eol: EolStyle;
  finalNewline: boolean;
  ascii: boolean;
  /** Whether contextHint found a match (only when indexSide was asked to look). */
  hint: boolean;
}

/** A view of kernel memory (valid until the kernel's memory grows: take views after the last kernel call). */
function view(k: KernelExports, ptr: number, n: number): Uint8Array {
  return new Uint8Array(k.memory.buffer, ptr, n);
}

/**
 * Index the lines of the n bytes at ptr in the kernel; null for CR-only text (no "\n" but a "\r").
 * With `hint`, also runs contextHint in the same pass (Side.hint).
 */
function indexSide(k: KernelExports, ptr: number, n: number, hint = false): Side | null {
  const lf = hint ? k.countLFHint(ptr, n) : k.countLF(ptr, n);
  const ascii = k.high() === 0;
  if (lf === 0 && n > 0 && view(k, ptr, n).indexOf(13) >= 0) return null;
  const finalNewline = n > 0 && view(k, ptr, n)[n - 1] === 10;
  const count = k.indexLines(ptr, n, lf);
  const crlf = k.crlf();
  const plain = lf - crlf;
  const eol: EolStyle = crlf === 0 && plain === 0 ? 'none' : crlf === 0 ? 'LF' : plain === 0 ? 'CRLF' : 'mixed';
  return { ptr, n, count, starts: k.starts(), ends: k.ends(), eol, finalNewline, ascii, hint: hint && k.hint() !== 0 };
}

/** Copy `bytes` into the kernel and index its lines (indexSide). */
function loadSide(k: KernelExports, bytes: Uint8Array, hint = false): Side | null {
  const ptr = k.alloc(bytes.length);
  view(k, ptr, bytes.length).set(bytes);
  return indexSide(k, ptr, bytes.length, hint);
}

/** Views of a side's bytes and line arrays (valid until the kernel's memory grows). */
function linesOf(k: KernelExports, s: Side): ByteLines {
  const buf = k.memory.buffer;
  return { bytes: view(k, s.ptr, s.n), starts: new Int32Array(buf, s.starts, s.count), ends: new Int32Array(buf, s.ends, s.count), count: s.count, eol: s.eol, finalNewline: s.finalNewline, ascii: s.ascii };
}

/** Index the lines of `bytes` (a copy of the kernel's arrays); null for CR-only text or without WebAssembly. */
export function indexByteLines(bytes: Uint8Array): ByteLines | null {
  const k = kernel();
  const s = k && loadSide(k, bytes);
  if (!k || !s) return null;
  const ix = linesOf(k, s);
  return { ...ix, bytes, starts: ix.starts.slice(), ends: ix.ends.slice() };
}

/**
 * Whether `bytes` contain a match of the redaction's CONTEXT_HINT (needsContext, shared/redact/core.ts)
 * as the regex finds it in a one-character-per-byte view, found on the bytes by the kernel; null
 * without WebAssembly.
 */
export function contextHintBytes(bytes: Uint8Array): boolean | null {
  const k = kernel();
  if (!k) return null;
  const ptr = k.alloc(bytes.length);
  new Uint8Array(k.memory.buffer, ptr, bytes.length).set(bytes);
  k.countLFHint(ptr, bytes.length);
  return k.hint() !== 0;
}

/**
 * Line ids of two texts (equal ids ⟺ equal line bytes, numbered in order of first appearance, a's
 * lines first); null for CR-only text or without WebAssembly.
 */
export function internByteLines(a: Uint8Array, b: Uint8Array): [Int32Array, Int32Array] | null {
  const k = kernel();
  const sa = k && loadSide(k, a);
  const sb = k && loadSide(k, b);
  if (!k || !sa || !sb) return null;
  const A = k.alloc(sa.count * 4);
  const B = k.alloc(sb.count * 4);
  k.intern(sa.ptr, sa.starts, sa.ends, sa.count, sb.ptr, sb.starts, sb.ends, sb.count, A, B);
  return [new Int32Array(k.memory.buffer, A, sa.count).slice(), new Int32Array(k.memory.buffer, B, sb.count).slice()];
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

/**
 * The lines of hunk positions, decoded on demand. A change reads each of its lines up to three times
 * (whitespace check, snippet, message): the last 64 lines read are kept.
 */
function lineReader(ix: ByteLines): (k: number) => string {
  utf8 ??= new G.TextDecoder('utf-8');
  const dec = utf8;
  const { bytes, starts, ends } = ix;
  const keys = new Int32Array(64).fill(-1);
  const texts: string[] = new Array<string>(64).fill('');
  return (k) => {
    const slot = k & 63;
    if (keys[slot] === k) return texts[slot];
    const t = dec.decode(bytes.subarray(starts[k], ends[k]));
    keys[slot] = k;
    texts[slot] = t;
    return t;
  };
}

/**
 * Two files' bytes in one fresh kernel's memory, read there by the caller straight from the files
 * (placeTextPair): the byte path then needs no copy of either. bytes() gives views of them, valid until
 * the kernel's memory grows (the next diffPlacedText): take copies (slice) to keep them past that.
 */
export interface PlacedTextPair {
  bytes(): [Uint8Array, Uint8Array];
  /** @internal */
  readonly k: KernelExports;
  /** @internal */
  readonly at: [number, number, number, number];
}

/**
 * Room for two files of these sizes in a fresh kernel, filled by `fill` (side 0 is before, 1 after;
 * `into` has exactly that side's size); null without WebAssembly or past the kernel's limit. What
 * `fill` throws is thrown.
 */
export function placeTextPair(sizeA: number, sizeB: number, fill: (side: 0 | 1, into: Uint8Array) => void): PlacedTextPair | null {
  if (sizeA + sizeB > MAX_KERNEL_BYTES) return null;
  const k = kernel();
  if (!k) return null;
  const pa = k.alloc(sizeA);
  const pb = k.alloc(sizeB);
  fill(0, view(k, pa, sizeA));
  fill(1, view(k, pb, sizeB));
  return { k, at: [pa, sizeA, pb, sizeB], bytes: () => [view(k, pa, sizeA), view(k, pb, sizeB)] };
}

/**
 * Plain-text diff of two UTF-8 files from their bytes: the same DiffResult as diffText on the decoded
 * texts, with a 'text.bom' change first when a UTF-8 byte-order mark was added or removed. Returns null
 * for UTF-16, invalid UTF-8 or CR-only input, and without WebAssembly (decode and use diffText then);
 * with `unlessContext`, also when needsContext would be true of either text.
 */
export function diffTextBytes(before: Uint8Array, after: Uint8Array, opts: TextBytesOptions = {}): DiffResult | null {
  const pair = placeTextPair(before.length, after.length, (side, into) => into.set(side === 0 ? before : after));
  return pair && diffPlacedText(pair, opts);
}

export interface TextBytesOptions {
  failureClass?: FailureClass;
  maxChanges?: number;
  unlessContext?: boolean;
}

/** diffTextBytes of a placed pair (one diff per pair: it uses the kernel's memory for its work). */
export function diffPlacedText(pair: PlacedTextPair, opts: TextBytesOptions = {}): DiffResult | null {
  const { k } = pair;
  let [pa, na, pb, nb] = pair.at;
  const [before, after] = pair.bytes();
  const bb = bomOf(before);
  const ba = bomOf(after);
  if (bb === 'utf-16le' || bb === 'utf-16be' || ba === 'utf-16le' || ba === 'utf-16be') return null;
  if (bb) {
    pa += 3;
    na -= 3;
  }
  if (ba) {
    pb += 3;
    nb -= 3;
  }
  // unlessContext: null when either text has a hint that redacting it line by line could differ from
  // redacting it whole (needsContext, checked by the kernel in the pass that counts the lines: no string).
  const hint = opts.unlessContext === true;
  const sa = indexSide(k, pa, na, hint);
  if (sa?.hint) return null;
  const sb = sa && indexSide(k, pb, nb, hint);
  if (!sa || !sb || sb.hint) return null;
  if ((!sa.ascii && firstInvalidUtf8(view(k, pa, na)) >= 0) || (!sb.ascii && firstInvalidUtf8(view(k, pb, nb)) >= 0)) return null;
  const failureClass = opts.failureClass ?? 'deployment';
  const bom = bomChange(bb, ba);
  const result = (changes: Change[], noSemanticChange: boolean): DiffResult => ({
    kind: 'text',
    changes: bom ? [bom, ...changes] : changes,
    problems: [],
    noSemanticChange,
  });
  if (sameBytes(view(k, pa, na), view(k, pb, nb))) return result([], true);
  const fmt = formattingChanges(sa, sb, failureClass);
  const pA = k.alloc(sa.count * 4);
  const pB = k.alloc(sb.count * 4);
  const symbols = k.intern(sa.ptr, sa.starts, sa.ends, sa.count, sb.ptr, sb.starts, sb.ends, sb.count, pA, pB);
  if (sa.count === sb.count && sameIds(new Int32Array(k.memory.buffer, pA, sa.count), new Int32Array(k.memory.buffer, pB, sb.count))) return result(fmt, true);
  const matchA = k.diffSequences(pA, sa.count, pB, sb.count, symbols, DEFAULT_DIFF_BUDGET);
  const total = k.hunks(matchA, sa.count, sb.count);
  // No more kernel calls from here on: views of its memory stay valid.
  const hunks = new Int32Array(k.memory.buffer, k.hunkList(), total * 4);
  const ia = linesOf(k, sa);
  const ib = linesOf(k, sb);
  const lineA = lineReader(ia);
  const lineB = lineReader(ib);
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
          removed: (j) => lineA(i0 + j),
          added: (j) => lineB(j0 + j),
        };
      },
      failureClass,
      opts.maxChanges,
    ),
  ];
  return result(changes, onlyFormatting(changes));
}
