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
import { fillCheck, helperBody, helpersFor, stdlibImports } from './templates';
import { pythonModuleStem } from './slug';

export { pyLiteral, pyString, pyNumber, pyComment } from './pylit';

/** Default folder for generated tests inside the team's repository. */
export const REGRESSION_TESTS_DIR = 'tests/regression';

export type PytestInput = 'PMW_DATASET' | 'PMW_MODEL_METADATA' | 'PMW_CONFIG' | 'PMW_REQUIREMENTS';

export const PYTEST_INPUTS: Record<PytestInput, { what: string; short: string; skip: string }> = {
  PMW_DATASET: {
    what: 'the dataset under test: .csv, .tsv/.tab or .parquet/.pq (optionally .gz/.bz2/.xz/.zip), read with pandas',
    short: 'the dataset to check (CSV, TSV or Parquet)',
    skip: 'PMW_DATASET is not set: path to the dataset to check',
  },
  PMW_MODEL_METADATA: {
    what: 'the model metadata JSON (feature order under feature_order or feature_names_in_ / feature_names, scaler parameters, thresholds)',
    short: 'the model metadata JSON',
    skip: 'PMW_MODEL_METADATA is not set: path to the model metadata JSON (feature_order) to check',
  },
  PMW_CONFIG: {
    what: 'the config to check: JSON, or YAML (also multi-document Kubernetes manifests) when PyYAML is importable',
    short: 'the config file (JSON or YAML)',
    skip: 'PMW_CONFIG is not set: path to the config file (JSON or YAML) to check',
  },
  PMW_REQUIREMENTS: {
    what: 'the pip requirements file to check (--hash values per package, index options)',
    short: 'the requirements file',
    skip: 'PMW_REQUIREMENTS is not set: path to the requirements file to check',
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
  PMW_REQUIREMENTS: 'path/to/requirements.txt',
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

/** {"int": "<digits>"} (an integer beyond 2^53) → a BigInt, so the module holds the exact Python int. */
function exactInts(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(exactInts);
  if (v && typeof v === 'object' && typeof (v as { int?: unknown }).int === 'string') return BigInt((v as { int: string }).int);
  return v;
}

interface CheckValues {
  consts: Record<string, string>;
  /** Optional parts of the check template to include (all of them when omitted). */
  sections?: string[];
}

function valuesFor(gen: TypedGenerator): CheckValues {
  switch (gen.kind) {
    case 'dataset.columns':
      return { consts: { COLUMNS: lit(gen.params.columns), CHECK_ORDER: lit(gen.params.checkOrder) } };
    case 'dataset.dtypes':
      return { consts: { DTYPES: lit(gen.params.dtypes), STRICT: lit(!!gen.params.strict) } };
    case 'dataset.null_rate': {
      const p = gen.params;
      const sections: string[] = [];
      const consts: Record<string, string> = {};
      if (p.ceilings) {
        sections.push('ceilings');
        consts.CEILINGS = lit(p.ceilings);
      }
      if (p.baseline) {
        sections.push('baseline');
        consts.BASELINE = lit(Object.fromEntries(Object.entries(p.baseline).map(([k, b]) => [k, [b.nulls, b.rows]])));
        consts.P_VALUE = lit(p.pValue ?? 0.01);
      }
      return { consts, sections };
    }
    case 'dataset.range':
      return { consts: { RANGES: lit(Object.fromEntries(Object.entries(gen.params.ranges).map(([k, r]) => [k, [r.min, r.max]]))) } };
    case 'dataset.categories': {
      const p = gen.params;
      // categories that must keep occurring replace the allowed-set check for their column
      const allowed = Object.fromEntries(Object.entries(p.categories).filter(([k]) => !p.required?.[k]));
      const sections: string[] = [];
      const consts: Record<string, string> = {};
      if (Object.keys(allowed).length) {
        sections.push('allowed');
        consts.CATEGORIES = lit(allowed);
        consts.ALLOW_UNSEEN = lit(!!p.allowUnseen);
      }
      if (p.required && Object.keys(p.required).length) {
        sections.push('required');
        consts.REQUIRED = lit(p.required);
      }
      return { consts, sections };
    }
    case 'model.feature_order':
      return { consts: { FEATURE_ORDER: lit(gen.params.featureOrder) } };
    case 'dependency.version': {
      const rows = gen.params.packages.map((p) => {
        const clauses = [p.version !== undefined ? `==${p.version}` : null, p.spec?.trim() || null].filter(Boolean) as string[];
        return [p.name, clauses.join(',')];
      });
      return { consts: { PACKAGES: lit(rows) } };
    }
    case 'config.value': {
      const rows = gen.params.values.map((v) => `    (${lit(v.path)}, ${lit(parseConfigPath(v.path))}, ${lit(exactInts(v.value))}, ${lit(!!v.absent)}),`);
      return { consts: { VALUES: ['[', ...rows, ']'].join('\n') } };
    }
    case 'model.value': {
      const rows = gen.params.values.map((v) => {
        const by = v.feature !== undefined && v.featureList !== undefined ? [v.feature, v.featureList, parseConfigPath(v.featureList)] : null;
        return `    (${lit(v.path)}, ${lit(parseConfigPath(v.path))}, ${lit(v.value)}, ${lit(v.tolerance ?? null)}, ${lit(by)}),`;
      });
      return { consts: { VALUES: ['[', ...rows, ']'].join('\n') } };
    }
    case 'data.point_in_time':
      return {
        consts: {
          FEATURE_TIMESTAMPS: lit(gen.params.featureTimestampColumns),
          LABEL_TIMESTAMP: lit(gen.params.labelTimestampColumn),
          TOLERANCE_SECONDS: lit(gen.params.toleranceSeconds),
        },
      };
    case 'prediction.mean':
      return {
        consts: {
          COLUMN: lit(gen.params.column),
          BASELINE: lit(gen.params.baseline),
          TOLERANCE: lit(gen.params.tolerance),
          RELATIVE: lit(!!gen.params.relative),
        },
      };
    case 'dataset.drift': {
      const p = gen.params;
      return {
        consts: { COLUMN: lit(p.column), TEST: lit(p.test), THRESHOLD: lit(p.threshold), REFERENCE: lit(p.reference) },
        sections: p.target ? ['target'] : [],
      };
    }
    case 'dataset.duplicates': {
      const p = gen.params;
      return { consts: { DUPLICATES: lit([p.duplicateRows, p.rows]), KEYS: lit(p.keys), P_VALUE: lit(p.pValue ?? 0.01) } };
    }
    case 'dataset.leakage': {
      const p = gen.params;
      return { consts: { COLUMN: lit(p.column), OTHER: lit(p.other), MEASURE: lit(p.measure), THRESHOLD: lit(p.threshold) } };
    }
    case 'dataset.row_count':
      return { consts: { ROWS: lit(gen.params.rows), FACTOR: lit(gen.params.factor) } };
    case 'dependency.requirements': {
      const p = gen.params;
      const sections: string[] = [];
      const consts: Record<string, string> = {};
      if (p.hashes?.length) {
        sections.push('hashes');
        consts.HASHES = lit(p.hashes.map((h) => [h.name, h.hashes]));
      }
      if (p.options?.length) {
        sections.push('options');
        consts.OPTIONS = lit(p.options.map((o) => [o.option, o.values]));
      }
      return { consts, sections };
    }
  }
}

/** A stable text of a generator (kind + params with sorted keys): equal texts are the same check. */
function generatorKey(gen: TypedGenerator): string {
  const norm = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(norm) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, norm((v as Record<string, unknown>)[k])])) : v;
  return `${gen.kind} ${JSON.stringify(norm(gen.params))}`;
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
  const sameAs = new Map<string, string>(); // generator key → the finding whose tests already check it
  testable.forEach(({ finding, gen }, i) => {
    const idPart = Number.isInteger(finding.id) && finding.id > 0 ? String(finding.id) : `x${i + 1}`;
    const head = `Finding #${idPart} [${ROLE_WORDS[finding.role] ?? finding.role}] ${pyComment(finding.title)} (${gen.kind})`;
    const key = generatorKey(gen);
    const first = sameAs.get(key);
    if (first) {
      // the same check with the same values: one test, not two
      covered.push(`  ${pyDocText(`${head}: the same check as ${first}`)}`);
      return;
    }
    sameAs.set(key, `Finding #${idPart}`);
    let prefix = `f${idPart}`;
    let n = 2;
    while (usedNames.has(prefix)) prefix = `f${idPart}_${n++}`;
    usedNames.add(prefix);
    const values = valuesFor(gen);
    const out = fillCheck(gen.kind, prefix, values.consts, values.sections);
    kinds.add(gen.kind);
    const input = GENERATOR_INPUTS[gen.kind] ?? 'none';
    needs.set(input, [...(needs.get(input) ?? []), ...out.tests]);
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

  const helpers = helpersFor(kinds);
  const imports = stdlibImports(helpers, kinds).map((m) => `import ${m}`);

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

