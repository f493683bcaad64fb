# Check template for generator kind "dataset.duplicates": no more duplicated rows than the last-known-good
# had (two-proportion z-test at the size of the data checked), and id columns stay unique.
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
import pytest

from pmw_dataset import _column
from pmw_stats import _proportion_band, _z_test_proportions

# ---- pmw:body ----
FX_DUPLICATES = [0, 891]  # pmw:const
FX_KEYS = ["id"]  # pmw:const
FX_P_VALUE = 0.01  # pmw:const


def test_fx_duplicate_rows(dataset):
    base_dups, base_rows = FX_DUPLICATES
    rows = len(dataset)
    if not rows:
        return  # no rows: the row-count check speaks to that
    dups = int(dataset.duplicated().sum())
    _, p = _z_test_proportions(dups, rows, base_dups, base_rows)
    _, high = _proportion_band(base_dups, base_rows, rows, FX_P_VALUE)
    assert dups * base_rows <= base_dups * rows or p >= FX_P_VALUE, (
        f"{dups} duplicate rows ({dups / rows:.2%} of {rows}), last-known-good {base_dups} of {base_rows}:"
        f" z-test p-value {p:.2g} < {FX_P_VALUE} (accepted at {rows} rows: up to {high})"
    )


@pytest.mark.parametrize("key", FX_KEYS, ids=list(FX_KEYS))
def test_fx_unique_key(dataset, key):
    values = _column(dataset, key).dropna()
    repeated = values[values.duplicated()]
    assert repeated.empty, (
        f"expected {key!r} to be unique (a key in the last-known-good), found {len(repeated)} repeated values,"
        f" e.g. {repeated.iloc[0]!r}"
    )
