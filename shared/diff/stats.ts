// Pure numeric functions for dataset profiling and drift detection (issue 3, DESIGN §6).
// No node built-ins, no DOM: runs in Node, worker threads and the browser.
//
// Conventions (chosen to match scipy / numpy / Evidently so figures can be cross-checked):
//  - quantile(): numpy's default "linear" interpolation, h = (n - 1) q.
//  - std: `ddof` argument; pandas' describe() uses ddof = 1, Evidently's Wasserstein norm uses np.std (ddof = 0).
//  - ks2samp(): scipy.stats.ks_2samp(method='auto', two-sided): exact p-value when both samples have
//    at most 10 000 values, otherwise the asymptotic distribution kstwo.sf(D, round(n·m/(n+m))).
//    kstwo is computed as scipy does (Simard & L'Ecuyer 2011): Ruben–Gambino bounds, 2·smirnov for
//    large n·D², the Durbin matrix (Marsaglia–Tsang–Wang) otherwise, Pelz–Good for very large n.
//    (scipy uses Pomeranz for n ≤ 140, 0.75 < nD² ≤ 4; we use Durbin there too — both are exact.)
//  - wasserstein(): scipy.stats.wasserstein_distance (1-D, unweighted), i.e. ∫|F_u − F_v|.
//    wassersteinNormed(): Evidently's "Wasserstein distance (normed)": W1 / max(np.std(reference), 0.001).
//  - jensenShannon(): scipy.spatial.distance.jensenshannon — the DISTANCE (square root of the
//    divergence), NATURAL LOG by default (so its range is [0, √ln 2 ≈ 0.8326]); pass base = 2 for [0, 1].
//    Evidently's jensenshannon test uses the scipy default (natural log) with threshold 0.1.
//  - chiSquareGoodnessOfFit(): scipy.stats.chisquare (what Evidently's chi-square drift test calls, with
//    expected = reference counts scaled to the current size). chiSquareContingency(): test of
//    homogeneity / independence on an r×c table (scipy chi2_contingency, correction=false by default).
//  - psi(): Population Stability Index Σ (r − c)·ln(r / c) over bins, empty bins replaced by ε = 1e-4.
//    psiNumeric() bins by reference deciles (10 bins); psiFromCounts() for categories.
//  Parts of the Kolmogorov distribution code are ports of scipy/stats/_ksstats.py (BSD-3-Clause,
//  Copyright (c) 2001-2002 Enthought, Inc. 2003-2023, SciPy Developers).

// ---------------------------------------------------------------------------------------------
// Basic summaries

export interface MeanStd {
  n: number;
  mean: number;
  std: number;
}

/** Mean and standard deviation of the finite values (NaN skipped). ddof 1 = sample std (pandas). */
export function meanStd(values: ArrayLike<number>, ddof: 0 | 1 = 1): MeanStd {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) {
      n++;
      sum += v;
    }
  }
  if (n === 0) return { n: 0, mean: NaN, std: NaN };
  const mean = sum / n;
  let ss = 0;
  let comp = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) {
      const d = v - mean;
      ss += d * d;
      comp += d;
    }
  }
  // corrected two-pass algorithm (Chan, Golub & LeVeque)
  ss -= (comp * comp) / n;
  const denom = n - ddof;
  return { n, mean, std: denom > 0 ? Math.sqrt(Math.max(ss, 0) / denom) : NaN };
}

export function mean(values: ArrayLike<number>): number {
  return meanStd(values).mean;
}

export function std(values: ArrayLike<number>, ddof: 0 | 1 = 1): number {
  return meanStd(values, ddof).std;
}

/** numpy.quantile(sorted, q) with the default linear interpolation. `sorted` must be ascending, no NaN. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (q <= 0) return sorted[0];
  if (q >= 1) return sorted[n - 1];
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const frac = h - lo;
  const a = sorted[lo];
  if (frac === 0 || lo + 1 >= n) return a;
  const b = sorted[lo + 1];
  return a + frac * (b - a);
}

/** Quantiles of arbitrary values (copied, NaN dropped, sorted). */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const s = sortedFinite(values);
  return qs.map((q) => quantileSorted(s, q));
}

