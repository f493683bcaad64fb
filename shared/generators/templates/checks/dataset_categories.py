# Check template for generator kind "dataset.categories": values stay in the known category set.
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
import pytest

from pmw_dataset import _column

# ---- pmw:body ----
FX_CATEGORIES = {"a": ["x", "y"]}  # pmw:const
FX_ALLOW_UNSEEN = False  # pmw:const


@pytest.mark.parametrize(("column", "categories"), list(FX_CATEGORIES.items()), ids=list(FX_CATEGORIES))
def test_fx_categories(dataset_text, column, categories):
    series = _column(dataset_text, column).dropna()
    expected = set(categories)
    seen = set(series)
    if FX_ALLOW_UNSEEN:
        vanished = sorted(expected - seen)
        assert not vanished, f"expected every category of {column!r} {sorted(expected)} to occur, found {vanished} missing"
    else:
        unseen = sorted(seen - expected)
        rows = int(series.isin(unseen).sum())
        assert not unseen, f"expected values of {column!r} in {sorted(expected)}, found unseen {unseen[:20]} in {rows} rows"
