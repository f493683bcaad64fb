// Model metadata diff: feature_order mismatches with positions, features added/removed, scaler /
// normalisation parameter deltas; the remaining fields as a config diff. Pure TypeScript.
import type { FailureClass } from '../domain';
import { canonical, diffNode, parseJsonTree, pathString, type CNode, type Ctx, type Seg } from './config';
import { diffText } from './text';
import type { Change, ChangeSeverity, DiffResult, ParseProblem } from './types';
import { redactText } from '../redact/index';

const FEATURE_KEYS = ['feature_order', 'feature_names', 'feature_names_in_', 'input_features', 'features', 'feature_columns', 'columns', 'inputs'];
const SCALER_KEY = /^(scalers?|scaler_params|normali[sz]ation|normali[sz]er|normali[sz]ation_params|standard_scaler|standardi[sz]ation|standardi[sz]er|preprocessing|preprocessor|min_max_scaler|minmax_scaler|robust_scaler|feature_stats|transform(er)?|imputer)$/i;
const PARAM_KEY = /^(mean_?|means|scale_?|std|stdev|std_dev|sigma|var_?|variance|min_?|max_?|data_min_|data_max_|data_range_|center_?|median|iqr|loc|offset|shift|statistics_|fill_values?|lambdas_)$/i;

/** Failure classes used here: feature order / set mismatches are serving-side skew; a refit scaler is training. */
const FC_FEATURES: FailureClass = 'serving';
const FC_SCALER: FailureClass = 'training';
const FC_OTHER: FailureClass = 'training';

interface FeatureList {
  path: Seg[];
  node: CNode;
  names: string[];
}

function featureName(n: CNode): string | null {
  if (n.t === 'scalar' && n.value !== null) return String(n.value);
  if (n.t === 'map') {
    const v = n.map!.get('name') ?? n.map!.get('feature') ?? n.map!.get('column');
    if (v && v.t === 'scalar' && v.value !== null) return String(v.value);
  }
  return null;
}

function asFeatureList(path: Seg[], n: CNode | undefined): FeatureList | null {
  if (!n || n.t !== 'seq' || n.items!.length === 0) return null;
  const names: string[] = [];
  for (const it of n.items!) {
    const f = featureName(it);
    if (f === null) return null;
    names.push(f);
  }
  return { path, node: n, names };
}

/** Find the feature list (top level, then one level down). */
export function findFeatureList(root: CNode): FeatureList | null {
  if (root.t !== 'map') return null;
  for (const k of FEATURE_KEYS) {
    const f = asFeatureList([k], root.map!.get(k));
    if (f) return f;
  }
  for (const [k, v] of root.map!) {
    if (v.t !== 'map') continue;
    for (const fk of FEATURE_KEYS) {
      const f = asFeatureList([k, fk], v.map!.get(fk));
      if (f) return f;
    }
  }
  return null;
}

function isNumSeq(n: CNode): boolean {
  return n.t === 'seq' && n.items!.length > 0 && n.items!.every((x) => x.t === 'scalar' && typeof x.value === 'number');
}

function fmtNum(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(3) : String(Number(x.toPrecision(6)));
}

function relDelta(b: number, a: number): number {
  if (b === a) return 0;
  const denom = Math.max(Math.abs(b), Math.abs(a), 1e-12);
  return Math.abs(a - b) / denom;
}

/** Relative change of a scaler parameter from which it is a warning (and the generated test's tolerance). */
export const SCALER_TOLERANCE = 0.05;

function severityForDelta(rel: number): ChangeSeverity {
  return rel >= 0.5 ? 'critical' : rel >= SCALER_TOLERANCE ? 'warning' : 'info';
}

const MAX_PER_PARAM = 10;

