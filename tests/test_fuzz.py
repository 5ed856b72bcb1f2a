"""Property-based fuzzing: mutated fixtures through the loaders and each engine's rule code.

Seeds are the fixtures as the engines read them (templates, plans, HCL as plan-shaped
documents). Each example applies a few mutations (drop, duplicate or retype an attribute, swap a
string for a list or map, inject an intrinsic or an interpolation) and then:
- the embedded Rego engine evaluates every document without an error;
- every Checkov check's rule code runs on every resource it supports, with the configuration
  Checkov's own plan parser produces and a graph shaped like Checkov's (CloudFormation: the
  template), without raising (in Checkov a check that raises is a finding silently lost);
- a few examples go through the `streamguard` CLI (no traceback, exit 0/1/2) and through whole
  Checkov runs with streamguard's checks (no "Failed to run check" in its log).
Separately, the fixture files' text (HCL, YAML, JSON) is mutated and read by the loaders, which
must either read it or report one error line naming the file, never raise.

Budget: SG_FUZZ_EXAMPLES documents and as many texts (a small default in `make test`; `make fuzz`
runs 10,000 of each). The work is split into SG_FUZZ_SHARDS shards with seeds of their own, so
`pytest -n 2` uses both cores; each shard asserts that all its examples ran.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from checkov.terraform.plan_parser import parse_tf_plan
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from streamguard import metadata
from streamguard.engines import checkov
from streamguard.engines.rego import EngineError, RegoEngine
from streamguard.inputs.discover import discover
from streamguard.inputs.plan_addresses import repeated_address
from streamguard.logic import registry, tf
from streamguard.logic.cfn import CfnResource
from streamguard.paths import ROOT

EXAMPLES = int(os.environ.get("SG_FUZZ_EXAMPLES", "40"))
SHARDS = max(1, int(os.environ.get("SG_FUZZ_SHARDS", "1")))
CLI_EXAMPLES = max(2, EXAMPLES // 200)
CHECKOV_FILES = max(6, EXAMPLES // 100)

SOURCES, _ = discover([str(ROOT / "fixtures")])
SEEDS = [("cloudformation" if s.kind == "cloudformation" else "plan", s.document) for s in SOURCES]
MUTABLE_SECTIONS = {
    "cloudformation": ("Resources", "Parameters", "Outputs", "Mappings"),
    "plan": ("planned_values", "configuration", "resource_changes", "prior_state"),
}
RETYPED = [None, 0, -1, 1.5, True, False, "", "x", "NONE", "kms", [], {}, [None], {"a": 1}, [[]], {"": {}}]
INTRINSICS = [
    {"Ref": "AWS::NoValue"}, {"Ref": "Missing"}, {"Ref": 7}, {"Fn::GetAtt": ["Missing", "Arn"]},
    {"Fn::GetAtt": "Missing.Arn"}, {"Fn::GetAtt": 3}, {"Fn::Sub": "${Missing.Arn}"}, {"Fn::Sub": ["${A}-${B}", {}]},
    {"Fn::Sub": 5}, {"Fn::Join": ["", ["a", {"Ref": "B"}]]}, {"Fn::If": ["C", "KMS", {"Ref": "AWS::NoValue"}]},
    {"Fn::If": ["C"]}, {"Fn::If": "C"}, {"Fn::Frobnicate": [1]}, {"Condition": "C"},
    "{{resolve:secretsmanager:db:SecretString:password}}",
]
INTERPOLATIONS = ["${var.unset}", "${aws_kms_key.missing.arn}", "${local.nothing}",
                  "${data.aws_iam_policy_document.p.json}",
                  "arn:aws:kms:eu-west-1:111122223333:alias/nothing", "alias/aws/kinesis", "${jsonencode({a = 1})}",
                  "AKIAIOSFODNN7EXAMPLE"]


def _positions(document: dict, kind: str) -> list[tuple[object, object]]:
    """(container, key) for every value inside the mutable sections."""
    found: list[tuple[object, object]] = []
    stack = [document[s] for s in MUTABLE_SECTIONS[kind] if isinstance(document.get(s), (dict, list))]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            found.append((node, key))
            if isinstance(value, (dict, list)):
                stack.append(value)
    return found


@st.composite
def mutated_documents(draw):
    kind, seed = draw(st.sampled_from(SEEDS))
    document = copy.deepcopy(seed)
    for _ in range(draw(st.integers(1, 6))):
        positions = _positions(document, kind)
        if not positions:
            break
        container, key = positions[draw(st.integers(0, len(positions) - 1))]
        value = container[key]
        op = draw(st.sampled_from(["drop", "duplicate", "retype", "wrap", "intrinsic", "interpolate"]))
        if op == "drop":
            del container[key]
        elif op == "duplicate":
            container[key] = value + value[:1] if isinstance(value, list) else [value, copy.deepcopy(value)]
        elif op == "retype":
            container[key] = copy.deepcopy(draw(st.sampled_from(RETYPED)))
        elif op == "wrap":
            container[key] = draw(st.sampled_from([[value], {"Value": value}, {"Fn::If": ["C", value, value]}]))
        elif op == "intrinsic":
            container[key] = copy.deepcopy(draw(st.sampled_from(INTRINSICS)))
        else:
            container[key] = draw(st.sampled_from(INTERPOLATIONS))
    return kind, document


@pytest.fixture(scope="module")
def engine() -> RegoEngine:
    return RegoEngine()


class _Graph:
    """Nodes shaped like Checkov's Terraform graph (block_type_, block_name_, config_, file_path_)."""

    def __init__(self, definitions: dict, file_path: str):
        self._nodes = []
        for block_type in ("resource", "data"):
            for block in definitions.get(block_type) or []:
                for rtype, named in block.items():
                    for name, conf in (named or {}).items():
                        self._nodes.append((len(self._nodes), {
                            "block_type_": block_type, "block_name_": f"{rtype}.{name}", "file_path_": file_path,
                            "config_": {rtype: {name: conf}}, "__address__": conf.get("__address__"),
                        }))

    def nodes(self):
        return self._nodes


