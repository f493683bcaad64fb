// Names (PEP 503), numeric / ML libraries, version comparison and bump levels, specifiers and markers.
import * as pep440 from '@renovatebot/pep440';
import type { Clause, Ecosystem } from './types';

/** PEP 503 normalisation. */
export function normalizePyName(name: string): string {
  const l = name.toLowerCase();
  return /[_.]|--/.test(l) ? l.replace(/[-_.]+/g, '-') : l;
}

const NUMERIC_LIBS = new Set([
  'numpy', 'scipy', 'pandas', 'scikit-learn', 'sklearn', 'torch', 'pytorch', 'torchvision', 'torchaudio',
  'tensorflow', 'tensorflow-cpu', 'tensorflow-gpu', 'tensorflow-intel', 'tf-nightly', 'keras', 'tf-keras', 'jax', 'jaxlib',
  'xgboost', 'lightgbm', 'catboost', 'pyarrow', 'arrow-cpp', 'libarrow', 'numba', 'llvmlite', 'triton', 'cupy', 'onnx',
  'onnxruntime', 'onnxruntime-gpu', 'statsmodels', 'polars', 'numexpr', 'bottleneck', 'h5py', 'tables', 'transformers',
  'accelerate', 'safetensors', 'tokenizers', 'sentencepiece', 'mkl', 'mkl-service', 'mkl-fft', 'mkl-random', 'mkl-include',
  'intel-openmp', 'llvm-openmp', 'libgomp', 'openblas', 'libopenblas', 'blas', 'libblas', 'libcblas', 'liblapack',
  'liblapacke', 'blis', 'cudatoolkit', 'cudnn', 'cuda-version', 'nccl', 'pytorch-cuda', 'cuda-python', 'cupy-cuda12x',
  'cupy-cuda11x', 'opencv-python', 'opencv-python-headless', '@tensorflow/tfjs', '@tensorflow/tfjs-node',
  'onnxruntime-node', 'onnxruntime-web',
]);
const NUMERIC_PREFIXES = ['nvidia-', 'cuda-', 'libcublas', 'libcudnn', 'libcusparse', 'libcufft', 'libcurand', 'mkl-', 'tensorflow-', 'torch-', 'jax-', '@tensorflow/'];
export const BLAS_RE = /(^|[-_])(mkl|blas|openblas|lapack|intel-openmp|blis|accelerate)([-_]|$)/i;

/** Numeric / ML library (numpy, torch, BLAS/MKL builds…): raises severity. */
export function isNumericLib(name: string): boolean {
  const n = normalizePyName(name.replace(/^pip:/, ''));
  if (NUMERIC_LIBS.has(n)) return true;
  return NUMERIC_PREFIXES.some((p) => n.startsWith(p)) || BLAS_RE.test(n);
}

interface LooseVersion {
  epoch: number;
  release: number[];
  rest: string;
}

function looseParse(v: string): LooseVersion {
  const s = v.trim().replace(/^v/i, '');
  let epoch = 0;
  let body = s;
  const e = /^(\d+)!(.*)$/.exec(s);
  if (e) {
    epoch = Number(e[1]);
    body = e[2];
  }
  const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(body);
  if (!m) return { epoch, release: [], rest: body };
  return { epoch, release: m[1].split('.').map(Number), rest: m[2] };
}

function compareLoose(a: string, b: string): number {
  const pa = a.split(/[.\-_+]/);
  const pb = b.split(/[.\-_+]/);
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d) return d < 0 ? -1 : 1;
    } else if (nx !== ny) return nx ? 1 : -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const pepCache = new Map<string, pep440.Pep440Version | null>();
function explain(v: string): pep440.Pep440Version | null {
  let r = pepCache.get(v);
  if (r === undefined) {
    r = pep440.explain(v);
    if (pepCache.size > 50_000) pepCache.clear();
    pepCache.set(v, r);
  }
  return r;
}

/** Compare two versions (PEP 440 when both parse, semver for npm, segment-wise otherwise). */
export function compareVersions(a: string, b: string, ecosystem: Ecosystem = 'pypi'): number {
  if (a === b) return 0;
  if (ecosystem !== 'npm') {
    const ea = explain(a);
    const eb = explain(b);
    if (ea && eb) return pep440.compare(a, b);
  }
  const sa = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(a);
  const sb = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(b);
  if (sa && sb) {
    for (let i = 1; i <= 3; i++) {
      const d = Number(sa[i]) - Number(sb[i]);
      if (d) return d < 0 ? -1 : 1;
    }
    if (sa[4] === sb[4]) return 0;
    if (!sa[4]) return 1;
    if (!sb[4]) return -1;
    return compareLoose(sa[4], sb[4]);
  }
  return compareLoose(a, b);
}

