// Structured config diff: JSON and (multi-document) YAML, Kubernetes resources keyed by
// kind/namespace/name, path-level changes with line numbers. Pure TypeScript.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, Tags } from 'yaml';
import type { FailureClass } from '../domain';
import { jsonProblem } from './detect';
import { jsonTooDeep, MAX_DOCUMENT_DEPTH, MAX_YAML_ALIAS_COUNT } from '../limits';
import { envChange, maskSide, secretNote, type MaskedSide } from './env';
import { MASK, redactText } from '../redact/index';
import { diffImageRefs } from './imageref';
import { diffText } from './text';
import type { Change, ChangeSeverity, DiffResult, ParseProblem } from './types';

// ---------------------------------------------------------------------------------------------
// Tree with line numbers
// ---------------------------------------------------------------------------------------------

export type Scalar = string | number | boolean | null;

export interface CNode {
  t: 'map' | 'seq' | 'scalar';
  /** 1-based line (for map entries: the line of the key). */
  line?: number;
  map?: Map<string, CNode>;
  items?: CNode[];
  value?: Scalar;
  /** An integer beyond 2^53: `value` holds its exact digits. */
  int?: true;
}

export interface ConfigDoc {
  /** "Deployment/default/web" for Kubernetes resources, "document 2" for others, "" for a single document. */
  key: string;
  root: CNode;
  k8s?: { kind: string; namespace: string; name: string };
}

export interface ConfigParse {
  docs: ConfigDoc[];
  problems: ParseProblem[];
  fatal?: boolean;
  /** Read with Kubernetes' YAML rules (the file holds Kubernetes objects). */
  kubernetes?: boolean;
}

function scalarOf(v: unknown): Scalar {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** A scalar node; integers beyond 2^53 keep their exact digits (flagged `int`). */
function scalarNode(v: unknown, line?: number): CNode {
  const n: CNode = { t: 'scalar', value: scalarOf(v), line };
  if (typeof v === 'bigint' && !Number.isSafeInteger(Number(v))) n.int = true;
  return n;
}

/**
 * How Kubernetes reads YAML (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1 scalars — yes/no/on/off/y/n
 * are booleans, 0644 is octal (420), 0x1F hex — but no sexagesimal numbers and no timestamps (both
 * stay text). Integers are read exactly (beyond 2^53 too).
 */
export const KUBERNETES_YAML = {
  version: '1.1' as const,
  intAsBigInt: true,
  customTags: (tags: Tags) => tags.filter((t) => !(typeof t === 'object' && ('format' in t && t.format === 'TIME' || t.tag === 'tag:yaml.org,2002:timestamp'))),
};

/** True when a parsed document is a Kubernetes object (apiVersion and kind at its top). */
function looksKubernetes(d: Document): boolean {
  const c = d.contents;
  return isMap(c) && c.has('apiVersion') && c.has('kind');
}

/** Plain JS value → CNode (no line numbers). */
export function fromJs(v: unknown): CNode {
  if (Array.isArray(v)) return { t: 'seq', items: v.map(fromJs) };
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const map = new Map<string, CNode>();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) map.set(k, fromJs(x));
    return { t: 'map', map };
  }
  return { t: 'scalar', value: scalarOf(v) };
}

/** CNode → plain JS value. */
export function toJs(n: CNode | undefined): unknown {
  if (!n) return undefined;
  if (n.t === 'scalar') return n.value;
  if (n.t === 'seq') return (n.items ?? []).map(toJs);
  const o: Record<string, unknown> = {};
  for (const [k, v] of n.map ?? []) o[k] = toJs(v);
  return o;
}

function fromYaml(node: unknown, doc: Document, lc: LineCounter, depth = 0): CNode {
  if (depth > 200) return { t: 'scalar', value: '…' };
  if (isAlias(node)) {
    const target = node.resolve(doc);
    return target ? fromYaml(target, doc, lc, depth + 1) : { t: 'scalar', value: null };
  }
  const line = (node as YamlNode | null)?.range ? lc.linePos((node as YamlNode).range![0]).line : undefined;
  if (isMap(node)) {
    const map = new Map<string, CNode>();
    const merges: CNode[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = isScalar(pair.key) ? String(pair.key.value) : pair.key == null ? '' : String(pair.key);
      const child = pair.value == null ? { t: 'scalar' as const, value: null } : fromYaml(pair.value, doc, lc, depth + 1);
      const keyLine = (pair.key as YamlNode | null)?.range ? lc.linePos((pair.key as YamlNode).range![0]).line : child.line;
      if (k === '<<' && (child.t === 'map' || child.t === 'seq')) {
        if (child.t === 'map') merges.push(child);
        else for (const it of child.items ?? []) if (it.t === 'map') merges.push(it);
        continue;
      }
      map.set(k, { ...child, line: keyLine ?? child.line });
    }
    for (const m of merges) for (const [k, v] of m.map ?? []) if (!map.has(k)) map.set(k, v);
    return { t: 'map', map, line };
  }
  if (isSeq(node)) return { t: 'seq', items: node.items.map((x) => fromYaml(x, doc, lc, depth + 1)), line };
  if (isScalar(node)) return scalarNode(node.value, line);
  return { t: 'scalar', value: null, line };
}

function get(n: CNode | undefined, ...keys: string[]): CNode | undefined {
  let cur = n;
  for (const k of keys) {
    if (!cur || cur.t !== 'map') return undefined;
    cur = cur.map!.get(k);
  }
  return cur;
}

function str(n: CNode | undefined): string | undefined {
  return n && n.t === 'scalar' && n.value !== null ? String(n.value) : undefined;
}

