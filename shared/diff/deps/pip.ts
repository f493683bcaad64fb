// pip requirements files and `pip freeze` output (PEP 508 requirements, options, editable installs).
import { newParse, type DepEntry, type DepParse, type Ecosystem } from './types';
import { exactVersion, formatClauses, normalizeMarker, normalizePyName, parseSpecifier } from './versions';

const NAME_RE = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$/;

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
    // Per-requirement options: --hash values are kept (a changed hash for the same version is a
    // supply-chain change), the rest dropped.
    let hashes: string[] | undefined;
    if (l.includes('--hash')) {
      hashes = [...l.matchAll(/\s--hash[=\s]+(\S+)/g)].map((m) => m[1]).sort();
      l = l.replace(/\s+--hash[=\s]+\S+/g, '');
    }
    l = l.replace(/\s+--(global|install|config)-(option|settings)[=\s]\S+/g, '').trim();

    if (l.startsWith('-')) {
      const om = /^(-[a-zA-Z]|--[a-z-]+)(?:[=\s]+(.*))?$/.exec(l);
      if (!om) {
        out.problems.push({ message: `unrecognised option line: ${l.slice(0, 80)}`, line: startLine });
        continue;
      }
      const opt = om[1];
      const value = (om[2] ?? '').trim();
      if (opt === '-e' || opt === '--editable') {
        // "-e .[dev,test]", "-e ./pkg[x]", "-e git+…#egg=name[x]": one package; the extras are its extras
        const extrasOf = (x: string) => x.split(',').map((e) => normalizePyName(e.trim())).filter(Boolean).sort();
        let extras: string[] = [];
        const egg = /[#&]egg=([A-Za-z0-9._-]+)(?:\[([^\]]*)\])?/.exec(value);
        if (egg?.[2]) extras = extrasOf(egg[2]);
        let base = value.replace(/[#?].*$/, '');
        const bx = /^(.*?)\[([^\]]*)\]$/.exec(base);
        if (bx) {
          base = bx[1];
          extras = extrasOf(bx[2]);
        }
        base = base.replace(/\/+$/, '');
        const name = egg ? egg[1] : base.slice(base.lastIndexOf('/') + 1).replace(/\.git$/, '') || base || value;
        const source = 'editable ' + value.replace(/\[[^\]]*\](?=$|[#?])/, '').replace(/(#egg=[A-Za-z0-9._-]+)\[[^\]]*\]/, '$1');
        out.entries.push({ key: keyPrefix + normalizePyName(name), name, ecosystem, spec: '', clauses: [], extras, source, line: startLine });
        if (hashes) out.entries[out.entries.length - 1].hashes = hashes;
        continue;
      }
      const canon: Record<string, string> = { '-r': '-r', '--requirement': '-r', '-c': '-c', '--constraint': '-c', '-i': '--index-url', '-f': '--find-links' };
      const o = canon[opt] ?? opt;
      if (o === '-r' || o === '-c') out.options.set(`${keyPrefix}${o} ${value}`, { value, line: startLine });
      else if (REPEATABLE.has(o)) {
        // every line is kept: removing one --extra-index-url must show
        const prev = out.options.get(keyPrefix + o);
        const values = [...(prev?.values ?? []), { value, line: startLine }];
        out.options.set(keyPrefix + o, { value: values.map((v) => v.value).join(' '), line: prev?.line ?? startLine, values });
      } else out.options.set(keyPrefix + o, { value, line: startLine });
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
        ...(hashes ? { hashes } : {}),
      });
      continue;
    }
    const e = parseRequirement(l, startLine);
    if (!e) {
      // URL or path requirement without a name (e.g. "./pkg", "https://…/x.whl").
      if (/^(\.{0,2}\/|[a-z+]+:\/\/)/.test(l)) {
        const base = l.replace(/[#?;].*$/, '').replace(/\/+$/, '');
        const name = base.slice(base.lastIndexOf('/') + 1);
        out.entries.push({ key: keyPrefix + normalizePyName(name), name, ecosystem, spec: '', clauses: [], extras: [], source: l, line: startLine, ...(hashes ? { hashes } : {}) });
      } else out.problems.push({ message: `not a requirement: ${l.slice(0, 80)}`, line: startLine, column: 1 });
      continue;
    }
    e.key = keyPrefix + e.key;
    e.ecosystem = ecosystem === 'conda' ? 'pypi' : ecosystem;
    if (hashes) e.hashes = hashes;
    out.entries.push(e);
  }
  return out;
}

/** Options pip lets a file give several times; all of them count. */
const REPEATABLE = new Set(['--extra-index-url', '--find-links', '--trusted-host']);
