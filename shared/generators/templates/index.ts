/// <reference path="./raw.d.ts" />
// The Python of the generated regression-test modules lives in real .py files next to this one:
// pmw_*.py hold helpers (copied once into a module that needs them), checks/<kind>.py one check per
// generator kind. Each file is valid Python; what a module receives is the part below the
// "# ---- pmw:body ----" marker (the lines above are imports for editors, linters and direct tests).
// Check templates name their constants FX_<NAME> on lines ending in "# pmw:const", which the
// generator replaces with the finding's literals, and their tests test_fx_<check>, renamed per finding.
import pmwConfig from './pmw_config.py?raw';
import pmwDataset from './pmw_dataset.py?raw';
import pmwDependencies from './pmw_dependencies.py?raw';
import pmwDtypes from './pmw_dtypes.py?raw';
import pmwEnv from './pmw_env.py?raw';
import pmwMetadata from './pmw_metadata.py?raw';
import pmwTimestamps from './pmw_timestamps.py?raw';
import configValue from './checks/config_value.py?raw';
import dataPointInTime from './checks/data_point_in_time.py?raw';
import datasetCategories from './checks/dataset_categories.py?raw';
import datasetColumns from './checks/dataset_columns.py?raw';
import datasetDtypes from './checks/dataset_dtypes.py?raw';
import datasetNullRate from './checks/dataset_null_rate.py?raw';
import datasetRange from './checks/dataset_range.py?raw';
import dependencyVersion from './checks/dependency_version.py?raw';
import modelFeatureOrder from './checks/model_feature_order.py?raw';
import predictionMean from './checks/prediction_mean.py?raw';
import type { GeneratorKind } from '../params';

const MARKER = '# ---- pmw:body ----';

/** Helper templates in the order a module lists them. */
export const HELPERS = {
  env: pmwEnv,
  dataset: pmwDataset,
  dtypes: pmwDtypes,
  timestamps: pmwTimestamps,
  metadata: pmwMetadata,
  dependencies: pmwDependencies,
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
};

/** The part of a template below its body marker (line endings normalised, no trailing blank lines). */
export function templateBody(text: string, name = 'template'): string {
  const src = text.replace(/\r\n?/g, '\n');
  const at = src.indexOf(`${MARKER}\n`);
  if (at < 0) throw new Error(`${name}: no "${MARKER}" line`);
  return src.slice(at + MARKER.length + 1).replace(/\s+$/, '');
}

export function helperBody(name: HelperName): string {
  return templateBody(HELPERS[name], `pmw_${name}.py`);
}

const CONST_LINE = /^FX_([A-Z0-9_]+) = .*# pmw:const$/gm;

/**
 * The check of `kind` for one finding: constants replaced by `consts` (Python source, keyed by the
 * name after FX_), FX_ → `<CONST>_`, test_fx_ → `test_<prefix>_`. Returns the code and its test names.
 */
export function fillCheck(kind: GeneratorKind, prefix: string, consts: Record<string, string>): { code: string; tests: string[] } {
  const C = prefix.toUpperCase();
  const used = new Set<string>();
  let code = templateBody(CHECKS[kind], `checks/${kind}.py`).replace(CONST_LINE, (_, name: string) => {
    if (!(name in consts)) throw new Error(`checks/${kind}.py: no value for FX_${name}`);
    used.add(name);
    return `${C}_${name} = ${consts[name]}`;
  });
  for (const name of Object.keys(consts)) if (!used.has(name)) throw new Error(`checks/${kind}.py: no constant FX_${name}`);
  code = code.replace(/\bFX_/g, `${C}_`).replace(/\btest_fx_/g, `test_${prefix}_`);
  const tests = [...code.matchAll(/^def (test_\w+)\(/gm)].map((m) => m[1]);
  return { code, tests };
}
