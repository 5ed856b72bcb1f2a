"""Evaluate streamguard's policies with real OPA v1 (the Go library, through opa_bindings).

Real OPA defines what the policies mean (users run them with `opa eval` and `conftest`), so the
suite compares the embedded engine with it. The Go runtime cannot live in a process that later
forks (a fork()ed child hangs once the library is loaded, and the scanner's process pool forks),
so the tests run this file as a subprocess of its own:

    python tests/opa_reference.py REQUEST.json

REQUEST holds {"documents": {name: input document}, "test_files": [path of a *_test.rego]}; the
answer on stdout is {"reports": {name: report | {"error": message}},
"tests": {path: {test rule: true | false | error message}}}.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
REPORT = "streamguard.lib.findings.report"
_PACKAGE = re.compile(r"^package (\S+)", re.M)
_TEST_RULE = re.compile(r"^(test_\w+) if\b", re.M)


def _engine(test_files: list[str]):
    from opa_bindings import OpaEngine

    engine = OpaEngine()
    for path in sorted(POLICIES.rglob("*.rego")):
        if not path.name.endswith("_test.rego") or str(path) in test_files:
            engine.add_policy(str(path.relative_to(POLICIES)), path.read_text(encoding="utf-8"))
    if test_files:  # what `opa test policies/` loads: each data file at its directory's path
        for path in sorted(POLICIES.rglob("*.json")):
            document = json.loads(path.read_text(encoding="utf-8"))
            engine.add_data(document, ".".join(path.parent.relative_to(POLICIES).parts))
    return engine


def _evaluate(engine, query: str, document=None):
    from opa_bindings import OpaUndefinedError

    try:
        return engine.eval_document(query, document)
    except OpaUndefinedError:
        return None
    except Exception as exc:  # an evaluation error is an answer to compare, not a crash
        return {"error": str(exc).splitlines()[0][:300]}


def _reports(engine, documents: dict) -> dict:
    """Every document's report from one query (OPA prepares each query anew, ~0.6 s apiece); where
    that query fails, each document alone, so an error is the answer of the document that raised it."""
    try:
        engine.add_data(documents, "streamguard_reference.documents")
        batch = engine.eval_query(f"reports := {{name: report | some name, document in "
                                  f"data.streamguard_reference.documents; report := data.{REPORT} "
                                  f"with input as document}}")
        reports = batch[0]["reports"]
    except Exception:  # noqa: BLE001 - the per-document pass below names the culprit
        reports = {}
    return {name: reports[name] if name in reports else _evaluate(engine, REPORT, document)
            for name, document in documents.items()}


def _tests(engine, test_files: list[str]) -> dict:
    """Every test rule's outcome, one query per test package; a test missing from its package's
    document is false (or raised, which evaluating it alone then tells)."""
    tests = {}
    for path in test_files:
        text = Path(path).read_text(encoding="utf-8")
        package = _PACKAGE.search(text).group(1)
        passed = _evaluate(engine, package)
        passed = passed if isinstance(passed, dict) and "error" not in passed else {}
        tests[path] = {name: True if passed.get(name) is True else _evaluate(engine, f"{package}.{name}")
                       for name in _TEST_RULE.findall(text)}
    return tests


def main(request_path: str) -> None:
    request = json.loads(Path(request_path).read_text(encoding="utf-8"))
    test_files = request.get("test_files", [])
    engine = _engine(test_files)
    json.dump({"reports": _reports(engine, request.get("documents", {})), "tests": _tests(engine, test_files)},
              sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
