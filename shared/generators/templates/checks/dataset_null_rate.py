# Check template for generator kind "dataset.null_rate": a ceiling on each column's share of missing values.
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
import pytest

from pmw_dataset import _column

# ---- pmw:body ----
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
