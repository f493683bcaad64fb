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
import { pyComment, pyDocText, pyIdent, pyLiteral } from './pylit';
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
// Python helpers (emitted once per module, only those needed)

const PY_ENV = String.raw`
def _input_path(var, what):
    """The file named by an environment variable; the test is skipped when it is unset."""
    value = os.environ.get(var, "").strip()
    if not value:
        pytest.skip(f"{var} is not set: {what}")
    if not os.path.isfile(value):
        pytest.fail(f"{var}={value!r}: expected a readable file with {what}, found no such file", pytrace=False)
    return value


def _as_text(value):
    """A scalar as text: true/false, whole floats without ".0", null for None."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _first_difference(expected, found):
    for i, (e, f) in enumerate(zip(expected, found)):
        if e != f:
            return f"; first difference at position {i}: expected {e!r}, found {f!r}"
    if len(expected) != len(found):
        return f"; expected {len(expected)} entries, found {len(found)}"
    return ""
`;

const PY_DATASET = String.raw`
_COMPRESSION_SUFFIXES = (".gz", ".bz2", ".xz", ".zst", ".zip")


def _pandas():
    try:
        import pandas
    except ImportError:
        pytest.skip("pandas is not installed: it is needed to read PMW_DATASET (apt install python3-pandas)")
    return pandas


def _dataset_format(path):
    name = path.lower()
    for suffix in _COMPRESSION_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".tsv", ".tab")):
        return "tsv"
    return "csv"


def _read_dataset(as_text):
    path = _input_path("PMW_DATASET", "path to the dataset to check")
    pd = _pandas()
    fmt = _dataset_format(path)
    try:
        if fmt == "parquet":
            try:
                frame = pd.read_parquet(path)
            except ImportError as exc:
                pytest.skip(f"PMW_DATASET is Parquet but neither pyarrow nor fastparquet is installed: {exc}")
            if as_text:
                frame = frame.apply(lambda col: col.map(_as_text, na_action="ignore"))
            return frame
        sep = "\t" if fmt == "tsv" else ","
        if as_text:
            return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=True)
        return pd.read_csv(path, sep=sep, low_memory=False)
    except (ValueError, OSError) as exc:
        pytest.fail(f"PMW_DATASET={path!r}: expected a readable {fmt} file, found an error: {exc}", pytrace=False)


@pytest.fixture(scope="module")
def dataset():
    """PMW_DATASET read with pandas (dtypes inferred)."""
    return _read_dataset(as_text=False)


@pytest.fixture(scope="module")
def dataset_text():
    """PMW_DATASET with every value as text (CSV cells exactly as written; missing values stay missing)."""
    return _read_dataset(as_text=True)


def _column(frame, name):
    if name not in frame.columns:
        pytest.fail(f"expected column {name!r} in PMW_DATASET, found columns {[str(c) for c in frame.columns]!r}", pytrace=False)
    return frame[name]


def _numeric(series, column, purpose):
    pd = _pandas()
    values = pd.to_numeric(series, errors="coerce")
    bad = series.notna() & values.isna()
    if bad.any():
        pytest.fail(
            f"expected numeric values in {column!r} ({purpose}), found {int(bad.sum())} non-numeric values,"
            f" e.g. {series[bad].iloc[0]!r}",
            pytrace=False,
        )
    return values.dropna()

`;

const PY_DTYPES = String.raw`
def _dtype_of(series):
    """bool / int / float / datetime / string, as pandas inferred it."""
    from pandas.api import types as pdt

    if pdt.is_bool_dtype(series):
        return "bool"
    if pdt.is_integer_dtype(series):
        return "int"
    if pdt.is_float_dtype(series) or pdt.is_numeric_dtype(series):
        return "float"
    if pdt.is_datetime64_any_dtype(series):
        return "datetime"
    values = series.dropna()
    if len(values) and values.map(lambda v: isinstance(v, bool)).all():
        return "bool"
    return "string"


def _dtype_matches(expected, series):
    """(matches, found). Lenient where pandas' inference is not a real change:
    an int column with missing values reads as float; whole numbers are valid floats;
    datetimes in CSV are text that parses as dates; an all-missing column carries no type."""
    found = _dtype_of(series)
    values = series.dropna()
    if found == expected or len(values) == 0:
        return True, found
    if expected == "float" and found == "int":
        return True, found
    if expected == "int" and found == "float" and bool(((values % 1) == 0).all()):
        return True, "float with whole numbers only"
    if expected == "datetime" and found == "string":
        pd = _pandas()
        try:
            pd.to_datetime(values, utc=True)
            return True, "text that parses as dates"
        except (ValueError, TypeError, OverflowError):
            return False, "string (text that does not parse as dates)"
    return False, found
`;

