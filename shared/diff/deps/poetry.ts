// poetry.lock: smol-toml, or a line scanner over the package tables for locks over 1 MB.
import { parse as parseToml, TomlError } from 'smol-toml';
import { newParse, type DepEntry, type DepParse } from './types';
import { normalizeMarker, normalizePyName } from './versions';

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
  const meta = lockPythonVersions(text);
  if (meta) out.pythonVersions = meta;
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

/** The lock's own supported Python range: `python-versions` in the [metadata] table, with its line. */
function lockPythonVersions(text: string): { value: string; line: number } | undefined {
  const at = text.startsWith('[metadata]') ? 0 : text.indexOf('\n[metadata]') + 1;
  if (at <= 0 && !text.startsWith('[metadata]')) return undefined;
  let end = text.indexOf('\n[', at + 1);
  if (end < 0) end = text.length;
  const m = /(^|\n)python-versions = "([^"\n]*)"/.exec(text.slice(at, end));
  if (!m) return undefined;
  const offset = at + m.index + m[1].length;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { value: m[2], line };
}
