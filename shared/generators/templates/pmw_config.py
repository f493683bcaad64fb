# Helper template "pmw_config" of the generated regression-test modules: PMW_CONFIG (JSON, or YAML with PyYAML) and config paths resolved inside it.
# The generator copies everything below the body marker into a module (once, only where needed);
# the lines above it are for editors and linters only.
import json

import pytest

from pmw_env import _input_path  # noqa: F401

# ---- pmw:body ----
@pytest.fixture(scope="module")
def config():
    """PMW_CONFIG: JSON, or YAML when PyYAML is importable. Several YAML documents become a list."""
    path = _input_path("PMW_CONFIG", "path to the config file (JSON or YAML) to check")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    lower = path.lower()
    if not lower.endswith((".yaml", ".yml")):
        try:
            return json.loads(text)
        except ValueError as exc:
            if lower.endswith(".json"):
                pytest.fail(f"PMW_CONFIG={path!r}: expected JSON, found a parse error: {exc}", pytrace=False)
    try:
        import yaml
    except ImportError:
        pytest.skip(f"PMW_CONFIG={path!r} is YAML but PyYAML is not installed (apt install python3-yaml or pip install pyyaml)")
    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as exc:
        pytest.fail(f"PMW_CONFIG={path!r}: expected JSON or YAML, found a parse error: {exc}", pytrace=False)
    if not docs:
        return None
    return docs[0] if len(docs) == 1 else docs
