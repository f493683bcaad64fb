# Check template for generator kind "config.value": values at config paths in PMW_CONFIG (or, with
# absent, paths that must not exist). Lists are compared item by item (container args, env order).
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
import pytest

from pmw_paths import _resolve, _same_value, _typed

# ---- pmw:body ----
FX_VALUES = [("spec.replicas", [{"key": "spec"}, {"key": "replicas"}], 2, False)]  # pmw:const


@pytest.mark.parametrize(("path", "segments", "expected", "absent"), FX_VALUES, ids=[v[0] for v in FX_VALUES])
def test_fx_config_value(config, path, segments, expected, absent):
    found, value = _resolve(config, segments)
    if absent:
        assert not found, f"expected no {path} (the last-known-good had none), found {_typed(value)}"
        return
    assert found, f"expected {path} == {expected!r}, found no such path: {value}"
    assert _same_value(expected, value), f"expected {path} == {_typed(expected)}, found {_typed(value)}"
