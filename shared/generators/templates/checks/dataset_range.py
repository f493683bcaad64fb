# Check template for generator kind "dataset.range": numeric values stay within [min, max].
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
import pytest

from pmw_dataset import _column, _numeric

# ---- pmw:body ----
FX_RANGES = {"a": [0, 1]}  # pmw:const


@pytest.mark.parametrize(("column", "bounds"), list(FX_RANGES.items()), ids=list(FX_RANGES))
def test_fx_range(dataset, column, bounds):
    low, high = bounds
    values = _numeric(_column(dataset, column), column, f"range {low}..{high}")
    if values.empty:
        return  # all missing: the null-rate check speaks to that
    slack_low = 1e-9 * max(1.0, abs(low))
    slack_high = 1e-9 * max(1.0, abs(high))
    outside = int(((values < low - slack_low) | (values > high + slack_high)).sum())
    assert outside == 0, (
        f"expected {column!r} within [{float(low)!r}, {float(high)!r}], found min {float(values.min())!r} and max {float(values.max())!r}"
        f" ({outside} of {len(values)} values outside)"
    )
