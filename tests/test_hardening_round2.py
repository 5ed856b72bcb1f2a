"""Inputs that used to end a whole scan (exit 3, nothing reported) or be lost without a word.

Each bad input must be one line naming its file (exit 2) while every other file's findings are
still reported; each good input is read once. Exit 3 is only for streamguard itself not starting.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

from streamguard.inputs import hcl
from streamguard.inputs.discover import distinct_paths
from streamguard.inputs.errors import InputError
from streamguard.paths import ROOT

SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
SECRET = "AKIAIOSFODNN7ROUNDTWO"
STREAM = 'resource "aws_kinesis_stream" "%s" {\n  name = "%s"\n}\n'


def scan(*args: str, cwd: Path = ROOT, jobs: str = "1", timeout: int = 300, **env: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "streamguard.cli", "scan", *args], capture_output=True, text=True,
                          errors="replace", cwd=cwd, check=False, timeout=timeout,
                          env={**os.environ, "STREAMGUARD_JOBS": jobs, **env})
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def report(proc: subprocess.CompletedProcess, root: Path) -> tuple[set, dict[str, str]]:
    """(rule, resource) of each finding, and each error's message by its file relative to root (where
    a relative path starts: the scans given relative paths run there)."""
    data = json.loads(proc.stdout)
    errors = {}
    for e in data["errors"]:
        name = (root / e["file"]).resolve().relative_to(root.resolve()).as_posix()
        assert name not in errors and "\n" not in e["message"], e
        errors[name] = e["message"]
    return {(f["rule_id"], f["resource"]) for f in data["findings"]}, errors


# 1. A tree large enough for the process pool, with one unparseable file: the pool handed the
# InputError back by pickle, which could not rebuild it, and the scan ended with exit 3.

def test_input_error_crosses_a_process_boundary():
    error = pickle.loads(pickle.dumps(InputError("infra/main.tf", "invalid HCL at line 3")))
    assert (error.path, error.reason, str(error)) == ("infra/main.tf", "invalid HCL at line 3",
                                                      "infra/main.tf: invalid HCL at line 3")


def test_a_parse_that_fails_unexpectedly_is_that_files_error_without_its_values(tmp_path, monkeypatch):
    def broken(path: str, value: object) -> None:
        raise KeyError(SECRET)  # a loader's own bug, quoting a value

    (tmp_path / "main.tf").write_text(STREAM % ("s", "s"))
    monkeypatch.setattr(hcl, "check_document", broken)
    error = hcl.parse_file(tmp_path / "main.tf")
    assert isinstance(error, InputError) and error.path == str(tmp_path / "main.tf")
    assert SECRET not in str(error)


def test_a_large_tree_parsed_in_the_pool_reports_the_bad_file_and_everything_else(tmp_path):
    for i in range(50):
        (tmp_path / f"m{i}").mkdir()
        (tmp_path / f"m{i}" / "main.tf").write_text(STREAM % (f"s{i}", f"s{i}"))
    (tmp_path / "m1" / "empty.tf").write_text("")                       # valid Terraform: nothing declared
    (tmp_path / "m2" / "blank.tf").write_text("  \n# only a comment\n/* and another */\n")
    (tmp_path / "m3" / "bad.tf").write_text('resource "aws_kinesis_stream" "x" {\n')
    proc = scan(str(tmp_path), "--format", "json", jobs="2")
    assert proc.returncode == 2, proc.stderr
    found, errors = report(proc, tmp_path)
    assert list(errors) == ["m3/bad.tf"]
    assert found == {("SG_101", f"aws_kinesis_stream.s{i}") for i in range(50)}


# 2. Values no JSON input can carry, and loader blind spots: each is its own file's error (or is
# read normally), never the end of the scan.

HOSTILE = {
    "surrogate/main.tf": STREAM % ("s", "\\ud800"),
    "dynamic/main.tf": 'resource "aws_kinesis_stream" "d" {\n  name = "d"\n  dynamic = 5\n}\n',
    "surrogate_value.json": json.dumps({"Resources": {"S": {"Type": "AWS::Kinesis::Stream",
                                                          "Properties": {"Name": "\ud800"}}}}),
    "surrogate_key.json": json.dumps({"Resources": {"\ud800": {"Type": "AWS::Kinesis::Stream"}}}),
    "digits.json": '{"Resources": {"S": {"Type": "AWS::Kinesis::Stream", "Properties": {"ShardCount": '
                   + "9" * 5000 + "}}}}",
    "digits.yaml": "Resources:\n  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      ShardCount: "
                   + "9" * 5000 + "\n",
    "set.yaml": "Resources:\n  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      Tags: !!set {a, b}\n",
    "binary.yaml": "Resources:\n  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      Name: !!binary aGk=\n",
    "int_nan.yaml": "Resources:\n  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      ShardCount: !!int .nan\n",
    "bool_nan.yaml": "Resources:\n  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n"
                     f"      Name: !!bool {SECRET}\n",
    "float_nan.yaml": "Resources:\n  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      ShardCount: .nan\n",
    "surrogate.yaml": 'Resources:\n  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      Name: "\\ud800"\n',
    # Checkov compiles its --skip-path patterns once more, joined character by character: `](` in
    # a rejected file's name, even escaped, made that fail and end its whole run.
    "nan ](1.json": '{"Resources": {"S": {"Type": "AWS::Kinesis::Stream", "Properties": {"ShardCount": NaN}}}}',
}


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("round2")
    for name, content in HOSTILE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, errors="surrogatepass")
    (root / "ref_nan.yaml").write_text("Resources:\n  R:\n    Type: AWS::Kinesis::Stream\n    Properties:\n"
                                       "      StreamEncryption: {EncryptionType: KMS, KeyId: !Ref .nan}\n")
    (root / "good").mkdir()
    (root / "good" / "main.tf").write_text(STREAM % ("good", "good"))
    return root


@pytest.mark.parametrize("engine", ["rego", "checkov"])
def test_each_hostile_value_is_one_error_naming_its_file(hostile_tree, engine):
    proc = scan(str(hostile_tree), "--format", "json", "--engine", engine)
    assert proc.returncode == 2, proc.stderr
    assert SECRET not in proc.stdout + proc.stderr
    found, errors = report(proc, hostile_tree)
    assert set(errors) == set(HOSTILE)
    assert ("SG_101", "aws_kinesis_stream.good") in found  # and ref_nan.yaml is read: `!Ref .nan` names a key


# 3. The Checkov engine: files Checkov cannot parse are input errors; files streamguard rejected
# never reach Checkov, whatever the form of the paths given.

def test_checkov_engine_reports_each_file_checkov_could_not_parse(tmp_path):
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(
        {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"S": {"Type": "AWS::Kinesis::Stream"}}}).encode())
    (tmp_path / "repeated.yaml").write_text("Resources:\n  S:\n    Type: AWS::Kinesis::Stream\n"
                                            "  S:\n    Type: AWS::Kinesis::Stream\n")
    (tmp_path / "cr.tf").write_text("# a comment\rwith a lone CR\n" + STREAM % ("cr", "cr"))
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "main.tf").write_text(STREAM % ("good", "good"))
    proc = scan(str(tmp_path), "--format", "json", "--engine", "checkov")
    assert proc.returncode == 2, proc.stderr
    found, errors = report(proc, tmp_path)
    assert set(errors) == {"bom.json", "repeated.yaml", "cr.tf"}
    assert found == {("SG_101", "aws_kinesis_stream.good")}


@pytest.fixture
def tree_with_a_pipe(tmp_path) -> Path:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "main.tf").write_text(STREAM % ("good", "good"))
    (tmp_path / "deep.json").write_text('{"Resources": ' + "[" * 20000 + "]" * 20000 + "}")  # crashes Checkov
    os.mkfifo(tmp_path / "pipe.yaml")  # opening it would wait for ever
    os.mkfifo(tmp_path / "sub" / "pipe.tf")
    return tmp_path


@pytest.mark.parametrize("paths", [["."], ["pipe.yaml", "sub/pipe.tf", "deep.json", "sub/main.tf"]])
def test_checkov_never_sees_a_rejected_file_given_relatively_or_directly(tree_with_a_pipe, paths):
    proc = scan(*paths, "--format", "json", "--engine", "checkov", cwd=tree_with_a_pipe, timeout=120)
    assert proc.returncode == 2, proc.stderr
    found, errors = report(proc, tree_with_a_pipe)
    assert set(errors) == {"pipe.yaml", "sub/pipe.tf", "deep.json"}
    assert "not a regular file" in errors["pipe.yaml"]
    assert found == {("SG_101", "aws_kinesis_stream.good")}


# 4. Overlapping paths: each file read once.

@pytest.mark.parametrize("paths", [["infra", "infra/main.tf"], ["infra", "infra/"], ["infra/sub", "./infra"],
                                   ["infra", "infra"]])
@pytest.mark.parametrize("engine", ["rego", "checkov"])
def test_overlapping_paths_read_each_file_once(tmp_path, paths, engine):
    (tmp_path / "infra" / "sub").mkdir(parents=True)
    (tmp_path / "infra" / "main.tf").write_text(STREAM % ("top", "top"))
    (tmp_path / "infra" / "sub" / "main.tf").write_text(STREAM % ("sub", "sub"))
    proc = scan(*paths, "--format", "json", "--engine", engine, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout
    data = json.loads(proc.stdout)
    assert data["errors"] == []
    assert sorted((f["file"], f["resource"]) for f in data["findings"]) == [
        ("infra/main.tf", "aws_kinesis_stream.top"), ("infra/sub/main.tf", "aws_kinesis_stream.sub")]


def test_distinct_paths_keeps_what_the_walk_of_another_path_does_not_read(tmp_path):
    (tmp_path / "infra" / ".hidden").mkdir(parents=True)
    for name in ("infra/main.tf", "infra/.hidden/x.tf", "outside.tf"):
        (tmp_path / name).write_text("")
    os.symlink(tmp_path / "infra", tmp_path / "link")
    given = [str(tmp_path / p) for p in ("infra", "link", "infra/main.tf", "infra/.hidden/x.tf", "outside.tf")]
    assert distinct_paths(given) == [given[0], given[3], given[4]]


# 5. SARIF locations are valid URI references, whatever the file is called.

_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
_URI_REFERENCE = re.compile(rf"(?:[A-Za-z][A-Za-z0-9+.\-]*:)?(?:{_PCHAR}|/)*(?:\?(?:{_PCHAR}|[/?])*)?"
                            rf"(?:#(?:{_PCHAR}|[/?])*)?")


def _format_checker() -> jsonschema.FormatChecker:
    """jsonschema checks `uri` and `uri-reference` only with an optional package installed; without
    it, RFC 3986's grammar (no IP-literal hosts, which streamguard never writes) checks them."""
    def reference(value: object) -> bool:
        return not isinstance(value, str) or bool(_URI_REFERENCE.fullmatch(value))

    def absolute(value: object) -> bool:
        return reference(value) and (not isinstance(value, str) or bool(re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", value)))

    checker = jsonschema.FormatChecker()
    for name, check in (("uri-reference", reference), ("uri", absolute)):
        if name not in checker.checkers:
            checker.checks(name)(check)
    return checker


def test_sarif_uris_are_percent_encoded_and_valid(tmp_path):
    names = ["with space/main.tf", "100%/main.tf", "a#b/main.tf", "what?/main.tf", "[x]/main.tf", "ünïcode/main.tf"]
    for i, name in enumerate(names):
        (tmp_path / name).parent.mkdir()
        (tmp_path / name).write_text(STREAM % (f"s{i}", f"s{i}"))
    (tmp_path / "bad [1].yaml").write_text("Resources: [unclosed\n")
    proc = scan(".", "--format", "sarif", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    log = json.loads(proc.stdout)
    run = log["runs"][0]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert sorted(unquote(uri) for uri in uris) == sorted(names)
    assert all(_URI_REFERENCE.fullmatch(uri) for uri in uris), uris
    notification = run["invocations"][0]["toolExecutionNotifications"][0]
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad%20%5B1%5D.yaml"
    if SARIF_SCHEMA.is_file():  # shared/schemas is beside the checkout in CI and on developers' machines
        schema = json.loads(SARIF_SCHEMA.read_text())
        jsonschema.Draft4Validator(schema, format_checker=_format_checker()).validate(log)


def test_file_names_that_are_not_utf8_cost_only_themselves(tmp_path):
    (tmp_path / "good.tf").write_text(STREAM % ("good", "good"))
    (tmp_path / os.fsdecode(b"x\xfe.tf")).write_text(STREAM % ("named", "named"))
    (tmp_path / os.fsdecode(b"bad\xff.yaml")).write_text("Resources: [unclosed\n")
    for fmt, bad in (("text", "bad\ufffd.yaml"), ("json", "bad\ufffd.yaml"), ("sarif", "bad%FF.yaml"),
                     ("junit", "bad\ufffd.yaml")):
        # stdout as under a UTF-8 locale other than C/POSIX, where Python writes no lone surrogate
        proc = scan(str(tmp_path), "--format", fmt, PYTHONIOENCODING="utf-8:strict")
        assert proc.returncode == 2, (fmt, proc.stderr)
        assert "aws_kinesis_stream.good" in proc.stdout and bad in proc.stdout, fmt


# 6. Cost bounded by what costs (#15 item 4): expanded bytes, instances per scan, linear masking.

def _deep_alias_template(depth: int = 50) -> str:
    """500 bytes whose aliases expand a value 50 levels deep 6,561 times (under 1,000,000 values,
    the former cap): 45 s and 470 MB in the embedded engine, over 5 minutes in Checkov."""
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "d: &d " + "{k: " * depth + SECRET + "}" * depth]
    lines += [f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]"
              for previous, name in (("d", "b"), ("b", "c"), ("c", "e"), ("e", "f"))]
    resources = "Resources:\n  Bomb:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      Tags: [*f]\n"
    return "\n".join([*lines, resources])


@pytest.fixture(scope="module")
def costly_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("costly")
    (root / "alias.yaml").write_text(_deep_alias_template())
    (root / "counted").mkdir()
    (root / "counted" / "main.tf").write_text("".join(  # 14 KB: 2,000,000 addresses
        f'resource "aws_kinesis_stream" "s{i}" {{\n  count = 10000\n  name = "s"\n}}\n' for i in range(200)))
    (root / "good").mkdir()
    (root / "good" / "main.tf").write_text(STREAM % ("good", "good"))
    return root


@pytest.mark.parametrize("engine", ["rego", "checkov"])
def test_small_files_that_expand_are_bounded_by_what_they_cost(costly_tree, engine):
    proc = scan(str(costly_tree), "--format", "json", "--engine", engine, timeout=240)
    assert proc.returncode == 2, proc.stderr
    found, errors = report(proc, costly_tree)
    assert "YAML aliases" in errors["alias.yaml"]
    assert "instances" in errors["counted"]
    assert found == {("SG_101", "aws_kinesis_stream.good")}


def test_a_template_expands_to_32_times_its_text_and_never_past_the_template_limit():
    from streamguard.inputs.reading import MAX_TEMPLATE_BYTES, check_document, expanded_limit

    assert (expanded_limit("x" * 100), expanded_limit("x" * 10_000), expanded_limit("x" * 1_000_000)) == (
        65_536, 320_000, MAX_TEMPLATE_BYTES)
    shared = ["x" * 1000] * 1000  # 1,000 values, 1 MB as text
    check_document("t.yaml", {"a": shared}, max_bytes=MAX_TEMPLATE_BYTES)
    with pytest.raises(InputError, match="YAML aliases"):
        check_document("t.yaml", {"a": shared, "b": shared, "c": shared}, max_bytes=MAX_TEMPLATE_BYTES)


def test_the_instance_budget_is_shared_by_every_module_of_a_scan():
    from streamguard.inputs.budget import InstanceBudget

    budget = InstanceBudget(total=25)
    budget.spend("a", ["x.a", "x.b"], [("", {"x.a": list(range(10))})])         # 10: x.b is not counted
    budget.spend("b", ["x.c"], [("module.m[0].", {}), ("module.m[1].", {})])     # 2: below two calls
    budget.spend("e", ["x.e"], [("module.o.", {"x.e": []})])                      # 0: the call creates none
    with pytest.raises(InputError, match="past 25 instances"):
        keys = {"x.d": [0, 1, 2, 3, 4, 5, 6]}
        budget.spend("c", ["x.d"], [("module.n[0].", keys), ("module.n[1].", keys)])  # 14


def test_masking_code_lines_is_linear_in_the_credentials_they_show():
    """5,000 credentials in 166 KB of S3 object content took 28 s in Checkov's masking alone."""
    import time

    from streamguard.logic.credentials import mask_lines

    keys = [f"AKIA{i:016b}".replace("0", "A").replace("1", "B") for i in range(5000)]
    lines = [(n, f"key{n} = {key}\n") for n, key in enumerate(keys)]
    start = time.process_time()
    masked = mask_lines(lines, set())
    assert time.process_time() - start < 10
    assert all(key not in line and key[-4:] in line for key, (_, line) in zip(keys, masked, strict=True))


# 7. Nothing printed carries a secret or a control character (#15 items 5 and 6), in every format
# and both engines: one function (streamguard.shown) masks and escapes every string of a report.

KEY = "AKIAIOSFODNN7INJECTD"
ESC = "\x1b]0;pwned\x07\x1b[2J"


@pytest.fixture(scope="module")
def injecting_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("inject")
    (root / "main.tf").write_text(
        'resource "aws_kinesis_stream" "evil\\u001b]0;pwned\\u0007\\u001b[2J" {\n  name = "x"\n}\n'
        f'resource "aws_iam_user" "{KEY}" {{\n  name = "u"\n}}\n'
        f'resource "aws_iam_access_key" "k" {{\n  #checkov:skip=SG_306:old key {KEY}{ESC}\n  user = "u"\n}}\n'
        'resource "aws_iam_access_key" "j" {\n  user = "bob\\u001b[2J\\n0 findings"\n}\n'
        'resource "aws_kinesisanalyticsv2_application" "a" {\n  name = "a"\n  runtime_environment = "FLINK-1_18"\n'
        '  service_execution_role = "r"\n  application_configuration {\n    environment_properties {\n'
        f'      property_group {{\n        property_group_id = "{KEY}"\n'
        f'        property_map = {{ "{KEY}" = "v" }}\n      }}\n    }}\n  }}\n}}\n'
        f'module "{KEY}" {{\n  source = "./m"\n}}\n')
    (root / "m").mkdir()
    (root / "m" / "main.tf").write_text(STREAM % ("inner", "inner"))
    (root / "twice").mkdir()
    for name in ("a.tf", "b.tf"):
        (root / "twice" / name).write_text(STREAM % (KEY, "t"))
    (root / "t.yaml").write_text(
        "Resources:\n  Bad:\n    Type: AWS::IAM::AccessKey\n    Metadata:\n      checkov:\n        skip:\n"
        f'          - id: SG_306\n            comment: "rotated {KEY}\\e[2J\\n0 findings; 0 files scanned"\n'
        f"    Properties:\n      UserName: u\n")
    (root / "alias.yaml").write_text(f"Resources:\n  X: *{KEY}\n")
    (root / "tag.yaml").write_text(f"Resources:\n  X: !{KEY}!x y\n")
    (root / "tagged.yaml").write_text(f"Resources:\n  X: !!{KEY} y\n")
    (root / f"bad{ESC}\n0 findings; 0 files scanned.yaml").write_text("Resources: [\n")
    return root


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
@pytest.mark.parametrize("engine", ["rego", "checkov"])
def test_no_secret_or_control_character_is_printed(injecting_tree, engine, fmt):
    proc = scan(str(injecting_tree), "--format", fmt, "--engine", engine, "--include-suppressed", timeout=240)
    assert proc.returncode == 2, proc.stderr
    printed = proc.stdout + proc.stderr
    assert KEY not in printed and KEY[4:] not in printed
    assert KEY[-4:] in printed  # masked, not dropped
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", printed), re.findall("[\x00-\x1f].{0,20}", printed)[:3]
    if fmt == "text":
        summary = [line for line in proc.stdout.splitlines() if re.match(r"\d+ findings?\b", line)]
        assert summary == proc.stdout.splitlines()[-1:], summary  # no forged summary line
        errors = [line for line in proc.stdout.splitlines() if line.startswith("error:")]
        assert len(errors) == 5, errors  # twice, alias, tag, tagged, bad...yaml (t.yaml is read)
    elif fmt in ("json", "sarif"):
        data = json.loads(proc.stdout)  # SARIF: what the scan found (the rule descriptors are the catalog's)
        scanned = [data["runs"][0][k] for k in ("results", "invocations")] if fmt == "sarif" else data
        assert not [s for s in _strings(scanned) if re.search("[\x00-\x1f]", s)]
    else:
        import xml.etree.ElementTree as ET

        ET.fromstring(proc.stdout.encode())
    if fmt in ("text", "json"):
        assert "\\x1b]0;pwned\\x07\\x1b[2J" in printed.replace("\\\\", "\\")  # escaped, still readable
        assert "********" + KEY[-4:] in printed


def test_shown_masks_then_escapes():
    from streamguard.shown import shown

    assert shown(f"{KEY}\n0 findings\x1b[2J\u202e") == "****************ECTD\\n0 findings\\x1b[2J\\u202e"
    assert shown("plain text, tabs\tand all") == "plain text, tabs\\tand all"


def test_checkov_prints_streamguards_code_lines_masked_and_escaped():
    from streamguard.checkov.masking import _also_mask_credentials

    omit = _also_mask_credentials(lambda check, result, lines, config, omit=None: lines)
    lines = [(1, 'resource "aws_s3_object" "o" {\n'), (2, f'\tcontent = "{KEY}{ESC}"\n'), (3, "}")]
    assert omit(None, None, lines, {"content": [KEY]}) == [
        (1, 'resource "aws_s3_object" "o" {\n'), (2, '\tcontent = "****************ECTD\\x1b]0;pwned\\x07\\x1b[2J"\n'),
        (3, "}")]
