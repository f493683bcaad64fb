// From a diff change to a finding draft: title, class and the generator kind + parameters whose
// regression test pins the last-known-good behaviour. Pure TypeScript.
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
  const m = /^([A-Za-z][\w.-]*)\/([^/\s:]+)\/([^/\s:]+): (.+)$/.exec(subject);
  if (m) {
    prefix = `[kind=${m[1]},metadata.name=${m[3]}]`;
    path = m[4];
  }
  if (path === '(root)') return null;
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

/** The regression test that would have caught this change, or null when none fits. */
export function generatorForChange(change: Change, ctx: ChangeContext = {}): GeneratorChoice | null {
  const p = (change.params ?? {}) as Record<string, unknown>;
  // A secret is never pinned by value: shared/generators/secretTests.ts pins it by a salted hash.
  if (p.secret === true) return null;
  const base = (p.baseline ?? {}) as Baseline;
  const col = (p.column as string | undefined) ?? base.name ?? change.subject;
  const k = change.kind;

  if (k.startsWith('column.') && k !== 'column.dtype' && k !== 'column.nullable') {
    const cols = p.expectedColumns as string[] | undefined;
    if (cols?.length) return valid('dataset.columns', { columns: cols, checkOrder: true });
  }
  if (k === 'column.dtype' && base.dtype) return valid('dataset.dtypes', { dtypes: { [col]: base.dtype } });
  if ((k === 'nulls.rate' || k === 'column.nullable') && typeof base.nullRateCeiling === 'number') {
    return valid('dataset.null_rate', { ceilings: { [col]: base.nullRateCeiling } });
  }
  if ((k === 'range.changed' || k === 'drift.numeric') && typeof base.min === 'number' && typeof base.max === 'number') {
    return valid('dataset.range', { ranges: { [col]: { min: base.min, max: base.max } } });
  }
  if ((k === 'category.new' || k === 'category.vanished' || k === 'drift.categorical') && base.categories?.length) {
    return valid('dataset.categories', { categories: { [col]: base.categories }, allowUnseen: false });
  }
  if (k.startsWith('model.feature')) {
    const order = featureOrderOf(ctx.beforeText);
    if (order?.length) return valid('model.feature_order', { featureOrder: order });
  }
  if (k.startsWith('dependency.') && k !== 'dependency.added') {
    const name = change.subject.replace(/\s*\[.*$/, '').trim();
    const before = change.before;
    if (isVersion(before)) return valid('dependency.version', { packages: [{ name, version: before.trim().replace(/^v/, '') }] });
    if (isSpec(before)) return valid('dependency.version', { packages: [{ name, spec: String(before).trim() }] });
  }
  if ((k.startsWith('config.') || k.startsWith('image.') || k.startsWith('k8s.')) && change.before !== null && typeof change.before !== 'object') {
    const path = configPathFromSubject(change.subject);
    if (path && !k.endsWith('-added') && !k.endsWith('.added')) return valid('config.value', { values: [{ path, value: change.before }] });
  }
  return null;
}
