// Findings → runnable pytest regression tests (issue 4 §2, DESIGN §7, seed 004 "Fix, test, and
// prevent regression"). Pure TypeScript: builds Python source text, runs nothing.
//
// Layout: ONE module per incident, `test_<key>_regressions.py` (e.g. test_inc_0007_regressions.py), meant
// for `tests/regression/` in the team's repo. One module keeps an incident's guards together (one file to
// review, one command to run, one place the runbook points at); inside it every finding gets its own
// clearly-labelled block of constants and test functions named `test_f<finding id>_<check>`, so a failure
// names the finding. Checks over several columns / packages / paths are parametrized, one test per item.
//
// Inputs come from environment variables documented in the module docstring: PMW_DATASET (CSV/TSV/
// Parquet, read with pandas), PMW_MODEL_METADATA (JSON), PMW_CONFIG (JSON or YAML). A test whose input is
// unset is skipped with a reason naming the variable. Baseline values are embedded as Python literals
// (pyLiteral), never as placeholders. The module needs Python ≥ 3.8, pytest and (for dataset checks)
// pandas; `packaging` and PyYAML are used when importable.
//
// Findings that are rejected, or whose genKind is not a generator kind, produce no tests; when no
// finding produces a test, generatePytest returns [] (nothing to write).
import type { Finding } from '../artifacts';
import type { Incident } from '../domain';
import { ApiError } from '../api/errors';
import {
  GENERATOR_INPUTS, GENERATOR_KINDS, isGeneratorKind, parseConfigPath, parseGeneratorParams,
  type GeneratorKind, type TypedGenerator,
} from './params';
import { pyComment, pyDocText, pyLiteral } from './pylit';
import { fillCheck, helperBody, type HelperName } from './templates';
import { pythonModuleStem } from './slug';

export { pyLiteral, pyString, pyNumber, pyComment } from './pylit';

/** Default folder for generated tests inside the team's repository. */
export const REGRESSION_TESTS_DIR = 'tests/regression';

export type PytestInput = 'PMW_DATASET' | 'PMW_MODEL_METADATA' | 'PMW_CONFIG';

export const PYTEST_INPUTS: Record<PytestInput, { what: string; short: string; skip: string }> = {
  PMW_DATASET: {
    what: 'the dataset under test: .csv, .tsv/.tab or .parquet/.pq (optionally .gz/.bz2/.xz/.zip), read with pandas',
    short: 'the dataset to check (CSV, TSV or Parquet)',
    skip: 'PMW_DATASET is not set: path to the dataset to check',
  },
  PMW_MODEL_METADATA: {
    what: 'the model metadata JSON holding the feature order (key feature_order, or feature_names_in_ / feature_names)',
    short: 'the model metadata JSON',
    skip: 'PMW_MODEL_METADATA is not set: path to the model metadata JSON (feature_order) to check',
  },
  PMW_CONFIG: {
    what: 'the config to check: JSON, or YAML (also multi-document Kubernetes manifests) when PyYAML is importable',
    short: 'the config file (JSON or YAML)',
    skip: 'PMW_CONFIG is not set: path to the config file (JSON or YAML) to check',
  },
};

export interface GeneratedFile {
  /** Relative path; for tests, relative to the regression-tests folder (REGRESSION_TESTS_DIR). */
  path: string;
  content: string;
}

/** "test_inc_0007_regressions.py" */
export function regressionTestFileName(incident: Pick<Incident, 'key'>): string {
  return `test_${pythonModuleStem(incident.key)}_regressions.py`;
}

/** A finding this generator turns into tests, with its parsed parameters. */
export interface TestableFinding {
  finding: Finding;
  gen: TypedGenerator;
}

/** Findings that produce tests (not rejected, generator kind known), params validated, ordered by id. */
export function testableFindings(findings: Finding[]): TestableFinding[] {
  const out: TestableFinding[] = [];
  for (const f of [...findings].sort((a, b) => a.id - b.id)) {
    if (f.status === 'rejected' || !isGeneratorKind(f.genKind)) continue;
    let params;
    try {
      params = parseGeneratorParams(f.genKind, f.params);
    } catch (e) {
      const err = ApiError.from(e);
      throw new ApiError('VALIDATION', `Finding #${f.id} "${pyComment(f.title)}": ${err.message}`, {
        ...err.details,
        findingId: f.id,
        issues: (err.details?.issues ?? []).map((i) => ({ field: `params.${i.field}`, message: i.message })),
      });
    }
    out.push({ finding: f, gen: { kind: f.genKind, params } as TypedGenerator });
  }
  return out;
}

