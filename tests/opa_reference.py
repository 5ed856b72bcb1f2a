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
    return engine


def _evaluate(engine, query: str, document=None):
    from opa_bindings import OpaUndefinedError

    try:
        return engine.eval_document(query, document)
    except OpaUndefinedError:
        return None
    except Exception as exc:  # an evaluation error is an answer to compare, not a crash
        return {"error": str(exc).splitlines()[0][:300]}


def main(request_path: str) -> None:
    request = json.loads(Path(request_path).read_text(encoding="utf-8"))
    test_files = request.get("test_files", [])
    engine = _engine(test_files)
    reports = {name: _evaluate(engine, REPORT, document) for name, document in request.get("documents", {}).items()}
    tests = {}
    for path in test_files:
        text = Path(path).read_text(encoding="utf-8")
        package = _PACKAGE.search(text).group(1)
        tests[path] = {name: _evaluate(engine, f"{package}.{name}") for name in _TEST_RULE.findall(text)}
    json.dump({"reports": reports, "tests": tests}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