const PY_TIMESTAMPS = String.raw`
def _timestamps(series, column):
    """UTC timestamps; numbers are Unix seconds; text is parsed by pandas (naive = UTC)."""
    pd = _pandas()
    from pandas.api import types as pdt

    if pdt.is_datetime64_any_dtype(series):
        parsed = pd.to_datetime(series, utc=True)
    elif pdt.is_numeric_dtype(series) and not pdt.is_bool_dtype(series):
        parsed = pd.to_datetime(series, unit="s", utc=True, errors="coerce")
    elif int(pd.__version__.split(".")[0]) >= 2:
        parsed = pd.to_datetime(series, utc=True, errors="coerce", format="mixed")
    else:
        parsed = pd.to_datetime(series, utc=True, errors="coerce")
    bad = series.notna() & parsed.isna()
    if bad.any():
        pytest.fail(
            f"expected timestamps in {column!r}, found {int(bad.sum())} values that are not dates,"
            f" e.g. {series[bad].iloc[0]!r}",
            pytrace=False,
        )
    return parsed
`;

const PY_METADATA = String.raw`
_FEATURE_ORDER_KEYS = ("feature_order", "feature_names_in_", "feature_names", "features", "input_features")


@pytest.fixture(scope="module")
def model_metadata():
    """PMW_MODEL_METADATA parsed as JSON."""
    path = _input_path("PMW_MODEL_METADATA", "path to the model metadata JSON (feature_order) to check")
    with open(path, encoding="utf-8") as fh:
        try:
            return json.load(fh)
        except ValueError as exc:
            pytest.fail(f"PMW_MODEL_METADATA={path!r}: expected JSON, found a parse error: {exc}", pytrace=False)


def _feature_order(meta):
    """(key, list) for the first list of names under one of _FEATURE_ORDER_KEYS, searched breadth-first."""
    for key in _FEATURE_ORDER_KEYS:
        queue = [meta]
        while queue:
            node = queue.pop(0)
            if isinstance(node, dict):
                value = node.get(key)
                if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                    return key, value
                queue.extend(v for v in node.values() if isinstance(v, (dict, list)))
            elif isinstance(node, list):
                queue.extend(v for v in node if isinstance(v, (dict, list)))
    return None, None
`;