function keyDocs(roots: CNode[]): ConfigDoc[] {
  const docs: ConfigDoc[] = [];
  const expand = (root: CNode, i: number) => {
    const kind = str(get(root, 'kind'));
    const apiVersion = str(get(root, 'apiVersion'));
    const items = get(root, 'items');
    if (kind && apiVersion && /List$/.test(kind) && items?.t === 'seq') {
      items.items!.forEach((it, j) => expand(it, i * 1000 + j));
      return;
    }
    if (kind && apiVersion) {
      const name = str(get(root, 'metadata', 'name')) ?? str(get(root, 'metadata', 'generateName')) ?? `#${i + 1}`;
      const namespace = str(get(root, 'metadata', 'namespace')) ?? 'default';
      docs.push({ key: `${kind}/${namespace}/${name}`, root, k8s: { kind, namespace, name } });
    } else docs.push({ key: `document ${docs.length + 1}`, root });
  };
  roots.forEach(expand);
  // Disambiguate duplicate keys.
  const seen = new Map<string, number>();
  for (const d of docs) {
    const n = (seen.get(d.key) ?? 0) + 1;
    seen.set(d.key, n);
    if (n > 1) d.key = `${d.key}#${n}`;
  }
  if (docs.length === 1 && !docs[0].k8s) docs[0].key = '';
  return docs;
}

/** Offset of the first node nested deeper than `limit` (aliases not followed), or null. Iterative. */
function yamlTooDeep(root: unknown, limit: number): number | null {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [n, depth] = stack.pop()!;
    if (!isMap(n) && !isSeq(n)) continue;
    if (depth >= limit) return (n as YamlNode).range?.[0] ?? 0;
    for (const it of n.items as unknown[]) stack.push([isPair(it) ? it.value : it, depth + 1]);
  }
  return null;
}

/** Parse YAML (all documents) into keyed trees. */
export function parseYamlConfig(text: string): ConfigParse {
  let lc = new LineCounter();
  const problems: ParseProblem[] = [];
  const flowDeep = jsonTooDeep(text, MAX_DOCUMENT_DEPTH, true);
  if (flowDeep) {
    return { docs: [], problems: [{ message: `YAML nested deeper than ${MAX_DOCUMENT_DEPTH} levels (line ${flowDeep.line}, column ${flowDeep.column}); not parsed`, line: flowDeep.line, column: flowDeep.column }], fatal: true };
  }
  let all: Document[];
  let kubernetes = false;
  try {
    all = parseAllDocuments(text, { lineCounter: lc, prettyErrors: true, intAsBigInt: true }) as unknown as Document[];
    if (Array.isArray(all) && all.some(looksKubernetes)) {
      // a Kubernetes manifest: read it again the way the cluster will
      kubernetes = true;
      lc = new LineCounter();
      all = parseAllDocuments(text, { lineCounter: lc, prettyErrors: true, ...KUBERNETES_YAML }) as unknown as Document[];
    }
  } catch (err) {
    return { docs: [], problems: [{ message: `YAML: ${String((err as Error).message ?? err)}` }], fatal: true };
  }
  if (!Array.isArray(all)) all = [];
  let fatal = false;
  const roots: CNode[] = [];
  for (const d of all) {
    for (const e of d.errors) {
      const lp = e.linePos?.[0];
      problems.push({ message: `YAML: ${e.message.split('\n')[0]}${lp ? ` (line ${lp.line}, column ${lp.col})` : ''}`, line: lp?.line, column: lp?.col });
      fatal = true;
    }
    for (const w of d.warnings) {
      const lp = w.linePos?.[0];
      problems.push({ message: `YAML warning: ${w.message.split('\n')[0]}`, line: lp?.line, column: lp?.col });
    }
    if (d.contents === null || d.contents === undefined) continue;
    if (isScalar(d.contents) && d.contents.value === null && !d.contents.source) continue; // empty document
    // Nesting is bounded before the (recursive) walk.
    const deepAt = yamlTooDeep(d.contents, MAX_DOCUMENT_DEPTH);
    if (deepAt !== null) {
      const lp = lc.linePos(deepAt);
      problems.push({ message: `YAML nested deeper than ${MAX_DOCUMENT_DEPTH} levels (line ${lp.line}, column ${lp.col}); not parsed`, line: lp.line, column: lp.col });
      return { docs: [], problems, fatal: true };
    }
    // Aliases expand when walked: let the yaml library's alias-count guard refuse an alias bomb first.
    if (text.includes('*')) {
      try {
        d.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
      } catch (err) {
        const msg = String((err as Error).message ?? err);
        if (/alias/i.test(msg)) {
          problems.push({ message: `YAML: refused to expand the aliases (${msg}; more than ${MAX_YAML_ALIAS_COUNT} alias expansions)` });
          return { docs: [], problems, fatal: true };
        }
      }
    }
    roots.push(fromYaml(d.contents, d, lc));
  }
  if (fatal) return { docs: [], problems, fatal };
  return kubernetes ? { docs: keyDocs(roots), problems, kubernetes } : { docs: keyDocs(roots), problems };
}

/** Parse JSON into a tree with line numbers (via yaml's JSON-compatible parser for positions). */
export function parseJsonTree(text: string): { root: CNode | null; problems: ParseProblem[]; fatal?: boolean } {
  if (text.trim() === '') return { root: null, problems: [] };
  const deep = jsonTooDeep(text, MAX_DOCUMENT_DEPTH);
  if (deep) {
    return { root: null, problems: [{ message: `JSON nested deeper than ${MAX_DOCUMENT_DEPTH} levels (line ${deep.line}, column ${deep.column}); not parsed`, line: deep.line, column: deep.column }], fatal: true };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { root: null, problems: [jsonProblem(text, err)], fatal: true };
  }
  if (text.length <= 2_000_000) {
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: false, intAsBigInt: true });
    if (doc.errors.length === 0 && doc.contents) return { root: fromYaml(doc.contents, doc as unknown as Document, lc), problems: [] };
  }
  return { root: fromJs(value), problems: [] };
}

