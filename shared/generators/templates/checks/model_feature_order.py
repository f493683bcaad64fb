# Check template for generator kind "model.feature_order": the model's feature order in PMW_MODEL_METADATA.
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
from pmw_env import _first_difference
from pmw_metadata import _FEATURE_ORDER_KEYS, _feature_order

# ---- pmw:body ----
FX_FEATURE_ORDER = ["a", "b"]  # pmw:const


def test_fx_feature_order(model_metadata):
    expected = FX_FEATURE_ORDER
    key, found = _feature_order(model_metadata)
    assert found is not None, (
        f"expected feature_order {expected} in PMW_MODEL_METADATA, found no list under any of {list(_FEATURE_ORDER_KEYS)}"
    )
    assert found == expected, (
        f"expected feature_order {expected}, found {found} (key {key!r}){_first_difference(expected, found)}"
    )
