"""JSON output: {"findings": [...], "errors": [{"file", "message"}], "suppressed": [...]}, deterministic.

Suppressed findings have the finding fields plus "reason"; they never count as findings.
"""

from __future__ import annotations

import json

from streamguard.findings import ScanResult


def render(result: ScanResult) -> str:
    document = {
        "findings": [f.as_json() for f in result.findings],
        "errors": [{"file": e.path, "message": e.reason} for e in result.errors],
        "suppressed": [f.as_json() for f in result.suppressed],
    }
    return json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
