"""Plans and modules (#14 items 8 and 9), through the CLI in both engines: what Terraform ignores
is ignored, what Terraform rejects is an unreadable input named on one line (never a committed
credential dropped in silence), and an empty file is nothing at all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from streamguard.inputs.discover import discover
from streamguard.paths import ROOT

ENGINES = ["rego", "checkov"]
PLAIN = 'resource "aws_kinesis_stream" "%s" {\n  name = "%s"\n}\n'
KEY = "AKIAIOSFODNN7EXAMPLE"


def scan(path: Path, *args: str) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, "-m", "streamguard.cli", "scan", str(path), "--format", "json", *args],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def findings(report: dict) -> set[tuple[str, str]]:
    return {(f["rule_id"], f["resource"]) for f in report["findings"]}


@pytest.mark.parametrize("engine", ENGINES)
def test_files_terraform_ignores_are_ignored(tmp_path, engine):
    (tmp_path / "main.tf").write_text(PLAIN % ("visible", "visible"))
    (tmp_path / ".backup.tf").write_text(PLAIN % ("hidden", "hidden"))
    code, report = scan(tmp_path, "--engine", engine)
    assert code == 1 and findings(report) == {("SG_101", "aws_kinesis_stream.visible")}


DECLARED_TWICE = {  # kind: (first block, second block, the name the error gives)
    "provider": ('provider "aws" {\n  access_key = "KEY"\n}\n', 'provider "aws" {\n  region = "eu-west-1"\n}\n',
                 "provider aws.default"),
    "variable": ('variable "id" {\n  default = "KEY"\n}\n', 'variable "id" {\n  default = "x"\n}\n', "variable.id"),
    "output": ('output "id" {\n  value = "KEY"\n}\n', 'output "id" {\n  value = "x"\n}\n', "output.id"),
    "locals": ('locals {\n  id = "KEY"\n}\n', 'locals {\n  id = "x"\n}\n', "locals.id"),
    "module": ('module "m" {\n  source = "./m"\n  id = "KEY"\n}\n', 'module "m" {\n  source = "./m"\n}\n', "module.m"),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", sorted(DECLARED_TWICE))
def test_a_module_that_declares_a_name_twice_is_unreadable_in_both_engines(tmp_path, kind, engine):
    """Terraform rejects it; keeping only the last block would drop the credential in the first."""
    first, second, address = DECLARED_TWICE[kind]
    (tmp_path / "a.tf").write_text(first.replace("KEY", KEY))
    (tmp_path / "b.tf").write_text(second)
    code, report = scan(tmp_path, "--engine", engine)
    assert code == 2 and report["findings"] == []
    assert [(Path(e["file"]).name, e["message"]) for e in report["errors"]] == [
        ("b.tf", f"{address} is declared more than once in this module")]  # the second declaration's file


def test_override_files_may_declare_a_name_again(tmp_path):
    (tmp_path / "variables.tf").write_text('variable "id" {\n  default = "x"\n}\n')
    (tmp_path / "override.tf").write_text('variable "id" {\n  default = "y"\n}\n')
    assert scan(tmp_path)[0] == 0


def test_a_repeated_address_below_three_levels_of_child_modules_is_unreadable(tmp_path):
    """The Rego library reads every level; a repeated address there would stop the evaluation."""
    stream = {"address": "module.a.module.b.module.c.module.d.aws_kinesis_stream.s", "type": "aws_kinesis_stream",
              "name": "s", "values": {}}
    deepest = {"address": "module.a.module.b.module.c.module.d", "resources": [stream, stream]}
    for name in ("c", "b", "a"):
        deepest = {"address": name, "resources": [], "child_modules": [deepest]}
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [deepest]}}}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    sources, errors = discover([str(tmp_path)])
    assert not sources and "appears more than once in planned_values" in str(errors[0])


@pytest.mark.parametrize("engine", ENGINES)
def test_an_empty_file_is_valid_even_with_soft_fail(tmp_path, engine):
    (tmp_path / "variables.tf").write_text("")
    (tmp_path / "outputs.tf").write_text("# nothing yet\n")
    (tmp_path / "main.tf").write_text(PLAIN % ("plain", "plain"))
    code, report = scan(tmp_path, "--engine", engine, "--soft-fail")
    assert code == 0 and report["errors"] == []
    assert findings(report) == {("SG_101", "aws_kinesis_stream.plain")}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_module_output_that_reads_its_own_call_ends_unknown(tmp_path, engine):
    """A module that calls itself, with an output that returns its own call's output: following it
    ends (one called module deep), and what it never reaches is unknown, not a finding."""
    (tmp_path / "loop").mkdir()
    (tmp_path / "main.tf").write_text('module "loop" {\n  source = "./loop"\n}\n\n'
                                      'resource "aws_kinesis_stream" "s" {\n  name = "s"\n'
                                      '  encryption_type = "KMS"\n  kms_key_id = module.loop.key_arn\n}\n')
    (tmp_path / "loop" / "main.tf").write_text('module "again" {\n  source = "../loop"\n}\n\n'
                                               'output "key_arn" {\n  value = module.again.key_arn\n}\n')
    code, report = scan(tmp_path, "--engine", engine)
    assert code == 0 and findings(report) == set()
