// Regression-test generator: unit tests of the generated source, and REAL pytest runs of it against the
// Titanic fixture (last-known-good) and perturbed copies (failing), per issue 4 §2 / §8.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPython, pythonCandidates } from '../../main/python';
import type { Finding } from '../../shared/artifacts';
import type { DType } from '../../shared/generators/params';
import { generatePytest, pyLiteral, pytestCommand, regressionTestFileName, testableFindings } from '../../shared/generators/pytest';
import { change, makeFinding, makeIncident } from './generators-helpers';
import { tempDir } from './helpers';

const TITANIC = resolve(__dirname, '../fixtures/real/data/titanic_reference.csv');
const VLLM_LKG = resolve(__dirname, '../fixtures/real/k8s/vllm-deployment-929f82b7.yaml');
const VLLM_FAILING = resolve(__dirname, '../fixtures/real/k8s/vllm-deployment-a0ed769c.yaml');

// ---------------------------------------------------------------------------------------------
// Baseline of the last-known-good CSV, computed here in a few lines (papaparse, like the app's profiler).

interface Baseline {
  columns: string[];
  dtypes: Record<string, DType>;
  nullRates: Record<string, number>;
  ranges: Record<string, { min: number; max: number }>;
  categories: Record<string, string[]>;
  rows: string[][];
}

function baselineOf(csv: string): Baseline {
  const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  const dtypes: Record<string, DType> = {};
  const nullRates: Record<string, number> = {};
  const ranges: Record<string, { min: number; max: number }> = {};
  const categories: Record<string, string[]> = {};
  header.forEach((col, j) => {
    const values = rows.map((r) => r[j]).filter((v) => v !== '' && v !== undefined);
    nullRates[col] = (rows.length - values.length) / rows.length;
    const numeric = values.length > 0 && values.every((v) => /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v));
    dtypes[col] = !numeric ? 'string' : values.every((v) => /^-?\d+$/.test(v)) ? 'int' : 'float';
    if (numeric) {
      const nums = values.map(Number);
      ranges[col] = { min: Math.min(...nums), max: Math.max(...nums) };
    }
    const distinct = [...new Set(values)];
    if (!numeric && distinct.length <= 5) categories[col] = distinct.sort();
  });
  return { columns: header, dtypes, nullRates, ranges, categories, rows };
}

function writeCsv(path: string, header: string[], rows: string[][]) {
  writeFileSync(path, Papa.unparse([header, ...rows], { newline: '\n' }) + '\n');
}

// ---------------------------------------------------------------------------------------------

const incident = makeIncident();