const PY_DEPENDENCIES = String.raw`
_VERSION_PATTERN = re.compile(
    r"^\s*v?(?:(?P<epoch>\d+)!)?(?P<release>\d+(?:\.\d+)*)"
    r"(?:[-_.]?(?P<pre_l>alpha|beta|preview|pre|rc|a|b|c)[-_.]?(?P<pre_n>\d+)?)?"
    r"(?:-(?P<post_n1>\d+)|[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>\d+)?)?"
    r"(?:[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>\d+)?)?"
    r"(?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$",
    re.IGNORECASE,
)
_CLAUSE_PATTERN = re.compile(r"^\s*(~=|===|==|!=|<=|>=|<|>)\s*(\S+)\s*$")


def _parse_version(text):
    m = _VERSION_PATTERN.match(text)
    if not m:
        return None
    pre = None
    if m.group("pre_l"):
        letter = m.group("pre_l").lower()
        letter = {"alpha": "a", "beta": "b", "c": "rc", "pre": "rc", "preview": "rc"}.get(letter, letter)
        pre = ({"a": 0, "b": 1, "rc": 2}[letter], int(m.group("pre_n") or 0))
    post = None
    if m.group("post_n1") is not None:
        post = int(m.group("post_n1"))
    elif m.group("post_l"):
        post = int(m.group("post_n2") or 0)
    dev = int(m.group("dev_n") or 0) if m.group("dev_l") else None
    return {
        "epoch": int(m.group("epoch") or 0),
        "release": tuple(int(x) for x in m.group("release").split(".")),
        "pre": pre,
        "post": post,
        "dev": dev,
        "local": (m.group("local") or "").lower() or None,
    }


def _version_key(v):
    """PEP 440 ordering: epoch, release (trailing zeros ignored), pre, post, dev (local ignored)."""
    release = list(v["release"])
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    if v["pre"] is None and v["post"] is None and v["dev"] is not None:
        pre = (-1, 0)  # 1.0.dev1 sorts before 1.0a1
    elif v["pre"] is None:
        pre = (3, 0)
    else:
        pre = v["pre"]
    post = (-1, 0) if v["post"] is None else (0, v["post"])
    dev = (1, 0) if v["dev"] is None else (0, v["dev"])
    return (v["epoch"], tuple(release), pre, post, dev)


def _release_prefix_matches(candidate, prefix_release, epoch):
    n = len(prefix_release)
    release = tuple(candidate["release"]) + (0,) * max(0, n - len(candidate["release"]))
    return candidate["epoch"] == epoch and release[:n] == tuple(prefix_release)


def _fallback_clause(op, target, version):
    if op == "===":
        return version.strip().lower() == target.strip().lower()
    candidate = _parse_version(version)
    if candidate is None:
        return False
    if op in ("==", "!=") and target.endswith(".*"):
        prefix = _parse_version(target[:-2])
        if prefix is None:
            return False
        match = _release_prefix_matches(candidate, prefix["release"], prefix["epoch"])
        return match if op == "==" else not match
    wanted = _parse_version(target)
    if wanted is None:
        return False
    ck, wk = _version_key(candidate), _version_key(wanted)
    if op in ("==", "!="):
        match = ck == wk and (wanted["local"] is None or candidate["local"] == wanted["local"])
        return match if op == "==" else not match
    if op == "~=":
        return ck >= wk and _release_prefix_matches(candidate, wanted["release"][:-1], wanted["epoch"])
    same_base = _version_key(_base_of(candidate)) == _version_key(_base_of(wanted))
    if op == "<":
        # <V excludes pre-releases of V itself unless V is a pre-release
        is_pre = candidate["pre"] is not None or candidate["dev"] is not None
        wanted_pre = wanted["pre"] is not None or wanted["dev"] is not None
        return ck < wk and not (is_pre and not wanted_pre and same_base)
    if op == ">":
        # >V excludes post-releases and local versions of V itself unless V is a post-release
        return ck > wk and not (candidate["post"] is not None and wanted["post"] is None and same_base) and not (
            candidate["local"] is not None and same_base
        )
    return {">=": ck >= wk, "<=": ck <= wk}[op]


def _base_of(v):
    return {"epoch": v["epoch"], "release": v["release"], "pre": None, "post": None, "dev": None, "local": None}


def _fallback_contains(spec, version):
    """A small PEP 440 comparator for when 'packaging' is not installed."""
    for clause in (c for c in spec.split(",") if c.strip()):
        m = _CLAUSE_PATTERN.match(clause)
        if not m or not _fallback_clause(m.group(1), m.group(2), version):
            return False
    return True


def _spec_contains(spec, version):
    """(ok, comparator) — packaging's SpecifierSet when importable, else the fallback above."""
    try:
        from packaging.specifiers import SpecifierSet
        from packaging.version import Version
    except ImportError:
        return _fallback_contains(spec, version), "built-in PEP 440 comparator"
    try:
        return SpecifierSet(spec).contains(Version(version), prereleases=True), "packaging"
    except ValueError:
        return _fallback_contains(spec, version), "built-in PEP 440 comparator"


def _installed_version(name):
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
`;

