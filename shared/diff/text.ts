// Fast line diff (Myers O(ND), linear space, with line interning, common prefix/suffix trimming and
// pre-discarding of lines that occur on one side only) and the plain-text DiffResult built on it.
// Pure TypeScript.
import type { FailureClass } from '../domain';
import type { ArtifactKind, Change, DiffResult } from './types';

export interface Hunk {
  /** 1-based line in `a` where the block starts; with beforeCount 0, the line the insertion precedes. */
  beforeStart: number;
  beforeCount: number;
  /** 1-based line in `b` where the block starts; with afterCount 0, the line the removal precedes. */
  afterStart: number;
  afterCount: number;
  removed: string[];
  added: string[];
}

export type EolStyle = 'LF' | 'CRLF' | 'CR' | 'mixed' | 'none';

export interface SplitText {
  /** Lines without their terminators (a trailing "\r" of CRLF is removed). */
  lines: string[];
  eol: EolStyle;
  finalNewline: boolean;
}

/** Split into lines; CRLF/LF/CR-only endings are recognised and reported as a style. */
export function splitLines(text: string): SplitText {
  if (text.length === 0) return { lines: [], eol: 'none', finalNewline: false };
  let crlf = 0;
  let lf = 0;
  let raw: string[];
  const hasLf = text.indexOf('\n') >= 0;
  if (!hasLf && text.indexOf('\r') >= 0) {
    // Classic Mac line endings.
    raw = text.split('\r');
    const finalNewline = text.endsWith('\r');
    if (finalNewline) raw.pop();
    return { lines: raw, eol: 'CR', finalNewline };
  }
  raw = text.split('\n');
  const finalNewline = text.endsWith('\n');
  if (finalNewline) raw.pop();
  const lastTerminated = finalNewline ? raw.length : raw.length - 1;
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i];
    if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) {
      raw[i] = l.slice(0, -1);
      if (i < lastTerminated) crlf++;
    } else if (i < lastTerminated) lf++;
  }
  const eol: EolStyle = crlf === 0 && lf === 0 ? 'none' : crlf === 0 ? 'LF' : lf === 0 ? 'CRLF' : 'mixed';
  return { lines: raw, eol, finalNewline };
}

/** Snake steps before a sub-problem is given up as one replace block (diffSequences' default). */
export const DEFAULT_DIFF_BUDGET = 50_000_000;

/** Options for the low-level sequence diff. */
export interface SeqDiffOptions {
  /** Give up refining a sub-problem after this many snake steps (it becomes one replace block). */
  budget?: number;
  /** Every symbol is below this (saves a pass to find the largest). */
  symbols?: number;
}

/**
 * Diff two integer sequences. Returns matchA: for each index of `a` the matched index in `b`, or -1.
 * Lines present on one side only are discarded before the Myers pass (they cannot match), which keeps
 * D small for typical edits.
 */
