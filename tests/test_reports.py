"""Output formats and gating as CI systems consume them."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from streamguard import metadata
from streamguard.paths import ROOT
from streamguard.selection import Selection, SelectionError

SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
SCAN = [sys.executable, "-m", "streamguard.cli", "scan"]


def _scan(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*SCAN, *args], capture_output=True, text=True, cwd=ROOT, check=False)


@pytest.fixture(scope="module")
def example_json() -> dict:
    return json.loads(_scan("examples", "fixtures/suppressions", "--format", "json", "--include-suppressed").stdout)


def test_sarif_validates_against_the_oasis_schema_and_matches_the_findings(example_json):
    if not SARIF_SCHEMA.is_file():
        pytest.skip("shared/schemas is not beside this checkout")
    proc = _scan("examples", "fixtures/suppressions", "--format", "sarif")
    log = json.loads(proc.stdout)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()), cls=jsonschema.Draft4Validator)
    run = log["runs"][0]
    descriptors = run["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == sorted(metadata.all_rules())
    for d in descriptors:
        assert d["helpUri"].endswith(f"/docs/rules/{d['id']}.md")
        assert float(d["properties"]["security-severity"]) > 0
        assert d["help"]["text"] and d["shortDescription"]["text"] and d["fullDescription"]["text"]
    active = [r for r in run["results"] if "suppressions" not in r]
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert len(active) == len(example_json["findings"]) > 0
    assert len(suppressed) == len(example_json["suppressed"]) > 0
    for r in run["results"]:
        location = r["locations"][0]["physicalLocation"]
        assert not Path(location["artifactLocation"]["uri"]).is_absolute()
        assert (ROOT / location["artifactLocation"]["uri"]).is_file()
        assert location["region"]["startLine"] >= 1
        assert descriptors[r["ruleIndex"]]["id"] == r["ruleId"]
    assert all(s["suppressions"][0]["justification"] for s in suppressed)


def test_junit_has_one_failure_per_finding_grouped_by_rule(example_json):
    root = ET.fromstring(_scan("examples", "fixtures/suppressions", "--format", "junit").stdout)
    failures = root.findall(".//testcase/failure")
    assert len(failures) == len(example_json["findings"])
    assert len(root.findall(".//testcase/skipped")) == len(example_json["suppressed"])
    for suite in root.findall("testsuite"):
        rule_ids = {case.get("classname") for case in suite.findall("testcase")}
        assert len(rule_ids) == 1
    suites = {s.get("name").split()[0] for s in root.findall("testsuite")}
    assert suites == set(metadata.all_rules())


def test_output_file_and_summary_on_stderr(tmp_path):
    out = tmp_path / "report.sarif"
    proc = _scan("examples", "--format", "sarif", "--output", str(out))
    assert proc.returncode == 1
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert "finding" in proc.stderr and proc.stdout == ""


def test_text_is_plain_when_piped_and_summarises():
    proc = _scan("examples")
    assert "\033[" not in proc.stdout
    last = proc.stdout.strip().splitlines()[-1]
    assert "finding" in last and "scanned" in last


def test_soft_fail_turns_findings_into_success_but_not_unreadable_input(tmp_path):
    assert _scan("examples", "--soft-fail").returncode == 0
    (tmp_path / "broken.yaml").write_text("Resources: [\n")
    assert _scan(str(tmp_path), "--soft-fail").returncode == 2


def test_selection_follows_checkov_semantics():
    all_ids = set(metadata.all_rules())
    high = {i for i, r in metadata.all_rules().items() if r["severity"] == "HIGH"}
    low = {i for i, r in metadata.all_rules().items() if r["severity"] == "LOW"}
    assert Selection.from_options(None, None, None).rule_ids == all_ids
    assert Selection.from_options(["SG_101,SG_2*"], None, None).rule_ids == {
        "SG_101", "SG_201", "SG_202", "SG_203", "SG_204"}
    assert Selection.from_options(["keys"], ["SG_204"], None).rule_ids == {"SG_201", "SG_202", "SG_203"}
    assert Selection.from_options(["HIGH"], None, None).rule_ids == high            # this and above
    assert Selection.from_options(None, ["MEDIUM"], None).rule_ids == high          # this and below skipped
    assert Selection.from_options(None, None, "medium").rule_ids == all_ids - low   # threshold
    with pytest.raises(SelectionError):
        Selection.from_options(["SG_999"], None, None)


def test_selection_filters_findings_and_junit_suites(example_json):
    report = json.loads(_scan("examples", "--format", "json", "--check", "SG_101").stdout)
    assert {f["rule_id"] for f in report["findings"]} == {"SG_101"}
    assert len(report["findings"]) == sum(
        1 for f in example_json["findings"] if f["rule_id"] == "SG_101" and f["file"].startswith("examples/"))
    root = ET.fromstring(_scan("examples", "--format", "junit", "--check", "SG_101").stdout)
    assert [s.get("name").split()[0] for s in root.findall("testsuite")] == ["SG_101"]