const PY_CONFIG = String.raw`
@pytest.fixture(scope="module")
def config():
    """PMW_CONFIG: JSON, or YAML when PyYAML is importable. Several YAML documents become a list."""
    path = _input_path("PMW_CONFIG", "path to the config file (JSON or YAML) to check")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    lower = path.lower()
    if not lower.endswith((".yaml", ".yml")):
        try:
            return json.loads(text)
        except ValueError as exc:
            if lower.endswith(".json"):
                pytest.fail(f"PMW_CONFIG={path!r}: expected JSON, found a parse error: {exc}", pytrace=False)
    try:
        import yaml
    except ImportError:
        pytest.skip(f"PMW_CONFIG={path!r} is YAML but PyYAML is not installed (apt install python3-yaml or pip install pyyaml)")
    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as exc:
        pytest.fail(f"PMW_CONFIG={path!r}: expected JSON or YAML, found a parse error: {exc}", pytrace=False)
    if not docs:
        return None
    return docs[0] if len(docs) == 1 else docs


def _lookup_key(node, key):
    if key in node:
        return True, node[key]
    for k, v in node.items():
        if not isinstance(k, str) and _as_text(k) == key:
            return True, v
    return False, None


def _selector_matches(node, conditions):
    if not isinstance(node, dict):
        return False
    for cond in conditions:
        value = node
        for key in cond["field"]:
            if not isinstance(value, dict):
                return False
            found, value = _lookup_key(value, key)
            if not found:
                return False
        if isinstance(value, (dict, list)) or _as_text(value) != cond["value"]:
            return False
    return True


def _resolve(root, segments):
    """(True, value) or (False, why) for a parsed config path (see the docstring)."""
    node, walked = root, "$"
    for seg in segments:
        if "key" in seg:
            key = seg["key"]
            found, value = _lookup_key(node, key) if isinstance(node, dict) else (False, None)
            if not found:
                keys = sorted(_as_text(k) for k in node) if isinstance(node, dict) else None
                return False, f"no key {key!r} under {walked}" + (f" (keys: {keys})" if keys is not None else " (not a mapping)")
            node, walked = value, f"{walked}.{key}"
        elif "index" in seg:
            i = seg["index"]
            if not isinstance(node, list):
                return False, f"{walked} is not a list, cannot take [{i}]"
            if not -len(node) <= i < len(node):
                return False, f"{walked} has {len(node)} items, no index {i}"
            node, walked = node[i], f"{walked}[{i}]"
        else:
            conds = seg["match"]
            label = "[" + ",".join(".".join(c["field"]) + "=" + c["value"] for c in conds) + "]"
            candidates = node if isinstance(node, list) else [node]
            hits = [x for x in candidates if _selector_matches(x, conds)]
            if not hits:
                return False, f"no element matching {label} under {walked}"
            if len(hits) > 1:
                return False, f"{len(hits)} elements match {label} under {walked} (ambiguous)"
            node, walked = hits[0], walked + label
    return True, node


def _same_value(expected, found):
    if expected is None or isinstance(expected, bool):
        return found is expected or (isinstance(found, bool) and found == expected)
    if isinstance(expected, (int, float)):
        return isinstance(found, (int, float)) and not isinstance(found, bool) and found == expected
    return isinstance(found, str) and found == expected


def _typed(value):
    return f"{value!r} ({type(value).__name__})"
`;

// ---------------------------------------------------------------------------------------------
// Per-kind test emitters

interface Emitted {
  /** Python source for the finding's tests. */
  code: string;
  /** Test function names (for the docstring). */
  tests: string[];
}

const CHECK_NAME: Record<GeneratorKind, string> = {
  'dataset.columns': 'columns',
  'dataset.dtypes': 'dtypes',
  'dataset.null_rate': 'null_rate',
  'dataset.range': 'range',
  'dataset.categories': 'categories',
  'model.feature_order': 'feature_order',
  'dependency.version': 'dependency_version',
  'config.value': 'config_value',
  'data.point_in_time': 'point_in_time',
  'prediction.mean': 'prediction_mean',
};

const lit = pyLiteral;
const idsOf = (xs: string[]) => `ids=${lit(xs)}`;