export function diffSequences(a: Int32Array, b: Int32Array, opts: SeqDiffOptions = {}): Int32Array {
  const n = a.length;
  const m = b.length;
  const matchA = new Int32Array(n).fill(-1);
  // Common prefix / suffix on the full sequences first (cheap, and usually most of the file).
  let pre = 0;
  while (pre < n && pre < m && a[pre] === b[pre]) {
    matchA[pre] = pre;
    pre++;
  }
  let suf = 0;
  while (suf < n - pre && suf < m - pre && a[n - 1 - suf] === b[m - 1 - suf]) {
    matchA[n - 1 - suf] = m - 1 - suf;
    suf++;
  }
  const aEnd = n - suf;
  const bEnd = m - suf;
  if (pre === aEnd || pre === bEnd) return matchA;

  // Discard lines that do not occur on the other side (within the middle range): one pass per side
  // to mark the symbols present, one per side to keep the others.
  let maxSym = opts.symbols ? opts.symbols - 1 : 0;
  if (!opts.symbols) {
    for (let i = pre; i < aEnd; i++) if (a[i] > maxSym) maxSym = a[i];
    for (let j = pre; j < bEnd; j++) if (b[j] > maxSym) maxSym = b[j];
  }
  const inA = new Uint8Array(maxSym + 1);
  const inB = new Uint8Array(maxSym + 1);
  for (let i = pre; i < aEnd; i++) inA[a[i]] = 1;
  for (let j = pre; j < bEnd; j++) inB[b[j]] = 1;
  const A = new Int32Array(aEnd - pre);
  const idxA = new Int32Array(aEnd - pre);
  const B = new Int32Array(bEnd - pre);
  const idxB = new Int32Array(bEnd - pre);
  let ra = 0;
  let rb = 0;
  for (let i = pre; i < aEnd; i++) {
    const x = a[i];
    if (inB[x]) {
      A[ra] = x;
      idxA[ra++] = i;
    }
  }
  for (let j = pre; j < bEnd; j++) {
    const y = b[j];
    if (inA[y]) {
      B[rb] = y;
      idxB[rb++] = j;
    }
  }
  if (ra === 0 || rb === 0) return matchA;
  const sub = new Int32Array(ra).fill(-1);
  const state = { budget: opts.budget ?? DEFAULT_DIFF_BUDGET };
  myers(A, 0, ra, B, 0, rb, sub, state);
  for (let i = 0; i < ra; i++) if (sub[i] >= 0) matchA[idxA[i]] = idxB[sub[i]];
  return matchA;
}

function myers(
  A: Int32Array,
  aLo: number,
  aHi: number,
  B: Int32Array,
  bLo: number,
  bHi: number,
  match: Int32Array,
  state: { budget: number },
): void {
  // Iterative over the right half, recursive over the left half (bounded depth ≈ log D).
  for (;;) {
    while (aLo < aHi && bLo < bHi && A[aLo] === B[bLo]) {
      match[aLo] = bLo;
      aLo++;
      bLo++;
    }
    while (aLo < aHi && bLo < bHi && A[aHi - 1] === B[bHi - 1]) {
      match[aHi - 1] = bHi - 1;
      aHi--;
      bHi--;
    }
    if (aLo === aHi || bLo === bHi) return;
    const split = bisect(A, aLo, aHi, B, bLo, bHi, state);
    if (split === null) return; // no common subsequence found within budget: one replace block
    const [x, y] = split;
    myers(A, aLo, x, B, bLo, y, match, state);
    aLo = x;
    bLo = y;
  }
}

/** Middle-snake search (as in diff-match-patch's bisect). Returns the split point in absolute indices. */
function bisect(
  A: Int32Array,
  aLo: number,
  aHi: number,
  B: Int32Array,
  bLo: number,
  bHi: number,
  state: { budget: number },
): [number, number] | null {
  const N = aHi - aLo;
  const M = bHi - bLo;
  const maxD = Math.ceil((N + M) / 2);
  const vOffset = maxD;
  const vLength = 2 * maxD + 2;
  const v1 = new Int32Array(vLength).fill(-1);
  const v2 = new Int32Array(vLength).fill(-1);
  v1[vOffset + 1] = 0;
  v2[vOffset + 1] = 0;
  const delta = N - M;
  const front = (delta & 1) !== 0;
  let k1start = 0;
  let k1end = 0;
  let k2start = 0;
  let k2end = 0;
  for (let d = 0; d < maxD; d++) {
    if (state.budget < 0) return null;
    state.budget -= 2 * d + 1;
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      const k1o = vOffset + k1;
      let x1 = k1 === -d || (k1 !== d && v1[k1o - 1] < v1[k1o + 1]) ? v1[k1o + 1] : v1[k1o - 1] + 1;
      let y1 = x1 - k1;
      const x0 = x1;
      while (x1 < N && y1 < M && A[aLo + x1] === B[bLo + y1]) {
        x1++;
        y1++;
      }
      state.budget -= x1 - x0;
      v1[k1o] = x1;
      if (x1 > N) k1end += 2;
      else if (y1 > M) k1start += 2;
      else if (front) {
        const k2o = vOffset + delta - k1;
        if (k2o >= 0 && k2o < vLength && v2[k2o] !== -1) {
          const x2 = N - v2[k2o];
          if (x1 >= x2) return [aLo + x1, bLo + y1];
        }
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      const k2o = vOffset + k2;
      let x2 = k2 === -d || (k2 !== d && v2[k2o - 1] < v2[k2o + 1]) ? v2[k2o + 1] : v2[k2o - 1] + 1;
      let y2 = x2 - k2;
      const x0 = x2;
      while (x2 < N && y2 < M && A[aHi - 1 - x2] === B[bHi - 1 - y2]) {
        x2++;
        y2++;
      }
      state.budget -= x2 - x0;
      v2[k2o] = x2;
      if (x2 > N) k2end += 2;
      else if (y2 > M) k2start += 2;
      else if (!front) {
        const k1o = vOffset + delta - k2;
        if (k1o >= 0 && k1o < vLength && v1[k1o] !== -1) {
          const x1 = v1[k1o];
          const y1 = vOffset + x1 - k1o;
          if (x1 >= N - x2) return [aLo + x1, bLo + y1];
        }
      }
    }
  }
  return null;
}

