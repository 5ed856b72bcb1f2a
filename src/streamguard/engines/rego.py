"""The embedded Rego engine: regorus (microsoft/regorus, a Rust Rego interpreter) in-process.

The policies are compiled once per process; each input document is evaluated on a clone of that
compiled engine, so nothing one (possibly hostile) input leaves behind reaches the next. Real OPA
is the reference for what the policies mean: the test suite proves that regorus reports the same
findings as OPA on every fixture (tests/test_opa_reference.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import regorus

from streamguard.custom.pack import CHAIN_EXTENSION, Pack
from streamguard.paths import POLICIES_DIR

ENTRYPOINT = "data.streamguard.lib.findings.report"
PACKS_ENTRYPOINT = "data.streamguard.packs.report"  # with rule packs: Pack.report_module()
_UNDEFINED = "<undefined>"  # what regorus answers for an undefined rule


class EngineError(Exception):
    """The policies could not be compiled or evaluated."""


def policy_files(policies_dir: Path = POLICIES_DIR) -> list[Path]:
    """The bundle's modules (tests excluded), sorted by path. The order matters to regorus 0.13: a
    rule package split over two modules evaluates under `data.streamguard.rules[name]` only when
    the module that defines `deny` (sg_nnn_meta.rego) is added before the one it reads
    (sg_nnn_rule.rego), which sorting gives."""
    return sorted(p for p in policies_dir.rglob("*.rego") if not p.name.endswith("_test.rego"))


_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|`[^`]*`")


def _first_line(exc: Exception) -> str:
    """regorus's message in one line, without its backtrace and without the values it quotes (a
    value from the input can hold a credential): "file:line:col: error" for a parse error."""
    lines = [line.strip() for line in str(exc).split("Stack backtrace:")[0].splitlines() if line.strip()]
    where = next((line[3:].strip() for line in lines if line.startswith("-->")), "")
    error = next((line[6:].strip() for line in lines if line.startswith("error:")), "")
    line = f"{where}: {error}" if where and error else (error or (lines[0] if lines else "no message"))
    return _QUOTED.sub('"…"', line)[:200]


def builtin_findings(report: Any) -> list[dict]:
    """The results of data.streamguard.lib.findings.report; suppressed ones carry "suppression"."""
    if not isinstance(report, dict):
        return []
    return [f for key in ("deny", "suppressed") for f in report.get(key) or [] if isinstance(f, dict)]


class RegoEngine:
    """One compiled set of policies, cloned for every evaluation of a scan."""

    name = "rego"

    def __init__(self, policies_dir: Path = POLICIES_DIR, extra_modules: dict[str, str] | None = None,
                 entrypoint: str = ENTRYPOINT, pack: Pack | None = None):
        self._compiled = regorus.Engine()
        self._pack = pack
        modules = [(str(p.relative_to(policies_dir)), p.read_text(encoding="utf-8"))
                   for p in policy_files(policies_dir)] + list((extra_modules or {}).items())
        if pack is not None:
            self._compiled.add_extension(CHAIN_EXTENSION, 1, pack.chain)
            modules += [*pack.engine_modules().items(), ("streamguard/packs.rego", pack.report_module())]
            entrypoint = PACKS_ENTRYPOINT
        for name, source in modules:
            try:
                self._compiled.add_policy(name, source)
            except Exception as exc:  # regorus raises plain RuntimeError/ValueError for parse errors
                raise EngineError(f"policy {name} does not compile: {_first_line(exc)}") from None
        self._entrypoint = entrypoint

    def evaluate(self, document: dict) -> list[dict]:
        """The findings of every rule for one input document; suppressed ones carry "suppression"."""
        return self.evaluate_json(json.dumps(document))

    def evaluate_json(self, document_json: str) -> list[dict]:
        """evaluate() for a document already serialised (how inputs cross the process pool)."""
        report = self.query_json(document_json)
        if not isinstance(report, dict):
            return []
        if self._pack is not None:
            return builtin_findings(report.get("streamguard")) + self._pack.findings(report)
        return builtin_findings(report)

    def query_json(self, document_json: str) -> Any:
        """The entrypoint's value for one serialised input document; None when it is undefined."""
        engine = self._compiled.clone()
        try:
            engine.set_input_json(document_json)
        except Exception as exc:
            raise EngineError(f"input not accepted: {_first_line(exc)}") from None
        try:
            output = engine.eval_rule_as_json(self._entrypoint)
        except Exception as exc:
            raise EngineError(f"evaluation failed: {_first_line(exc)}") from None
        try:
            value = json.loads(output)
        except ValueError:
            raise EngineError("evaluation returned malformed output") from None
        return None if value == _UNDEFINED else value