/** Number of values ≤ x in an ascending array (upper bound / searchsorted side='right'). */
export function upperBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of values < x in an ascending array (lower bound / searchsorted side='left'). */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Count of distinct values in an ascending array. */
export function distinctSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return 0;
  let d = 1;
  for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) d++;
  return d;
}

// ---------------------------------------------------------------------------------------------
// Sorting: a copy of the finite values, ascending. For large arrays an LSD radix pass over the
// high 32 bits of the IEEE-754 key (3 × 11-bit digits) followed by an insertion fix-up for values
// sharing the high word; ~2.5× faster than Float64Array.prototype.sort on 1M values. Falls back
// to the native sort when the fix-up would be long (values packed in a very narrow range).

export function sortedFinite(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) out[k++] = v === 0 ? 0 : v; // normalise -0
  }
  return sortFloat64InPlace(out);
}

/** Sorts a Float64Array without NaN ascending; may return a different array than it was given. */
export function sortFloat64InPlace(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < 4096) return a.sort();
  const counted = countingSortDecimal(a);
  if (counted) return counted;
  return radixSortFloat64(a);
}

const POW10_SMALL = [1, 10, 100, 1000, 10000];

/**
 * Counting sort for values that are all multiples of 10^-d (d ≤ 4) within a range of at most
 * ~2n steps — integers, prices, 2–4 decimal measurements, as CSVs usually hold. Every value is checked
 * to round-trip exactly (key / 10^d === value), so the output is the exact sorted input; returns null
 * (caller falls back) as soon as a value does not fit.
 */
function countingSortDecimal(a: Float64Array): Float64Array | null {
  const n = a.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const step = Math.max(1, Math.floor(n / 256));
  let d = -1;
  for (let dd = 0; dd < POW10_SMALL.length && d < 0; dd++) {
    const S = POW10_SMALL[dd];
    let all = true;
    for (let j = 0; j < n; j += step) {
      const v = a[j];
      if (Math.round(v * S) / S !== v) {
        all = false;
        break;
      }
    }
    if (all) d = dd;
  }
  if (d < 0) return null;
  const S = POW10_SMALL[d];
  const kmin = Math.round(min * S);
  const kmax = Math.round(max * S);
  if (Math.abs(kmin) > 2 ** 53 || Math.abs(kmax) > 2 ** 53) return null;
  const range = kmax - kmin + 1;
  if (!(range <= 2 * n + 65536)) return null;
  const counts = new Int32Array(range);
  for (let i = 0; i < n; i++) {
    const v = a[i];
    const key = Math.round(v * S);
    if (key / S !== v) return null;
    counts[key - kmin]++;
  }
  let p = 0;
  for (let r = 0; r < range; r++) {
    let c = counts[r];
    if (c === 0) continue;
    const v = (r + kmin) / S;
    while (c-- > 0) a[p++] = v;
  }
  return a;
}

function radixSortFloat64(a: Float64Array): Float64Array {
  const n = a.length;
  let A: Float64Array = a;
  let B: Float64Array = new Float64Array(n);
  let ua: Uint32Array = new Uint32Array(A.buffer, A.byteOffset, n * 2);
  let ub: Uint32Array = new Uint32Array(B.buffer, 0, n * 2);
  const c0 = new Int32Array(2048);
  const c1 = new Int32Array(2048);
  const c2 = new Int32Array(1024);
  for (let i = 0; i < n; i++) {
    let h = ua[2 * i + 1];
    h = h & 0x80000000 ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    c0[h & 2047]++;
    c1[(h >>> 11) & 2047]++;
    c2[h >>> 22]++;
  }
  const counts = [c0, c1, c2];
  const shifts = [0, 11, 22];
  const masks = [2047, 2047, 1023];
  for (let pass = 0; pass < 3; pass++) {
    const cnt = counts[pass];
    let s = 0;
    let single = false;
    for (let k = 0; k < cnt.length; k++) {
      const c = cnt[k];
      if (c === n) {
        single = true;
        break;
      }
      cnt[k] = s;
      s += c;
    }
    if (single) continue;
    const shift = shifts[pass];
    const mask = masks[pass];
    for (let i = 0; i < n; i++) {
      let h = ua[2 * i + 1];
      h = h & 0x80000000 ? ~h >>> 0 : (h | 0x80000000) >>> 0;
      B[cnt[(h >>> shift) & mask]++] = A[i];
    }
    const t = A;
    A = B;
    B = t;
    const tu = ua;
    ua = ub;
    ub = tu;
  }
  // insertion fix-up for values that share their high 32 bits
  let moves = 0;
  const limit = 4 * n;
  for (let i = 1; i < n; i++) {
    const v = A[i];
    if (v < A[i - 1]) {
      let j = i - 1;
      while (j >= 0 && A[j] > v) {
        A[j + 1] = A[j];
        j--;
        moves++;
      }
      A[j + 1] = v;
      if (moves > limit) return A.sort();
    }
  }
  return A;
}

