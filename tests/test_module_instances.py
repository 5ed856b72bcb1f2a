"""Every Terraform fixture, called as a module three ways, gives the same findings in both engines,
at the addresses Checkov gives module instances (streamguard.inputs.module_instances).

Each fixture directory is copied into `mod/` beside a root module that calls it once, twice with
`count` and once with a for_each, so every rule, cross-resource ones included, is checked inside
module instances: what the fixture says must fail fails in each instance, under its prefix.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from streamguard.engines import checkov
from streamguard.fixture_annotations import expectations
from streamguard.scan import scan_rego

ROOT = Path(__file__).resolve().parent.parent
TERRAFORM_FIXTURES = sorted(p for p in (ROOT / "fixtures").glob("*/terraform") if p.is_dir())
CALLS = """\
module "one" {
  source = "./mod"
}

module "many" {
  count  = 2
  source = "./mod/"
}

module "keyed" {
  for_each = toset(["blue"])
  source   = "./mod"
}
"""
PREFIXES = ("module.one.", "module.many[0].", "module.many[1].", 'module.keyed["blue"].')


def _in_instance(prefix: str, address: str) -> str:
    """An address of the module's own directory as Checkov names it in one instance."""
    return prefix + address.removeprefix("module.")


@pytest.fixture(scope="module")
def called_fixtures(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("called")
    for fixture in TERRAFORM_FIXTURES:
        caller = root / fixture.parent.name
        shutil.copytree(fixture, caller / "mod")
        (caller / "main.tf").write_text(CALLS)
    return root


@pytest.fixture(scope="module")
def both_engines(called_fixtures) -> dict[str, dict[str, set[tuple[str, str]]]]:
    """engine -> file (below the copies' root) -> (rule, address) failures."""
    found: dict[str, dict[str, set[tuple[str, str]]]] = {"checkov": {}, "rego": {}}
    run = checkov.run([str(called_fixtures)], cwd=str(called_fixtures))
    assert not run.parse_errors
    for record in run.failed:
        file = record["file_path"].lstrip("/")
        found["checkov"].setdefault(file, set()).add((record["check_id"], checkov.address(record)))
    scan = scan_rego([str(called_fixtures)])
    assert not scan.errors
    for finding in scan.findings:
        file = str(Path(finding.file).resolve().relative_to(called_fixtures))
        found["rego"].setdefault(file, set()).add((finding.rule_id, finding.resource))
    return found


@pytest.mark.checkov_engine
@pytest.mark.parametrize("fixture", TERRAFORM_FIXTURES, ids=lambda p: p.parent.name)
def test_module_instances_report_what_the_fixture_says_in_both_engines(fixture, both_engines):
    for path in sorted(fixture.glob("*.tf")):
        file = f"{fixture.parent.name}/mod/{path.name}"
        rego_found = both_engines["rego"].get(file, set())
        assert both_engines["checkov"].get(file, set()) == rego_found, file
        assert all(address.startswith(PREFIXES) for _, address in rego_found), file
        exp = expectations(path)
        for rule in sorted(exp.rules):
            want = {_in_instance(p, a) for p in PREFIXES for a in exp.failing.get(rule, set())}
            assert {a for r, a in rego_found if r == rule} == want, (file, rule)


def test_hostile_instance_counts_are_input_errors_naming_the_place(tmp_path):
    """`count = 100000000`, or counted calls nested until they multiply past the limit, would fill
    the memory; each is one input error, and the rest of the scan is still reported."""
    stream = 'resource "aws_kinesis_stream" "s" {\n  count = %s\n  name = "s"\n  shard_count = 1\n}\n'
    (tmp_path / "huge").mkdir()
    (tmp_path / "huge" / "main.tf").write_text(stream % "100000000")
    (tmp_path / "root" / "mid").mkdir(parents=True)
    (tmp_path / "leaf").mkdir()
    (tmp_path / "root" / "main.tf").write_text('module "mid" {\n  count = 200\n  source = "./mid"\n}\n')
    (tmp_path / "root" / "mid" / "main.tf").write_text('module "leaf" {\n  count = 200\n  source = "../../leaf"\n}\n')
    (tmp_path / "leaf" / "main.tf").write_text(stream % "1")
    (tmp_path / "fine").mkdir()
    (tmp_path / "fine" / "main.tf").write_text(stream % "2")
    scan = scan_rego([str(tmp_path)])
    errors = {Path(e.path).resolve(): e.reason for e in scan.errors}
    assert "count = 100000000" in errors[tmp_path / "huge" / "main.tf"]
    assert "more than 10,000 instances" in errors[tmp_path / "leaf"]
    assert {f.resource for f in scan.findings if f.rule_id == "SG_101"} >= {
        "aws_kinesis_stream.s[0]", "aws_kinesis_stream.s[1]"}
    assert scan.exit_code == 2


# The shape of fdmsantos/terraform-aws-kinesis-firehose: a root module whose resources all take
# `count = var.create ? 1 : 0`, and examples/*/ that call it with `source = "../../"`, once of them
# as `module "security_groups"` with `create = false`, beside registry modules that are not downloaded.
FIREHOSE_MODULE = {
    "main.tf": """\
resource "aws_kinesis_firehose_delivery_stream" "this" {
  count       = var.create ? 1 : 0
  name        = var.name
  destination = "extended_s3"

  dynamic "server_side_encryption" {
    for_each = var.enable_sse ? [1] : []
    content {
      enabled  = true
      key_type = "AWS_OWNED_CMK"
    }
  }

  extended_s3_configuration {
    role_arn   = "arn:aws:iam::123456789012:role/firehose"
    bucket_arn = "arn:aws:s3:::logs"
  }
}
""",
    "variables.tf": """\
variable "create" {
  type    = bool
  default = true
}

variable "name" {
  type    = string
  default = "stream"
}

variable "enable_sse" {
  type    = bool
  default = false
}
""",
    "versions.tf": 'terraform {\n  required_version = ">= 1.3"\n}\n',
    "examples/basic/main.tf": 'module "firehose" {\n  source = "../../"\n  name   = "basic"\n}\n',
    "examples/in-vpc/main.tf": """\
variable "off" {
  type    = bool
  default = false
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
}

module "firehose" {
  source = "../../"
  name   = "in-vpc"
  create = module.vpc.vpc_id != ""
}

module "security_groups" {
  source = "../../"
  name   = "in-vpc-sg"
  create = false
}

module "from_default" {
  source = "../../"
  create = var.off
}
""",
}


@pytest.mark.checkov_engine
def test_a_call_that_creates_nothing_is_reported_nowhere_in_both_engines(tmp_path):
    """A call's `create = false` decides its module's counts, as Terraform and Checkov decide them; the
    Rego engine reported `module.security_groups.aws_kinesis_firehose_delivery_stream.this[0]`,
    counted from the module's default. A value the call cannot know (a registry module's output)
    leaves the default. Both engines also count the files they read alike (Checkov's counted only
    files with findings: 4 of the real module's 88)."""
    for name, text in FIREHOSE_MODULE.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    stream = "aws_kinesis_firehose_delivery_stream.this[0]"
    expected = {(rule, f"module.firehose.{stream}") for rule in ("SG_102", "SG_104")}
    rego = scan_rego([str(tmp_path)])
    checkov_scan = checkov.scan([str(tmp_path)])
    assert not rego.errors and not checkov_scan.errors
    assert {(f.rule_id, f.resource) for f in rego.findings} == expected
    assert {(f.rule_id, f.resource) for f in checkov_scan.findings} == expected
    assert rego.files_scanned == checkov_scan.files_scanned == 4  # versions.tf declares nothing


REPROS = {  # a user's modules (cloudposse/terraform-aws-cloudtrail's shape): root/, and the module it calls
    "trail/main.tf": """\
variable "kms_key_arn" {
  type    = string
  default = null
}
resource "aws_cloudtrail" "this" {
  name                       = "t"
  s3_bucket_name             = "b"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = var.kms_key_arn
}
""",
    "stream/main.tf": """\
variable "encryption_type" {
  type    = string
  default = "KMS"
}
resource "aws_kinesis_stream" "this" {
  name            = "s"
  shard_count     = 1
  encryption_type = var.encryption_type
  kms_key_id      = "alias/aws/kinesis"
}
""",
    "root/main.tf": """\
resource "aws_kms_key" "trail" {
  enable_key_rotation = true
}
module "trail" {
  source      = "../trail"
  kms_key_arn = aws_kms_key.trail.arn
}
module "insecure" {
  source          = "../stream"
  encryption_type = "NONE"
}
module "secure" {
  source = "../stream"
}
""",
}


@pytest.mark.checkov_engine
def test_a_called_module_reads_the_values_its_call_passes_in_both_engines(tmp_path):
    """Both engines read a called module with its own defaults: a key passed by reference (unknown)
    was reported as SG_602 "kms_key_id is not set", and `encryption_type = "NONE"` passed into a
    module whose default is "KMS" was missed by the Rego engine (Checkov's own rendering saw it)."""
    for name, text in REPROS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    expected = {("SG_101", "module.insecure.aws_kinesis_stream.this")}
    rego = scan_rego([str(tmp_path / "root")])
    checkov_scan = checkov.scan([str(tmp_path / "root")])
    assert not rego.errors and not checkov_scan.errors
    assert {(f.rule_id, f.resource) for f in rego.findings} == expected
    assert {(f.rule_id, f.resource) for f in checkov_scan.findings} == expected