/** The environment variables the generated module reads, given the findings. */
export function pytestInputsFor(findings: Finding[]): PytestInput[] {
  const used = new Set<PytestInput>();
  for (const t of testableFindings(findings)) {
    const v = GENERATOR_INPUTS[t.gen.kind];
    if (v) used.add(v);
  }
  return (Object.keys(PYTEST_INPUTS) as PytestInput[]).filter((v) => used.has(v));
}

const PLACEHOLDER_VALUE: Record<PytestInput, string> = {
  PMW_DATASET: 'path/to/dataset.csv',
  PMW_MODEL_METADATA: 'path/to/model_metadata.json',
  PMW_CONFIG: 'path/to/config.yaml',
};

/** One-line command: `PMW_DATASET=path/to/dataset.csv python3 -m pytest -q -ra tests/regression/test_….py`. */
export function pytestCommand(incident: Pick<Incident, 'key'>, findings: Finding[], dir = REGRESSION_TESTS_DIR): string {
  const env = pytestInputsFor(findings).map((v) => `${v}=${PLACEHOLDER_VALUE[v]} `).join('');
  const file = dir ? `${dir.replace(/\/+$/, '')}/${regressionTestFileName(incident)}` : regressionTestFileName(incident);
  return `${env}python3 -m pytest -q -ra ${file}`;
}

// ---------------------------------------------------------------------------------------------
// Per-kind constants: the finding's values as Python literals, for the FX_ lines of its check template
// (templates/checks/<kind>.py).

const lit = pyLiteral;

function constsFor(gen: TypedGenerator): Record<string, string> {
  switch (gen.kind) {
    case 'dataset.columns':
      return { COLUMNS: lit(gen.params.columns), CHECK_ORDER: lit(gen.params.checkOrder) };
    case 'dataset.dtypes':
      return { DTYPES: lit(gen.params.dtypes) };
    case 'dataset.null_rate':
      return { CEILINGS: lit(gen.params.ceilings) };
    case 'dataset.range':
      return { RANGES: lit(Object.fromEntries(Object.entries(gen.params.ranges).map(([k, r]) => [k, [r.min, r.max]]))) };
    case 'dataset.categories':
      return { CATEGORIES: lit(gen.params.categories), ALLOW_UNSEEN: lit(!!gen.params.allowUnseen) };
    case 'model.feature_order':
      return { FEATURE_ORDER: lit(gen.params.featureOrder) };
    case 'dependency.version': {
      const rows = gen.params.packages.map((p) => {
        const clauses = [p.version !== undefined ? `==${p.version}` : null, p.spec?.trim() || null].filter(Boolean) as string[];
        return [p.name, clauses.join(',')];
      });
      return { PACKAGES: lit(rows) };
    }
    case 'config.value': {
      const rows = gen.params.values.map((v) => `    (${lit(v.path)}, ${lit(parseConfigPath(v.path))}, ${lit(v.value)}),`);
      return { VALUES: ['[', ...rows, ']'].join('\n') };
    }
    case 'data.point_in_time':
      return {
        FEATURE_TIMESTAMPS: lit(gen.params.featureTimestampColumns),
        LABEL_TIMESTAMP: lit(gen.params.labelTimestampColumn),
        TOLERANCE_SECONDS: lit(gen.params.toleranceSeconds),
      };
    case 'prediction.mean':
      return {
        COLUMN: lit(gen.params.column),
        BASELINE: lit(gen.params.baseline),
        TOLERANCE: lit(gen.params.tolerance),
        RELATIVE: lit(!!gen.params.relative),
      };
  }
}

const ROLE_WORDS: Record<Finding['role'], string> = {
  root_cause: 'root cause',
  trigger: 'trigger',
  contributing: 'contributing',
  detection_gap: 'detection gap',
};

/**
 * One pytest module for the incident (see the header of this file), or [] when no finding has a
 * generator kind. Throws ApiError('VALIDATION') naming the finding and field when params are invalid.
 */