export function parseJsonConfig(text: string): ConfigParse {
  const r = parseJsonTree(text);
  if (r.fatal) return { docs: [], problems: r.problems, fatal: true };
  if (!r.root) return { docs: [], problems: r.problems };
  return { docs: keyDocs([r.root]), problems: r.problems };
}

// ---------------------------------------------------------------------------------------------
// Diff
// ---------------------------------------------------------------------------------------------

export type Seg = string | { id: string } | number;

/** Human path: spec.template.spec.containers[web].image */
export function pathString(path: Seg[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (typeof p === 'object') s += `[${p.id}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(p)) s += (s ? '.' : '') + p;
    else s += `[${JSON.stringify(p)}]`;
  }
  return s || '(root)';
}

/** Stable JSON (sorted keys) of a node. */
export function canonical(n: CNode | undefined): string {
  if (!n) return 'undefined';
  if (n.t === 'scalar') return n.int ? `${n.value}n` : JSON.stringify(n.value);
  if (n.t === 'seq') return '[' + n.items!.map(canonical).join(',') + ']';
  const keys = [...n.map!.keys()].sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical(n.map!.get(k))).join(',') + '}';
}

/** A scalar's secret part, masked (null for non-strings and values without a secret). */
function secretSide(n: CNode | undefined, key: string | undefined, maskAll = false): MaskedSide | null {
  if (!n || n.t !== 'scalar' || n.value === null) return maskAll && n ? { shown: MASK, fingerprint: null } : null;
  const v = n.value;
  if (maskAll) return maskSide(String(v), null, true);
  if (typeof v === 'boolean') return null;
  const m = maskSide(String(v), key ?? null);
  return m.fingerprint ? m : null;
}

function secretParams(b: MaskedSide | null, a: MaskedSide | null): Record<string, unknown> {
  return { secret: true, fingerprintBefore: b?.fingerprint ?? null, fingerprintAfter: a?.fingerprint ?? null };
}

function display(n: CNode | undefined, mask = false): Scalar {
  if (!n) return null;
  if (mask) return MASK;
  if (n.t === 'scalar') return typeof n.value === 'string' && n.value.length > 300 ? n.value.slice(0, 300) + '…' : n.value ?? null;
  const s = JSON.stringify(toJs(n));
  return s.length > 300 ? s.slice(0, 300) + '…' : s;
}

function short(v: Scalar, n = 60): string {
  const s = v === null ? 'null' : typeof v === 'string' ? v : String(v);
  return s.length > n ? s.slice(0, n) + '…' : s;
}

export interface ConfigDiffOptions {
  /** Default failure class (otherwise guessed from the path: training hyper-parameters, serving, deployment). */
  failureClass?: FailureClass;
  /** Subject prefix (resource key). */
  prefix?: string;
  /** Mask all values (Kubernetes Secret data). */
  maskValues?: boolean;
  /** Paths (as strings) to skip; used by the model-metadata diff. */
  skip?: Set<string>;
}

export interface Ctx extends ConfigDiffOptions {
  out: Change[];
  /** Kind of the Kubernetes object being compared (Service, Deployment, …). */
  k8sKind?: string;
}

const PROBE_RE = /^(liveness|readiness|startup)Probe$/;
const TRAINING_KEY = /^(learning_rate|lr|epochs?|batch_size|optimizer|seed|random_state|dropout|weight_decay|momentum|max_depth|n_estimators|num_leaves|hidden_size|num_layers|warmup.*|scheduler|loss|train.*|hyperparam.*|class_weight|regularization|l1|l2|alpha|gamma)$/i;
const SERVING_KEY = /^(threshold|decision_threshold|serving|endpoint|timeout.*|max_batch.*|batch_timeout.*|workers?|port|host|max_num_seqs|gpu_memory_utilization|max_model_len|concurrency)$/i;

const ROUTING_KEY = /^(routes?|routing|match|stratify(_by)?|weights?|traffic(_split)?|split|allocation|canary|cohorts?|segments?|percent(age)?|rollout|sampling(_rate)?)$/i;
const GUARD_KEY = /^(guards?|gates?|per_slice|min_delta|max_delta|thresholds?|validation|checks?|holdout(_pct)?|point_in_time(_check)?|skip_validation|bypass\w*|enabled|strict)$/i;

function failureClassFor(path: Seg[], ctx: Ctx): FailureClass {
  if (ctx.failureClass) return ctx.failureClass;
  if (ctx.prefix) return 'deployment'; // Kubernetes / multi-document manifests
  for (const p of path) {
    if (typeof p !== 'string') continue;
    if (TRAINING_KEY.test(p)) return 'training';
    if (SERVING_KEY.test(p)) return 'serving';
  }
  return 'deployment';
}

function lastKey(path: Seg[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return undefined;
}

function emit(ctx: Ctx, path: Seg[], c: Omit<Change, 'failureClass' | 'subject'> & { failureClass?: FailureClass; subject?: string }): void {
  const subject = c.subject ?? (ctx.prefix ? `${ctx.prefix}: ${pathString(path)}` : pathString(path));
  const ch: Change = { ...c, subject, failureClass: c.failureClass ?? failureClassFor(path, ctx) };
  if (ch.lineBefore === undefined) delete ch.lineBefore;
  if (ch.lineAfter === undefined) delete ch.lineAfter;
  if (ch.params === undefined) delete ch.params;
  ctx.out.push(ch);
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

/** Kind and severity for an added / removed / changed node at `path`. */
function classify(path: Seg[], op: 'added' | 'removed' | 'changed', ctx?: Ctx): { kind: string; severity: ChangeSeverity; what?: string } {
  const keys = path.filter((p): p is string => typeof p === 'string');
  const last = lastKey(path);
  const lastSeg = path[path.length - 1];
  // What routes traffic to pods: a Service's ports (port, targetPort, nodePort) and selector, and the
  // pod labels and selector of a workload that a Service selects on.
  if (ctx?.k8sKind === 'Service' && keys[0] === 'spec' && keys[1] === 'ports')
    return { kind: `k8s.service-port-${op}`, severity: op === 'added' ? 'info' : 'warning', what: 'service port' };
  if (ctx?.k8sKind === 'Service' && keys[0] === 'spec' && keys[1] === 'selector') return { kind: `k8s.service-selector-${op}`, severity: 'warning' };
  if (ctx?.k8sKind && WORKLOADS.has(ctx.k8sKind) && (keys.join('.').startsWith('spec.template.metadata.labels') || keys.join('.').startsWith('spec.selector')))
    return { kind: `k8s.selector-${op}`, severity: 'warning' };
  if (keys.some((k) => PROBE_RE.test(k))) return { kind: `k8s.probe-${op}`, severity: 'warning' };
  if (keys.includes('resources')) return { kind: `k8s.resources-${op}`, severity: op === 'added' ? 'info' : 'warning' };
  if (last === 'replicas') return { kind: `k8s.replicas-${op}`, severity: 'warning' };
  if ((last === 'containers' || last === 'initContainers') && typeof lastSeg === 'object')
    return { kind: `k8s.container-${op}`, severity: 'warning', what: last === 'initContainers' ? 'init container' : 'container' };
  if ((last === 'volumes' || last === 'volumeMounts') && typeof lastSeg === 'object')
    return { kind: `k8s.volume-${op}`, severity: 'info', what: last === 'volumes' ? 'volume' : 'volume mount' };
  if (last === 'ports' && typeof lastSeg === 'object') return { kind: `k8s.port-${op}`, severity: op === 'added' ? 'info' : 'warning', what: 'port' };
  if (keys.includes('ports') && (last === 'containerPort' || last === 'targetPort' || last === 'port')) return { kind: `k8s.port-${op}`, severity: 'warning' };
  // Traffic routing and safety gates: who gets the new model, and what stops a bad one (seed 003: canary
  // contamination; seed 000: bypassed gates). A change here is never cosmetic.
  if (keys.some((k) => ROUTING_KEY.test(k))) return { kind: `config.routing-${op}`, severity: 'warning', what: 'traffic routing' };
  if (keys.some((k) => GUARD_KEY.test(k))) return { kind: `config.guard-${op}`, severity: 'warning', what: 'safety check' };
  return { kind: `config.${op}`, severity: 'info' };
}

const QTY = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;
const QTY_MULT: Record<string, number> = { '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6 };

/** Kubernetes resource quantity → number ("500m" → 0.5, "10Gi" → 10737418240). */
export function parseQuantity(v: Scalar): number | null {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return null;
  const m = QTY.exec(v.trim());
  return m ? Number(m[1]) * QTY_MULT[m[2] ?? ''] : null;
}

function diffScalar(b: CNode, a: CNode, path: Seg[], ctx: Ctx): void {
  const last = lastKey(path);
  const keys = path.filter((p): p is string => typeof p === 'string');
  if (keys.includes('resources')) {
    const qb = parseQuantity(b.value ?? null);
    const qa = parseQuantity(a.value ?? null);
    if (qb !== null && qa !== null) {
      if (qb === qa) return;
      const kindOf = keys.includes('limits') ? 'limit' : keys.includes('requests') ? 'request' : 'setting';
      const pct = qb !== 0 ? ((qa - qb) / qb) * 100 : 0;
      const decrease = qa < qb;
      const gpu = /gpu/i.test(last ?? '');
      emit(ctx, path, {
        kind: 'k8s.resources-changed',
        severity: decrease || gpu ? 'warning' : 'info',
        before: b.value ?? null,
        after: a.value ?? null,
        message: `${last} ${kindOf} ${short(b.value ?? null)} → ${short(a.value ?? null)}${qb !== 0 ? ` (${pct > 0 ? '+' : ''}${pct.toFixed(0)}%)` : ''}`,
        lineBefore: b.line,
        lineAfter: a.line,
        params: { before: qb, after: qa },
      });
      return;
    }
  }
  if (b.value === a.value && !!b.int === !!a.int) return;
  if (last === 'image' && typeof b.value === 'string' && typeof a.value === 'string') {
    const changes = diffImageRefs(b.value, a.value, {
      subject: ctx.prefix ? `${ctx.prefix}: ${pathString(path)}` : pathString(path),
      failureClass: ctx.failureClass ?? 'deployment',
      lineBefore: b.line,
      lineAfter: a.line,
    });
    for (const c of changes) ctx.out.push(c);
    return;
  }
  if (last === 'replicas' && typeof b.value === 'number' && typeof a.value === 'number') {
    emit(ctx, path, {
      kind: 'k8s.replicas-changed',
      severity: a.value === 0 ? 'critical' : a.value < b.value ? 'warning' : 'info',
      before: b.value,
      after: a.value,
      message: `replicas ${b.value} → ${a.value}${a.value === 0 ? ' — scaled to zero' : ''}`,
      lineBefore: b.line,
      lineAfter: a.line,
    });
    return;
  }
  const { kind, severity } = classify(path, 'changed', ctx);
  const sb = secretSide(b, last, ctx.maskValues);
  const sa = secretSide(a, last, ctx.maskValues);
  if (sb || sa) {
    // A secret: shown masked (the non-secret part of a URL stays), its change told by fingerprints.
    const vb = sb?.shown ?? display(b);
    const va = sa?.shown ?? display(a);
    emit(ctx, path, {
      kind,
      severity,
      before: vb,
      after: va,
      message:
        vb === va
          ? `${pathString(path)} changed${vb === MASK ? '' : `: ${short(vb)}`} ${secretNote(sb, sa)}`
          : `${pathString(path)}: ${short(vb)} → ${short(va)} ${secretNote(sb, sa)}`,
      lineBefore: b.line,
      lineAfter: a.line,
      params: secretParams(sb, sa),
    });
    return;
  }
  emit(ctx, path, {
    kind,
    severity,
    before: display(b),
    after: display(a),
    message: `${pathString(path)}: ${short(b.value ?? null)} → ${short(a.value ?? null)}`,
    lineBefore: b.line,
    lineAfter: a.line,
    // an integer beyond 2^53 is pinned exactly by a generated test
    params: b.int && !ctx.maskValues ? { valueBefore: { int: b.value } } : undefined,
  });
}

function nodeAddedOrRemoved(n: CNode, path: Seg[], ctx: Ctx, op: 'added' | 'removed', other?: CNode): void {
  const { kind, severity, what } = classify(path, op, ctx);
  const last = path[path.length - 1];
  const label = what && typeof last === 'object' ? `${what} ${last.id}` : pathString(path);
  const secret = secretSide(n, lastKey(path), ctx.maskValues);
  const v = secret ? secret.shown : display(n);
  const shown = n.t === 'scalar' && v !== MASK ? `: ${short(v)}` : '';
  emit(ctx, path, {
    kind,
    severity,
    before: op === 'removed' ? v : null,
    after: op === 'added' ? v : null,
    message: `${label} ${op}${shown}${secret ? ` ${secretNote(op === 'removed' ? secret : null, op === 'added' ? secret : null)}` : ''}`,
    lineBefore: op === 'removed' ? n.line : other?.line,
    lineAfter: op === 'added' ? n.line : other?.line,
    ...(secret ? { params: secretParams(op === 'removed' ? secret : null, op === 'added' ? secret : null) } : {}),
    // what a regression test checks for a removed mapping or list item: the values it held
    ...(!secret && op === 'removed' && n.t !== 'scalar' && !ctx.maskValues ? { params: { pin: pinLeaves(n, path) } } : {}),
  });
}

/** Up to 20 scalar leaves of a node as {path, value} (lists by identity where they have one). */
function pinLeaves(n: CNode, path: Seg[], out: { path: string; value: Scalar | { int: string } }[] = []): { path: string; value: Scalar | { int: string } }[] {
  if (out.length >= 20) return out;
  // a secret is never pinned by value (shared/generators/secretTests.ts pins it by a salted hash)
  if (n.t === 'scalar') {
    if (!secretSide(n, lastKey(path))) out.push({ path: pathString(path), value: n.int ? { int: String(n.value) } : (n.value ?? null) });
  }
  else if (n.t === 'map') for (const [k, x] of n.map!) pinLeaves(x, [...path, k], out);
  else {
    const id = identityKey(n.items!, []);
    n.items!.forEach((x, i) => pinLeaves(x, [...path, id ? { id: String(x.map!.get(id)!.value) } : i], out));
  }
  return out;
}

const IDENTITY_KEYS = ['name', 'containerPort', 'mountPath', 'key', 'id', 'path', 'port'];

function identityKey(b: CNode[], a: CNode[]): string | null {
  const all = [...b, ...a];
  if (all.length === 0 || !all.every((x) => x.t === 'map')) return null;
  for (const k of IDENTITY_KEYS) {
    const ok = (xs: CNode[]) => {
      const seen = new Set<string>();
      for (const x of xs) {
        const v = x.map!.get(k);
        if (!v || v.t !== 'scalar' || v.value === null) return false;
        const s = String(v.value);
        if (seen.has(s)) return false;
        seen.add(s);
      }
      return true;
    };
    if (ok(b) && ok(a)) return k;
  }
  return null;
}

/** Group CLI tokens into arguments: "--port 8080" stays together, "--x=1" is one. */
function logicalArgs(items: CNode[]): Array<{ text: string; flag?: string; value?: string; line?: number }> {
  const out: Array<{ text: string; flag?: string; value?: string; line?: number }> = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const s = it.t === 'scalar' ? String(it.value) : canonical(it);
    const eq = /^(--?[A-Za-z0-9][\w.-]*)=(.*)$/s.exec(s);
    if (eq) {
      out.push({ text: s, flag: eq[1], value: eq[2], line: it.line });
      continue;
    }
    if (/^--[A-Za-z0-9][\w.-]*$/.test(s) && i + 1 < items.length) {
      const nx = items[i + 1];
      const ns = nx.t === 'scalar' ? String(nx.value) : '';
      if (nx.t === 'scalar' && ns !== '' && !ns.startsWith('-')) {
        out.push({ text: `${s} ${ns}`, flag: s, value: ns, line: it.line });
        i++;
        continue;
      }
    }
    out.push(/^--?[A-Za-z]/.test(s) ? { text: s, flag: s, line: it.line } : { text: s, line: it.line });
  }
  return out;
}

function diffArgs(b: CNode, a: CNode, path: Seg[], ctx: Ctx): void {
  const which = lastKey(path) === 'command' ? 'command' : 'arg';
  // a regression test pins the whole last-known-good list (every argument, in order)
  const pin = ctx.maskValues ? undefined : [{ path: pathString(path), value: b.items!.map((x) => (x.t === 'scalar' ? (x.value ?? null) : canonical(x))) }];
  const lb = logicalArgs(b.items!);
  const la = logicalArgs(a.items!);
  const count = (xs: typeof lb) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x.text, (m.get(x.text) ?? 0) + 1);
    return m;
  };
  const cb = count(lb);
  const ca = count(la);
  const removed: typeof lb = [];
  const added: typeof la = [];
  {
    const left = new Map(ca);
    for (const x of lb) {
      const n = left.get(x.text) ?? 0;
      if (n > 0) left.set(x.text, n - 1);
      else removed.push(x);
    }
    const leftB = new Map(cb);
    for (const x of la) {
      const n = leftB.get(x.text) ?? 0;
      if (n > 0) leftB.set(x.text, n - 1);
      else added.push(x);
    }
  }
  // Same flag, new value → changed.
  for (let i = 0; i < removed.length; i++) {
    const r = removed[i];
    if (!r.flag || r.value === undefined) continue;
    const j = added.findIndex((x) => x.flag === r.flag && x.value !== undefined);
    if (j < 0) continue;
    const x = added[j];
    emit(ctx, path, {
      kind: `config.${which}-changed`,
      severity: 'warning',
      before: r.text,
      after: x.text,
      message: `${which} ${r.flag} ${short(r.value ?? '')} → ${short(x.value ?? '')}`,
      lineBefore: r.line,
      lineAfter: x.line,
      params: { flag: r.flag, pin },
    });
    removed.splice(i, 1);
    added.splice(j, 1);
    i--;
  }
  for (const r of removed)
    emit(ctx, path, { kind: `config.${which}-removed`, severity: 'warning', before: r.text, after: null, message: `${which} ${r.text} removed`, lineBefore: r.line, lineAfter: a.line, params: r.flag ? { flag: r.flag, pin } : { pin } });
  for (const x of added)
    emit(ctx, path, { kind: `config.${which}-added`, severity: 'warning', before: null, after: x.text, message: `${which} ${x.text} added`, lineBefore: b.line, lineAfter: x.line, params: x.flag ? { flag: x.flag, pin } : { pin } });
  {
    // Order of the arguments present on both sides.
    const inA = new Set(la.map((x) => x.text));
    const inB = new Set(lb.map((x) => x.text));
    const sb = lb.filter((x) => inA.has(x.text)).map((x) => x.text).join('\u0000');
    const sa = la.filter((x) => inB.has(x.text)).map((x) => x.text).join('\u0000');
    if (sb !== sa)
      emit(ctx, path, {
        kind: `config.${which === 'arg' ? 'args' : 'command'}-reordered`,
        severity: 'info',
        before: lb.map((x) => x.text).join(' '),
        after: la.map((x) => x.text).join(' '),
        message: `${which === 'arg' ? 'args' : 'command'} reordered (same set)`,
        lineBefore: b.line,
        lineAfter: a.line,
        params: { pin },
      });
  }
}

function envValue(n: CNode): string {
  const v = n.map?.get('value');
  if (v) return v.t === 'scalar' ? String(v.value ?? '') : canonical(v);
  const vf = n.map?.get('valueFrom');
  if (vf && vf.t === 'map') {
    for (const [k, ref] of vf.map!) {
      const name = str(get(ref, 'name'));
      const key = str(get(ref, 'key')) ?? str(get(ref, 'fieldPath')) ?? str(get(ref, 'resource'));
      return `valueFrom ${k}${name ? ' ' + name : ''}${key ? (name ? '/' : ' ') + key : ''}`;
    }
  }
  return '';
}

function diffEnvList(b: CNode, a: CNode, path: Seg[], ctx: Ctx): void {
  const start = ctx.out.length;
  const mb = new Map<string, CNode>();
  const ma = new Map<string, CNode>();
  for (const x of b.items!) mb.set(String(x.map!.get('name')!.value), x);
  for (const x of a.items!) ma.set(String(x.map!.get('name')!.value), x);
  const subjectPrefix = (ctx.prefix ? `${ctx.prefix}: ` : '') + pathString(path) + '.';
  const fc = ctx.failureClass ?? 'deployment';
  const isRef = (n: CNode | undefined) => !!n && !n.map?.get('value') && !!n.map?.get('valueFrom');
  const opts = (x?: CNode, y?: CNode) => ({ kindPrefix: 'config.env', subjectPrefix, failureClass: fc, references: { before: isRef(x), after: isRef(y) } });
  for (const [k, x] of mb) {
    const y = ma.get(k);
    if (!y) ctx.out.push(envChange(k, envValue(x), null, { lineBefore: x.line, lineAfter: a.line }, opts(x)));
    else {
      const vb = envValue(x);
      const va = envValue(y);
      if (vb !== va) ctx.out.push(envChange(k, vb, va, { lineBefore: x.line, lineAfter: y.line }, opts(x, y)));
    }
  }
  for (const [k, y] of ma)
    if (!mb.has(k)) ctx.out.push(envChange(k, null, envValue(y), { lineBefore: b.line, lineAfter: y.line }, opts(undefined, y)));
  // What a test pins: the variable's last-known-good value (plain values; not masked ones)
  for (const c of ctx.out.slice(start)) {
    if (!c.kind.startsWith('config.env.') || c.params?.masked) continue;
    const name = String(c.params?.name ?? '');
    const x = mb.get(name);
    const value = x?.map?.get('value');
    if (x && value?.t === 'scalar') c.params = { ...c.params, pin: [{ path: pathString([...path, { id: name }, 'value']), value: value.value ?? null }] };
    else if (x) c.params = { ...c.params, pin: [{ path: pathString([...path, { id: name }, 'name']), value: name }] };
    else c.params = { ...c.params, pin: [{ path: pathString([...path, { id: name }]), value: null, absent: true }] };
  }
  envOrder(b, a, path, ctx);
}

const VAR_REF = /(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g;

/**
 * Env order matters where a value references another variable: Kubernetes expands $(VAR) only from
 * variables defined earlier in the list. A reorder that moves a referenced variable across the one that
 * references it is a warning; any other reorder carries no meaning.
 */
function envOrder(b: CNode, a: CNode, path: Seg[], ctx: Ctx): void {
  const names = (n: CNode) => n.items!.map((x) => String(x.map!.get('name')!.value));
  const nb = names(b);
  const na = names(a);
  const pb = new Map(nb.map((n, i) => [n, i]));
  const pa = new Map(na.map((n, i) => [n, i]));
  const broken: string[] = [];
  for (const side of [b, a])
    for (const x of side.items!) {
      const v = x.map!.get('name')!.value;
      const val = x.map!.get('value');
      if (!val || val.t !== 'scalar' || typeof val.value !== 'string') continue;
      for (const m of val.value.matchAll(VAR_REF)) {
        const w = m[1];
        const name = String(v);
        if (!pb.has(w) || !pa.has(w) || !pb.has(name) || !pa.has(name)) continue;
        const before = (pb.get(w) as number) < (pb.get(name) as number);
        const after = (pa.get(w) as number) < (pa.get(name) as number);
        if (before !== after) broken.push(`${name} references $(${w}), now defined ${after ? 'before' : 'after'} it`);
      }
    }
  if (!broken.length) return;
  const uniq = [...new Set(broken)];
  emit(ctx, path, {
    kind: 'config.env-order-changed',
    severity: 'warning',
    before: nb.join(', '),
    after: na.join(', '),
    message: `env order changed: ${uniq.slice(0, 3).join('; ')} — Kubernetes expands $(VAR) only from variables defined earlier`,
    lineBefore: b.line,
    lineAfter: a.line,
    params: { pin: nb.map((n, i) => ({ path: pathString([...path, i, 'name']), value: n })) },
  });
}

function diffSeq(b: CNode, a: CNode, path: Seg[], ctx: Ctx): void {
  const bi = b.items!;
  const ai = a.items!;
  const last = lastKey(path);
  const lastIsKey = typeof path[path.length - 1] === 'string';
  if (lastIsKey && (last === 'args' || last === 'command') && [...bi, ...ai].every((x) => x.t === 'scalar')) {
    diffArgs(b, a, path, ctx);
    return;
  }
  const id = identityKey(bi, ai);
  if (lastIsKey && last === 'env' && id === 'name') {
    diffEnvList(b, a, path, ctx);
    return;
  }
  if (id) {
    const mb = new Map<string, CNode>();
    const ma = new Map<string, CNode>();
    for (const x of bi) mb.set(String(x.map!.get(id)!.value), x);
    for (const x of ai) ma.set(String(x.map!.get(id)!.value), x);
    for (const [k, x] of mb) {
      const y = ma.get(k);
      if (!y) nodeAddedOrRemoved(x, [...path, { id: k }], ctx, 'removed', a);
      else diffNode(x, y, [...path, { id: k }], ctx);
    }
    for (const [k, y] of ma) if (!mb.has(k)) nodeAddedOrRemoved(y, [...path, { id: k }], ctx, 'added', b);
    const ob = [...mb.keys()].filter((k) => ma.has(k));
    const oa = [...ma.keys()].filter((k) => mb.has(k));
    if (ob.join('\u0000') !== oa.join('\u0000'))
      emit(ctx, path, {
        kind: 'config.order-changed',
        severity: last === 'initContainers' ? 'warning' : 'info',
        before: ob.join(', '),
        after: oa.join(', '),
        message: `${pathString(path)} order changed: ${ob.join(', ')} → ${oa.join(', ')}`,
        lineBefore: b.line,
        lineAfter: a.line,
        params: { pin: bi.map((x, i) => ({ path: pathString([...path, i, id]), value: x.map!.get(id)!.value ?? null })) },
      });
    return;
  }
  // No identity: multiset of canonical forms, then pair leftovers by position.
  const cb = bi.map(canonical);
  const ca = ai.map(canonical);
  const avail = new Map<string, number[]>();
  ca.forEach((c, j) => {
    const l = avail.get(c);
    if (l) l.push(j);
    else avail.set(c, [j]);
  });
  const matchedA = new Set<number>();
  const restB: number[] = [];
  cb.forEach((c, i) => {
    const l = avail.get(c);
    if (l && l.length) matchedA.add(l.shift()!);
    else restB.push(i);
  });
  const restA = ai.map((_, j) => j).filter((j) => !matchedA.has(j));
  if (restB.length === restA.length) {
    for (let k = 0; k < restB.length; k++) diffNode(bi[restB[k]], ai[restA[k]], [...path, restA[k]], ctx);
  } else {
    const scalarItems = [...bi, ...ai].every((x) => x.t === 'scalar');
    for (const i of restB) {
      if (scalarItems) emitItem(ctx, path, 'removed', bi[i], b, a);
      else nodeAddedOrRemoved(bi[i], [...path, i], ctx, 'removed', a);
    }
    for (const j of restA) {
      if (scalarItems) emitItem(ctx, path, 'added', ai[j], b, a);
      else nodeAddedOrRemoved(ai[j], [...path, j], ctx, 'added', b);
    }
  }
  if (restB.length === 0 && restA.length === 0 && cb.join('\u0000') !== ca.join('\u0000'))
    emit(ctx, path, { kind: 'config.order-changed', severity: 'info', before: display(b), after: display(a), message: `${pathString(path)} order changed (same items)`, lineBefore: b.line, lineAfter: a.line });
}

function emitItem(ctx: Ctx, path: Seg[], op: 'added' | 'removed', item: CNode, b: CNode, a: CNode): void {
  const v = secretSide(item, lastKey(path), ctx.maskValues)?.shown ?? display(item);
  const { severity } = classify(path, op, ctx);
  emit(ctx, path, {
    kind: `config.item-${op}`,
    severity,
    before: op === 'removed' ? v : null,
    after: op === 'added' ? v : null,
    message: `${pathString(path)}: item ${short(v)} ${op}`,
    lineBefore: op === 'removed' ? item.line : b.line,
    lineAfter: op === 'added' ? item.line : a.line,
  });
}

/** Recursive node diff. */
export function diffNode(b: CNode, a: CNode, path: Seg[], ctx: Ctx): void {
  if (ctx.skip && ctx.skip.has(pathString(path))) return;
  if (b.t !== a.t) {
    const { kind, severity } = classify(path, 'changed', ctx);
    emit(ctx, path, {
      kind,
      severity,
      before: display(b, ctx.maskValues),
      after: display(a, ctx.maskValues),
      message: `${pathString(path)} changed from a ${b.t === 'scalar' ? 'value' : b.t === 'map' ? 'mapping' : 'list'} to a ${a.t === 'scalar' ? 'value' : a.t === 'map' ? 'mapping' : 'list'}`,
      lineBefore: b.line,
      lineAfter: a.line,
    });
    return;
  }
  if (b.t === 'scalar') return diffScalar(b, a, path, ctx);
  if (b.t === 'seq') return diffSeq(b, a, path, ctx);
  for (const [k, x] of b.map!) {
    const y = a.map!.get(k);
    const p = [...path, k];
    if (ctx.skip && ctx.skip.has(pathString(p))) continue;
    if (!y) nodeAddedOrRemoved(x, p, ctx, 'removed', a);
    else diffNode(x, y, p, ctx);
  }
  for (const [k, y] of a.map!) {
    if (b.map!.has(k)) continue;
    const p = [...path, k];
    if (ctx.skip && ctx.skip.has(pathString(p))) continue;
    nodeAddedOrRemoved(y, p, ctx, 'added', b);
  }
}

/** Diff two trees (exported for the model-metadata diff). */
export function diffTrees(b: CNode, a: CNode, opts: ConfigDiffOptions = {}): Change[] {
  const ctx: Ctx = { ...opts, out: [] };
  diffNode(b, a, [], ctx);
  return ctx.out;
}

/** Diff two parsed configs (documents matched by key). */
export function diffConfigs(pb: ConfigParse, pa: ConfigParse, opts: ConfigDiffOptions = {}): Change[] {
  const out: Change[] = [];
  const mb = new Map(pb.docs.map((d) => [d.key, d]));
  const ma = new Map(pa.docs.map((d) => [d.key, d]));
  const anyK8s = pb.docs.some((d) => d.k8s) || pa.docs.some((d) => d.k8s);
  const multi = pb.docs.length > 1 || pa.docs.length > 1 || anyK8s;
  // At most one non-Kubernetes document on each side: the same document whatever its key (an empty
  // side is an empty mapping).
  if (pb.docs.length <= 1 && pa.docs.length <= 1 && !anyK8s) {
    const empty: CNode = { t: 'map', map: new Map() };
    const ctx: Ctx = { ...opts, out };
    diffNode(pb.docs[0]?.root ?? empty, pa.docs[0]?.root ?? empty, [], ctx);
    return out;
  }
  for (const [k, d] of mb) {
    const e = ma.get(k);
    const what = d.k8s ? `${d.k8s.kind} ${d.k8s.namespace}/${d.k8s.name}` : k;
    if (!e) {
      out.push({
        kind: d.k8s ? 'k8s.resource-removed' : 'config.document-removed',
        severity: 'warning',
        failureClass: opts.failureClass ?? 'deployment',
        subject: k,
        before: k,
        after: null,
        message: `${what} removed`,
        ...(d.root.line ? { lineBefore: d.root.line } : {}),
      });
      continue;
    }
    const ctx: Ctx = { ...opts, out, prefix: multi ? k : opts.prefix, maskValues: opts.maskValues || d.k8s?.kind === 'Secret', k8sKind: d.k8s?.kind };
    diffNode(d.root, e.root, [], ctx);
  }
  for (const [k, e] of ma) {
    if (mb.has(k)) continue;
    const what = e.k8s ? `${e.k8s.kind} ${e.k8s.namespace}/${e.k8s.name}` : k;
    out.push({
      kind: e.k8s ? 'k8s.resource-added' : 'config.document-added',
      severity: 'info',
      failureClass: opts.failureClass ?? 'deployment',
      subject: k,
      before: null,
      after: k,
      message: `${what} added`,
      ...(e.root.line ? { lineAfter: e.root.line } : {}),
    });
  }
  return out;
}

/**
 * Semantic diff of two JSON or YAML texts. Malformed input yields ParseProblems (line, column) and a
 * text diff instead.
 */
export function diffConfigTexts(kind: 'json' | 'yaml', before: string, after: string, opts: ConfigDiffOptions = {}): DiffResult {
  const parse = kind === 'json' ? parseJsonConfig : parseYamlConfig;
  const pb = parse(before);
  const pa = parse(after);
  const problems: ParseProblem[] = [
    ...pb.problems.map((p) => ({ ...p, side: 'before' as const })),
    ...pa.problems.map((p) => ({ ...p, side: 'after' as const })),
  ];
  if (pb.fatal || pa.fatal) {
    // Shown as a text diff of the redacted texts (fingerprints keep changed secrets visible as changes).
    const t = diffText(redactText(before, { fingerprints: true }), redactText(after, { fingerprints: true }), { kind, failureClass: opts.failureClass ?? 'deployment' });
    const fatal = problems.find((p) => p.line !== undefined && !p.message.startsWith('YAML warning')) ?? problems[0];
    return { kind, changes: t.changes, problems, noSemanticChange: false, ...(fatal ? { parseError: fatal } : {}) };
  }
  const changes = diffConfigs(pb, pa, opts);
  return { kind, changes, problems, noSemanticChange: changes.length === 0 };
}
