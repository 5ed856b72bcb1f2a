"""The `streamguard` command as users run it: exit codes, JSON shape, bad input, no tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from streamguard.paths import ROOT

STREAMGUARD = [sys.executable, "-m", "streamguard.cli"]
GOOD_STREAM = 'resource "aws_kinesis_stream" "plain" {\n  name = "plain"\n}\n'
CLEAN_STREAM = ('resource "aws_kinesis_stream" "sealed" {\n  name = "sealed"\n  encryption_type = "KMS"\n'
                '  kms_key_id = "alias/aws/kinesis"\n}\n')


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*STREAMGUARD, *args], capture_output=True, text=True, cwd=cwd or ROOT, check=False)


@pytest.fixture
def bad_tree(tmp_path: Path) -> Path:
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "main.tf").write_text(GOOD_STREAM)
    (tmp_path / "broken_hcl").mkdir()
    (tmp_path / "broken_hcl" / "main.tf").write_text('resource "aws_kinesis_stream" "x" {\n  name = \n')
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "empty.tf").write_text("")  # valid Terraform that declares nothing: no error
    (tmp_path / "broken.yaml").write_text("Resources:\n  Stream: [unclosed\n")
    (tmp_path / "list_resources.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  - a\n")
    (tmp_path / "workflow.yaml").write_text("on: push\njobs: {}\n")  # valid YAML, not a template
    # Other tools' files that do not parse and name nothing of a template or plan: skipped, as Checkov does
    (tmp_path / "tsconfig.json").write_text('{\n  // CDK\n  "compilerOptions": {"strict": true}\n}\n')
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  {{- include \"app.labels\" . | nindent 4 }}\n")
    return tmp_path


@pytest.mark.parametrize("engine", ["rego", "checkov"])
def test_bad_inputs_are_reported_one_line_each_and_good_files_still_scanned(bad_tree, engine):
    proc = run("scan", str(bad_tree), "--format", "json", "--engine", engine)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    report = json.loads(proc.stdout)
    assert [(f["rule_id"], f["resource"]) for f in report["findings"]] == [("SG_101", "aws_kinesis_stream.plain")]
    bad = {Path(e["file"]).resolve().relative_to(bad_tree.resolve()).as_posix() for e in report["errors"]}
    assert bad == {"broken_hcl/main.tf", "broken.yaml", "list_resources.yaml"}
    assert all("\n" not in e["message"] for e in report["errors"])


def test_text_output_names_each_bad_file_on_one_line(bad_tree):
    proc = run("scan", str(bad_tree))
    assert proc.returncode == 2
    error_lines = [line for line in proc.stdout.splitlines() if line.startswith("error: ")]
    assert len(error_lines) == 3
    assert any("list_resources.yaml" in line and "Resources must be a mapping" in line for line in error_lines)


def test_json_output_has_exactly_the_documented_shape(tmp_path):
    (tmp_path / "main.tf").write_text(GOOD_STREAM)
    report = json.loads(run("scan", str(tmp_path), "--format", "json").stdout)
    assert list(report) == ["findings", "errors"]
    assert list(report["findings"][0]) == ["rule_id", "severity", "resource", "file", "line", "message", "engine"]
    assert report["findings"][0]["line"] == 1


def test_json_output_adds_suppressed_findings_only_when_asked():
    plain = json.loads(run("scan", "fixtures/suppressions", "--format", "json").stdout)
    asked = json.loads(run("scan", "fixtures/suppressions", "--format", "json", "--include-suppressed").stdout)
    assert list(plain) == ["findings", "errors"]
    assert list(asked) == ["findings", "errors", "suppressed"]
    assert asked["suppressed"] and all(s["reason"] for s in asked["suppressed"])


def test_exit_codes(tmp_path):
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "main.tf").write_text(CLEAN_STREAM)
    (tmp_path / "dirty").mkdir()
    (tmp_path / "dirty" / "main.tf").write_text(GOOD_STREAM)
    assert run("scan", str(tmp_path / "clean")).returncode == 0
    assert run("scan", str(tmp_path / "dirty")).returncode == 1
    missing = run("scan", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "nope" in missing.stdout


def test_list_and_explain():
    listing = run("list")
    assert listing.returncode == 0
    assert sum(1 for line in listing.stdout.splitlines() if line.startswith("SG_")) == 26
    page = run("explain", "sg_201")
    assert page.returncode == 0 and page.stdout.startswith("<!--") and "# SG_201" in page.stdout
    assert run("explain", "SG_999").returncode == 3


def test_opa_engine_needs_opa_on_path(tmp_path):
    (tmp_path / "main.tf").write_text(GOOD_STREAM)
    proc = run("scan", str(tmp_path), "--engine", "opa")
    if shutil.which("opa"):
        assert proc.returncode == 1
    else:
        assert proc.returncode == 3 and "opa" in proc.stderr and "Traceback" not in proc.stderr


def test_version_is_the_installed_package_version():
    from importlib.metadata import version

    proc = run("--version")
    assert (proc.returncode, proc.stdout) == (0, f"streamguard {version('streamguard')}\n")
