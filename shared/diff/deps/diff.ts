// The dependency diff: packages paired by normalised name, version movement, pin strictness, markers,
// extras, builds, sources and options (index URLs, includes, channels). Linear in the number of packages.
import type { Change, ChangeSeverity } from '../types';
import type { DepEntry, DepParse } from './types';
import type { DepOption } from './types';
import { BLAS_RE, compareVersions, formatClauses, isNumericLib, lowerBounds, markerKey, maxLower, minUpper, pinRank, specifierKey, upperBounds, versionChange, type VersionChangeKind } from './versions';

/** Same marker up to quoting, spacing and the order of and / or clauses. */
function sameMarker(x?: string, y?: string): boolean {
  if (x === y) return true;
  if (x === undefined || y === undefined) return false;
  return markerKey(x) === markerKey(y);
}

/** Same set of allowed versions (==2.0 ≡ ==2.0.0, clause order, duplicates). */
function sameSpec(x: DepEntry, y: DepEntry): boolean {
  return x.spec === y.spec || specifierKey(x.clauses) === specifierKey(y.clauses);
}

function sameVersion(x: DepEntry, y: DepEntry): boolean {
  if (x.version === y.version) return true;
  if (x.version === undefined || y.version === undefined) return false;
  return compareVersions(x.version, y.version, y.ecosystem) === 0 && localPart(x.version) === localPart(y.version);
}

const localPart = (v: string) => (/\+(.*)$/.exec(v)?.[1] ?? '').toLowerCase().replace(/[-_]/g, '.');
const sameList = (x?: string[], y?: string[]) => (x ?? []).join(' ') === (y ?? []).join(' ');

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
  take((x, y) => sameSpec(x, y) && sameMarker(x.marker, y.marker) && x.pythonVersions === y.pythonVersions && x.build === y.build);
  take((x, y) => sameSpec(x, y) && sameMarker(x.marker, y.marker));
  take((x, y) => x.marker !== undefined && sameMarker(x.marker, y.marker));
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

