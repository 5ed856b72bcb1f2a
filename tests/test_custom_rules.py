"""Rule packs: a team's own rules beside the built-in ones (docs/custom-rules.md).

The example pack (examples/custom-rules/) is proven by `streamguard test-rules` in the embedded
engine, real OPA and `checkov --external-checks-dir`; its findings reach every output format of
`streamguard scan --policy`; `new-rule` writes a pack that is green as written; a broken pack is
one line naming its file, exit 3.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from streamguard import api, rego_source

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "examples" / "custom-rules"
POLICY = ["--policy", str(PACK / "policies")]
FIXTURES = str(PACK / "fixtures")


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "streamguard.cli", *args], capture_output=True, text=True,
                          cwd=cwd, check=False, timeout=900)


def test_example_pack_passes_test_rules():
    proc = _cli("test-rules", "examples/custom-rules")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "passed: the embedded engine, real OPA and Checkov agree with every fixture" in proc.stdout
    for engine in ("embedded engine (regorus)", "real OPA", "Checkov"):
        assert any(line.strip().startswith(engine) and " agrees " in line for line in proc.stdout.splitlines())


def test_new_rule_writes_a_pack_that_test_rules_proves(tmp_path):
    written = _cli("new-rule", "ACME_900", "--dir", "my-rules", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert {Path(line.removeprefix("wrote ")).relative_to("my-rules").as_posix()
            for line in written.stdout.splitlines()} == {
        "policies/acme/rules/acme_900/acme_900.rego", "checks/ACME_900_terraform.py",
        "checks/ACME_900_cloudformation.py", "checks/__init__.py", "README.md",
        "fixtures/ACME_900/terraform/main.tf", "fixtures/ACME_900/plan/tfplan.json",
        "fixtures/ACME_900/plan/tfplan.json.expect", "fixtures/ACME_900/cloudformation/template.yaml",
        "fixtures/ACME_900/cloudformation/template.json", "fixtures/ACME_900/cloudformation/template.json.expect"}
    proc = _cli("test-rules", "my-rules", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    again = _cli("new-rule", "ACME_900", "--dir", "my-rules", cwd=tmp_path)
    assert again.returncode == 3 and "exists already" in again.stderr


def test_test_rules_reports_a_disagreement(tmp_path):
    assert _cli("new-rule", "ACME_901", "--dir", "p", cwd=tmp_path).returncode == 0
    main_tf = tmp_path / "p" / "fixtures" / "ACME_901" / "terraform" / "main.tf"
    main_tf.write_text(main_tf.read_text().replace("# ok: ACME_901\nresource \"aws_kinesis_stream\" \"owned\"",
                                                   "# ruleid: ACME_901\nresource \"aws_kinesis_stream\" \"owned\""))
    proc = _cli("test-rules", "p", cwd=tmp_path)
    assert proc.returncode == 1
    assert "ACME_901 aws_kinesis_stream.owned" in proc.stdout and "annotated to fail" in proc.stdout


def _pack_findings(fmt: str, *extra: str) -> subprocess.CompletedProcess:
    return _cli("scan", FIXTURES, *POLICY, "--format", fmt, *extra)


def test_scan_policy_reports_pack_findings_in_json():
    proc = _pack_findings("json", "--include-suppressed")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    acme = {(f["rule_id"], f["resource"]) for f in report["findings"] if f["rule_id"].startswith("ACME_")}
    assert ("ACME_001", "aws_kinesis_stream.one_day") in acme
    assert ("ACME_002", "AWS::KinesisFirehose::DeliveryStream.FlatPrefix") in acme
    assert {f["severity"] for f in report["findings"] if f["rule_id"] == "ACME_002"} == {"LOW"}
    one_day = next(f for f in report["findings"] if f["resource"] == "aws_kinesis_stream.one_day"
                   and f["rule_id"] == "ACME_001")
    assert one_day["message"] == ("Kinesis stream keeps data less than 48 hours: retention_period is 24 hours. "
                                  "Set retention_period = 48 (hours) or more.")
    assert one_day["line"] > 0
    suppressed = {(f["rule_id"], f["resource"], f["reason"]) for f in report["suppressed"]}
    assert ("ACME_001", "aws_kinesis_stream.scratch", "scratch stream, replayed from the source") in suppressed
    assert ("ACME_002", "AWS::KinesisFirehose::DeliveryStream.Legacy",
            "legacy consumer reads one flat folder until Q3") in suppressed


def test_scan_policy_sarif_describes_pack_rules_from_their_metadata():
    sarif = json.loads(_pack_findings("sarif").stdout)
    run = sarif["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["ACME_001"]["shortDescription"]["text"] == "Kinesis streams keep data at least 48 hours"
    assert rules["ACME_001"]["defaultConfiguration"]["level"] == "warning"
    assert rules["ACME_002"]["defaultConfiguration"]["level"] == "note"
    assert rules["ACME_001"]["helpUri"].startswith("https://docs.aws.amazon.com/")
    assert "SG_101" in rules
    results = [r for r in run["results"] if r["ruleId"] == "ACME_001"]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(ids[r["ruleIndex"]] == "ACME_001" for r in results)
    assert any(r.get("suppressions") for r in results)


def test_scan_policy_junit_has_a_suite_per_pack_rule():
    root = ET.fromstring(_pack_findings("junit").stdout)
    suites = {s.get("name").split(" ", 1)[0]: s for s in root.iter("testsuite")}
    assert suites["ACME_001"].get("name") == "ACME_001 Kinesis streams keep data at least 48 hours"
    assert int(suites["ACME_002"].get("failures")) > 0


def test_scan_policy_text_and_selection_by_pack_ids():
    text = _pack_findings("text", "--check", "ACME_001").stdout
    assert "ACME_001 MEDIUM aws_kinesis_stream.one_day" in text
    assert "ACME_002" not in text and "SG_101" not in text
    skipped = json.loads(_pack_findings("json", "--skip-check", "ACME_001,SG_*").stdout)
    assert {f["rule_id"] for f in skipped["findings"]} == {"ACME_002"}


def test_list_shows_pack_rules():
    proc = _cli("list", *POLICY)
    assert proc.returncode == 0
    lines = {line.split()[0]: line for line in proc.stdout.splitlines()[1:]}
    assert "MEDIUM" in lines["ACME_001"] and "Kinesis streams keep data at least 48 hours" in lines["ACME_001"]
    assert "SG_101" in lines


_HEAD = ("# METADATA\n# title: t\n# custom:\n#   id: ACME_1\n#   severity: LOW\n"
         "package acme.rules.bad\n\nimport rego.v1\n\n")
BROKEN = {
    "syntax": (_HEAD + "deny contains msg if {\n", "does not compile"),
    "no_id": ("# METADATA\n# title: t\npackage acme.rules.bad\n\nimport rego.v1\n\ndeny contains \"x\" if false\n",
              "has no custom.id"),
    "builtin_root": ("package streamguard.rules.mine\n\nimport rego.v1\n", "is streamguard's own"),
    "builtin_id": (_HEAD.replace("ACME_1", "SG_101") + "deny contains \"x\" if false\n", "is a built-in rule ID"),
    "unknown_function": (_HEAD + "deny contains x if x := nope.nothing(1)\n", "bad.rego"),
}


@pytest.mark.parametrize("case", sorted(BROKEN), ids=sorted(BROKEN))
def test_broken_pack_is_one_line_naming_its_file_exit_3(tmp_path, case):
    source, says = BROKEN[case]
    (tmp_path / "bad.rego").write_text(source)
    proc = _cli("scan", str(ROOT / "examples" / "terraform"), "--policy", str(tmp_path))
    assert proc.returncode == 3
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "bad.rego" in proc.stderr and says in proc.stderr


def test_public_rego_library_is_documented():
    """Every public name of every public library package carries a comment for docs/rego-library.md."""
    public = 0
    for path in sorted((ROOT / "policies" / "streamguard" / "lib").glob("*/*.rego")):
        source = path.read_text(encoding="utf-8")
        if (rego_source.package_metadata(source).get("custom") or {}).get("public") is True:
            public += 1
            assert [r.name for r in rego_source.public_rules(source) if not r.doc] == [], path
    assert public == 9


def test_python_api_names_are_documented():
    for name in api.__all__:
        assert inspect.getdoc(getattr(api, name)) or not callable(getattr(api, name)), name