export type BumpLevel = 'major' | 'minor' | 'patch';

/** Classify the difference between two versions. */
export function classifyBump(a: string, b: string, ecosystem: Ecosystem = 'pypi'): { direction: 'upgrade' | 'downgrade' | 'same'; level: BumpLevel } {
  const cmp = compareVersions(a, b, ecosystem);
  const direction = cmp < 0 ? 'upgrade' : cmp > 0 ? 'downgrade' : 'same';
  let ea: { epoch: number; release: number[] } | null = ecosystem !== 'npm' ? explain(a) : null;
  let eb: { epoch: number; release: number[] } | null = ecosystem !== 'npm' ? explain(b) : null;
  if (!ea || !eb) {
    ea = looseParse(a);
    eb = looseParse(b);
  }
  let level: BumpLevel = 'patch';
  if (ea.epoch !== eb.epoch || (ea.release[0] ?? 0) !== (eb.release[0] ?? 0)) level = 'major';
  else if ((ea.release[1] ?? 0) !== (eb.release[1] ?? 0)) level = 'minor';
  return { direction, level };
}

const CLAUSE_RE = /^(===|==|~=|!=|<=|>=|<|>)\s*(.+)$/;

export function parseSpecifier(spec: string): Clause[] {
  const s = spec.trim().replace(/^\((.*)\)$/, '$1');
  if (!s) return [];
  const out: Clause[] = [];
  for (const part of s.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const m = CLAUSE_RE.exec(p);
    if (m) out.push({ op: m[1], version: m[2].trim() });
    else out.push({ op: '==', version: p }); // bare version (conda "1.2.*" or similar)
  }
  return out;
}

export function formatClauses(c: Clause[]): string {
  return c.map((x) => x.op + x.version).join(',');
}

/** 3 exact, 2 bounded above, 1 lower bound only, 0 any version. */
export function pinRank(clauses: Clause[]): number {
  let rank = 0;
  for (const c of clauses) {
    if ((c.op === '==' && !c.version.includes('*')) || c.op === '===') return 3;
    if (c.op === '<' || c.op === '<=' || c.op === '~=' || (c.op === '==' && c.version.includes('*'))) rank = Math.max(rank, 2);
    else if (c.op === '>=' || c.op === '>') rank = Math.max(rank, 1);
  }
  return rank;
}

export function exactVersion(clauses: Clause[]): string | undefined {
  for (const c of clauses) if ((c.op === '==' && !c.version.includes('*')) || c.op === '===') return c.version;
  return undefined;
}

export function upperBounds(clauses: Clause[]): Clause[] {
  return clauses.filter((c) => c.op === '<' || c.op === '<=' || c.op === '~=' || (c.op === '==' && c.version.includes('*')));
}
export function lowerBounds(clauses: Clause[]): Clause[] {
  return clauses.filter((c) => c.op === '>=' || c.op === '>' || c.op === '~=');
}

function upperValue(c: Clause): string {
  if (c.op === '~=') {
    const parts = c.version.split('.');
    parts.pop();
    const last = parts.length ? Number(parts[parts.length - 1]) + 1 : 0;
    if (parts.length) parts[parts.length - 1] = String(last);
    return parts.join('.') || c.version;
  }
  if (c.op === '==') {
    const parts = c.version.replace(/\.\*$/, '').split('.');
    parts[parts.length - 1] = String(Number(parts[parts.length - 1]) + 1);
    return parts.join('.');
  }
  return c.version;
}

export function minUpper(cs: Clause[], eco: Ecosystem): string | undefined {
  let best: string | undefined;
  for (const c of cs) {
    const v = upperValue(c);
    if (best === undefined || compareVersions(v, best, eco) < 0) best = v;
  }
  return best;
}
export function maxLower(cs: Clause[], eco: Ecosystem): string | undefined {
  let best: string | undefined;
  for (const c of cs) if (best === undefined || compareVersions(c.version, best, eco) > 0) best = c.version;
  return best;
}

/** Normalise a PEP 508 marker: single spaces around operators, double quotes. */
export function normalizeMarker(m: string): string {
  return m
    .replace(/'/g, '"')
    .replace(/\s*(===|==|!=|<=|>=|~=|<|>)\s*/g, ' $1 ')
    .replace(/\s+/g, ' ')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')')
    .trim();
}
