"""Properties of the Rego tree that rego-cpp (the embedded engine) depends on."""

from __future__ import annotations

import re
from collections import defaultdict

from streamguard.engines.rego import RegoEngine, policy_files
from streamguard.paths import POLICIES_DIR

_FUNCTION_HEAD = re.compile(r"^([a-z_][a-z0-9_]*)\(", re.M)
_PACKAGE = re.compile(r"^package (\S+)", re.M)


def test_function_names_are_unique_across_packages():
    """rego-cpp 1.5.2 fails to compile (or crashes) when two packages define a function of the same
    name and both are used: keep every function name unique in the whole tree."""
    where = defaultdict(set)
    for path in policy_files():
        text = path.read_text(encoding="utf-8")
        package = _PACKAGE.search(text).group(1)
        for name in _FUNCTION_HEAD.findall(text):
            where[name].add(package)
    shared = {name: sorted(pkgs) for name, pkgs in where.items() if len(pkgs) > 1}
    assert not shared, shared


def test_every_policy_uses_rego_v1_and_its_package_path():
    for path in policy_files():
        text = path.read_text(encoding="utf-8")
        assert "import rego.v1" in text, path
        package = _PACKAGE.search(text).group(1)
        assert package.startswith("streamguard."), path
        assert package.split(".")[-1] == path.stem, f"{path}: package {package}"


def test_policies_compile_in_any_module_order():
    """The module load order must not matter (rego-cpp has been order-sensitive)."""
    RegoEngine()
    reversed_sources = {str(p.relative_to(POLICIES_DIR)): p.read_text() for p in reversed(policy_files())}
    engine = RegoEngine(policies_dir=POLICIES_DIR / "no-such-dir", extra_modules=reversed_sources)
    assert engine.evaluate({"Resources": {}}) == []
