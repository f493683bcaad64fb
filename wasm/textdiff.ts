// AssemblyScript source of the text-diff kernel (line index, interning, Myers), compiled by
// `node scripts/build-wasm.mjs` into shared/diff/textwasm.generated.ts. Why WebAssembly: `pmw diff`
// runs once per process, so its loops run cold; JavaScript spends most of a 100k-line diff waiting
// for V8 to optimise them, while WebAssembly is compiled before it runs. The algorithms are those of
// shared/diff/textbytes.ts (index, interning) and shared/diff/text.ts (diffSequences, myers, bisect,
// hunkPositions), step for step, so results are identical (test/unit/diff-text-wasm.test.ts).
//
// Memory: one instance per diff; a bump allocator over fresh (zeroed) memory, never freed.

let top: usize = 0;

function ensure(end: usize): void {
  const have = (<usize>memory.size()) << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >>> 16);
    if (memory.grow(pages) < 0) unreachable();
  }
}

/** n bytes of zeroed memory (16-byte aligned). */
export function alloc(n: i32): usize {
  if (top == 0) top = (__heap_base + 15) & ~(<usize>15);
  const p = top;
  top = (p + <usize>n + 15) & ~(<usize>15);
  ensure(top);
  return p;
}

// ------------------------------------------------------------------------------- line index

let gHigh: i32 = 0;
let gStarts: usize = 0;
let gEnds: usize = 0;
let gCrlf: i32 = 0;

/** Non-zero when the last indexed text had a byte ≥ 0x80. */
export function high(): i32 {
  return gHigh;
}
export function starts(): usize {
  return gStarts;
}
export function ends(): usize {
  return gEnds;
}
/** "\r\n"-terminated lines of the last indexed text. */
export function crlf(): i32 {
  return gCrlf;
}

/** Number of "\n" bytes (16 at a time); also notes whether any byte is ≥ 0x80. */
export function countLF(src: usize, n: i32): i32 {
  const nl = i8x16.splat(10);
  let hi = i8x16.splat(0);
  let count = 0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const v = v128.load(src + <usize>i);
    count += popcnt<i32>(i8x16.bitmask(i8x16.eq(v, nl)));
    hi = v128.or(hi, v);
  }
  let tail = 0;
  for (; i < n; i++) {
    const c = <i32>load<u8>(src + <usize>i);
    if (c == 10) count++;
    tail |= c;
  }
  gHigh = i8x16.bitmask(hi) | (tail & 0x80);
  return count;
}

/**
 * Line starts and ends (without "\n", and without the "\r" of "\r\n") of a text with `lf` "\n"
 * bytes, as indexLines: a last line without "\n" is a line too (its trailing "\r" dropped, not counted).
 * Returns the line count; starts()/ends()/crlf() give the rest.
 */
let lk = 0;
let lpos = 0;

/** Records the line ending at the "\n" at p (a "\r" before it is dropped and counted). */
@inline function endLine(src: usize, p: i32): void {
  let end = p;
  if (end > lpos && load<u8>(src + <usize>(end - 1)) == 13) {
    end--;
    gCrlf++;
  }
  store<i32>(gStarts + (<usize>lk << 2), lpos);
  store<i32>(gEnds + (<usize>lk << 2), end);
  lk++;
  lpos = p + 1;
}

export function indexLines(src: usize, n: i32, lf: i32): i32 {
  const unterminated = n > 0 && load<u8>(src + <usize>(n - 1)) != 10 ? 1 : 0;
  const count = lf + unterminated;
  gStarts = alloc(count << 2);
  gEnds = alloc(count << 2);
  gCrlf = 0;
  lk = 0;
  lpos = 0;
  const nl = i8x16.splat(10);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    let mask = i8x16.bitmask(i8x16.eq(v128.load(src + <usize>i), nl));
    while (mask != 0) {
      endLine(src, i + ctz<i32>(mask));
      mask &= mask - 1;
    }
  }
  for (; i < n; i++) if (load<u8>(src + <usize>i) == 10) endLine(src, i);
  if (unterminated) {
    const crlf = gCrlf;
    endLine(src, n); // the last line, without "\n": its "\r" is dropped but not counted
    gCrlf = crlf;
  }
  return count;
}

// ------------------------------------------------------------------------------- interning

@inline function rd(p: usize): i32 {
  return load<i32>(p);
}

