"""Properties of the Rego tree: rego.v1, package paths, and compilation in any module order."""

from __future__ import annotations

import re

from streamguard.engines.rego import RegoEngine, policy_files
from streamguard.paths import POLICIES_DIR

_PACKAGE = re.compile(r"^package (\S+)", re.M)


def test_every_policy_uses_rego_v1_and_its_package_path():
    for path in policy_files():
        text = path.read_text(encoding="utf-8")
        assert "import rego.v1" in text, path
        package = _PACKAGE.search(text).group(1)
        assert package.startswith("streamguard."), path
        assert package.split(".")[-1] == path.stem, f"{path}: package {package}"


def test_policies_compile_in_any_module_order():
    """The module load order must not matter."""
    RegoEngine()
    reversed_sources = {str(p.relative_to(POLICIES_DIR)): p.read_text() for p in reversed(policy_files())}
    engine = RegoEngine(policies_dir=POLICIES_DIR / "no-such-dir", extra_modules=reversed_sources)
    assert engine.evaluate({"Resources": {}}) == []
