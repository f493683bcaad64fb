// Dependency parsers (pip requirements / pip freeze, poetry.lock, conda environment.yml and
// `conda list --export`, package-lock.json) and the dependency diff. Pure TypeScript.
import * as pep440 from '@renovatebot/pep440';
import { parse as parseToml, TomlError } from 'smol-toml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { jsonProblem } from './detect';
import type { ArtifactKind, Change, ChangeSeverity, DiffResult, ParseProblem } from './types';

export type Ecosystem = 'pypi' | 'conda' | 'npm';

export interface Clause {
  op: string;
  version: string;
}

export interface DepEntry {
  /** Map key: normalised name (PEP 503 for Python), "pip:" prefix for pip packages inside conda envs, install path for npm. */
  key: string;
  /** Name as written. */
  name: string;
  ecosystem: Ecosystem;
  /** Pinned or locked version, when there is one (==X, conda =X, lockfile version). */
  version?: string;
  /** Normalised specifier, e.g. ">=2.0.0,<3" ("" = any version). Lockfiles: "==<version>". */
  spec: string;
  clauses: Clause[];
  extras: string[];
  /** Normalised PEP 508 marker. */
  marker?: string;
  /** Direct reference (pkg @ url, -e …), conda channel or npm resolved URL. */
  source?: string;
  /** Conda build string. */
  build?: string;
  /** poetry.lock python-versions (used to pair several locked versions of one package). */
  pythonVersions?: string;
  /** 1-based line where the entry is declared, when known. */
  line?: number;
  /** True for lockfile entries (every version is exact; no pin semantics). */
  locked?: boolean;
}