function hashRange(src: usize, s: i32, e: i32): i32 {
  let h = e - s;
  let p = s;
  for (; p + 4 <= e; p += 4) h = (rotl<i32>(h, 5) ^ rd(src + <usize>p)) * 0x9e3779b1;
  if (p < e) {
    let w = <i32>load<u8>(src + <usize>p);
    if (p + 1 < e) w |= (<i32>load<u8>(src + <usize>(p + 1))) << 8;
    if (p + 2 < e) w |= (<i32>load<u8>(src + <usize>(p + 2))) << 16;
    h = (rotl<i32>(h, 5) ^ w) * 0x9e3779b1;
  }
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  return h ^ (h >>> 13);
}

function same(x: usize, y: usize, len: i32): bool {
  let i = 0;
  for (; i + 8 <= len; i += 8) if (load<u64>(x + <usize>i) != load<u64>(y + <usize>i)) return false;
  for (; i < len; i++) if (load<u8>(x + <usize>i) != load<u8>(y + <usize>i)) return false;
  return true;
}

let tTable: usize = 0;
let tHash: usize = 0;
let tMask: i32 = 0;
let tIds: i32 = 0;
let tSide: usize = 0;
let tLine: usize = 0;
let srcA: usize = 0;
let sA: usize = 0;
let eA: usize = 0;
let srcB: usize = 0;
let sB: usize = 0;
let eB: usize = 0;

function idOf(side: i32, k: i32): i32 {
  const src = side == 0 ? srcA : srcB;
  const S = side == 0 ? sA : sB;
  const E = side == 0 ? eA : eB;
  const s = load<i32>(S + (<usize>k << 2));
  const e = load<i32>(E + (<usize>k << 2));
  const len = e - s;
  const h = hashRange(src, s, e);
  let slot = h & tMask;
  for (;;) {
    const at = tTable + (<usize>slot << 2);
    const id1 = load<i32>(at);
    if (id1 == 0) {
      const id = tIds++;
      store<i32>(at, id + 1);
      store<i32>(tHash + (<usize>id << 2), h);
      store<u8>(tSide + <usize>id, <u8>side);
      store<i32>(tLine + (<usize>id << 2), k);
      return id;
    }
    if (load<i32>(tHash + (<usize>(id1 - 1) << 2)) == h) {
      const id = id1 - 1;
      const rs = <i32>load<u8>(tSide + <usize>id);
      const rl = load<i32>(tLine + (<usize>id << 2));
      const rsrc = rs == 0 ? srcA : srcB;
      const rS = load<i32>((rs == 0 ? sA : sB) + (<usize>rl << 2));
      const rE = load<i32>((rs == 0 ? eA : eB) + (<usize>rl << 2));
      if (rE - rS == len && same(rsrc + <usize>rS, src + <usize>s, len)) return id;
    }
    slot = (slot + 1) & tMask;
  }
  return -1; // not reached: the table always has a free slot
}

/**
 * Ids for the lines of a (na lines: starts aS, ends aE over text at srcA) and b, written to A and B:
 * equal ids ⟺ equal bytes, numbered in order of first appearance, a first. A line of b is compared
 * with the line of a after the last one matched before any lookup. Returns the number of ids.
 */
export function intern(a: usize, as: usize, ae: usize, na: i32, b: usize, bs: usize, be: usize, nb: i32, A: usize, B: usize): i32 {
  srcA = a;
  sA = as;
  eA = ae;
  srcB = b;
  sB = bs;
  eB = be;
  const total = na + nb;
  // Room for every line of both sides (the table can never fill), and at most half full when b's
  // lines are mostly a's: the size of a table that is touched at random matters more than its load.
  // Its slots hold only id + 1 (4 bytes: half the cache misses and page faults of id and hash); the
  // hash of an id is in tHash, read only when a slot is taken.
  let cap = 16;
  while (cap <= (total > 2 * na ? total : 2 * na)) cap <<= 1;
  tTable = alloc(cap << 2);
  tHash = alloc(total << 2);
  tMask = cap - 1;
  tIds = 0;
  tSide = alloc(total);
  tLine = alloc(total << 2);
  for (let k = 0; k < na; k++) store<i32>(A + (<usize>k << 2), idOf(0, k));
  let next = 0;
  for (let k = 0; k < nb; k++) {
    const s = load<i32>(bs + (<usize>k << 2));
    const len = load<i32>(be + (<usize>k << 2)) - s;
    if (next < na) {
      const os = load<i32>(as + (<usize>next << 2));
      if (load<i32>(ae + (<usize>next << 2)) - os == len && same(a + <usize>os, b + <usize>s, len)) {
        store<i32>(B + (<usize>k << 2), load<i32>(A + (<usize>next << 2)));
        next++;
        continue;
      }
    }
    const id = idOf(1, k);
    store<i32>(B + (<usize>k << 2), id);
    if (load<u8>(tSide + <usize>id) == 0) next = load<i32>(tLine + (<usize>id << 2)) + 1;
  }
  return tIds;
}

