// conda environment.yml (with its nested pip: list) and `conda list --export`, conda match specs.
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { parseRequirements } from './pip';
import { newParse, type Clause, type DepEntry, type DepParse } from './types';
import { exactVersion, formatClauses, parseSpecifier } from './versions';

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
