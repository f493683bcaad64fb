# Check template for generator kind "dataset.leakage": a column that copied or predicted another one
# (possible label leakage) must not come back that way. Measures as in shared/diff/dataset/leakage.ts:
# agreement (same value in a share of rows), correlation (|Pearson r|), accuracy (the label guessed from
# the column's values, numeric columns cut into 20 quantile bins, better than the majority by half the gap).
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
from pmw_dataset import _pandas

# ---- pmw:body ----
FX_COLUMN = "leak"  # pmw:const
FX_OTHER = "label"  # pmw:const
FX_MEASURE = "agreement"  # pmw:const
FX_THRESHOLD = 0.98  # pmw:const


def _fx_measure(frame):
    pd = _pandas()
    from pandas.api import types as pdt

    a, b = frame[FX_COLUMN], frame[FX_OTHER]
    numeric = pdt.is_numeric_dtype(a) and not pdt.is_bool_dtype(a)
    other_numeric = pdt.is_numeric_dtype(b) and not pdt.is_bool_dtype(b)
    if FX_MEASURE == "agreement":
        if numeric != other_numeric:
            return 0.0, len(frame), None
        same = (a == b) | (a.isna() & b.isna()) if numeric else (a.astype(str) == b.astype(str)) & a.notna() & b.notna() | (a.isna() & b.isna())
        return float(same.mean()), len(frame), None
    both = a.notna() & b.notna()
    a, b = a[both], b[both]
    if FX_MEASURE == "correlation":
        if not (numeric and other_numeric) or len(a) < 3:
            return 0.0, len(a), None
        r = a.astype(float).corr(b.astype(float))
        return (0.0 if r != r else abs(float(r))), len(a), None
    if a.nunique() > 50:
        if not numeric:
            return 0.0, len(a), None
        a = pd.qcut(a.astype(float), 20, labels=False, duplicates="drop")
    if not len(a):
        return 0.0, 0, None
    table = pd.crosstab(a, b)
    accuracy = float(table.max(axis=1).sum() / len(a))
    majority = float(b.value_counts().iloc[0] / len(a))
    return accuracy, len(a), majority


def test_fx_leakage(dataset):
    if FX_COLUMN not in dataset.columns or FX_OTHER not in dataset.columns:
        return  # the suspect column (or what it copied) is gone: nothing can leak through it
    value, rows, majority = _fx_measure(dataset)
    leak = value >= FX_THRESHOLD and (majority is None or value >= majority + (1 - majority) / 2)
    what = {"agreement": "same value as", "correlation": "|Pearson r| with", "accuracy": "accuracy predicting"}[FX_MEASURE]
    base = f", majority {majority:.3f}" if majority is not None else ""
    assert not leak, (
        f"possible leakage: {FX_COLUMN!r} {what} {FX_OTHER!r} {value:.3f} >= {FX_THRESHOLD} over {rows} rows{base}"
    )
