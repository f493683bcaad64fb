// Typed parameters of the regression-test generators (issue 4, DESIGN §7). Pure TypeScript.
//
// A finding carries `genKind` (one of GENERATOR_KINDS) and `params`; `parseGeneratorParams(kind,
// params)` validates them and returns the typed value, or throws an ApiError('VALIDATION') whose
// message and `details.issues` name the offending field (e.g. `ceilings.Age: must be between 0 and 1`).
//
// Config paths (`config.value`) — the syntax, also parsed here (`parseConfigPath`):
//
//   path      := [ '$' ] first ( '.' key | '[' bracket ']' )*
//   first     := key | '[' bracket ']'
//   key       := one or more characters other than  .  [  ]  and whitespace
//   bracket   := integer                 list index, 0-based; negative counts from the end ([-1] = last)
//              | "text" | 'text'         a key that contains dots, brackets or spaces (JSON-style escapes)
//              | cond ( ',' cond )*      a selector: in a list, the ONE element whose fields equal the values
//   cond      := field '=' value         field: a dotted key path inside the element (e.g. metadata.name)
//                                        value: "quoted" / 'quoted', or bare text up to ',' or ']'
//
//   spec.template.spec.containers[name=vllm].image       Kubernetes container by name
//   [kind=Deployment,metadata.name=vllm].spec.replicas   multi-document YAML: the file is a list of documents
//   model.layers[0].units      settings["feature.flags"].enabled      $.a.b
//
// Selector rules: applied to a list it picks the single element whose every condition matches (none →
// "not found", several → "ambiguous"); applied to a mapping it keeps the mapping when it matches, so a
// selector also works on a single-document file. A condition matches when the field's value, written as
// text (true/false for booleans, integers without ".0", null for null), equals the value text.
// A file with one YAML document (or JSON) is that document; a file with several documents is the list
// of documents.
import { z } from 'zod';
import { ApiError, type FieldIssue } from '../api/errors';
import { lazySchema } from '../lazy';

export const GENERATOR_KINDS = [
  'dataset.columns',
  'dataset.dtypes',
  'dataset.null_rate',
  'dataset.range',
  'dataset.categories',
  'model.feature_order',
  'dependency.version',
  'config.value',
  'data.point_in_time',
  'prediction.mean',
  'dataset.drift',
  'dataset.duplicates',
  'dataset.leakage',
  'dataset.row_count',
  'model.value',
  'dependency.requirements',
] as const;
export type GeneratorKind = (typeof GENERATOR_KINDS)[number];

export const GENERATOR_KIND_LABELS: Record<GeneratorKind, string> = {
  'dataset.columns': 'Column set and order',
  'dataset.dtypes': 'Column dtypes',
  'dataset.null_rate': 'Null-rate ceilings',
  'dataset.range': 'Numeric ranges',
  'dataset.categories': 'Category sets',
  'model.feature_order': 'Model feature order',
  'dependency.version': 'Dependency versions',
  'config.value': 'Config values',
  'data.point_in_time': 'Point-in-time correctness',
  'prediction.mean': 'Prediction mean',
  'dataset.drift': 'Distribution drift',
  'dataset.duplicates': 'Duplicate rows and keys',
  'dataset.leakage': 'Label leakage',
  'dataset.row_count': 'Row count',
  'model.value': 'Model metadata values',
  'dependency.requirements': 'Requirement hashes and indexes',
};

/** Which environment variable (input) a generated test of this kind reads. */
export const GENERATOR_INPUTS: Record<GeneratorKind, 'PMW_DATASET' | 'PMW_MODEL_METADATA' | 'PMW_CONFIG' | 'PMW_REQUIREMENTS' | null> = {
  'dataset.columns': 'PMW_DATASET',
  'dataset.dtypes': 'PMW_DATASET',
  'dataset.null_rate': 'PMW_DATASET',
  'dataset.range': 'PMW_DATASET',
  'dataset.categories': 'PMW_DATASET',
  'model.feature_order': 'PMW_MODEL_METADATA',
  'dependency.version': null, // the installed environment, via importlib.metadata
  'config.value': 'PMW_CONFIG',
  'data.point_in_time': 'PMW_DATASET',
  'prediction.mean': 'PMW_DATASET',
  'dataset.drift': 'PMW_DATASET',
  'dataset.duplicates': 'PMW_DATASET',
  'dataset.leakage': 'PMW_DATASET',
  'dataset.row_count': 'PMW_DATASET',
  'model.value': 'PMW_MODEL_METADATA',
  'dependency.requirements': 'PMW_REQUIREMENTS',
};

