// The dependency diff: packages paired by normalised name, version movement, pin strictness, markers,
// extras, builds, sources and options (index URLs, includes, channels). Linear in the number of packages.
import type { Change, ChangeSeverity } from '../types';
import type { DepEntry, DepParse } from './types';
import { BLAS_RE, classifyBump, compareVersions, formatClauses, isNumericLib, lowerBounds, maxLower, minUpper, pinRank, upperBounds } from './versions';

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
