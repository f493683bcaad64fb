// From a diff change to a finding draft: the generator kind + parameters whose regression test pins
// exactly what was detected — the same statistic and threshold the diff used, against the
// last-known-good values carried in the change's params. Pure TypeScript.
//
// Every change of severity warning or above from the dataset, dependency, config / Kubernetes and
// model-metadata engines gets a generator (checked over real pairs in test/unit/regression-promise.test.ts).
// Log signatures and free-text changes have no input a test could read; they get none.
import type { Change } from '../diff/types';
import type { GeneratorKind } from './params';
import { generatorParamIssues, parseConfigPath } from './params';

export interface ChangeContext {
  /** Text of the last-known-good artifact (model metadata: the full feature_order). */
  beforeText?: string;
}

export interface GeneratorChoice {
  genKind: GeneratorKind;
  params: Record<string, unknown>;
}

type Baseline = {
  name?: string;
  dtype?: string;
  nullRateCeiling?: number | null;
  min?: number;
  max?: number;
  categories?: string[];
};

const isVersion = (s: unknown): s is string => typeof s === 'string' && /^v?\d+(\.\d+)*([a-z0-9.+!-]*)$/i.test(s.trim());
const isSpec = (s: unknown): s is string => typeof s === 'string' && /^\s*(==|!=|<=|>=|~=|<|>|===)/.test(s);

