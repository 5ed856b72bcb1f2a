"""Modules in the style of popular registry modules (tests/realistic/: feature toggles, `count` on
booleans, `dynamic` blocks, optional KMS keys passed between modules, empty files), through the CLI
in both engines: not one finding on the secure configuration, exactly the insecure defaults on the
other (#14 "Done when")."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from streamguard.paths import ROOT

REALISTIC = ROOT / "tests" / "realistic"

# What the insecure root leaves at the modules' insecure defaults. The stream and the bucket reach
# the delivery stream's module only as input variables, which stay unknown there (README), and the
# key without rotation protects nothing in the scanned files: neither is reported.
INSECURE = {
    ("SG_101", "module.stream.aws_kinesis_stream.this[0]"),  # kms_key_id = null: encryption_type NONE
    ("SG_102", "module.direct_put.aws_kinesis_firehose_delivery_stream.this[0]"),  # enable_sse false
    ("SG_104", "module.delivery.aws_kinesis_firehose_delivery_stream.this[0]"),  # s3_kms_key_arn null
    ("SG_104", "module.direct_put.aws_kinesis_firehose_delivery_stream.this[0]"),
}


def scan(root: str, engine: str) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, "-m", "streamguard.cli", "scan", str(REALISTIC / root), "--format", "json",
                           "--engine", engine], capture_output=True, text=True, cwd=ROOT, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


@pytest.mark.parametrize("engine", ["rego", pytest.param("checkov", marks=pytest.mark.checkov_engine)])
@pytest.mark.parametrize(("root", "expected_code", "expected"), [("secure", 0, set()), ("insecure", 1, INSECURE)])
def test_registry_style_modules(engine, root, expected_code, expected):
    code, report = scan(root, engine)
    assert report["errors"] == []
    assert {(f["rule_id"], f["resource"]) for f in report["findings"]} == expected
    assert code == expected_code
