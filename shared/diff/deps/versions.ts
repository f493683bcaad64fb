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

// ---------------------------------------------------------------------------------------------
// Equivalence: PEP 440 equal versions, equivalent specifier sets, markers up to clause order

/** Canonical PEP 440 text of a version (lower case, normalised separators), or the trimmed text. */
export function canonicalVersion(v: string): string {
  const e = explain(v.trim());
  if (!e) return v.trim();
  const out = (pep440.clean(v.trim()) ?? v.trim()).toLowerCase();
  return out || e.public;
}

/** A version with trailing zero release parts dropped ("2.0.0" → "2"): equal under PEP 440 ordering. */
function comparableVersion(v: string): string {
  const c = canonicalVersion(v);
  const m = /^((?:\d+!)?)(\d+(?:\.\d+)*)(.*)$/.exec(c);
  if (!m || c.includes('*')) return c;
  const parts = m[2].split('.');
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
  return m[1] + parts.join('.') + m[3];
}

/**
 * Canonical form of a specifier set: clauses normalised (==2.0 ≡ ==2.0.0, >=1.0 ≡ >=1; ~= and .* keep
 * their digits, which carry meaning there), duplicates dropped, sorted. Equal keys = the same set of versions.
 */
export function specifierKey(clauses: Clause[]): string {
  const out = new Set<string>();
  for (const c of clauses) {
    const keepDigits = c.op === '~=' || c.op === '===' || c.version.includes('*');
    out.add(c.op + (c.op === '===' ? c.version.trim() : keepDigits ? canonicalVersion(c.version) : comparableVersion(c.version)));
  }
  return [...out].sort().join(',');
}

type MarkerNode = { op: 'and' | 'or'; items: MarkerNode[] } | { atom: string };

/** Marker text → tree (PEP 508: comparisons joined by and / or, parentheses). Null when it does not parse. */
function parseMarker(text: string): MarkerNode | null {
  const tokens = text.match(/\(|\)|"[^"]*"|'[^']*'|===|==|!=|<=|>=|~=|<|>|not\s+in\b|\bin\b|\band\b|\bor\b|[A-Za-z_][\w.]*|[^\s()]+/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const value = (t: string | undefined) => (t === undefined ? '' : /^['"]/.test(t) ? `"${t.slice(1, -1)}"` : t);
  const atom = (): MarkerNode | null => {
    if (peek() === '(') {
      i++;
      const inner = or();
      if (peek() !== ')') return null;
      i++;
      return inner;
    }
    const left = value(tokens[i++]);
    const op = tokens[i++]?.replace(/\s+/g, ' ');
    const right = value(tokens[i++]);
    if (!left || !op || !right) return null;
    return { atom: `${left} ${op} ${right}` };
  };
  const join = (kind: 'and' | 'or', next: () => MarkerNode | null): MarkerNode | null => {
    const first = next();
    if (!first) return null;
    const items = [first];
    while (peek() === kind) {
      i++;
      const n = next();
      if (!n) return null;
      items.push(n);
    }
    return items.length === 1 ? first : { op: kind, items };
  };
  const and = () => join('and', atom);
  const or = (): MarkerNode | null => join('or', and);
  const tree = or();
  return tree && i === tokens.length ? tree : null;
}

function markerText(n: MarkerNode, top = true): string {
  if ('atom' in n) return n.atom;
  // flatten nested groups of the same operator, then sort: "a and b" ≡ "b and a"
  const flat: MarkerNode[] = [];
  for (const x of n.items) if (!('atom' in x) && x.op === n.op) flat.push(...x.items);
  else flat.push(x);
  const parts = [...new Set(flat.map((x) => markerText(x, false)))].sort();
  const s = parts.join(` ${n.op} `);
  return top || parts.length === 1 ? s : `(${s})`;
}

/** Canonical marker: quotes and spacing normalised, and/or clauses in a fixed order (so clause order carries no meaning). */
export function markerKey(marker: string): string {
  const tree = parseMarker(marker);
  return tree ? markerText(tree) : normalizeMarker(marker);
}

// ---------------------------------------------------------------------------------------------
// What kind of version change

/** Packages versioned by release date (YYYY.MM… or YY.N…): a new year is not a "major upgrade". Any
 * package whose two versions both start with a year (1990–2100) counts too. This is the one place that
 * decides; the renderer only says why such a change is quiet. */