// ---------------------------------------------------------------------------------------------
// Special functions

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; ~1e-15 relative). */
export function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised lower incomplete gamma P(a, x). */
export function gammaincP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (x < a + 1) return gammaSeries(a, x);
  return 1 - gammaContinuedFraction(a, x);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x), computed without cancellation. */
export function gammaincQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  if (x < a + 1) return 1 - gammaSeries(a, x);
  return gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let sum = 1 / a;
  let del = sum;
  let ap = a;
  for (let n = 0; n < 10000; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * 1e-16) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lgamma(a));
}

function gammaContinuedFraction(a: number, x: number): number {
  // modified Lentz
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - lgamma(a)) * h;
}

/** Survival function of the chi-square distribution, P(X ≥ x) with `df` degrees of freedom. */
export function chi2Sf(x: number, df: number): number {
  if (!(df > 0)) return NaN;
  if (x !== x) return NaN;
  if (x <= 0) return 1;
  return gammaincQ(df / 2, x / 2);
}

/** erfc(x) via the incomplete gamma function: erfc(x) = Q(½, x²) for x ≥ 0. */
export function erfc(x: number): number {
  if (x !== x) return NaN;
  if (x >= 0) return gammaincQ(0.5, x * x);
  return 2 - gammaincQ(0.5, x * x);
}

/** Standard normal survival function P(Z ≥ z). */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

// ---------------------------------------------------------------------------------------------
// Kolmogorov–Smirnov

/** Limiting Kolmogorov distribution survival function Q_KS(λ) = P(√n·D > λ) as n → ∞ (scipy.special.kolmogorov). */
export function kolmogorovSf(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    // 1 − √(2π)/λ · Σ exp(−(2k−1)²π²/(8λ²))
    const w = Math.sqrt(2 * Math.PI) / lambda;
    const q = -(Math.PI * Math.PI) / (8 * lambda * lambda);
    let s = 0;
    for (let k = 1; k < 20; k++) {
      const t = Math.exp((2 * k - 1) * (2 * k - 1) * q);
      s += t;
      if (t < 1e-18) break;
    }
    return Math.min(1, Math.max(0, 1 - w * s));
  }
  let s = 0;
  for (let k = 1; k < 100; k++) {
    const t = Math.exp(-2 * k * k * lambda * lambda);
    s += (k % 2 === 1 ? 1 : -1) * t;
    if (t < 1e-18) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}

/** Exact one-sided Smirnov survival function P(D⁺ₙ ≥ d) (scipy.special.smirnov), Birnbaum–Tingey sum. */
export function smirnovSf(n: number, d: number): number {
  if (!(d > 0)) return 1;
  if (d >= 1) return 0;
  if (n === 1) return 1 - d;
  const jmax = Math.floor(n * (1 - d) + 1e-12);
  let sum = 0;
  let logC = 0; // ln C(n, j)
  for (let j = 0; j <= jmax; j++) {
    if (j > 0) logC += Math.log((n - j + 1) / j);
    const a = 1 - d - j / n;
    if (a <= 0) continue;
    const b = d + j / n;
    const lt = logC + (n - j) * Math.log(a) + (j - 1) * Math.log(b);
    sum += Math.exp(lt);
  }
  return Math.min(1, Math.max(0, d * sum));
}