/**
 * Intern lines into integer ids shared by both sides (FNV-1a hash + open addressing; faster than a
 * Map<string, number> on 100k-line inputs).
 */
export function internLines(a: string[], b: string[]): [Int32Array, Int32Array] {
  const total = a.length + b.length;
  let cap = 16;
  while (cap < total * 2) cap <<= 1;
  const mask = cap - 1;
  const table = new Int32Array(cap).fill(-1);
  const idHash = new Int32Array(total + 1);
  const idStr: string[] = [];
  const idOf = (s: string): number => {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    let slot = h & mask;
    for (;;) {
      const id = table[slot];
      if (id < 0) {
        const nid = idStr.length;
        idStr.push(s);
        idHash[nid] = h;
        table[slot] = nid;
        return nid;
      }
      if (idHash[id] === h && idStr[id] === s) return id;
      slot = (slot + 1) & mask;
    }
  };
  const A = new Int32Array(a.length);
  const B = new Int32Array(b.length);
  for (let i = 0; i < a.length; i++) A[i] = idOf(a[i]);
  for (let j = 0; j < b.length; j++) B[j] = idOf(b[j]);
  return [A, B];
}

/** Hunks of a match array (matchA[i] = index in b or -1) as [i, count, j, count] quadruples (0-based starts), in order. */
export function hunkPositions(matchA: Int32Array, n: number, m: number): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && matchA[i] === j) {
      i++;
      j++;
      continue;
    }
    let i2 = i;
    while (i2 < n && matchA[i2] < 0) i2++;
    const j2 = i2 < n ? matchA[i2] : m;
    out.push(i, i2 - i, j, j2 - j);
    i = i2;
    j = j2;
  }
  return out;
}

/** Build hunks from a match array. */
function hunksFromMatch(matchA: Int32Array, n: number, m: number, lineA: (i: number) => string, lineB: (j: number) => string): Hunk[] {
  const q = hunkPositions(matchA, n, m);
  const hunks: Hunk[] = [];
  for (let k = 0; k < q.length; k += 4) {
    const [i, bc, j, ac] = [q[k], q[k + 1], q[k + 2], q[k + 3]];
    const removed: string[] = [];
    const added: string[] = [];
    for (let x = i; x < i + bc; x++) removed.push(lineA(x));
    for (let y = j; y < j + ac; y++) added.push(lineB(y));
    hunks.push({ beforeStart: i + 1, beforeCount: bc, afterStart: j + 1, afterCount: ac, removed, added });
  }
  return hunks;
}