const CALVER_PACKAGES = new Set([
  'certifi', 'pytz', 'tzdata', 'pip', 'regex', 'fsspec', 'gcsfs', 's3fs', 'dask', 'distributed', 'pycountry', 'ruamel-yaml-clib', 'trove-classifiers', 'pyzmq-calver',
  // YY.N… calendar versions
  'black', 'attrs', 'cattrs', 'twisted', 'pyopenssl',
]);
const isYear = (n: number | undefined) => n !== undefined && n >= 1990 && n <= 2100;
/** Libraries whose local version names the accelerator build (torch 2.0.1+cu118 vs +cu121). */
const GPU_LOCAL = /^(cu\d+|rocm[\d.]+|cpu|xpu|mps|cuda\d*|tpu)/i;

export type VersionChangeKind = 'major' | 'minor' | 'patch' | 'epoch' | 'local' | 'pre-release' | 'post-release' | 'dev-release' | 'calendar';

export interface VersionChange {
  direction: 'upgrade' | 'downgrade' | 'same';
  kind: VersionChangeKind;
  /** Words for the message: "local version +cu118 → +cu121 (accelerator build)". */
  describe: string;
  /** Moves onto a pre-release or development release. */
  toPrerelease: boolean;
}

const calendarWords = (direction: VersionChange['direction'], a: string, b: string) => `calendar-versioned release ${direction === 'downgrade' ? 'older' : 'newer'} (${a} → ${b})`;
const localOf = (e: pep440.Pep440Version | null) => (e?.local ? `+${e.local}` : '');

/** The kind of a version change, by PEP 440's parts: epoch, local, pre / post / dev, calendar versions, then release level. */
export function versionChange(a: string, b: string, name: string, ecosystem: Ecosystem = 'pypi'): VersionChange {
  const { direction, level } = classifyBump(a, b, ecosystem);
  const ea = ecosystem !== 'npm' ? explain(a) : null;
  const eb = ecosystem !== 'npm' ? explain(b) : null;
  const toPrerelease = !!eb && (eb.is_prerelease || eb.is_devrelease) && !(ea && (ea.is_prerelease || ea.is_devrelease));
  const mk = (kind: VersionChangeKind, describe: string): VersionChange => ({ direction, kind, describe, toPrerelease });
  if (!ea || !eb) {
    // npm, or not PEP 440: a year at the front of both versions still names a calendar version.
    if (isYear(looseParse(a).release[0]) && isYear(looseParse(b).release[0])) return mk('calendar', calendarWords(direction, a, b));
    return mk(level, `${level} ${direction}`);
  }
  if (ea.epoch !== eb.epoch) return mk('epoch', `epoch ${ea.epoch} → ${eb.epoch} (versions restart their ordering)`);
  if (ea.public === eb.public && ea.local !== eb.local) {
    const gpu = GPU_LOCAL.test(ea.local ?? '') || GPU_LOCAL.test(eb.local ?? '');
    return mk('local', `local version ${localOf(ea) || '(none)'} → ${localOf(eb) || '(none)'} of ${ea.public}${gpu ? ' (accelerator build)' : ' (a different build)'}`);
  }
  const sameRelease = comparableVersion(ea.base_version) === comparableVersion(eb.base_version);
  if (sameRelease) {
    const preA = ea.pre ? ea.pre.join('') : '';
    const preB = eb.pre ? eb.pre.join('') : '';
    if (preA !== preB) {
      if (!preB && !eb.dev) return mk('pre-release', `pre-release ${a} → final release ${b}`);
      if (!preA && !ea.dev) return mk('pre-release', `final release ${a} → pre-release ${b}`);
      return mk('pre-release', `pre-release ${preA} → ${preB} of ${eb.base_version}`);
    }
    if ((ea.post ?? -1) !== (eb.post ?? -1)) return mk('post-release', `post-release ${ea.post === null ? '(none)' : `.post${ea.post}`} → ${eb.post === null ? '(none)' : `.post${eb.post}`} of ${eb.base_version}`);
    if ((ea.dev ?? -1) !== (eb.dev ?? -1)) return mk('dev-release', `development release ${a} → ${b}`);
  }
  if (CALVER_PACKAGES.has(normalizePyName(name.replace(/^pip:/, '').replace(/ \(pip\)$/, ''))) || (isYear(ea.release[0]) && isYear(eb.release[0])))
    return mk('calendar', calendarWords(direction, a, b));
  return mk(level, `${level} ${direction}${toPrerelease ? ' to a pre-release' : ''}`);
}