function logNFactorialDivNPowN(n: number): number {
  // ln(n!/n^n) via Stirling with correction terms (as scipy)
  const ninv = 1 / n;
  return -n + 0.5 * Math.log(2 * Math.PI * n) + ninv / 12 - (ninv * ninv * ninv) / 360;
}

/** Durbin matrix algorithm (Marsaglia–Tsang–Wang), CDF P(Dₙ ≤ d). Port of scipy's _kolmogn_DMTW. */
function kolmognDMTW(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const H = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - Math.pow(h, j)) * fac;
  }
  const tt = Math.pow(Math.max(2 * h - 1, 0), m) - 2 * Math.pow(h, m);
  v[m - 1] = (1 + tt) * fac;
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)];
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r];
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];

  let P: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) P[i * m + i] = 1;
  let Hc: Float64Array = H;
  let nn = n;
  let expnt = 0;
  let hexpnt = 0;
  const E = 128;
  const EP = Math.pow(2, E);
  while (nn > 0) {
    if (nn % 2) {
      P = matmul(P, Hc, m);
      expnt += hexpnt;
    }
    Hc = matmul(Hc, Hc, m);
    hexpnt *= 2;
    if (Math.abs(Hc[(k - 1) * m + (k - 1)]) > EP) {
      for (let i = 0; i < m * m; i++) Hc[i] /= EP;
      hexpnt += E;
    }
    nn = Math.floor(nn / 2);
  }
  let p = P[(k - 1) * m + (k - 1)];
  const EM = Math.pow(2, -E);
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM) {
      p *= EP;
      expnt -= E;
    }
  }
  if (expnt !== 0) p *= Math.pow(2, expnt);
  return Math.min(1, Math.max(0, p));
}

function matmul(A: Float64Array, B: Float64Array, m: number): Float64Array {
  const C = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const a = A[i * m + k];
      if (a === 0) continue;
      const bo = k * m;
      const co = i * m;
      for (let j = 0; j < m; j++) C[co + j] += a * B[bo + j];
    }
  }
  return C;
}

/** Pelz–Good approximation of P(Dₙ ≤ x). Port of scipy's _kolmogn_PelzGood. */
function kolmognPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const PI2 = Math.PI * Math.PI;
  const PI4 = PI2 * PI2;
  const PI6 = PI4 * PI2;
  const SQRT2PI = Math.sqrt(2 * Math.PI);
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const mm = 2 * k - 1;
    const m2 = mm * mm;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qp = Math.pow(q, 8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qp + coeffs[i];
  }
  const div = [z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT2PI) / div[i];
  q = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const ks2 = k * k;
    const qp = Math.pow(q, ks2);
    const kspi = Math.PI * k;
    k2extra += ks2 * qp;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp;
  }
  K[2] += (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] += (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let s = 0;
  for (let i = 0; i < 4; i++) s += K[i] / Math.pow(n, i / 2);
  return s;
}

/**
 * Survival function of the two-sided one-sample Kolmogorov–Smirnov statistic, P(Dₙ ≥ d)
 * (scipy.stats.kstwo.sf(d, n)); n is rounded to an integer.
 */
export function kstwoSf(d: number, nIn: number): number {
  const n = Math.round(nIn);
  if (!(n > 0)) return NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  const clip = (p: number) => Math.min(1, Math.max(0, p));
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= (i / n) * (2 * t - 1);
    } else cdf = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * Math.pow(1 - d, n));
  if (d >= 0.5) return clip(2 * smirnovSf(n, d));
  const nx2 = t * d;
  if (n <= 140) {
    if (nx2 <= 4) return clip(1 - kolmognDMTW(n, d));
    return clip(2 * smirnovSf(n, d));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, d));
  let cdf: number;
  if (nx2 >= 18) cdf = 1;
  else if (n <= 100000 && n * Math.pow(d, 1.5) <= 1.4) cdf = kolmognDMTW(n, d);
  else cdf = kolmognPelzGood(n, d);
  return clip(1 - cdf);
}

