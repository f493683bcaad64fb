# Check template for generator kind "dataset.columns": the column list (and optionally its order).
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
import pytest  # noqa: F401

from pmw_env import _first_difference

# ---- pmw:body ----
FX_COLUMNS = ["a", "b"]  # pmw:const
FX_CHECK_ORDER = True  # pmw:const


def test_fx_columns(dataset):
    expected = FX_COLUMNS
    found = [str(c) for c in dataset.columns]
    missing = [c for c in expected if c not in found]
    unexpected = [c for c in found if c not in expected]
    detail = ""
    if missing:
        detail += f"; missing {missing}"
    if unexpected:
        detail += f"; unexpected {unexpected}"
    if FX_CHECK_ORDER:
        if not missing and not unexpected:
            detail += _first_difference(expected, found)
        assert found == expected, f"expected columns {expected} in this order, found {found}{detail}"
    else:
        assert sorted(found) == sorted(expected), f"expected columns {sorted(expected)} (any order), found {found}{detail}"
