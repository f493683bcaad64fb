# Check template for generator kind "dependency.version": installed versions against pins / specifiers.
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
import pytest

from pmw_dependencies import _installed_version, _spec_contains

# ---- pmw:body ----
FX_PACKAGES = [["numpy", "==1.24.4"]]  # pmw:const


@pytest.mark.parametrize(("name", "spec"), [tuple(p) for p in FX_PACKAGES], ids=[p[0] for p in FX_PACKAGES])
def test_fx_dependency_version(name, spec):
    wanted = spec or "(any version)"
    version = _installed_version(name)
    assert version is not None, f"expected {name} {wanted} installed, found it not installed"
    if not spec:
        return
    ok, comparator = _spec_contains(spec, version)
    assert ok, f"expected {name} {spec}, found {name} {version} installed (compared with {comparator})"
