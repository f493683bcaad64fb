# Check template for generator kind "dataset.categories": values stay in the known category set, and
# categories the last-known-good had keep occurring (where the data checked is large enough to expect them).
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
import pytest

from pmw_dataset import _BOOL_TEXT, _column

# ---- pmw:body ----
def _fx_text(dataset_text, column, known):
    series = _column(dataset_text, column).dropna()
    if known and set(known) <= {"true", "false"}:
        series = series.map(lambda v: _BOOL_TEXT.get(v, v))  # booleans as the diff writes them
    return series


# ---- pmw:section allowed ----
FX_CATEGORIES = {"a": ["x", "y"]}  # pmw:const
FX_ALLOW_UNSEEN = False  # pmw:const


@pytest.mark.parametrize(("column", "categories"), list(FX_CATEGORIES.items()), ids=list(FX_CATEGORIES))
def test_fx_categories(dataset_text, column, categories):
    series = _fx_text(dataset_text, column, categories)
    expected = set(categories)
    seen = set(series)
    if FX_ALLOW_UNSEEN:
        vanished = sorted(expected - seen)
        assert not vanished, f"expected every category of {column!r} {sorted(expected)} to occur, found {vanished} missing"
    else:
        unseen = sorted(seen - expected)
        rows = int(series.isin(unseen).sum())
        assert not unseen, f"expected values of {column!r} in {sorted(expected)}, found unseen {unseen[:20]} in {rows} rows"


# ---- pmw:section required ----
FX_REQUIRED = {"a": {"x": 0.5}}  # pmw:const


@pytest.mark.parametrize(("column", "shares"), list(FX_REQUIRED.items()), ids=list(FX_REQUIRED))
def test_fx_categories_occur(dataset_text, column, shares):
    series = _fx_text(dataset_text, column, list(shares))
    rows = len(series)
    counts = series.value_counts()
    missing = []
    for value, share in shares.items():
        expected = share * rows
        if expected >= 7 and int(counts.get(value, 0)) == 0:  # absent by chance: p < e^-7 ≈ 0.001
            missing.append(f"{value!r} ({share:.1%} of the last-known-good, about {expected:.0f} expected)")
    assert not missing, f"expected categories of {column!r} to keep occurring in {rows} values, found none of {', '.join(missing)}"
