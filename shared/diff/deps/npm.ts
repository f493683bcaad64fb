// package-lock.json / npm-shrinkwrap.json, lockfile v1 (`dependencies`) and v2/v3 (`packages`).
import { jsonProblem } from '../detect';
import { newParse, type DepEntry, type DepParse } from './types';

interface NpmPkg {
  version?: unknown;
  resolved?: unknown;
  link?: unknown;
  dependencies?: Record<string, NpmPkg>;
}
type LockDoc = { packages?: Record<string, NpmPkg>; dependencies?: Record<string, NpmPkg> };

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

/** The document, or null with the JSON problem in `out` (fatal). */
function parseDoc(text: string, out: DepParse): LockDoc | null {
  try {
    return JSON.parse(text) as LockDoc;
  } catch (err) {
    out.problems.push(jsonProblem(text, err));
    out.fatal = true;
    return null;
  }
}

/**
 * The packages of a lockfile as [install path, package] in the order they are listed (`packages`, else
 * the v1 nested `dependencies`); null when the v1 form is refused (the problem is in `out`, fatal).
 */
function lockPackages(doc: LockDoc, text: string, out: DepParse): Array<[string, NpmPkg]> | null {
  const list: Array<[string, NpmPkg]> = [];
  if (doc && typeof doc.packages === 'object' && doc.packages) {
    for (const [path, p] of Object.entries(doc.packages)) {
      if (path === '' || !p || typeof p !== 'object') continue;
      list.push([path, p]);
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
        list.push([path, p]);
        if (p.dependencies && typeof p.dependencies === 'object') {
          const refused = walk(p.dependencies, path + '/', depth + 1);
          if (refused) return refused;
        }
      }
      return null;
    };
    const refused = walk(doc.dependencies, '', 1);
    if (refused) {
      out.problems.push({ message: refused });
      out.fatal = true;
      return null;
    }
  }
  return list;
}

const versionOf = (p: NpmPkg) => (typeof p.version === 'string' ? p.version : undefined);
const sourceOf = (p: NpmPkg) => (p.link === true && typeof p.resolved === 'string' ? 'link ' + p.resolved : undefined);

/** Line of each `"key": {` (one pass over the lines, no regex over the whole text). */
function keyLines(text: string): Map<string, number> {
  const lineOf = new Map<string, number>();
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
  return lineOf;
}

/** The entries of `packages` into `out` (lines from the text). */
function addEntries(out: DepParse, packages: Array<[string, NpmPkg]>, text: string): void {
  if (!packages.length) return;
  const lineOf = keyLines(text);
  for (const [path, p] of packages) {
    const version = versionOf(p);
    const e: DepEntry = {
      key: path,
      name: npmDisplay(path),
      ecosystem: 'npm',
      spec: version ? '==' + version : '',
      clauses: version ? [{ op: '==', version }] : [],
      extras: [],
      locked: true,
    };
    if (version) e.version = version;
    const source = sourceOf(p);
    if (source) e.source = source;
    const l = lineOf.get(path) ?? lineOf.get(path.replace(/^.*node_modules\//, ''));
    if (l) e.line = l;
    out.entries.push(e);
  }
}

/** package-lock.json / npm-shrinkwrap.json, lockfile v1 (`dependencies`) and v2/v3 (`packages`). */
export function parsePackageLock(text: string): DepParse {
  const out = newParse('npm');
  const doc = parseDoc(text, out);
  if (!doc) return out;
  const packages = lockPackages(doc, text, out);
  if (packages) addEntries(out, packages, text);
  return out;
}

/**
 * Both sides of a package-lock diff, without the packages that are the same on both (the same install
 * path, version and link): the dependency diff finds no change in those (a locked entry differs only by
 * version or source), so it gets the same changes, in the same order, from far fewer entries (issue 14:
 * a CI lockfile diff changes a few dozen of thousands). Problems and fatal errors as parsePackageLock.
 */
export function parsePackageLockPair(before: string, after: string): [DepParse, DepParse] {
  const ob = newParse('npm');
  const oa = newParse('npm');
  const db = parseDoc(before, ob);
  const da = parseDoc(after, oa);
  const pb = db && lockPackages(db, before, ob);
  const pa = da && lockPackages(da, after, oa);
  if (!pb || !pa) {
    // One side does not parse: the other is parsed whole, as on its own.
    if (pb) addEntries(ob, pb, before);
    if (pa) addEntries(oa, pa, after);
    return [ob, oa];
  }
  const sig = (p: NpmPkg) => `${versionOf(p) ?? '\u0000'}\u0000${sourceOf(p) ?? ''}`;
  const afterSig = new Map<string, string>();
  for (const [path, p] of pa) afterSig.set(path, sig(p));
  const same = new Set<string>();
  for (const [path, p] of pb) if (afterSig.get(path) === sig(p)) same.add(path);
  addEntries(ob, same.size ? pb.filter(([path]) => !same.has(path)) : pb, before);
  addEntries(oa, same.size ? pa.filter(([path]) => !same.has(path)) : pa, after);
  return [ob, oa];
}
