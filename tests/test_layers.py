"""The package's layers: loaders (inputs) never import the rules' logic, and nothing but the checks
(through streamguard.checkov.checks) touches the Checkov extension."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from streamguard.paths import ROOT

pytestmark = pytest.mark.fast

SRC = ROOT / "src" / "streamguard"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


@pytest.mark.parametrize("path", sorted((SRC / "inputs").glob("*.py")), ids=lambda p: p.name)
def test_inputs_never_import_logic(path):
    assert not {name for name in _imports(path) if name.startswith("streamguard.logic")}


def test_nothing_outside_streamguard_checkov_imports_it():
    users = {str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
             if p.parent.name != "checkov" and any(n.startswith("streamguard.checkov") for n in _imports(p))}
    assert not users
