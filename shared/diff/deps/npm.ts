// package-lock.json / npm-shrinkwrap.json, lockfile v1 (`dependencies`) and v2/v3 (`packages`).
import { jsonProblem } from '../detect';
import { newParse, type DepEntry, type DepParse } from './types';

interface NpmPkg {
  version?: unknown;
  resolved?: unknown;
  link?: unknown;
  dependencies?: Record<string, NpmPkg>;
}

/** Limits of the v1 nested `dependencies` form (lockfileVersion 1). */
const MAX_V1_DEPTH = 200;
const PATH_CHARS_PER_BYTE = 16;

function npmDisplay(path: string): string {
  // The common case, a hoisted package (node_modules/x or node_modules/@s/x): what the split below gives.
  if (path.startsWith('node_modules/')) {
    const rest = path.slice(13);
    if (rest !== '' && !rest.includes('node_modules/') && !rest.endsWith('/')) return rest;
  }
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
    // Every nested package's path repeats its parents' names: a hostile file (nested thousands deep, or
    // long names nested) would make the paths quadratic in its size. Real lockfiles nest a few levels.
    let chars = PATH_CHARS_PER_BYTE * text.length + 65_536;
    const walk = (deps: Record<string, NpmPkg>, prefix: string, depth: number): string | null => {
      for (const [name, p] of Object.entries(deps)) {
        if (!p || typeof p !== 'object') continue;
        if (depth > MAX_V1_DEPTH) return `"dependencies" nested deeper than ${MAX_V1_DEPTH} levels; not parsed`;
        const path = `${prefix}node_modules/${name}`;
        chars -= path.length;
        if (chars < 0) return `package paths longer in all than ${PATH_CHARS_PER_BYTE}× the file; not parsed`;
        push(path, p);
        if (p.dependencies && typeof p.dependencies === 'object') {
          const refused = walk(p.dependencies, path + '/', depth + 1);
          if (refused) return refused;
        }
      }
      return null;
    };
    const refused = walk(doc.dependencies, '', 1);
    if (refused) {
      out.entries.length = 0;
      out.problems.push({ message: refused });
      out.fatal = true;
    }
  }
  return out;
}
