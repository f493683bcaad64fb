# Helper template "pmw_dtypes" of the generated regression-test modules: Column dtypes as pandas inferred them.
# The generator copies everything below the body marker into a module (once, only where needed);
# the lines above it are for editors and linters only.
import pytest

from pmw_dataset import _pandas  # noqa: F401

# ---- pmw:body ----
def _dtype_of(series):
    """bool / int / float / datetime / string, as pandas inferred it."""
    from pandas.api import types as pdt

    if pdt.is_bool_dtype(series):
        return "bool"
    if pdt.is_integer_dtype(series):
        return "int"
    if pdt.is_float_dtype(series) or pdt.is_numeric_dtype(series):
        return "float"
    if pdt.is_datetime64_any_dtype(series):
        return "datetime"
    values = series.dropna()
    if len(values) and values.map(lambda v: isinstance(v, bool)).all():
        return "bool"
    return "string"


def _dtype_matches(expected, series):
    """(matches, found). Lenient where pandas' inference is not a real change:
    an int column with missing values reads as float; whole numbers are valid floats;
    datetimes in CSV are text that parses as dates; an all-missing column carries no type."""
    found = _dtype_of(series)
    values = series.dropna()
    if found == expected or len(values) == 0:
        return True, found
    if expected == "float" and found == "int":
        return True, found
    if expected == "int" and found == "float" and bool(((values % 1) == 0).all()):
        return True, "float with whole numbers only"
    if expected == "datetime" and found == "string":
        pd = _pandas()
        try:
            pd.to_datetime(values, utc=True)
            return True, "text that parses as dates"
        except (ValueError, TypeError, OverflowError):
            return False, "string (text that does not parse as dates)"
    return False, found