/** Severity per kind of version change (numeric / ML libraries weigh more; an accelerator build change is a warning). */
const VERSION_SEVERITY: Record<VersionChangeKind, (numeric: boolean, describe: string) => ChangeSeverity> = {
  major: (n) => sev(n, 'critical', 'warning'),
  minor: (n) => sev(n, 'warning', 'info'),
  patch: () => 'info',
  epoch: (n) => sev(n, 'critical', 'warning'),
  local: (n, d) => (n || /accelerator/.test(d) ? 'warning' : 'info'),
  'pre-release': (n, d) => (/→ final release/.test(d) ? 'info' : sev(n, 'warning', 'info')),
  'post-release': () => 'info',
  'dev-release': (n) => sev(n, 'warning', 'info'),
  calendar: () => 'info',
};

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
    sameVersion(b, a) &&
    sameSpec(b, a) &&
    sameMarker(b.marker, a.marker) &&
    b.build === a.build &&
    b.source === a.source &&
    sameList(b.hashes, a.hashes) &&
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
  if (b.version && a.version && !sameVersion(b, a) && (a.locked || b.locked || pinRank(a.clauses) >= 2 || pinRank(b.clauses) >= 2)) {
    const vc = versionChange(b.version, a.version, a.name, eco);
    const level = vc.kind === 'major' || vc.kind === 'minor' || vc.kind === 'patch' ? vc.kind : null;
    let severity = VERSION_SEVERITY[vc.kind](numeric, vc.describe);
    if (vc.toPrerelease && severity === 'info') severity = 'warning';
    const what = level ? `${vc.describe}${numeric ? ' of a numeric library' : ''}` : `${vc.describe}${numeric ? ' — numeric library' : ''}`;
    out.push(
      mk(`dependency.${vc.kind}`, severity, name, b.version, a.version, `${name} ${b.version} → ${a.version} — ${what}`, b, a, {
        direction: vc.direction,
        level: level ?? vc.kind,
        numeric,
        ecosystem: eco,
        name: a.name,
        versionBefore: b.version,
        ...markerParam,
      }),
    );
    versionReported = true;
  }
  // Hashes: the same version with other --hash values is a supply-chain change.
  if (!sameList(b.hashes, a.hashes) && (b.hashes?.length || a.hashes?.length)) {
    const hb = b.hashes ?? [];
    const ha = a.hashes ?? [];
    const params = { name: a.name, version: a.version ?? null, hashesBefore: hb, hashesAfter: ha };
    if (hb.length && ha.length && !versionReported) {
      const gone = hb.filter((h) => !ha.includes(h)).length;
      const fresh = ha.filter((h) => !hb.includes(h)).length;
      out.push(
        mk('dependency.hash-changed', 'critical', name, `${hb.length} hashes`, `${ha.length} hashes`,
          `${name}${a.version ? ' ' + a.version : ''} --hash values changed for the same version (${gone} removed, ${fresh} new) — supply-chain change`, b, a, params),
      );
    } else if (hb.length && !ha.length)
      out.push(mk('dependency.hash-removed', 'warning', name, `${hb.length} hashes`, null, `${name} no longer pinned by --hash (had ${hb.length})`, b, a, params));
    else if (!hb.length && ha.length) out.push(mk('dependency.hash-added', 'info', name, null, `${ha.length} hashes`, `${name} now pinned by --hash (${ha.length})`, b, a, params));
  }
  // Pin strictness (not for lockfiles).
  if (!a.locked && !b.locked && !sameSpec(b, a)) {
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
          ...(sameMarker(b.marker, a.marker) && marker ? { marker, markerUnchanged: true } : {}),
        }),
      );
    }
  }
  if (!sameMarker(b.marker, a.marker)) {
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
  // Options: -r/-c includes, index URLs, conda channels; repeatable options value by value.
  const listOf = (o?: DepOption) => (o ? (o.values ?? [{ value: o.value, line: o.line }]) : []);
  const optionParams = (k: string, v?: DepOption, w?: DepOption) => ({ option: k.replace(/^pip:/, ''), valuesBefore: listOf(v).map((x) => x.value), valuesAfter: listOf(w).map((x) => x.value) });
  for (const [k, v] of before.options) {
    const w = after.options.get(k);
    const supply = /index-url|find-links|channels|trusted-host/.test(k);
    const severity: ChangeSeverity = supply ? 'warning' : 'info';
    if (v.values || w?.values) {
      const vb = listOf(v);
      const va = listOf(w);
      const params = optionParams(k, v, w);
      for (const x of vb)
        if (!va.some((y) => y.value === x.value))
          out.push({ kind: 'dependency.option-removed', severity, failureClass: 'packaging', subject: k, before: x.value, after: null, message: `${k} ${x.value} removed`, lineBefore: x.line || undefined, params });
      for (const y of va)
        if (!vb.some((x) => x.value === y.value))
          out.push({ kind: 'dependency.option-added', severity, failureClass: 'packaging', subject: k, before: null, after: y.value, message: `${k} ${y.value} added`, lineAfter: y.line || undefined, params });
      const common = (xs: typeof vb, ys: typeof va) => xs.filter((x) => ys.some((y) => y.value === x.value)).map((x) => x.value).join(' ');
      if (common(vb, va) !== common(va, vb))
        out.push({ kind: 'dependency.option-reordered', severity: 'info', failureClass: 'packaging', subject: k, before: v.value, after: w?.value ?? null, message: `${k} order changed (pip tries indexes in order)`, lineBefore: v.line || undefined, lineAfter: w?.line || undefined, params });
      continue;
    }
    if (!w) {
      out.push({ kind: 'dependency.option-removed', severity, failureClass: 'packaging', subject: k, before: v.value, after: null, message: `${k}${k.includes(' ') ? '' : ' ' + v.value} removed`, lineBefore: v.line || undefined, params: optionParams(k, v, w) });
    } else if (w.value !== v.value) {
      out.push({ kind: 'dependency.option-changed', severity, failureClass: 'packaging', subject: k, before: v.value, after: w.value, message: `${k} changed: ${v.value} → ${w.value}`, lineBefore: v.line || undefined, lineAfter: w.line || undefined, params: optionParams(k, v, w) });
    }
  }
  for (const [k, w] of after.options) {
    if (before.options.has(k)) continue;
    const supply = /index-url|find-links|channels|trusted-host/.test(k);
    for (const y of listOf(w))
      out.push({ kind: 'dependency.option-added', severity: supply ? 'warning' : 'info', failureClass: 'packaging', subject: k, before: null, after: y.value, message: `${k}${k.includes(' ') ? '' : ' ' + y.value} added`, lineAfter: y.line || undefined, params: optionParams(k, undefined, w) });
  }
  // The Python range a lockfile supports.
  const pb = before.pythonVersions;
  const pa = after.pythonVersions;
  if ((pb || pa) && pb?.value !== pa?.value) {
    out.push({
      kind: 'dependency.python-versions-changed',
      severity: 'warning',
      failureClass: 'packaging',
      subject: 'python-versions',
      before: pb?.value ?? null,
      after: pa?.value ?? null,
      message: `supported Python versions changed: ${pb?.value ?? '(none)'} → ${pa?.value ?? '(none)'}`,
      lineBefore: pb?.line,
      lineAfter: pa?.line,
      params: { name: 'python', versionsBefore: pb?.value ?? null },
    });
  }
  for (const c of out) {
    if (c.lineBefore === undefined) delete c.lineBefore;
    if (c.lineAfter === undefined) delete c.lineAfter;
  }
  return out;
}