export function generatePytest(incident: Incident, findings: Finding[]): GeneratedFile[] {
  const testable = testableFindings(findings);
  if (testable.length === 0) return [];
  const fileName = regressionTestFileName(incident);

  const blocks: string[] = [];
  const needs = new Map<PytestInput | 'none', string[]>();
  const usedNames = new Set<string>();
  const kinds = new Set<GeneratorKind>();
  const covered: string[] = [];
  testable.forEach(({ finding, gen }, i) => {
    const idPart = Number.isInteger(finding.id) && finding.id > 0 ? String(finding.id) : `x${i + 1}`;
    let prefix = `f${idPart}`;
    let n = 2;
    while (usedNames.has(prefix)) prefix = `f${idPart}_${n++}`;
    usedNames.add(prefix);
    const out = fillCheck(gen.kind, prefix, constsFor(gen));
    kinds.add(gen.kind);
    const input = GENERATOR_INPUTS[gen.kind] ?? 'none';
    needs.set(input, [...(needs.get(input) ?? []), ...out.tests]);
    const head = `Finding #${idPart} [${ROLE_WORDS[finding.role] ?? finding.role}] ${pyComment(finding.title)} (${gen.kind})`;
    covered.push(`  ${pyDocText(head)}`);
    const evidence = (finding.evidence?.changes ?? []).slice(0, 3).map((c) => `# evidence: ${pyComment(c.message)}`);
    blocks.push(['# ' + '-'.repeat(98), `# ${pyComment(head)}`, ...evidence, '# ' + '-'.repeat(98), out.code].join('\n'));
  });

  const datasetKinds = [...kinds].some((k) => GENERATOR_INPUTS[k] === 'PMW_DATASET');
  const title = `${incident.key}: ${incident.title}`;

  const doc: string[] = [];
  doc.push(`"""Regression tests for ${pyDocText(title)}.`);
  doc.push('');
  doc.push(`Generated by Postmortem Workbench from the findings of ${pyDocText(incident.key)} (service: ${pyDocText(incident.service || 'unspecified')},`);
  doc.push(`failure class: ${pyDocText(incident.failureClass)}). Baselines come from the last-known-good artifacts; each test fails with`);
  doc.push('"expected ..., found ..." when the input under test has regressed.');
  doc.push('');
  doc.push('Inputs (environment variables):');
  for (const v of Object.keys(PYTEST_INPUTS) as PytestInput[]) {
    const users = needs.get(v);
    doc.push(`  ${v.padEnd(19)}${PYTEST_INPUTS[v].what}.`);
    doc.push(`  ${' '.repeat(19)}${users ? `Needed by: ${users.join(', ')}.` : 'Not used by this module.'}`);
  }
  if (needs.has('none')) doc.push(`  (no input)         ${needs.get('none')!.join(', ')} check the installed Python environment.`);
  doc.push('A test whose input variable is unset is skipped with a reason naming the variable (shown with -ra or -rs).');
  if (kinds.has('config.value')) {
    doc.push('YAML configs need PyYAML; without it those tests are skipped with the reason.');
    doc.push('Config paths: a.b.c keys, [0] list index (negative from the end), ["a.b"] quoted key,');
    doc.push('[name=vllm] the one list element whose field equals the value (fields may be dotted: metadata.name;');
    doc.push('several conditions with commas). A multi-document YAML file is the list of its documents.');
  }
  if (kinds.has('dependency.version')) doc.push('Versions are compared with packaging.specifiers when importable, else with a small built-in PEP 440 comparator.');
  if (datasetKinds) doc.push('Requirements: Python >= 3.8, pytest, pandas (Parquet also needs pyarrow or fastparquet).');
  else doc.push('Requirements: Python >= 3.8 and pytest.');
  doc.push('');
  doc.push('Run:');
  doc.push(`  ${pyDocText(pytestCommand(incident, findings))}`);
  doc.push('');
  doc.push('Findings covered:');
  doc.push(...covered);
  const skipped = findings.filter((f) => f.status !== 'rejected' && f.genKind && !isGeneratorKind(f.genKind));
  if (skipped.length) {
    doc.push('Findings without a test generator (kinds other than ' + pyDocText(GENERATOR_KINDS.join(', ')) + '):');
    for (const f of skipped) doc.push(`  Finding #${f.id} ${pyDocText(f.title)} (${pyDocText(f.genKind ?? '')})`);
  }
  doc.push('"""');

  const imports = ['import json', 'import os'];
  if (kinds.has('dependency.version')) imports.push('import re');
  const helpers: HelperName[] = ['env'];
  if (datasetKinds) helpers.push('dataset');
  if (kinds.has('dataset.dtypes')) helpers.push('dtypes');
  if (kinds.has('data.point_in_time')) helpers.push('timestamps');
  if (kinds.has('model.feature_order')) helpers.push('metadata');
  if (kinds.has('dependency.version')) helpers.push('dependencies');
  if (kinds.has('config.value')) helpers.push('config');

  const content = [
    doc.join('\n'),
    '',
    imports.join('\n'),
    '',
    'import pytest',
    '',
    '# ' + '='.repeat(98),
    '# Helpers',
    '# ' + '='.repeat(98),
    '',
    '',
    helpers.map(helperBody).join('\n\n\n'),
    '',
    '',
    blocks.join('\n\n\n'),
    '',
  ].join('\n');
  return [{ path: fileName, content: content.replace(/\n{4,}/g, '\n\n\n') }];
}