/** Same id sequence. */
export function sameIds(A: Int32Array, B: Int32Array): boolean {
  if (A.length !== B.length) return false;
  for (let i = 0; i < A.length; i++) if (A[i] !== B[i]) return false;
  return true;
}

/** Diff two line arrays into hunks (no context lines). */
export function diffLineArrays(a: string[], b: string[]): Hunk[] {
  const [A, B] = internLines(a, b);
  const matchA = diffSequences(A, B);
  return hunksFromMatch(matchA, a.length, b.length, (i) => a[i], (j) => b[j]);
}

/** Lines of a text as offsets into it (no substrings are made until a hunk needs them). */
export interface LineIndex {
  text: string;
  starts: Int32Array;
  /** End offsets, excluding the terminator (and the "\r" of CRLF). */
  ends: Int32Array;
  count: number;
  eol: EolStyle;
  finalNewline: boolean;
}

/** Index the lines of a text (LF, CRLF, or CR-only endings). */
export function indexLines(input: string): LineIndex {
  let text = input;
  let cr = false;
  if (text.indexOf('\n') < 0 && text.indexOf('\r') >= 0) {
    text = text.replace(/\r/g, '\n');
    cr = true;
  }
  const len = text.length;
  let count = 0;
  for (let p = text.indexOf('\n'); p >= 0; p = text.indexOf('\n', p + 1)) count++;
  const finalNewline = len > 0 && text.charCodeAt(len - 1) === 10;
  if (len > 0 && !finalNewline) count++;
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  let crlf = 0;
  let lf = 0;
  let pos = 0;
  for (let k = 0; k < count; k++) {
    let nl = text.indexOf('\n', pos);
    const terminated = nl >= 0;
    if (!terminated) nl = len;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) {
      end--;
      if (terminated) crlf++;
    } else if (terminated) lf++;
    starts[k] = pos;
    ends[k] = end;
    pos = nl + 1;
  }
  const eol: EolStyle = cr ? 'CR' : crlf === 0 && lf === 0 ? 'none' : crlf === 0 ? 'LF' : lf === 0 ? 'CRLF' : 'mixed';
  return { text, starts, ends, count, eol, finalNewline };
}

/** Intern the lines of two indexed texts (hash over the flat strings, no substrings). */
export function internIndexed(a: LineIndex, b: LineIndex): [Int32Array, Int32Array] {
  const total = a.count + b.count;
  let cap = 16;
  while (cap < total * 2) cap <<= 1;
  const mask = cap - 1;
  const table = new Int32Array(cap).fill(-1);
  const idHash = new Int32Array(total + 1);
  const idSide = new Uint8Array(total + 1);
  const idLine = new Int32Array(total + 1);
  let ids = 0;
  const run = (ix: LineIndex, side: number, out: Int32Array) => {
    const t = ix.text;
    const S = ix.starts;
    const E = ix.ends;
    for (let k = 0; k < ix.count; k++) {
      const s = S[k];
      const e = E[k];
      let h = 0x811c9dc5 | 0;
      for (let i = s; i < e; i++) h = Math.imul(h ^ t.charCodeAt(i), 16777619);
      let slot = h & mask;
      for (;;) {
        const id = table[slot];
        if (id < 0) {
          table[slot] = ids;
          idHash[ids] = h;
          idSide[ids] = side;
          idLine[ids] = k;
          out[k] = ids++;
          break;
        }
        if (idHash[id] === h) {
          const rx = idSide[id] === 0 ? a : b;
          const rs = rx.starts[idLine[id]];
          const re = rx.ends[idLine[id]];
          if (re - rs === e - s) {
            const rt = rx.text;
            let i = 0;
            const n = e - s;
            while (i < n && rt.charCodeAt(rs + i) === t.charCodeAt(s + i)) i++;
            if (i === n) {
              out[k] = id;
              break;
            }
          }
        }
        slot = (slot + 1) & mask;
      }
    }
  };
  const A = new Int32Array(a.count);
  const B = new Int32Array(b.count);
  run(a, 0, A);
  run(b, 1, B);
  return [A, B];
}