def _run_python_checks_on_plan(document: dict, path: Path) -> None:
    path.write_text(json.dumps(document))
    try:
        definitions, _ = parse_tf_plan(str(path), {})
    except Exception:  # noqa: BLE001 - Checkov's own parser cannot read it, so no check would run on it
        return
    if not definitions:
        return
    graph = _Graph(definitions, str(path))
    for block_type in ("resource", "data"):
        for block in definitions.get(block_type) or []:
            for rtype, named in block.items():
                for conf in (named or {}).values():
                    _decide_all("terraform", rtype if block_type == "resource" else f"data.{rtype}",
                                lambda conf=conf, rtype=rtype: tf.view(conf, rtype, graph))


def _run_python_checks_on_template(document: dict) -> None:
    resources = document.get("Resources")
    if not isinstance(resources, dict):
        return
    for logical_id, body in resources.items():
        if isinstance(body, dict) and isinstance(body.get("Type"), str):
            _decide_all("cloudformation", body["Type"],
                        lambda logical_id=logical_id, body=body: CfnResource(logical_id, body, document))


def _decide_all(fmt: str, rtype: str, make_view) -> None:
    for rule_id, meta in metadata.all_rules().items():
        if rtype in meta["resource_types"].get(fmt, []) and (rule_id, fmt) in registry.implemented():
            reasons = registry.lookup(rule_id, fmt)(make_view())
            assert isinstance(reasons, list) and all(isinstance(r, str) for r in reasons), (rule_id, reasons)


def _drawn(seed_value: int, count: int, strategy, each) -> int:
    """each(example) for `count` examples drawn reproducibly (from seed_value) from strategy; how
    many ran."""
    ran = 0

    @seed(seed_value)
    @settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(example=strategy)
    def run(example):
        nonlocal ran
        ran += 1
        each(example)

    run()
    return ran


def _run_shard(shard: int, strategy, check) -> None:
    """check() on this shard's share of EXAMPLES examples, all of which must run."""
    ran = _drawn(shard, EXAMPLES // SHARDS, strategy, check)
    assert ran >= EXAMPLES // SHARDS, f"only {ran} examples ran"


@pytest.mark.parametrize("shard", range(SHARDS))
def test_mutated_inputs_never_break_either_engine(shard, engine, tmp_path_factory):
    def check(example):
        kind, document = example
        if kind != "cloudformation" and repeated_address(document):
            return  # the loader reports it as unreadable; no engine sees it (plan_addresses.py)
        engine.evaluate(document)  # raises EngineError on an evaluation error
        if kind == "cloudformation":
            _run_python_checks_on_template(document)
        else:
            _run_python_checks_on_plan(document, tmp_path_factory.mktemp("plan") / "tfplan.json")

    _run_shard(shard, mutated_documents(), check)


TEXT_SEEDS = sorted(p for p in (ROOT / "fixtures").rglob("*")
                    if p.is_file() and p.suffix in {".tf", ".yaml", ".yml", ".json"})
TEXT_INSERTS = ["${", "}", "{", "[", "\"", "'", "!Ref ", "!If [", "&a ", "*a", "<<: *a", "\t", "\x00", "\u202e",
                "\ufeff", "é", "#", "//", "/*", "= ", ": ", "- ", "\n  ", "<<EOT\n", "\\", "%{", "${var.x", "\r\n"]


@st.composite
def mutated_texts(draw):
    path = draw(st.sampled_from(TEXT_SEEDS))
    text = path.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 80)))
        op = draw(st.sampled_from(["delete", "duplicate", "insert"]))
        if op == "delete":
            text = text[:start] + text[end:]
        elif op == "duplicate":
            text = text[:end] + text[start:end] + text[end:]
        else:
            text = text[:start] + draw(st.sampled_from(TEXT_INSERTS)) + text[start:]
    return path.name, text


