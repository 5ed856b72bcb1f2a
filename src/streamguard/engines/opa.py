"""`opa eval` as an engine, for users who have OPA on PATH: it takes whole inputs at any size."""

from __future__ import annotations

import json
import shutil
import subprocess

from streamguard.engines.rego import EngineError
from streamguard.paths import POLICIES_DIR

QUERY = "data.streamguard.lib.findings.report"


def evaluate(document: dict) -> list[dict]:
    opa = shutil.which("opa")
    if opa is None:
        raise EngineError("--engine opa needs `opa` on PATH")
    proc = subprocess.run(
        [opa, "eval", "--format", "json", "--stdin-input", "--data", str(POLICIES_DIR), QUERY],
        input=json.dumps(document), capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        raise EngineError(f"opa eval failed: {proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else ''}")
    try:
        output = json.loads(proc.stdout)
        value = output["result"][0]["expressions"][0]["value"]
    except (ValueError, KeyError, IndexError):
        return []
    return [f for key in ("deny", "suppressed") for f in value.get(key) or [] if isinstance(f, dict)]
