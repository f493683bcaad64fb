import { describe, expect, it } from 'vitest';
import {
  GENERATOR_INPUTS, GENERATOR_KINDS, GENERATOR_PARAM_SCHEMAS, generatorParamIssues, isGeneratorKind, parseConfigPath, parseGeneratorParams,
  specifierProblems,
} from '../../shared/generators/params';

const valid: Record<(typeof GENERATOR_KINDS)[number], unknown> = {
  'dataset.columns': { columns: ['a', 'b'], checkOrder: true },
  'dataset.dtypes': { dtypes: { a: 'int', b: 'float', c: 'bool', d: 'datetime', e: 'string' } },
  'dataset.null_rate': { ceilings: { Age: 0.25, Fare: 0 } },
  'dataset.range': { ranges: { Age: { min: 0.42, max: 80 } } },
  'dataset.categories': { categories: { Sex: ['male', 'female'] }, allowUnseen: true },
  'model.feature_order': { featureOrder: ['Age', 'Sex'] },
  'dependency.version': { packages: [{ name: 'numpy', version: '1.24.4' }, { name: 'scikit-learn', spec: '>=1.3,<1.6' }, { name: 'torch', spec: '~=2.1' }, { name: 'pandas' }] },
  'config.value': { values: [{ path: 'spec.template.spec.containers[name=vllm].image', value: 'vllm/vllm-openai:v0.11.0' }, { path: 'a.b', value: null }, { path: 'x', value: false }] },
  'data.point_in_time': { featureTimestampColumns: ['feature_ts'], labelTimestampColumn: 'label_ts', toleranceSeconds: 0 },
  'prediction.mean': { column: 'prediction', baseline: 0.42, tolerance: 0.01, relative: true },
  'dataset.drift': { column: 'Age', test: 'ks', threshold: 0.05, reference: { kind: 'values', values: [1, 2, 3], rows: 3, mean: 2, std: 1 }, target: true },
  'dataset.duplicates': { duplicateRows: 0, rows: 891, keys: ['PassengerId'], pValue: 0.01 },
  'dataset.leakage': { column: 'Survived_copy', other: 'Survived', measure: 'agreement', threshold: 0.98 },
  'dataset.row_count': { rows: 891, factor: 2 },
  'model.value': { values: [{ path: 'scaler.mean[0]', value: 1.5, tolerance: 0.05 }, { path: 'threshold', value: 0.5 }, { path: 'scaler.scale', value: [1, 2] }] },
  'dependency.requirements': { hashes: [{ name: 'numpy', hashes: ['sha256:abc123'] }], options: [{ option: '--extra-index-url', values: ['https://download.pytorch.org/whl/cu118'] }] },
};

