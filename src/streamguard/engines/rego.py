"""The embedded Rego engine: regopy (rego-cpp) evaluating policies/ in-process.

The policies are compiled once into a bundle; each evaluation unit (a small input document, see
streamguard.units) is then one query against it. rego-cpp's evaluation time grows with the square
of the collections a query walks, so small units are what keep a large scan fast.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import regopy
from regopy import rego_shared

from streamguard.paths import POLICIES_DIR

ENTRYPOINT = "streamguard/lib/findings/report"


class EngineError(Exception):
    """The policies could not be compiled or evaluated."""


def policy_files(policies_dir: Path = POLICIES_DIR) -> list[Path]:
    """The bundle's modules (tests excluded), in a fixed order."""
    return sorted(p for p in policies_dir.rglob("*.rego") if not p.name.endswith("_test.rego"))


def _first_line(text: str) -> str:
    """The first error message of a rego-cpp error dump, without the input values it may quote
    (a conflict error prints both values, which can hold a credential)."""
    match = re.search(r"\(errormsg \d+:([^)\n]*)", text)
    lines = [match.group(1)] if match else text.splitlines()
    for line in lines:
        line = _VALUES_QUOTED.split(line.strip())[0].strip()
        if line and not line.startswith(("Errors:", "--", "~", "<error>")):
            return line[:200]
    return "rego-cpp reported an error without a message"


_VALUES_QUOTED = re.compile(r"\s*(?::\s*existing=|existing=|new=)")


@contextmanager
def _stdout_to_devnull() -> Iterator[None]:
    """rego-cpp prints some evaluation errors, with the values involved, to the process's stdout:
    that would corrupt JSON, SARIF and JUnit output and could print a secret."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


class RegoEngine:
    """One compiled bundle, reused for every evaluation of a scan."""

    name = "rego"

    def __init__(self, policies_dir: Path = POLICIES_DIR, extra_modules: dict[str, str] | None = None,
                 entrypoint: str = ENTRYPOINT):
        builder = regopy.Interpreter()
        try:
            for path in policy_files(policies_dir):
                builder.add_module(str(path.relative_to(policies_dir)), path.read_text(encoding="utf-8"))
            for name, source in (extra_modules or {}).items():
                builder.add_module(name, source)
            self._bundle = builder.build(None, [entrypoint])
        except regopy.RegoError as exc:
            raise EngineError(f"policies do not compile: {_first_line(str(exc))}") from None
        self._entrypoint = entrypoint
        self._interpreter = regopy.Interpreter()

    def evaluate(self, document: dict) -> list[dict]:
        """The findings of every rule for one input document; suppressed ones carry "suppression"."""
        return self.evaluate_json(json.dumps(document))

    def evaluate_json(self, document_json: str) -> list[dict]:
        """evaluate() for a document already serialised (how units cross the process pool)."""
        report = self.query_json(document_json)
        if not isinstance(report, dict):
            return []
        return [f for key in ("deny", "suppressed") for f in report.get(key) or [] if isinstance(f, dict)]

    def query_json(self, document_json: str) -> Any:
        """The entrypoint's value for one serialised input document; None when it is undefined."""
        interp = self._interpreter
        try:
            interp.set_input_term(document_json)
        except regopy.RegoError as exc:
            raise EngineError(f"input not accepted: {_first_line(str(exc))}") from None
        with _stdout_to_devnull():
            impl = rego_shared.rego_bundle_query_entrypoint(interp._impl, self._bundle._impl, self._entrypoint)
        try:
            text = rego_shared.rego_output_string(impl)
            if not rego_shared.rego_output_ok(impl):
                raise EngineError(f"evaluation failed: {_first_line(text)}")
        finally:
            rego_shared.rego_free_output(impl)
        if text == "undefined":
            return None
        try:
            output = json.loads(text)
        except ValueError:
            raise EngineError("evaluation returned malformed output") from None
        results = output[0] if isinstance(output, list) else output
        return (results.get("expressions") or [None])[0]
