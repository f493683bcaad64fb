/// <reference path="./raw.d.ts" />
// The Python of the generated regression-test modules lives in real .py files next to this one:
// pmw_*.py hold helpers (copied once into a module that needs them), checks/<kind>.py one check per
// generator kind. Each file is valid Python; what a module receives is the part below the
// "# ---- pmw:body ----" marker (the lines above are imports for editors, linters and direct tests, and
// the module's own import block is the union of their plain `import x` lines).
// Check templates name their constants FX_<NAME> on lines ending in "# pmw:const", which the
// generator replaces with the finding's literals; FX_ / _fx_ / test_fx_ become the finding's prefix.
// "# ---- pmw:section <name> ----" lines split a check into parts the generator includes on demand
// (what comes before the first section is always included).
import pmwConfig from './pmw_config.py?raw';
import pmwDataset from './pmw_dataset.py?raw';
import pmwDependencies from './pmw_dependencies.py?raw';
import pmwDtypes from './pmw_dtypes.py?raw';
import pmwEnv from './pmw_env.py?raw';
import pmwMetadata from './pmw_metadata.py?raw';
import pmwPaths from './pmw_paths.py?raw';
import pmwRequirements from './pmw_requirements.py?raw';
import pmwStats from './pmw_stats.py?raw';
import pmwTimestamps from './pmw_timestamps.py?raw';
import configValue from './checks/config_value.py?raw';
import dataPointInTime from './checks/data_point_in_time.py?raw';
import datasetCategories from './checks/dataset_categories.py?raw';
import datasetColumns from './checks/dataset_columns.py?raw';
import datasetDrift from './checks/dataset_drift.py?raw';
import datasetDtypes from './checks/dataset_dtypes.py?raw';
import datasetDuplicates from './checks/dataset_duplicates.py?raw';
import datasetLeakage from './checks/dataset_leakage.py?raw';
import datasetNullRate from './checks/dataset_null_rate.py?raw';
import datasetRange from './checks/dataset_range.py?raw';
import datasetRowCount from './checks/dataset_row_count.py?raw';
import dependencyRequirements from './checks/dependency_requirements.py?raw';
import dependencyVersion from './checks/dependency_version.py?raw';
import modelFeatureOrder from './checks/model_feature_order.py?raw';
import modelValue from './checks/model_value.py?raw';
import predictionMean from './checks/prediction_mean.py?raw';
import type { GeneratorKind } from '../params';

const MARKER = '# ---- pmw:body ----';
const SECTION = /^# ---- pmw:section ([a-z_]+) ----$/;

/** Helper templates, in the order a module lists them. */
export const HELPERS = {
  env: pmwEnv,
  stats: pmwStats,
  dataset: pmwDataset,
  dtypes: pmwDtypes,
  timestamps: pmwTimestamps,
  metadata: pmwMetadata,
  paths: pmwPaths,
  dependencies: pmwDependencies,
  requirements: pmwRequirements,
  config: pmwConfig,
} as const;
export type HelperName = keyof typeof HELPERS;

const CHECKS: Record<GeneratorKind, string> = {
  'dataset.columns': datasetColumns,
  'dataset.dtypes': datasetDtypes,
  'dataset.null_rate': datasetNullRate,
  'dataset.range': datasetRange,
  'dataset.categories': datasetCategories,
  'model.feature_order': modelFeatureOrder,
  'dependency.version': dependencyVersion,
  'config.value': configValue,
  'data.point_in_time': dataPointInTime,
  'prediction.mean': predictionMean,
  'dataset.drift': datasetDrift,
  'dataset.duplicates': datasetDuplicates,
  'dataset.leakage': datasetLeakage,
  'dataset.row_count': datasetRowCount,
  'model.value': modelValue,
  'dependency.requirements': dependencyRequirements,
};