describe('generatePytest (source)', () => {
  it('writes one module per incident with a docstring documenting the inputs and the run command', () => {
    const files = generatePytest(incident, [
      makeFinding({ id: 1, genKind: 'dataset.columns', params: { columns: ['a', 'b'], checkOrder: true }, role: 'root_cause', evidence: { changes: [change({})] } }),
      makeFinding({ id: 2, genKind: 'model.feature_order', params: { featureOrder: ['a', 'b'] } }),
      makeFinding({ id: 3, genKind: 'config.value', params: { values: [{ path: 'spec.replicas', value: 2 }] } }),
    ]);
    expect(files).toHaveLength(1);
    expect(files[0].path).toBe('test_inc_0007_regressions.py');
    expect(regressionTestFileName(incident)).toBe('test_inc_0007_regressions.py');
    const src = files[0].content;
    expect(src.startsWith('"""Regression tests for INC-0007: Fraud model accuracy dropped.')).toBe(true);
    for (const v of ['PMW_DATASET', 'PMW_MODEL_METADATA', 'PMW_CONFIG']) expect(src).toContain(v);
    expect(src).toContain('Needed by: test_f1_columns.');
    expect(src).toContain('Needed by: test_f2_feature_order.');
    expect(src).toContain('Needed by: test_f3_config_value.');
    expect(src).toContain('_input_path("PMW_DATASET", "path to the dataset to check")');
    expect(src).toContain("F1_COLUMNS = ['a', 'b']");
    expect(src).toContain('# evidence: column Fare removed');
    expect(src).toContain('PMW_DATASET=path/to/dataset.csv PMW_MODEL_METADATA=path/to/model_metadata.json PMW_CONFIG=path/to/config.yaml python3 -m pytest -q -ra tests/regression/test_inc_0007_regressions.py');
    expect(src).not.toMatch(/TODO|<[a-z-]+>|PLACEHOLDER/);
  });

  it('only emits the helpers a module needs', () => {
    const [f] = generatePytest(incident, [makeFinding({ id: 9, genKind: 'dependency.version', params: { packages: [{ name: 'numpy', spec: '>=1.24,<2' }] } })]);
    expect(f.content).toContain('def _spec_contains');
    expect(f.content).not.toContain('def dataset(');
    expect(f.content).not.toContain('def config(');
    expect(f.content).toContain("F9_PACKAGES = [['numpy', '>=1.24,<2']]");
    expect(f.content).toContain('Requirements: Python >= 3.8 and pytest.');
  });

  it('skips rejected findings and findings without a generator kind; returns [] when nothing is testable', () => {
    const rejected = makeFinding({ genKind: 'dataset.columns', params: { columns: ['a'], checkOrder: false }, status: 'rejected' });
    const manual = makeFinding({ genKind: null, params: {} });
    const other = makeFinding({ genKind: 'column.removed', params: {} });
    expect(generatePytest(incident, [rejected, manual])).toEqual([]);
    const [f] = generatePytest(incident, [other, makeFinding({ id: 40, genKind: 'dataset.columns', params: { columns: ['x'], checkOrder: false } })]);
    expect(f.content).toContain('test_f40_columns');
    expect(f.content).toContain('(column.removed)'); // listed as not covered
    expect(testableFindings([rejected, manual, other])).toEqual([]);
  });

  it('refuses invalid params with a message naming the finding and the field', () => {
    const bad = makeFinding({ id: 12, title: 'Age nulls', genKind: 'dataset.null_rate', params: { ceilings: { Age: 1.7 } } });
    expect(() => generatePytest(incident, [bad])).toThrow(/Finding #12 "Age nulls": dataset\.null_rate params — ceilings\.Age: must be between 0 and 1/);
    try {
      generatePytest(incident, [bad]);
    } catch (e) {
      expect((e as { code: string }).code).toBe('VALIDATION');
      expect((e as { details: { issues: { field: string }[] } }).details.issues[0].field).toBe('params.ceilings.Age');
    }
  });

  it('embeds hostile names safely (quotes, backslashes, newlines, unicode) and stays valid Python', () => {
    const weird = ["it's", 'back\\slash', 'new\nline', 'tab\there', 'ünï©ødé', '"""', "'''", '\u202eevil', 'emoji 🚀'];
    const [f] = generatePytest(makeIncident({ title: 'Title with """ quotes \\ and\nnewline' }), [
      makeFinding({ id: 1, title: 'weird\nname """', genKind: 'dataset.columns', params: { columns: weird, checkOrder: true } }),
      makeFinding({ id: 2, genKind: 'dataset.null_rate', params: { ceilings: Object.fromEntries(weird.map((w) => [w, 0.5])) } }),
    ]);
    expect(f.content).toContain(`F1_COLUMNS = ${pyLiteral(weird)}`);
    expect(f.content).toContain("'\\u202eevil'");
    expect(f.content).not.toContain('\u202e');
    expect(f.content.split('\n')[0]).toBe('"""Regression tests for INC-0007: Title with \\"\\"\\" quotes \\\\ and newline.');
  });

  it('writes one test for one check: a second finding with the same generator and values points at the first', () => {
    const args = { values: [{ path: 'spec.template.spec.containers[name=vllm].args', value: ['--port=8080'] }] };
    const [f] = generatePytest(incident, [
      makeFinding({ id: 4, title: 'arg --max-num-seqs=64 added', genKind: 'config.value', params: args }),
      makeFinding({ id: 5, title: 'arg --gpu-memory-utilization=0.85 added', genKind: 'config.value', params: { values: [{ value: ['--port=8080'], path: 'spec.template.spec.containers[name=vllm].args' }] } }),
      makeFinding({ id: 6, genKind: 'dataset.row_count', params: { rows: 891, factor: 2 } }),
    ]);
    expect(f.content.match(/^def test_f\d+_config_value\(/gm)).toEqual(['def test_f4_config_value(']);
    expect(f.content).toContain('Finding #5 [contributing] arg --gpu-memory-utilization=0.85 added (config.value): the same check as Finding #4');
    expect(f.content).toContain('def test_f6_row_count(dataset):');
    // only the helpers and imports those checks use
    expect(f.content).toContain('def _resolve(');
    expect(f.content).not.toContain('def _ks_2samp(');
    expect(f.content).toMatch(/^import json\nimport os\n\nimport pytest$/m);
  });

  it('pytestCommand names only the inputs the findings need', () => {
    const fs: Finding[] = [makeFinding({ genKind: 'dataset.dtypes', params: { dtypes: { a: 'int' } } })];
    expect(pytestCommand(incident, fs)).toBe('PMW_DATASET=path/to/dataset.csv python3 -m pytest -q -ra tests/regression/test_inc_0007_regressions.py');
    expect(pytestCommand(incident, [], 'qa/tests/')).toBe('python3 -m pytest -q -ra qa/tests/test_inc_0007_regressions.py');
  });
});

// ---------------------------------------------------------------------------------------------
// Real pytest runs

describe('findPython', () => {
  it('tries $PMW_PYTHON, /usr/bin/python3, then python3 on PATH', () => {
    expect(pythonCandidates({})).toEqual(['/usr/bin/python3', 'python3']);
    expect(pythonCandidates({ PMW_PYTHON: '/opt/py/bin/python3' })).toEqual(['/opt/py/bin/python3', '/usr/bin/python3', 'python3']);
    const viaBadEnv = findPython({ ...process.env, PMW_PYTHON: '/nonexistent/python3' });
    expect(viaBadEnv).toBe(findPython({ ...process.env, PMW_PYTHON: '' }));
  });
});

const python = findPython();
if (!python) {
  console.warn('generators-pytest: no Python with pytest and pandas found ($PMW_PYTHON, /usr/bin/python3, python3) — the real pytest runs are skipped');
}
const itPy = python ? it : it.skip;
const reasonSuffix = python ? '' : ' [skipped: no Python with pytest + pandas ($PMW_PYTHON, /usr/bin/python3, python3)]';

interface Run {
  status: number | null;
  out: string;
}

describe('generated tests under real pytest' + reasonSuffix, () => {
  let tmp: { dir: string; cleanup(): void };
  let base: Baseline;
  let moduleFile: string;
  let dataDir: string;

  const run = (file: string, env: Record<string, string | undefined>, extra: string[] = []): Run => {
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('PMW_')) clean[k] = v;
    for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
    clean.PYTHONDONTWRITEBYTECODE = '1';
    const r = spawnSync(python!, ['-m', 'pytest', '-q', '-ra', '-p', 'no:cacheprovider', file, ...extra], {
      cwd: tmp.dir,
      env: clean,
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
  };

  beforeAll(() => {
    if (!python) return;
    tmp = tempDir('pmw-pytest-');
    dataDir = join(tmp.dir, 'data');
    mkdirSync(dataDir);
    const csv = readFileSync(TITANIC, 'utf8');
    base = baselineOf(csv);
    expect(base.rows).toHaveLength(891);
    expect(base.dtypes).toMatchObject({ PassengerId: 'int', Age: 'float', Fare: 'float', Name: 'string', Survived: 'int' });

    const findings: Finding[] = [
      makeFinding({ id: 1, title: 'Column Fare removed', role: 'root_cause', genKind: 'dataset.columns', params: { columns: base.columns, checkOrder: true } }),
      makeFinding({ id: 2, title: 'Dtypes changed', genKind: 'dataset.dtypes', params: { dtypes: base.dtypes } }),
      makeFinding({
        id: 3,
        title: 'Null rate of Age 20% → 45%',
        role: 'trigger',
        genKind: 'dataset.null_rate',
        // last-known-good rate plus a 5-point margin
        params: { ceilings: { Age: Math.round((base.nullRates.Age + 0.05) * 1e4) / 1e4, Fare: base.nullRates.Fare + 0.01, Sex: 0 } },
      }),
      makeFinding({ id: 4, title: 'Age and Fare out of range', genKind: 'dataset.range', params: { ranges: { Age: base.ranges.Age, Fare: base.ranges.Fare } } }),
      makeFinding({ id: 5, title: 'Unseen categories', genKind: 'dataset.categories', params: { categories: { Sex: base.categories.Sex, Embarked: base.categories.Embarked } } }),
    ];
    const [file] = generatePytest(incident, findings);
    moduleFile = join(tmp.dir, file.path);
    writeFileSync(moduleFile, file.content);
    copyFileSync(TITANIC, join(dataDir, 'lkg.csv'));

    // Perturbations of the last-known-good file.
    const h = base.columns;
    const col = (name: string) => h.indexOf(name);
    const drop = col('Fare');
    writeCsv(join(dataDir, 'dropped_fare.csv'), h.filter((_, j) => j !== drop), base.rows.map((r) => r.filter((_, j) => j !== drop)));
    const age = col('Age');
    writeCsv(join(dataDir, 'age_nulls.csv'), h, base.rows.map((r, i) => (i % 20 < 9 ? r.map((v, j) => (j === age ? '' : v)) : r)));
    const fare = col('Fare');
    writeCsv(join(dataDir, 'fare_strings.csv'), h, base.rows.map((r) => r.map((v, j) => (j === fare && v !== '' ? `$${v}` : v))));
    const sex = col('Sex');
    const swap = (r: string[]) => r.map((v, j) => (j === age ? r[sex] : j === sex ? r[age] : v));
    writeCsv(join(dataDir, 'reordered.csv'), swap(h), base.rows.map(swap));
    const emb = col('Embarked');
    writeCsv(join(dataDir, 'new_port.csv'), h, base.rows.map((r, i) => (i < 7 ? r.map((v, j) => (j === emb ? 'X' : v)) : r)));
    writeCsv(join(dataDir, 'age_out_of_range.csv'), h, base.rows.map((r, i) => (i === 3 ? r.map((v, j) => (j === age ? '-1' : v)) : r)));
  });

  afterAll(() => tmp?.cleanup());

  itPy('passes on the last-known-good file', () => {
    const r = run(moduleFile, { PMW_DATASET: join(dataDir, 'lkg.csv') });
    expect(r.out).toMatch(/\d+ passed/);
    expect(r.out).not.toMatch(/failed|error/i);
    expect(r.status).toBe(0);
  });

  itPy('skips every dataset test with the reason when PMW_DATASET is unset', () => {
    const r = run(moduleFile, {});
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/SKIPPED \[\d+\] .*PMW_DATASET is not set: path to the dataset to check/);
    expect(r.out).toMatch(/\d+ skipped/);
    expect(r.out).not.toMatch(/passed|failed/);
  });

  itPy('fails on a dropped column, naming expected and found columns', () => {
    const r = run(moduleFile, { PMW_DATASET: join(dataDir, 'dropped_fare.csv') });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/expected columns \['PassengerId', .*'Fare'.*\] in this order, found \['PassengerId', .*\]; missing \['Fare'\]/);
    expect(r.out).toContain("expected column 'Fare' in PMW_DATASET, found columns");
    expect(r.out).toMatch(/FAILED .*test_f1_columns/);
  });

  itPy('fails on injected nulls in Age with the null-rate ceiling and the found rate', () => {
    const r = run(moduleFile, { PMW_DATASET: join(dataDir, 'age_nulls.csv') });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/expected null rate of 'Age' <= 0\.2487 \(last-known-good ceiling\), found 0\.\d+ \(\d+ of 891 rows missing\)/);
    expect(r.out).toMatch(/FAILED .*test_f3_null_rate\[Age\]/);
    expect(r.out).not.toMatch(/FAILED .*test_f1_columns/);
  });

  itPy('fails when Fare turns into strings (dtype and range checks)', () => {
    const r = run(moduleFile, { PMW_DATASET: join(dataDir, 'fare_strings.csv') });
    expect(r.status).toBe(1);
    expect(r.out).toContain("expected column 'Fare' to be float, found string (pandas dtype object, e.g. '$7.25')");
    expect(r.out).toMatch(/expected numeric values in 'Fare' \(range 0\.\.512\.3292\), found 891 non-numeric values/);
    expect(r.out).not.toMatch(/FAILED .*test_f1_columns/);
  });

  itPy('fails on reordered columns, naming the first difference', () => {
    const r = run(moduleFile, { PMW_DATASET: join(dataDir, 'reordered.csv') });
    expect(r.status).toBe(1);
    expect(r.out).toContain("in this order, found ['PassengerId', 'Pclass', 'Name', 'Age', 'Sex'");
    expect(r.out).toContain("first difference at position 3: expected 'Sex', found 'Age'");
    // the other checks do not care about order
    expect(r.out).toMatch(/1 failed, \d+ passed/);
  });

  itPy('fails on an unseen category and on a value out of range', () => {
    const cat = run(moduleFile, { PMW_DATASET: join(dataDir, 'new_port.csv') });
    expect(cat.status).toBe(1);
    expect(cat.out).toContain("expected values of 'Embarked' in ['C', 'Q', 'S'], found unseen ['X'] in 7 rows");
    const rng = run(moduleFile, { PMW_DATASET: join(dataDir, 'age_out_of_range.csv') });
    expect(rng.status).toBe(1);
    expect(rng.out).toContain("expected 'Age' within [0.42, 80.0], found min -1.0 and max 80.0 (1 of 714 values outside)");
  });

  itPy('model metadata feature_order: passes on the original JSON, fails on a swapped order, skips without the variable', () => {
    const dir = join(tmp.dir, 'meta');
    mkdirSync(dir);
    const order = ['Pclass', 'Sex', 'Age', 'SibSp', 'Parch', 'Fare', 'Embarked'];
    const [file] = generatePytest(makeIncident({ key: 'INC-0008' }), [makeFinding({ id: 7, genKind: 'model.feature_order', params: { featureOrder: order } })]);
    const mod = join(dir, file.path);
    writeFileSync(mod, file.content);
    const meta = { model: 'titanic-gbm', version: '3', preprocessing: { feature_order: order, scaler: { mean: [1, 2] } } };
    writeFileSync(join(dir, 'meta_ok.json'), JSON.stringify(meta));
    const swapped = [...order];
    [swapped[1], swapped[2]] = [swapped[2], swapped[1]];
    writeFileSync(join(dir, 'meta_swapped.json'), JSON.stringify({ ...meta, preprocessing: { feature_order: swapped } }));

    const ok = run(mod, { PMW_MODEL_METADATA: join(dir, 'meta_ok.json') });
    expect(ok.out).toMatch(/1 passed/);
    expect(ok.status).toBe(0);
    const bad = run(mod, { PMW_MODEL_METADATA: join(dir, 'meta_swapped.json') });
    expect(bad.status).toBe(1);
    expect(bad.out).toContain(`expected feature_order ${pyLiteral(order)}, found ${pyLiteral(swapped)} (key 'feature_order'); first difference at position 1: expected 'Sex', found 'Age'`);
    const none = run(mod, {});
    expect(none.out).toContain('PMW_MODEL_METADATA is not set: path to the model metadata JSON (feature_order) to check');
    expect(none.out).toMatch(/1 skipped/);
  });

  itPy('dependency versions: the installed pytest pin passes, pytest==0.0.1 fails; the fallback comparator agrees with packaging', () => {
    const dir = join(tmp.dir, 'deps');
    mkdirSync(dir);
    const v = spawnSync(python!, ['-c', "import importlib.metadata as m; print(m.version('pytest'))"], { encoding: 'utf8' }).stdout.trim();
    expect(v).toMatch(/^\d+\.\d+/);
    const gen = (key: string, packages: unknown[]) => {
      const [file] = generatePytest(makeIncident({ key }), [makeFinding({ id: 1, genKind: 'dependency.version', params: { packages } })]);
      const p = join(dir, file.path);
      writeFileSync(p, file.content);
      return p;
    };
    const pass = run(gen('INC-0101', [{ name: 'pytest', version: v }, { name: 'pytest', spec: `>=${v.split('.')[0]},<999` }, { name: 'pandas' }]), {});
    expect(pass.out).toMatch(/3 passed/);
    expect(pass.status).toBe(0);
    const fail = run(gen('INC-0102', [{ name: 'pytest', version: '0.0.1' }, { name: 'surely-not-installed-pkg-pmw' }]), {});
    expect(fail.status).toBe(1);
    expect(fail.out).toContain(`expected pytest ==0.0.1, found pytest ${v} installed (compared with packaging)`);
    expect(fail.out).toContain('expected surely-not-installed-pkg-pmw (any version) installed, found it not installed');

    // The built-in comparator (used when packaging is missing) against packaging itself.
    const mod = gen('INC-0103', [{ name: 'pytest' }]).replace(/^.*\//, '').replace(/\.py$/, '');
    const cases: [string, string][] = [
      ['==1.24.4', '1.24.4'], ['==1.24.4', '1.24.5'], ['==1.24', '1.24.0'], ['==1.4.*', '1.4.7'], ['==1.4.*', '1.5.0'],
      ['!=1.4.*', '1.5.0'], ['>=1.24,<2', '2.0.2'], ['>=1.24,<2', '1.26.4'], ['~=1.4.2', '1.4.9'], ['~=1.4.2', '1.5.0'],
      ['~=2.2', '2.9'], ['~=2.2', '3.0'], ['>1.0', '1.0.post1'], ['<2.0', '2.0rc1'], ['>=2.0rc1', '2.0'], ['>=2.0', '2.0.dev3'],
      ['==2.1.0+cu118', '2.1.0+cu118'], ['==2.1.0', '2.1.0+cu118'], ['===1.0-foo', '1.0-FOO'], ['>=1!1.0', '2.0'],
      ['<=0.3.1', '0.3.1'], ['>0.3.1', '0.3.10'], ['==1.0a1', '1.0.0a1'], ['<1.0b2', '1.0a9'],
    ];
    const script = [
      'import json, sys',
      `sys.path.insert(0, ${pyLiteral(dir)})`,
      `import ${mod} as m`,
      'from packaging.specifiers import SpecifierSet',
      'from packaging.version import Version',
      `cases = ${pyLiteral(cases)}`,
      'out = []',
      'for spec, ver in cases:',
      '    try:',
      '        ref = SpecifierSet(spec).contains(Version(ver), prereleases=True)',
      '    except Exception:',
      '        ref = None',
      '    out.append([spec, ver, m._fallback_contains(spec, ver), ref])',
      'print(json.dumps(out))',
    ].join('\n');
    const r = spawnSync(python!, ['-c', script], { encoding: 'utf8', cwd: dir });
    if (/No module named 'packaging'/.test(r.stderr)) {
      console.warn('packaging not installed: comparing the fallback comparator is skipped');
      return;
    }
    expect(r.stderr).toBe('');
    const results = JSON.parse(r.stdout) as [string, string, boolean, boolean | null][];
    const disagreements = results.filter(([, , ours, ref]) => ref !== null && ours !== ref);
    expect(disagreements).toEqual([]);
  });

  itPy('config values: Kubernetes manifest image by container name (YAML), multi-document selector, JSON', () => {
    const dir = join(tmp.dir, 'config');
    mkdirSync(dir);
    const hasYaml = spawnSync(python!, ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;
    const digest = 'vllm/vllm-openai@sha256:05a31dc4185b042e91f4d2183689ac8a87bd845713d5c3f987563c5899878271';
    const [file] = generatePytest(makeIncident({ key: 'INC-0200', failureClass: 'deployment' }), [
      makeFinding({
        id: 1,
        title: 'Image digest swapped for a tag',
        genKind: 'config.value',
        params: {
          values: [
            { path: 'spec.template.spec.containers[name=inference-server].image', value: digest },
            { path: 'spec.replicas', value: 1 },
          ],
        },
      }),
    ]);
    const mod = join(dir, file.path);
    writeFileSync(mod, file.content);
    if (hasYaml) {
      const ok = run(mod, { PMW_CONFIG: VLLM_LKG });
      expect(ok.out).toMatch(/2 passed/);
      const bad = run(mod, { PMW_CONFIG: VLLM_FAILING });
      expect(bad.status).toBe(1);
      expect(bad.out).toContain(`expected spec.template.spec.containers[name=inference-server].image == '${digest}' (str), found 'vllm/vllm-openai:v0.11.0' (str)`);
      expect(bad.out).toMatch(/1 failed, 1 passed/);
    } else {
      const r = run(mod, { PMW_CONFIG: VLLM_LKG });
      expect(r.out).toContain('is YAML but PyYAML is not installed');
    }
    // JSON config (no PyYAML needed), with a selector that matches nothing and a type mismatch
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ spec: { replicas: '1', template: { spec: { containers: [{ name: 'other', image: 'x' }] } } } }));
    const j = run(mod, { PMW_CONFIG: join(dir, 'cfg.json') });
    expect(j.status).toBe(1);
    expect(j.out).toContain('found no such path: no element matching [name=inference-server] under $.spec.template.spec.containers');
    expect(j.out).toContain("expected spec.replicas == 1 (int), found '1' (str)");
    const none = run(mod, {});
    expect(none.out).toContain('PMW_CONFIG is not set: path to the config file (JSON or YAML) to check');

    if (hasYaml) {
      // Multi-document file: the path starts with a document selector.
      const [multi] = generatePytest(makeIncident({ key: 'INC-0201' }), [
        makeFinding({ id: 2, genKind: 'config.value', params: { values: [{ path: '[kind=Deployment,metadata.name=vllm-gemma-deployment].spec.template.spec.containers[0].image', value: digest }, { path: '[kind=Service].spec.ports[0].port', value: 8000 }] } }),
      ]);
      const mm = join(dir, multi.path);
      writeFileSync(mm, multi.content);
      const svc = '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: llm-service\nspec:\n  ports:\n  - port: 8000\n';
      writeFileSync(join(dir, 'multi-ok.yaml'), readFileSync(VLLM_LKG, 'utf8') + svc);
      writeFileSync(join(dir, 'multi-bad.yaml'), readFileSync(VLLM_FAILING, 'utf8') + svc.replace('8000', '8080'));
      expect(run(mm, { PMW_CONFIG: join(dir, 'multi-ok.yaml') }).out).toMatch(/2 passed/);
      const mb = run(mm, { PMW_CONFIG: join(dir, 'multi-bad.yaml') });
      expect(mb.out).toMatch(/2 failed/);
      expect(mb.out).toContain("expected [kind=Service].spec.ports[0].port == 8000 (int), found 8080 (int)");
    }
  });

  itPy('point-in-time and prediction mean on a small labelled sample', () => {
    const dir = join(tmp.dir, 'pit');
    mkdirSync(dir);
    const header = ['id', 'feature_ts', 'txn_ts', 'label_ts', 'prediction'];
    const rows: string[][] = [];
    for (let i = 0; i < 200; i++) {
      const label = Date.UTC(2026, 10, 1) + i * 3_600_000;
      rows.push([String(i), new Date(label - 600_000).toISOString(), String(Math.floor((label - 60_000) / 1000)), new Date(label).toISOString(), (0.2 + (i % 5) * 0.05).toFixed(2)]);
    }
    writeCsv(join(dir, 'ok.csv'), header, rows);
    const mean = rows.reduce((s, r) => s + Number(r[4]), 0) / rows.length;
    const leaky = rows.map((r, i) => (i % 10 === 0 ? [r[0], new Date(Date.parse(r[3]) + 3_600_000).toISOString(), r[2], r[3], '0.9'] : r));
    writeCsv(join(dir, 'leaky.csv'), header, leaky);

    const [file] = generatePytest(makeIncident({ key: 'INC-0300', failureClass: 'training' }), [
      makeFinding({ id: 1, genKind: 'data.point_in_time', params: { featureTimestampColumns: ['feature_ts', 'txn_ts'], labelTimestampColumn: 'label_ts', toleranceSeconds: 0 } }),
      makeFinding({ id: 2, genKind: 'prediction.mean', params: { column: 'prediction', baseline: mean, tolerance: 0.02 } }),
      makeFinding({ id: 3, genKind: 'prediction.mean', params: { column: 'prediction', baseline: mean, tolerance: 0.05, relative: true } }),
    ]);
    const mod = join(dir, file.path);
    writeFileSync(mod, file.content);
    const ok = run(mod, { PMW_DATASET: join(dir, 'ok.csv') });
    expect(ok.out).toMatch(/4 passed/);
    expect(ok.status).toBe(0);
    const bad = run(mod, { PMW_DATASET: join(dir, 'leaky.csv') });
    expect(bad.status).toBe(1);
    expect(bad.out).toContain("expected every 'feature_ts' <= 'label_ts' + 0s (no feature from after its label), found 20 of 200 rows later; e.g. row 0: feature_ts 2026-11-01T01:00:00+00:00 > label_ts 2026-11-01T00:00:00+00:00");
    expect(bad.out).toMatch(/expected mean of 'prediction' within 0\.02 of the baseline 0\.3\d* \(0\.28\d*\.\.0\.32\d*\), found 0\.3[6-9]\d* over 200 values/);
    expect(bad.out).toMatch(/expected mean of 'prediction' within 0\.015/);
    expect(bad.out).toMatch(/3 failed, 1 passed/);
  });

  itPy('dtype leniency where pandas inference is not a real change; allowUnseen categories', () => {
    const dir = join(tmp.dir, 'dtypes');
    mkdirSync(dir);
    const header = ['n_with_nulls', 'flag', 'when', 'empty', 'ratio', 'tier'];
    const rows = Array.from({ length: 30 }, (_, i) => [i % 4 === 0 ? '' : String(i), i % 2 ? 'True' : 'False', `2026-11-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z`, '', String(i), ['gold', 'silver', 'bronze'][i % 3]]);
    writeCsv(join(dir, 'ok.csv'), header, rows);
    writeCsv(join(dir, 'bad.csv'), header, rows.map((r, i) => [r[0] === '' ? '' : `${r[0]}.5`, i === 2 ? 'maybe' : r[1], i === 1 ? 'not a date' : r[2], r[3], r[4], i % 3 === 2 ? 'gold' : r[5]]));
    const [file] = generatePytest(makeIncident({ key: 'INC-0400' }), [
      makeFinding({ id: 1, genKind: 'dataset.dtypes', params: { dtypes: { n_with_nulls: 'int', flag: 'bool', when: 'datetime', empty: 'string', ratio: 'float' } } }),
      makeFinding({ id: 2, genKind: 'dataset.categories', params: { categories: { tier: ['gold', 'silver', 'bronze'] }, allowUnseen: true } }),
    ]);
    const mod = join(dir, file.path);
    writeFileSync(mod, file.content);
    const ok = run(mod, { PMW_DATASET: join(dir, 'ok.csv') });
    expect(ok.out).toMatch(/6 passed/);
    const bad = run(mod, { PMW_DATASET: join(dir, 'bad.csv') });
    expect(bad.out).toContain("expected column 'n_with_nulls' to be int, found float (pandas dtype float64)");
    expect(bad.out).toContain("expected column 'flag' to be bool, found string (pandas dtype object)");
    expect(bad.out).toContain("expected column 'when' to be datetime, found string (text that does not parse as dates) (pandas dtype object)");
    expect(bad.out).toContain("expected every category of 'tier' ['bronze', 'gold', 'silver'] to occur, found ['bronze'] missing");
    expect(bad.out).toMatch(/4 failed, 2 passed/);
  });

  itPy('pyLiteral round-trips through Python: quotes, backslashes, unicode, newlines, surrogates, numbers', () => {
    const strings = [
      '', "'", '"', "it's \"quoted\"", '\\', '\\\\n', 'C:\\path\\to\\file', 'line1\nline2\r\nline3', '\t\v\f\b\0\x1b\x7f\x85',
      'ünïcödé — ©', '日本語', '🚀 emoji 👩‍👩‍👧', '\u202eRTL override\u202c', 'zero\u200bwidth', '\u2028\u2029', '\ud800 lone high', 'lone low \udfff',
      "'''", '"""', '{braces} %s {0}', '${HOME} $(rm -rf /) `cmd`', '\ufeffbom',
    ];
    const numbers = [0, -0, 1, -1, 0.1, 1 / 3, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 2 ** 53 + 2, -123.456];
    const nested = { "key 'q'": [1, 'two', null, true, false, { inner: ['\n', 3.5] }], '': {} };
    const src = [
      'import json, math, sys',
      `strings = ${pyLiteral(strings)}`,
      `numbers = ${pyLiteral(numbers)}`,
      `nested = ${pyLiteral(nested)}`,
      `specials = ${pyLiteral([NaN, Infinity, -Infinity])}`,
      'expected = json.loads(sys.stdin.read())',
      'assert strings == expected["strings"], (strings, expected["strings"])',
      'assert numbers == expected["numbers"], (numbers, expected["numbers"])',
      'assert math.copysign(1.0, numbers[1]) == -1.0',
      'assert nested == expected["nested"], nested',
      'assert math.isnan(specials[0]) and specials[1] == math.inf and specials[2] == -math.inf',
      'print("ok")',
    ].join('\n');
    const path = join(tmp.dir, 'literal_check.py');
    writeFileSync(path, src, 'utf8');
    const r = spawnSync(python!, [path], { input: JSON.stringify({ strings, numbers, nested }), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok');
    // Every value is a literal (ast.literal_eval), i.e. nothing executes.
    const r2 = spawnSync(python!, ['-c', 'import ast, sys; ast.literal_eval(sys.stdin.read()); print("literal")'], {
      input: pyLiteral({ strings, numbers, nested }),
      encoding: 'utf8',
    });
    expect(r2.stdout.trim()).toBe('literal');
  });
});