/** Two-sample KS statistic D = sup |F₁ − F₂| of two ASCENDING arrays (ties handled as scipy). */
export function ksStatisticSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return NaN;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n1 && j < n2) {
    const x = a[i] <= b[j] ? a[i] : b[j];
    while (i < n1 && a[i] === x) i++;
    while (j < n2 && b[j] === x) j++;
    const diff = Math.abs(i / n1 - j / n2);
    if (diff > d) d = diff;
  }
  // once one sample is exhausted its CDF is 1; the difference only shrinks from here
  return d;
}

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymp';
}

function gcd(a: number, b: number): number {
  while (b) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/**
 * Exact P(D ≥ d) for two samples of sizes n1, n2 without ties, by counting lattice paths that stay
 * strictly inside the band (probability-normalised recursion, as R's psmirnov / scipy's exact mode).
 */
export function ks2sampExactSf(d: number, n1: number, n2: number): number {
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  const g = gcd(m, n);
  const lcm = (m / g) * n;
  const h = Math.round(d * lcm);
  if (h === 0) return 1;
  const thr = h * g; // outside iff |i·n − j·m| ≥ thr
  const u = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) u[j] = j * m >= thr ? 0 : 1;
  for (let i = 1; i <= m; i++) {
    const w = i / (i + n);
    const inI = i * n;
    u[0] = inI >= thr ? 0 : w * u[0];
    for (let j = 1; j <= n; j++) {
      if (Math.abs(inI - j * m) >= thr) u[j] = 0;
      else u[j] = w * u[j] + u[j - 1];
    }
  }
  return Math.min(1, Math.max(0, 1 - u[n]));
}

/**
 * Two-sample Kolmogorov–Smirnov test (two-sided), as scipy.stats.ks_2samp(method='auto').
 * Pass `sorted: true` when both arrays are already ascending and free of NaN.
 */
export function ks2samp(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  opts: { sorted?: boolean; method?: 'auto' | 'exact' | 'asymp' } = {},
): KsResult {
  const sa = opts.sorted ? a : sortedFinite(a);
  const sb = opts.sorted ? b : sortedFinite(b);
  const n1 = sa.length;
  const n2 = sb.length;
  const statistic = ksStatisticSorted(sa, sb);
  if (!(n1 > 0 && n2 > 0)) return { statistic: NaN, pValue: NaN, method: 'asymp' };
  let method = opts.method ?? 'auto';
  if (method === 'auto') method = Math.max(n1, n2) <= 10000 ? 'exact' : 'asymp';
  if (method === 'exact' && n1 * n2 > 2e8) method = 'asymp';
  if (method === 'exact') {
    const p = ks2sampExactSf(statistic, n1, n2);
    if (Number.isFinite(p)) return { statistic, pValue: p, method: 'exact' };
  }
  const en = (n1 * n2) / (n1 + n2);
  return { statistic, pValue: kstwoSf(statistic, Math.round(en)), method: 'asymp' };
}

// ---------------------------------------------------------------------------------------------
// Wasserstein

/** Wasserstein-1 distance between two ASCENDING samples: ∫ |F_u(x) − F_v(x)| dx. */
export function wassersteinSorted(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const n1 = u.length;
  const n2 = v.length;
  if (n1 === 0 || n2 === 0) return NaN;
  let i = 0;
  let j = 0;
  let prev = u[0] < v[0] ? u[0] : v[0];
  let area = 0;
  while (i < n1 && j < n2) {
    const a = u[i];
    const b = v[j];
    const x = a < b ? a : b;
    area += Math.abs(i / n1 - j / n2) * (x - prev);
    if (a === x) {
      i++;
      while (i < n1 && u[i] === x) i++;
    }
    if (b === x) {
      j++;
      while (j < n2 && v[j] === x) j++;
    }
    prev = x;
  }
  // one sample is exhausted: its CDF is 1 from here on
  while (i < n1) {
    const x = u[i];
    area += (1 - i / n1) * (x - prev);
    i++;
    while (i < n1 && u[i] === x) i++;
    prev = x;
  }
  while (j < n2) {
    const x = v[j];
    area += (1 - j / n2) * (x - prev);
    j++;
    while (j < n2 && v[j] === x) j++;
    prev = x;
  }
  return area;
}