function lineOf(ix: LineIndex, k: number): string {
  return ix.text.slice(ix.starts[k], ix.ends[k]);
}

function diffIndexed(ia: LineIndex, ib: LineIndex): { hunks: Hunk[]; same: boolean } {
  const [A, B] = internIndexed(ia, ib);
  if (sameIds(A, B)) return { hunks: [], same: true };
  const matchA = diffSequences(A, B);
  return { hunks: hunksFromMatch(matchA, ia.count, ib.count, (i) => lineOf(ia, i), (j) => lineOf(ib, j)), same: false };
}

/** Line diff of two texts: hunks with 1-based line numbers (line endings normalised; see diffText for the EOL report). */
export function lineDiff(a: string, b: string): Hunk[] {
  return diffIndexed(indexLines(a), indexLines(b)).hunks;
}

const MAX_SNIPPET = 300;

/** The lines joined by "\n", cut to MAX_SNIPPET characters (reads only as many lines as it shows). */
function snippet(count: number, line: (k: number) => string): string {
  let s = '';
  for (let k = 0; k < count; k++) {
    s = k === 0 ? line(0) : s + '\n' + line(k);
    if (s.length > MAX_SNIPPET) return s.slice(0, MAX_SNIPPET) + '…';
  }
  return s;
}

function short(line: string, max = 80): string {
  const t = line.trim();
  return t.length > max ? t.slice(0, max) + '…' : t;
}

function range(start: number, count: number): string {
  return count === 1 ? `line ${start}` : `lines ${start}–${start + count - 1}`;
}

export interface TextDiffOptions {
  kind?: ArtifactKind;
  failureClass?: FailureClass;
  /** Cap on hunk changes (a final 'text.truncated' change says how many were left out). */
  maxChanges?: number;
}

/** A hunk's position, with its lines read on demand (so a caller can decode only the lines shown). */
export interface HunkView {
  beforeStart: number;
  beforeCount: number;
  afterStart: number;
  afterCount: number;
  removed(k: number): string;
  added(k: number): string;
}

/** Turn hunks into typed changes. */
export function hunksToChanges(hunks: Hunk[], failureClass: FailureClass, maxChanges = 5000): Change[] {
  return hunkViewsToChanges(hunks.length, (i) => {
    const h = hunks[i];
    return { ...h, removed: (k) => h.removed[k], added: (k) => h.added[k] };
  }, failureClass, maxChanges);
}

