# Helper template "pmw_dataset" of the generated regression-test modules: PMW_DATASET read with pandas (CSV, TSV, Parquet; compressed too) and column helpers.
# The generator copies everything below the body marker into a module (once, only where needed);
# the lines above it are for editors and linters only.
import os

import pytest

from pmw_env import _as_text, _input_path  # noqa: F401  (concatenated into one module by the generator)

# ---- pmw:body ----
_COMPRESSION_SUFFIXES = (".gz", ".bz2", ".xz", ".zst", ".zip")


def _pandas():
    try:
        import pandas
    except ImportError:
        pytest.skip("pandas is not installed: it is needed to read PMW_DATASET (apt install python3-pandas)")
    return pandas


def _dataset_format(path):
    name = path.lower()
    for suffix in _COMPRESSION_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".tsv", ".tab")):
        return "tsv"
    return "csv"


def _read_dataset(as_text):
    path = _input_path("PMW_DATASET", "path to the dataset to check")
    pd = _pandas()
    fmt = _dataset_format(path)
    try:
        if fmt == "parquet":
            try:
                frame = pd.read_parquet(path)
            except ImportError as exc:
                pytest.skip(f"PMW_DATASET is Parquet but neither pyarrow nor fastparquet is installed: {exc}")
            if as_text:
                frame = frame.apply(lambda col: col.map(_as_text, na_action="ignore"))
            return frame
        sep = "\t" if fmt == "tsv" else ","
        if as_text:
            return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=True)
        return pd.read_csv(path, sep=sep, low_memory=False)
    except (ValueError, OSError) as exc:
        pytest.fail(f"PMW_DATASET={path!r}: expected a readable {fmt} file, found an error: {exc}", pytrace=False)


@pytest.fixture(scope="module")
def dataset():
    """PMW_DATASET read with pandas (dtypes inferred)."""
    return _read_dataset(as_text=False)


@pytest.fixture(scope="module")
def dataset_text():
    """PMW_DATASET with every value as text (CSV cells exactly as written; missing values stay missing)."""
    return _read_dataset(as_text=True)


def _column(frame, name):
    if name not in frame.columns:
        pytest.fail(f"expected column {name!r} in PMW_DATASET, found columns {[str(c) for c in frame.columns]!r}", pytrace=False)
    return frame[name]


def _numeric(series, column, purpose):
    pd = _pandas()
    values = pd.to_numeric(series, errors="coerce")
    bad = series.notna() & values.isna()
    if bad.any():
        pytest.fail(
            f"expected numeric values in {column!r} ({purpose}), found {int(bad.sum())} non-numeric values,"
            f" e.g. {series[bad].iloc[0]!r}",
            pytrace=False,
        )
    return values.dropna()


def _finite(series, column, purpose):
    """Numeric values of a column without missing and infinite values, as an ascending numpy array."""
    import numpy as np

    values = _numeric(series, column, purpose).to_numpy(dtype=float)
    return np.sort(values[np.isfinite(values)])


_BOOL_TEXT = {"true": "true", "True": "true", "TRUE": "true", "false": "false", "False": "false", "FALSE": "false"}


def _text_values(series):
    """Non-missing values of a text-read column, as written (a list of str)."""
    return [str(v) for v in series.dropna()]
