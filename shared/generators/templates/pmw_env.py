# Helper template "pmw_env" of the generated regression-test modules: Inputs from environment variables, and small text helpers every module uses.
# The generator copies everything below the body marker into a module (once, only where needed);
# the lines above it are for editors and linters only.
import os

import pytest

# ---- pmw:body ----
def _input_path(var, what):
    """The file named by an environment variable; the test is skipped when it is unset."""
    value = os.environ.get(var, "").strip()
    if not value:
        pytest.skip(f"{var} is not set: {what}")
    if not os.path.isfile(value):
        pytest.fail(f"{var}={value!r}: expected a readable file with {what}, found no such file", pytrace=False)
    return value


def _as_text(value):
    """A scalar as text: true/false, whole floats without ".0", null for None."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _first_difference(expected, found):
    for i, (e, f) in enumerate(zip(expected, found)):
        if e != f:
            return f"; first difference at position {i}: expected {e!r}, found {f!r}"
    if len(expected) != len(found):
        return f"; expected {len(expected)} entries, found {len(found)}"
    return ""
