# Helper template "pmw_dtypes" of the generated regression-test modules: Column dtypes as pandas inferred them.
# The generator copies everything below the body marker into a module (once, only where needed);
# the lines above it are for editors and linters only.
import os
import re

import pytest

from pmw_dataset import _BOOL_TEXT, _dataset_format, _pandas, _text_values  # noqa: F401

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


_NUMBER_TEXT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_INF_TEXT = re.compile(r"^[+-]?(inf|Inf|INF|infinity|Infinity|INFINITY)$")
_DATE_TEXT = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$"
)


def _is_date_text(text):
    m = _DATE_TEXT.match(text.strip())
    if not m:
        return False
    month, day = int(m.group(2)), int(m.group(3))
    hh, mi, ss = (int(m.group(i)) if m.group(i) else 0 for i in (4, 5, 6))
    return 1 <= month <= 12 and 1 <= day <= 31 and hh <= 23 and mi <= 59 and ss <= 60


def _infer_text_dtype(values):
    """(dtype, example) of values as written, by the diff's own rules: all true/false -> bool; all numbers ->
    int, or float when any has a '.', an exponent, is infinite or beyond 2**53; all ISO dates -> datetime;
    otherwise string. The example is a value that makes it so (None when there is nothing to show)."""
    if not values:
        return None, None
    if all(v in _BOOL_TEXT for v in values):
        return "bool", None
    frac = None
    for v in values:
        s = v.strip()
        if _NUMBER_TEXT.match(s):
            if frac is None and (any(c in s for c in ".eE") or abs(int(s)) > 2 ** 53 - 1):
                frac = v
        elif _INF_TEXT.match(s):
            if frac is None:
                frac = v
        else:
            break
    else:
        return ("float", frac) if frac is not None else ("int", None)
    if all(_is_date_text(v) for v in values):
        return "datetime", None
    odd = next((v for v in values if not _NUMBER_TEXT.match(v.strip()) and not _INF_TEXT.match(v.strip())), None)
    return "string", odd


def _dtype_strict(expected, text_series, typed_series):
    """(matches, found): CSV/TSV values as written must infer to exactly `expected` ("3.0" is not an int);
    Parquet keeps its stored types (pandas dtypes). An all-missing column carries no type."""
    values = _text_values(text_series)
    if not values:
        return True, "no values"
    if _dataset_format(os.environ.get("PMW_DATASET", "")) == "parquet":
        found = _dtype_of(typed_series)
        if found == "float" and expected == "int" and bool(((typed_series.dropna() % 1) == 0).all()):
            return True, "float with whole numbers (nullable integers)"
        return found == expected, found
    found, example = _infer_text_dtype(values)
    detail = f" (e.g. {example!r})" if example is not None and found != expected else ""
    return found == expected, f"{found}{detail}"
