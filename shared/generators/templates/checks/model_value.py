# Check template for generator kind "model.value": values in the model metadata (PMW_MODEL_METADATA):
# scaler parameters within a relative tolerance, thresholds and other settings exactly. A per-feature
# parameter is found the way the diff paired it: at the feature's position in the file's own feature list.
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
import pytest

from pmw_paths import _resolve, _same_value, _typed

# ---- pmw:body ----
FX_VALUES = [("threshold", [{"key": "threshold"}], 0.5, None, None)]  # pmw:const


def _fx_relative(a, b):
    return 0.0 if a == b else abs(a - b) / max(abs(a), abs(b), 1e-12)


def _fx_close(expected, found, tolerance):
    number = (int, float)
    if isinstance(expected, list):
        return isinstance(found, list) and len(found) == len(expected) and all(_fx_close(e, f, tolerance) for e, f in zip(expected, found))
    if tolerance is not None and isinstance(expected, number) and not isinstance(expected, bool):
        return isinstance(found, number) and not isinstance(found, bool) and _fx_relative(expected, found) < tolerance
    return _same_value(expected, found)


@pytest.mark.parametrize(("path", "segments", "expected", "tolerance", "by_feature"), FX_VALUES, ids=[v[0] for v in FX_VALUES])
def test_fx_model_value(model_metadata, path, segments, expected, tolerance, by_feature):
    found, value = _resolve(model_metadata, segments)
    assert found, f"expected {path} == {expected!r} in PMW_MODEL_METADATA, found no such path: {value}"
    where = path
    if by_feature:
        feature, list_path, list_segments = by_feature
        ok, features = _resolve(model_metadata, list_segments)
        assert ok and isinstance(features, list), f"expected the feature list {list_path} in PMW_MODEL_METADATA, found {features!r}"
        names = [f.get("name") if isinstance(f, dict) else f for f in features]
        assert feature in names, f"expected feature {feature!r} in {list_path}, found {names}"
        i = names.index(feature)
        assert isinstance(value, list) and i < len(value), f"expected {path} to hold a value per feature, found {_typed(value)}"
        value, where = value[i], f"{path} for {feature!r} (position {i} in {list_path})"
    within = f" within {tolerance:.0%} (relative)" if tolerance is not None else ""
    assert _fx_close(expected, value, tolerance), f"expected {where} == {_typed(expected)}{within} in PMW_MODEL_METADATA, found {_typed(value)}"
