# Check template for generator kind "dataset.null_rate": each column's share of missing values stays
# where the last-known-good had it — a fixed ceiling, or the last-known-good count compared with a
# two-proportion z-test at the size of the data checked (the diff's own test).
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
import pytest

from pmw_dataset import _column
from pmw_stats import _proportion_band, _z_test_proportions

# ---- pmw:body ----
# ---- pmw:section ceilings ----
FX_CEILINGS = {"a": 0.02}  # pmw:const


@pytest.mark.parametrize(("column", "ceiling"), list(FX_CEILINGS.items()), ids=list(FX_CEILINGS))
def test_fx_null_rate(dataset, column, ceiling):
    series = _column(dataset, column)
    total = len(series)
    missing = int(series.isna().sum())
    rate = missing / total if total else 0.0
    assert rate <= ceiling + 1e-12, (
        f"expected null rate of {column!r} <= {ceiling:.4g} (last-known-good ceiling),"
        f" found {rate:.4g} ({missing} of {total} rows missing)"
    )


# ---- pmw:section baseline ----
FX_BASELINE = {"b": [0, 891]}  # pmw:const
FX_P_VALUE = 0.01  # pmw:const


@pytest.mark.parametrize(("column", "baseline"), list(FX_BASELINE.items()), ids=list(FX_BASELINE))
def test_fx_null_rate_vs_baseline(dataset, column, baseline):
    base_missing, base_rows = baseline
    series = _column(dataset, column)
    total = len(series)
    if not total:
        return  # no rows: the row-count check speaks to that
    missing = int(series.isna().sum())
    _, p = _z_test_proportions(missing, total, base_missing, base_rows)
    low, high = _proportion_band(base_missing, base_rows, total, FX_P_VALUE)
    assert p >= FX_P_VALUE, (
        f"null rate of {column!r} {missing / total:.4g} ({missing} of {total} rows missing), last-known-good"
        f" {base_missing / base_rows:.4g} ({base_missing} of {base_rows}): z-test p-value {p:.2g} < {FX_P_VALUE}"
        f" (accepted at {total} rows: {low} to {high} missing)"
    )