@pytest.mark.parametrize("shard", range(SHARDS))
def test_mutated_texts_are_read_or_reported_by_the_loaders(shard, tmp_path_factory):
    def check(example):
        name, text = example
        directory = tmp_path_factory.mktemp("text")
        path = directory / name
        path.write_text(text, encoding="utf-8")
        _, errors = discover([str(directory)])  # must not raise
        for error in errors:
            assert error.path.endswith(name) and "\n" not in error.reason, str(error)

    _run_shard(shard, mutated_texts(), check)


def _write_examples(directory: Path, count: int, seed_value: int) -> list[Path]:
    """`count` mutated inputs as files, drawn reproducibly."""
    written: list[Path] = []

    def write(example):
        kind, document = example
        path = directory / f"{'template' if kind == 'cloudformation' else 'plan'}_{len(written):04d}.json"
        path.write_text(json.dumps(document))
        written.append(path)

    _drawn(seed_value, count, mutated_documents(), write)
    return written


def test_mutated_inputs_through_the_cli_print_no_traceback(tmp_path):
    files = _write_examples(tmp_path, CLI_EXAMPLES, seed_value=1)
    proc = subprocess.run([sys.executable, "-m", "streamguard.cli", "scan", str(tmp_path), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert files
    assert proc.returncode in (0, 1, 2), proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    json.loads(proc.stdout)


def test_mutated_inputs_through_whole_checkov_runs_log_no_check_error(tmp_path, monkeypatch):
    """One Checkov run over all the files; where Checkov's own parser crashes on one of them (its
    bug: the whole run fails), one run per file, so every other file is still checked. Checkov's
    parallel runner deadlocks after such a crash, so it runs sequentially here."""
    monkeypatch.setenv("CHECKOV_PARALLELIZATION_TYPE", "none")
    files = _write_examples(tmp_path, CHECKOV_FILES, seed_value=2)
    try:
        logs = [checkov.run([str(tmp_path)], cwd=str(ROOT)).stderr]
    except EngineError:
        logs = []
        for path in files:
            try:
                logs.append(checkov.run([str(path)], cwd=str(ROOT)).stderr)
            except EngineError:
                continue  # Checkov cannot read this input at all: no check ran on it
    assert logs
    for log in logs:
        assert "Failed to run check" not in log, log[-3000:]


OPA_EXAMPLES = int(os.environ.get("SG_FUZZ_OPA_EXAMPLES", "150"))


def test_embedded_engine_agrees_with_opa_on_mutated_documents(engine, tmp_path):
    """Real OPA is the reference beyond the fixtures too: on mutated documents (retyped values,
    injected intrinsics, wrapped blocks) the embedded engine reports exactly OPA's findings, or
    both fail to evaluate. A difference is a policy that reads Rego one engine's way; an error of
    the embedded engine alone is usually a builtin or an iteration that meets a value of another
    type (regorus raises where OPA is undefined: iterate input through util.iterable/mapping)."""
    documents = {}

    def keep(example):
        kind, document = example
        if kind == "cloudformation" or not repeated_address(document):
            documents[f"doc{len(documents)}"] = document

    _drawn(1000, OPA_EXAMPLES, mutated_documents(), keep)
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"documents": documents}), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "opa_reference.py"), str(request)],
                          capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    reports = json.loads(proc.stdout)["reports"]
    differences, embedded_only_errors = [], []
    for name, document in documents.items():
        report = reports[name]
        opa_failed = isinstance(report, dict) and "error" in report
        try:
            actual = {(f["id"], f["resource"], f["msg"]) for f in engine.evaluate(document)}
        except EngineError:
            embedded_only_errors += [] if opa_failed else [name]
            continue
        expected = None if opa_failed else {
            (f["id"], f["resource"], f["msg"]) for key in ("deny", "suppressed") for f in (report or {}).get(key) or []}
        if actual != expected:
            differences.append((name, sorted((expected or set()) ^ actual)[:3]))
    assert not differences, differences[:5]
    assert not embedded_only_errors, embedded_only_errors[:5]
