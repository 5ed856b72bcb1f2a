"""Hostile and broken inputs: each gets one line naming it, within proven time and memory limits,
and never costs the findings of the good files beside it.

The scan runs as a child process under a wall-clock timeout, and its peak resident memory is
read back with getrusage. (An address-space limit cannot be used: rego-cpp's allocator reserves
a large address range at start-up.)
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from streamguard.paths import ROOT

MEMORY_LIMIT_MB = 512  # peak resident memory of the whole scan
TIME_LIMIT_S = 90
SECRET = "AKIAIOSFODNN7HOSTILE"  # in a hostile file; must never be printed
GOOD = 'resource "aws_kinesis_stream" "good_neighbour" {\n  name = "good"\n}\n'


def scan(path: Path, *args: str) -> tuple[subprocess.CompletedProcess, float, float]:
    """(process, seconds, peak resident MB) of one scan in a child process."""
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "streamguard.cli", "scan", str(path), "--format", "json", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "STREAMGUARD_JOBS": "1"})
    stdout, stderr = proc.communicate(timeout=TIME_LIMIT_S)
    _, _, usage = os.wait4(proc.pid, 0) if proc.returncode is None else (0, 0, None)
    elapsed = time.monotonic() - start
    peak_mb = (usage.ru_maxrss if usage else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr), elapsed, peak_mb


def _billion_laughs() -> str:
    lines = ["AWSTemplateFormatVersion: '2010-09-09'",
             'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    lines.append("Resources:\n  Bomb:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      Tags: *a9")
    return "\n".join(lines) + "\n"


UNREADABLE = {
    "bomb.yaml": (_billion_laughs(), "YAML aliases"),
    "deep.json": ('{"Resources": ' + "[" * 20000 + "]" * 20000 + "}", "nested"),
    "deep.yaml": ("Resources: " + "[" * 20000 + "]" * 20000 + "\n", "nested"),
    "deep_template.json": ('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"X": {"Type": "AWS::S3::Bucket",'
                           ' "Properties": {"a": ' + '{"b": ' * 300 + "1" + "}" * 300 + "}}}}", "nested more than"),
    "deep/main.tf": ("locals {\n  x = " + "[" * 3000 + "]" * 3000 + "\n}\n", "HCL"),
    "binary.tf": (b"\x00\x01\x02\x03resource", "binary"),
    "latin1.yaml": ("Resources:\n  X:\n    Type: caf\xe9\n".encode("latin-1"), "UTF-8"),
    "future_plan.json": ('{"format_version": "2.0", "planned_values": {}}', "format_version"),
    "list_resources.json": ('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": ["a"]}', "mapping"),
    "string_resources.yaml": ("AWSTemplateFormatVersion: '2010-09-09'\nResources: nope\n", "mapping"),
    "repeated_plan.json": (json.dumps({"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": "aws_kinesis_stream.s", "type": "aws_kinesis_stream", "name": "s", "values": {"name": "a"}},
        {"address": "aws_kinesis_stream.s", "type": "aws_kinesis_stream", "name": "s",
         "values": {"name": "b", "tags": {"token": SECRET}}}]}}}), "more than once"),
    "backtracking/main.tf": ('resource "aws_kines${is_stream" "s" {\n  name = "s"\n}\n'  # python-hcl2: minutes
                             + 'resource "aws_kinesis_stream" "x" {\n  name = "x"\n}\n' * 2, "longer than"),
    "repeated_key.yaml": ("Resources:\n  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n"
                          "      StreamEncryption: {EncryptionType: KMS, KeyId: alias/aws/kinesis}\n"
                          "      StreamEncryption: {}\n", "line 6: key 'StreamEncryption' is repeated"),
    "repeated_key.json": ('{"Resources": {"S": {"Type": "AWS::Kinesis::Stream", "Type": "AWS::S3::Bucket"}}}',
                          "key 'Type' is repeated"),
    "twice/b.tf": ('resource "aws_kinesis_stream" "s" {\n  name = "b"\n}\n', "declared more than once"),
}


SCANNED_CLEANLY = {  # valid input, out of scope or only partly in scope: no error, no crash
    "unknown_intrinsics.yaml": (
        "Resources:\n  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n"
        "      StreamEncryption: {EncryptionType: !Frobnicate [x], KeyId: !Ref Nope}\n"
        "  NoType:\n    Properties: {}\n  NotAMapping: 7\n"),
    "tf_extras/main.tf": (
        'terraform {\n  required_version = ">= 1.5"\n}\nunknown_block "x" {}\n'
        'resource "aws_kinesis_stream" "counted" {\n  count = 2\n  name = "c${count.index}"\n'
        '  encryption_type = "KMS"\n  kms_key_id = "alias/aws/kinesis"\n}\n'
        'module "absent" {\n  source = "./does-not-exist"\n  key = "value"\n}\n'),
    "k8s.yaml": ("apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Secret\n"),
    "package.json": ('{"name": "not-an-input", "version": "1.0.0"}'),
}


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    for name, (content, _) in UNREADABLE.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    for name, content in SCANNED_CLEANLY.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    (root / "twice" / "a.tf").write_text('resource "aws_kinesis_stream" "s" {\n  name = "a"\n}\n')
    (root / "good").mkdir()
    (root / "good" / "main.tf").write_text(GOOD)
    with open(root / "huge.yaml", "w") as fh:  # a 50 MB template
        fh.write("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n")
        chunk = "".join(f"  Stream{i}:\n    Type: AWS::Kinesis::Stream\n    Properties: {{ShardCount: 1}}\n"
                        for i in range(1000))
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk.replace("Stream", f"S{fh.tell()}x"))
    os.symlink("loop_b.tf", root / "loop_a.tf")
    os.symlink("loop_a.tf", root / "loop_b.tf")
    os.symlink(".", root / "self_link")                 # a directory loop
    os.symlink("missing.yaml", root / "dangling.yaml")
    os.mkfifo(root / "pipe.yaml")                        # reading it would block forever
    return root


def test_hostile_tree_is_scanned_within_limits(hostile_tree):
    proc, elapsed, peak_mb = scan(hostile_tree)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert SECRET[-8:] not in proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    errors = {os.path.relpath(os.path.join(ROOT, e["file"]), hostile_tree): e["message"] for e in report["errors"]}
    for name, (_, expected) in UNREADABLE.items():
        assert name in errors, f"{name} not reported: {sorted(errors)}"
        assert expected in errors[name], (name, errors[name])
    for name in ("huge.yaml", "loop_a.tf", "loop_b.tf", "dangling.yaml", "pipe.yaml"):
        assert name in errors, name
    assert not set(SCANNED_CLEANLY) & set(errors), errors
    assert all("\n" not in message and len(message) < 320 for message in errors.values())
    found = {(f["rule_id"], f["resource"]) for f in report["findings"]}
    assert ("SG_101", "aws_kinesis_stream.good_neighbour") in found
    assert elapsed < TIME_LIMIT_S
    assert peak_mb < MEMORY_LIMIT_MB, f"peak resident memory {peak_mb:.0f} MB"


def test_valid_but_odd_inputs_are_scanned_without_errors(hostile_tree, tmp_path):
    for name, content in SCANNED_CLEANLY.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    proc, _, _ = scan(tmp_path)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["errors"] == []


def test_checkov_engine_keeps_hostile_files_away_from_checkov(hostile_tree):
    """Plain Checkov crashes on some of these (deep JSON: RecursionError) and loses every finding."""
    proc, _, _ = scan(hostile_tree, "--engine", "checkov")
    assert proc.returncode == 2, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    found = {(f["rule_id"], f["resource"]) for f in report["findings"]}
    assert ("SG_101", "aws_kinesis_stream.good_neighbour") in found
    assert len(report["errors"]) >= len(UNREADABLE)