/** Typed changes for `total` hunks (hunk(i) for the first maxChanges only, then a 'text.truncated' change). */
export function hunkViewsToChanges(total: number, hunk: (i: number) => HunkView, failureClass: FailureClass, maxChanges = 5000): Change[] {
  const changes: Change[] = [];
  for (let i = 0; i < total; i++) {
    if (changes.length >= maxChanges) {
      changes.push({
        kind: 'text.truncated',
        severity: 'info',
        failureClass,
        subject: 'text',
        before: null,
        after: null,
        message: `${total - maxChanges} more changed blocks not listed`,
        params: { totalHunks: total },
      });
      break;
    }
    const h = hunk(i);
    // Plain literals, not a spread of shared fields: this loop runs once per hunk in a cold `pmw diff`.
    const lineBefore = Math.max(1, h.beforeStart);
    const lineAfter = Math.max(1, h.afterStart);
    if (h.beforeCount === 0) {
      changes.push({
        severity: 'info',
        failureClass,
        lineBefore,
        lineAfter,
        kind: 'text.added',
        subject: range(h.afterStart, h.afterCount),
        before: null,
        after: snippet(h.afterCount, h.added),
        message:
          h.afterCount === 1
            ? `line ${h.afterStart} added: ${short(h.added(0))}`
            : `${h.afterCount} lines added at ${range(h.afterStart, h.afterCount)}`,
      });
    } else if (h.afterCount === 0) {
      changes.push({
        severity: 'info',
        failureClass,
        lineBefore,
        lineAfter,
        kind: 'text.removed',
        subject: range(h.beforeStart, h.beforeCount),
        before: snippet(h.beforeCount, h.removed),
        after: null,
        message:
          h.beforeCount === 1
            ? `line ${h.beforeStart} removed: ${short(h.removed(0))}`
            : `${h.beforeCount} lines removed (was ${range(h.beforeStart, h.beforeCount)})`,
      });
    } else {
      let wsOnly = h.beforeCount === h.afterCount;
      for (let k = 0; wsOnly && k < h.beforeCount; k++) wsOnly = h.removed(k).replace(/\s+/g, '') === h.added(k).replace(/\s+/g, '');
      changes.push({
        severity: 'info',
        failureClass,
        lineBefore,
        lineAfter,
        kind: wsOnly ? 'text.whitespace' : 'text.changed',
        subject: range(h.afterStart, h.afterCount),
        before: snippet(h.beforeCount, h.removed),
        after: snippet(h.afterCount, h.added),
        message: wsOnly
          ? `whitespace-only change at ${range(h.afterStart, h.afterCount)}`
          : h.beforeCount === 1 && h.afterCount === 1
            ? `line ${h.afterStart} changed: ${short(h.removed(0), 60)} → ${short(h.added(0), 60)}`
            : `${range(h.beforeStart, h.beforeCount)} replaced by ${h.afterCount} line${h.afterCount === 1 ? '' : 's'} at ${range(h.afterStart, h.afterCount)}`,
      });
    }
  }
  return changes;
}

/** Changes for line-ending and final-newline differences between two split texts. */
export function formattingChanges(
  sa: { eol: EolStyle; finalNewline: boolean; count: number },
  sb: { eol: EolStyle; finalNewline: boolean; count: number },
  failureClass: FailureClass,
): Change[] {
  const out: Change[] = [];
  const styleA = sa.eol;
  const styleB = sb.eol;
  if (styleA !== styleB && styleA !== 'none' && styleB !== 'none') {
    out.push({
      kind: 'text.line-endings',
      severity: 'info',
      failureClass,
      subject: 'line endings',
      before: styleA,
      after: styleB,
      message: `line endings changed: ${styleA} → ${styleB}`,
    });
  }
  if (sa.count > 0 && sb.count > 0 && sa.finalNewline !== sb.finalNewline) {
    out.push({
      kind: 'text.final-newline',
      severity: 'info',
      failureClass,
      subject: 'end of file',
      before: sa.finalNewline,
      after: sb.finalNewline,
      message: sb.finalNewline ? 'newline added at end of file' : 'no newline at end of file any more',
      lineAfter: sb.count,
      lineBefore: sa.count,
    });
  }
  return out;
}

/** Only line-ending / final-newline changes. */
export function onlyFormatting(changes: Change[]): boolean {
  return changes.every((c) => c.kind === 'text.line-endings' || c.kind === 'text.final-newline');
}

/** Plain-text diff: hunks as changes; CRLF/LF and final-newline differences reported once each. */
export function diffText(a: string, b: string, opts: TextDiffOptions = {}): DiffResult {
  const kind = opts.kind ?? 'text';
  const failureClass = opts.failureClass ?? 'deployment';
  if (a === b) return { kind, changes: [], problems: [], noSemanticChange: true };
  const ia = indexLines(a);
  const ib = indexLines(b);
  const fmt = formattingChanges(ia, ib, failureClass);
  const { hunks, same } = diffIndexed(ia, ib);
  if (same) return { kind, changes: fmt, problems: [], noSemanticChange: true };
  const changes = [...fmt, ...hunksToChanges(hunks, failureClass, opts.maxChanges)];
  return { kind, changes, problems: [], noSemanticChange: onlyFormatting(changes) };
}
