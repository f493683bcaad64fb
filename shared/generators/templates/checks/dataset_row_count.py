# Check template for generator kind "dataset.row_count": the number of rows stays within a factor of
# the last-known-good's, either way.
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.

# ---- pmw:body ----
FX_ROWS = 891  # pmw:const
FX_FACTOR = 2  # pmw:const


def test_fx_row_count(dataset):
    rows = len(dataset)
    low, high = FX_ROWS / FX_FACTOR, FX_ROWS * FX_FACTOR
    assert low <= rows <= high, (
        f"expected between {low:g} and {high:g} rows (last-known-good {FX_ROWS}, x{FX_FACTOR:g} either way), found {rows}"
    )
