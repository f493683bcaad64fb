# Helper template "pmw_paths" of the generated regression-test modules: config paths (see
# shared/generators/params.ts) resolved inside parsed JSON / YAML, and typed comparisons.
# The generator copies everything below the body marker into a module (once, only where needed);
# the lines above it are for editors and linters only.
from pmw_env import _as_text  # noqa: F401

# ---- pmw:body ----
def _lookup_key(node, key):
    if key in node:
        return True, node[key]
    for k, v in node.items():
        if not isinstance(k, str) and _as_text(k) == key:
            return True, v
    return False, None


def _selector_matches(node, conditions):
    if not isinstance(node, dict):
        return False
    for cond in conditions:
        value = node
        for key in cond["field"]:
            if not isinstance(value, dict):
                return False
            found, value = _lookup_key(value, key)
            if not found:
                return False
        if isinstance(value, (dict, list)) or _as_text(value) != cond["value"]:
            return False
    return True


def _resolve(root, segments):
    """(True, value) or (False, why) for a parsed config path (see the docstring)."""
    node, walked = root, "$"
    for seg in segments:
        if "key" in seg:
            key = seg["key"]
            found, value = _lookup_key(node, key) if isinstance(node, dict) else (False, None)
            if not found:
                keys = sorted(_as_text(k) for k in node) if isinstance(node, dict) else None
                return False, f"no key {key!r} under {walked}" + (f" (keys: {keys})" if keys is not None else " (not a mapping)")
            node, walked = value, f"{walked}.{key}"
        elif "index" in seg:
            i = seg["index"]
            if not isinstance(node, list):
                return False, f"{walked} is not a list, cannot take [{i}]"
            if not -len(node) <= i < len(node):
                return False, f"{walked} has {len(node)} items, no index {i}"
            node, walked = node[i], f"{walked}[{i}]"
        else:
            conds = seg["match"]
            label = "[" + ",".join(".".join(c["field"]) + "=" + c["value"] for c in conds) + "]"
            candidates = node if isinstance(node, list) else [node]
            hits = [x for x in candidates if _selector_matches(x, conds)]
            if not hits:
                return False, f"no element matching {label} under {walked}"
            if len(hits) > 1:
                return False, f"{len(hits)} elements match {label} under {walked} (ambiguous)"
            node, walked = hits[0], walked + label
    return True, node


def _same_value(expected, found):
    if isinstance(expected, list):
        return isinstance(found, list) and len(found) == len(expected) and all(_same_value(e, f) for e, f in zip(expected, found))
    if expected is None or isinstance(expected, bool):
        return found is expected or (isinstance(found, bool) and found == expected)
    if isinstance(expected, (int, float)):
        return isinstance(found, (int, float)) and not isinstance(found, bool) and found == expected
    return isinstance(found, str) and found == expected


def _typed(value):
    return f"{value!r} ({type(value).__name__})"