/** The helpers each check uses (besides env, which every module has). */
const CHECK_HELPERS: Record<GeneratorKind, HelperName[]> = {
  'dataset.columns': ['dataset'],
  'dataset.dtypes': ['dataset', 'dtypes'],
  'dataset.null_rate': ['stats', 'dataset'],
  'dataset.range': ['dataset'],
  'dataset.categories': ['dataset'],
  'model.feature_order': ['metadata'],
  'dependency.version': ['dependencies'],
  'config.value': ['paths', 'config'],
  'data.point_in_time': ['dataset', 'timestamps'],
  'prediction.mean': ['dataset'],
  'dataset.drift': ['stats', 'dataset'],
  'dataset.duplicates': ['stats', 'dataset'],
  'dataset.leakage': ['dataset'],
  'dataset.row_count': ['dataset'],
  'model.value': ['metadata', 'paths'],
  'dependency.requirements': ['requirements'],
};

/** Helpers a module with these kinds needs, in module order. */
export function helpersFor(kinds: Iterable<GeneratorKind>): HelperName[] {
  const need = new Set<HelperName>(['env']);
  for (const k of kinds) for (const h of CHECK_HELPERS[k]) need.add(h);
  return (Object.keys(HELPERS) as HelperName[]).filter((h) => need.has(h));
}

function split(text: string, name: string): { prelude: string; body: string } {
  const src = text.replace(/\r\n?/g, '\n');
  const at = src.indexOf(`${MARKER}\n`);
  if (at < 0) throw new Error(`${name}: no "${MARKER}" line`);
  return { prelude: src.slice(0, at), body: src.slice(at + MARKER.length + 1).replace(/\s+$/, '') };
}

/** The part of a template below its body marker (line endings normalised, no trailing blank lines). */
export function templateBody(text: string, name = 'template'): string {
  return split(text, name).body;
}

export function helperBody(name: HelperName): string {
  return templateBody(HELPERS[name], `pmw_${name}.py`);
}

/** Standard-library modules (`import x` lines of the preludes) of these helpers and checks. */
export function stdlibImports(helpers: HelperName[], kinds: Iterable<GeneratorKind>): string[] {
  const out = new Set<string>();
  const texts = [...helpers.map((h) => HELPERS[h]), ...[...kinds].map((k) => CHECKS[k])];
  for (const t of texts) for (const m of split(t, 'template').prelude.matchAll(/^import ([a-z_][a-z0-9_]*)\s*$/gm)) if (m[1] !== 'pytest') out.add(m[1]);
  return [...out].sort();
}

const CONST_LINE = /^FX_([A-Z0-9_]+) = .*# pmw:const$/gm;

/** Kinds with optional parts, and the part names. */
export function checkSections(kind: GeneratorKind): string[] {
  return [...templateBody(CHECKS[kind]).matchAll(new RegExp(SECTION.source, 'gm'))].map((m) => m[1]);
}

/**
 * The check of `kind` for one finding: only the `sections` asked for (all when omitted), constants
 * replaced by `consts` (Python source, keyed by the name after FX_), FX_ → `<PREFIX>_`, _fx_ →
 * `_<prefix>_`, test_fx_ → `test_<prefix>_`. Returns the code and its test function names.
 */
export function fillCheck(kind: GeneratorKind, prefix: string, consts: Record<string, string>, sections?: string[]): { code: string; tests: string[] } {
  const C = prefix.toUpperCase();
  const name = `checks/${kind}.py`;
  const kept: string[] = [];
  let keep = true;
  for (const line of templateBody(CHECKS[kind], name).split('\n')) {
    const m = SECTION.exec(line);
    if (m) {
      keep = !sections || sections.includes(m[1]);
      continue;
    }
    if (keep) kept.push(line);
  }
  const used = new Set<string>();
  let code = kept
    .join('\n')
    .replace(/^\s+|\s+$/g, '')
    .replace(CONST_LINE, (_, c: string) => {
      if (!(c in consts)) throw new Error(`${name}: no value for FX_${c}`);
      used.add(c);
      return `${C}_${c} = ${consts[c]}`;
    });
  for (const c of Object.keys(consts)) if (!used.has(c)) throw new Error(`${name}: no constant FX_${c} in the parts used`);
  code = code.replace(/\bFX_/g, `${C}_`).replace(/\b_fx_/g, `_${prefix}_`).replace(/\btest_fx_/g, `test_${prefix}_`);
  const tests = [...code.matchAll(/^def (test_\w+)\(/gm)].map((m) => m[1]);
  return { code, tests };
}
