# Check template for generator kind "dependency.requirements": the requirements file (PMW_REQUIREMENTS)
# keeps each package's --hash set (a changed hash for the same version is a supply-chain change) and its
# index options (--index-url, --extra-index-url, --find-links, --trusted-host) in order.
# The generator replaces each "# pmw:const" line with the finding's value and FX_ / test_fx_ with the
# finding's prefix (F3_ / test_f3_); the lines above the body marker are for editors and linters only.
import pytest

# ---- pmw:body ----
# ---- pmw:section hashes ----
FX_HASHES = [["numpy", ["sha256:00"]]]  # pmw:const


@pytest.mark.parametrize(("name", "hashes"), FX_HASHES, ids=[h[0] for h in FX_HASHES])
def test_fx_requirement_hashes(requirements, name, hashes):
    entry = requirements["packages"].get(_normalize_name(name))
    assert entry is not None, f"expected {name} in PMW_REQUIREMENTS, found no requirement for it"
    found = entry["hashes"]
    missing = sorted(set(hashes) - set(found))
    unexpected = sorted(set(found) - set(hashes))
    assert not missing and not unexpected, (
        f"expected {name} with --hash {sorted(hashes)} (last-known-good), found {sorted(found)}"
        f" in PMW_REQUIREMENTS line {entry['line']}: {len(missing)} missing, {len(unexpected)} unexpected"
    )


# ---- pmw:section options ----
FX_OPTIONS = [["--extra-index-url", ["https://download.pytorch.org/whl/cu118"]]]  # pmw:const


@pytest.mark.parametrize(("option", "values"), FX_OPTIONS, ids=[o[0] for o in FX_OPTIONS])
def test_fx_requirement_options(requirements, option, values):
    found = requirements["options"].get(option, [])
    assert found == values, f"expected {option} {values} in PMW_REQUIREMENTS (last-known-good, in order), found {found}"
