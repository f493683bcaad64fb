// Number and datetime parsing straight from bytes: an exact fast path for decimals of up to 19
// significant digits (double-double arithmetic), parseFloat for the rest, ISO 8601 dates.
import { NULL_TOKENS, TD } from './common';

export const POW10: number[] = [];
for (let i = 0; i <= 22; i++) POW10.push(Number(`1e${i}`));

export const PN_OK = 0;
export const PN_NULL = 1;
export const PN_FAIL = 2;
export let pnStatus = PN_OK;
export let pnFrac = false;

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

export function latin1(b: Uint8Array, s: number, e: number): string {
  if (b !== winBuf || s < winStart || e > winEnd) {
    winBuf = b;
    winStart = s;
    winEnd = Math.min(b.length, Math.max(e, s + (1 << 20)));
    winText = byteDecoder.decode(b.subarray(winStart, winEnd));
  }
  return winText.slice(s - winStart, e - winStart);
}

/** Drops the decoded window (so a large input is not kept alive). */
export function releaseWindow(): void {
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

export function wideToDouble(hi: number, k: number, lo: number, exp10: number): number {
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
export function parseNumBytes(b: Uint8Array, s: number, e: number): number {
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
export function parseNumString(raw: string): number {
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
