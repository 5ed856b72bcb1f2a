"""Properties of the Rego tree: rego.v1, package paths, and compilation in any module order."""

from __future__ import annotations

import re

import pytest

from streamguard.engines.rego import RegoEngine, policy_files
from streamguard.paths import POLICIES_DIR

pytestmark = pytest.mark.fast

_PACKAGE = re.compile(r"^package (\S+)", re.M)


def test_every_policy_uses_rego_v1_and_its_package_path():
    """The OPA style guide's layout (Regal's directory-package-mismatch): package a.b.c lives in a/b/c/."""
    for path in sorted(POLICIES_DIR.rglob("*.rego")):
        text = path.read_text(encoding="utf-8")
        assert "import rego.v1" in text, path
        package = _PACKAGE.search(text).group(1)
        assert package.startswith("streamguard."), path
        expected = package.removesuffix("_test").replace(".", "/")
        assert path.parent.relative_to(POLICIES_DIR).as_posix() == expected, f"{path}: package {package}"


def test_policies_compile_in_any_module_order():
    """The module load order must not matter."""
    RegoEngine()
    reversed_sources = {str(p.relative_to(POLICIES_DIR)): p.read_text() for p in reversed(policy_files())}
    engine = RegoEngine(policies_dir=POLICIES_DIR / "no-such-dir", extra_modules=reversed_sources)
    assert engine.evaluate({"Resources": {}}) == []


def test_each_rules_generated_module_loads_before_its_verdict():
    """regorus 0.13 evaluates a package split over two modules under data.streamguard.rules[name]
    only when the module defining `deny` comes first (engines/rego.policy_files)."""
    order = [p.name for p in policy_files()]
    for path in POLICIES_DIR.glob("streamguard/rules/*/*_rule.rego"):
        meta = path.name.replace("_rule.rego", "_meta.rego")
        assert order.index(meta) < order.index(path.name), path
