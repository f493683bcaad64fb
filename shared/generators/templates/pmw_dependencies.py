# Helper template "pmw_dependencies" of the generated regression-test modules: Installed versions (importlib.metadata) against PEP 440 specifiers; packaging when importable,
# else a small built-in comparator.
# The generator copies everything below the body marker into a module (once, only where needed);
# the lines above it are for editors and linters only.
import re

import pytest  # noqa: F401

# ---- pmw:body ----
_VERSION_PATTERN = re.compile(
    r"^\s*v?(?:(?P<epoch>\d+)!)?(?P<release>\d+(?:\.\d+)*)"
    r"(?:[-_.]?(?P<pre_l>alpha|beta|preview|pre|rc|a|b|c)[-_.]?(?P<pre_n>\d+)?)?"
    r"(?:-(?P<post_n1>\d+)|[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>\d+)?)?"
    r"(?:[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>\d+)?)?"
    r"(?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$",
    re.IGNORECASE,
)
_CLAUSE_PATTERN = re.compile(r"^\s*(~=|===|==|!=|<=|>=|<|>)\s*(\S+)\s*$")


def _parse_version(text):
    m = _VERSION_PATTERN.match(text)
    if not m:
        return None
    pre = None
    if m.group("pre_l"):
        letter = m.group("pre_l").lower()
        letter = {"alpha": "a", "beta": "b", "c": "rc", "pre": "rc", "preview": "rc"}.get(letter, letter)
        pre = ({"a": 0, "b": 1, "rc": 2}[letter], int(m.group("pre_n") or 0))
    post = None
    if m.group("post_n1") is not None:
        post = int(m.group("post_n1"))
    elif m.group("post_l"):
        post = int(m.group("post_n2") or 0)
    dev = int(m.group("dev_n") or 0) if m.group("dev_l") else None
    return {
        "epoch": int(m.group("epoch") or 0),
        "release": tuple(int(x) for x in m.group("release").split(".")),
        "pre": pre,
        "post": post,
        "dev": dev,
        "local": (m.group("local") or "").lower() or None,
    }


def _version_key(v):
    """PEP 440 ordering: epoch, release (trailing zeros ignored), pre, post, dev (local ignored)."""
    release = list(v["release"])
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    if v["pre"] is None and v["post"] is None and v["dev"] is not None:
        pre = (-1, 0)  # 1.0.dev1 sorts before 1.0a1
    elif v["pre"] is None:
        pre = (3, 0)
    else:
        pre = v["pre"]
    post = (-1, 0) if v["post"] is None else (0, v["post"])
    dev = (1, 0) if v["dev"] is None else (0, v["dev"])
    return (v["epoch"], tuple(release), pre, post, dev)


def _release_prefix_matches(candidate, prefix_release, epoch):
    n = len(prefix_release)
    release = tuple(candidate["release"]) + (0,) * max(0, n - len(candidate["release"]))
    return candidate["epoch"] == epoch and release[:n] == tuple(prefix_release)


def _fallback_clause(op, target, version):
    if op == "===":
        return version.strip().lower() == target.strip().lower()
    candidate = _parse_version(version)
    if candidate is None:
        return False
    if op in ("==", "!=") and target.endswith(".*"):
        prefix = _parse_version(target[:-2])
        if prefix is None:
            return False
        match = _release_prefix_matches(candidate, prefix["release"], prefix["epoch"])
        return match if op == "==" else not match
    wanted = _parse_version(target)
    if wanted is None:
        return False
    ck, wk = _version_key(candidate), _version_key(wanted)
    if op in ("==", "!="):
        match = ck == wk and (wanted["local"] is None or candidate["local"] == wanted["local"])
        return match if op == "==" else not match
    if op == "~=":
        return ck >= wk and _release_prefix_matches(candidate, wanted["release"][:-1], wanted["epoch"])
    same_base = _version_key(_base_of(candidate)) == _version_key(_base_of(wanted))
    if op == "<":
        # <V excludes pre-releases of V itself unless V is a pre-release
        is_pre = candidate["pre"] is not None or candidate["dev"] is not None
        wanted_pre = wanted["pre"] is not None or wanted["dev"] is not None
        return ck < wk and not (is_pre and not wanted_pre and same_base)
    if op == ">":
        # >V excludes post-releases and local versions of V itself unless V is a post-release
        return ck > wk and not (candidate["post"] is not None and wanted["post"] is None and same_base) and not (
            candidate["local"] is not None and same_base
        )
    return {">=": ck >= wk, "<=": ck <= wk}[op]


def _base_of(v):
    return {"epoch": v["epoch"], "release": v["release"], "pre": None, "post": None, "dev": None, "local": None}


def _fallback_contains(spec, version):
    """A small PEP 440 comparator for when 'packaging' is not installed."""
    for clause in (c for c in spec.split(",") if c.strip()):
        m = _CLAUSE_PATTERN.match(clause)
        if not m or not _fallback_clause(m.group(1), m.group(2), version):
            return False
    return True


def _spec_contains(spec, version):
    """(ok, comparator) — packaging's SpecifierSet when importable, else the fallback above."""
    try:
        from packaging.specifiers import SpecifierSet
        from packaging.version import Version
    except ImportError:
        return _fallback_contains(spec, version), "built-in PEP 440 comparator"
    try:
        return SpecifierSet(spec).contains(Version(version), prereleases=True), "packaging"
    except ValueError:
        return _fallback_contains(spec, version), "built-in PEP 440 comparator"


def _installed_version(name):
    """The installed version of a distribution; "python" is the interpreter running the tests."""
    if name.lower() == "python":
        import platform

        return platform.python_version()
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
