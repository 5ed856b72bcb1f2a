"""Run the generated Rego tests (policies/rules/*_test.rego) with the embedded engine.

Each generated test binds a fixture document, evaluates the rule `with input as` it, and asserts
the exact sets of denied and suppressed resources; `opa test policies/` runs the files as they
are. rego-cpp 1.5.2 crashes (SIGSEGV) on `with input as` for several of these policies, although
it evaluates the same documents correctly as real input, so this runner executes each test's own
assertions with rego-cpp after setting the fixture as the input document instead.
"""

from __future__ import annotations

import json
import re

import pytest
import regopy

from streamguard.engines.rego import policy_files
from streamguard.paths import POLICIES_DIR

TEST_FILES = sorted(POLICIES_DIR.glob("rules/*_test.rego"))
_TEST = re.compile(
    r"^(test_\w+) if \{\n\tfixture := (.*)\n\tdenied := (\S+) with input as fixture\n"
    r"\tsuppressed := (\S+) with input as fixture\n((?:\t.*\n)+?)\}", re.M)


@pytest.fixture(scope="module")
def policy_sources() -> dict[str, str]:
    return {str(p.relative_to(POLICIES_DIR)): p.read_text(encoding="utf-8") for p in policy_files()}


@pytest.mark.parametrize("test_file", TEST_FILES, ids=lambda p: p.stem)
def test_generated_rego_tests_pass(test_file, policy_sources):
    text = test_file.read_text(encoding="utf-8")
    package = re.search(r"^package (\S+)", text, re.M).group(1)
    header = text[:text.index("\n# ", text.index("import data."))]
    tests = _TEST.findall(text)
    assert tests and len(tests) == len(re.findall(r"^test_\w+ if", text, re.M)), f"{test_file.name}: unparsed tests"
    rewritten = header + "".join(
        f"\n{name} if {{\n\tdenied := {deny}\n\tsuppressed := {suppressed}\n{asserts}}}\n"
        for name, _, deny, suppressed, asserts in tests)
    interpreter = regopy.Interpreter()
    for name, source in policy_sources.items():
        interpreter.add_module(name, source)
    interpreter.add_module(test_file.name, rewritten)
    failed = []
    for name, fixture, *_ in tests:
        interpreter.set_input_term(fixture)
        output = json.loads(str(interpreter.query(f"data.{package}.{name}")) or "{}")
        if output.get("expressions") != [True]:
            failed.append(name)
    assert not failed, f"{test_file.name}: failing tests {failed}"