// ------------------------------------------------------------------------------- Myers

@inline function at(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}
@inline function put(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

let budget: i32 = 0;
let V1: usize = 0;
let V2: usize = 0;
let splitX: i32 = 0;
let splitY: i32 = 0;

/** Middle snake (text.ts bisect); false when the budget ran out or no split was found. */
function bisect(A: usize, aLo: i32, aHi: i32, B: usize, bLo: i32, bHi: i32): bool {
  const N = aHi - aLo;
  const M = bHi - bLo;
  const maxD = (N + M + 1) >> 1;
  const vOffset = maxD;
  const vLength = 2 * maxD + 2;
  for (let i = 0; i < vLength; i++) {
    put(V1, i, -1);
    put(V2, i, -1);
  }
  put(V1, vOffset + 1, 0);
  put(V2, vOffset + 1, 0);
  const delta = N - M;
  const front = (delta & 1) != 0;
  let k1start = 0;
  let k1end = 0;
  let k2start = 0;
  let k2end = 0;
  for (let d = 0; d < maxD; d++) {
    if (budget < 0) return false;
    budget -= 2 * d + 1;
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      const k1o = vOffset + k1;
      let x1 = k1 == -d || (k1 != d && at(V1, k1o - 1) < at(V1, k1o + 1)) ? at(V1, k1o + 1) : at(V1, k1o - 1) + 1;
      let y1 = x1 - k1;
      const x0 = x1;
      while (x1 < N && y1 < M && at(A, aLo + x1) == at(B, bLo + y1)) {
        x1++;
        y1++;
      }
      budget -= x1 - x0;
      put(V1, k1o, x1);
      if (x1 > N) k1end += 2;
      else if (y1 > M) k1start += 2;
      else if (front) {
        const k2o = vOffset + delta - k1;
        if (k2o >= 0 && k2o < vLength && at(V2, k2o) != -1) {
          const x2 = N - at(V2, k2o);
          if (x1 >= x2) {
            splitX = aLo + x1;
            splitY = bLo + y1;
            return true;
          }
        }
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      const k2o = vOffset + k2;
      let x2 = k2 == -d || (k2 != d && at(V2, k2o - 1) < at(V2, k2o + 1)) ? at(V2, k2o + 1) : at(V2, k2o - 1) + 1;
      let y2 = x2 - k2;
      const x0 = x2;
      while (x2 < N && y2 < M && at(A, aHi - 1 - x2) == at(B, bHi - 1 - y2)) {
        x2++;
        y2++;
      }
      budget -= x2 - x0;
      put(V2, k2o, x2);
      if (x2 > N) k2end += 2;
      else if (y2 > M) k2start += 2;
      else if (!front) {
        const k1o = vOffset + delta - k2;
        if (k1o >= 0 && k1o < vLength && at(V1, k1o) != -1) {
          const x1 = at(V1, k1o);
          const y1 = vOffset + x1 - k1o;
          if (x1 >= N - x2) {
            splitX = aLo + x1;
            splitY = bLo + y1;
            return true;
          }
        }
      }
    }
  }
  return false;
}

function myers(A: usize, aLo: i32, aHi: i32, B: usize, bLo: i32, bHi: i32, match: usize): void {
  for (;;) {
    while (aLo < aHi && bLo < bHi && at(A, aLo) == at(B, bLo)) {
      put(match, aLo, bLo);
      aLo++;
      bLo++;
    }
    while (aLo < aHi && bLo < bHi && at(A, aHi - 1) == at(B, bHi - 1)) {
      put(match, aHi - 1, bHi - 1);
      aHi--;
      bHi--;
    }
    if (aLo == aHi || bLo == bHi) return;
    if (!bisect(A, aLo, aHi, B, bLo, bHi)) return;
    const x = splitX;
    const y = splitY;
    myers(A, aLo, x, B, bLo, y, match);
    aLo = x;
    bLo = y;
  }
}

/** text.ts diffSequences: matchA (for each line of a the matched line of b, or -1). */
export function diffSequences(a: usize, n: i32, b: usize, m: i32, symbols: i32, budgetStart: i32): usize {
  const matchA = alloc(n << 2);
  for (let i = 0; i < n; i++) put(matchA, i, -1);
  let pre = 0;
  while (pre < n && pre < m && at(a, pre) == at(b, pre)) {
    put(matchA, pre, pre);
    pre++;
  }
  let suf = 0;
  while (suf < n - pre && suf < m - pre && at(a, n - 1 - suf) == at(b, m - 1 - suf)) {
    put(matchA, n - 1 - suf, m - 1 - suf);
    suf++;
  }
  const aEnd = n - suf;
  const bEnd = m - suf;
  if (pre == aEnd || pre == bEnd) return matchA;
  const inA = alloc(symbols);
  const inB = alloc(symbols);
  for (let i = pre; i < aEnd; i++) store<u8>(inA + <usize>at(a, i), 1);
  for (let j = pre; j < bEnd; j++) store<u8>(inB + <usize>at(b, j), 1);
  const A = alloc((aEnd - pre) << 2);
  const idxA = alloc((aEnd - pre) << 2);
  const B = alloc((bEnd - pre) << 2);
  const idxB = alloc((bEnd - pre) << 2);
  let ra = 0;
  let rb = 0;
  for (let i = pre; i < aEnd; i++) {
    const x = at(a, i);
    if (load<u8>(inB + <usize>x)) {
      put(A, ra, x);
      put(idxA, ra++, i);
    }
  }
  for (let j = pre; j < bEnd; j++) {
    const y = at(b, j);
    if (load<u8>(inA + <usize>y)) {
      put(B, rb, y);
      put(idxB, rb++, j);
    }
  }
  if (ra == 0 || rb == 0) return matchA;
  const sub = alloc(ra << 2);
  for (let i = 0; i < ra; i++) put(sub, i, -1);
  // Scratch for every bisect (the largest is the first): 2 * ceil((ra + rb) / 2) + 2 entries each.
  const vMax = 2 * ((ra + rb + 1) >> 1) + 2;
  V1 = alloc(vMax << 2);
  V2 = alloc(vMax << 2);
  budget = budgetStart;
  myers(A, 0, ra, B, 0, rb, sub);
  for (let i = 0; i < ra; i++) {
    const s = at(sub, i);
    if (s >= 0) put(matchA, at(idxA, i), at(idxB, s));
  }
  return matchA;
}

let gHunks: usize = 0;

/** Hunks of a match array as [i, count, j, count] quadruples (text.ts hunkPositions); returns how many. */
export function hunks(matchA: usize, n: i32, m: i32): i32 {
  let total = 0;
  for (let pass = 0; pass < 2; pass++) {
    let i = 0;
    let j = 0;
    let h = 0;
    while (i < n || j < m) {
      if (i < n && j < m && at(matchA, i) == j) {
        i++;
        j++;
        continue;
      }
      let i2 = i;
      while (i2 < n && at(matchA, i2) < 0) i2++;
      const j2 = i2 < n ? at(matchA, i2) : m;
      if (pass == 1) {
        const q = h << 2;
        put(gHunks, q, i);
        put(gHunks, q + 1, i2 - i);
        put(gHunks, q + 2, j);
        put(gHunks, q + 3, j2 - j);
      }
      h++;
      i = i2;
      j = j2;
    }
    if (pass == 0) {
      total = h;
      gHunks = alloc(h << 4);
    }
  }
  return total;
}
export function hunkList(): usize {
  return gHunks;
}

// ------------------------------------------------------------------------------- context hint

// Whether the bytes contain a match of CONTEXT_HINT (shared/redact/core.ts), the test of "could line by
// line redaction differ from redacting the whole text": the same as that regex on a one-character-per-
// byte view of the text (its patterns are ASCII, so no byte ≥ 0x80 takes part in a match), without
// building that string, in the pass that counts the lines (countLFHint). Candidates (a byte that can
// start a match: P A n S :) are found 16 bytes at a time; each is checked in place. The regex:
//   PRIVATE KEY | A3T[A-Z0-9] | AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|ABIA|ACCA | name[ \t]*[:=] |
//   Secret | :[ \t]*[|>]
// test/unit/diff-context-hint.test.ts compares the two on the secrets corpus and random texts.

@inline function byteAt(src: usize, p: i32): i32 {
  return <i32>load<u8>(src + <usize>p);
}

/** The bytes at p spell `s` (ASCII). */
function spells(src: usize, p: i32, n: i32, s: string): bool {
  const len = s.length;
  if (p + len > n) return false;
  for (let i = 0; i < len; i++) if (byteAt(src, p + i) != s.charCodeAt(i)) return false;
  return true;
}

/** After p: spaces and tabs, then one of the bytes x or y. */
function blanksThen(src: usize, p: i32, n: i32, x: i32, y: i32): bool {
  while (p < n) {
    const c = byteAt(src, p);
    if (c == 32 || c == 9) {
      p++;
      continue;
    }
    return c == x || c == y;
  }
  return false;
}

function hintAt(src: usize, p: i32, n: i32): bool {
  const c = byteAt(src, p);
  if (c == 58 /* : */) return blanksThen(src, p + 1, n, 124 /* | */, 62 /* > */);
  if (c == 110 /* n */) return spells(src, p, n, 'name') && blanksThen(src, p + 4, n, 58 /* : */, 61 /* = */);
  if (c == 83 /* S */) return spells(src, p, n, 'Secret');
  if (c == 80 /* P */) return spells(src, p, n, 'PRIVATE KEY');
  // A: A3T[A-Z0-9] or one of the four-letter AWS key prefixes.
  if (p + 4 > n) return false;
  const b1 = byteAt(src, p + 1);
  const b2 = byteAt(src, p + 2);
  const b3 = byteAt(src, p + 3);
  if (b1 == 51 /* 3 */) return b2 == 84 /* T */ && ((b3 >= 65 && b3 <= 90) || (b3 >= 48 && b3 <= 57));
  const w = (b1 << 16) | (b2 << 8) | b3;
  return (
    w == 0x4b4941 /* KIA */ || w == 0x475041 /* GPA */ || w == 0x494441 /* IDA */ || w == 0x524f41 /* ROA */ ||
    w == 0x495041 /* IPA */ || w == 0x4e5041 /* NPA */ || w == 0x4e5641 /* NVA */ || w == 0x534941 /* SIA */ ||
    w == 0x424941 /* BIA */ || w == 0x434341 /* CCA */
  );
}

let gHint: i32 = 0;

/** Whether the text of the last countLFHint had a match of CONTEXT_HINT (1) or not (0). */
export function hint(): i32 {
  return gHint;
}

/**
 * countLF and contextHint in one pass over the bytes (the byte path of a text diff needs both): the
 * "\n" count is returned, high() and hint() give the rest.
 */
export function countLFHint(src: usize, n: i32): i32 {
  const nl = i8x16.splat(10);
  const vP = i8x16.splat(80);
  const vA = i8x16.splat(65);
  const vn = i8x16.splat(110);
  const vS = i8x16.splat(83);
  const vc = i8x16.splat(58);
  let hi = i8x16.splat(0);
  let count = 0;
  let found = 0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const v = v128.load(src + <usize>i);
    count += popcnt<i32>(i8x16.bitmask(i8x16.eq(v, nl)));
    hi = v128.or(hi, v);
    if (found) continue;
    const m = v128.or(v128.or(v128.or(i8x16.eq(v, vP), i8x16.eq(v, vA)), v128.or(i8x16.eq(v, vn), i8x16.eq(v, vS))), i8x16.eq(v, vc));
    let bits = i8x16.bitmask(m);
    while (bits != 0) {
      if (hintAt(src, i + ctz<i32>(bits), n)) {
        found = 1;
        break;
      }
      bits &= bits - 1;
    }
  }
  let tail = 0;
  for (; i < n; i++) {
    const c = byteAt(src, i);
    if (c == 10) count++;
    tail |= c;
    if (!found && (c == 80 || c == 65 || c == 110 || c == 83 || c == 58) && hintAt(src, i, n)) found = 1;
  }
  gHigh = i8x16.bitmask(hi) | (tail & 0x80);
  gHint = found;
  return count;
}