function diffParamArray(b: CNode, a: CNode, path: Seg[], fb: FeatureList | null, fa: FeatureList | null, out: Change[]): void {
  const vb = b.items!.map((x) => x.value as number);
  const va = a.items!.map((x) => x.value as number);
  const p = pathString(path);
  if (vb.length !== va.length && !(fb && fa && fb.names.length === vb.length && fa.names.length === va.length)) {
    out.push({
      kind: 'model.scaler-shape-changed',
      severity: 'critical',
      failureClass: FC_SCALER,
      subject: p,
      before: vb.length,
      after: va.length,
      message: `${p} has ${vb.length} values → ${va.length} values`,
      lineBefore: b.line,
      lineAfter: a.line,
      params: { path: p, valueBefore: vb, tolerance: SCALER_TOLERANCE },
    });
    return;
  }
  // Pair by feature name when both sides label their arrays; otherwise by position.
  const pairs: Array<{ label: string; b: number; a: number; ib: number; ia: number }> = [];
  const byName = !!(fb && fa && fb.names.length === vb.length && fa.names.length === va.length);
  if (fb && fa && byName) {
    const ia = new Map(fa.names.map((n, i) => [n, i]));
    fb.names.forEach((n, i) => {
      const j = ia.get(n);
      if (j !== undefined) pairs.push({ label: n, b: vb[i], a: va[j], ib: i, ia: j });
    });
  } else {
    const names = fa && fa.names.length === va.length ? fa.names : fb && fb.names.length === vb.length ? fb.names : null;
    for (let i = 0; i < vb.length; i++) pairs.push({ label: names ? names[i] : String(i), b: vb[i], a: va[i], ib: i, ia: i });
  }
  const changed = pairs.map((x) => ({ ...x, rel: relDelta(x.b, x.a) })).filter((x) => x.rel > 1e-12);
  if (changed.length === 0) return;
  changed.sort((x, y) => y.rel - x.rel);
  const shown = changed.slice(0, MAX_PER_PARAM);
  for (const c of shown) {
    const pct = c.b !== 0 ? ((c.a - c.b) / Math.abs(c.b)) * 100 : null;
    out.push({
      kind: 'model.scaler-param-changed',
      severity: severityForDelta(c.rel),
      failureClass: FC_SCALER,
      subject: `${p}[${c.label}]`,
      before: c.b,
      after: c.a,
      message: `${p}[${c.label}] ${fmtNum(c.b)} → ${fmtNum(c.a)}${pct !== null ? ` (${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%)` : ''}`,
      lineBefore: b.items![c.ib].line ?? b.line,
      lineAfter: a.items![c.ia].line ?? a.line,
      // a test finds the feature's value the same way: by its position in the file's own feature list
      params: byName
        ? { feature: c.label, relativeDelta: c.rel, param: p, path: p, featureList: pathString((fa as FeatureList).path), valueBefore: c.b, tolerance: SCALER_TOLERANCE }
        : { feature: c.label, relativeDelta: c.rel, param: p, path: `${p}[${c.ib}]`, valueBefore: c.b, tolerance: SCALER_TOLERANCE },
    });
  }
  if (changed.length > MAX_PER_PARAM) {
    out.push({
      kind: 'model.scaler-changed',
      severity: severityForDelta(changed[0].rel),
      failureClass: FC_SCALER,
      subject: p,
      before: null,
      after: null,
      message: `${p}: ${changed.length} of ${pairs.length} features changed (largest relative change ${(changed[0].rel * 100).toFixed(1)}% on ${changed[0].label})`,
      lineBefore: b.line,
      lineAfter: a.line,
      params: { changed: changed.length, total: pairs.length, maxRelativeDelta: changed[0].rel, path: p, valueBefore: vb, tolerance: SCALER_TOLERANCE },
    });
  }
}

/** Walk a scaler subtree pair; numeric arrays and leaves get relative deltas, the rest is left to the generic diff. */
function walkScaler(b: CNode, a: CNode, path: Seg[], fb: FeatureList | null, fa: FeatureList | null, out: Change[], skip: Set<string>, depth: number): void {
  if (depth > 6) return;
  if (isNumSeq(b) && isNumSeq(a)) {
    diffParamArray(b, a, path, fb, fa, out);
    skip.add(pathString(path));
    return;
  }
  if (b.t === 'scalar' && a.t === 'scalar' && typeof b.value === 'number' && typeof a.value === 'number') {
    const rel = relDelta(b.value, a.value);
    skip.add(pathString(path));
    if (rel <= 1e-12) return;
    const p = pathString(path);
    const pct = b.value !== 0 ? ((a.value - b.value) / Math.abs(b.value)) * 100 : null;
    out.push({
      kind: 'model.scaler-param-changed',
      severity: severityForDelta(rel),
      failureClass: FC_SCALER,
      subject: p,
      before: b.value,
      after: a.value,
      message: `${p} ${fmtNum(b.value)} → ${fmtNum(a.value)}${pct !== null ? ` (${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%)` : ''}`,
      ...(b.line ? { lineBefore: b.line } : {}),
      ...(a.line ? { lineAfter: a.line } : {}),
      params: { relativeDelta: rel, path: p, valueBefore: b.value, tolerance: SCALER_TOLERANCE },
    });
    return;
  }
  if (b.t === 'map' && a.t === 'map') {
    for (const [k, x] of b.map!) {
      const y = a.map!.get(k);
      if (y) walkScaler(x, y, [...path, k], fb, fa, out, skip, depth + 1);
    }
  }
}

function findScalerRoots(root: CNode): Seg[][] {
  const res: Seg[][] = [];
  const visit = (n: CNode, path: Seg[], depth: number) => {
    if (n.t !== 'map' || depth > 3) return;
    for (const [k, v] of n.map!) {
      if (SCALER_KEY.test(k) || (PARAM_KEY.test(k) && (isNumSeq(v) || v.t === 'map'))) res.push([...path, k]);
      else visit(v, [...path, k], depth + 1);
    }
  };
  visit(root, [], 0);
  return res;
}

function at(root: CNode, path: Seg[]): CNode | undefined {
  let cur: CNode | undefined = root;
  for (const p of path) {
    if (!cur || cur.t !== 'map' || typeof p !== 'string') return undefined;
    cur = cur.map!.get(p);
  }
  return cur;
}

function runs(positions: number[]): Array<[number, number]> {
  const r: Array<[number, number]> = [];
  for (const p of positions) {
    const last = r[r.length - 1];
    if (last && p === last[1] + 1) last[1] = p;
    else r.push([p, p]);
  }
  return r;
}

const MAX_RUNS = 5;

/** Feature list comparison: removed / added features and order mismatches (0-based positions). */
function diffFeatures(fb: FeatureList, fa: FeatureList, out: Change[]): void {
  const p = pathString(fa.path);
  const setB = new Set(fb.names);
  const setA = new Set(fa.names);
  fb.names.forEach((n, i) => {
    if (!setA.has(n))
      out.push({
        kind: 'model.feature-removed',
        severity: 'critical',
        failureClass: FC_FEATURES,
        subject: n,
        before: n,
        after: null,
        message: `feature ${n} removed from ${p} (was position ${i})`,
        ...(fb.node.items![i].line ? { lineBefore: fb.node.items![i].line } : {}),
        ...(fa.node.line ? { lineAfter: fa.node.line } : {}),
        params: { position: i, indexBase: 0 },
      });
  });
  fa.names.forEach((n, i) => {
    if (!setB.has(n))
      out.push({
        kind: 'model.feature-added',
        severity: 'warning',
        failureClass: FC_FEATURES,
        subject: n,
        before: null,
        after: n,
        message: `feature ${n} added to ${p} at position ${i}`,
        ...(fb.node.line ? { lineBefore: fb.node.line } : {}),
        ...(fa.node.items![i].line ? { lineAfter: fa.node.items![i].line } : {}),
        params: { position: i, indexBase: 0 },
      });
  });
  if (fb.names.length !== fa.names.length && setB.size === fb.names.length && setA.size === fa.names.length) {
    out.push({
      kind: 'model.feature-count-changed',
      severity: 'critical',
      failureClass: FC_FEATURES,
      subject: p,
      before: fb.names.length,
      after: fa.names.length,
      message: `${p} length ${fb.names.length} → ${fa.names.length} — input vector shape changed`,
      ...(fb.node.line ? { lineBefore: fb.node.line } : {}),
      ...(fa.node.line ? { lineAfter: fa.node.line } : {}),
    });
  }
  // Order: same set → compare positions; otherwise the relative order of the common features.
  const sameSet = fb.names.length === fa.names.length && fb.names.every((n) => setA.has(n)) && fa.names.every((n) => setB.has(n));
  const cb = sameSet ? fb.names : fb.names.filter((n) => setA.has(n));
  const ca = sameSet ? fa.names : fa.names.filter((n) => setB.has(n));
  const diffPos: number[] = [];
  for (let i = 0; i < Math.min(cb.length, ca.length); i++) if (cb[i] !== ca[i]) diffPos.push(i);
  if (diffPos.length === 0) return;
  const rs = runs(diffPos);
  const label = sameSet ? 'positions' : 'positions among common features';
  rs.slice(0, MAX_RUNS).forEach(([s, e]) => {
    const before = cb.slice(s, e + 1);
    const after = ca.slice(s, e + 1);
    const where = s === e ? `${label.replace('positions', 'position')} ${s}` : `${label} ${s}–${e}`;
    const idxA = sameSet ? s : fa.names.indexOf(ca[s]);
    const idxB = sameSet ? s : fb.names.indexOf(cb[s]);
    out.push({
      kind: 'model.feature-order-changed',
      severity: 'critical',
      failureClass: FC_FEATURES,
      subject: `${p}[${s}${e > s ? '–' + e : ''}]`,
      before: `[${before.join(',')}]`,
      after: `[${after.join(',')}]`,
      message: `${p} differs at ${where}: [${before.join(',')}] → [${after.join(',')}]`,
      ...(fb.node.items![idxB]?.line ? { lineBefore: fb.node.items![idxB].line } : {}),
      ...(fa.node.items![idxA]?.line ? { lineAfter: fa.node.items![idxA].line } : {}),
      params: { start: s, end: e, indexBase: 0, before, after },
    });
  });
  if (rs.length > MAX_RUNS)
    out.push({
      kind: 'model.feature-order-changed',
      severity: 'critical',
      failureClass: FC_FEATURES,
      subject: p,
      before: null,
      after: null,
      message: `${p}: ${diffPos.length} positions differ in ${rs.length} blocks (first ${MAX_RUNS} listed)`,
      params: { positions: diffPos.length, blocks: rs.length },
    });
}

/** Diff two parsed model-metadata trees. */
export function diffModelMetadataTrees(b: CNode, a: CNode): Change[] {
  const out: Change[] = [];
  const skip = new Set<string>();
  const fb = findFeatureList(b);
  const fa = findFeatureList(a);
  if (fb && fa) {
    diffFeatures(fb, fa, out);
    // Attributes of object-shaped features (dtype…) compared per name.
    if (fb.node.items!.some((x) => x.t === 'map') || fa.node.items!.some((x) => x.t === 'map')) {
      const ia = new Map(fa.names.map((n, i) => [n, fa.node.items![i]]));
      fb.names.forEach((n, i) => {
        const y = ia.get(n);
        const x = fb.node.items![i];
        if (y && canonical(x) !== canonical(y)) {
          const ctx: Ctx = { out, failureClass: FC_FEATURES };
          diffNode(x, y, [...fa.path, { id: n }], ctx);
        }
      });
    }
    skip.add(pathString(fb.path));
    skip.add(pathString(fa.path));
  }
  for (const path of findScalerRoots(b)) {
    const x = at(b, path);
    const y = at(a, path);
    if (x && y) walkScaler(x, y, path, fb, fa, out, skip, 0);
  }
  const ctx: Ctx = { out, failureClass: FC_OTHER, skip };
  diffNode(b, a, [], ctx);
  // tell the generators which file these came from (their tests read PMW_MODEL_METADATA, not PMW_CONFIG),
  // and give feature changes the whole last-known-good order
  for (const c of out) {
    c.params = { ...(c.params ?? {}), artifact: 'model-metadata' };
    if (c.kind.startsWith('model.feature') && fb) c.params.featureOrderBefore = fb.names;
  }
  return out;
}

/** Semantic diff of two model-metadata JSON texts (malformed JSON → problems + text diff). */
export function diffModelMetadataTexts(before: string, after: string): DiffResult {
  const pb = parseJsonTree(before);
  const pa = parseJsonTree(after);
  const problems: ParseProblem[] = [
    ...pb.problems.map((p) => ({ ...p, side: 'before' as const })),
    ...pa.problems.map((p) => ({ ...p, side: 'after' as const })),
  ];
  if (pb.fatal || pa.fatal) {
    const t = diffText(redactText(before, { fingerprints: true }), redactText(after, { fingerprints: true }), { kind: 'model-metadata', failureClass: FC_OTHER });
    return { kind: 'model-metadata', changes: t.changes, problems, noSemanticChange: false, ...(problems[0] ? { parseError: problems[0] } : {}) };
  }
  const empty: CNode = { t: 'map', map: new Map() };
  const changes = diffModelMetadataTrees(pb.root ?? empty, pa.root ?? empty);
  return { kind: 'model-metadata', changes, problems, noSemanticChange: changes.length === 0 };
}
