# Helper template "pmw_timestamps" of the generated regression-test modules: Timestamps from datetime, Unix-seconds or text columns.
# The generator copies everything below the body marker into a module (once, only where needed);
# the lines above it are for editors and linters only.
import pytest

from pmw_dataset import _pandas  # noqa: F401

# ---- pmw:body ----
def _timestamps(series, column):
    """UTC timestamps; numbers are Unix seconds; text is parsed by pandas (naive = UTC)."""
    pd = _pandas()
    from pandas.api import types as pdt

    if pdt.is_datetime64_any_dtype(series):
        parsed = pd.to_datetime(series, utc=True)
    elif pdt.is_numeric_dtype(series) and not pdt.is_bool_dtype(series):
        parsed = pd.to_datetime(series, unit="s", utc=True, errors="coerce")
    elif int(pd.__version__.split(".")[0]) >= 2:
        parsed = pd.to_datetime(series, utc=True, errors="coerce", format="mixed")
    else:
        parsed = pd.to_datetime(series, utc=True, errors="coerce")
    bad = series.notna() & parsed.isna()
    if bad.any():
        pytest.fail(
            f"expected timestamps in {column!r}, found {int(bad.sum())} values that are not dates,"
            f" e.g. {series[bad].iloc[0]!r}",
            pytrace=False,
        )
    return parsed
