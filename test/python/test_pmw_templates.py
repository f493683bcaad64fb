"""The helper templates of the generated regression tests, imported straight from
shared/generators/templates/ and tested by pytest itself (run from test/unit/templates-python.test.ts).

The statistics must agree with scipy (what the diff's TypeScript statistics are checked against), and
the pure-Python fallbacks (used where scipy is missing) with scipy's own results.
"""
import json
import math
import os
import sys

import pytest

TEMPLATES = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "generators", "templates")
sys.path.insert(0, os.path.abspath(TEMPLATES))

import pmw_dtypes  # noqa: E402
import pmw_paths  # noqa: E402
import pmw_requirements  # noqa: E402
import pmw_stats  # noqa: E402

np = pytest.importorskip("numpy")
stats = pytest.importorskip("scipy.stats")


def _samples(seed, n, shift=0.0):
    return np.sort(np.random.RandomState(seed).normal(shift, 1.0, size=n))


@pytest.mark.parametrize(("n1", "n2", "shift"), [(40, 60, 0.0), (300, 200, 0.2), (891, 178, 0.0), (120, 120, 1.0)])
def test_ks_exact_fallback_matches_scipy(n1, n2, shift):
    a, b = _samples(1, n1), _samples(2, n2, shift)
    d = pmw_stats._ks_statistic(a, b)
    ref = stats.ks_2samp(a, b, method="exact")
    assert d == pytest.approx(ref.statistic, abs=1e-12)
    assert pmw_stats._ks_exact_sf(d, n1, n2) == pytest.approx(ref.pvalue, rel=1e-6, abs=1e-12)


def test_ks_asymptotic_fallback_is_close_to_scipy():
    a, b = _samples(3, 20000), _samples(4, 15000, 0.03)
    d = pmw_stats._ks_statistic(a, b)
    p = pmw_stats._kolmogorov_sf(math.sqrt(20000 * 15000 / 35000) * d)
    assert p == pytest.approx(stats.ks_2samp(a, b, method="asymp").pvalue, rel=0.05)


def test_wasserstein_chi_square_jensen_shannon_match_scipy():
    from scipy.spatial.distance import jensenshannon

    a, b = _samples(5, 500), _samples(6, 700, 0.4)
    assert pmw_stats._wasserstein(a, b) == pytest.approx(stats.wasserstein_distance(a, b), rel=1e-12)
    obs, exp = [30, 50, 20, 7], [25.0, 55.0, 18.0, 9.0]
    s, p = pmw_stats._chi_square_gof(obs, exp)
    ref = stats.chisquare(obs, exp)
    assert (s, p) == (pytest.approx(ref.statistic), pytest.approx(ref.pvalue))
    assert pmw_stats._chi_square_gof([3, 1], [4, 0])[1] == 0.0  # a category the reference never had
    for df, x in [(1, 0.5), (3, 7.8), (10, 30.0), (40, 10.0)]:
        assert pmw_stats._gammaincc(df / 2, x / 2) == pytest.approx(stats.chi2.sf(x, df), rel=1e-9)
    assert pmw_stats._jensen_shannon([70, 20, 10], [40, 40, 20]) == pytest.approx(jensenshannon([70, 20, 10], [40, 40, 20]), rel=1e-12)


def test_two_proportion_z_test_and_its_accepted_band():
    z, p = pmw_stats._z_test_proportions(13, 891, 0, 891)
    assert z == pytest.approx(3.6188, abs=1e-4) and p == pytest.approx(2 * stats.norm.sf(abs(z)))
    low, high = pmw_stats._proportion_band(177, 891, 891, 0.01)
    assert pmw_stats._z_test_proportions(high, 891, 177, 891)[1] >= 0.01 > pmw_stats._z_test_proportions(high + 1, 891, 177, 891)[1]
    assert pmw_stats._z_test_proportions(low, 891, 177, 891)[1] >= 0.01 > pmw_stats._z_test_proportions(low - 1, 891, 177, 891)[1]
    assert pmw_stats._proportion_band(0, 891, 891, 0.01)[0] == 0


def test_text_dtype_inference_follows_the_diffs_rules():
    cases = json.loads(os.environ.get("PMW_DTYPE_CASES", "[]"))
    assert cases, "PMW_DTYPE_CASES: the TypeScript side's dtypes for the same values"
    for values, expected in cases:
        assert pmw_dtypes._infer_text_dtype(values)[0] == expected, values


def test_requirements_parsing_keeps_hashes_and_every_index_line():
    text = (
        "--index-url https://pypi.org/simple\n--extra-index-url https://a/simple\n-i https://b/simple\n"
        "--extra-index-url https://c/simple  # mirror\nFoo_Bar==1.0 \\\n    --hash=sha256:aa \\\n    --hash sha256:bb\n"
        "-e ./pkg[dev]\n# numpy==1\n"
    )
    r = pmw_requirements._parse_requirements(text)
    assert r["options"] == {"--index-url": ["https://pypi.org/simple", "https://b/simple"], "--extra-index-url": ["https://a/simple", "https://c/simple"]}
    assert r["packages"]["foo-bar"] == {"hashes": ["sha256:aa", "sha256:bb"], "line": 5}
    assert "pkg" in r["packages"] and "numpy" not in r["packages"]


def test_config_paths_resolve_selectors_and_compare_types_strictly():
    doc = [{"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"containers": [{"name": "a", "args": ["--x", "1"]}]}}]
    segs = [{"match": [{"field": ["kind"], "value": "Deployment"}]}, {"key": "spec"}, {"key": "containers"}, {"match": [{"field": ["name"], "value": "a"}]}, {"key": "args"}]
    found, value = pmw_paths._resolve(doc, segs)
    assert found and pmw_paths._same_value(["--x", "1"], value) and not pmw_paths._same_value(["--x", 1], value)
    assert not pmw_paths._same_value(1, True) and pmw_paths._same_value(2**53 + 1, 2**53 + 1)
