# Helper template "pmw_requirements" of the generated regression-test modules: PMW_REQUIREMENTS, a pip
# requirements file read as pip does (line continuations, comments, options), per package its --hash values.
# The generator copies everything below the body marker into a module (once, only where needed);
# the lines above it are for editors and linters only.
import re

import pytest

from pmw_env import _input_path  # noqa: F401

# ---- pmw:body ----
_OPTION_NAMES = {"-i": "--index-url", "--index-url": "--index-url", "--extra-index-url": "--extra-index-url",
                 "-f": "--find-links", "--find-links": "--find-links", "--trusted-host": "--trusted-host"}
_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")


def _normalize_name(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse_requirements(text):
    """{"packages": {name: {"hashes": [...], "line": n}}, "options": {option: [values in order]}}."""
    packages, options = {}, {}
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines):
        start = i + 1
        line = lines[i]
        i += 1
        while line.endswith("\\") and i < len(lines):
            line = line[:-1] + " " + lines[i]
            i += 1
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if not line:
            continue
        if line.startswith("-"):
            m = re.match(r"^(-[a-zA-Z]|--[a-z-]+)(?:[=\s]+(.*))?$", line)
            if m and m.group(1) in _OPTION_NAMES:
                options.setdefault(_OPTION_NAMES[m.group(1)], []).append((m.group(2) or "").strip())
            if not (m and m.group(1) in ("-e", "--editable")):
                continue
            line = (m.group(2) or "").strip()
            egg = re.search(r"[#&]egg=([A-Za-z0-9._-]+)", line)
            path = re.sub(r"\[[^\]]*\]$", "", re.sub(r"[#?].*$", "", line.split()[0] if line else ""))
            name = egg.group(1) if egg else path.rstrip("/").rsplit("/", 1)[-1]
        else:
            m = _REQUIREMENT_NAME.match(line)
            if not m:
                continue
            name = m.group(1)
        hashes = re.findall(r"--hash[=\s]+([a-z0-9]+:[A-Za-z0-9+/=_-]+)", line)
        entry = packages.setdefault(_normalize_name(name), {"hashes": [], "line": start})
        entry["hashes"].extend(hashes)
    return {"packages": packages, "options": options}


@pytest.fixture(scope="module")
def requirements():
    """PMW_REQUIREMENTS parsed: packages with their --hash values, and the index options in order."""
    path = _input_path("PMW_REQUIREMENTS", "path to the requirements file to check")
    with open(path, encoding="utf-8") as fh:
        return _parse_requirements(fh.read())
