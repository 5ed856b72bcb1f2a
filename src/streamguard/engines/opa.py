"""`opa eval` as an engine, for users who have OPA on PATH: it takes whole inputs at any size."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from streamguard.custom.pack import Pack
from streamguard.engines.rego import ENTRYPOINT, PACKS_ENTRYPOINT, EngineError, builtin_findings
from streamguard.paths import POLICIES_DIR


def evaluate(document: dict, pack: Pack | None = None) -> list[dict]:
    """The findings of every rule, and of the rule pack's rules, for one input document."""
    opa = shutil.which("opa")
    if opa is None:
        raise EngineError("--engine opa needs `opa` on PATH")
    with tempfile.TemporaryDirectory(prefix="streamguard-opa-") as tmp:
        data = ["--data", str(POLICIES_DIR)]
        if pack is not None:
            report = Path(tmp) / "packs.rego"
            report.write_text(pack.report_module(), encoding="utf-8")
            data += [arg for name in [*pack.modules, str(report)] for arg in ("--data", name)]
        proc = subprocess.run(
            [opa, "eval", "--format", "json", "--stdin-input", *data, PACKS_ENTRYPOINT if pack else ENTRYPOINT],
            input=json.dumps(document), capture_output=True, text=True, check=False,
        )
    if proc.returncode != 0:
        raise EngineError(f"opa eval failed: {proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else ''}")
    try:
        value = json.loads(proc.stdout)["result"][0]["expressions"][0]["value"]
    except (ValueError, KeyError, IndexError):
        return []
    if pack is not None:
        return builtin_findings(value.get("streamguard")) + pack.findings(value)
    return builtin_findings(value)