/** "Deployment/default/vllm: spec.template.spec.containers[vllm].image" → generator path syntax. */
export function configPathFromSubject(subject: string): string | null {
  let prefix = '';
  let path = subject;
  const m = /^([A-Za-z][\w.-]*)\/([^/\s:]+)\/([^/\s:]+?)(?:#\d+)?: (.+)$/.exec(subject);
  if (m) {
    prefix = `[kind=${m[1]},metadata.name=${m[3]}]`;
    path = m[4];
  } else {
    const doc = /^([A-Za-z][\w.-]*)\/([^/\s:]+)\/([^/\s:]+?)(?:#\d+)?$/.exec(subject);
    if (doc) return `[kind=${doc[1]},metadata.name=${doc[3]}]`;
  }
  if (path === '(root)') return prefix || null;
  // Lists matched by name in the diff engine are written [name]; the generator wants [name=…].
  const converted = path.replace(/\[([^\]"'=\d-][^\]"'=]*)\]/g, (_, id: string) => `[name=${id}]`);
  const full = prefix ? (converted.startsWith('[') ? prefix + converted : `${prefix}.${converted}`) : converted;
  try {
    parseConfigPath(full);
    return full;
  } catch {
    return null;
  }
}

function featureOrderOf(text: string | undefined): string[] | null {
  if (!text) return null;
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const fo = (j.feature_order ?? j.featureOrder ?? j.features ?? j.feature_names) as unknown;
    return Array.isArray(fo) && fo.every((x) => typeof x === 'string') ? (fo as string[]) : null;
  } catch {
    return null;
  }
}

function valid(kind: GeneratorKind, params: Record<string, unknown>): GeneratorChoice | null {
  return generatorParamIssues(kind, params).length ? null : { genKind: kind, params };
}

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

/** The dataset checks: one per change kind, with the diff's own statistic. */
function datasetGenerator(change: Change, p: Record<string, unknown>): GeneratorChoice | null {
  const base = (p.baseline ?? {}) as Baseline;
  const col = (p.column as string | undefined) ?? base.name ?? change.subject;
  const k = change.kind;
  switch (k) {
    case 'dataset.empty':
    case 'column.removed':
    case 'column.renamed':
    case 'column.added':
    case 'column.order': {
      const cols = p.expectedColumns as string[] | undefined;
      return cols?.length ? valid('dataset.columns', { columns: cols, checkOrder: true }) : null;
    }
    case 'column.leakage':
      return valid('dataset.leakage', { column: col, other: p.other, measure: p.measure, threshold: p.threshold });
    case 'column.dtype':
      return base.dtype ? valid('dataset.dtypes', { dtypes: { [col]: base.dtype }, strict: true }) : null;
    case 'column.nullable':
      // the last-known-good schema said "not nullable": the data must have no missing values
      return valid('dataset.null_rate', { ceilings: { [col]: 0 } });
    case 'nulls.rate': {
      const nulls = num(p.nullCountBefore);
      const rows = num(p.rowsBefore);
      if (nulls !== undefined && rows !== undefined && rows > 0)
        return valid('dataset.null_rate', { baseline: { [col]: { nulls, rows } }, pValue: num(p.threshold) ?? 0.01 });
      return typeof base.nullRateCeiling === 'number' ? valid('dataset.null_rate', { ceilings: { [col]: base.nullRateCeiling } }) : null;
    }
    case 'range.changed':
      return typeof base.min === 'number' && typeof base.max === 'number' ? valid('dataset.range', { ranges: { [col]: { min: base.min, max: base.max } } }) : null;
    case 'drift.numeric':
    case 'drift.categorical': {
      if (p.reference && typeof p.test === 'string')
        return valid('dataset.drift', { column: col, test: p.test, threshold: p.threshold, reference: p.reference, ...(p.target ? { target: true } : {}) });
      // a change recorded before drift references existed: the range, or the category set
      if (k === 'drift.numeric' && typeof base.min === 'number' && typeof base.max === 'number')
        return valid('dataset.range', { ranges: { [col]: { min: base.min, max: base.max } } });
      return base.categories?.length ? valid('dataset.categories', { categories: { [col]: base.categories }, allowUnseen: false }) : null;
    }
    case 'category.new':
      return base.categories?.length ? valid('dataset.categories', { categories: { [col]: base.categories }, allowUnseen: false }) : null;
    case 'category.vanished': {
      const shares = p.vanishedShares as Record<string, number> | undefined;
      if (!base.categories?.length) return null;
      if (shares && Object.keys(shares).length) return valid('dataset.categories', { categories: { [col]: base.categories }, required: { [col]: shares } });
      return valid('dataset.categories', { categories: { [col]: base.categories }, allowUnseen: true });
    }
    case 'rows.count': {
      const rows = num(p.expectedRowCount);
      return rows && rows > 0 ? valid('dataset.row_count', { rows, factor: num(p.factor) ?? 2 }) : null;
    }
    case 'rows.duplicates': {
      const rows = num(p.rowsBefore);
      if (!rows) return null;
      return valid('dataset.duplicates', { duplicateRows: num(p.duplicateRowsBefore) ?? 0, rows, keys: (p.keys as string[] | undefined) ?? [], pValue: num(p.threshold) ?? 0.01 });
    }
  }
  return null;
}

/** Model metadata: feature order, scaler parameters within the diff's 5% tolerance, other values exactly. */
function modelGenerator(change: Change, p: Record<string, unknown>, ctx: ChangeContext): GeneratorChoice | null {
  const k = change.kind;
  if (k.startsWith('model.feature')) {
    const order = (Array.isArray(p.featureOrderBefore) ? (p.featureOrderBefore as string[]) : null) ?? featureOrderOf(ctx.beforeText);
    return order?.length ? valid('model.feature_order', { featureOrder: order }) : null;
  }
  if (k === 'model.scaler-param-changed' || k === 'model.scaler-changed' || k === 'model.scaler-shape-changed') {
    const path = typeof p.path === 'string' ? p.path : null;
    const value = p.valueBefore ?? change.before;
    if (!path || value === null || value === undefined) return null;
    const byFeature = typeof p.featureList === 'string' && typeof p.feature === 'string' ? { feature: p.feature, featureList: p.featureList } : {};
    return valid('model.value', { values: [{ path, value, tolerance: num(p.tolerance) ?? 0.05, ...byFeature }] });
  }
  // any other field of the metadata (threshold, version, …): exactly its last-known-good value
  const path = configPathFromSubject(change.subject);
  if (!path) return null;
  if (change.before === null) return null;
  return valid('model.value', { values: [{ path, value: p.valueBefore ?? change.before }] });
}

function dependencyGenerator(change: Change, p: Record<string, unknown>): GeneratorChoice | null {
  const k = change.kind;
  if (k === 'dependency.hash-changed' || k === 'dependency.hash-added' || k === 'dependency.hash-removed') {
    const hashes = p.hashesBefore as string[] | undefined;
    const name = (p.name as string | undefined) ?? change.subject.replace(/\s*[[(].*$/, '').trim();
    return Array.isArray(hashes) ? valid('dependency.requirements', { hashes: [{ name, hashes }] }) : null;
  }
  if (k.startsWith('dependency.option-')) {
    const option = p.option as string | undefined;
    const values = p.valuesBefore as string[] | undefined;
    if (option && Array.isArray(values)) return valid('dependency.requirements', { options: [{ option, values }] });
    return null;
  }
  if (k === 'dependency.python-versions-changed') {
    const spec = pep440Range(String(p.versionsBefore ?? change.before ?? ''));
    return spec ? valid('dependency.version', { packages: [{ name: 'python', spec }] }) : null;
  }
  if (k === 'dependency.added') return null;
  const name = ((p.name as string | undefined) ?? change.subject).replace(/\s*[[(].*$/, '').replace(/^pip:/, '').trim();
  const before = (p.versionBefore as string | undefined) ?? change.before;
  if (isVersion(before)) return valid('dependency.version', { packages: [{ name, version: before.trim().replace(/^v/, '') }] });
  if (isSpec(before)) return valid('dependency.version', { packages: [{ name, spec: String(before).trim() }] });
  return null;
}

/** A Poetry / PEP 440 version range as PEP 440 (^3.8 → >=3.8,<4.0; ~3.8 → >=3.8,<3.9; "3.8.*" kept), or null. */
export function pep440Range(range: string): string | null {
  const parts: string[] = [];
  for (const raw of range.split(',').map((x) => x.trim()).filter(Boolean)) {
    const caret = /^\^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(raw);
    const tilde = /^~(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(raw);
    if (caret) {
      const [maj, min, pat] = [Number(caret[1]), caret[2] ? Number(caret[2]) : undefined, caret[3]];
      const upper = maj > 0 || min === undefined ? `${maj + 1}.0` : Number(min) > 0 || pat === undefined ? `0.${Number(min) + 1}` : `0.0.${Number(pat) + 1}`;
      parts.push(`>=${raw.slice(1)}`, `<${upper}`);
    } else if (tilde) {
      const [maj, min] = [Number(tilde[1]), tilde[2]];
      parts.push(`>=${raw.slice(1)}`, min === undefined ? `<${maj + 1}.0` : `<${maj}.${Number(min) + 1}`);
    } else if (/^(==|!=|<=|>=|~=|<|>)\s*\d/.test(raw)) parts.push(raw.replace(/\s+/g, ''));
    else if (/^\d+(\.\d+)*(\.\*)?$/.test(raw)) parts.push(`==${raw}`);
    else return null;
  }
  return parts.length ? parts.join(',') : null;
}

type ConfigValue = { path: string; value?: unknown; absent?: boolean };

/** Config files and Kubernetes manifests: the last-known-good value at the changed path, or its absence. */
function configGenerator(change: Change, p: Record<string, unknown>): GeneratorChoice | null {
  const k = change.kind;
  // a masked value (secret) is never written into a test
  if (p.masked === true || (typeof change.before === 'string' && change.before.includes('••••'))) return null;
  // params.pin: values the engine chose (whole args lists, env order, list positions, the leaves of a
  // removed item), paths relative to the changed document
  if (Array.isArray(p.pin) && p.pin.length) {
    const doc = /^([A-Za-z][\w.-]*\/[^/\s:]+\/[^/\s:]+?(?:#\d+)?): /.exec(change.subject)?.[1];
    const values: ConfigValue[] = [];
    for (const pin of p.pin as ConfigValue[]) {
      const path = configPathFromSubject(doc ? `${doc}: ${pin.path}` : pin.path);
      if (!path) return null;
      values.push(pin.absent ? { path, value: null, absent: true } : { path, value: pin.value });
    }
    return valid('config.value', { values });
  }
  if (k === 'k8s.resource-removed' || k === 'k8s.resource-added') {
    const m = /^([A-Za-z][\w.-]*)\/[^/\s:]+\/([^/\s:]+?)(?:#\d+)?$/.exec(change.subject);
    if (!m) return null;
    const sel = `[kind=${m[1]},metadata.name=${m[2]}]`;
    return valid('config.value', { values: [k.endsWith('removed') ? { path: `${sel}.kind`, value: m[1] } : { path: sel, value: null, absent: true }] });
  }
  const path = configPathFromSubject(change.subject);
  if (!path) return null;
  const added = /[.-]added$/.test(k);
  if (added) return valid('config.value', { values: [{ path, value: null, absent: true }] });
  if (change.before === null || typeof change.before === 'object') return null;
  if (p.valueBefore !== undefined) return valid('config.value', { values: [{ path, value: p.valueBefore }] });
  return valid('config.value', { values: [{ path, value: change.before }] });
}

/** The regression test that would have caught this change, or null when none fits. */
export function generatorForChange(change: Change, ctx: ChangeContext = {}): GeneratorChoice | null {
  const p = (change.params ?? {}) as Record<string, unknown>;
  // A secret is never pinned by value: shared/generators/secretTests.ts pins it by a salted hash.
  if (p.secret === true) return null;
  const k = change.kind;
  if (p.artifact === 'model-metadata' || k.startsWith('model.')) return modelGenerator(change, p, ctx);
  const data = datasetGenerator(change, p);
  if (data) return data;
  if (k.startsWith('dependency.')) return dependencyGenerator(change, p);
  if (k.startsWith('config.') || k.startsWith('image.') || k.startsWith('k8s.')) return configGenerator(change, p);
  return null;
}
