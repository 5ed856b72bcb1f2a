"""The fixture contract: each engine reports exactly what each fixture says, and both agree.

Checkov runs once over fixtures/ and the Rego engine scans it once (tests/conftest.py); these
tests compare, per fixture file, the (rule, resource) pairs each engine reports.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streamguard.fixture_annotations import expectations, fixture_files, fixture_format
from streamguard.paths import CHECKS_DIR, ROOT

pytestmark = pytest.mark.fast

FIXTURES = ROOT / "fixtures"
FILES = fixture_files(FIXTURES)
RULES = json.loads((ROOT / "src" / "streamguard" / "rules.json").read_text())["rules"]


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _failing(results, path: Path, rule: str) -> set[str]:
    return {address for r, address in results.failed.get(_rel(path), set()) if r == rule}


@pytest.mark.checkov_engine
@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_checkov_reports_what_the_fixture_says(path, checkov_results):
    exp = expectations(path)
    assert exp.rules, f"{path} states no expectations"
    for rule in sorted(exp.rules):
        assert _failing(checkov_results, path, rule) == exp.failing.get(rule, set()), rule
        evaluated = {a for r, a in checkov_results.passed.get(_rel(path), set()) if r == rule}
        not_run = exp.passing.get(rule, set()) - evaluated
        assert not not_run, f"{rule}: Checkov did not evaluate {sorted(not_run)} (check not loaded or wrong type?)"


@pytest.mark.checkov_engine
@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_both_engines_suppress_what_the_fixture_says(path, checkov_results, rego_results):
    exp = expectations(path)
    rel = _rel(path)
    for rule in sorted(exp.rules):
        want = exp.suppressed.get(rule, set())
        assert {a for r, a in checkov_results.suppressed.get(rel, set()) if r == rule} == want, rule
        assert {a for r, a in rego_results.suppressed.get(rel, set()) if r == rule} == want, rule


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_rego_reports_what_the_fixture_says(path, rego_results):
    exp = expectations(path)
    for rule in sorted(exp.rules):
        assert _failing(rego_results, path, rule) == exp.failing.get(rule, set()), rule


@pytest.mark.checkov_engine
@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_both_engines_report_the_same_findings(path, checkov_results, rego_results):
    rel = _rel(path)
    assert checkov_results.failed.get(rel, set()) == rego_results.failed.get(rel, set())
    # Checkov's CloudFormation runner drops check details from its records, so messages can be
    # compared where Checkov carries them (Terraform and plan JSON).
    for (file, rule, address), message in rego_results.messages.items():
        if file == rel and checkov_results.messages.get((file, rule, address)):
            assert checkov_results.messages[(file, rule, address)] == message, (rule, address)


@pytest.mark.checkov_engine
def test_checkov_parsed_every_fixture(checkov_results):
    assert checkov_results.parse_errors == []


def test_streamguard_read_every_fixture(rego_results):
    assert rego_results.errors == []


@pytest.mark.checkov_engine
def test_no_check_raised_in_checkov(checkov_results):
    """Checkov turns an exception in a check into a log line and an UNKNOWN: a finding silently lost."""
    assert "Failed to run check" not in checkov_results.stderr


@pytest.mark.checkov_engine
def test_every_generated_check_loaded_and_ran(checkov_results):
    """Checkov only logs a check that fails to import, so prove each one produced results."""
    modules = {p.stem for p in CHECKS_DIR.glob("SG_*.py")}
    assert modules, "no checks generated"
    assert modules <= checkov_results.check_modules, sorted(modules - checkov_results.check_modules)


FORMATS_OF = {"terraform": ("terraform", "plan"), "cloudformation": ("cloudformation-yaml", "cloudformation-json")}


@pytest.mark.parametrize("rule_id", sorted(r for r, m in RULES.items() if m["implemented"]))
def test_implemented_rule_has_failing_and_passing_fixtures_in_every_format(rule_id):
    seen: dict[str, set[str]] = {}
    for path in FILES:
        exp = expectations(path)
        fmt = fixture_format(path)
        if exp.failing.get(rule_id):
            seen.setdefault(fmt, set()).add("ruleid")
        if exp.passing.get(rule_id):
            seen.setdefault(fmt, set()).add("ok")
    wanted = {"ruleid"} if RULES[rule_id]["fails_on_existence"] else {"ruleid", "ok"}
    for language in RULES[rule_id]["resource_types"]:
        for fmt in FORMATS_OF[language]:
            assert seen.get(fmt) == wanted, f"{rule_id} needs {sorted(wanted)} fixtures in {fmt}"