/** scipy.stats.wasserstein_distance(u, v) for unweighted samples (NaN dropped). */
export function wasserstein(u: ArrayLike<number>, v: ArrayLike<number>): number {
  return wassersteinSorted(sortedFinite(u), sortedFinite(v));
}

/**
 * Evidently's "Wasserstein distance (normed)": W1(reference, current) / max(np.std(reference), 0.001).
 * Both arrays ascending when `sorted` is true.
 */
export function wassersteinNormed(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  opts: { sorted?: boolean; referenceStd?: number } = {},
): number {
  const r = opts.sorted ? reference : sortedFinite(reference);
  const c = opts.sorted ? current : sortedFinite(current);
  const sd = opts.referenceStd ?? std(r, 0);
  return wassersteinSorted(r, c) / Math.max(sd, 0.001);
}

// ---------------------------------------------------------------------------------------------
// Chi-square, z-test

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  df: number;
}

/** scipy.stats.chisquare(observed, expected): Σ (o − e)² / e, df = k − 1 (expected 0 with observed > 0 → ∞, p = 0). */
export function chiSquareGoodnessOfFit(observed: ArrayLike<number>, expected: ArrayLike<number>): ChiSquareResult {
  const k = observed.length;
  let stat = 0;
  for (let i = 0; i < k; i++) {
    const o = observed[i];
    const e = expected[i];
    if (e === 0) {
      if (o !== 0) stat = Infinity;
      continue;
    }
    stat += ((o - e) * (o - e)) / e;
  }
  const df = k - 1;
  if (df < 1) return { statistic: stat, pValue: 1, df };
  return { statistic: stat, pValue: stat === Infinity ? 0 : chi2Sf(stat, df), df };
}

/**
 * Chi-square test of homogeneity/independence on an r × c contingency table (rows = samples,
 * columns = categories), as scipy.stats.chi2_contingency. Columns that are all zero are dropped.
 * Yates' continuity correction only when `correction` is true and df = 1.
 */
export function chiSquareContingency(table: number[][], opts: { correction?: boolean } = {}): ChiSquareResult {
  const r = table.length;
  const cAll = r ? table[0].length : 0;
  const colSum = new Array<number>(cAll).fill(0);
  const rowSum = new Array<number>(r).fill(0);
  let total = 0;
  for (let i = 0; i < r; i++)
    for (let j = 0; j < cAll; j++) {
      const v = table[i][j];
      rowSum[i] += v;
      colSum[j] += v;
      total += v;
    }
  const cols: number[] = [];
  for (let j = 0; j < cAll; j++) if (colSum[j] > 0) cols.push(j);
  const rows: number[] = [];
  for (let i = 0; i < r; i++) if (rowSum[i] > 0) rows.push(i);
  const df = (rows.length - 1) * (cols.length - 1);
  if (df < 1 || total === 0) return { statistic: 0, pValue: 1, df: Math.max(df, 0) };
  const yates = opts.correction === true && df === 1;
  let stat = 0;
  for (const i of rows)
    for (const j of cols) {
      const e = (rowSum[i] * colSum[j]) / total;
      let diff = Math.abs(table[i][j] - e);
      if (yates) diff = Math.max(0, diff - 0.5);
      stat += (diff * diff) / e;
    }
  return { statistic: stat, pValue: chi2Sf(stat, df), df };
}