export function isGeneratorKind(s: unknown): s is GeneratorKind {
  return typeof s === 'string' && (GENERATOR_KINDS as readonly string[]).includes(s);
}

export const DTYPES = ['int', 'float', 'bool', 'datetime', 'string'] as const;
export type DType = (typeof DTYPES)[number];

// ---------------------------------------------------------------------------------------------
// Building blocks

const columnName = lazySchema(() => z.string().min(1, { message: 'a column name must not be empty' }));
const finite = (what: string) =>
  z.number({ message: `${what} must be a number` }).refine((n) => Number.isFinite(n), { message: `${what} must be a finite number` });

/** A record keyed by column name with at least one entry. */
function columnRecord<T extends z.ZodType>(value: T, what: string) {
  return z
    .record(z.string(), value, { message: `must be an object mapping column names to ${what}` })
    .refine((r) => Object.keys(r).length > 0, { message: 'at least one column is required' })
    .refine((r) => !Object.keys(r).some((k) => k === ''), { message: 'a column name must not be empty' });
}

/** PEP 508 distribution name. */
export const PACKAGE_NAME_RE = /^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/;
/** A PEP 440 version (public part, optional local part; a trailing ".*" wildcard is allowed in pins). */
export const VERSION_RE = /^v?(\d+!)?\d+(\.\d+)*(\.\*)?([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?\d*)?([-_.]?(post|rev|r)[-_.]?\d*|-\d+)?([-_.]?dev[-_.]?\d*)?(\+[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*)?$/i;
const CLAUSE_RE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*(\S+)\s*$/;

/** Problems with a PEP 440 specifier like ">=1.24,<2" (empty list = valid). */
export function specifierProblems(spec: string): string[] {
  const out: string[] = [];
  const parts = spec.split(',');
  if (!spec.trim()) return ['must not be empty'];
  for (const raw of parts) {
    const m = CLAUSE_RE.exec(raw);
    if (!m) {
      out.push(`"${raw.trim()}" is not a clause like ">=1.2" (operators: ~= == != <= >= < > ===)`);
      continue;
    }
    const [, op, v] = m;
    if (op === '===') continue; // arbitrary equality: any string
    if (!VERSION_RE.test(v)) out.push(`"${raw.trim()}": "${v}" is not a PEP 440 version`);
    else if (v.includes('*') && op !== '==' && op !== '!=') out.push(`"${op}${v}": a ".*" wildcard is only allowed with == and !=`);
    else if (op === '~=' && !/^v?(\d+!)?\d+\.\d+/.test(v)) out.push(`"~=${v}" needs at least two release numbers (e.g. ~=1.4)`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Config paths

export type ConfigPathSegment =
  | { key: string }
  | { index: number }
  | { match: { field: string[]; value: string }[] };

/** Parse a config path (syntax in the header of this file). Throws an Error naming the position. */
export function parseConfigPath(path: string): ConfigPathSegment[] {
  const segs: ConfigPathSegment[] = [];
  let i = 0;
  const n = path.length;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at position ${i + 1} of "${path}"`);
  };
  if (n === 0) fail('empty path');
  if (path[0] === '$' && (n === 1 || path[1] === '.' || path[1] === '[')) {
    i = 1;
    if (path[1] === '.') i = 2;
    if (i >= n) fail('nothing after "$"');
  }
  const readKey = (): string => {
    const start = i;
    while (i < n && !'.[]'.includes(path[i]) && !/\s/.test(path[i])) i++;
    if (i === start) fail(/\s/.test(path[i] ?? '') ? 'whitespace in a key (quote it: ["a key"])' : 'empty key');
    return path.slice(start, i);
  };
  const readQuoted = (): string => {
    const q = path[i];
    let j = i + 1;
    let out = '';
    while (j < n && path[j] !== q) {
      if (path[j] === '\\') {
        const c = path[j + 1];
        if (c === undefined) break;
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", '/': '/', b: '\b', f: '\f' };
        if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(path.slice(j + 2, j + 6))) {
          out += String.fromCharCode(parseInt(path.slice(j + 2, j + 6), 16));
          j += 6;
          continue;
        }
        if (!(c in map)) {
          i = j;
          fail(`unknown escape "\\${c}"`);
        }
        out += map[c];
        j += 2;
        continue;
      }
      out += path[j];
      j++;
    }
    if (j >= n) fail('unterminated quoted key');
    i = j + 1;
    return out;
  };
  const readBracket = () => {
    i++; // [
    while (path[i] === ' ') i++;
    const rest = path.slice(i);
    const idx = /^(-?\d+)\s*\]/.exec(rest);
    if (idx) {
      segs.push({ index: Number(idx[1]) });
      i += idx[0].length;
      return;
    }
    if (path[i] === '"' || path[i] === "'") {
      const key = readQuoted();
      while (path[i] === ' ') i++;
      if (path[i] !== ']') fail('expected "]" after a quoted key');
      i++;
      segs.push({ key });
      return;
    }
    const conds: { field: string[]; value: string }[] = [];
    for (;;) {
      while (path[i] === ' ') i++;
      const fs = i;
      while (i < n && !'=,[]'.includes(path[i])) i++;
      const fieldText = path.slice(fs, i).trim();
      if (path[i] !== '=') fail(fieldText ? `expected "=" after "${fieldText}" (selectors look like [name=vllm])` : 'expected an index, a quoted key or a selector like [name=vllm]');
      if (!fieldText) fail('empty field name in a selector');
      const field = fieldText.split('.');
      if (field.some((f) => f === '')) fail(`empty key in selector field "${fieldText}"`);
      i++; // =
      while (path[i] === ' ') i++;
      let value: string;
      if (path[i] === '"' || path[i] === "'") value = readQuoted();
      else {
        const vs = i;
        while (i < n && path[i] !== ',' && path[i] !== ']') i++;
        value = path.slice(vs, i).trim();
      }
      conds.push({ field, value });
      while (path[i] === ' ') i++;
      if (path[i] === ',') {
        i++;
        continue;
      }
      if (path[i] === ']') {
        i++;
        break;
      }
      fail('expected "," or "]" in a selector');
    }
    segs.push({ match: conds });
  };

  if (path[i] === '[') readBracket();
  else segs.push({ key: readKey() });
  while (i < n) {
    if (path[i] === '.') {
      i++;
      segs.push({ key: readKey() });
    } else if (path[i] === '[') readBracket();
    else fail(`unexpected "${path[i]}"`);
  }
  return segs;
}

// ---------------------------------------------------------------------------------------------
// Schemas, one per kind

export const datasetColumnsParams = lazySchema(() => z.strictObject({
  columns: z.array(columnName, { message: 'must be a list of column names' }).min(1, { message: 'at least one column is required' })
    .refine((c) => new Set(c).size === c.length, { message: 'column names must be unique' }),
  checkOrder: z.boolean({ message: 'must be true or false' }),
}));

export const datasetDtypesParams = lazySchema(() => z.strictObject({
  dtypes: columnRecord(z.enum(DTYPES, { message: `must be one of ${DTYPES.join(', ')}` }), 'dtypes'),
  /** true: the column's values, as written, must infer to exactly this dtype ("3.0" is not an int). */
  strict: z.boolean({ message: 'must be true or false' }).optional(),
}));

const count = (what: string) => z.number({ message: `${what} must be a number` }).int({ message: `${what} must be a whole number` }).min(0, { message: `${what} must not be negative` });
const pValue = lazySchema(() => finite('a p-value').pipe(z.number().gt(0, { message: 'must be between 0 and 1' }).lt(1, { message: 'must be between 0 and 1' })));

export const datasetNullRateParams = lazySchema(() => z
  .strictObject({
    /** Largest allowed fraction of missing values per column, 0..1 (fixed ceilings). */
    ceilings: columnRecord(finite('a null-rate ceiling').pipe(z.number().min(0, { message: 'must be between 0 and 1' }).max(1, { message: 'must be between 0 and 1' })), 'null-rate ceilings').optional(),
    /** Last-known-good missing counts: the test compares the rate it finds with a two-proportion z-test. */
    baseline: columnRecord(
      z.strictObject({ nulls: count('nulls'), rows: count('rows').pipe(z.number().min(1, { message: 'rows must be at least 1' })) })
        .refine((b) => b.nulls <= b.rows, { message: 'nulls must not exceed rows' }),
      '{nulls, rows}',
    ).optional(),
    /** The z-test's significance level (default 0.01). */
    pValue: pValue.optional(),
  })
  .refine((p) => p.ceilings !== undefined || p.baseline !== undefined, { message: 'give ceilings or a baseline' }));

export const datasetRangeParams = lazySchema(() => z.strictObject({
  ranges: columnRecord(
    z.strictObject({ min: finite('min'), max: finite('max') }).refine((r) => r.min <= r.max, { message: 'min must not be greater than max' }),
    '{min, max}',
  ),
}));

export const datasetCategoriesParams = lazySchema(() => z.strictObject({
  categories: columnRecord(z.array(z.string(), { message: 'must be a list of category values (text)' }).min(1, { message: 'at least one category is required' }), 'category lists'),
  /** true: values outside the set are allowed, but every listed category must still occur. */
  allowUnseen: z.boolean({ message: 'must be true or false' }).optional(),
  /**
   * Last-known-good shares of categories that must keep occurring: one is missing only when the data
   * checked is large enough to expect it at least 7 times (so a small sample does not fail by chance).
   * With `required`, only these categories must occur (instead of every listed one).
   */
  required: columnRecord(z.record(z.string(), finite('a share').pipe(z.number().gt(0, { message: 'must be between 0 and 1' }).max(1, { message: 'must be between 0 and 1' }))), 'category shares').optional(),
}));

export const DRIFT_TESTS = ['ks', 'wasserstein-normed', 'chi-square', 'z-test', 'jensen-shannon'] as const;
export type DriftTestName = (typeof DRIFT_TESTS)[number];

const numberList = (what: string) => z.array(finite(what), { message: `must be a list of numbers` }).min(1, { message: `at least one ${what} is required` });
const moments = () => ({ mean: finite('mean').optional(), std: finite('std').pipe(z.number().min(0, { message: 'must not be negative' })).optional() });

/** The last-known-good side of a drift test, embedded in the generated module (see dataset/drift.ts driftReference). */
export const driftReference = lazySchema(() => z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('values'), values: numberList('value'), rows: count('rows'), ...moments() }),
    z.strictObject({ kind: z.literal('quantiles'), values: numberList('quantile'), scale: finite('scale').pipe(z.number().gt(0, { message: 'must be positive' })), rows: count('rows'), ...moments() }),
    z
      .strictObject({
        kind: z.literal('counts'),
        values: z.array(z.union([z.string(), finite('a category')]), { message: 'must be a list of categories' }).min(1, { message: 'at least one category is required' }),
        counts: z.array(count('a count'), { message: 'must be a list of counts' }),
        rows: count('rows'),
        /** z-test: the category whose proportion is compared. */
        category: z.union([z.string(), finite('category')]).optional(),
        ...moments(),
      })
      .refine((r) => r.values.length === r.counts.length, { message: 'values and counts must have the same length' }),
  ],
  { message: 'kind must be values, quantiles or counts' },
));

export const datasetDriftParams = lazySchema(() => z
  .strictObject({
    column: columnName,
    /** Evidently's default test for the column: KS / chi-square / z-test fail below the p-value threshold, distances at or above it. */
    test: z.enum(DRIFT_TESTS, { message: `must be one of ${DRIFT_TESTS.join(', ')}` }),
    threshold: finite('threshold').pipe(z.number().gt(0, { message: 'must be positive' })),
    reference: driftReference,
    /** A label or prediction column: also check its mean (numeric) or category proportions, 3σ at the size checked. */
    target: z.boolean({ message: 'must be true or false' }).optional(),
  })
  .superRefine((p, ctx) => {
    const kinds: Record<DriftTestName, string> = { ks: 'values', 'wasserstein-normed': 'quantiles', 'chi-square': 'counts', 'z-test': 'counts', 'jensen-shannon': 'counts' };
    if (kinds[p.test] !== p.reference.kind) ctx.addIssue({ code: 'custom', path: ['reference', 'kind'], message: `the ${p.test} test needs a reference of kind ${kinds[p.test]}` });
  }));

export const datasetDuplicatesParams = lazySchema(() => z.strictObject({
  /** Last-known-good: duplicated rows (equal to an earlier row) out of rows. */
  duplicateRows: count('duplicateRows'),
  rows: count('rows').pipe(z.number().min(1, { message: 'rows must be at least 1' })),
  /** Columns that must stay unique (ids). */
  keys: z.array(columnName, { message: 'must be a list of column names' }),
  pValue: pValue.optional(),
}));

export const LEAKAGE_MEASURES = ['agreement', 'correlation', 'accuracy'] as const;

export const datasetLeakageParams = lazySchema(() => z.strictObject({
  /** The suspect column (absent = the test passes). */
  column: columnName,
  /** The column it copies or predicts. */
  other: columnName,
  measure: z.enum(LEAKAGE_MEASURES, { message: `must be one of ${LEAKAGE_MEASURES.join(', ')}` }),
  threshold: finite('threshold').pipe(z.number().gt(0, { message: 'must be between 0 and 1' }).max(1, { message: 'must be between 0 and 1' })),
}));

export const datasetRowCountParams = lazySchema(() => z.strictObject({
  /** Last-known-good row count. */
  rows: count('rows').pipe(z.number().min(1, { message: 'rows must be at least 1' })),
  /** Allowed factor either way (2: between half and double). */
  factor: finite('factor').pipe(z.number().gt(1, { message: 'must be greater than 1' })),
}));

export const modelFeatureOrderParams = lazySchema(() => z.strictObject({
  featureOrder: z.array(z.string().min(1, { message: 'a feature name must not be empty' }), { message: 'must be a list of feature names' })
    .min(1, { message: 'at least one feature is required' }),
}));

const packageSpec = lazySchema(() => z
  .strictObject({
    name: z.string({ message: 'must be a package name' }).regex(PACKAGE_NAME_RE, { message: 'must be a package name (PEP 508), e.g. numpy or scikit-learn' }),
    /** Exact pin: the installed version must equal this (PEP 440 equality, "1.4.*" allowed). */
    version: z.string({ message: 'must be a version' }).regex(VERSION_RE, { message: 'must be a PEP 440 version like 1.24.4 (without "==")' }).optional(),
    /** Allowed range, a PEP 440 specifier such as ">=1.24,<2". */
    spec: z.string({ message: 'must be a version specifier' }).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.spec !== undefined) {
      for (const problem of specifierProblems(p.spec)) ctx.addIssue({ code: 'custom', path: ['spec'], message: problem });
    }
  }));

export const dependencyVersionParams = lazySchema(() => z.strictObject({
  packages: z.array(packageSpec, { message: 'must be a list of {name, version?, spec?}' }).min(1, { message: 'at least one package is required' }),
}));

/** A config path (syntax in the header of this file), its parse error as the message. */
const configPath = (message: string) =>
  z.string({ message }).superRefine((p, ctx) => {
    try {
      parseConfigPath(p);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  });

const configScalar = lazySchema(() => z.union(
  [
    z.string(),
    finite('a value'),
    z.boolean(),
    z.null(),
    /** An integer beyond 2^53, exact (as YAML/JSON integers are): {"int": "9007199254740993"}. */
    z.strictObject({ int: z.string().regex(/^-?\d+$/, { message: 'must be the digits of an integer' }) }),
  ],
  { message: 'must be text, a number, true/false, null or {"int": "<digits>"}' },
));
const configValue = lazySchema(() => z.union([configScalar, z.array(configScalar, { message: 'must be a list of values' })], {
  message: 'must be text, a number, true/false, null, {"int": "<digits>"} or a list of those',
}));

export const configValueParams = lazySchema(() => z.strictObject({
  values: z
    .array(
      z.strictObject({
        path: configPath('must be a config path'),
        value: configValue,
        /** true: the path must NOT exist (something the last-known-good did not have); value is then ignored. */
        absent: z.boolean({ message: 'must be true or false' }).optional(),
      }),
      { message: 'must be a list of {path, value, absent?}' },
    )
    .min(1, { message: 'at least one value is required' }),
}));

export const dataPointInTimeParams = lazySchema(() => z.strictObject({
  featureTimestampColumns: z.array(columnName, { message: 'must be a list of column names' }).min(1, { message: 'at least one feature timestamp column is required' }),
  labelTimestampColumn: columnName,
  toleranceSeconds: finite('toleranceSeconds').pipe(z.number().min(0, { message: 'must not be negative' })),
}));

const metadataValue = lazySchema(() => z.union([z.string(), finite('a value'), z.boolean(), z.null(), z.array(finite('a value'), { message: 'must be a list of numbers' })], {
  message: 'must be text, a number, a list of numbers, true/false or null',
}));

export const modelValueParams = lazySchema(() => z.strictObject({
  values: z
    .array(
      z.strictObject({
        path: configPath('must be a path in the model metadata'),
        value: metadataValue,
        /** Numbers: largest allowed relative difference |found − value| / max(|found|, |value|) (default exact). */
        tolerance: finite('tolerance').pipe(z.number().min(0, { message: 'must not be negative' }).lt(1, { message: 'must be below 1' })).optional(),
        /** `path` is a per-feature list: take the element at this feature's position in `featureList`. */
        feature: z.string().min(1, { message: 'a feature name must not be empty' }).optional(),
        featureList: configPath('must be the path of the feature list').optional(),
      }).refine((v) => (v.feature === undefined) === (v.featureList === undefined), { message: 'feature and featureList go together' }),
      { message: 'must be a list of {path, value, tolerance?}' },
    )
    .min(1, { message: 'at least one value is required' }),
}));

export const REQUIREMENT_OPTIONS = ['--index-url', '--extra-index-url', '--find-links', '--trusted-host'] as const;

export const dependencyRequirementsParams = lazySchema(() => z
  .strictObject({
    /** Per package, the exact set of --hash values the requirements file must carry. */
    hashes: z
      .array(
        z.strictObject({
          name: z.string({ message: 'must be a package name' }).regex(PACKAGE_NAME_RE, { message: 'must be a package name (PEP 508)' }),
          hashes: z.array(z.string().regex(/^[a-z0-9]+:[A-Za-z0-9+/=_-]+$/, { message: 'must look like sha256:<hex>' }), { message: 'must be a list of hashes' }),
        }),
        { message: 'must be a list of {name, hashes}' },
      )
      .optional(),
    /** Per option, the exact list of values (index URLs, find-links, trusted hosts), in order. */
    options: z
      .array(z.strictObject({ option: z.enum(REQUIREMENT_OPTIONS, { message: `must be one of ${REQUIREMENT_OPTIONS.join(', ')}` }), values: z.array(z.string()) }), {
        message: 'must be a list of {option, values}',
      })
      .optional(),
  })
  .refine((p) => (p.hashes?.length ?? 0) + (p.options?.length ?? 0) > 0, { message: 'give hashes or options' }));

export const predictionMeanParams = lazySchema(() => z.strictObject({
  column: columnName,
  baseline: finite('baseline'),
  /** Absolute tolerance, or a fraction of |baseline| when `relative` is true. */
  tolerance: finite('tolerance').pipe(z.number().min(0, { message: 'must not be negative' })),
  relative: z.boolean({ message: 'must be true or false' }).optional(),
}));

export const GENERATOR_PARAM_SCHEMAS = {
  'dataset.columns': datasetColumnsParams,
  'dataset.dtypes': datasetDtypesParams,
  'dataset.null_rate': datasetNullRateParams,
  'dataset.range': datasetRangeParams,
  'dataset.categories': datasetCategoriesParams,
  'model.feature_order': modelFeatureOrderParams,
  'dependency.version': dependencyVersionParams,
  'config.value': configValueParams,
  'data.point_in_time': dataPointInTimeParams,
  'prediction.mean': predictionMeanParams,
  'dataset.drift': datasetDriftParams,
  'dataset.duplicates': datasetDuplicatesParams,
  'dataset.leakage': datasetLeakageParams,
  'dataset.row_count': datasetRowCountParams,
  'model.value': modelValueParams,
  'dependency.requirements': dependencyRequirementsParams,
} as const satisfies Record<GeneratorKind, z.ZodType>;

export type DatasetColumnsParams = z.infer<typeof datasetColumnsParams>;
export type DatasetDtypesParams = z.infer<typeof datasetDtypesParams>;
export type DatasetNullRateParams = z.infer<typeof datasetNullRateParams>;
export type DatasetRangeParams = z.infer<typeof datasetRangeParams>;
export type DatasetCategoriesParams = z.infer<typeof datasetCategoriesParams>;
export type ModelFeatureOrderParams = z.infer<typeof modelFeatureOrderParams>;
export type DependencyVersionParams = z.infer<typeof dependencyVersionParams>;
export type ConfigValueParams = z.infer<typeof configValueParams>;
export type DataPointInTimeParams = z.infer<typeof dataPointInTimeParams>;
export type PredictionMeanParams = z.infer<typeof predictionMeanParams>;
export type DatasetDriftParams = z.infer<typeof datasetDriftParams>;
export type DatasetDuplicatesParams = z.infer<typeof datasetDuplicatesParams>;
export type DatasetLeakageParams = z.infer<typeof datasetLeakageParams>;
export type DatasetRowCountParams = z.infer<typeof datasetRowCountParams>;
export type ModelValueParams = z.infer<typeof modelValueParams>;
export type DependencyRequirementsParams = z.infer<typeof dependencyRequirementsParams>;

export interface GeneratorParamsMap {
  'dataset.columns': DatasetColumnsParams;
  'dataset.dtypes': DatasetDtypesParams;
  'dataset.null_rate': DatasetNullRateParams;
  'dataset.range': DatasetRangeParams;
  'dataset.categories': DatasetCategoriesParams;
  'model.feature_order': ModelFeatureOrderParams;
  'dependency.version': DependencyVersionParams;
  'config.value': ConfigValueParams;
  'data.point_in_time': DataPointInTimeParams;
  'prediction.mean': PredictionMeanParams;
  'dataset.drift': DatasetDriftParams;
  'dataset.duplicates': DatasetDuplicatesParams;
  'dataset.leakage': DatasetLeakageParams;
  'dataset.row_count': DatasetRowCountParams;
  'model.value': ModelValueParams;
  'dependency.requirements': DependencyRequirementsParams;
}
export type GeneratorParams<K extends GeneratorKind = GeneratorKind> = GeneratorParamsMap[K];

/** A kind with its parsed parameters (a discriminated union, handy for switch statements). */
export type TypedGenerator = { [K in GeneratorKind]: { kind: K; params: GeneratorParamsMap[K] } }[GeneratorKind];

function fieldOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(params)';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** Field issues for `params` of `kind` (empty = valid). */
export function generatorParamIssues(kind: string, params: unknown): FieldIssue[] {
  if (!isGeneratorKind(kind)) return [{ field: 'genKind', message: `unknown generator kind "${kind}"; one of ${GENERATOR_KINDS.join(', ')}` }];
  const r = GENERATOR_PARAM_SCHEMAS[kind].safeParse(params);
  if (r.success) return [];
  return r.error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') {
      const message = `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
      return { field: fieldOf([...i.path, i.keys[0]]), message };
    }
    let message = i.message;
    if (i.code === 'invalid_type' && valueAt(params, i.path) === undefined) message = 'is required';
    return { field: fieldOf(i.path), message };
  });
}

/**
 * Validate a finding's generator parameters. Returns the typed value; throws ApiError('VALIDATION')
 * with a message like `dataset.null_rate params — ceilings.Age: must be between 0 and 1`.
 */
export function parseGeneratorParams<K extends GeneratorKind>(kind: K, params: unknown): GeneratorParamsMap[K];
export function parseGeneratorParams(kind: string, params: unknown): GeneratorParams;
export function parseGeneratorParams(kind: string, params: unknown): GeneratorParams {
  if (!isGeneratorKind(kind)) {
    throw new ApiError('VALIDATION', `Unknown generator kind "${kind}" (one of ${GENERATOR_KINDS.join(', ')})`, {
      issues: [{ field: 'genKind', message: `unknown generator kind "${kind}"` }],
    });
  }
  const r = GENERATOR_PARAM_SCHEMAS[kind].safeParse(params);
  if (!r.success) {
    const issues = generatorParamIssues(kind, params);
    const first = issues[0] ?? { field: '(params)', message: 'invalid' };
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new ApiError('VALIDATION', `${kind} params — ${first.field}: ${first.message}${more}`, { issues });
  }
  return r.data as GeneratorParams;
}