function emit(prefix: string, fn: string, gen: TypedGenerator): Emitted {
  const C = prefix.toUpperCase();
  const lines: string[] = [];
  const L = (s = '') => lines.push(s);
  switch (gen.kind) {
    case 'dataset.columns': {
      const p = gen.params;
      L(`${C}_COLUMNS = ${lit(p.columns)}`);
      L(`${C}_CHECK_ORDER = ${lit(p.checkOrder)}`);
      L();
      L();
      L(`def ${fn}(dataset):`);
      L(`    expected = ${C}_COLUMNS`);
      L(`    found = [str(c) for c in dataset.columns]`);
      L(`    missing = [c for c in expected if c not in found]`);
      L(`    unexpected = [c for c in found if c not in expected]`);
      L(`    detail = ""`);
      L(`    if missing:`);
      L(`        detail += f"; missing {missing}"`);
      L(`    if unexpected:`);
      L(`        detail += f"; unexpected {unexpected}"`);
      L(`    if ${C}_CHECK_ORDER:`);
      L(`        if not missing and not unexpected:`);
      L(`            detail += _first_difference(expected, found)`);
      L(`        assert found == expected, f"expected columns {expected} in this order, found {found}{detail}"`);
      L(`    else:`);
      L(`        assert sorted(found) == sorted(expected), f"expected columns {sorted(expected)} (any order), found {found}{detail}"`);
      return { code: lines.join('\n'), tests: [fn] };
    }
    case 'dataset.dtypes': {
      const entries = Object.entries(gen.params.dtypes);
      L(`${C}_DTYPES = ${lit(Object.fromEntries(entries))}`);
      L();
      L();
      L(`@pytest.mark.parametrize(("column", "expected"), list(${C}_DTYPES.items()), ${idsOf(entries.map(([k]) => k))})`);
      L(`def ${fn}(dataset, column, expected):`);
      L(`    series = _column(dataset, column)`);
      L(`    ok, found = _dtype_matches(expected, series)`);
      L(`    example = ""`);
      L(`    if not ok and expected in ("int", "float"):`);
      L(`        pd = _pandas()`);
      L(`        odd = series[series.notna() & pd.to_numeric(series, errors="coerce").isna()]`);
      L(`        example = f", e.g. {odd.iloc[0]!r}" if len(odd) else ""`);
      L(`    assert ok, f"expected column {column!r} to be {expected}, found {found} (pandas dtype {series.dtype}{example})"`);
      return { code: lines.join('\n'), tests: [fn] };
    }
    case 'dataset.null_rate': {
      const entries = Object.entries(gen.params.ceilings);
      L(`${C}_CEILINGS = ${lit(Object.fromEntries(entries))}`);
      L();
      L();
      L(`@pytest.mark.parametrize(("column", "ceiling"), list(${C}_CEILINGS.items()), ${idsOf(entries.map(([k]) => k))})`);
      L(`def ${fn}(dataset, column, ceiling):`);
      L(`    series = _column(dataset, column)`);
      L(`    total = len(series)`);
      L(`    missing = int(series.isna().sum())`);
      L(`    rate = missing / total if total else 0.0`);
      L(`    assert rate <= ceiling + 1e-12, (`);
      L(`        f"expected null rate of {column!r} <= {ceiling:.4g} (last-known-good ceiling),"`);
      L(`        f" found {rate:.4g} ({missing} of {total} rows missing)"`);
      L(`    )`);
      return { code: lines.join('\n'), tests: [fn] };
    }
    case 'dataset.range': {
      const entries = Object.entries(gen.params.ranges).map(([k, r]) => [k, [r.min, r.max]] as const);
      L(`${C}_RANGES = ${lit(Object.fromEntries(entries))}`);
      L();
      L();
      L(`@pytest.mark.parametrize(("column", "bounds"), list(${C}_RANGES.items()), ${idsOf(entries.map(([k]) => k))})`);
      L(`def ${fn}(dataset, column, bounds):`);
      L(`    low, high = bounds`);
      L(`    values = _numeric(_column(dataset, column), column, f"range {low}..{high}")`);
      L(`    if values.empty:`);
      L(`        return  # all missing: the null-rate check speaks to that`);
      L(`    slack_low = 1e-9 * max(1.0, abs(low))`);
      L(`    slack_high = 1e-9 * max(1.0, abs(high))`);
      L(`    outside = int(((values < low - slack_low) | (values > high + slack_high)).sum())`);
      L(`    assert outside == 0, (`);
      L(`        f"expected {column!r} within [{float(low)!r}, {float(high)!r}], found min {float(values.min())!r} and max {float(values.max())!r}"`);
      L(`        f" ({outside} of {len(values)} values outside)"`);
      L(`    )`);
      return { code: lines.join('\n'), tests: [fn] };
    }
    case 'dataset.categories': {
      const entries = Object.entries(gen.params.categories);
      L(`${C}_CATEGORIES = ${lit(Object.fromEntries(entries))}`);
      L(`${C}_ALLOW_UNSEEN = ${lit(!!gen.params.allowUnseen)}`);
      L();
      L();
      L(`@pytest.mark.parametrize(("column", "categories"), list(${C}_CATEGORIES.items()), ${idsOf(entries.map(([k]) => k))})`);
      L(`def ${fn}(dataset_text, column, categories):`);
      L(`    series = _column(dataset_text, column).dropna()`);
      L(`    expected = set(categories)`);
      L(`    seen = set(series)`);
      L(`    if ${C}_ALLOW_UNSEEN:`);
      L(`        vanished = sorted(expected - seen)`);
      L(`        assert not vanished, f"expected every category of {column!r} {sorted(expected)} to occur, found {vanished} missing"`);
      L(`    else:`);
      L(`        unseen = sorted(seen - expected)`);
      L(`        rows = int(series.isin(unseen).sum())`);
      L(`        assert not unseen, f"expected values of {column!r} in {sorted(expected)}, found unseen {unseen[:20]} in {rows} rows"`);
      return { code: lines.join('\n'), tests: [fn] };
    }
    case 'model.feature_order': {
      L(`${C}_FEATURE_ORDER = ${lit(gen.params.featureOrder)}`);
      L();
      L();
      L(`def ${fn}(model_metadata):`);
      L(`    expected = ${C}_FEATURE_ORDER`);
      L(`    key, found = _feature_order(model_metadata)`);
      L(`    assert found is not None, (`);
      L(`        f"expected feature_order {expected} in PMW_MODEL_METADATA, found no list under any of {list(_FEATURE_ORDER_KEYS)}"`);
      L(`    )`);
      L(`    assert found == expected, (`);
      L(`        f"expected feature_order {expected}, found {found} (key {key!r}){_first_difference(expected, found)}"`);
      L(`    )`);
      return { code: lines.join('\n'), tests: [fn] };
    }
    case 'dependency.version': {
      const rows = gen.params.packages.map((p) => {
        const clauses = [p.version !== undefined ? `==${p.version}` : null, p.spec?.trim() || null].filter(Boolean) as string[];
        return [p.name, clauses.join(',')] as const;
      });
      L(`${C}_PACKAGES = ${lit(rows.map(([n, s]) => [n, s]))}`);
      L();
      L();
      L(`@pytest.mark.parametrize(("name", "spec"), [tuple(p) for p in ${C}_PACKAGES], ${idsOf(rows.map(([n]) => n))})`);
      L(`def ${fn}(name, spec):`);
      L(`    wanted = spec or "(any version)"`);
      L(`    version = _installed_version(name)`);
      L(`    assert version is not None, f"expected {name} {wanted} installed, found it not installed"`);
      L(`    if not spec:`);
      L(`        return`);
      L(`    ok, comparator = _spec_contains(spec, version)`);
      L(`    assert ok, f"expected {name} {spec}, found {name} {version} installed (compared with {comparator})"`);
      return { code: lines.join('\n'), tests: [fn] };
    }
    case 'config.value': {
      const rows = gen.params.values.map((v) => ({ path: v.path, segments: parseConfigPath(v.path), value: v.value }));
      L(`${C}_VALUES = [`);
      for (const r of rows) L(`    (${lit(r.path)}, ${lit(r.segments)}, ${lit(r.value)}),`);
      L(`]`);
      L();
      L();
      L(`@pytest.mark.parametrize(("path", "segments", "expected"), ${C}_VALUES, ${idsOf(rows.map((r) => r.path))})`);
      L(`def ${fn}(config, path, segments, expected):`);
      L(`    found, value = _resolve(config, segments)`);
      L(`    assert found, f"expected {path} == {expected!r}, found no such path: {value}"`);
      L(`    assert _same_value(expected, value), f"expected {path} == {_typed(expected)}, found {_typed(value)}"`);
      return { code: lines.join('\n'), tests: [fn] };
    }
    case 'data.point_in_time': {
      const p = gen.params;
      L(`${C}_FEATURE_TIMESTAMPS = ${lit(p.featureTimestampColumns)}`);
      L(`${C}_LABEL_TIMESTAMP = ${lit(p.labelTimestampColumn)}`);
      L(`${C}_TOLERANCE_SECONDS = ${lit(p.toleranceSeconds)}`);
      L();
      L();
      L(`@pytest.mark.parametrize("feature_column", ${C}_FEATURE_TIMESTAMPS, ${idsOf(p.featureTimestampColumns)})`);
      L(`def ${fn}(dataset, feature_column):`);
      L(`    pd = _pandas()`);
      L(`    label_column = ${C}_LABEL_TIMESTAMP`);
      L(`    label_ts = _timestamps(_column(dataset, label_column), label_column)`);
      L(`    feature_ts = _timestamps(_column(dataset, feature_column), feature_column)`);
      L(`    limit = label_ts + pd.Timedelta(seconds=${C}_TOLERANCE_SECONDS)`);
      L(`    late = feature_ts.notna() & label_ts.notna() & (feature_ts > limit)`);
      L(`    count = int(late.sum())`);
      L(`    example = ""`);
      L(`    if count:`);
      L(`        row = late[late].index[0]`);
      L(`        example = f"; e.g. row {row}: {feature_column} {feature_ts[row].isoformat()} > {label_column} {label_ts[row].isoformat()}"`);
      L(`    assert count == 0, (`);
      L(`        f"expected every {feature_column!r} <= {label_column!r} + {${C}_TOLERANCE_SECONDS}s (no feature from after its label),"`);
      L(`        f" found {count} of {len(dataset)} rows later{example}"`);
      L(`    )`);
      return { code: lines.join('\n'), tests: [fn] };
    }
    case 'prediction.mean': {
      const p = gen.params;
      L(`${C}_COLUMN = ${lit(p.column)}`);
      L(`${C}_BASELINE = ${lit(p.baseline)}`);
      L(`${C}_TOLERANCE = ${lit(p.tolerance)}`);
      L(`${C}_RELATIVE = ${lit(!!p.relative)}`);
      L();
      L();
      L(`def ${fn}(dataset):`);
      L(`    column = ${C}_COLUMN`);
      L(`    values = _numeric(_column(dataset, column), column, "prediction mean")`);
      L(`    assert not values.empty, f"expected predictions in {column!r}, found none (all missing)"`);
      L(`    mean = float(values.mean())`);
      L(`    allowed = ${C}_TOLERANCE * abs(${C}_BASELINE) if ${C}_RELATIVE else ${C}_TOLERANCE`);
      L(`    low, high = ${C}_BASELINE - allowed, ${C}_BASELINE + allowed`);
      L(`    assert abs(mean - ${C}_BASELINE) <= allowed + 1e-12, (`);
      L(`        f"expected mean of {column!r} within {allowed:.6g} of the baseline {${C}_BASELINE!r} ({low:.6g}..{high:.6g}),"`);
      L(`        f" found {mean:.6g} over {len(values)} values"`);
      L(`    )`);
      return { code: lines.join('\n'), tests: [fn] };
    }
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
    const fn = `test_${prefix}_${pyIdent(CHECK_NAME[gen.kind])}`;
    const out = emit(prefix, fn, gen);
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
  const helpers: string[] = [PY_ENV];
  if (datasetKinds) helpers.push(PY_DATASET);
  if (kinds.has('dataset.dtypes')) helpers.push(PY_DTYPES);
  if (kinds.has('data.point_in_time')) helpers.push(PY_TIMESTAMPS);
  if (kinds.has('model.feature_order')) helpers.push(PY_METADATA);
  if (kinds.has('dependency.version')) helpers.push(PY_DEPENDENCIES);
  if (kinds.has('config.value')) helpers.push(PY_CONFIG);

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
    helpers.map((h) => h.trim()).join('\n\n\n'),
    '',
    '',
    blocks.join('\n\n\n'),
    '',
  ].join('\n');
  return [{ path: fileName, content: content.replace(/\n{4,}/g, '\n\n\n') }];
}

