# Check template for generator kind "data.point_in_time": no feature timestamp later than its label's.
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
import pytest

from pmw_dataset import _column, _pandas
from pmw_timestamps import _timestamps

# ---- pmw:body ----
FX_FEATURE_TIMESTAMPS = ["feature_ts"]  # pmw:const
FX_LABEL_TIMESTAMP = "label_ts"  # pmw:const
FX_TOLERANCE_SECONDS = 0  # pmw:const


@pytest.mark.parametrize("feature_column", FX_FEATURE_TIMESTAMPS, ids=list(FX_FEATURE_TIMESTAMPS))
def test_fx_point_in_time(dataset, feature_column):
    pd = _pandas()
    label_column = FX_LABEL_TIMESTAMP
    label_ts = _timestamps(_column(dataset, label_column), label_column)
    feature_ts = _timestamps(_column(dataset, feature_column), feature_column)
    limit = label_ts + pd.Timedelta(seconds=FX_TOLERANCE_SECONDS)
    late = feature_ts.notna() & label_ts.notna() & (feature_ts > limit)
    count = int(late.sum())
    example = ""
    if count:
        row = late[late].index[0]
        example = f"; e.g. row {row}: {feature_column} {feature_ts[row].isoformat()} > {label_column} {label_ts[row].isoformat()}"
    assert count == 0, (
        f"expected every {feature_column!r} <= {label_column!r} + {FX_TOLERANCE_SECONDS}s (no feature from after its label),"
        f" found {count} of {len(dataset)} rows later{example}"
    )
