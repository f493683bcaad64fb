# Check template for generator kind "dataset.dtypes": each column keeps its dtype.
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
import pytest

from pmw_dataset import _column, _pandas
from pmw_dtypes import _dtype_matches, _dtype_strict

# ---- pmw:body ----
FX_DTYPES = {"a": "int"}  # pmw:const
FX_STRICT = True  # pmw:const


@pytest.mark.parametrize(("column", "expected"), list(FX_DTYPES.items()), ids=list(FX_DTYPES))
def test_fx_dtypes(dataset, dataset_text, column, expected):
    series = _column(dataset, column)
    if FX_STRICT:
        ok, found = _dtype_strict(expected, _column(dataset_text, column), series)
        assert ok, f"expected column {column!r} to be {expected} (as in the last-known-good), found {found}"
        return
    ok, found = _dtype_matches(expected, series)
    example = ""
    if not ok and expected in ("int", "float"):
        pd = _pandas()
        odd = series[series.notna() & pd.to_numeric(series, errors="coerce").isna()]
        example = f", e.g. {odd.iloc[0]!r}" if len(odd) else ""
    assert ok, f"expected column {column!r} to be {expected}, found {found} (pandas dtype {series.dtype}{example})"
