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


def _statements(text: str) -> list[str]:
    """Top-level Rego statements (comments and strings blanked), each starting at column 0."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"|`[^`]*`', lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', text)
    text = re.sub(r"#[^\n]*", "", text)
    statements, current = [], []
    for line in text.splitlines():
        if line[:1] not in ("", " ", "\t", "}", "]", ")") and current:
            statements.append("\n".join(current))
            current = []
        current.append(line)
    if current:
        statements.append("\n".join(current))
    return statements


def _comprehension_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every bracket pair with a `|` at its own depth: a comprehension."""
    spans, stack = [], []
    for i, ch in enumerate(text):
        if ch in "[{":
            stack.append([i, False])
        elif ch in "]}" and stack:
            start, is_comprehension = stack.pop()
            if is_comprehension:
                spans.append((start, i))
        elif ch == "|" and stack:
            stack[-1][1] = True
    return spans


def test_no_function_argument_indexes_a_collection_inside_a_comprehension():
    """rego-cpp 1.5.2 treats a bare function argument used as an index inside a comprehension as
    unbound (f(k) := {v | some v in input.r[k].m} iterates every k): a silent wrong answer."""
    offenders = []
    for path in policy_files():
        for statement in _statements(path.read_text(encoding="utf-8")):
            head = re.match(r"^([a-z_][a-z0-9_]*)\(([^)]*)\)", statement)
            if not head:
                continue
            args = [a.strip() for a in head.group(2).split(",") if re.fullmatch(r"\s*[a-z_][a-z0-9_]*\s*", a)]
            for start, end in _comprehension_spans(statement):
                inside = statement[start:end]
                for arg in args:
                    if re.search(rf"(?<=[\w\])])\[\s*{arg}\s*\]", inside):
                        offenders.append(f"{path.name}: {head.group(1)}({head.group(2)}) indexes with {arg}")
    assert not offenders, offenders
