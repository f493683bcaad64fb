# Helper template "pmw_metadata" of the generated regression-test modules: PMW_MODEL_METADATA (JSON) and the feature order inside it.
# The generator copies everything below the body marker into a module (once, only where needed);
# the lines above it are for editors and linters only.
import json

import pytest

from pmw_env import _input_path  # noqa: F401

# ---- pmw:body ----
_FEATURE_ORDER_KEYS = ("feature_order", "feature_names_in_", "feature_names", "features", "input_features")


@pytest.fixture(scope="module")
def model_metadata():
    """PMW_MODEL_METADATA parsed as JSON."""
    path = _input_path("PMW_MODEL_METADATA", "path to the model metadata JSON (feature_order) to check")
    with open(path, encoding="utf-8") as fh:
        try:
            return json.load(fh)
        except ValueError as exc:
            pytest.fail(f"PMW_MODEL_METADATA={path!r}: expected JSON, found a parse error: {exc}", pytrace=False)


def _feature_order(meta):
    """(key, list) for the first list of names under one of _FEATURE_ORDER_KEYS, searched breadth-first."""
    for key in _FEATURE_ORDER_KEYS:
        queue = [meta]
        while queue:
            node = queue.pop(0)
            if isinstance(node, dict):
                value = node.get(key)
                if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                    return key, value
                queue.extend(v for v in node.values() if isinstance(v, (dict, list)))
            elif isinstance(node, list):
                queue.extend(v for v in node if isinstance(v, (dict, list)))
    return None, None
