"""Real OPA is the reference: every generated Rego test passes under it, and on every fixture the
embedded engine reports exactly what OPA reports (rule, resource, message, suppression).

With test_fixtures.py (embedded engine = Checkov = the fixture's annotations) this proves that
OPA, the embedded engine and Checkov agree on every fixture.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from streamguard.engines.rego import RegoEngine
from streamguard.inputs.discover import discover
from streamguard.paths import POLICIES_DIR
from streamguard.scan import with_locations

ROOT = Path(__file__).resolve().parent.parent
TEST_FILES = sorted(str(p) for p in POLICIES_DIR.rglob("*_test.rego"))


def _fixture_documents() -> dict[str, dict]:
    """Each document the scan evaluates: a module its calls pass different values is one per set
    of values (`fixtures/x/terraform/stream#1`)."""
    sources, errors = discover([str(ROOT / "fixtures")])
    assert not errors, errors
    documents: dict[str, dict] = {}
    seen: dict[str, int] = {}
    for s in sources:
        name = str(Path(s.path).relative_to(ROOT))
        seen[name] = seen.get(name, -1) + 1
        documents[f"{name}#{seen[name]}" if seen[name] else name] = with_locations(s)
    return documents


DOCUMENTS = _fixture_documents()


@pytest.fixture(scope="session")
def opa(tmp_path_factory) -> dict:
    request = tmp_path_factory.mktemp("opa") / "request.json"
    request.write_text(json.dumps({"documents": DOCUMENTS, "test_files": TEST_FILES}), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "opa_reference.py"), str(request)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _findings(report) -> set[tuple]:
    assert isinstance(report, dict) and "error" not in report, report
    return {(f["id"], f["resource"], f["msg"], f.get("suppression"))
            for key in ("deny", "suppressed") for f in report.get(key) or []}


@pytest.fixture(scope="module")
def embedded() -> RegoEngine:
    return RegoEngine()


@pytest.mark.parametrize("test_file", TEST_FILES, ids=lambda p: Path(p).stem)
def test_generated_rego_tests_pass_under_opa(test_file, opa):
    results = opa["tests"][test_file]
    assert results, f"{test_file}: no test rules"
    failed = {name: outcome for name, outcome in results.items() if outcome is not True}
    assert not failed, failed


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_embedded_engine_reports_exactly_what_opa_reports(name, opa, embedded):
    expected = _findings(opa["reports"][name])
    actual = {(f["id"], f["resource"], f["msg"], f.get("suppression")) for f in embedded.evaluate(DOCUMENTS[name])}
    assert actual == expected, {"only OPA": sorted(expected - actual), "only embedded": sorted(actual - expected)}


def test_opa_finds_something_on_the_fixtures(opa):
    """Guards the comparison above against a reference that silently reports nothing."""
    assert sum(len(_findings(r)) for r in opa["reports"].values()) > 300