export interface DepParse {
  ecosystem: Ecosystem;
  entries: DepEntry[];
  /** Options and includes (requirements files): "-r base.txt", "--index-url" → value. */
  options: Map<string, { value: string; line: number }>;
  problems: ParseProblem[];
  /** Fatal parse error: the diff falls back to text. */
  fatal?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Names, numeric libraries
// ---------------------------------------------------------------------------------------------

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
const BLAS_RE = /(^|[-_])(mkl|blas|openblas|lapack|intel-openmp|blis|accelerate)([-_]|$)/i;

/** Numeric / ML library (numpy, torch, BLAS/MKL builds…): raises severity. */
export function isNumericLib(name: string): boolean {
  const n = normalizePyName(name.replace(/^pip:/, ''));
  if (NUMERIC_LIBS.has(n)) return true;
  return NUMERIC_PREFIXES.some((p) => n.startsWith(p)) || BLAS_RE.test(n);
}

// ---------------------------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Specifiers and markers
// ---------------------------------------------------------------------------------------------

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

function exactVersion(clauses: Clause[]): string | undefined {
  for (const c of clauses) if ((c.op === '==' && !c.version.includes('*')) || c.op === '===') return c.version;
  return undefined;
}

function upperBounds(clauses: Clause[]): Clause[] {
  return clauses.filter((c) => c.op === '<' || c.op === '<=' || c.op === '~=' || (c.op === '==' && c.version.includes('*')));
}
function lowerBounds(clauses: Clause[]): Clause[] {
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

function minUpper(cs: Clause[], eco: Ecosystem): string | undefined {
  let best: string | undefined;
  for (const c of cs) {
    const v = upperValue(c);
    if (best === undefined || compareVersions(v, best, eco) < 0) best = v;
  }
  return best;
}
function maxLower(cs: Clause[], eco: Ecosystem): string | undefined {
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
// pip requirements / pip freeze
// ---------------------------------------------------------------------------------------------

const NAME_RE = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$/;

function newParse(ecosystem: Ecosystem): DepParse {
  return { ecosystem, entries: [], options: new Map(), problems: [] };
}

/** Parse one PEP 508 requirement (without comments / pip options). Null when it is not one. */
export function parseRequirement(req: string, line?: number): DepEntry | null {
  const m = NAME_RE.exec(req.trim());
  if (!m) return null;
  const name = m[1];
  const extras = m[2] ? m[2].split(',').map((x) => normalizePyName(x.trim())).filter(Boolean).sort() : [];
  let rest = m[3].trim();
  let source: string | undefined;
  let marker: string | undefined;
  let specText = '';
  if (rest.startsWith('@')) {
    const u = /^@\s*(\S+)(?:\s+;\s*(.*))?$/.exec(rest);
    if (!u) return null;
    source = u[1];
    if (u[2]) marker = normalizeMarker(u[2]);
  } else {
    const semi = rest.indexOf(';');
    if (semi >= 0) {
      marker = normalizeMarker(rest.slice(semi + 1));
      rest = rest.slice(0, semi).trim();
    }
    specText = rest.replace(/^\((.*)\)$/, '$1').replace(/\s+/g, '');
    if (specText && !/^(===|==|~=|!=|<=|>=|<|>)/.test(specText)) return null;
  }
  const clauses = parseSpecifier(specText);
  if (clauses.some((c) => !c.version || /\s/.test(c.version))) return null;
  const entry: DepEntry = {
    key: normalizePyName(name),
    name,
    ecosystem: 'pypi',
    spec: formatClauses(clauses),
    clauses,
    extras,
  };
  const v = exactVersion(clauses);
  if (v) entry.version = v;
  if (marker) entry.marker = marker;
  if (source) entry.source = source;
  if (line !== undefined) entry.line = line;
  return entry;
}

const FREEZE_RE = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*==\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)$/;

/** pip requirements files and `pip freeze` output. */
export function parseRequirements(text: string, ecosystem: Ecosystem = 'pypi', keyPrefix = '', lineOffset = 0): DepParse {
  const out = newParse(ecosystem);
  const raw = text.split('\n');
  let i = 0;
  while (i < raw.length) {
    const startLine = i + 1 + lineOffset;
    let l = raw[i].replace(/\r$/, '');
    i++;
    while (/\\$/.test(l) && i < raw.length) {
      l = l.slice(0, -1) + ' ' + raw[i].replace(/\r$/, '');
      i++;
    }
    l = l.replace(/(^|\s)#.*$/, '').trim();
    if (!l) continue;
    // Per-requirement options.
    l = l.replace(/\s+--hash[=\s]\S+/g, '').replace(/\s+--(global|install|config)-(option|settings)[=\s]\S+/g, '').trim();
    if (l.startsWith('-')) {
      const om = /^(-[a-zA-Z]|--[a-z-]+)(?:[=\s]+(.*))?$/.exec(l);
      if (!om) {
        out.problems.push({ message: `unrecognised option line: ${l.slice(0, 80)}`, line: startLine });
        continue;
      }
      const opt = om[1];
      const value = (om[2] ?? '').trim();
      if (opt === '-e' || opt === '--editable') {
        const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(value);
        const base = value.replace(/[#?].*$/, '').replace(/\/+$/, '');
        const name = egg ? egg[1] : base.slice(base.lastIndexOf('/') + 1).replace(/\.git$/, '') || value;
        out.entries.push({
          key: keyPrefix + normalizePyName(name),
          name,
          ecosystem,
          spec: '',
          clauses: [],
          extras: [],
          source: 'editable ' + value,
          line: startLine,
        });
        continue;
      }
      const canon: Record<string, string> = { '-r': '-r', '--requirement': '-r', '-c': '-c', '--constraint': '-c', '-i': '--index-url', '-f': '--find-links' };
      const o = canon[opt] ?? opt;
      if (o === '-r' || o === '-c') out.options.set(`${keyPrefix}${o} ${value}`, { value, line: startLine });
      else out.options.set(keyPrefix + o, { value, line: startLine });
      continue;
    }
    // Fast path for pip-freeze lines ("name==version").
    const fm = FREEZE_RE.exec(l);
    if (fm) {
      const version = fm[2];
      out.entries.push({
        key: keyPrefix + normalizePyName(fm[1]),
        name: fm[1],
        ecosystem: ecosystem === 'conda' ? 'pypi' : ecosystem,
        version,
        spec: '==' + version,
        clauses: [{ op: '==', version }],
        extras: [],
        line: startLine,
      });
      continue;
    }
    const e = parseRequirement(l, startLine);
    if (!e) {
      // URL or path requirement without a name (e.g. "./pkg", "https://…/x.whl").
      if (/^(\.{0,2}\/|[a-z+]+:\/\/)/.test(l)) {
        const base = l.replace(/[#?;].*$/, '').replace(/\/+$/, '');
        const name = base.slice(base.lastIndexOf('/') + 1);
        out.entries.push({ key: keyPrefix + normalizePyName(name), name, ecosystem, spec: '', clauses: [], extras: [], source: l, line: startLine });
      } else out.problems.push({ message: `not a requirement: ${l.slice(0, 80)}`, line: startLine, column: 1 });
      continue;
    }
    e.key = keyPrefix + e.key;
    e.ecosystem = ecosystem === 'conda' ? 'pypi' : ecosystem;
    out.entries.push(e);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// poetry.lock
// ---------------------------------------------------------------------------------------------

interface PoetryPackage {
  name?: unknown;
  version?: unknown;
  'python-versions'?: unknown;
  markers?: unknown;
  source?: { type?: unknown; url?: unknown; reference?: unknown; resolved_reference?: unknown };
}

/** poetry.lock. Files up to 1 MB go through smol-toml; larger ones use a line scanner over the
 * package tables (smol-toml is the fallback when the scanner meets syntax it does not expect). */
export function parsePoetryLock(text: string, opts: { fast?: boolean } = {}): DepParse {
  const out = newParse('pypi');
  const useFast = opts.fast ?? text.length > 1_000_000;
  let pkgs: PoetryPackage[] | null = null;
  let lines: number[] = [];
  if (useFast) {
    const scanned = scanPoetryLock(text);
    if (scanned) {
      pkgs = scanned.pkgs;
      lines = scanned.lines;
    }
  }
  if (!pkgs) {
    try {
      const doc = parseToml(text) as { package?: PoetryPackage[] };
      pkgs = Array.isArray(doc.package) ? doc.package : [];
      lines = packageLines(text);
    } catch (err) {
      const e = err as TomlError & { line?: number; column?: number };
      out.problems.push({ message: `TOML: ${String(e.message ?? err).split('\n')[0]}`, line: e.line, column: e.column });
      out.fatal = true;
      return out;
    }
  }
  for (let k = 0; k < pkgs.length; k++) {
    const p = pkgs[k];
    if (typeof p.name !== 'string') continue;
    const version = typeof p.version === 'string' ? p.version : undefined;
    const e: DepEntry = {
      key: normalizePyName(p.name),
      name: p.name,
      ecosystem: 'pypi',
      spec: version ? '==' + version : '',
      clauses: version ? [{ op: '==', version }] : [],
      extras: [],
      locked: true,
    };
    if (version) e.version = version;
    if (typeof p['python-versions'] === 'string') e.pythonVersions = p['python-versions'];
    if (typeof p.markers === 'string') e.marker = normalizeMarker(p.markers);
    else if (p.markers && typeof p.markers === 'object') {
      // Poetry 2 writes per-group markers as an inline table: {main = "…", dev = "…"}.
      const parts = Object.entries(p.markers as Record<string, unknown>)
        .filter(([, v]) => typeof v === 'string')
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([g, v]) => `${g}: ${normalizeMarker(v as string)}`);
      if (parts.length) e.marker = parts.join('; ');
    }
    if (p.source && typeof p.source === 'object' && p.source.type !== 'legacy') {
      const s = p.source;
      const ref = s.resolved_reference ?? s.reference;
      if (typeof s.url === 'string') e.source = `${String(s.type ?? '')} ${s.url}${ref ? '@' + String(ref) : ''}`.trim();
    }
    if (lines[k]) e.line = lines[k];
    out.entries.push(e);
  }
  return out;
}

/** 1-based line of each [[package]]'s `name =` line, in order. */
function packageLines(text: string): number[] {
  const res: number[] = [];
  let line = 1;
  let inPkg = false;
  let idx = -1;
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const c = text.charCodeAt(pos);
    if (c === 91 /* [ */) {
      if (text.startsWith('[[package]]', pos)) {
        idx++;
        inPkg = true;
        res[idx] = line;
      } else inPkg = false;
    } else if (inPkg && c === 110 /* n */ && text.startsWith('name = ', pos)) {
      res[idx] = line;
      inPkg = false;
    }
    pos = end + 1;
    line++;
  }
  return res;
}

/** Read a TOML basic ("…") or literal ('…') single-line string starting at s[i]. */
function tomlString(s: string, i: number): string | null {
  const q = s[i];
  if (s.startsWith(q.repeat(3), i)) return null; // multi-line string: let smol-toml handle it
  if (q === "'") {
    const j = s.indexOf("'", i + 1);
    return j < 0 ? null : s.slice(i + 1, j);
  }
  let j = i + 1;
  let esc = false;
  for (; j < s.length; j++) {
    const ch = s[j];
    if (esc) esc = false;
    else if (ch === '\\') esc = true;
    else if (ch === '"') break;
  }
  if (j >= s.length) return null;
  const body = s.slice(i + 1, j);
  if (body.indexOf('\\') < 0) return body;
  try {
    return JSON.parse('"' + body.replace(/\\U([0-9a-fA-F]{8})/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)).replace(/"/g, '\\"')) + '"') as string;
  } catch {
    return null;
  }
}

function scanPoetryLock(input: string): { pkgs: PoetryPackage[]; lines: number[] } | null {
  // Multi-line strings could hide "[" at the start of a line: leave those files to smol-toml.
  if (input.indexOf('"""') >= 0 || input.indexOf("'''") >= 0) return null;
  const text = input.indexOf('\r') >= 0 ? input.replace(/\r\n/g, '\n') : input;
  const n = text.length;
  const HDR = '[[package]]\n';
  const starts: number[] = [];
  if (text.startsWith(HDR)) starts.push(0);
  for (let p = text.indexOf('\n' + HDR); p >= 0; p = text.indexOf('\n' + HDR, p + 1)) starts.push(p + 1);
  // Every "[[package]]" must be a header we found (no odd spacing), and no other array of tables.
  let all = 0;
  for (let p = text.indexOf('[['); p >= 0; p = text.indexOf('[[', p + 2)) {
    if (p === 0 || text.charCodeAt(p - 1) === 10) all++;
  }
  if (all !== starts.length) return null;
  const pkgs: PoetryPackage[] = [];
  const offsets: number[] = [];
  // Value of `key = …` on a line of region [from, to), or undefined; null when the syntax is unexpected.
  // The search runs on a slice of the region so that a missing key costs the region, not the file.
  const find = (region: string, key: string): number => {
    if (region.startsWith(key + ' = ')) return 0;
    const p = region.indexOf('\n' + key + ' = ');
    return p < 0 ? -1 : p + 1;
  };
  const read = (region: string, key: string): string | boolean | undefined | null => {
    const at = find(region, key);
    if (at < 0) return undefined;
    let e = region.indexOf('\n', at);
    if (e < 0) e = region.length;
    const v = region.slice(at + key.length + 3, e).trim();
    if (v === 'true' || v === 'false') return v === 'true';
    if (v[0] !== '"' && v[0] !== "'") return null;
    return tomlString(v, 0);
  };
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k] + HDR.length;
    const end = k + 1 < starts.length ? starts[k + 1] : n;
    let tableEnd = text.indexOf('\n[', s - 1);
    if (tableEnd < 0 || tableEnd > end) tableEnd = end;
    const region = text.slice(s, tableEnd);
    const pkg: PoetryPackage = {};
    for (const key of ['name', 'version', 'python-versions', 'markers'] as const) {
      const v = read(region, key);
      if (v === null) return null;
      if (v !== undefined) (pkg as Record<string, unknown>)[key] = v;
    }
    if (typeof pkg.name !== 'string') return null;
    offsets.push(s + find(region, 'name'));
    const rest = text.slice(tableEnd, end);
    const src = rest.indexOf('\n[package.source]\n');
    if (src >= 0) {
      const ss = src + '\n[package.source]\n'.length;
      let se = rest.indexOf('\n[', ss - 1);
      if (se < 0) se = rest.length;
      const sregion = rest.slice(ss, se);
      const source: Record<string, unknown> = {};
      for (const key of ['type', 'url', 'reference', 'resolved_reference']) {
        const v = read(sregion, key);
        if (v === null) return null;
        if (v !== undefined) source[key] = v;
      }
      pkg.source = source;
    }
    pkgs.push(pkg);
  }
  // Offsets → 1-based line numbers in one pass.
  const lines: number[] = new Array(offsets.length);
  let line = 1;
  let p = 0;
  for (let k = 0; k < offsets.length; k++) {
    const target = offsets[k];
    for (;;) {
      const nl = text.indexOf('\n', p);
      if (nl < 0 || nl >= target) break;
      line++;
      p = nl + 1;
    }
    lines[k] = line;
  }
  return { pkgs, lines };
}

// ---------------------------------------------------------------------------------------------
// conda
// ---------------------------------------------------------------------------------------------

/** Parse a conda match spec ("numpy=1.24.4=py39h…", "conda-forge::mkl", "python>=3.9,<3.12", "pip"). */
export function parseCondaSpec(spec: string, line?: number): DepEntry | null {
  let s = spec.trim();
  let channel: string | undefined;
  const ch = /^([^\s:]+)::(.*)$/.exec(s);
  if (ch) {
    channel = ch[1];
    s = ch[2];
  }
  // bracket options: numpy[version='>=1.2',build=…]
  let build: string | undefined;
  let bracketVersion: string | undefined;
  const br = /^(.*?)\[(.*)\]\s*$/.exec(s);
  if (br) {
    s = br[1];
    for (const kv of br[2].split(/,(?=\s*\w+\s*=)/)) {
      const m = /^\s*(\w+)\s*=\s*['"]?(.*?)['"]?\s*$/.exec(kv);
      if (m && m[1] === 'build') build = m[2];
      if (m && m[1] === 'version') bracketVersion = m[2];
    }
  }
  const m = /^([A-Za-z0-9_][A-Za-z0-9._-]*)\s*(.*)$/.exec(s);
  if (!m) return null;
  const name = m[1];
  let rest = (bracketVersion ?? m[2]).trim();
  let clauses: Clause[] = [];
  let version: string | undefined;
  if (rest.startsWith('==')) {
    const parts = rest.slice(2).split(/[=\s]+/);
    version = parts[0];
    if (parts[1]) build = parts[1];
    clauses = [{ op: '==', version }];
  } else if (rest.startsWith('=')) {
    const parts = rest.slice(1).split('=');
    const v = parts[0];
    if (parts[1]) build = parts[1];
    if (build) {
      version = v.replace(/\.\*$/, '');
      clauses = [{ op: '==', version: v }];
    } else {
      // conda "fuzzy" pin: =1.24 means 1.24.*
      version = v.replace(/\.?\*$/, '');
      clauses = [{ op: '==', version: v.endsWith('*') ? v : v + '.*' }];
    }
  } else if (/^(===|~=|!=|<=|>=|<|>)/.test(rest)) {
    clauses = parseSpecifier(rest.replace(/\s+/g, ''));
    version = exactVersion(clauses);
  } else if (rest) {
    // "1.24.4 py39_0" or "1.24.*"
    const parts = rest.split(/\s+/);
    rest = parts[0];
    if (parts[1]) build = parts[1];
    if (/[<>=!~]/.test(rest)) clauses = parseSpecifier(rest);
    else if (rest.includes('*')) {
      clauses = [{ op: '==', version: rest }];
      version = rest.replace(/\.?\*$/, '');
    } else {
      clauses = [{ op: '==', version: rest }];
      version = rest;
    }
  }
  const e: DepEntry = {
    key: name.toLowerCase(),
    name,
    ecosystem: 'conda',
    spec: formatClauses(clauses),
    clauses,
    extras: [],
  };
  if (version) e.version = version;
  if (build) e.build = build;
  if (channel) e.source = channel;
  if (line !== undefined) e.line = line;
  return e;
}

/** conda environment.yml (with the nested `pip:` list) or `conda list --export` output. */
export function parseCondaEnv(text: string): DepParse {
  const out = newParse('conda');
  const trimmed = text.replace(/^\s*(#.*\n\s*)*/, '');
  const lc = new LineCounter();
  const looksExport = !/^\s*dependencies\s*:/m.test(text) && /^[A-Za-z0-9_][A-Za-z0-9._-]*=/m.test(trimmed);
  if (looksExport) {
    const ls = text.split('\n');
    for (let i = 0; i < ls.length; i++) {
      const l = ls[i].replace(/\r$/, '').trim();
      if (!l || l.startsWith('#') || l.startsWith('@')) continue;
      const e = parseCondaSpec(l, i + 1);
      if (e) out.entries.push(e);
      else out.problems.push({ message: `not a conda package spec: ${l.slice(0, 80)}`, line: i + 1 });
    }
    return out;
  }
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true });
  if (doc.errors.length) {
    for (const err of doc.errors.slice(0, 5)) {
      const lp = err.linePos?.[0];
      out.problems.push({ message: `YAML: ${err.message.split('\n')[0]}`, line: lp?.line, column: lp?.col });
    }
    out.fatal = true;
    return out;
  }
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined): number | undefined =>
    node?.range ? lc.linePos(node.range[0]).line : undefined;
  const root = doc.contents;
  if (!isMap(root)) {
    out.problems.push({ message: 'conda environment: expected a mapping with `dependencies:`', line: 1, column: 1 });
    out.fatal = true;
    return out;
  }
  const chans = root.get('channels', true);
  if (isSeq(chans)) {
    const list = chans.items.map((x) => (isScalar(x) ? String(x.value) : '')).filter(Boolean);
    out.options.set('channels', { value: list.join(', '), line: lineOf(chans as never) ?? 0 });
  }
  const deps = root.get('dependencies', true);
  if (!isSeq(deps)) return out;
  for (const item of deps.items) {
    if (isScalar(item)) {
      const e = parseCondaSpec(String(item.value), lineOf(item));
      if (e) out.entries.push(e);
      else out.problems.push({ message: `not a conda package spec: ${String(item.value).slice(0, 80)}`, line: lineOf(item) });
    } else if (isMap(item)) {
      const pip = item.get('pip', true);
      if (isSeq(pip)) {
        for (const p of pip.items) {
          if (!isScalar(p)) continue;
          const sub = parseRequirements(String(p.value), 'pypi', 'pip:', (lineOf(p) ?? 1) - 1);
          for (const e of sub.entries) {
            e.name = e.name + ' (pip)';
            out.entries.push(e);
          }
          for (const [k, v] of sub.options) out.options.set(k, v);
          out.problems.push(...sub.problems);
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// package-lock.json
// ---------------------------------------------------------------------------------------------

interface NpmPkg {
  version?: unknown;
  resolved?: unknown;
  link?: unknown;
  dependencies?: Record<string, NpmPkg>;
}

function npmDisplay(path: string): string {
  const segs = path.split(/(?:^|\/)node_modules\//).filter(Boolean).map((x) => x.replace(/\/$/, ''));
  return segs.length ? segs.join(' > ') : path;
}

/** package-lock.json / npm-shrinkwrap.json, lockfile v1 (`dependencies`) and v2/v3 (`packages`). */
export function parsePackageLock(text: string): DepParse {
  const out = newParse('npm');
  let doc: { packages?: Record<string, NpmPkg>; dependencies?: Record<string, NpmPkg> };
  try {
    doc = JSON.parse(text);
  } catch (err) {
    out.problems.push(jsonProblem(text, err));
    out.fatal = true;
    return out;
  }
  // Line of each `"key": {` (one pass over the lines, no regex over the whole text).
  const lineOf = new Map<string, number>();
  {
    let pos = 0;
    let line = 1;
    const n = text.length;
    while (pos < n) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = n;
      let i = pos;
      while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (text.charCodeAt(i) === 34) {
        let e = end;
        while (e > i && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 13)) e--;
        if (text.charCodeAt(e - 1) === 123 /* { */) {
          const q = text.indexOf('"', i + 1);
          if (q > 0 && q < e) {
            const key = text.slice(i + 1, q);
            if (!lineOf.has(key)) lineOf.set(key, line);
          }
        }
      }
      pos = end + 1;
      line++;
    }
  }
  const push = (path: string, p: NpmPkg) => {
    const version = typeof p.version === 'string' ? p.version : undefined;
    const name = npmDisplay(path);
    const e: DepEntry = {
      key: path,
      name,
      ecosystem: 'npm',
      spec: version ? '==' + version : '',
      clauses: version ? [{ op: '==', version }] : [],
      extras: [],
      locked: true,
    };
    if (version) e.version = version;
    if (p.link === true && typeof p.resolved === 'string') e.source = 'link ' + p.resolved;
    const l = lineOf.get(path) ?? lineOf.get(path.replace(/^.*node_modules\//, ''));
    if (l) e.line = l;
    out.entries.push(e);
  };
  if (doc && typeof doc.packages === 'object' && doc.packages) {
    for (const [path, p] of Object.entries(doc.packages)) {
      if (path === '' || !p || typeof p !== 'object') continue;
      push(path, p);
    }
  } else if (doc && typeof doc.dependencies === 'object' && doc.dependencies) {
    const walk = (deps: Record<string, NpmPkg>, prefix: string) => {
      for (const [name, p] of Object.entries(deps)) {
        if (!p || typeof p !== 'object') continue;
        const path = `${prefix}node_modules/${name}`;
        push(path, p);
        if (p.dependencies && typeof p.dependencies === 'object') walk(p.dependencies, path + '/');
      }
    };
    walk(doc.dependencies, '');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Diff
// ---------------------------------------------------------------------------------------------

function describeSpec(e: DepEntry): string {
  if (e.source && !e.spec) return e.source;
  return e.spec || 'any version';
}

function group(entries: DepEntry[]): Map<string, DepEntry[]> {
  const m = new Map<string, DepEntry[]>();
  for (const e of entries) {
    const g = m.get(e.key);
    if (g) g.push(e);
    else m.set(e.key, [e]);
  }
  return m;
}

/** Pair several entries of one package (several locked versions, or markers). */
function pairEntries(b: DepEntry[], a: DepEntry[]): Array<[DepEntry | null, DepEntry | null]> {
  if (b.length === 1 && a.length === 1) return [[b[0], a[0]]];
  const pairs: Array<[DepEntry | null, DepEntry | null]> = [];
  const restB = [...b];
  const restA = [...a];
  const take = (eq: (x: DepEntry, y: DepEntry) => boolean) => {
    for (let i = 0; i < restB.length; i++) {
      const j = restA.findIndex((y) => eq(restB[i], y));
      if (j >= 0) {
        pairs.push([restB[i], restA[j]]);
        restB.splice(i, 1);
        restA.splice(j, 1);
        i--;
      }
    }
  };
  take((x, y) => x.spec === y.spec && x.marker === y.marker && x.pythonVersions === y.pythonVersions && x.build === y.build);
  take((x, y) => x.spec === y.spec && x.marker === y.marker);
  take((x, y) => x.marker !== undefined && x.marker === y.marker);
  take((x, y) => x.pythonVersions !== undefined && x.pythonVersions === y.pythonVersions);
  if (restB.length === restA.length) {
    for (let i = 0; i < restB.length; i++) pairs.push([restB[i], restA[i]]);
    return pairs;
  }
  for (const x of restB) pairs.push([x, null]);
  for (const y of restA) pairs.push([null, y]);
  return pairs;
}

export interface DepDiffOptions {
  /** Whether before/after are lockfiles (versions are exact; pins carry no meaning). */
  locked?: boolean;
}

function sev(numeric: boolean, ifNumeric: ChangeSeverity, otherwise: ChangeSeverity): ChangeSeverity {
  return numeric ? ifNumeric : otherwise;
}

function mk(kind: string, severity: ChangeSeverity, subject: string, before: Change['before'], after: Change['after'], message: string, b?: DepEntry | null, a?: DepEntry | null, params?: Record<string, unknown>): Change {
  const c: Change = { kind, severity, failureClass: 'packaging', subject, before, after, message };
  if (b?.line) c.lineBefore = b.line;
  if (a?.line) c.lineAfter = a.line;
  if (params) c.params = params;
  return c;
}

function pairLabel(e: DepEntry, multi: boolean): string {
  if (!multi) return e.name;
  if (e.marker) return `${e.name} [${e.marker}]`;
  if (e.pythonVersions) return `${e.name} (python ${e.pythonVersions})`;
  return e.name;
}

/** Compare one package's before/after entries. */
function diffEntry(b: DepEntry, a: DepEntry, multi: boolean, out: Change[]): void {
  if (
    b.version === a.version &&
    b.spec === a.spec &&
    b.marker === a.marker &&
    b.build === a.build &&
    b.source === a.source &&
    (b.extras.length === 0 ? a.extras.length === 0 : b.extras.join(',') === a.extras.join(','))
  )
    return;
  const name = pairLabel(a, multi);
  const numeric = isNumericLib(a.key);
  const eco = a.ecosystem;
  const marker = a.marker ?? b.marker;
  const markerParam = marker ? { marker } : {};
  // Version movement.
  let versionReported = false;
  if (b.version && a.version && b.version !== a.version && (a.locked || b.locked || pinRank(a.clauses) >= 2 || pinRank(b.clauses) >= 2)) {
    const sameExact = compareVersions(b.version, a.version, eco) === 0;
    if (!sameExact) {
      const { direction, level } = classifyBump(b.version, a.version, eco);
      const severity: ChangeSeverity =
        level === 'major' ? sev(numeric, 'critical', 'warning') : level === 'minor' ? sev(numeric, 'warning', 'info') : 'info';
      const what = `${level} ${direction}${numeric ? ' of a numeric library' : ''}`;
      out.push(
        mk(`dependency.${level}`, severity, name, b.version, a.version, `${name} ${b.version} → ${a.version} — ${what}`, b, a, {
          direction,
          level,
          numeric,
          ecosystem: eco,
          ...markerParam,
        }),
      );
      versionReported = true;
    }
  }
  // Pin strictness (not for lockfiles).
  if (!a.locked && !b.locked && b.spec !== a.spec) {
    const rb = pinRank(b.clauses);
    const ra = pinRank(a.clauses);
    let verdict: 'loosened' | 'tightened' | 'changed' | null = null;
    let detail = '';
    if (ra < rb) verdict = 'loosened';
    else if (ra > rb) verdict = 'tightened';
    else if (versionReported) verdict = null; // same kind of pin, new version: the bump says it all
    else if (ra === 3) verdict = 'changed';
    else {
      const ub = minUpper(upperBounds(b.clauses), eco);
      const ua = minUpper(upperBounds(a.clauses), eco);
      const lb = maxLower(lowerBounds(b.clauses), eco);
      const la = maxLower(lowerBounds(a.clauses), eco);
      const looser = (ub !== undefined && ua === undefined) || (ub !== undefined && ua !== undefined && compareVersions(ua, ub, eco) > 0) || (lb !== undefined && la === undefined) || (lb !== undefined && la !== undefined && compareVersions(la, lb, eco) < 0);
      const tighter = (ub === undefined && ua !== undefined) || (ub !== undefined && ua !== undefined && compareVersions(ua, ub, eco) < 0) || (lb === undefined && la !== undefined) || (lb !== undefined && la !== undefined && compareVersions(la, lb, eco) > 0);
      verdict = looser && !tighter ? 'loosened' : tighter && !looser ? 'tightened' : 'changed';
    }
    const droppedUpper = upperBounds(b.clauses).filter((c) => !a.clauses.some((x) => x.op === c.op && x.version === c.version));
    if (verdict === 'loosened' && droppedUpper.length && upperBounds(a.clauses).length === 0)
      detail = ` (upper bound ${formatClauses(droppedUpper)} dropped)`;
    if (verdict) {
      const before = describeSpec(b);
      const after = describeSpec(a);
      const severity: ChangeSeverity = verdict === 'loosened' ? 'warning' : verdict === 'tightened' ? 'info' : sev(numeric, 'warning', 'info');
      const msg =
        verdict === 'changed'
          ? `${name} constraint changed: ${before} → ${after}`
          : `${name} pin ${verdict}: ${before} → ${after}${detail}`;
      out.push(
        mk(`dependency.pin-${verdict === 'changed' ? 'changed' : verdict}`, severity, name, b.spec || null, a.spec || null, msg, b, a, {
          numeric,
          rankBefore: rb,
          rankAfter: ra,
          ...(droppedUpper.length ? { droppedUpperBound: formatClauses(droppedUpper) } : {}),
          ...(b.marker === a.marker && marker ? { marker, markerUnchanged: true } : {}),
        }),
      );
    }
  }
  if ((b.marker ?? '') !== (a.marker ?? '')) {
    out.push(
      mk('dependency.marker-changed', 'warning', name, b.marker ?? null, a.marker ?? null,
        `${name} marker changed: ${b.marker ?? '(none)'} → ${a.marker ?? '(none)'}`, b, a),
    );
  }
  if (b.extras.join(',') !== a.extras.join(',')) {
    out.push(
      mk('dependency.extras-changed', sev(numeric, 'warning', 'info'), name, `[${b.extras.join(',')}]`, `[${a.extras.join(',')}]`,
        `${name} extras changed: [${b.extras.join(',')}] → [${a.extras.join(',')}]`, b, a),
    );
  }
  if ((b.build ?? '') !== (a.build ?? '') && (b.build || a.build) && !(versionReported && b.build && a.build && !BLAS_RE.test(b.build + ' ' + a.build))) {
    const blas = /(mkl|openblas|blis|accelerate|netlib)/i.test(`${b.build ?? ''} ${a.build ?? ''}`);
    out.push(
      mk('dependency.build-changed', numeric || blas ? 'warning' : 'info', name, b.build ?? null, a.build ?? null,
        `${name} build changed: ${b.build ?? '(none)'} → ${a.build ?? '(none)'}${blas ? ' — BLAS/MKL build' : numeric ? ' — build of a numeric library' : ''}`, b, a),
    );
  }
  if ((b.source ?? '') !== (a.source ?? '')) {
    out.push(
      mk('dependency.source-changed', sev(numeric, 'warning', 'info'), name, b.source ?? null, a.source ?? null,
        `${name} source changed: ${b.source ?? '(default index)'} → ${a.source ?? '(default index)'}`, b, a),
    );
  }
}

function addedMessage(e: DepEntry): string {
  const bits: string[] = [];
  if (e.locked) return `${e.name}${e.version ? ' ' + e.version : ''} added`;
  bits.push(describeSpec(e));
  if (e.extras.length) bits.push(`extras: ${e.extras.join(',')}`);
  if (e.marker) bits.push(`marker: ${e.marker}`);
  if (e.build) bits.push(`build: ${e.build}`);
  return `${e.name} added (${bits.join('; ')})`;
}

function removedMessage(e: DepEntry): string {
  if (e.locked) return `${e.name}${e.version ? ' ' + e.version : ''} removed`;
  const bits = [describeSpec(e)];
  if (e.marker) bits.push(`marker: ${e.marker}`);
  return `${e.name} removed (was ${bits.join('; ')})`;
}

/** Diff two parsed dependency sets. Linear in the number of packages. */
export function diffDeps(before: DepParse, after: DepParse): Change[] {
  const out: Change[] = [];
  const gb = group(before.entries);
  const ga = group(after.entries);
  for (const [key, bs] of gb) {
    const as = ga.get(key);
    if (!as) {
      for (const b of bs) {
        const numeric = isNumericLib(b.key);
        out.push(
          mk('dependency.removed', sev(numeric, 'warning', 'info'), b.name, b.version ?? (b.spec || describeSpec(b)), null, removedMessage(b), b, null, {
            numeric,
            ...(b.marker ? { marker: b.marker } : {}),
            spec: b.spec,
          }),
        );
      }
      continue;
    }
    const multi = bs.length > 1 || as.length > 1;
    for (const [b, a] of pairEntries(bs, as)) {
      if (b && a) diffEntry(b, a, multi, out);
      else if (b) {
        const numeric = isNumericLib(b.key);
        out.push(mk('dependency.removed', sev(numeric, 'warning', 'info'), pairLabel(b, multi), b.version ?? (b.spec || null), null, removedMessage(b), b, null, { numeric, spec: b.spec }));
      } else if (a) {
        const numeric = isNumericLib(a.key);
        out.push(mk('dependency.added', sev(numeric, 'warning', 'info'), pairLabel(a, multi), null, a.version ?? (a.spec || describeSpec(a)), addedMessage(a), null, a, { numeric, spec: a.spec }));
      }
    }
  }
  for (const [key, as] of ga) {
    if (gb.has(key)) continue;
    for (const a of as) {
      const numeric = isNumericLib(a.key);
      out.push(
        mk('dependency.added', sev(numeric, 'warning', 'info'), a.name, null, a.version ?? (a.spec || describeSpec(a)), addedMessage(a), null, a, {
          numeric,
          spec: a.spec,
          ...(a.marker ? { marker: a.marker } : {}),
          ...(a.extras.length ? { extras: a.extras } : {}),
        }),
      );
    }
  }
  // Options: -r/-c includes, index URLs, conda channels.
  for (const [k, v] of before.options) {
    const w = after.options.get(k);
    const supply = /index-url|find-links|channels|trusted-host/.test(k);
    if (!w) {
      out.push({ kind: 'dependency.option-removed', severity: supply ? 'warning' : 'info', failureClass: 'packaging', subject: k, before: v.value, after: null, message: `${k}${k.includes(' ') ? '' : ' ' + v.value} removed`, lineBefore: v.line || undefined });
    } else if (w.value !== v.value) {
      out.push({ kind: 'dependency.option-changed', severity: supply ? 'warning' : 'info', failureClass: 'packaging', subject: k, before: v.value, after: w.value, message: `${k} changed: ${v.value} → ${w.value}`, lineBefore: v.line || undefined, lineAfter: w.line || undefined });
    }
  }
  for (const [k, w] of after.options) {
    if (before.options.has(k)) continue;
    const supply = /index-url|find-links|channels|trusted-host/.test(k);
    out.push({ kind: 'dependency.option-added', severity: supply ? 'warning' : 'info', failureClass: 'packaging', subject: k, before: null, after: w.value, message: `${k}${k.includes(' ') ? '' : ' ' + w.value} added`, lineAfter: w.line || undefined });
  }
  for (const c of out) {
    if (c.lineBefore === undefined) delete c.lineBefore;
    if (c.lineAfter === undefined) delete c.lineAfter;
  }
  return out;
}

export type DepKind = Extract<ArtifactKind, 'requirements' | 'poetry-lock' | 'conda-env' | 'package-lock'>;

export function parseDeps(kind: DepKind, text: string): DepParse {
  switch (kind) {
    case 'requirements':
      return parseRequirements(text);
    case 'poetry-lock':
      return parsePoetryLock(text);
    case 'conda-env':
      return parseCondaEnv(text);
    case 'package-lock':
      return parsePackageLock(text);
  }
}

/**
 * Semantic diff of two dependency files of one kind. On a fatal parse error of either side the
 * result has the problems and `fatal: true` so the caller can fall back to a text diff.
 */
export function diffDependencyTexts(kind: DepKind, before: string, after: string): DiffResult & { fatal?: boolean } {
  const pb = parseDeps(kind, before);
  const pa = parseDeps(kind, after);
  const problems: ParseProblem[] = [
    ...pb.problems.map((p) => ({ ...p, side: 'before' as const })),
    ...pa.problems.map((p) => ({ ...p, side: 'after' as const })),
  ];
  if (pb.fatal || pa.fatal) return { kind, changes: [], problems, noSemanticChange: false, fatal: true };
  const changes = diffDeps(pb, pa);
  return { kind, changes, problems, noSemanticChange: changes.length === 0 };
}
