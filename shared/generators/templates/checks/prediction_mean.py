# Check template for generator kind "prediction.mean": the mean of a prediction column near a baseline.
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
from pmw_dataset import _column, _numeric

# ---- pmw:body ----
FX_COLUMN = "prediction"  # pmw:const
FX_BASELINE = 0.5  # pmw:const
FX_TOLERANCE = 0.02  # pmw:const
FX_RELATIVE = False  # pmw:const


def test_fx_prediction_mean(dataset):
    column = FX_COLUMN
    values = _numeric(_column(dataset, column), column, "prediction mean")
    assert not values.empty, f"expected predictions in {column!r}, found none (all missing)"
    mean = float(values.mean())
    allowed = FX_TOLERANCE * abs(FX_BASELINE) if FX_RELATIVE else FX_TOLERANCE
    low, high = FX_BASELINE - allowed, FX_BASELINE + allowed
    assert abs(mean - FX_BASELINE) <= allowed + 1e-12, (
        f"expected mean of {column!r} within {allowed:.6g} of the baseline {FX_BASELINE!r} ({low:.6g}..{high:.6g}),"
        f" found {mean:.6g} over {len(values)} values"
    )