describe('generator params', () => {
  it('declares a schema and an input per kind', () => {
    expect(GENERATOR_KINDS).toHaveLength(16);
    expect(Object.keys(GENERATOR_PARAM_SCHEMAS).sort()).toEqual([...GENERATOR_KINDS].sort());
    expect(Object.keys(GENERATOR_INPUTS).sort()).toEqual([...GENERATOR_KINDS].sort());
    expect(isGeneratorKind('dataset.columns')).toBe(true);
    expect(isGeneratorKind('column.removed')).toBe(false);
  });

  it('accepts valid params for every kind and returns them typed', () => {
    for (const k of GENERATOR_KINDS) expect(parseGeneratorParams(k, valid[k]), k).toEqual(valid[k]);
    const p = parseGeneratorParams('dataset.null_rate', { ceilings: { Age: 0.3 } });
    expect(p.ceilings?.Age).toBe(0.3);
  });

  const bad: [string, unknown, string, RegExp][] = [
    ['dataset.columns', { columns: [], checkOrder: true }, 'columns', /at least one column/],
    ['dataset.columns', { columns: ['a', 'a'], checkOrder: true }, 'columns', /unique/],
    ['dataset.columns', { columns: ['a'] }, 'checkOrder', /is required/],
    ['dataset.columns', { columns: ['a'], checkOrder: true, order: 1 }, 'order', /unknown field "order"/],
    ['dataset.dtypes', { dtypes: { a: 'integer' } }, 'dtypes.a', /must be one of int, float, bool, datetime, string/],
    ['dataset.dtypes', { dtypes: {} }, 'dtypes', /at least one column/],
    ['dataset.null_rate', { ceilings: { Age: 1.5 } }, 'ceilings.Age', /between 0 and 1/],
    ['dataset.null_rate', { ceilings: { Age: '0.2' } }, 'ceilings.Age', /must be a number/],
    ['dataset.range', { ranges: { Age: { min: 9, max: 1 } } }, 'ranges.Age', /min must not be greater than max/],
    ['dataset.range', { ranges: { Age: { min: 0 } } }, 'ranges.Age.max', /is required/],
    ['dataset.categories', { categories: { Sex: [] } }, 'categories.Sex', /at least one category/],
    ['model.feature_order', { featureOrder: ['a', ''] }, 'featureOrder[1]', /must not be empty/],
    ['dependency.version', { packages: [{ name: 'numpy', version: '==1.2' }] }, 'packages[0].version', /PEP 440 version like 1\.24\.4 \(without "=="\)/],
    ['dependency.version', { packages: [{ name: 'bad name' }] }, 'packages[0].name', /package name/],
    ['dependency.version', { packages: [{ name: 'x', spec: '>=1.2,<<2' }] }, 'packages[0].spec', /"<<2": "<2" is not a PEP 440 version/],
    ['dependency.version', { packages: [{ name: 'x', spec: '~=1' }] }, 'packages[0].spec', /at least two release numbers/],
    ['config.value', { values: [{ path: 'a..b', value: 1 }] }, 'values[0].path', /empty key at position 3/],
    ['config.value', { values: [{ path: 'a[name=x', value: 1 }] }, 'values[0].path', /expected "," or "\]"/],
    ['config.value', { values: [{ path: 'a', value: { x: 1 } }] }, 'values[0].value', /text, a number, true\/false, null/],
    ['dataset.null_rate', {}, '(params)', /give ceilings or a baseline/],
    ['dataset.null_rate', { baseline: { Age: { nulls: 9, rows: 3 } } }, 'baseline.Age', /nulls must not exceed rows/],
    ['dataset.drift', { column: 'a', test: 'ks', threshold: 0.05, reference: { kind: 'counts', values: ['x'], counts: [1], rows: 1 } }, 'reference.kind', /the ks test needs a reference of kind values/],
    ['dataset.drift', { column: 'a', test: 'psi', threshold: 0.1, reference: { kind: 'values', values: [1], rows: 1 } }, 'test', /must be one of ks, wasserstein-normed/],
    ['dataset.row_count', { rows: 10, factor: 1 }, 'factor', /greater than 1/],
    ['dataset.leakage', { column: 'a', other: 'b', measure: 'mutual-info', threshold: 0.9 }, 'measure', /agreement, correlation, accuracy/],
    ['dependency.requirements', { hashes: [{ name: 'numpy', hashes: ['md5 abc'] }] }, 'hashes[0].hashes[0]', /sha256:<hex>/],
    ['model.value', { values: [{ path: 'a', value: 1, tolerance: 2 }] }, 'values[0].tolerance', /below 1/],
    ['data.point_in_time', { featureTimestampColumns: ['f'], labelTimestampColumn: 'l', toleranceSeconds: -1 }, 'toleranceSeconds', /must not be negative/],
    ['prediction.mean', { column: 'p', baseline: 0.4 }, 'tolerance', /is required/],
    ['prediction.mean', { column: 'p', baseline: Infinity, tolerance: 1 }, 'baseline', /number/],
  ];

  it.each(bad)('%s rejects %j naming the field', (kind, params, field, msg) => {
    const issues = generatorParamIssues(kind, params);
    const hit = issues.find((i) => i.field === field);
    expect(hit, JSON.stringify(issues)).toBeDefined();
    expect(hit!.message).toMatch(msg);
    expect(() => parseGeneratorParams(kind, params)).toThrow(new RegExp(`^${kind.replace('.', '\\.')} params — `));
  });

  it('throws an ApiError VALIDATION with issues, and names unknown kinds', () => {
    try {
      parseGeneratorParams('dataset.null_rate', { ceilings: { Age: 2, Fare: -1 } });
      expect.unreachable();
    } catch (e) {
      const err = e as { code: string; message: string; details: { issues: { field: string }[] } };
      expect(err.code).toBe('VALIDATION');
      expect(err.message).toBe('dataset.null_rate params — ceilings.Age: must be between 0 and 1 (and 1 more)');
      expect(err.details.issues.map((i) => i.field)).toEqual(['ceilings.Age', 'ceilings.Fare']);
    }
    expect(() => parseGeneratorParams('column.removed', {})).toThrow(/Unknown generator kind "column.removed"/);
  });

  it('checks PEP 440 specifiers', () => {
    expect(specifierProblems('>=1.24,<2')).toEqual([]);
    expect(specifierProblems('==1.4.*')).toEqual([]);
    expect(specifierProblems('===foobar')).toEqual([]);
    expect(specifierProblems('>=1.4.*')[0]).toMatch(/wildcard/);
    expect(specifierProblems('')).toEqual(['must not be empty']);
  });
});

describe('config path syntax', () => {
  it('parses keys, indexes, quoted keys and selectors', () => {
    expect(parseConfigPath('spec.template.spec.containers[name=vllm].image')).toEqual([
      { key: 'spec' }, { key: 'template' }, { key: 'spec' }, { key: 'containers' }, { match: [{ field: ['name'], value: 'vllm' }] }, { key: 'image' },
    ]);
    expect(parseConfigPath('[kind=Deployment, metadata.name="a,b]"].spec.replicas')).toEqual([
      { match: [{ field: ['kind'], value: 'Deployment' }, { field: ['metadata', 'name'], value: 'a,b]' }] }, { key: 'spec' }, { key: 'replicas' },
    ]);
    expect(parseConfigPath('$.a["x.y"][0][-1]')).toEqual([{ key: 'a' }, { key: 'x.y' }, { index: 0 }, { index: -1 }]);
    expect(parseConfigPath("settings['feature \\'flags\\'']")).toEqual([{ key: 'settings' }, { key: "feature 'flags'" }]);
    expect(parseConfigPath('model.layers[0].units')).toEqual([{ key: 'model' }, { key: 'layers' }, { index: 0 }, { key: 'units' }]);
    expect(parseConfigPath('env[name=LD_LIBRARY_PATH].value')[1]).toEqual({ match: [{ field: ['name'], value: 'LD_LIBRARY_PATH' }] });
  });

  it.each(['', '.a', 'a.', 'a[', 'a[]', 'a b', 'a]', 'a["x"', 'a[=x]', '$'])('rejects %j', (p) => {
    expect(() => parseConfigPath(p)).toThrow(/position|empty/);
  });
});
