# Check template for generator kind "dataset.drift": the column's distribution against the embedded
# last-known-good reference, with the test and threshold the diff used (Evidently's defaults): KS
# p-value < 0.05 (numeric, reference <= 1000 rows), Wasserstein distance normed by the reference std
# >= 0.1 (numeric, larger references), chi-square / z-test p-value < 0.05 or Jensen-Shannon distance
# >= 0.1 (categorical, and numeric columns with at most 5 values). Label and prediction columns also get
# a mean (or category proportion) check with a 3-sigma tolerance at the size of the data checked.
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
import math

from pmw_dataset import _BOOL_TEXT, _column, _finite, _pandas
from pmw_stats import _chi_square_gof, _jensen_shannon, _ks_2samp, _wasserstein, _z_test_proportions

# ---- pmw:body ----
FX_COLUMN = "a"  # pmw:const
FX_TEST = "ks"  # pmw:const
FX_THRESHOLD = 0.05  # pmw:const
FX_REFERENCE = {"kind": "values", "values": [1.0, 2.0], "rows": 2}  # pmw:const

FX_TEST_LABELS = {
    "ks": "KS test p-value",
    "wasserstein-normed": "Wasserstein distance (normed)",
    "chi-square": "chi-square p-value",
    "z-test": "z-test p-value",
    "jensen-shannon": "Jensen-Shannon distance",
}


def _fx_current_counts(dataset, request):
    """Current counts over the reference categories (then the new ones) and the number of values."""
    ref = FX_REFERENCE
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in ref["values"])
    if numeric:
        values = _finite(_column(dataset, FX_COLUMN), FX_COLUMN, "distribution drift")
        series = _pandas().Series(values)
    else:
        # categories as written (the text read of the dataset, only when needed)
        series = _column(request.getfixturevalue("dataset_text"), FX_COLUMN).dropna()
        if set(ref["values"]) <= {"true", "false"}:
            series = series.map(lambda v: _BOOL_TEXT.get(v, v))
    found = series.value_counts()
    keys = list(ref["values"]) + [k for k in found.index if k not in set(ref["values"])]
    current = [int(found.get(k, 0)) for k in keys]
    reference = list(ref["counts"]) + [0] * (len(keys) - len(ref["counts"]))
    return keys, reference, current, int(len(series))


def test_fx_drift(dataset, request):
    ref = FX_REFERENCE
    label = FX_TEST_LABELS[FX_TEST]
    if ref["kind"] in ("values", "quantiles"):
        import numpy as np

        current = _finite(_column(dataset, FX_COLUMN), FX_COLUMN, "distribution drift")
        assert len(current), f"expected numeric values in {FX_COLUMN!r} to compare with the last-known-good, found none"
        reference = np.asarray(ref["values"], dtype=float)
        rows = len(current)
        if FX_TEST == "ks":
            _, value = _ks_2samp(reference, current)
        else:
            value = _wasserstein(reference, current) / ref["scale"]
    else:
        keys, reference, current, rows = _fx_current_counts(dataset, request)
        assert rows, f"expected values in {FX_COLUMN!r} to compare with the last-known-good, found none"
        if FX_TEST == "chi-square":
            k = rows / ref["rows"]
            _, value = _chi_square_gof(current, [x * k for x in reference])
        elif FX_TEST == "z-test":
            cat = ref.get("category", keys[0])
            i = keys.index(cat) if cat in keys else None
            value = 1.0 if i is None or len(keys) <= 1 else _z_test_proportions(reference[i], ref["rows"], current[i], rows)[1]
        else:
            value = _jensen_shannon(reference, current)
    p_value = FX_TEST in ("ks", "chi-square", "z-test")
    drift = value < FX_THRESHOLD if p_value else value >= FX_THRESHOLD
    shown = f"{value:.3g}"
    assert not drift, (
        f"distribution drift in {FX_COLUMN!r}: {label} {shown} {'<' if p_value else '>='} {FX_THRESHOLD}"
        f" (Evidently default; {rows} values against the last-known-good reference of {ref['rows']})"
    )


# ---- pmw:section target ----
def test_fx_target(dataset, request):
    ref = FX_REFERENCE
    if "mean" in ref and "std" in ref:
        values = _finite(_column(dataset, FX_COLUMN), FX_COLUMN, "mean")
        assert len(values), f"expected values in {FX_COLUMN!r}, found none"
        n = len(values)
        mean = float(values.mean())
        tol = 3 * ref["std"] * math.sqrt(1 / n + 1 / ref["rows"])
        assert abs(mean - ref["mean"]) <= tol + 1e-12, (
            f"mean of {FX_COLUMN!r} {mean:.4g}, last-known-good {ref['mean']:.4g} ± {tol:.2g}"
            f" (3 sigma at {n} values against {ref['rows']})"
        )
        return
    keys, reference, current, n = _fx_current_counts(dataset, request)
    assert n, f"expected values in {FX_COLUMN!r}, found none"
    off = []
    for key, r, c in zip(keys, reference, current):
        p = r / ref["rows"]
        tol = 3 * math.sqrt(max(p * (1 - p), 1 / ref["rows"]) * (1 / n + 1 / ref["rows"]))
        if abs(c / n - p) > tol + 1e-12:
            off.append(f"{key!r} {c / n:.4g}, last-known-good {p:.4g} ± {tol:.2g}")
    assert not off, f"proportions of {FX_COLUMN!r} moved (3 sigma at {n} values against {ref['rows']}): {'; '.join(off)}"
