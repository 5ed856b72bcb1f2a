"""Evaluate a rule pack with real OPA v1 (the Go library of opa-golib-python-bindings), in a process
of its own: a process that has loaded the Go runtime must not fork, and the scanner's pool forks.

    python -m streamguard.custom.opa_reference REQUEST.json

REQUEST holds {"policies": [pack folders], "documents": {name: input}}; the answer on stdout is
{name: [finding, ...] | {"error": message}}, findings as the embedded engine returns them.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from streamguard.custom import pack
from streamguard.engines.rego import PACKS_ENTRYPOINT, builtin_findings, policy_files
from streamguard.paths import POLICIES_DIR


def available() -> bool:
    """Whether the bindings are installed (a test extra: `pip install opa-golib-python-bindings`)."""
    return importlib.util.find_spec("opa_bindings") is not None


def main(request_path: str) -> None:
    from opa_bindings import OpaEngine

    request = json.loads(Path(request_path).read_text(encoding="utf-8"))
    loaded = pack.load(request["policies"])
    engine = OpaEngine()
    for path in policy_files(POLICIES_DIR):
        engine.add_policy(str(path.relative_to(POLICIES_DIR)), path.read_text(encoding="utf-8"))
    for name, source in loaded.modules.items():
        engine.add_policy(name, source)
    engine.add_policy("streamguard/packs.rego", loaded.report_module())
    answers = {}
    for name, document in request["documents"].items():
        try:
            report = engine.eval_document(PACKS_ENTRYPOINT.removeprefix("data."), document)
            answers[name] = builtin_findings(report.get("streamguard")) + loaded.findings(report)
        except Exception as exc:  # noqa: BLE001 - an evaluation error is an answer to report, not a crash
            answers[name] = {"error": str(exc).splitlines()[0][:300]}
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