/** Two-proportion z-test (Evidently's "Z-test p_value" for binary features): two-sided p = 2(1 − Φ(|z|)). */
export function zTestProportions(x1: number, n1: number, x2: number, n2: number): { statistic: number; pValue: number } {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const P = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(P * (1 - P) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { statistic: 0, pValue: p1 === p2 ? 1 : 0 };
  const z = (p1 - p2) / se;
  return { statistic: z, pValue: 2 * normalSf(Math.abs(z)) };
}

// ---------------------------------------------------------------------------------------------
// Jensen–Shannon, PSI

/**
 * Jensen–Shannon DISTANCE between two (not necessarily normalised) distributions, as
 * scipy.spatial.distance.jensenshannon(p, q, base). Natural logarithm unless `base` is given.
 */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>, base?: number): number {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i];
    sq += q[i];
  }
  if (!(sp > 0 && sq > 0)) return NaN;
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = q[i] / sq;
    const m = (a + b) / 2;
    if (a > 0) js += a * Math.log(a / m);
    if (b > 0) js += b * Math.log(b / m);
  }
  js /= 2;
  if (base !== undefined) js /= Math.log(base);
  return Math.sqrt(Math.max(js, 0));
}

export const PSI_EPSILON = 1e-4;

/** PSI between two proportion vectors (reference, current); proportions of 0 replaced by ε. */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>, epsilon = PSI_EPSILON): number {
  let s = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] > 0 ? reference[i] : epsilon;
    const c = current[i] > 0 ? current[i] : epsilon;
    s += (r - c) * Math.log(r / c);
  }
  return s;
}

/** PSI from raw counts per bin/category (normalised by the given totals, default the sums). */
export function psiFromCounts(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
  referenceTotal?: number,
  currentTotal?: number,
  epsilon = PSI_EPSILON,
): number {
  let rt = referenceTotal ?? 0;
  let ct = currentTotal ?? 0;
  if (referenceTotal === undefined) for (let i = 0; i < referenceCounts.length; i++) rt += referenceCounts[i];
  if (currentTotal === undefined) for (let i = 0; i < currentCounts.length; i++) ct += currentCounts[i];
  if (!(rt > 0 && ct > 0)) return NaN;
  const r = new Float64Array(referenceCounts.length);
  const c = new Float64Array(currentCounts.length);
  for (let i = 0; i < r.length; i++) {
    r[i] = referenceCounts[i] / rt;
    c[i] = currentCounts[i] / ct;
  }
  return psi(r, c, epsilon);
}

/** Bin edges from reference deciles (interior edges only, deduplicated): bins are (−∞, e₁], (e₁, e₂] … (e_k, ∞). */
export function quantileBinEdges(referenceSorted: ArrayLike<number>, nBins = 10): number[] {
  const edges: number[] = [];
  for (let i = 1; i < nBins; i++) {
    const e = quantileSorted(referenceSorted, i / nBins);
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  return edges;
}

/** Counts per bin of an ASCENDING sample for interior edges (bins as in quantileBinEdges). */
export function binCountsSorted(sorted: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts: number[] = [];
  let prev = 0;
  for (const e of edges) {
    const k = upperBound(sorted, e);
    counts.push(k - prev);
    prev = k;
  }
  counts.push(sorted.length - prev);
  return counts;
}

/** Counts per bin of unsorted values (binary search on the edges per value; NaN skipped). */
export function binCounts(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    counts[lowerBound(edges, v)]++;
  }
  return counts;
}

export interface PsiResult {
  psi: number;
  edges: number[];
  referenceCounts: number[];
  currentCounts: number[];
}

/** PSI of numeric samples with bins from reference quantiles (10 bins by default). Arrays ascending when `sorted`. */
export function psiNumeric(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  opts: { sorted?: boolean; bins?: number; epsilon?: number } = {},
): PsiResult {
  const r = opts.sorted ? reference : sortedFinite(reference);
  const c = opts.sorted ? current : sortedFinite(current);
  const edges = quantileBinEdges(r, opts.bins ?? 10);
  const referenceCounts = binCountsSorted(r, edges);
  const currentCounts = binCountsSorted(c, edges);
  return {
    psi: psiFromCounts(referenceCounts, currentCounts, undefined, undefined, opts.epsilon),
    edges,
    referenceCounts,
    currentCounts,
  };
}

/** PSI band used in messages: < 0.1 none, 0.1–0.2 moderate, ≥ 0.2 significant. */
export function psiBand(value: number): 'none' | 'moderate' | 'significant' {
  if (!(value >= 0.1)) return 'none';
  return value >= 0.2 ? 'significant' : 'moderate';
}
